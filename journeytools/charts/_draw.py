"""Small drawing helpers shared by the charts: face markers, cards, label placement, notes."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.markers import MarkerStyle
from matplotlib.path import Path
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox, BboxBase

from .theme import Theme, contrast, shade

Values = Sequence[float] | np.ndarray  # coordinates or emotions, as a list or an array
HAlign = Literal["left", "center", "right"]
VAlign = Literal["bottom", "baseline", "center", "center_baseline", "top"]


@lru_cache(maxsize=8)
def face_marker(emotion: int) -> MarkerStyle:
    """A face (outline, eyes, mouth) whose mouth curves with emotion 1 (frown) … 5 (smile).

    Draw it unfilled over a filled ``"o"`` marker of the same size."""
    e = min(max(int(emotion), 1), 5) - 3  # -2 … 2
    outline = Path.circle((0.0, 0.0), 1.0)
    eyes = [Path.circle((dx, 0.28), 0.11) for dx in (-0.34, 0.34)]
    ym = -0.38 - 0.06 * (e < 0)
    mouth = Path([(-0.45, ym + 0.07 * e), (0.0, ym - 0.28 * e), (0.45, ym + 0.07 * e)],
                 [Path.MOVETO, Path.CURVE3, Path.CURVE3])
    return MarkerStyle(Path.make_compound_path(outline, *eyes, mouth))


def draw_faces(ax: Axes, xs: Values, ys: Values, emotions: Values,
               theme: Theme, *, size: float = 15.0, zorder: float = 5, gid: str = "emotion",
               edge: str | None = None) -> None:
    """Filled circles coloured by emotion with a face drawn on top."""
    if not len(xs):
        return
    x, y = np.asarray(xs, float), np.asarray(ys, float)
    em = np.clip(np.rint(np.asarray(emotions, float)), 1, 5).astype(int)
    colors = [theme.emotion_color(e) for e in em]
    sc = ax.scatter(x, y, s=size ** 2, c=colors, marker="o", linewidths=0, zorder=zorder)
    sc.set_gid(gid)
    for level in sorted(set(em.tolist())):
        sel = em == level
        ax.plot(x[sel], y[sel], ls="none", marker=face_marker(level), ms=size,
                mfc="none", mec=edge or "#1A1A1A", mew=0.9, zorder=zorder + 0.1)


def readable(color: str, paper: str = "#FFFFFF", ratio: float = 4.5) -> str:
    """``color`` darkened just enough for text on ``paper`` (WCAG AA: 4.5:1): a series colour
    such as Okabe-Ito orange names its series and can still be read."""
    for _ in range(20):
        if contrast(color, paper) >= ratio:
            break
        color = shade(color, 0.1)
    return color


def note(ax: Axes, text: str, theme: Theme, **kw: Any) -> None:
    """A centred, muted message in an axes (for empty charts)."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            color=theme.muted, fontsize=theme.font_size + 2, style="italic", **kw)


def empty_axes(ax: Axes) -> None:
    ax.set_xticks([])
    ax.set_yticks([])
    for s in ax.spines.values():
        s.set_visible(False)


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def renderer(fig: Figure) -> RendererBase:
    """The renderer of a chart figure, for measuring text before anything is drawn."""
    canvas = fig.canvas
    # new_figure attaches an Agg canvas; the base canvas class has no get_renderer()
    assert isinstance(canvas, FigureCanvasAgg), "chart figures come from theme.new_figure"
    return canvas.get_renderer()


LABEL_GAP_PT = 2.5  # points of white space around a placed label: two labels never touch


