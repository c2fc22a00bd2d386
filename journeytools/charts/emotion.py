"""Emotion curves: one or several personas across the stages, and current vs future state.

Steps sit inside their stage's band in journey order (the same positions as on the journey
map), so curves of personas with different numbers of steps still line up by stage.
Moments of truth (SPEC §3: emotion ≤ 2, or a drop of 2 or more) are ringed and labelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypedDict

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from .. import scoring
from ..model.meta import Stage
from ..model.workshop import Workshop
from ..vocab import ELLIPSIS
from ._draw import LABEL_GAP_PT, draw_faces, line_paths, note, place_labels, point_boxes, readable, renderer
from ._text import clean, fmt_number, fmt_signed, shorten, text_width, wrap
from .theme import EMOTION_LABELS, Theme, new_figure, theme_for

if TYPE_CHECKING:
    from matplotlib.typing import LineStyleType

MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")  # one shape per persona: colour is not the only cue
MAX_LABELS = 24
SMALL_MULTIPLES = 6  # more personas than this: one panel each instead of one crowded axis
FACET_COLUMNS = 5
POINT_COLUMNS = ["persona", "persona_name", "state", "step", "stage", "stage_name", "touchpoint",
                 "touchpoint_name", "emotion", "drop", "moment_of_truth", "delight", "x"]
DELIGHT = "#0B7A3B"  # moments of delight: a green that reads on white (5.6:1)


class _LineStyle(TypedDict):
    """Line keywords of one state's curve in :func:`compare_states`."""

    color: str
    ls: LineStyleType
    lw: float


def persona_points(ws: Workshop, persona: str, stage_index: dict[str, int],
                   dodge: float = 0.0) -> pd.DataFrame:
    """The emotion curve of ``persona`` with an ``x`` position: stage index + slot in the stage.

    Slots count every step of the persona in the stage (also those without an emotion), so the
    positions match the journey map's columns.
    """
    j = scoring.journey(ws, persona)
    j = j[j["stage"].isin(stage_index)].reset_index(drop=True)
    xs = np.zeros(len(j))
    for sid, rows in j.groupby("stage", sort=False):
        k = len(rows)
        for pos, idx in enumerate(rows.index):
            xs[idx] = stage_index[sid] + (pos + 0.5 + dodge) / k
    j["x"] = xs
    j["step"] = np.arange(1, len(j) + 1)
    curve = scoring.emotion_curve(ws, persona)
    curve = curve[curve["stage"].isin(stage_index)].reset_index(drop=True)
    em = j[j["emotion"].notna()].reset_index(drop=True)
    out = curve.copy()
    out["x"] = em["x"].to_numpy() if len(em) == len(curve) else np.nan
    out["step"] = em["step"].to_numpy() if len(em) == len(curve) else 0
    out["persona_name"] = ws.persona_name(persona)
    out["emotion"] = out["emotion"].astype(float)
    out["state"] = ws.state
    return out.reindex(columns=POINT_COLUMNS)


def _personas(ws: Workshop, personas: str | Sequence[str] | None) -> list[str]:
    if personas is None:
        return [str(p) for p in ws.personas["id"]] if len(ws.personas) else []
    if isinstance(personas, str):
        return [personas]
    return [str(p) for p in personas]


def _stage_axis(ax: Axes, stages: list[Stage], theme: Theme, width_in: float) -> None:
    n = max(len(stages), 1)
    for i in range(len(stages)):
        if i % 2 == 0:
            ax.axvspan(i, i + 1, color="#F4F4F4", zorder=0, lw=0)
    band_pt = width_in / n * 72 - 6
    ax.set_xticks([i + 0.5 for i in range(len(stages))])
    ax.set_xticklabels(["\n".join(wrap(s.name, band_pt, theme.font_size, max_lines=2))
                        for s in stages], fontsize=theme.font_size)
    ax.tick_params(axis="x", length=0, pad=6)
    ax.set_xlim(0, n)
    ax.set_ylim(0.35, 5.65)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_yticklabels([f"{e}  {EMOTION_LABELS[e - 1]}" for e in range(1, 6)],
                       fontsize=theme.font_size - 0.5)
    ax.axhline(3, color="#AAAAAA", lw=0.8, ls=(0, (4, 3)), zorder=0.5)
    for e in (1, 2, 4, 5):
        ax.axhline(e, color="#E4E4E4", lw=0.6, zorder=0.4)
    ax.spines["left"].set_visible(False)
    ax.spines["bottom"].set_visible(False)
    ax.tick_params(axis="y", length=0)


