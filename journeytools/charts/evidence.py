"""Evidence charts: the room's assumed emotion against measured satisfaction, and KPIs
against baseline and target."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..model.workshop import Workshop
from ._draw import empty_axes, line_paths, note, place_labels, point_boxes
from ._text import clean, fmt_number, fmt_percent, fmt_signed, wrap
from .theme import EMOTION_LABELS, Theme, new_figure


def assumed_vs_measured(stages: pd.DataFrame, *, theme: Theme | None = None,
                        title: str = "Assumed emotion (workshop) vs measured satisfaction (survey)") -> Figure:
    """Per stage, the workshop's mean emotion (assumed) and survey satisfaction (measured), 1–5.

    ``stages`` has ``name`` (or ``stage``), ``assumed_emotion`` and ``measured_satisfaction``
    (e.g. ``evidence/stages.csv`` or ``EvidenceResult.assumed``); rows with a segment are ignored.
    """
    theme = theme or Theme()
    frame = stages.copy()
    if "segment" in frame.columns:
        frame = frame[frame["segment"].fillna("").astype(str) == ""]
    labels = [str(x) for x in frame.get("name", frame.get("stage", pd.Series(dtype=str)))]
    assumed = pd.to_numeric(frame.get("assumed_emotion"), errors="coerce").to_numpy(dtype=float) \
        if "assumed_emotion" in frame else np.full(len(frame), np.nan)
    measured = pd.to_numeric(frame.get("measured_satisfaction"), errors="coerce").to_numpy(dtype=float) \
        if "measured_satisfaction" in frame else np.full(len(frame), np.nan)
    with theme.context():
        width = max(6.5, 1.3 * len(labels) + 1.5)
        fig = new_figure(theme, width, 4.0, layout="constrained")
        ax = fig.add_subplot()
        ax.set_title("\n".join(wrap(title, (width - 0.5) * 72, theme.font_size + 3, weight="bold",
                                    max_lines=2)), loc="left", color=theme.strong, fontweight="bold",
                     pad=22)
        if not len(labels) or (np.isnan(assumed).all() and np.isnan(measured).all()):
            empty_axes(ax)
            note(ax, "No survey or emotion data", theme, gid="empty-note")
        else:
            import seaborn as sns  # lazily: `import journeytools` stays light

            x = np.arange(len(labels))
            series = {"assumed (workshop)": ("assumed", assumed, theme.muted, "o", "--"),
                      "measured (survey)": ("measured", measured, theme.strong, "s", "-")}
            # positions, not category names: two stages may share a name
            long = pd.DataFrame([{"x": float(xi), "value": v, "series": name}
                                 for name, (_, values, *_) in series.items()
                                 for xi, v in zip(x, values)])
            sns.lineplot(data=long, x="x", y="value", hue="series", style="series",
                         hue_order=list(series), style_order=list(series),
                         palette={k: v[2] for k, v in series.items()},
                         markers={k: v[3] for k, v in series.items()},
                         dashes={k: "" if v[4] == "-" else (4, 2) for k, v in series.items()},
                         estimator=None, sort=False, ax=ax, markersize=7, linewidth=1.8,
                         markeredgecolor="white", legend=False)
            for line, (gid, values, *_) in zip(ax.get_lines(), series.values()):
                line.set_gid(gid)
                line.set_data(x, values)  # seaborn drops missing values; keep them as gaps
            gaps = [(xi, a, m) for xi, a, m in zip(x, assumed, measured)
                    if not np.isnan(a) and not np.isnan(m) and abs(m - a) >= 0.5]
            for xi, a, m in gaps:  # the gap itself, so the number has something to point at
                ax.plot([xi, xi], [a, m], color=theme.ink, lw=0.8, ls=":", zorder=1, gid=f"gap:{xi}")
            band = (width - 1.5) / max(len(labels), 1) * 72 - 6
            ax.set_xticks(x, ["\n".join(wrap(lab, band, theme.font_size, max_lines=2)) for lab in labels])
            ax.set_xlim(-0.5, len(labels) - 0.5)
            ax.set_xlabel("")
            ax.set_ylim(0.8, 5.2)
            ax.set_yticks([1, 2, 3, 4, 5])
            ax.set_ylabel(f"1 {EMOTION_LABELS[0]} … 5 {EMOTION_LABELS[4]}")
            ax.axhline(3, color=theme.muted, linewidth=0.6, linestyle=":")
            handles = [Line2D([], [], color=c, marker=mk, ls=ls, lw=1.8, ms=7, mec="white", label=name)
                       for name, (_, _, c, mk, ls) in series.items()]
            ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1.0, 1.0), frameon=False, ncol=2,
                      borderaxespad=0.2)
            _finish(fig)
            items = [{"x": xi, "y": (a + m) / 2, "text": fmt_signed(m - a), "radius": 6.0,
                      "fontsize": theme.font_size - 1, "color": theme.ink, "gid": f"gap-label:{xi}"}
                     for xi, a, m in gaps]
            if items:
                place_labels(fig, ax, items, point_boxes(ax, np.r_[x, x], np.r_[assumed, measured], 5.0, fig),
                             lines=line_paths(ax), side="right")
    data = pd.DataFrame({"label": labels, "assumed": assumed, "measured": measured})
    fig._jt_data = data  # type: ignore[attr-defined]  # chart metadata on the Figure
    shown = [f"{lab}: assumed {fmt_number(a)}, measured {fmt_number(m)}"
             for lab, a, m in zip(labels, assumed, measured) if not (np.isnan(a) or np.isnan(m))]
    alt = ("Assumed emotion vs measured satisfaction per stage. " + "; ".join(shown)
           if shown else "Assumed vs measured: no stage has both values.")
    fig._jt_alt = alt  # type: ignore[attr-defined]  # chart metadata on the Figure
    return fig


def _finish(fig: Figure) -> None:
    """Run the layout once and freeze it, so labels can be placed in display space."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    fig.set_layout_engine("none")


