"""Prioritising opportunities: the impact/effort matrix and the RICE ranking.

Both read ``scoring.opportunity_table``; the matrix's split lines are ``scoring.medians`` over
the whole map's scored opportunities, so point colours always equal the table's ``quadrant``
(also when the chart shows one persona's subset).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from .. import scoring
from ..model.workshop import Workshop
from ..scoring import opportunity_table as opportunities
from ._draw import LABEL_GAP_PT, empty_axes, line_paths, place_labels, point_boxes, readable, renderer
from ._draw import note as empty_note
from ._text import clean, fmt_number, shorten, wrap
from .theme import Theme, new_figure, theme_for

MIN_SIZE, MAX_SIZE = 70.0, 1100.0  # marker area (pt²) for no relief … the map's largest relief
# A big map stays legible (and quick: label placement grows with labels × points): the matrix
# draws the top ``MAX_POINTS`` scored opportunities by RICE and names the top ``MAX_LABELS``;
# a note counts the rest (the ranking table and the exports list them all).
MAX_POINTS = 200
MAX_LABELS = 20
ALT_TITLES = 12  # opportunity titles named per quadrant in the alt text

# What each quadrant means, in the key next to the matrix (SPEC §3).
MEANINGS = {
    "quick win": "high value, low effort: do first",
    "big bet": "high value, high effort: plan and fund",
    "fill-in": "low value, low effort: when there is slack",
    "money pit": "low value, high effort: rethink or drop",
}
KEY_WIDTH_PT = 150.0  # the key's text column
MARGIN = 0.04  # of the axis range, left of effort 0 (and 1.5 times that below value 0)

# Corner of the axes where each quadrant's name goes: (x, y, ha, va) in axes fraction.
CORNERS = {
    "quick win": (0.012, 0.985, "left", "top"),
    "big bet": (0.988, 0.985, "right", "top"),
    "fill-in": (0.012, 0.015, "left", "bottom"),
    "money pit": (0.988, 0.015, "right", "bottom"),
}


def _title(ws: Workshop, what: str, persona: str | None) -> str:
    who = f" — {ws.persona_name(persona)}" if persona else ""
    return f"{what}{who}"


def _unscored_note(opps: pd.DataFrame, width_in: float) -> str:
    un = opps[~opps["scored"]] if len(opps) else opps
    if not len(un):
        return ""
    items = [f"{shorten(r['title'], 40)} (no {', '.join(r['missing'])})" for _, r in un.head(12).iterrows()]
    if len(un) > 12:
        items.append(f"and {len(un) - 12:,} more")
    return "\n".join(wrap("Unscored, not shown: " + "; ".join(items), width_in * 72, 7.5, max_lines=3))


def _cap_note(total: int, shown: int, labelled: int) -> str:
    """What a capped matrix leaves out ('' when it shows and names every scored opportunity)."""
    if shown < total:
        return (f"Showing the top {shown:,} of {total:,} scored opportunities by RICE, the top {labelled:,} "
                f"named; the ranking lists all {total:,}.")
    if labelled < shown:
        return f"Names on the top {labelled:,} of {shown:,} by RICE; the ranking lists all."
    return ""


def _capped(items: list[str], limit: int) -> str:
    more = len(items) - limit
    return ", ".join(items[:limit]) + (f" and {more:,} more" if more > 0 else "")


def point_size(pain_relieved: pd.Series | np.ndarray, largest: float) -> np.ndarray:
    """Marker area for pain relieved, scaled to the map's largest relief."""
    pr = np.asarray(pain_relieved, float)
    return MIN_SIZE + (MAX_SIZE - MIN_SIZE) * np.clip(pr / max(largest, 1e-9), 0, 1)


