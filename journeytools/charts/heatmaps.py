"""Heatmaps: weighted pain per persona × stage, and touchpoints per channel × stage.

Pain heatmap rows are persona views (SPEC §3): a persona's own pain points count with their
weighted pain, a ``*`` pain point with ``pain score × weight(p)`` plus its weight's share of the
votes. Each stage column therefore sums to ``scoring.stage_pain``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .. import scoring
from ..model.workshop import Workshop
from ._draw import empty_axes, note
from ._text import clean, fmt_number, wrap
from .theme import new_figure, text_on, theme_for, tint


def pain_matrix(ws: Workshop) -> pd.DataFrame:
    """Weighted pain per persona (rows, file order) × stage (columns, journey order): each
    persona's view (SPEC §3, ``scoring.persona_stage_pain``), so a row shows the numbers of
    that persona's report and column sums equal ``scoring.stage_pain(ws)["pain"]``.
    """
    return scoring.persona_stage_pain(ws)


def _grid(ax: Axes, nrows: int, ncols: int) -> None:
    ax.set_xticks(np.arange(ncols + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(nrows + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="#FFFFFF", lw=1.6)
    ax.tick_params(which="both", length=0)
    for s in ax.spines.values():
        s.set_visible(False)


def _stage_labels(ws: Workshop, col_w_in: float, size: float) -> list[str]:
    return ["\n".join(wrap(s.name, col_w_in * 72 - 4, size, max_lines=3)) for s in ws.stages]


MAX_PERSONAS = 50  # rows of the pain heatmap; more personas share one last row
OTHERS = "+others"  # the index of that row in ``fig._jt_shown``


def top_rows(m: pd.DataFrame, max_rows: int) -> pd.DataFrame:
    """``m`` with at most ``max_rows`` rows: the ``max_rows - 1`` with most pain in all (ties:
    file order), in file order, and one last row (index ``OTHERS``) summing the rest, so every
    column still sums to the same total. ``m`` itself when it is short enough."""
    max_rows = max(int(max_rows), 2)
    if len(m) <= max_rows:
        return m
    totals = m.sum(axis=1).to_numpy(float)
    order = np.lexsort((np.arange(len(m)), -totals))  # most pain first, then file order
    keep = np.sort(order[: max_rows - 1])
    rest = np.sort(order[max_rows - 1:])
    others = pd.DataFrame([m.iloc[rest].sum(axis=0).to_numpy(float)], columns=m.columns,
                          index=pd.Index([OTHERS], name=m.index.name))
    return pd.concat([m.iloc[keep], others])


def pain_heatmap(ws: Workshop, *, max_personas: int = MAX_PERSONAS) -> Figure:
    """Weighted pain per persona × stage, every cell annotated, with stage totals underneath.

    ``*`` pain points are shared out by persona weight (module docstring); ``fig._jt_data`` is the
    matrix (:func:`pain_matrix`). A map of more than ``max_personas`` personas draws the
    ``max_personas - 1`` with most pain and one row for all the others (``top_rows``; the drawn
    matrix is ``fig._jt_shown``); stage totals are the same either way.

    >>> fig = pain_heatmap(jt.load("workshops/luggage-store"))   # doctest: +SKIP
    """
    theme = theme_for(ws)
    full = pain_matrix(ws)
    m = top_rows(full, max_personas)
    hidden = len(full) - (len(m) - 1) if len(m) < len(full) else 0
    nr, nc = m.shape
    with theme.context():
        col_w = 1.15 if nc <= 10 else 0.9
        row_h = 0.42
        width = max(7.5, col_w * nc + 3.6)
        height = max(3.2, row_h * (nr + 1) + 2.3)
        fig = new_figure(theme, width, height, layout="constrained")
        if not nr or not nc:
            ax = fig.add_subplot()
            empty_axes(ax)
            note(ax, "No personas to show" if not nr else "No stages to show", theme)
            ax.set_title(f"Pain by persona and stage — {clean(ws.title)}", color=theme.accent)
            fig._jt_data = full  # type: ignore[attr-defined]  # chart metadata on the Figure
            fig._jt_shown = m  # type: ignore[attr-defined]  # chart metadata on the Figure
            fig._jt_alt = "Pain heatmap with no data."  # type: ignore[attr-defined]  # chart metadata on the Figure
            return fig
        import seaborn as sns  # lazily: `import journeytools` stays light

        gs = fig.add_gridspec(2, 2, height_ratios=[nr, 1.15], width_ratios=[40, 1])
        ax = fig.add_subplot(gs[0, 0])
        axt = fig.add_subplot(gs[1, 0])
        cax = fig.add_subplot(gs[0, 1])
        vmax = max(float(m.to_numpy().max()), 1.0)
        norm = Normalize(0.0, vmax)
        values = m.to_numpy(float)
        cmap = theme.pain_cmap
        size = 8 if nc <= 12 else 7
        labels = np.array([[_one_decimal(v) for v in row] for row in values], dtype=object)
        sns.heatmap(m, ax=ax, cmap=cmap, vmin=0.0, vmax=vmax, mask=values <= 0.0, annot=labels,
                    fmt="", annot_kws={"fontsize": size}, linewidths=1.6, linecolor="#FFFFFF",
                    cbar_ax=cax, cbar_kws={"label": "weighted pain"}, square=False)
        ax.collections[0].set_gid("pain-cells")
        # seaborn annotates the non-zero cells (its own text colour); name them, colour them by
        # the theme's contrast rule, and mark empty cells with a dash
        for t in ax.texts:
            x, y = t.get_position()
            i, j = int(y), int(x)
            key = "others" if m.index[i] == OTHERS and hidden else f"cell:{m.index[i]}"
            t.set_gid(f"{key}:{m.columns[j]}")
            t.set_color(text_on(cmap(norm(values[i, j]))))
        for i, j in zip(*np.nonzero(values <= 0.0)):
            key = "others" if m.index[i] == OTHERS and hidden else f"cell:{m.index[i]}"
            ax.text(j + 0.5, i + 0.5, "–", ha="center", va="center", fontsize=size, color="#C8C8C8",
                    gid=f"{key}:{m.columns[j]}")
        weights = scoring.persona_weights(ws)
        ax.set_yticks(np.arange(nr) + 0.5)
        ax.set_yticklabels([f"{hidden:,} more personas" if p == OTHERS and hidden else
                            _persona_label(ws, p, weights) for p in m.index], fontsize=8.5,
                           rotation=0, va="center")
        ax.tick_params(axis="x", labelbottom=False, labeltop=True, rotation=0)
        ax.tick_params(which="both", length=0)
        ax.set_xticks(np.arange(nc) + 0.5)
        ax.set_xticklabels(_stage_labels(ws, (width - 3.4) / nc, 8.5), fontsize=8.5)
        ax.set_xlabel("")
        ax.set_ylabel("")
        # totals row = scoring.stage_pain
        sp = scoring.stage_pain(ws)
        totals = sp["pain"].to_numpy(float)
        hot = scoring.hottest_stage(ws)
        tnorm = Normalize(0.0, max(float(totals.max()), 1.0))
        grey = LinearSegmentedColormap.from_list("jt_total", ["#FFFFFF", "#9E9E9E"])
        tlabels = np.array([[_one_decimal(v) if v > 0 else "0" for v in totals]], dtype=object)
        sns.heatmap(totals[None, :], ax=axt, cmap=grey, vmin=0.0, vmax=tnorm.vmax, annot=tlabels,
                    fmt="", annot_kws={"fontsize": size + 0.5, "weight": "bold"}, linewidths=1.6,
                    linecolor="#FFFFFF", cbar=False)
        axt.collections[0].set_gid("total-cells")
        for t in axt.texts:
            j = int(t.get_position()[0])
            t.set_gid(f"total:{sp['id'].iloc[j]}")
            t.set_color(text_on(grey(tnorm(totals[j]))))
        for j, v in enumerate(totals):
            if hot is not None and sp["id"].iloc[j] == hot and v > 0:
                axt.add_patch(Rectangle((j + 0.03, 0.03), 0.94, 0.94, fill=False, ec=theme.strong,
                                        lw=2.2, gid="hottest", clip_on=False))
        axt.set_yticks([0.5])
        axt.set_yticklabels(["All personas"], fontsize=8.5, weight="bold", rotation=0, va="center")
        axt.set_xticks([])
        axt.tick_params(which="both", length=0)
        axt.set_xlabel("hottest stage outlined" if hot is not None and totals.max() > 0 else "",
                       fontsize=7.5, color=theme.muted, loc="right")
        sm = ax.collections[0].colorbar
        assert sm is not None
        sm.set_label("weighted pain", fontsize=8)
        sm.ax.tick_params(labelsize=7.5)
        sm.outline.set_visible(False)
        title = "\n".join(wrap(f"Pain by persona and stage — {clean(ws.title)}", (width - 0.6) * 72,
                               theme.font_size + 3, weight="bold", max_lines=1))
        fig.suptitle(title, color=theme.strong, x=0.01, ha="left", fontsize=theme.font_size + 3,
                     weight="bold")
    fig._jt_data = full  # type: ignore[attr-defined]  # chart metadata on the Figure
    fig._jt_shown = m  # type: ignore[attr-defined]  # chart metadata on the Figure
    every = full.to_numpy(float)
    parts = [f"Heatmap of weighted pain for {len(full)} personas across {nc} stages" +
             (f" (the {nr - 1} with most pain; the other {hidden:,} together in one row)." if hidden else ".")]
    if every.max() > 0:
        row, col = np.unravel_index(int(np.argmax(every)), every.shape)
        parts.append(f"Most pain: {ws.persona_name(full.index[row])} in {ws.stages[col].name} "
                     f"({fmt_number(every[row, col])}).")
        if hot is not None:
            parts.append(f"Hottest stage overall: {dict((s.id, s.name) for s in ws.stages)[hot]} "
                         f"({fmt_number(float(sp.set_index('id')['pain'][hot]))}).")
    else:
        parts.append("No pain points recorded.")
    fig._jt_alt = " ".join(parts)  # type: ignore[attr-defined]  # chart metadata on the Figure
    return fig


def _one_decimal(v: float) -> str:
    """Cell label: whole numbers as such, others with one decimal (6.67 → 6.7)."""
    r = round(float(v), 1)
    return fmt_number(r) if r >= 100 or r.is_integer() else f"{r:.1f}"


def _persona_label(ws: Workshop, pid: str, weights: pd.Series) -> str:
    w = float(weights.get(pid, 1.0))
    name = ws.persona_name(pid) + (f"  ×{fmt_number(w)}" if w != 1.0 else "")
    return "\n".join(wrap(name, 165, 8.5, max_lines=2))


NO_CHANNEL = "(no channel)"


def coverage_matrix(ws: Workshop) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Touchpoints per channel (rows) × stage (columns), and the channels personas use that no
    touchpoint serves (channel → persona names; these rows are all zero)."""
    tp = ws.touchpoints
    stages = ws.stage_ids
    if len(tp):
        ch = (tp["channel"] if "channel" in tp.columns else pd.Series([""] * len(tp), index=tp.index))
        ch = ch.fillna("").astype(str).str.strip().str.lower().replace("", NO_CHANNEL)
        counts = pd.crosstab(ch.to_numpy(), tp["stage"].astype(str).to_numpy())
    else:
        counts = pd.DataFrame()
    counts = counts.reindex(columns=stages, fill_value=0)
    if len(counts):
        key = pd.DataFrame({"total": -counts.sum(axis=1), "name": counts.index})
        counts = counts.loc[key.sort_values(["total", "name"], kind="mergesort").index]
    served = set(counts.index) - {NO_CHANNEL}
    unserved: dict[str, list[str]] = {}
    for _, p in ws.personas.iterrows():
        for c in scoring.split_list(p.get("channels", "")):
            c = c.lower()
            if c not in served:
                names = unserved.setdefault(c, [])
                if str(p["name"]) not in names:
                    names.append(str(p["name"]))
    for c in sorted(unserved):
        counts.loc[c] = 0
    counts = counts.astype(int)
    counts.index.name, counts.columns.name = "channel", "stage"
    return counts, unserved


