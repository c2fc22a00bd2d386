"""The canonical journey map of one persona: stages as columns, swimlanes as rows.

Lanes, top to bottom (SPEC §5): doing, thinking, feeling (the emotion curve on 1–5 with faces),
touchpoints (with channel labels), pain points (coloured by weighted pain) and opportunities
(RICE and quadrant). The whole map is laid out in inches before anything is drawn: every text
is wrapped to its column with the pinned font's metrics and shown in full (a card grows with
its text, never cut with '…'), lanes grow with their tallest cell and the figure grows with
the number of stages. Type is at least 7 pt at the figure's own size, which is the size the
report shows and prints it at (an inline SVG with real text, see ``export.svg_inline``).

A pain card says how its number is made ("Pain 19 = 3 sev × 4 freq × 1.5 weight + 1 vote",
``vocab.pain_formula``) from the persona view of ``scoring.pain_table``. A ``*`` pain point
(all personas) is drawn only in stages where the persona has steps; the ones left out are in
``fig._jt_data["pains_not_drawn"]``, for a note under the map. A stage without steps says so
in the doing lane ("no step in this stage", "the journey ends at …").

A cell holds at most ``MAX_CARDS`` pain points or opportunities (the worst / best ranked) and
``MAX_STEP_CARDS`` steps; the last card of a fuller cell counts the rest ('+ 12 more pain
points'), so a map of thousands of pain points draws (and costs) no more than a small one.
Totals (the alt text, the pain colour scale) are still computed over every row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyBboxPatch, Rectangle

from .. import scoring
from ..model.workshop import Workshop
from ..scoring import opportunity_table as opportunities
from ..vocab import pain_formula
from ._draw import draw_faces
from ._text import FontStyle, clean, fmt_number, shorten, text_width, wrap
from .theme import EMOTION_LABELS, Theme, new_figure, text_on, theme_for, tint

# Geometry (inches) and type sizes (points).
MARGIN = 0.3
LABEL_W = 1.35
GAP = 0.08
PAD = 0.07          # inside a lane cell
CARD_PAD = 0.06     # inside a card
CARD_GAP = 0.06
BADGE = 0.2         # step-number badge column inside a card
BODY = 7.6
SMALL = 7.0         # the smallest text (printed at 100 %: 7 pt is the floor for reading)
HEAD = 7.2
STAGE = 11.0
LINE = 1.28         # line spacing factor
CURVE_H = 1.75      # height of the emotion band
MAX_CARDS = 6       # pain points / opportunities per stage; the rest become '+ n more'
MAX_STEP_CARDS = 10  # steps per stage in the doing, thinking and touchpoint lanes (the curve shows all)


def _lh(size: float) -> float:
    """Height of one text line in inches."""
    return size * LINE / 72.0


def _text_h(n_lines: int, size: float) -> float:
    return _lh(size) * n_lines if n_lines else 0.0


def _col_width(n_stages: int) -> float:
    return 2.9 if n_stages <= 8 else 2.6


@dataclass
class Card:
    """A box in a lane cell: optional header line(s), body lines and styling."""

    body: list[str]
    head: list[str] = field(default_factory=list)
    badge: str = ""
    face: str = "#FFFFFF"
    edge: str = "#D0D0D0"
    stripe: str = ""
    body_style: FontStyle = "normal"
    body_weight: str = "normal"
    chip: str = ""
    chip_color: str = ""
    gid: str = ""

    def height(self) -> float:
        h = _text_h(len(self.head), HEAD) + _text_h(len(self.body), BODY)
        if self.chip:
            h += _lh(SMALL) + 0.06
        return h + 2 * CARD_PAD


def _cards_height(cards: list[Card]) -> float:
    if not cards:
        return 0.0
    return sum(c.height() for c in cards) + CARD_GAP * (len(cards) - 1)


def _quadrant_label(row: pd.Series) -> str:
    if not row["scored"]:
        missing = ", ".join(row["missing"]) if isinstance(row["missing"], list) else ""
        return f"unscored · no {missing}" if missing else "unscored"
    return f"RICE {fmt_number(float(row['rice']))} · {row['quadrant']}"


def _channel_colors(channels: list[str], theme: Theme) -> dict[str, str]:
    uniq = sorted({c for c in channels if c})
    return {c: theme.series_color(i) for i, c in enumerate(uniq)}


def journey_map(ws: Workshop, persona: str, *, max_chars: int | None = None) -> Figure:
    """The journey map of ``persona``: one column per stage, one lane per row of the method.

    Parameters
    ----------
    ws
        A loaded workshop.
    persona
        A persona id. An unknown id, or a persona without steps, gives an empty map.
    max_chars
        None (the default): every text is shown in full, its card growing to hold it. A number
        cuts texts in cards (actions, thoughts, pain points, opportunity titles) to this many
        characters with '…' (for a thumbnail; reports never cut).

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig._jt_data`` (dict of DataFrames: ``stages``, ``steps``, ``pains``,
        ``opportunities``, ``pains_not_drawn``) and ``fig._jt_alt`` (alt text).

    Examples
    --------
    >>> import journeytools as jt                                   # doctest: +SKIP
    >>> from journeytools.charts import journey_map, save_figure    # doctest: +SKIP
    >>> fig = journey_map(jt.load("workshops/luggage-store"), "mia")  # doctest: +SKIP
    >>> save_figure(fig, "out/mia-map")                              # doctest: +SKIP
    """
    theme = theme_for(ws)
    with theme.context():
        return _JourneyMap(ws, persona, theme, max_chars).draw()


class _JourneyMap:
    def __init__(self, ws: Workshop, persona: str, theme: Theme, max_chars: int | None) -> None:
        self.ws, self.persona, self.theme = ws, persona, theme
        self.max_chars = None if max_chars is None else max(int(max_chars), 1)
        self.stages = ws.stages
        self.n = len(self.stages)
        self.cw = _col_width(self.n)
        self.sidx = {s.id: i for i, s in enumerate(self.stages)}
        j = scoring.journey(ws, persona)
        j = j[j["stage"].isin(self.sidx)].reset_index(drop=True)
        j["step"] = np.arange(1, len(j) + 1)
        self.steps = j
        curve = scoring.emotion_curve(ws, persona)
        curve = curve[curve["stage"].isin(self.sidx)].reset_index(drop=True)
        self.curve = curve
        # where the persona has steps: '*' pain points are drawn there only, empty stages say so
        self.walked = [i for i, s in enumerate(self.stages) if s.id in set(j["stage"])]
        walked = {self.stages[i].id for i in self.walked}
        pains = scoring.pain_table(ws, persona)
        shared_elsewhere = (pains["persona"] == "*") & ~pains["stage"].isin(walked)
        self.all_pains, self.pains = pains, pains[~shared_elsewhere]
        self.pains_not_drawn = pains[shared_elsewhere]
        all_pains = scoring.pain_table(ws)
        self.pain_max = float(all_pains["weighted_pain"].max()) if len(all_pains) else 1.0
        self.pain_norm = Normalize(0.0, max(self.pain_max, 1.0))
        self.opps = opportunities(ws, persona)
        self.known = persona in set(ws.personas["id"].astype(str)) if len(ws.personas) else False

    # -- geometry ------------------------------------------------------------------------
    def col_x(self, i: int) -> float:
        return MARGIN + LABEL_W + i * (self.cw + GAP)

    @property
    def inner_pt(self) -> float:
        """Text width inside a card, in points."""
        return (self.cw - 2 * PAD - 2 * CARD_PAD) * 72.0

    # -- content -------------------------------------------------------------------------
    def _wrap(self, text: object, *, badge: bool = False, size: float = BODY, style: FontStyle = "normal",
              weight: str = "normal") -> list[str]:
        width = self.inner_pt - (BADGE * 72.0 if badge else 0.0)
        text = shorten(text, self.max_chars) if self.max_chars else text
        return wrap(text, width, size, style=style, weight=weight)

    def empty_stage_notes(self) -> dict[int, list[str]]:
        """Lines of the note in the doing lane of each stage without steps (none when the
        persona has no steps at all: the map then says so across the lane)."""
        if not self.walked:
            return {}
        first, last = self.walked[0], self.walked[-1]
        notes = {}
        for i in range(self.n):
            if i in self.walked:
                continue
            if i < first:
                text = f"No step yet: the journey starts at {self.stages[first].name}"
            elif i > last:
                text = f"No step: the journey ends at {self.stages[last].name}"
            else:
                text = "No step in this stage"
            notes[i] = wrap(text, self.inner_pt, SMALL, style="italic")
        return notes

    def step_cards(self, kind: str) -> list[list[Card]]:
        cells: list[list[Card]] = [[] for _ in range(self.n)]
        hidden: list[list[int]] = [[] for _ in range(self.n)]  # step numbers beyond the cap
        colors = _channel_colors(self.steps["channel"].tolist(), self.theme)
        for r in self.steps.itertuples():
            i = self.sidx[r.stage]
            if len(cells[i]) >= MAX_STEP_CARDS:
                hidden[i].append(int(r.step))
                continue
            if kind == "doing":
                body = self._wrap(r.action, badge=True) or ["–"]
                card = Card(body, badge=str(r.step), gid=f"doing:{r.step}")
            elif kind == "thinking":
                thought = clean(r.thought)
                body = self._wrap(f"“{thought}”", badge=True, style="italic") if thought else ["–"]
                card = Card(body, badge=str(r.step), body_style="italic", face="#FFFDF5",
                            gid=f"thinking:{r.step}")
            else:  # touchpoints
                body = self._wrap(r.touchpoint_name, badge=True, weight="bold")
                ch = clean(r.channel)
                card = Card(body, badge=str(r.step), body_weight="bold", chip=ch or "no channel",
                            chip_color=colors.get(ch, "#BDBDBD"), gid=f"touchpoint:{r.step}")
            cells[i].append(card)
        for i, rest in enumerate(hidden):
            if rest:  # the last card shown and the hidden ones become '+ n more steps (a–b)'
                rest = [int(cells[i].pop().badge)] + rest
                cells[i].append(self._more(len(rest), f"steps ({rest[0]}–{rest[-1]})", f"{kind}-more:{i}"))
        return cells

    def _more(self, n: int, what: str, gid: str) -> Card:
        return Card([f"+ {n:,} more {what}"], face="#FFFFFF", edge="#D0D0D0", body_style="italic", gid=gid)

    def _cap(self, cells: list[list[Card]], counts: list[int], what: str, lane: str) -> list[list[Card]]:
        """Cells of at most ``MAX_CARDS`` cards: a fuller cell keeps its first ``MAX_CARDS - 1``
        and a last card counting the rest (``counts``: how many each cell has in all)."""
        out = []
        for i, (cards, n) in enumerate(zip(cells, counts)):
            if n > MAX_CARDS:
                cards = cards[: MAX_CARDS - 1] + [self._more(n - (MAX_CARDS - 1), what, f"{lane}-more:{i}")]
            out.append(cards)
        return out

    def pain_cards(self) -> list[list[Card]]:
        cells: list[list[Card]] = [[] for _ in range(self.n)]
        counts = [0] * self.n
        cmap = self.theme.pain_cmap
        for r in self.pains.itertuples():  # worst first
            i = self.sidx.get(r.stage)
            if i is None:
                continue
            counts[i] += 1
            if counts[i] > MAX_CARDS:  # counted, never drawn
                continue
            face = cmap(self.pain_norm(float(r.weighted_pain)))
            who = " · all personas" if r.persona == "*" else ""
            how = pain_formula(r.severity, r.frequency, float(r.weight), int(r.votes),
                               float(getattr(r, "vote_share", 1.0)))
            head = wrap(f"Pain {fmt_number(float(r.weighted_pain))} = {how}{who}", self.inner_pt, HEAD,
                        weight="bold")
            cells[i].append(
                Card(self._wrap(r.description), head=head, face=_hex(face), edge=_hex(face),
                     gid=f"pain:{r.id}"))
        return self._cap(cells, counts, "pain points", "pain")

    def opportunity_cards(self) -> list[list[Card]]:
        cells: list[list[Card]] = [[] for _ in range(self.n)]
        counts = [0] * self.n
        for idx, stage in zip(self.opps.index, self.opps["stage"]):  # ranked
            i = self.sidx.get(stage)
            if i is None:
                continue
            counts[i] += 1
            if counts[i] > MAX_CARDS:
                continue
            r = self.opps.loc[idx]
            rank = f"#{int(r['rank'])} · " if pd.notna(r["rank"]) else ""
            head = wrap(rank + _quadrant_label(r), self.inner_pt - 0.05 * 72, HEAD, weight="bold")
            color = self.theme.quadrant_color(str(r["quadrant"]))
            cells[i].append(
                Card(self._wrap(r["title"]), head=head, stripe=color, face=tint(color, 0.88),
                     edge=tint(color, 0.55), gid=f"opportunity:{r['id']}"))
        return self._cap(cells, counts, "opportunities (see the ranking)", "opportunity")

    def feeling_labels(self) -> tuple[dict[int, tuple[float, list[str]]], int]:
        """Per step number: (x, lines of 'n · feeling') and the most lines used."""
        out: dict[int, tuple[float, list[str]]] = {}
        most = 1
        for i, s in enumerate(self.stages):
            rows = self.steps[self.steps["stage"] == s.id]
            k = len(rows)
            for pos, r in enumerate(rows.itertuples()):
                x = self.col_x(i) + self.cw * (pos + 0.5) / k
                slot_pt = (self.cw / k - 0.06) * 72.0
                label = f"{r.step} · {clean(r.feeling)}" if clean(r.feeling) else str(r.step)
                lines = wrap(label, slot_pt, SMALL) if slot_pt > 30 else [str(r.step)]
                out[int(r.step)] = (x, lines)
                most = max(most, len(lines))
        return out, most

    # -- drawing -------------------------------------------------------------------------
    def draw(self) -> Figure:
        th = self.theme
        lanes_cards = {
            "Doing": self.step_cards("doing"),
            "Thinking": self.step_cards("thinking"),
            "Touchpoints": self.step_cards("touchpoints"),
            "Pain points": self.pain_cards(),
            "Opportunities": self.opportunity_cards(),
        }
        feel, feel_lines = self.feeling_labels()
        self.notes = self.empty_stage_notes()
        # stage headers
        head_pt = (self.cw - 2 * PAD) * 72.0
        stage_text = [(wrap(s.name, head_pt, STAGE, weight="bold"),
                       wrap(s.goal, head_pt, SMALL + 0.4, style="italic"))
                      for s in self.stages]
        head_h = max([_text_h(len(a), STAGE) + _text_h(len(b), SMALL + 0.4) + (0.05 if b else 0)
                      for a, b in stage_text] or [0.3]) + 2 * PAD
        lane_h: dict[str, float] = {}
        for name, cells in lanes_cards.items():
            lane_h[name] = max([_cards_height(c) for c in cells] or [0.0]) + 2 * PAD
            lane_h[name] = max(lane_h[name], 0.45)
        notes_h = max([_text_h(len(lines), SMALL) for lines in self.notes.values()] or [0.0])
        lane_h["Doing"] = max(lane_h["Doing"], notes_h + 4 * PAD)
        feel_h = CURVE_H + _text_h(feel_lines, SMALL) + 2 * PAD
        order = ["Doing", "Thinking", "Feeling", "Touchpoints", "Pain points", "Opportunities"]
        heights = {**lane_h, "Feeling": feel_h}
        title_h, foot_h = 0.85, 0.75
        width = max(2 * MARGIN + LABEL_W + self.n * self.cw + max(self.n - 1, 0) * GAP, 9.5)
        height = MARGIN + title_h + head_h + GAP + sum(heights[k] + GAP for k in order) + foot_h
        fig = new_figure(th, width, height)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)
        ax.axis("off")
        self.fig, self.ax, self.width, self.height = fig, ax, width, height

        self._title(MARGIN)
        y = MARGIN + title_h
        self._headers(y, head_h, stage_text)
        y += head_h + GAP
        tops: dict[str, float] = {}
        for name in order:
            tops[name] = y
            self._lane_label(name, y, heights[name])
            if name == "Feeling":
                self._feeling(y, heights[name], feel)
            else:
                self._lane(lanes_cards[name], y, heights[name], name)
            y += heights[name] + GAP
        self._footer(y)
        if not len(self.steps):
            msg = ("No steps mapped for this persona yet" if self.known
                   else f"Unknown persona '{self.persona}'")
            ax.text(self.col_x(0) + 0.1, tops["Doing"] + heights["Doing"] / 2, msg, va="center",
                    ha="left", fontsize=BODY + 1.5, style="italic", color=th.muted, gid="empty-note")
        self._attach()
        return fig

    def _title(self, y: float) -> None:
        th, ax = self.theme, self.ax
        name = self.ws.persona_name(self.persona)
        seg = ""
        if self.known and "segment" in self.ws.personas.columns:
            row = self.ws.personas[self.ws.personas["id"] == self.persona].iloc[0]
            seg = clean(row.get("segment", ""))
        title_pt = (self.width - 2 * MARGIN - 2.6) * 72
        title = wrap(f"{name} — {seg}" if seg else name, title_pt, 15, weight="bold", max_lines=1)
        ax.text(MARGIN, y, "\n".join(title), fontsize=15, weight="bold", color=th.accent, va="top",
                gid="title")
        sub = f"Journey map · {clean(self.ws.title)}"
        state = self.ws.state
        if state:
            sub += f" · {state} state"
        ax.text(MARGIN, y + 0.34, "\n".join(wrap(sub, title_pt, 9, max_lines=1)), fontsize=9,
                color=th.muted, va="top")
        if th.company:
            ax.text(self.width - MARGIN, y, "\n".join(wrap(th.company, 2.4 * 72, 10, weight="bold",
                                                             max_lines=1)),
                    fontsize=10, weight="bold", color=th.accent, va="top", ha="right")
        ax.plot([MARGIN, self.width - MARGIN], [y + 0.66, y + 0.66], color=th.accent, lw=1.5)

    def _headers(self, y: float, h: float, texts: list[tuple[list[str], list[str]]]) -> None:
        th, ax = self.theme, self.ax
        fg = th.accent_text
        for i, (s, (name, goal)) in enumerate(zip(self.stages, texts)):
            x = self.col_x(i)
            box = FancyBboxPatch((x, y), self.cw, h, boxstyle="round,pad=0,rounding_size=0.06",
                                 fc=th.accent, ec="none", gid=f"stage:{s.id}")
            ax.add_artist(box)
            ax.text(x + PAD, y + PAD, "\n".join(name), fontsize=STAGE, weight="bold", color=fg,
                    va="top", linespacing=LINE - 0.1, gid=f"stage-name:{s.id}")
            if goal:
                ax.text(x + PAD, y + PAD + _text_h(len(name), STAGE) + 0.05, "\n".join(goal),
                        fontsize=SMALL + 0.4, style="italic", color=fg, va="top", linespacing=LINE)
        ax.text(MARGIN, y + PAD, "Stage", fontsize=10, weight="bold", va="top", color=th.ink)
        ax.text(MARGIN, y + PAD + 0.2, "and goal", fontsize=SMALL + 0.4, va="top", color=th.muted,
                style="italic")

    def _lane_label(self, name: str, y: float, h: float) -> None:
        ax = self.ax
        ax.add_artist(Rectangle((MARGIN - 0.05, y), self.width - 2 * MARGIN + 0.1, h,
                               fc=self.theme.lane, ec="none", zorder=0))
        ax.text(MARGIN, y + PAD, name, fontsize=10, weight="bold", va="top", gid=f"lane:{name}")

    def _lane(self, cells: list[list[Card]], y: float, h: float, lane: str) -> None:
        for i, cards in enumerate(cells):
            x = self.col_x(i)
            empty = i in self.notes and lane in ("Doing", "Thinking", "Touchpoints")
            self.ax.add_artist(Rectangle((x, y), self.cw, h, fc="#F4F4F4" if empty else "#FFFFFF",
                                        ec="#E6E6E6", lw=0.6, zorder=0.5))
            cy = y + PAD
            if empty and lane == "Doing":
                self.ax.text(x + self.cw / 2, y + 2 * PAD, "\n".join(self.notes[i]), ha="center",
                             va="top", fontsize=SMALL, style="italic", color=self.theme.muted,
                             linespacing=LINE, gid=f"doing-note:{self.stages[i].id}")
            for card in cards:
                self._card(card, x + PAD, cy, self.cw - 2 * PAD)
                cy += card.height() + CARD_GAP

    def _card(self, c: Card, x: float, y: float, w: float) -> None:
        ax = self.ax
        h = c.height()
        ax.add_artist(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=0.04",
                                    fc=c.face, ec=c.edge, lw=0.7, zorder=1, gid=c.gid or None))
        tx = x + CARD_PAD
        if c.stripe:
            ax.add_artist(Rectangle((x, y + 0.02), 0.045, h - 0.04, fc=c.stripe, ec="none", zorder=1.5))
            tx += 0.03
        if c.badge:
            r = 0.085
            ax.add_artist(Circle((x + CARD_PAD + r, y + CARD_PAD + r), r, fc="#3A3A3A", ec="none",
                                zorder=2))
            ax.text(x + CARD_PAD + r, y + CARD_PAD + r, c.badge, fontsize=7 if len(c.badge) < 3 else 5.5,
                    color="#FFFFFF", ha="center", va="center_baseline", weight="bold", zorder=3,
                    gid=f"{c.gid}:badge" if c.gid else None)
            tx += BADGE
        fg = text_on(c.face)
        ty = y + CARD_PAD
        if c.head:
            ax.text(tx, ty, "\n".join(c.head), fontsize=HEAD, weight="bold", color=fg, va="top",
                    linespacing=LINE, zorder=3, gid=f"{c.gid}:head" if c.gid else None)
            ty += _text_h(len(c.head), HEAD)
        if c.body:
            ax.text(tx, ty, "\n".join(c.body), fontsize=BODY, style=c.body_style, weight=c.body_weight,
                    color=fg, va="top", linespacing=LINE, zorder=3, gid=f"{c.gid}:body" if c.gid else None)
            ty += _text_h(len(c.body), BODY)
        if c.chip:
            chip = shorten(c.chip, 24)
            cw = (text_width(chip, SMALL) + 8) / 72.0
            ax.add_artist(FancyBboxPatch((tx, ty + 0.03), cw, _lh(SMALL) + 0.02,
                                        boxstyle="round,pad=0,rounding_size=0.05", fc=c.chip_color,
                                        ec="none", zorder=2))
            ax.text(tx + cw / 2, ty + 0.04 + _lh(SMALL) / 2, chip, fontsize=SMALL, ha="center",
                    va="center", color=text_on(c.chip_color), zorder=3,
                    gid=f"{c.gid}:chip" if c.gid else None)

    def emotion_y(self, top: float, e: float) -> float:
        lo, hi = top + PAD + 0.22, top + CURVE_H - 0.26
        return lo + (5.0 - float(e)) / 4.0 * (hi - lo)

    def _feeling(self, y: float, h: float, feel: dict[int, tuple[float, list[str]]]) -> None:
        ax, th = self.ax, self.theme
        x0, x1 = self.col_x(0), self.col_x(max(self.n - 1, 0)) + self.cw
        ax.add_artist(Rectangle((x0, y), x1 - x0, h, fc="#FFFFFF", ec="#E6E6E6", lw=0.6, zorder=0.5))
        for i in range(1, self.n):
            xsep = self.col_x(i) - GAP / 2
            ax.plot([xsep, xsep], [y, y + h], color="#E6E6E6", lw=0.8, zorder=0.6)
        for e in range(1, 6):
            ey = self.emotion_y(y, e)
            ax.plot([x0, x1], [ey, ey], color="#BDBDBD" if e == 3 else "#EEEEEE",
                    lw=0.8, ls=(0, (4, 3)) if e == 3 else "-", zorder=0.7)
            if e in (1, 3, 5):
                ax.text(MARGIN + LABEL_W - 0.1, ey, f"{e} {EMOTION_LABELS[e - 1]}", fontsize=SMALL,
                        ha="right", va="center", color=th.muted)
        # feeling words under the curve
        strip = y + CURVE_H - 0.03
        for step, (x, lines) in feel.items():
            ax.text(x, strip, "\n".join(lines), fontsize=SMALL, ha="center", va="top",
                    color=th.ink, linespacing=LINE, gid=f"feeling:{step}")
        self.steps["x"] = [feel[int(s)][0] for s in self.steps["step"]] if len(self.steps) else []
        # the curve
        if len(self.curve):
            em = self.steps[self.steps["emotion"].notna()]
            xs = np.array([feel[int(s)][0] for s in em["step"]])
            ys = np.array([self.emotion_y(y, float(e)) for e in em["emotion"]])
            ax.plot(xs, ys, color="#4D4D4D", lw=1.6, zorder=4, solid_capstyle="round", gid="curve")
            mot = self.curve["moment_of_truth"].to_numpy(bool)
            if mot.any():
                ax.scatter(xs[mot], ys[mot], s=25 ** 2, facecolors="none", edgecolors="#000000",
                           linewidths=1.4, zorder=4.5, gid="moments-of-truth")
            peak = self.curve["delight"].to_numpy(bool)
            if peak.any():  # moments of delight: a star above the face (y grows downwards here)
                ax.scatter(xs[peak], ys[peak] - 0.24, s=10 ** 2, marker="*", color="#0B7A3B",
                           linewidths=0, zorder=4.6, gid="moments-of-delight")
            draw_faces(ax, xs, ys, em["emotion"].astype(float).to_numpy(), th, size=15)
        ax.text(MARGIN, y + h - PAD, "◯ moment of truth   ★ moment of delight", fontsize=SMALL,
                va="bottom", color=th.muted)

    def _footer(self, y: float) -> None:
        ax, th = self.ax, self.theme
        y += 0.08
        x = MARGIN
        ax.text(x, y + 0.1, "Pain (weighted)", fontsize=SMALL + 0.5, va="center", weight="bold")
        x += 1.05
        grad = np.linspace(0, 1, 64)[None, :]
        ax.imshow(grad, extent=(x, x + 1.4, y + 0.18, y + 0.02), cmap=th.pain_cmap, aspect="auto",
                  zorder=2, interpolation="bilinear")
        ax.text(x, y + 0.22, "0", fontsize=SMALL, va="top", ha="left", color=th.muted)
        ax.text(x + 1.4, y + 0.22, fmt_number(self.pain_max), fontsize=SMALL, va="top", ha="right",
                color=th.muted)
        x += 1.75
        ax.text(x, y + 0.1, "Opportunities", fontsize=SMALL + 0.5, va="center", weight="bold")
        x += 0.95
        for q in (*scoring.QUADRANTS, ""):
            ax.add_artist(Rectangle((x, y + 0.04), 0.12, 0.12, fc=th.quadrant_color(q), ec="none"))
            label = q or "unscored"
            ax.text(x + 0.17, y + 0.1, label, fontsize=SMALL, va="center")
            x += 0.3 + len(label) * SMALL * 0.6 / 72
        x += 0.2
        ax.text(x, y + 0.1, "Emotion", fontsize=SMALL + 0.5, va="center", weight="bold")
        x += 0.6
        draw_faces(ax, [x + 0.25 * k for k in range(5)], [y + 0.1] * 5, [1, 2, 3, 4, 5], th, size=10,
                   gid="emotion-legend")
        x += 1.3
        ax.set_xlim(0, self.width)
        ax.set_ylim(self.height, 0)
        src = [clean(self.ws.title)]
        if self.ws.reviewed:
            src.append(f"reviewed {self.ws.reviewed.isoformat()}")
        ax.text(MARGIN, y + 0.42, "\n".join(wrap(" · ".join(s for s in src if s),
                                                (self.width - 2 * MARGIN) * 72, SMALL, max_lines=1)),
                fontsize=SMALL, va="top", color=th.muted)

    def _attach(self) -> None:
        fig = self.fig
        steps = self.steps.copy()
        if "x" not in steps:
            steps["x"] = np.nan
        stages = pd.DataFrame({"id": [s.id for s in self.stages], "name": [s.name for s in self.stages],
                               "x": [self.col_x(i) for i in range(self.n)]})
        data = {"stages": stages, "steps": steps, "curve": self.curve, "pains": self.pains,
                "opportunities": self.opps, "pains_not_drawn": self.pains_not_drawn}
        fig._jt_data = data  # type: ignore[attr-defined]  # chart metadata on the Figure
        name = self.ws.persona_name(self.persona)
        mots = self.curve[self.curve["moment_of_truth"]]
        parts = [f"Journey map of {name} across {self.n} stage{'s' if self.n != 1 else ''}"
                 f" ({', '.join(s.name for s in self.stages)})."]
        if len(self.steps):
            parts.append(f"{len(self.steps)} steps; emotion ranges from "
                         f"{_minmax(self.curve)}." if len(self.curve) else f"{len(self.steps)} steps.")
        else:
            parts.append("No steps are mapped for this persona.")
        if len(mots):
            parts.append("Moments of truth: " + "; ".join(
                f"{r.touchpoint_name} ({r.stage_name}, emotion {int(r.emotion)})"
                for r in mots.itertuples()) + ".")
        if len(self.all_pains):  # every pain point of the persona view, drawn or not
            top = self.all_pains.iloc[0]
            parts.append(f"{len(self.all_pains)} pain points; the worst is '{clean(top['description'])}' "
                         f"(weighted pain {fmt_number(float(top['weighted_pain']))}).")
        if len(self.pains_not_drawn):
            parts.append(f"{not_drawn_note(len(self.pains_not_drawn), name)}.")
        scored = self.opps[self.opps["scored"]] if len(self.opps) else self.opps
        if len(scored):
            parts.append(f"Top opportunity: {scored.iloc[0]['title']} "
                         f"(RICE {fmt_number(float(scored.iloc[0]['rice']))}, {scored.iloc[0]['quadrant']}).")
        fig._jt_alt = " ".join(parts)  # type: ignore[attr-defined]  # chart metadata on the Figure


def not_drawn_note(n: int, name: str) -> str:
    """Why ``n`` pain points of all personas are not on ``name``'s map (one sentence, no period)."""
    return (f"{n:,} pain point{'s' if n != 1 else ''} shared by all personas "
            f"{'are' if n != 1 else 'is'} not drawn: {'they are' if n != 1 else 'it is'} in stages "
            f"where {name} has no steps (the pain point ranking lists {'them' if n != 1 else 'it'})")


def _minmax(curve: pd.DataFrame) -> str:
    e = curve["emotion"].astype(float)
    return f"{int(e.min())} to {int(e.max())} on a 1–5 scale"


def _hex(rgba: Any) -> str:
    from matplotlib.colors import to_hex
    return to_hex(rgba)