def _finish_layout(fig: Figure) -> None:
    """Run the constrained layout once, then freeze it so labels can be placed in display space."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    fig.set_layout_engine("none")


def _mot_label(name: object) -> str:
    return "\n".join(wrap(name, 125, 7.5, max_lines=3))


END_LABEL_SIZE = 8.0
END_LABEL_WIDTH = 110.0  # points: a persona's name at the end of its curve wraps to two lines


def _end_label(name: object) -> str:
    return "\n".join(wrap(name, END_LABEL_WIDTH, END_LABEL_SIZE, weight="bold", max_lines=2))


def _end_margin(names: Sequence[str]) -> float:
    """Inches to the right of the axes for direct labels at the ends of the curves."""
    lines = [line for n in names for line in _end_label(n).split("\n")]
    if not lines:
        return 0.0
    return (max(text_width(t, END_LABEL_SIZE, weight="bold") for t in lines) + 22) / 72


def _label_ends(fig: Figure, ax: Axes, ends: list[dict], points: pd.DataFrame,
                margin_in: float) -> list[Bbox]:
    """Name each curve at its last point (right of it, into the margin kept for it, moved up or
    down with a leader line when names would collide); returns the label boxes."""
    if not ends:
        return []
    rend = renderer(fig)
    frame = ax.get_window_extent(rend)
    frame = Bbox.from_extents(frame.x0, frame.y0, frame.x1 + margin_in * fig.dpi, frame.y1)
    obstacles = point_boxes(ax, points["x"].to_numpy(float), points["emotion"].to_numpy(float), 5.5, fig)
    items = [{**e, "radius": 7.0, "fontsize": END_LABEL_SIZE, "weight": "bold"} for e in ends]
    anns = place_labels(fig, ax, items, obstacles, lines=line_paths(ax), side="right", frame=frame)
    return [Text.get_window_extent(a, rend).padded(LABEL_GAP_PT * fig.dpi / 72) for a in anns]


def _label_moments(fig: Figure, ax: Axes, points: pd.DataFrame, colors: dict[str, str],
                   placed: Sequence[Bbox] = ()) -> int:
    """Label moments of truth, worst first, at most MAX_LABELS; returns how many were left out.

    Moments at the same touchpoint (several personas, or current and future state) share one
    label, anchored at the lowest point and coloured by its series (ink when shared); labels
    keep off the curves, the points and the boxes ``placed`` already."""
    mots = points[points["moment_of_truth"].astype(bool)].copy()
    if not len(mots):
        return 0
    mots["key"] = mots["persona"].astype(str) + "|" + mots["state"].astype(str)
    mots = mots.sort_values(["emotion", "drop", "x"], ascending=[True, False, True], kind="mergesort")
    groups = list(mots.groupby("touchpoint", sort=False))
    shown, rest = groups[:MAX_LABELS], max(len(groups) - MAX_LABELS, 0)
    obstacles = point_boxes(ax, points["x"].to_numpy(float), points["emotion"].to_numpy(float), 8.5, fig)
    items = []
    for tp, g in shown:
        r = g.iloc[0]
        keys = set(g["key"])
        color = readable(colors.get(r["key"], "#222222")) if len(keys) == 1 else "#222222"
        items.append({"x": r["x"], "y": r["emotion"], "text": _mot_label(r["touchpoint_name"]),
                      "color": color, "radius": 14.0, "gid": f"mot-label:{tp}"})
    place_labels(fig, ax, items, obstacles, fontsize=7.5, lines=line_paths(ax), clear=placed)
    return rest


def emotion_curves(ws: Workshop, personas: str | list[str] | None = None) -> Figure:
    """Emotion curves of one persona, several, or all (``None``), overlaid across the stages;
    more than ``SMALL_MULTIPLES`` personas as small multiples (one panel per persona, drawn with
    seaborn, shared axes; ``fig._jt_facets`` maps persona → panel).

    Returns a Figure with ``fig._jt_data`` (one row per plotted point: persona, step, stage,
    touchpoint, emotion, drop, moment_of_truth, x) and alt text.

    >>> fig = emotion_curves(ws, ["mia", "andy"])      # doctest: +SKIP
    """
    theme = theme_for(ws)
    ids = _personas(ws, personas)
    stages = ws.stages
    sidx = {s.id: i for i, s in enumerate(stages)}
    if len(ids) > SMALL_MULTIPLES:
        facets = _small_multiples(ws, ids, theme)
        if facets is not None:
            return facets
    many = len(ids) > 1
    with theme.context():
        legend_rows = -(-(len(ids) + 1) // 5) if many else 0
        margin = _end_margin([ws.persona_name(p) for p in ids]) if many else 0.0
        width = max(8.5, 1.45 * len(stages) + 2.6) + margin
        height = 4.6 + 0.27 * legend_rows + (0.3 if many else 0)
        crowd = len(ids) > 8
        fig = new_figure(theme, width, height, layout="constrained")
        if margin:  # room on the right for the names at the ends of the curves
            fig.get_layout_engine().set(rect=(0, 0, 1 - margin / width, 1))  # type: ignore[call-arg,union-attr]
        ax = fig.add_subplot()
        _stage_axis(ax, stages, theme, width - 2.0 - margin)
        frames, handles, colors, ends = [], [], {}, []
        for k, pid in enumerate(ids):
            dodge = (k - (len(ids) - 1) / 2) * min(0.06, 0.5 / max(len(ids), 1)) if many else 0.0
            pts = persona_points(ws, pid, sidx, dodge)
            frames.append(pts)
            color = theme.series_color(k) if many else theme.strong
            colors[pid + "|" + ws.state] = color if many else theme.ink
            name = ws.persona_name(pid)
            marker = MARKERS[k % len(MARKERS)] if many else "o"
            if not len(pts):
                handles.append(Line2D([], [], color=color, marker=marker, label=f"{name} (no emotions)"))
                continue
            ax.plot(pts["x"], pts["emotion"], color=color, lw=2 if not many else (0.9 if crowd else 1.6),
                    alpha=0.65 if crowd else 1.0, zorder=3, gid=f"curve:{pid}", label=name)
            if many:
                ax.plot(pts["x"], pts["emotion"], ls="none", marker=marker, ms=4 if crowd else 6.5,
                        mfc=color, mec="white", mew=0.6 if crowd else 0.8, zorder=4, gid=f"points:{pid}")
                handles.append(Line2D([], [], color=color, marker=marker, ms=6, mec="white", label=name))
                ends.append({"x": float(pts["x"].iloc[-1]), "y": float(pts["emotion"].iloc[-1]),
                             "text": _end_label(name), "color": readable(color), "gid": f"end-label:{pid}"})
            else:
                draw_faces(ax, pts["x"], pts["emotion"], pts["emotion"], theme, size=14, zorder=4)
            mot = pts[pts["moment_of_truth"].astype(bool)]
            if len(mot):
                ax.scatter(mot["x"], mot["emotion"], s=(22 if not many else 15) ** 2, facecolors="none",
                           edgecolors="#000000", linewidths=1.3, zorder=3.5, gid=f"mot:{pid}")
            peaks = pts[pts["delight"].fillna(False).astype(bool)]
            if len(peaks):  # peaks to keep and amplify: a small star above the point
                ax.scatter(peaks["x"], peaks["emotion"] + 0.32, s=(9 if not many else 7) ** 2, marker="*",
                           color=DELIGHT, linewidths=0, zorder=4.5, gid=f"delight:{pid}")
        points = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=POINT_COLUMNS)
        mot_handle = Line2D([], [], ls="none", marker="o", ms=11, mfc="none", mec="#000000",
                            mew=1.3, label="moment of truth")
        delight_handle = Line2D([], [], ls="none", marker="*", ms=10, color=DELIGHT, label="moment of delight")
        title = (f"Emotion curve — {ws.persona_name(ids[0])}" if len(ids) == 1
                 else f"Emotion curves — {len(ids)} personas")
        ax.set_title("\n".join(wrap(title, (width - 1) * 72, theme.font_size + 3, weight="bold",
                                    max_lines=1)), color=theme.strong, pad=10)
        if many:
            fig.legend(handles=handles + [mot_handle, delight_handle], loc="outside lower center",
                       ncol=min(5, len(handles) + 1), fontsize=theme.font_size - 0.5,
                       handlelength=1.8, columnspacing=1.4)
        else:
            ax.legend(handles=[mot_handle, delight_handle], loc="upper right", ncol=2,
                      fontsize=theme.font_size - 0.5,
                      bbox_to_anchor=(1.0, 1.08), borderaxespad=0)
        if not len(points):
            what = "No personas" if not ids else "No emotions recorded for " + (
                ws.persona_name(ids[0]) if len(ids) == 1 else "these personas")
            note(ax, what, theme, gid="empty-note")
        _finish_layout(fig)
        placed = _label_ends(fig, ax, ends, points, margin)
        left_out = _label_moments(fig, ax, points, colors, placed) if len(points) else 0
        if left_out:
            ax.text(1.0, -0.02, f"{left_out} more moments of truth not labelled", transform=ax.transAxes,
                    ha="right", va="top", fontsize=7, color=theme.muted)
    fig._jt_data = points  # type: ignore[attr-defined]  # chart metadata on the Figure
    fig._jt_alt = _alt_curves(ws, ids, points)  # type: ignore[attr-defined]  # chart metadata on the Figure
    return fig


def _alt_curves(ws: Workshop, ids: list[str], points: pd.DataFrame) -> str:
    if not len(points):
        return f"Emotion curve chart across {len(ws.stages)} stages with no recorded emotions."
    parts = [f"Emotion curves of {', '.join(ws.persona_name(p) for p in ids)} across "
             f"{len(ws.stages)} stages on a scale from 1 ({EMOTION_LABELS[0]}) to 5 ({EMOTION_LABELS[4]})."]
    for pid in ids:
        p = points[points["persona"] == pid]
        if not len(p):
            continue
        low = p.loc[p["emotion"].idxmin()]
        mots = p[p["moment_of_truth"].astype(bool)]
        s = (f"{ws.persona_name(pid)}: {len(p)} steps, lowest {int(low['emotion'])} at "
             f"{low['touchpoint_name']} ({low['stage_name']})")
        if len(mots):
            s += "; moments of truth: " + ", ".join(mots["touchpoint_name"].astype(str))
        parts.append(s + ".")
    return " ".join(parts)


def compare_states(current: Workshop, future: Workshop, persona: str) -> Figure:
    """Current vs future emotion curve of one persona, from two workshops of the same journey.

    Stages are the current workshop's, then any stage only the future one has. Each stage band
    shows the change in mean emotion (Δ). ``fig._jt_data`` holds the points with a ``state``
    column (``current`` / ``future``); ``fig._jt_deltas`` the per-stage means and change.

    >>> fig = compare_states(jt.load("maps/now"), jt.load("maps/next"), "mia")   # doctest: +SKIP
    """
    theme = theme_for(current)
    names = {s.id: s for s in future.stages}
    names.update({s.id: s for s in current.stages})
    order = current.stage_ids + [s for s in future.stage_ids if s not in set(current.stage_ids)]
    stages = [names[s] for s in order]
    sidx = {s: i for i, s in enumerate(order)}
    with theme.context():
        width = max(8.5, 1.45 * len(stages) + 2.6)
        fig = new_figure(theme, width, 5.0, layout="constrained")
        ax = fig.add_subplot()
        _stage_axis(ax, stages, theme, width - 2.0)
        cur = persona_points(current, persona, sidx).assign(state="current")
        fut = persona_points(future, persona, sidx).assign(state="future")
        styles: dict[str, _LineStyle] = {"current": {"color": "#7A7A7A", "ls": (0, (5, 3)), "lw": 1.6},
                                         "future": {"color": theme.strong, "ls": "-", "lw": 2.2}}
        colors: dict[str, str] = {}
        for label, pts in (("current", cur), ("future", fut)):
            colors[persona + "|" + label] = styles[label]["color"]
            if not len(pts):
                continue
            ax.plot(pts["x"], pts["emotion"], zorder=3, gid=f"curve:{label}", **styles[label])
            if label == "future":
                draw_faces(ax, pts["x"], pts["emotion"], pts["emotion"], theme, size=13, zorder=4,
                           gid="emotion:future")
            else:
                ax.plot(pts["x"], pts["emotion"], ls="none", marker="o", ms=7, mfc="#FFFFFF",
                        mec="#7A7A7A", mew=1.4, zorder=4, gid="points:current")
            mot = pts[pts["moment_of_truth"].astype(bool)]
            if len(mot):
                ax.scatter(mot["x"], mot["emotion"], s=20 ** 2, facecolors="none", edgecolors="#000000",
                           linewidths=1.2, zorder=3.5, gid=f"mot:{label}")
        deltas = _stage_deltas(stages, cur, fut)
        for i, r in enumerate(deltas.itertuples()):
            if pd.isna(r.delta):
                continue
            color = "#0072B2" if r.delta > 0 else ("#D55E00" if r.delta < 0 else theme.muted)
            label = "Δ 0" if abs(r.delta) < 0.05 else f"Δ {fmt_signed(r.delta)}"
            ax.text(i + 0.5, 5.52, label, ha="center", va="center", fontsize=8.5,
                    weight="bold", color=color, gid=f"delta:{r.stage}")
        pname = current.persona_name(persona)
        ax.set_title("\n".join(wrap(f"{pname} — current vs future state", (width - 1) * 72,
                                    theme.font_size + 3, weight="bold", max_lines=1)),
                     color=theme.strong, pad=10)
        now, then = _state_labels(current.title, future.title, (width - 3.0) / 2 * 72,
                                  theme.font_size - 0.5)
        handles = [Line2D([], [], marker="o", ms=7, mfc="#FFFFFF", mec="#7A7A7A", mew=1.4,
                          label=now, **styles["current"]),
                   Line2D([], [], marker="o", ms=7, mfc=theme.strong, mec=theme.strong,
                          label=then, **styles["future"]),
                   Line2D([], [], ls="none", marker="o", ms=11, mfc="none", mec="#000000", mew=1.2,
                          label="moment of truth")]
        fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=theme.font_size - 0.5)
        points = pd.concat([cur, fut], ignore_index=True)
        if not len(points):
            note(ax, f"No emotions recorded for {pname}", theme, gid="empty-note")
        _finish_layout(fig)
        if len(points):
            _label_moments(fig, ax, points, colors)
    fig._jt_data = points  # type: ignore[attr-defined]  # chart metadata on the Figure
    fig._jt_deltas = deltas  # type: ignore[attr-defined]  # chart metadata on the Figure
    better = deltas.dropna(subset=["delta"])
    alt = [f"Current versus future emotion curve of {pname} across {len(stages)} stages."]
    if len(cur):
        alt.append(f"Current mean emotion {fmt_number(cur['emotion'].mean())} with "
                   f"{int(cur['moment_of_truth'].sum())} moments of truth.")
    if len(fut):
        alt.append(f"Future mean emotion {fmt_number(fut['emotion'].mean())} with "
                   f"{int(fut['moment_of_truth'].sum())} moments of truth.")
    if len(better):
        alt.append("Change by stage: " + ", ".join(f"{clean(r.name)} {fmt_signed(r.delta)}"
                                                 for r in better.itertuples()) + ".")
    fig._jt_alt = " ".join(alt)  # type: ignore[attr-defined]  # chart metadata on the Figure
    return fig


def _state_labels(current: object, future: object, width_pt: float, size: float) -> tuple[str, str]:
    """Legend entries of the two states that can be told apart: the words both titles start
    with are said once (on the current state) and the future state shows what differs;
    wrapped, never cut to the same text."""
    a, b = clean(current), clean(future)
    if not a or not b or a == b:
        return "current state", "future state"
    wa, wb = a.split(" "), b.split(" ")
    k = 0
    while k < min(len(wa), len(wb)) and wa[k] == wb[k]:
        k += 1
    rest_b = " ".join(wb[k:])
    now = f"current state: {a}"
    then = f"future state: {b}" if k == 0 or not rest_b else f"future state: {ELLIPSIS} {rest_b}"
    return ("\n".join(wrap(now, width_pt, size, max_lines=2)),
            "\n".join(wrap(then, width_pt, size, max_lines=2)))


def _stage_deltas(stages: list[Stage], cur: pd.DataFrame, fut: pd.DataFrame) -> pd.DataFrame:
    c = cur.groupby("stage")["emotion"].mean() if len(cur) else pd.Series(dtype=float)
    f = fut.groupby("stage")["emotion"].mean() if len(fut) else pd.Series(dtype=float)
    rows = []
    for s in stages:
        a, b = c.get(s.id, np.nan), f.get(s.id, np.nan)
        rows.append({"stage": s.id, "name": s.name, "current": a, "future": b, "delta": b - a})
    return pd.DataFrame(rows, columns=["stage", "name", "current", "future", "delta"])


def _small_multiples(ws: Workshop, ids: list[str], theme: Theme) -> Figure | None:
    """One panel per persona (seaborn line + points on shared axes), or None when no persona has
    an emotion (the single-axis chart says so)."""
    import seaborn as sns  # lazily: `import journeytools` stays light

    stages = ws.stages
    sidx = {s.id: i for i, s in enumerate(stages)}
    frames = [persona_points(ws, pid, sidx) for pid in ids]
    nonempty = [f for f in frames if len(f)]
    if not nonempty:
        return None
    points = pd.concat(nonempty, ignore_index=True)
    n, ns = len(ids), max(len(stages), 1)
    ncols = min(FACET_COLUMNS, n)
    nrows = -(-n // ncols)
    panel_w = max(1.9, min(3.2, 0.32 * ns + 0.9))
    panel_h = 1.45
    key = _stage_key(stages, ncols * panel_w + 0.6, theme)
    width = ncols * panel_w + 1.0
    height = nrows * panel_h + 1.1 + 0.17 * len(key)
    line = theme.strong
    with theme.context():
        fig = new_figure(theme, width, height, layout="constrained")
        # the same scales in every panel, set on each: matplotlib's sharex/sharey costs
        # O(panels²) per limit change (seconds for 50 panels)
        axes = fig.subplots(nrows, ncols, squeeze=False)
        facets: dict[str, Axes] = {}
        for k, (pid, pts) in enumerate(zip(ids, frames)):
            ax = axes[k // ncols][k % ncols]
            facets[pid] = ax
            for i in range(0, len(stages), 2):
                ax.axvspan(i, i + 1, color="#F4F4F4", zorder=0, lw=0)
            ax.axhline(3, color="#AAAAAA", lw=0.6, ls=(0, (4, 3)), zorder=0.5)
            ax.set_title("\n".join(wrap(ws.persona_name(pid), panel_w * 72 - 8, theme.font_size - 0.5,
                                        weight="bold", max_lines=1)),
                         fontsize=theme.font_size - 0.5, color=theme.ink, loc="left", pad=3)
            if not len(pts):
                ax.text(0.5, 0.5, "no emotions", transform=ax.transAxes, ha="center", va="center",
                        fontsize=theme.font_size - 1.5, color=theme.muted, style="italic",
                        gid=f"empty:{pid}")
                continue
            data = pts.assign(emotion=pts["emotion"].astype(float))
            sns.lineplot(data=data, x="x", y="emotion", ax=ax, color=line, lw=1.4, sort=False,
                         estimator=None, legend=False, zorder=3)
            ax.lines[-1].set_gid(f"curve:{pid}")
            sns.scatterplot(data=data, x="x", y="emotion", ax=ax, hue="emotion",
                            palette={float(e): theme.emotion_color(e) for e in range(1, 6)},
                            hue_order=[1.0, 2.0, 3.0, 4.0, 5.0], s=22, edgecolor="white",
                            linewidth=0.4, legend=False, zorder=4)
            ax.collections[-1].set_gid(f"points:{pid}")
            mot = data[data["moment_of_truth"].astype(bool)]
            if len(mot):
                ax.scatter(mot["x"], mot["emotion"], s=11 ** 2, facecolors="none", edgecolors="#000000",
                           linewidths=1.0, zorder=3.5, gid=f"mot:{pid}")
        for k in range(n, nrows * ncols):
            axes[k // ncols][k % ncols].set_visible(False)
        for k, ax in enumerate(ax for row in axes for ax in row):
            ax.set_xlim(0, ns)
            ax.set_ylim(0.4, 5.6)
            ax.set_yticks([1, 3, 5])
            ax.set_xticks([i + 0.5 for i in range(len(stages))])
            ax.set_xticklabels([str(i + 1) for i in range(len(stages))],
                               fontsize=theme.font_size - 2 if ns > 10 else theme.font_size - 1)
            ax.tick_params(axis="both", length=0, labelsize=theme.font_size - 1.5, pad=2)
            ax.set_xlabel("")
            ax.set_ylabel("")
            ax.spines["left"].set_visible(False)
            ax.spines["bottom"].set_color("#C8C8C8")
            # tick labels where a panel has no neighbour below (the last row may be short) and
            # in the first column
            ax.tick_params(axis="x", labelbottom=k + ncols >= n)
            ax.tick_params(axis="y", labelleft=k % ncols == 0)
        fig.supylabel(f"emotion: 1 {EMOTION_LABELS[0]} … 5 {EMOTION_LABELS[4]}",
                      fontsize=theme.font_size - 0.5, color=theme.ink)
        fig.supxlabel("\n".join(key), fontsize=theme.font_size - 1.5, color=theme.ink, x=0.01,
                      ha="left", linespacing=1.35)
        title = "\n".join(wrap(f"Emotion curves — {n} personas, one panel each (moments of truth ringed)",
                               (width - 0.5) * 72, theme.font_size + 3, weight="bold", max_lines=1))
        fig.suptitle(title, color=theme.strong, x=0.01, ha="left", fontsize=theme.font_size + 3,
                     weight="bold")
    fig._jt_data = pd.concat(frames, ignore_index=True) if frames else points  # type: ignore[attr-defined]  # chart metadata on the Figure
    fig._jt_facets = facets  # type: ignore[attr-defined]  # chart metadata on the Figure
    fig._jt_alt = _alt_curves(ws, ids, points)  # type: ignore[attr-defined]  # chart metadata on the Figure
    return fig


def _stage_key(stages: list[Stage], width_in: float, theme: Theme) -> list[str]:
    """'Stages: 1 Name · 2 Name …' wrapped to the figure width (the panels show numbers)."""
    text = "Stages:  " + "  ·  ".join(f"{i + 1} {shorten(s.name, 28 if len(stages) > 8 else 40)}"
                                       for i, s in enumerate(stages))
    return wrap(text, width_in * 72 - 12, theme.font_size - 1.5, max_lines=6)