def priority_matrix(ws: Workshop, persona: str | None = None, *, max_points: int = MAX_POINTS,
                    max_labels: int = MAX_LABELS) -> Figure:
    """Impact/effort matrix: each scored opportunity at (effort, value = reach × impact ×
    confidence), sized by pain relieved, coloured by its quadrant, split at the medians.

    On a big map only the top ``max_points`` by RICE are drawn and the top ``max_labels`` named,
    with a note counting the rest; medians, quadrants and sizes are still those of the whole map.

    ``fig._jt_data`` holds the plotted points (id, title, effort, value, pain_relieved, quadrant,
    size), ``fig._jt_medians`` the (value, effort) split and ``fig._jt_total`` the number of
    scored opportunities (drawn or not).

    >>> fig = priority_matrix(jt.load("workshops/luggage-store"))   # doctest: +SKIP
    """
    theme = theme_for(ws)
    every = scoring.opportunity_table(ws)
    opps = opportunities(ws, persona) if persona else every
    mv, me = scoring.medians(every) if len(every) else (float("nan"), float("nan"))
    largest = float(every["pain_relieved"].max()) if len(every) else 0.0
    scored = opps[opps["scored"]] if len(opps) else opps
    total = len(scored)
    pts = scored.head(max(int(max_points), 0)).copy()  # ranked by RICE: the top ones
    named = set(pts["id"].head(max(int(max_labels), 0))) if len(pts) else set()
    pts["size"] = point_size(pts["pain_relieved"], largest) if len(pts) else []
    if len(pts):  # big points first, so small ones stay visible on top
        pts = pts.sort_values(["size", "id"], ascending=[False, True], kind="mergesort")
    with theme.context():
        fig = new_figure(theme, 10.0, 7.2, layout="constrained")
        ax = fig.add_subplot()
        ax.set_title("\n".join(wrap(_title(ws, "Impact / effort", persona), 9.5 * 72,
                                    theme.font_size + 3, weight="bold", max_lines=1)),
                     color=theme.strong, pad=10)
        note = _unscored_note(opps, 9.4)
        if not len(pts):
            empty_axes(ax)
            empty_note(ax, "No scored opportunities yet", theme, gid="empty-note")
            if note:
                fig.text(0.01, 0.01, note, fontsize=7.5, color=theme.muted, va="bottom")
            _attach_matrix(fig, ws, pts, mv, me, persona, total)
            return fig
        cap = _cap_note(total, len(pts), len(named))
        if cap:
            note = "\n".join(x for x in ("\n".join(wrap(cap, 9.4 * 72, 7.5, max_lines=1)), note) if x)
        x, y = pts["effort"].to_numpy(float), pts["value"].to_numpy(float)
        xmax = max(float(np.nanmax(x)), me if me == me else 0.0) * 1.18
        ymax = max(float(np.nanmax(y)), mv if mv == mv else 0.0) * 1.18
        xmax, ymax = xmax or 1.0, ymax or 1.0
        # a margin below and left of 0: the quadrant names in the corners and the labels of
        # points near the origin get room of their own
        x0, y0 = -xmax * MARGIN, -ymax * MARGIN * 1.5
        ax.set_xlim(x0, xmax)
        ax.set_ylim(y0, ymax)
        _quadrant_backgrounds(ax, theme, me, mv, (x0, y0, xmax, ymax))
        colors = [theme.quadrant_color(q) for q in pts["quadrant"]]
        sc = ax.scatter(x, y, s=pts["size"].to_numpy(float), c=colors, alpha=0.9, edgecolors="white",
                        linewidths=1.2, zorder=4)
        sc.set_gid("opportunities")
        ax.set_xlabel("Effort (person-months) →")
        ax.set_ylabel("Value = reach × impact × confidence →")
        ax.yaxis.set_major_formatter(lambda v, _: fmt_number(v))
        ax.grid(color=theme.grid, lw=0.6, zorder=0)
        names = []
        for q, (cx, cy, ha, va) in CORNERS.items():
            names.append(ax.text(cx, cy, q.upper(), transform=ax.transAxes, ha=ha, va=va, fontsize=10,
                                 weight="bold", color=readable(theme.quadrant_color(q)), zorder=2,
                                 gid=f"quadrant:{q}"))
        handles = [Line2D([], [], ls="none", marker="o", ms=np.sqrt(point_size([v], largest)[0]),
                          mfc="#BDBDBD", mec="white", label=f"{fmt_number(v)}")
                   for v in _size_steps(largest)]
        if handles:
            leg = ax.legend(handles=handles, title="pain relieved\n(bubble size)", loc="upper left",
                            bbox_to_anchor=(1.01, 1.0), fontsize=8, title_fontsize=8,
                            labelspacing=2.4, borderpad=1.0, handletextpad=1.4, alignment="left")
            leg.set_gid("size-legend")
            ax.add_artist(leg)  # the quadrant key is a second legend
        _quadrant_key(ax, theme, me, mv, len(every[every["scored"]]) if len(every) else 0)
        if me == me and mv == mv:
            names.append(ax.annotate(f"median effort {fmt_number(me)}", (me, ymax), xytext=(3, -3),
                                     textcoords="offset points", fontsize=7, color=theme.muted,
                                     va="top", ha="left", zorder=2))
            names.append(ax.annotate(f"median value {fmt_number(mv)}", (xmax, mv), xytext=(-3, 3),
                                     textcoords="offset points", fontsize=7, color=theme.muted,
                                     va="bottom", ha="right", zorder=2))
        if note:
            fig.text(0.01, 0.005, note, fontsize=7.5, color=theme.muted, va="bottom")
            _constrained(fig).set(h_pad=0.35 if note.count("\n") < 3 else 0.48)  # 3 or 4 lines
        engine = fig.get_layout_engine()
        if engine is not None:
            engine.execute(fig)
        fig.set_layout_engine("none")
        rend = renderer(fig)
        obstacles = point_boxes(ax, x, y, np.sqrt(pts["size"].to_numpy(float)) / 2, fig)
        keep = [t.get_window_extent(rend).padded(LABEL_GAP_PT * fig.dpi / 72) for t in names]
        # placed in rank order: the highest-ranked get the best spots
        ranked = pts[pts["id"].isin(named)].sort_values("rank", kind="mergesort")
        items = [{"x": r["effort"], "y": r["value"], "radius": float(np.sqrt(r["size"]) / 2 + 3),
                  "text": _point_label(r), "gid": f"label:{r['id']}"}
                 for _, r in ranked.iterrows()]
        place_labels(fig, ax, items, obstacles, fontsize=7.5, lines=line_paths(ax), clear=keep)
    _attach_matrix(fig, ws, pts, mv, me, persona, total)
    return fig