# Candidate label positions around a point, in offset points: (dx, dy, ha, va).
def candidates(r: float, side: Literal["any", "right"] = "any") -> list[tuple[float, float, HAlign, VAlign]]:
    """Below, above, right, left, the diagonals; then further away. ``side="right"`` tries the
    right-hand positions first (direct labels at the end of a line)."""
    out: list[tuple[float, float, HAlign, VAlign]] = []
    for k in (1.0, 2.0, 3.2, 4.6, 6.5, 9.0):
        d = r * k
        around: list[tuple[float, float, HAlign, VAlign]] = [
            (0, -d, "center", "top"), (0, d, "center", "bottom"), (d, 0, "left", "center"),
            (-d, 0, "right", "center"), (d * 0.8, -d * 0.8, "left", "top"),
            (-d * 0.8, -d * 0.8, "right", "top"), (d * 0.8, d * 0.8, "left", "bottom"),
            (-d * 0.8, d * 0.8, "right", "bottom")]
        out += around
    if side == "right":
        out.sort(key=lambda c: (c[2] != "left", abs(c[1]) > 0, abs(c[0]) + abs(c[1])))
    return out


def _crossings(bb: Bbox, lines: Sequence[Path]) -> int:
    """How many of ``lines`` (display-space paths) pass through ``bb``."""
    return sum(1 for p in lines if p.intersects_bbox(bb, filled=False))


def line_paths(ax: Axes, gids: Sequence[str] | None = None) -> list[Path]:
    """The plotted lines of ``ax`` as display-space paths (obstacles for :func:`place_labels`);
    with ``gids``, only those lines; marker-only lines are left out."""
    out = []
    for line in ax.get_lines():
        if line.get_linestyle() in ("None", "none", "", " ") or not line.get_visible():
            continue
        if gids is not None and line.get_gid() not in gids:
            continue
        xy = np.column_stack([np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)])
        xy = xy[np.isfinite(xy).all(axis=1)]
        if len(xy) >= 2:
            out.append(Path(line.get_transform().transform(xy)))
    return out


HARD = 1e9  # the cost of covering another label or leaving the figure: only when nothing else is left


def place_labels(fig: Figure, ax: Axes, items: Sequence[dict[str, Any]],
                 obstacles: Sequence[Bbox] = (), *, radius: float = 9.0,
                 fontsize: float = 7.5, lines: Sequence[Path] = (), clear: Sequence[Bbox] = (),
                 side: Literal["any", "right"] = "any", frame: Bbox | None = None) -> list[Annotation]:
    """Annotate points, greedily and deterministically: each item takes the first candidate
    position (below, above, right, left, diagonals; then further away, with a leader line)
    that covers no earlier label and nothing in ``clear``, stays inside the figure, and then
    overlaps the fewest ``obstacles`` (e.g. markers), crosses the fewest ``lines`` and stays
    inside ``frame`` (default: the axes).

    ``items``: dicts with ``x``, ``y`` (data), ``text`` and optional ``color``, ``radius`` (points),
    ``gid``, ``weight``, ``fontsize``. ``lines``: display-space paths (:func:`line_paths`).
    ``clear``: boxes no label may cover (other labels, titles). The layout of ``fig`` must be
    final (no layout engine afterwards).
    """
    rend = renderer(fig)
    frame = frame if frame is not None else ax.get_window_extent(rend)
    page = fig.bbox
    gap = LABEL_GAP_PT * fig.dpi / 72  # white space kept between two labels
    hard: list[Bbox] = list(clear)
    soft: list[Bbox] = list(obstacles)
    out = []
    for it in items:
        r = float(it.get("radius", radius))
        ann = ax.annotate(it["text"], (it["x"], it["y"]), xytext=(0, -r), textcoords="offset points",
                          ha="center", va="top", fontsize=it.get("fontsize", fontsize),
                          color=it.get("color", "#222222"), weight=it.get("weight", "normal"),
                          zorder=8, annotation_clip=False, linespacing=1.1,
                          bbox={"boxstyle": "round,pad=0.15", "fc": "#FFFFFF", "ec": "none",
                                "alpha": 0.85},
                          arrowprops={"arrowstyle": "-", "color": "#8A8A8A", "lw": 0.6,
                                      "shrinkA": 1.0, "shrinkB": r * 0.75})
        if it.get("gid"):
            ann.set_gid(it["gid"])
        best, best_score, best_bb = None, float("inf"), None
        anchor = ax.transData.transform((it["x"], it["y"]))
        others = [b for b in soft if not b.contains(*anchor)]  # markers but the labelled one
        for i, (dx, dy, ha, va) in enumerate(candidates(r, side)):
            ann.set_position((dx, dy))
            ann.set_horizontalalignment(ha)
            ann.set_verticalalignment(va)
            ann.update_positions(rend)
            bb = Text.get_window_extent(ann, rend).padded(gap)
            score = _cost(bb, hard, soft, lines, frame, page) + i * 1e-3
            if abs(dx) > 1.5 * r or abs(dy) > 1.5 * r:  # a leader line: through no label, no other point
                score += bb.width * bb.height * (2 * _crossings_of_leader(anchor, bb, hard)
                                                 + _crossings_of_leader(anchor, bb, others))
            if score < best_score:
                best, best_score, best_bb = (dx, dy, ha, va), score, bb
            if score < 1:
                break
        assert best is not None and best_bb is not None
        ann.set_position(best[:2])
        ann.set_horizontalalignment(best[2])
        ann.set_verticalalignment(best[3])
        if ann.arrow_patch is not None and abs(best[0]) <= 1.5 * r and abs(best[1]) <= 1.5 * r:
            ann.arrow_patch.set_visible(False)
        hard.append(best_bb)
        out.append(ann)
    return out