METRIC_NAMES = {"conversion": "Conversion", "csat": "CSAT", "nps": "NPS", "retention": "Retention",
                "revenue": "Revenue"}
KPI_LABEL_PT = 170.0  # the KPI names beside the bars wrap to this width


def kpi_name(kpi: dict, ws: Workshop | None = None) -> str:
    """What a KPI is called on a chart: its metric and where it is measured, by name
    ("Conversion · Add to cart and cart page"); the id only when there is nothing else."""
    metric = clean(kpi.get("metric"))
    label = METRIC_NAMES.get(metric.lower(), metric[:1].upper() + metric[1:])
    tp, stage = clean(kpi.get("touchpoint")), clean(kpi.get("stage"))
    place = tp or stage
    if ws is not None:
        tps = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"])) if len(ws.touchpoints) else {}
        stages = {st.id: st.name for st in ws.stages}
        place = clean(tps.get(tp, tp)) if tp else clean(stages.get(stage, stage))
    return " · ".join(x for x in (label, place) if x) or clean(kpi.get("id"))


def _with_unit(value: object, unit: object) -> str:
    u = clean(unit)
    text = fmt_number(value)  # type: ignore[arg-type]
    return text if text == "–" else (f"{text}%" if u == "%" else f"{text} {u}".strip())


def _kpi_values(kpi: dict) -> str:
    """"61.5% now; baseline 58%, target 72%" (the parts that are known)."""
    unit = kpi.get("unit")
    parts = [f"{_with_unit(kpi.get('value'), unit)} now" if pd.notna(kpi.get("value")) else "no current value"]
    ends = [f"{k} {_with_unit(kpi.get(k), unit)}" for k in ("baseline", "target") if pd.notna(kpi.get(k))]
    return parts[0] + (f"; {', '.join(ends)}" if ends else "")


def kpi_progress(kpis: pd.DataFrame, *, theme: Theme | None = None,
                 title: str = "KPIs: progress from baseline to target",
                 ws: Workshop | None = None) -> Figure:
    """One bar per KPI: progress from baseline (0 %) to target (100 %), from
    ``journeytools.evidence.kpi_status`` (columns ``id``, ``metric``, ``stage``, ``touchpoint``,
    ``progress``, ``status``). KPIs are named by metric and place (:func:`kpi_name`; stage and
    touchpoint names come from ``ws``), each bar says where the KPI stands."""
    theme = theme or Theme()
    rows = kpis.to_dict("records")
    names = [kpi_name(k, ws) for k in rows]
    ids = [clean(k.get("id")) for k in rows]
    progress = pd.to_numeric(kpis.get("progress"), errors="coerce").to_numpy(dtype=float) \
        if "progress" in kpis else np.full(len(rows), np.nan)
    labels = ["\n".join(wrap(n, KPI_LABEL_PT, theme.font_size, max_lines=2)) for n in names]
    with theme.context():
        fig = new_figure(theme, 8.0, 1.2 + 0.55 * max(len(rows), 1), layout="constrained")
        ax = fig.add_subplot()
        ax.set_title(title, loc="left", color=theme.strong, fontweight="bold")
        if not rows:
            empty_axes(ax)
            note(ax, "No KPIs", theme, gid="empty-note")
        else:
            y = np.arange(len(rows))[::-1]
            shown = np.clip(np.nan_to_num(progress, nan=0.0), -0.5, 1.5) * 100
            colors = [theme.muted if np.isnan(p) else ("#009E73" if p >= 1 else theme.strong if p > 0 else "#D55E00")
                      for p in progress]
            bars = ax.barh(y, shown, color=colors, height=0.6)
            for b, i in zip(bars, ids):
                b.set_gid(f"kpi:{i}")
            for yi, p, s, k in zip(y, progress, shown, rows):
                head = "no data" if np.isnan(p) else fmt_percent(p)
                ax.text(max(s, 0) + 2, yi, f"{head} · {_kpi_values(k)}", va="center",
                        fontsize=theme.font_size - 1, color=theme.ink, gid=f"kpi-value:{k.get('id')}")
            ax.set_yticks(y, labels)
            ax.axvline(0, color=theme.ink, linewidth=0.8)
            ax.axvline(100, color="#009E73", linewidth=0.8, linestyle="--")
            right = max(160.0, float(shown.max()) + 60)  # room for the values right of the bars
            ax.set_xlim(min(-10, float(shown.min()) - 10), right)
            ticks = [t for t in (0, 25, 50, 75, 100, 125, 150) if t <= right]
            ax.set_xticks(ticks, ["baseline" if t == 0 else "target" if t == 100 else fmt_percent(t / 100)
                                  for t in ticks])
            ax.set_xlabel("% of the way from baseline to target")
    data = pd.DataFrame({"id": ids, "name": names, "progress": progress})
    fig._jt_data = data  # type: ignore[attr-defined]  # chart metadata on the Figure
    alt = "KPI progress from baseline (0%) to target (100%): " + "; ".join(
        f"{n} {'no data' if np.isnan(p) else fmt_percent(p)} ({_kpi_values(k)})"
        for n, p, k in zip(names, progress, rows)) + "." if rows else "KPI progress: no KPIs."
    fig._jt_alt = alt  # type: ignore[attr-defined]  # chart metadata on the Figure
    return fig