def _point_label(r: pd.Series) -> str:
    """A point's label: its RICE rank and its title, wrapped (the key explains the rank)."""
    rank = f"{int(r['rank'])}. " if pd.notna(r.get("rank")) else ""
    return "\n".join(wrap(f"{rank}{clean(r['title'])}", 125, 7.5, max_lines=3))


def quadrant_key_text(me: float, mv: float, n: int) -> list[str]:
    """The lines under the quadrant key: where the split is and what the numbers are."""
    split = (f"Dashed lines: the medians of the map's {n:,} scored opportunities (effort "
             f"{fmt_number(me)}, value {fmt_number(mv)}); a point on a line counts as high.")
    rank = ("Numbers: rank by RICE, value ÷ effort, so a fill-in that costs little can rank "
            "above a big bet.")
    return ["\n".join(wrap(t, KEY_WIDTH_PT, 7.5)) for t in (split, rank)]


def _quadrant_key(ax: Axes, theme: Theme, me: float, mv: float, n: int) -> None:
    """The key right of the matrix: each quadrant's colour, name and meaning, and how the
    split and the numbers are made."""
    handles = [Patch(facecolor=theme.quadrant_color(q), edgecolor="none",
                     label="\n".join(wrap(f"{q.capitalize()} — {MEANINGS[q]}", KEY_WIDTH_PT, 7.5)))
               for q in scoring.QUADRANTS]
    if me == me and mv == mv:
        handles += [Patch(facecolor="none", edgecolor="none", label=t) for t in quadrant_key_text(me, mv, n)]
    key = ax.legend(handles=handles, title="Quadrants", loc="lower left", bbox_to_anchor=(1.01, 0.0),
                    fontsize=7.5, title_fontsize=8, alignment="left", handlelength=1.2,
                    handletextpad=0.6, labelspacing=0.7, borderpad=0.4)
    key.set_gid("quadrant-key")


