"""Distribution of pain scores: the weighted pain of every pain point, by stage (seaborn).

A stage's total (the heatmap's "All personas" row) can come from one severe, frequent pain
point or from many small ones; the consultant needs to tell which. Each stage shows a box
(median, quartiles) with every pain point as a dot, and its count and total above it.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import scoring
from ..model.workshop import Workshop
from ._draw import empty_axes, note
from ._text import clean, fmt_number, shorten, wrap
from .theme import new_figure, theme_for, tint

DATA_COLUMNS = ["id", "description", "persona", "stage", "stage_name", "touchpoint", "pain_score",
                "weighted_pain"]
JITTER_SEED = 20261  # the strip's jitter is random in seaborn: fixed, so files are reproducible


def score_distribution(ws: Workshop) -> Figure:
    """Weighted pain of each pain point by stage (journey order): box + dots, count and total
    per stage (totals equal ``scoring.stage_pain``; the hottest stage in bold).

    ``fig._jt_data``: one row per pain point (``id``, ``persona``, ``stage``, ``stage_name``,
    ``touchpoint``, ``pain_score``, ``weighted_pain``); ``fig._jt_summary``: per stage ``count``,
    ``median``, ``total``.

    >>> fig = score_distribution(jt.load("workshops/luggage-store"))   # doctest: +SKIP
    """
    import seaborn as sns  # lazily: `import journeytools` stays light

    theme = theme_for(ws)
    stages = ws.stages
    names = {s.id: s.name for s in stages}
    pains = scoring.pain_table(ws)
    if len(pains):
        pains = pains[pains["stage"].isin(names)]
    data = pd.DataFrame({
        "id": pains["id"].astype(str).to_numpy() if len(pains) else [],
        "description": pains["description"].map(clean).to_numpy() if len(pains) else [],
        "persona": pains["persona"].astype(str).to_numpy() if len(pains) else [],
        "stage": pains["stage"].astype(str).to_numpy() if len(pains) else [],
        "stage_name": [names[s] for s in pains["stage"]] if len(pains) else [],
        "touchpoint": pains["touchpoint"].astype(str).to_numpy() if len(pains) else [],
        "pain_score": pains["pain_score"].astype(float).to_numpy() if len(pains) else [],
        "weighted_pain": pains["weighted_pain"].astype(float).to_numpy() if len(pains) else [],
    }, columns=DATA_COLUMNS)
    grouped = data.groupby("stage")["weighted_pain"]
    summary = pd.DataFrame({
        "stage": [s.id for s in stages], "name": [s.name for s in stages],
        "count": [int(grouped.size().get(s.id, 0)) for s in stages],
        "median": [float(grouped.median().get(s.id, np.nan)) for s in stages],
        "total": [float(grouped.sum().get(s.id, 0.0)) for s in stages],
    })
    hot = scoring.hottest_stage(ws)
    ns = max(len(stages), 1)
    width = max(7.5, 1.2 * ns + 1.8)
    with theme.context():
        fig = new_figure(theme, width, 4.6, layout="constrained")
        ax = fig.add_subplot()
        title = "\n".join(wrap(f"Pain scores by stage — {clean(ws.title)}", (width - 0.5) * 72,
                               theme.font_size + 3, weight="bold", max_lines=1))
        ax.set_title(title, color=theme.strong, pad=32)
        if not len(data) or not stages:
            empty_axes(ax)
            note(ax, "No stages to show" if not stages else "No pain points to show", theme,
                 gid="empty-note")
        else:
            order = [s.id for s in stages]
            with warnings.catch_warnings():  # seaborn 0.13 passes bxp(vert=…), deprecated in mpl 3.11
                warnings.filterwarnings("ignore", message=".*vert: bool.*")
                sns.boxplot(data=data, x="stage", y="weighted_pain", order=order, ax=ax, width=0.55,
                            color=tint(theme.strong, 0.82), linecolor=theme.muted, linewidth=0.9,
                            fliersize=0, whis=(0, 100))
            for k, patch in enumerate(ax.patches):
                patch.set_gid(f"box:{order[k]}" if k < len(order) else None)
            state = np.random.get_state()  # seaborn jitters with numpy's global generator
            try:
                np.random.seed(JITTER_SEED)
                sns.stripplot(data=data, x="stage", y="weighted_pain", order=order, ax=ax,
                              color=theme.strong, size=4.5, alpha=0.75, jitter=0.18,
                              edgecolor="white", linewidth=0.4, zorder=3)
            finally:
                np.random.set_state(state)
            for c in ax.collections:
                xy = np.asarray(c.get_offsets(), dtype=float)
                if len(xy):
                    c.set_gid(f"pains:{order[int(round(float(xy[0, 0])))]}")
            ymax = max(float(data["weighted_pain"].max()), 1.0)
            ax.set_ylim(0, ymax * 1.08)
            for i, r in enumerate(summary.itertuples()):
                label = (f"{r.count} pain point{'s' if r.count != 1 else ''}\ntotal {fmt_number(r.total)}"
                         if r.count else "no pain points")
                ax.text(i, 1.0, label, transform=ax.get_xaxis_transform(), ha="center", va="bottom",
                        fontsize=theme.font_size - 1, color=theme.ink if r.count else theme.muted,
                        weight="bold" if r.stage == hot and r.count else "normal", gid=f"total:{r.stage}")
            band_pt = (width - 1.5) / ns * 72 - 6
            ax.set_xticks(range(len(stages)))
            ax.set_xticklabels(["\n".join(wrap(s.name, band_pt, theme.font_size, max_lines=2))
                                for s in stages], fontsize=theme.font_size)
            ax.tick_params(axis="x", length=0)
            ax.set_xlabel("")
            ax.set_ylabel("weighted pain (severity × frequency × weight + votes)")
            ax.grid(axis="y", color=theme.grid, lw=0.6)
            ax.set_axisbelow(True)
    fig._jt_data = data  # type: ignore[attr-defined]  # chart metadata on the Figure
    fig._jt_summary = summary  # type: ignore[attr-defined]  # chart metadata on the Figure
    fig._jt_alt = _alt(ws, data, summary, hot)  # type: ignore[attr-defined]  # chart metadata on the Figure
    return fig


def _alt(ws: Workshop, data: pd.DataFrame, summary: pd.DataFrame, hot: str | None) -> str:
    if not len(data):
        return f"Pain score distribution across {len(ws.stages)} stages with no pain points."
    parts = [f"Weighted pain of {len(data)} pain points by stage, across {len(ws.stages)} stages."]
    parts.append("Per stage (count, median, total): " + "; ".join(
        f"{r.name} {r.count}, {fmt_number(r.median)}, {fmt_number(r.total)}" if r.count else f"{r.name} none"
        for r in summary.itertuples()) + ".")
    top = data.loc[data["weighted_pain"].idxmax()]
    parts.append(f"Highest single pain point: “{shorten(top['description'], 80)}” in {top['stage_name']} "
                 f"({fmt_number(float(top['weighted_pain']))}).")
    if hot is not None:
        parts.append(f"Hottest stage overall: {dict(zip(summary['stage'], summary['name']))[hot]}.")
    return " ".join(parts)
