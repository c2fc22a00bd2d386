"""Evidence charts: the room's assumed emotion against measured satisfaction, and KPIs
against baseline and target."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ._draw import empty_axes, note
from .theme import EMOTION_LABELS, Theme, new_figure


def assumed_vs_measured(stages: pd.DataFrame, *, theme: Theme | None = None,
                        title: str = "Assumed vs measured") -> Figure:
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
        fig = new_figure(theme, max(6.5, 1.3 * len(labels) + 1.5), 3.8, layout="constrained")
        ax = fig.add_subplot()
        ax.set_title(title, loc="left", color=theme.strong, fontweight="bold")
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
            for xi, a, m in zip(x, assumed, measured):
                if not np.isnan(a) and not np.isnan(m) and abs(m - a) >= 0.5:
                    ax.annotate(f"{m - a:+.1f}", (xi, (a + m) / 2), xytext=(6, 0),
                                textcoords="offset points", va="center", fontsize=theme.font_size - 1,
                                color=theme.ink)
            ax.set_xticks(x, labels)
            ax.set_xlim(-0.5, len(labels) - 0.5)
            ax.set_xlabel("")
            ax.set_ylim(0.8, 5.2)
            ax.set_yticks([1, 2, 3, 4, 5])
            ax.set_ylabel(f"1 {EMOTION_LABELS[0]} … 5 {EMOTION_LABELS[4]}")
            ax.axhline(3, color=theme.muted, linewidth=0.6, linestyle=":")
            handles = [Line2D([], [], color=c, marker=mk, ls=ls, lw=1.8, ms=7, mec="white", label=name)
                       for name, (_, _, c, mk, ls) in series.items()]
            ax.legend(handles=handles, loc="lower right", frameon=False)
    data = pd.DataFrame({"label": labels, "assumed": assumed, "measured": measured})
    fig._jt_data = data  # type: ignore[attr-defined]  # chart metadata on the Figure
    shown = [f"{lab}: assumed {a:.1f}, measured {m:.1f}" for lab, a, m in zip(labels, assumed, measured)
             if not (np.isnan(a) or np.isnan(m))]
    alt = ("Assumed emotion vs measured satisfaction per stage. " + "; ".join(shown)
           if shown else "Assumed vs measured: no stage has both values.")
    fig._jt_alt = alt  # type: ignore[attr-defined]  # chart metadata on the Figure
    return fig


def kpi_progress(kpis: pd.DataFrame, *, theme: Theme | None = None,
                 title: str = "KPIs: progress from baseline to target") -> Figure:
    """One bar per KPI: progress from baseline (0 %) to target (100 %), from
    ``journeytools.evidence.kpi_status`` (columns ``id``, ``progress``, ``status``)."""
    theme = theme or Theme()
    ids = [str(i) for i in kpis.get("id", pd.Series(dtype=str))]
    progress = pd.to_numeric(kpis.get("progress"), errors="coerce").to_numpy(dtype=float) \
        if "progress" in kpis else np.full(len(ids), np.nan)
    with theme.context():
        fig = new_figure(theme, 7.0, 1.0 + 0.45 * max(len(ids), 1), layout="constrained")
        ax = fig.add_subplot()
        ax.set_title(title, loc="left", color=theme.accent, fontweight="bold")
        if not ids:
            empty_axes(ax)
            note(ax, "No KPIs", theme, gid="empty-note")
        else:
            y = np.arange(len(ids))[::-1]
            shown = np.clip(np.nan_to_num(progress, nan=0.0), -0.5, 1.5) * 100
            colors = [theme.muted if np.isnan(p) else ("#009E73" if p >= 1 else theme.accent if p > 0 else "#D55E00")
                      for p in progress]
            ax.barh(y, shown, color=colors, height=0.6, gid="kpi-bars")
            for yi, p, s in zip(y, progress, shown):
                ax.text(max(s, 0) + 2, yi, "no data" if np.isnan(p) else f"{p:.0%}", va="center",
                        fontsize=theme.font_size - 1, color=theme.ink)
            ax.set_yticks(y, ids)
            ax.axvline(0, color=theme.ink, linewidth=0.8)
            ax.axvline(100, color="#009E73", linewidth=0.8, linestyle="--")
            ax.text(100, 1.0, " target", transform=ax.get_xaxis_transform(), va="bottom", ha="center",
                    fontsize=theme.font_size - 1, color="#009E73")
            ax.set_xlim(min(-10, shown.min() - 10), max(120, shown.max() + 20))
            ax.set_xlabel("% of the way from baseline to target")
    data = pd.DataFrame({"id": ids, "progress": progress})
    fig._jt_data = data  # type: ignore[attr-defined]  # chart metadata on the Figure
    alt = "KPI progress: " + "; ".join(
        f"{i} {'no data' if np.isnan(p) else f'{p:.0%}'}" for i, p in zip(ids, progress))
    fig._jt_alt = alt  # type: ignore[attr-defined]  # chart metadata on the Figure
    return fig