def _constrained(fig: Figure) -> ConstrainedLayoutEngine:
    """The layout engine of a figure made with ``layout="constrained"`` (it has pads to set)."""
    engine = fig.get_layout_engine()
    assert isinstance(engine, ConstrainedLayoutEngine), engine
    return engine


def _size_steps(largest: float) -> list[float]:
    if largest <= 0:
        return []
    top = float(f"{largest:.1g}") if largest >= 1 else largest
    steps = sorted({round(top / 4, 1), round(top / 2, 1), top})
    return [s for s in steps if s > 0]


def _quadrant_backgrounds(ax: Axes, theme: Theme, me: float, mv: float,
                          limits: tuple[float, float, float, float]) -> None:
    if me != me or mv != mv:
        return
    left, bottom, right, top = limits
    regions = {"quick win": (left, mv, me, top), "big bet": (me, mv, right, top),
               "fill-in": (left, bottom, me, mv), "money pit": (me, bottom, right, mv)}
    for q, (x0, y0, x1, y1) in regions.items():
        if x1 > x0 and y1 > y0:
            ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fc=theme.quadrant_color(q), alpha=0.07,
                                   ec="none", zorder=0.5, gid=f"region:{q}"))
    ax.axvline(me, color="#7A7A7A", lw=1.0, ls=(0, (5, 3)), zorder=1, gid="median-effort")
    ax.axhline(mv, color="#7A7A7A", lw=1.0, ls=(0, (5, 3)), zorder=1, gid="median-value")


def _attach_matrix(fig: Figure, ws: Workshop, pts: pd.DataFrame, mv: float, me: float,
                   persona: str | None, total: int) -> None:
    cols = ["id", "title", "effort", "value", "rice", "pain_relieved", "quadrant", "size"]
    data = pts.reindex(columns=cols).reset_index(drop=True)
    fig._jt_data = data  # type: ignore[attr-defined]  # chart metadata on the Figure
    fig._jt_medians = (mv, me)  # type: ignore[attr-defined]  # chart metadata on the Figure
    fig._jt_total = total  # type: ignore[attr-defined]  # chart metadata on the Figure
    who = f" for {ws.persona_name(persona)}" if persona else ""
    if not len(data):
        alt = f"Impact/effort matrix{who} with no scored opportunities."
        fig._jt_alt = alt  # type: ignore[attr-defined]  # chart metadata on the Figure
        return
    count = (f"{len(data):,} scored opportunities" if len(data) == total
             else f"the top {len(data):,} of {total:,} scored opportunities by RICE")
    parts = [f"Impact/effort matrix{who}: {count}; effort on the x axis, "
             f"value (reach × impact × confidence) on the y axis, split at the medians "
             f"(effort {fmt_number(me)}, value {fmt_number(mv)})."]
    for q in scoring.QUADRANTS:
        titles = data.loc[data["quadrant"] == q, "title"].astype(str).tolist()
        if titles:
            parts.append(f"{q.capitalize()}: {_capped(titles, ALT_TITLES)}.")
    fig._jt_alt = " ".join(parts)  # type: ignore[attr-defined]  # chart metadata on the Figure