def channel_coverage(ws: Workshop) -> Figure:
    """How many touchpoints each channel has in each stage; gaps highlighted: stages without any
    touchpoint (hatched columns) and channels personas use that no touchpoint serves (red rows).

    ``fig._jt_data`` is the count matrix; ``fig._jt_gaps`` the gaps shown.

    >>> fig = channel_coverage(jt.load("workshops/luggage-store"))   # doctest: +SKIP
    """
    theme = theme_for(ws)
    m, unserved = coverage_matrix(ws)
    nr, nc = m.shape
    gap_stages = [g.id for g in scoring.gaps(ws) if g.kind == "stage_without_touchpoint"]
    gaps = {"stages": gap_stages, "channels": unserved}
    with theme.context():
        col_w = 1.15 if nc <= 10 else 0.9
        width = max(7.5, col_w * nc + 4.2)
        height = max(3.2, 0.36 * nr + 2.3)
        fig = new_figure(theme, width, height, layout="constrained")
        ax = fig.add_subplot()
        title = "\n".join(wrap(f"Channel coverage — {clean(ws.title)}", (width - 0.6) * 72,
                               theme.font_size + 3, weight="bold", max_lines=1))
        fig.suptitle(title, color=theme.accent, x=0.01, ha="left", fontsize=theme.font_size + 3,
                     weight="bold")
        if not nr or not nc:
            empty_axes(ax)
            note(ax, "No touchpoints to show" if nc else "No stages to show", theme)
            fig._jt_data = m  # type: ignore[attr-defined]  # chart metadata on the Figure
            fig._jt_gaps = gaps  # type: ignore[attr-defined]  # chart metadata on the Figure
            alt = "Channel coverage chart with no touchpoints."
            fig._jt_alt = alt  # type: ignore[attr-defined]  # chart metadata on the Figure
            return fig
        values = m.to_numpy(float)
        vmax = max(float(values.max()), 1.0)
        cmap = LinearSegmentedColormap.from_list("jt_cover", ["#FFFFFF", tint(theme.accent, 0.55),
                                                              theme.accent])
        norm = Normalize(0.0, vmax)
        ax.imshow(values, cmap=cmap, norm=norm, aspect="auto", interpolation="nearest",
                  gid="coverage-cells")
        _grid(ax, nr, nc)
        for i in range(nr):
            for j in range(nc):
                v = int(values[i, j])
                if v:
                    ax.text(j, i, str(v), ha="center", va="center", fontsize=8.5,
                            color=text_on(cmap(norm(v))), weight="bold",
                            gid=f"cell:{m.index[i]}:{m.columns[j]}")
        for j, sid in enumerate(m.columns):
            if sid in gap_stages:
                ax.add_patch(Rectangle((j - 0.5, -0.5), 1, nr, fill=False, hatch="///", ec="#D55E00",
                                       lw=0, zorder=2, gid=f"gap-stage:{sid}"))
                ax.add_patch(Rectangle((j - 0.5, -0.5), 1, nr, fill=False, ec="#D55E00", lw=1.8,
                                       zorder=3))
        labels = []
        for i, ch in enumerate(m.index):
            if ch in unserved:
                ax.add_patch(Rectangle((-0.5, i - 0.5), nc, 1, fc="#D55E00", alpha=0.10, ec="#D55E00",
                                       lw=1.2, zorder=2, gid=f"gap-channel:{ch}"))
                who = ", ".join(unserved[ch])
                labels.append("\n".join(wrap(f"{ch} — not served ({who})", 190, 8.5, max_lines=2)))
            else:
                labels.append("\n".join(wrap(ch, 190, 8.5, max_lines=1)))
        ax.set_yticks(range(nr))
        ax.set_yticklabels(labels, fontsize=8.5)
        for t, ch in zip(ax.get_yticklabels(), m.index):
            if ch in unserved:
                t.set_color("#B34700")
        ax.set_xticks(range(nc))
        stage_labels = _stage_labels(ws, (width - 4.0) / nc, 8.5)
        ax.set_xticklabels([lab + ("\n(no touchpoint)" if sid in gap_stages else "")
                            for lab, sid in zip(stage_labels, m.columns)], fontsize=8.5)
        for t, sid in zip(ax.get_xticklabels(), m.columns):
            if sid in gap_stages:
                t.set_color("#B34700")
        ax.tick_params(axis="x", labelbottom=False, labeltop=True)
        ax.set_xlabel("touchpoints per channel and stage · red: gaps (stage without touchpoint, "
                      "channel a persona uses but no touchpoint serves)", fontsize=7.5,
                      color=theme.muted, loc="left")
    fig._jt_data = m  # type: ignore[attr-defined]  # chart metadata on the Figure
    fig._jt_gaps = gaps  # type: ignore[attr-defined]  # chart metadata on the Figure
    names = {s.id: s.name for s in ws.stages}
    parts = [f"Touchpoint counts for {nr} channels across {nc} stages ({int(values.sum())} touchpoints)."]
    if gap_stages:
        parts.append("Stages without a touchpoint: " + ", ".join(names[s] for s in gap_stages) + ".")
    if unserved:
        parts.append("Channels personas use but no touchpoint serves: " + "; ".join(
            f"{c} ({', '.join(v)})" for c, v in sorted(unserved.items())) + ".")
    fig._jt_alt = " ".join(parts)  # type: ignore[attr-defined]  # chart metadata on the Figure
    return fig