def _crossings_of_leader(anchor: np.ndarray, bb: Bbox, boxes: Sequence[Bbox]) -> int:
    """How many ``boxes`` the leader from ``anchor`` to the nearest point of ``bb`` passes through."""
    end = (min(max(anchor[0], bb.x0), bb.x1), min(max(anchor[1], bb.y0), bb.y1))
    leader = Path([tuple(anchor), end])
    return sum(1 for b in boxes if leader.intersects_bbox(b, filled=True))


def _outside(bb: Bbox, frame: BboxBase) -> float:
    """The area of ``bb`` outside ``frame`` (roughly: the overhang times the other side)."""
    return (max(frame.x0 - bb.x0, 0) + max(bb.x1 - frame.x1, 0)) * bb.height + \
        (max(frame.y0 - bb.y0, 0) + max(bb.y1 - frame.y1, 0)) * bb.width


def _cost(bb: Bbox, hard: Sequence[Bbox], soft: Sequence[Bbox], lines: Sequence[Path],
          frame: BboxBase, page: BboxBase) -> float:
    """How bad a label box is: covering a label or leaving the figure first; then, each costing
    more than half the label's area so that a near miss always wins: hiding a marker, leaving
    the axes (onto the ticks), crossing a line."""
    covered = sum(_overlap(bb, p) for p in hard) + _outside(bb, page)
    area = bb.width * bb.height
    hidden = [o for o in (_overlap(bb, p) for p in soft) if o > 0]
    out = _outside(bb, frame)
    crossed = _crossings(bb, lines) if lines else 0
    return (HARD + covered if covered > 0 else 0.0) + sum(0.8 * area + 3 * o for o in hidden) + \
        (0.8 * area + 4 * out if out > 0 else 0.0) + 0.5 * area * crossed


def point_boxes(ax: Axes, xs: Sequence[float], ys: Sequence[float], radius_pt: Sequence[float] | float,
                fig: Figure) -> list[Bbox]:
    """Display-space boxes around markers (obstacles for :func:`place_labels`)."""
    to_px = fig.dpi / 72.0
    rs = np.broadcast_to(np.asarray(radius_pt, float), (len(xs),))
    pts = ax.transData.transform(np.column_stack([xs, ys])) if len(xs) else np.empty((0, 2))
    return [Bbox.from_extents(px - r * to_px, py - r * to_px, px + r * to_px, py + r * to_px)
            for (px, py), r in zip(pts, rs)]