def opportunity_ranking(ws: Workshop, persona: str | None = None, top: int = 10) -> Figure:
    """The ``top`` scored opportunities by RICE (ties: votes, then id), coloured by quadrant,
    with votes noted. ``fig._jt_data`` holds the bars in rank order.

    >>> fig = opportunity_ranking(jt.load("workshops/luggage-store"), top=5)   # doctest: +SKIP
    """
    theme = theme_for(ws)
    opps = opportunities(ws, persona)
    scored = opps[opps["scored"]].head(max(int(top), 0)) if len(opps) else opps
    n = len(scored)
    with theme.context():
        height = max(3.0, 0.5 * n + 2.0)
        fig = new_figure(theme, 10.0, height, layout="constrained")
        ax = fig.add_subplot()
        title = _title(ws, "Top opportunities by RICE", persona)
        ax.set_title("\n".join(wrap(title, 9.5 * 72, theme.font_size + 3, weight="bold", max_lines=1)),
                     color=theme.strong, pad=10)
        note = _unscored_note(opps, 9.4)
        if n:
            rice = scored["rice"].to_numpy(float)
            ypos = np.arange(n)
            colors = [theme.quadrant_color(q) for q in scored["quadrant"]]
            bars = ax.barh(ypos, rice, color=colors, height=0.62, zorder=3)
            for b, oid in zip(bars, scored["id"]):
                b.set_gid(f"bar:{oid}")
            ax.set_yticks(ypos)
            ax.set_yticklabels(["\n".join(wrap(f"#{int(r['rank'])}  {clean(r['title'])}", 230, 8.5,
                                               max_lines=2)) for _, r in scored.iterrows()], fontsize=8.5)
            ax.invert_yaxis()
            xmax = float(rice.max()) if rice.max() > 0 else 1.0
            ax.set_xlim(0, xmax * 1.28)
            for i, r in enumerate(scored.itertuples()):
                votes = f"  · {int(r.votes)} vote{'s' if int(r.votes) != 1 else ''}" if int(r.votes) else ""
                ax.text(float(r.rice) + xmax * 0.01, i, f"{fmt_number(float(r.rice))}{votes}",
                        va="center", ha="left", fontsize=8, color=theme.ink, gid=f"value:{r.id}")
            ax.xaxis.set_major_formatter(lambda v, _: fmt_number(v))
            ax.set_xlabel("RICE = reach × impact × confidence ÷ effort")
            ax.grid(axis="x", color=theme.grid, lw=0.6, zorder=0)
            ax.tick_params(axis="y", length=0)
            ax.spines["left"].set_visible(False)
            present = [q for q in scoring.QUADRANTS if q in set(scored["quadrant"])]
            ax.legend(handles=[Patch(color=theme.quadrant_color(q), label=q) for q in present],
                      loc="lower right", fontsize=8, title="quadrant", title_fontsize=8)
        else:
            empty_axes(ax)
            empty_note(ax, "No scored opportunities yet", theme, gid="empty-note")
        if note:
            fig.text(0.01, 0.005, note, fontsize=7.5, color=theme.muted, va="bottom")
            _constrained(fig).set(h_pad=0.3)
    data = scored.reindex(columns=["rank", "id", "title", "rice", "votes", "quadrant"]).reset_index(drop=True)
    fig._jt_data = data  # type: ignore[attr-defined]  # chart metadata on the Figure
    who = f" for {ws.persona_name(persona)}" if persona else ""
    if n:
        alt = (f"Bar chart of the top {n} opportunities{who} by RICE score: " +
               "; ".join(f"{int(r.rank)}. {r.title} ({fmt_number(float(r.rice))}, {r.quadrant})"
                         for r in data.itertuples()) + ".")
    else:
        alt = f"Opportunity ranking{who} with no scored opportunities."
    fig._jt_alt = alt  # type: ignore[attr-defined]  # chart metadata on the Figure
    return fig
