"""A PowerPoint deck for a read-out meeting (``export --to pptx``).

Slides: a title slide (a real title placeholder, so outlines and screen readers find it); where
it hurts (the persona × stage heatmap); per persona a page at a glance, the journey map as
native tables (a few stages per slide, text at 10 pt or more), the emotion curve with its
moments of truth, the top pain points and the top opportunities; the plan per stage; the
impact/effort matrix; and the next steps (owners, status, due dates, the next review).

Every table is measured before it is placed: row heights come from the wrapped text (font
metrics of Liberation Sans, metric-compatible with the Arial the deck names), and a table that
does not fit its slide continues on the next, so no row runs off a slide and no word is cut.
Pictures carry the chart's alt text. Colours come from the brand and keep WCAG contrast: text
on the brand colour is black or white, brand-coloured text is darkened until it reads (4.5:1).

Chart images come from ``journeytools.charts`` (``pain_heatmap``, ``emotion_curves``,
``priority_matrix``), imported when the deck is built; pass ``charts=`` to use another module
with the same functions.

>>> import journeytools as jt
>>> from journeytools.export.pptx import export_pptx
>>> export_pptx(jt.load("workshops/luggage-store"), "luggage.pptx")   # doctest: +SKIP
"""

from __future__ import annotations

import io
import math
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd

from ..errors import persona_id
from ..model.workshop import Workshop
from ..plan import next_steps, plan_stages, plan_table
from ..scoring import emotion_curve, hottest_stage, journey, pain_table, stage_pain
from ..scoring import opportunity_table as opportunities
from ..vocab import EMOTION_WORDS, number, one_line, pain_formula

TOP_PAINS = 4
TOP_OPPORTUNITIES = 5
WIDTH_IN, HEIGHT_IN = 13.333, 7.5  # 16:9
MARGIN_IN = 0.6
TITLE_TOP_IN, BODY_TOP_IN, BODY_BOTTOM_IN = 0.35, 1.35, 6.85
BODY_W = WIDTH_IN - 2 * MARGIN_IN
DARK, GREY, LIGHT, WHITE = "222222", "595959", "F3F3F3", "FFFFFF"
MIN_DPI, MAX_DPI = 100, 220
FONT = "Arial"        # named in the deck; measured with Liberation Sans (same metrics)
MIN_PT = 10           # no text on a slide is smaller
BODY_PT, SUB_PT = 12, 10
LINE = 1.2            # line height as a multiple of the font size (PowerPoint and Impress: ~1.17)
CELL_MX, CELL_MY = 0.08, 0.05  # cell margins (inches)
MAP_LABEL_W = 1.3     # the lane label column of the journey map slides
MAP_STAGE_MIN_W = 3.4  # a stage column of the map is at least this wide: 3 stages per slide
CONTINUED = " (continued)"


# -- colours ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Brand:
    colour: str  # RRGGBB: fills and bars
    company: str
    logo: bytes | None
    on_colour: str = WHITE  # text on the brand colour: black or white, whichever reads
    ink: str = "1F5AA6"     # brand-coloured text on white, darkened to 4.5:1


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _brand(ws: Workshop) -> _Brand:
    """The deck's brand: colours derived the way the reports derive them (``brand_colors``:
    text on the brand colour black or white, brand-coloured text darkened to 4.5:1 on white)."""
    from ..charts.theme import brand_colors

    b = ws.branding
    colour = _hex(str(b.get("primary_color") or "#1F5AA6"))
    if not re.fullmatch(r"[0-9A-F]{6}", colour):
        colour = "1F5AA6"
    logo: bytes | None = None
    if b.get("logo") and ws.path is not None:
        from ..model.paths import UnsafePath, read_image

        try:  # inside the folder, an image by its bytes; python-pptx cannot place SVG
            mime, data = read_image(ws.path, b["logo"])
            logo = data if mime in ("image/png", "image/jpeg", "image/gif") else None
        except UnsafePath:
            logo = None
    colours = brand_colors(f"#{colour}")
    return _Brand(colour, str(b.get("company") or ""), logo, _hex(colours.on_header),
                  _hex(colours.accent_text))


def _rgb(hex6: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex6)


# -- measuring text --------------------------------------------------------------------------
@cache
def _font(bold: bool) -> Any:
    """A PIL font at 100 px with Arial's metrics (Liberation Sans; DejaVu Sans, wider, else)."""
    from PIL import ImageFont

    names = ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf") if bold else \
        ("LiberationSans-Regular.ttf", "DejaVuSans.ttf")
    for name in names:
        try:
            return ImageFont.truetype(name, 100)
        except OSError:
            continue
    import matplotlib  # ships DejaVu Sans

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / names[1]
    return ImageFont.truetype(str(path), 100)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of one line of ``text`` in points at ``size``, with a little to spare."""
    return float(_font(bold).getlength(text)) * size / 100 * 1.03


def wrap(text: str, width_pt: float, size: float, bold: bool = False) -> list[str]:
    """Lines of ``text`` as a slide wraps it into ``width_pt`` (words kept whole where they fit;
    a word wider than the line is broken)."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        cur = ""
        for word in para.split():
            trial = f"{cur} {word}" if cur else word
            if text_width(trial, size, bold) <= width_pt:
                cur = trial
                continue
            if cur:
                lines.append(cur)
            cur = word
            while text_width(cur, size, bold) > width_pt and len(cur) > 1:
                cut = len(cur) - 1
                while cut > 1 and text_width(cur[:cut], size, bold) > width_pt:
                    cut -= 1
                lines.append(cur[:cut])
                cur = cur[cut:]
        lines.append(cur)
    return lines


def line_height(size: float) -> float:
    """Height of one line in inches."""
    return size * LINE / 72


@dataclass(frozen=True)
class Para:
    """A paragraph in a table cell: text and how it looks."""

    text: str
    size: float = BODY_PT
    bold: bool = False
    colour: str = DARK
    italic: bool = False
    gap: float = 0  # points of space above: between the items of a cell


Cell = list[Para]
ITEM_GAP = 4


def _paras(value: str | Para | Cell) -> Cell:
    """A cell from text ('first line\\nsmaller grey lines'), a paragraph or paragraphs."""
    if isinstance(value, Para):
        return [value]
    if isinstance(value, list):
        return value
    first, *rest = str(value).split("\n")
    return [Para(first)] + [Para(r, SUB_PT, colour=GREY) for r in rest if r]


def _lines(cell: Cell, width_in: float) -> list[tuple[Para, list[str]]]:
    inner = (width_in - 2 * CELL_MX) * 72
    return [(p, wrap(p.text, inner, p.size, p.bold) if p.text else [""]) for p in cell]


def cell_height(cell: Cell, width_in: float) -> float:
    """Inches a cell needs: its wrapped lines and margins."""
    return sum(len(lines) * line_height(p.size) + p.gap / 72
               for p, lines in _lines(cell, width_in)) + 2 * CELL_MY


def row_height(row: Sequence[Cell], widths: Sequence[float]) -> float:
    return max(cell_height(c, w) for c, w in zip(row, widths))


def _split_cell(cell: Cell, width_in: float, room: float) -> tuple[Cell, Cell]:
    """The part of a cell that fits ``room`` inches, and the rest (whole lines move)."""
    head: Cell = []
    tail: Cell = []
    used = 2 * CELL_MY
    for p, lines in _lines(cell, width_in):
        if tail:
            tail.append(p)
            continue
        lh = line_height(p.size)
        fits = max(0, min(len(lines), int((room - used - p.gap / 72) // lh)))
        if fits == len(lines):
            head.append(p)
            used += fits * lh + p.gap / 72
        else:
            if fits:
                head.append(replace(p, text=" ".join(lines[:fits])))
            tail.append(replace(p, text=" ".join(lines[fits:])))
            used = room
    return head, tail


def paginate(rows: Sequence[Sequence[Cell]], widths: Sequence[float], first_room: float,
             room: float, header_h: float, keep: int = 1) -> list[list[list[Cell]]]:
    """Rows shared out over slides so that each table (header included) fits its room.

    ``first_room`` is the height available on the first slide, ``room`` on the next ones. A row
    that does not fit what is left starts the next slide; one taller than a whole slide is
    split between lines, its first ``keep`` cells repeated on the continuation so that a
    reader knows what row it is.
    """
    min_split = 3 * line_height(BODY_PT) + 2 * CELL_MY  # no split that leaves a line or two
    pages: list[list[list[Cell]]] = [[]]
    left = first_room - header_h
    queue = [list(r) for r in rows]
    while queue:
        row = queue.pop(0)
        h = row_height(row, widths)
        if h <= left:
            pages[-1].append(row)
            left -= h
            continue
        if pages[-1] and (h <= room - header_h or left < min_split):
            pages.append([])
            left = room - header_h
            queue.insert(0, row)
            continue
        parts = [_split_cell(c, w, left) if i >= keep else (c, c)
                 for i, (c, w) in enumerate(zip(row, widths))]
        head, tail = [p[0] for p in parts], [p[1] for p in parts]
        if not any(head[keep:]) or not any(tail[keep:]):  # cannot split: place it as it is
            pages[-1].append(row)
            left = 0
            continue
        pages[-1].append(head)
        pages.append([])
        left = room - header_h
        queue.insert(0, tail)
    return [p for p in pages if p] or [[]]


def _short(text: object, limit: int) -> str:
    """One line of text, cut at a word boundary only where a slide has no room for more."""
    from ..vocab import shorten

    return shorten(one_line(text), limit)


# -- the deck ----------------------------------------------------------------------------------
@dataclass
class _Table:
    header: list[str]
    widths: list[float]
    rows: list[list[Cell]] = field(default_factory=list)
    keep: int = 1  # cells repeated when a row continues on the next slide
    group: int = 0  # leading cells shown once per run of equal values on a slide


class _Deck:
    """The presentation being built, with the few drawing helpers the slides share."""

    def __init__(self, ws: Workshop, charts: ModuleType) -> None:
        from pptx import Presentation
        from pptx.util import Inches

        self.ws, self.charts, self.brand = ws, charts, _brand(ws)
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(WIDTH_IN), Inches(HEIGHT_IN)
        self.footer = " · ".join(x for x in (self.brand.company, ws.title) if x)

    # -- building blocks -------------------------------------------------------------
    def rect(self, slide: Any, left: float, top: float, width: float, height: float,
             colour: str, behind: bool = False) -> Any:
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.util import Inches

        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(top),
                                       Inches(width), Inches(height))
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(colour)
        shape.line.fill.background()
        shape.shadow.inherit = False
        if behind:  # first in the shape tree: drawn under the placeholders
            tree = slide.shapes._spTree
            tree.remove(shape._element)
            tree.insert(2, shape._element)
        return shape

    def _run(self, p: Any, text: str, size: float, bold: bool, colour: str,
             italic: bool = False) -> Any:
        from pptx.util import Pt

        run = p.add_run()
        run.text = text or " "  # an empty paragraph would take the template's 18 pt
        run.font.name = FONT
        run.font.size = Pt(max(size, MIN_PT))
        run.font.bold = bold
        run.font.italic = italic
        run.font.color.rgb = _rgb(colour)
        return run

    def text(self, slide: Any, left: float, top: float, width: float, height: float,
             paragraphs: Sequence[str | tuple[str, dict[str, Any]]], size: int = 14,
             colour: str = DARK, bold: bool = False) -> Any:
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        for i, para in enumerate(paragraphs):
            text, opts = (para, {}) if isinstance(para, str) else para
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            self._run(p, text, opts.get("size", size), opts.get("bold", bold),
                      opts.get("colour", colour), opts.get("italic", False))
            p.space_after = Pt(opts.get("space_after", 6))
            if "space_before" in opts:
                p.space_before = Pt(opts["space_before"])
        return box

    def slide(self, title: str) -> Any:
        """A content slide: title across the top, brand bar, footer and page number."""
        from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
        from pptx.util import Inches

        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # Title Only
        for ph in list(slide.placeholders):
            if ph.placeholder_format.idx != 0:
                ph._element.getparent().remove(ph._element)
        self.rect(slide, 0, 0, 0.18, HEIGHT_IN, self.brand.colour)
        t = slide.shapes.title
        t.left, t.top, t.width, t.height = (Inches(x) for x in
                                            (MARGIN_IN, TITLE_TOP_IN, BODY_W, 0.85))
        frame = t.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        p = frame.paragraphs[0]
        p.alignment = PP_ALIGN.LEFT
        self._run(p, title, 28 if len(title) <= 60 else 22, True, DARK)
        n = len(self.prs.slides)
        self.text(slide, MARGIN_IN, HEIGHT_IN - 0.45, BODY_W - 1, 0.3,
                  [_short(self.footer, 140)], size=MIN_PT, colour=GREY)
        num = self.text(slide, WIDTH_IN - MARGIN_IN - 0.8, HEIGHT_IN - 0.45, 0.8, 0.3, [str(n)],
                        size=MIN_PT, colour=GREY)
        num.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
        return slide

    def alt(self, fig: Any, fallback: str) -> str:
        """The chart's alt text (``charts.alt_text``), or ``fallback`` when it has none."""
        get = getattr(self.charts, "alt_text", None)
        text = get(fig) if get is not None else str(getattr(fig, "_jt_alt", "") or "")
        return one_line(text) or fallback

    def picture(self, slide: Any, fig: Any, left: float, top: float, width: float,
                height: float, alt: str = "") -> Any:
        """A matplotlib figure as a PNG, as large as fits the box, centred in it, with the
        chart's alt text as the picture's description."""
        from PIL import Image
        from pptx.util import Inches

        # about 2 pixels per point of the box: sharp on a projector, small files
        fig_w, fig_h = fig.get_size_inches()
        dpi = max(MIN_DPI, min(MAX_DPI, 144 * min(width / fig_w, height / fig_h) * 2))
        as_bytes = getattr(self.charts, "figure_bytes", None)
        if as_bytes is not None:
            buf = io.BytesIO(as_bytes(fig, "png", dpi=dpi))
        else:
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
        with Image.open(buf) as im:
            w_px, h_px = im.size
        scale = min(width / w_px, height / h_px)
        w, h = w_px * scale, h_px * scale
        buf.seek(0)
        pic = slide.shapes.add_picture(buf, Inches(left + (width - w) / 2),
                                       Inches(top + (height - h) / 2), Inches(w), Inches(h))
        described = self.alt(fig, alt or "Chart")
        pic._element.nvPicPr.cNvPr.set("descr", described)
        pic.name = _short(described, 60)
        return pic

    def tables(self, title: str, table: _Table, top: float = BODY_TOP_IN,
               bottom: float = BODY_BOTTOM_IN) -> list[Any]:
        """As many slides as ``table`` needs, each with a table that fits above ``bottom``.
        The header repeats on each; later slides are titled '… (continued)'."""
        header = [[Para(h, BODY_PT, True, self.brand.on_colour)] for h in table.header]
        header_h = row_height(header, table.widths)
        pages = paginate(table.rows, table.widths, bottom - top, bottom - BODY_TOP_IN, header_h,
                         table.keep)
        slides = []
        for i, rows in enumerate(pages):
            slide = self.slide(title if i == 0 else title + CONTINUED)
            self.place_table(slide, header, _grouped(rows, table.group), table.widths,
                             top if i == 0 else BODY_TOP_IN)
            slides.append(slide)
        return slides

    def place_table(self, slide: Any, header: list[Cell], rows: list[list[Cell]],
                    widths: Sequence[float], top: float) -> Any:
        from pptx.util import Inches

        all_rows = [header, *rows]
        heights = [row_height(r, widths) for r in all_rows]
        shape = slide.shapes.add_table(len(all_rows), len(widths), Inches(MARGIN_IN), Inches(top),
                                       Inches(sum(widths)), Inches(sum(heights)))
        grid = shape.table
        grid.first_row = True
        for j, w in enumerate(widths):
            grid.columns[j].width = Inches(w)
        for i, (row, h) in enumerate(zip(all_rows, heights)):
            grid.rows[i].height = Inches(h)
            fill = self.brand.colour if i == 0 else (WHITE if i % 2 else LIGHT)
            for j, cell in enumerate(row):
                self._cell(grid.cell(i, j), cell, fill)
        return shape

    def _cell(self, cell: Any, paras: Cell, fill: str) -> None:
        from pptx.util import Inches, Pt

        cell.text = ""
        frame = cell.text_frame
        frame.word_wrap = True
        for k, para in enumerate(paras or [Para("")]):
            p = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
            self._run(p, para.text, para.size, para.bold, para.colour, para.italic)
            p.space_before = Pt(para.gap)
            p.space_after = Pt(0)
        cell.margin_left = cell.margin_right = Inches(CELL_MX)
        cell.margin_top = cell.margin_bottom = Inches(CELL_MY)
        cell.fill.solid()
        cell.fill.fore_color.rgb = _rgb(fill)

    # -- slides ----------------------------------------------------------------------
    def title_slide(self) -> None:
        from pptx.util import Inches

        ws, brand = self.ws, self.brand
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[0])  # Title Slide
        self.rect(slide, 0, 0, WIDTH_IN, HEIGHT_IN, brand.colour, behind=True)
        band = self.rect(slide, 0, HEIGHT_IN - 0.9, WIDTH_IN, 0.9, WHITE)
        band.name = "Footer band"
        ink = brand.on_colour
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = (Inches(x) for x in (0.9, 1.3, WIDTH_IN - 1.8, 2.0))
        frame = title.text_frame
        frame.word_wrap = True
        from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

        frame.vertical_anchor = MSO_ANCHOR.BOTTOM
        frame.paragraphs[0].alignment = PP_ALIGN.LEFT
        self._run(frame.paragraphs[0], ws.title, 40, True, ink)
        facts = [f"{ws.state.capitalize()}-state customer journey map"]
        if ws.date:
            facts.append(f"workshop of {ws.date.day} {ws.date:%B %Y}")
        sub = next(ph for ph in slide.placeholders if ph.placeholder_format.idx == 1)
        sub.left, sub.top, sub.width, sub.height = (Inches(x) for x in (0.9, 3.45, WIDTH_IN - 1.8, 2.4))
        frame = sub.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.TOP
        lines = [(ws.organisation, 22)] if ws.organisation else []
        lines.append((", ".join(facts), 18))
        personas = ", ".join(str(n) for n in ws.personas["name"])
        if personas:
            lines.append((f"Personas: {_short(personas, 160)}", 16))
        for i, (text, size) in enumerate(lines):
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            p.alignment = PP_ALIGN.LEFT
            self._run(p, text, size, False, ink)
        self.text(slide, 0.9, HEIGHT_IN - 0.7, WIDTH_IN - 4, 0.5,
                  [_short(brand.company or ws.organisation, 80)], size=14, colour=DARK, bold=True)
        if brand.logo is not None:
            pic = slide.shapes.add_picture(io.BytesIO(brand.logo), Inches(WIDTH_IN - 2.6),
                                           Inches(HEIGHT_IN - 0.8), height=Inches(0.7))
            pic._element.nvPicPr.cNvPr.set("descr", f"{brand.company or ws.organisation} logo")

    def heatmap_slide(self) -> None:
        """Where it hurts: weighted pain per persona and stage, the hottest stage named."""
        ws = self.ws
        slide = self.slide("Where it hurts, persona by stage")
        panel = 3.4
        fig = self.charts.pain_heatmap(ws)
        self.picture(slide, fig, MARGIN_IN, BODY_TOP_IN, BODY_W - panel - 0.3,
                     BODY_BOTTOM_IN - BODY_TOP_IN, alt="Heatmap of weighted pain by persona and stage")
        sp = stage_pain(ws)
        hot = hottest_stage(ws)
        lines: list[str | tuple[str, dict[str, Any]]] = [
            ("Weighted pain", {"bold": True, "size": 16, "colour": self.brand.ink}),
            ("severity × frequency × persona weight, plus dot votes; each persona's row is that "
             "persona's view, and the rows add up to the stage totals.", {"size": 13, "space_after": 14})]
        if hot and sp["pain"].max() > 0:
            row = sp[sp["id"] == hot].iloc[0]
            lines += [("Hottest stage", {"bold": True, "size": 16, "colour": self.brand.ink}),
                      (f"{row['name']}: {number(row['pain'])}", {"size": 14})]
        self.text(slide, WIDTH_IN - MARGIN_IN - panel, BODY_TOP_IN + 0.2, panel,
                  BODY_BOTTOM_IN - BODY_TOP_IN - 0.2, lines)

    def persona_slides(self, persona: str) -> None:
        ws, charts = self.ws, self.charts
        name = ws.persona_name(persona)
        self.glance_slide(persona, name)
        self.map_slides(persona, name)

        slide = self.slide(f"{name}: emotion curve")
        curve = emotion_curve(ws, persona)
        panel = 3.6
        fig = charts.emotion_curves(ws, persona)
        self.picture(slide, fig, MARGIN_IN, BODY_TOP_IN, BODY_W - panel - 0.3,
                     BODY_BOTTOM_IN - BODY_TOP_IN, alt=f"Emotion curve of {name}")
        moments = curve[curve["moment_of_truth"]]
        lines: list[str | tuple[str, dict[str, Any]]] = [
            ("Moments of truth", {"bold": True, "size": 16, "colour": self.brand.ink})]
        for r in moments.head(6).itertuples():
            lines.append((f"{_short(r.touchpoint_name, 60)} ({r.stage_name}): emotion "
                          f"{int(r.emotion)}" + (f", down {int(r.drop)}" if r.drop >= 2 else ""),
                          {"size": 13}))
        if len(moments) > 6:
            lines.append((f"and {len(moments) - 6:,} more", {"size": 13, "colour": GREY}))
        if not len(moments):
            lines.append(("None: no step at 2 or below, no drop of 2 or more.", {"size": 13}))
        if len(curve) == 0:
            lines = [("No emotions recorded for this persona yet.", {"size": 13})]
        self.text(slide, WIDTH_IN - MARGIN_IN - panel, BODY_TOP_IN + 0.2, panel,
                  BODY_BOTTOM_IN - BODY_TOP_IN - 0.2, lines)

        pains = pain_table(ws, persona).head(TOP_PAINS)
        if len(pains):
            tp_names = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"]))
            table = _Table(["#", "Pain point", "Touchpoint", "Weighted pain", "Evidence"],
                           [0.5, 4.5, 1.9, 1.7, 3.53])
            table.rows = [[_paras(str(int(r.rank))), _paras(f"{one_line(r.description)}\n{r.id}"),
                           _paras(one_line(tp_names.get(r.touchpoint, r.touchpoint))),
                           _paras(f"{number(r.weighted_pain)}\n= {_formula(r)}"),
                           _paras(f"{one_line(r.evidence) or 'No evidence yet'}\n{r.source}")]
                          for r in pains.itertuples()]
            self.tables(f"{name}: top pain points", table)
        else:
            slide = self.slide(f"{name}: top pain points")
            self.text(slide, MARGIN_IN, BODY_TOP_IN, BODY_W, 1, ["No pain points recorded yet."], size=16)

        self.blueprint_slides(persona, name)

        opps = opportunities(ws, persona)
        scored = opps[opps["scored"]].head(TOP_OPPORTUNITIES)
        unscored = opps[~opps["scored"]]
        note = _short("Not yet scored: " + "; ".join(
            f"{r.title} (missing {', '.join(r.missing)})" for r in unscored.itertuples()), 220) \
            if len(unscored) else ""
        bottom = BODY_BOTTOM_IN - (0.5 if note else 0)
        if len(scored):
            table = _Table(["#", "Opportunity", "Addresses", "RICE", "Pain relieved", "Quadrant",
                            "Status"], [0.5, 5.0, 2.0, 1.0, 1.2, 1.3, 1.13])
            table.rows = [[_paras(str(int(r.rank))),
                           _paras(f"{one_line(r.title)}\n{one_line(r.description)}"),
                           _paras(", ".join(r.addresses) or "–"), _paras(number(r.rice)),
                           _paras(number(r.pain_relieved)), _paras(r.quadrant),
                           _paras(r.status or "–")] for r in scored.itertuples()]
            slide = self.tables(f"{name}: top opportunities", table, bottom=bottom)[-1]
        else:
            slide = self.slide(f"{name}: top opportunities")
            self.text(slide, MARGIN_IN, BODY_TOP_IN, BODY_W, 1, ["No scored opportunities yet."], size=16)
        if note:
            self.text(slide, MARGIN_IN, BODY_BOTTOM_IN - 0.45, BODY_W, 0.4, [note], size=11, colour=GREY)

    def blueprint_slides(self, persona: str, name: str) -> None:
        """The service blueprint under the persona's journey (SPEC §8) and the root causes of
        its pain points: which process, lane, team and system; nothing without a blueprint."""
        from .. import blueprint as bp

        pains = pain_table(self.ws, persona)
        procs = bp.persona_rows(self.ws, persona, pains)
        if not len(procs):
            return
        tp_names = dict(zip(self.ws.touchpoints["id"], self.ws.touchpoints["name"]))
        order = {t: i for i, t in enumerate(dict.fromkeys(journey(self.ws, persona)["touchpoint"]))}
        procs = procs.assign(_o=procs["touchpoint"].map(order).fillna(len(order))).sort_values(
            "_o", kind="mergesort")
        table = _Table(["Touchpoint", "Lane", "Process", "Owner · system", "Fails"],
                       [2.2, 1.6, 5.6, 2.0, 0.73], group=1)
        table.rows = [[_paras(one_line(tp_names.get(r.touchpoint, r.touchpoint))),
                       _paras(bp.LANE_NAMES.get(r.lane, r.lane)), _paras(one_line(r.text)),
                       _paras(" · ".join(x for x in (r.owner, r.system) if x) or "–"),
                       _paras("⚠ yes" if r.fails else "")] for r in procs.itertuples()]
        self.tables(f"{name}: service blueprint", table)
        causes = bp.root_causes(self.ws, pains, persona).head(TOP_PAINS * 2)
        if len(causes):
            table = _Table(["#", "Pain point", "Caused by", "Lane", "Owner", "System"],
                           [0.5, 3.4, 4.0, 1.5, 1.5, 1.23], group=2)
            table.rows = [[_paras(str(int(r.rank))), _paras(f"{one_line(r.description)}\n{number(r.weighted_pain)}"),
                           _paras(("⚠ " if r.fails else "") + one_line(r.process)),
                           _paras(bp.LANE_NAMES.get(r.lane, r.lane)), _paras(r.owner or "no owner"),
                           _paras(r.system or "–")] for r in causes.itertuples()]
            self.tables(f"{name}: root causes of the pain points", table)

    def glance_slide(self, persona: str, name: str) -> None:
        """Who the persona is and what stands out: segment, quote, hottest stage, lowest moment,
        top pain point."""
        slide = self.slide(f"{name}: at a glance")
        facts = self._facts(persona) or [[(f"Nothing recorded about {name} yet: no segment, "
                                             "quote, steps or pain points.", {"size": 16})]]
        half = (len(facts) + 1) // 2
        self.text(slide, MARGIN_IN, BODY_TOP_IN, BODY_W / 2 - 0.2, BODY_BOTTOM_IN - BODY_TOP_IN,
                  [p for block in facts[:half] for p in block])
        self.text(slide, MARGIN_IN + BODY_W / 2 + 0.2, BODY_TOP_IN, BODY_W / 2 - 0.2,
                  BODY_BOTTOM_IN - BODY_TOP_IN, [p for block in facts[half:] for p in block])

    def _facts(self, persona: str) -> list[list[tuple[str, dict[str, Any]]]]:
        """Blocks of text about a persona: a heading and its text each."""
        ws = self.ws
        row = ws.personas[ws.personas["id"] == persona].iloc[0]
        head = {"bold": True, "colour": self.brand.ink, "size": 16, "space_after": 4}
        body = {"size": 15, "space_after": 16}
        out: list[list[tuple[str, dict[str, Any]]]] = []
        for key, label in (("segment", "Segment"), ("quote", "In their words"), ("goals", "Goals"),
                           ("frustrations", "Frustrations")):
            value = one_line(row.get(key, ""))
            if value:
                out.append([(label, head), (_short(f"“{value}”" if key == "quote" else value, 220), body)])
        sp = stage_pain(ws, persona)
        hot = hottest_stage(ws, persona)
        if hot and sp["pain"].max() > 0:
            r = sp[sp["id"] == hot].iloc[0]
            out.append([("Hottest stage", head), (f"{r['name']} (weighted pain {number(r['pain'])})", body)])
        curve = emotion_curve(ws, persona)
        if len(curve):
            low = curve.loc[curve["emotion"].astype(float).idxmin()]
            out.append([("Lowest moment", head),
                        (f"{one_line(low['touchpoint_name'])} in {low['stage_name']} (emotion "
                         f"{int(low['emotion'])}: {EMOTION_WORDS.get(int(low['emotion']), '')})", body)])
        pains = pain_table(ws, persona)
        if len(pains):
            out.append([("Top pain point", head), (_short(pains.iloc[0]["description"], 220), body)])
        return out

    def map_slides(self, persona: str, name: str) -> None:
        """The journey map as native tables: lanes as rows, a few stages per slide, so text
        stays at 10 pt or more; a lane too long for one slide continues on the next."""
        ws = self.ws
        steps = journey(ws, persona)
        pains = pain_table(ws, persona)
        opps = opportunities(ws, persona)
        stages = ws.stages
        per = max(1, int((BODY_W - MAP_LABEL_W) // MAP_STAGE_MIN_W))
        n_slides = max(1, math.ceil(len(stages) / per))
        sizes = [len(stages) // n_slides + (i < len(stages) % n_slides) for i in range(n_slides)]
        starts = [sum(sizes[:i]) for i in range(n_slides)]  # 7 stages: 3 + 2 + 2, not 3 + 3 + 1
        groups = [stages[a:a + n] for a, n in zip(starts, sizes)] or [[]]
        for group in groups:
            col = (BODY_W - MAP_LABEL_W) / max(len(group), 1)
            table = _Table(["", *[s.name for s in group]], [MAP_LABEL_W, *[col] * len(group)])
            table.rows = _map_rows(group, steps, pains, opps)
            span = group[0].name if len(group) == 1 else f"{group[0].name} to {group[-1].name}"
            title = f"{name}: journey map" + (f", {span}" if len(groups) > 1 else "")
            self.tables(title, table)

    def plan_slides(self, persona: str | None) -> None:
        """The plan per stage: stage, kind, opportunity, owner, status, RICE rank."""
        ws = self.ws
        opps = opportunities(ws, persona)
        table = _Table(["Stage", "Kind", "Opportunity", "Owner", "Status", "Rank"],
                       [1.9, 1.55, 4.6, 2.2, 1.25, 0.63], keep=2, group=2)
        for s in plan_stages(ws, table=plan_table(ws, opportunities=opps)):
            if not s.groups:
                table.rows.append([_paras(s.name), [], [Para("Nothing planned yet", colour=GREY,
                                                             italic=True)], [], [], []])
            for g in s.groups:
                for r in g.items.itertuples():
                    table.rows.append([_paras(s.name), _paras(g.label), _paras(one_line(r.title)),
                                       _paras(one_line(r.owner)) if r.owner else
                                       [Para("No owner yet", colour=GREY, italic=True)],
                                       _paras(r.status or "–"),
                                       _paras("–" if pd.isna(r.rank) else str(int(r.rank)))])
        self.tables("Plan per stage", table)

    def closing_slide(self, persona: str | None) -> None:
        ws = self.ws
        slide = self.slide("Where to start: impact and effort")
        opps = opportunities(ws, persona)
        panel = 3.8
        fig = self.charts.priority_matrix(ws, persona) if persona else self.charts.priority_matrix(ws)
        self.picture(slide, fig, MARGIN_IN, BODY_TOP_IN, BODY_W - panel - 0.3,
                     BODY_BOTTOM_IN - BODY_TOP_IN, alt="Impact/effort matrix of the opportunities")
        lines: list[str | tuple[str, dict[str, Any]]] = []
        for quadrant in ("quick win", "big bet"):
            chosen = opps[opps["quadrant"] == quadrant].head(4)
            lines.append((quadrant.capitalize() + "s", {"bold": True, "size": 16,
                                                         "colour": self.brand.ink,
                                                         "space_before": 12 if lines else 0}))
            lines += [(f"{_short(r.title, 70)} (RICE {number(r.rice)})", {"size": 13})
                      for r in chosen.itertuples()] or [("None yet", {"size": 13, "colour": GREY})]
        self.text(slide, WIDTH_IN - MARGIN_IN - panel, BODY_TOP_IN + 0.2, panel,
                  BODY_BOTTOM_IN - BODY_TOP_IN - 0.2, lines)

    def next_steps_slides(self, persona: str | None) -> None:
        """Who does what next: open opportunities with owner, status and due date, and when the
        map itself is reviewed next."""
        ws = self.ws
        steps = next_steps(ws, opportunities=opportunities(ws, persona))
        due = ws.review_due()
        review = (f"Next review of this map: {due.isoformat()} (every {ws.review_every_months} "
                  "months)." if due else "")
        has_due = bool((steps["due"] != "").any()) if len(steps) else False
        header = ["Opportunity", "Stage", "Owner", "Status", *(["Due"] if has_due else []), "Rank"]
        widths = [4.9, 2.0, 2.5, 1.4, *([1.3] if has_due else []), 0.7]
        widths[0] += BODY_W - sum(widths)
        bottom = BODY_BOTTOM_IN - (0.5 if review else 0)
        if len(steps):
            table = _Table(header, widths)
            table.rows = [[_paras(one_line(r.title)), _paras(r.stage_name),
                           _paras(one_line(r.owner)) if r.owner else
                           [Para("No owner yet", colour=GREY, italic=True)],
                           _paras(r.status or "–"), *([_paras(r.due or "–")] if has_due else []),
                           _paras("–" if pd.isna(r.rank) else str(int(r.rank)))]
                          for r in steps.itertuples()]
            slide = self.tables("Next steps", table, bottom=bottom)[-1]
        else:
            slide = self.slide("Next steps")
            self.text(slide, MARGIN_IN, BODY_TOP_IN, BODY_W, 1,
                      ["Nothing open: every opportunity is done or dropped."], size=16)
        if review:
            self.text(slide, MARGIN_IN, BODY_BOTTOM_IN - 0.45, BODY_W, 0.4, [review], size=13,
                      colour=DARK)


def _formula(r: Any) -> str:
    """How a pain point's weighted pain is made (a row of ``pain_table``, persona view)."""
    return pain_formula(r.severity, r.frequency, float(r.weight), int(r.votes), float(r.vote_share))


def _grouped(rows: list[list[Cell]], n: int) -> list[list[Cell]]:
    """Rows with their first ``n`` cells left blank where they repeat the row above (a stage
    or kind is named once per run on a slide)."""
    out: list[list[Cell]] = []
    prev: list[str] = []
    for row in rows:
        keys = [" ".join(p.text for p in c) for c in row[:n]]
        same = 0
        while same < n and same < len(prev) and keys[same] == prev[same]:
            same += 1
        out.append([[] if j < same else c for j, c in enumerate(row[:n])] + list(row[n:]))
        prev = keys
    return out


def _map_rows(stages: Sequence[Any], steps: pd.DataFrame, pains: pd.DataFrame,
              opps: pd.DataFrame) -> list[list[Cell]]:
    """The lanes of the journey map for ``stages``: doing, thinking, feeling, touchpoints,
    pain points, opportunities."""
    def in_stage(frame: pd.DataFrame, sid: str) -> pd.DataFrame:
        return frame[frame["stage"] == sid] if len(frame) else frame

    def doing(sid: str) -> Cell:
        s = in_stage(steps, sid)
        if not len(s):
            return [Para("No step in this stage", SUB_PT, colour=GREY, italic=True)]
        return [Para(one_line(a)) for a in s["action"] if one_line(a)] or \
            [Para("(no action written)", SUB_PT, colour=GREY, italic=True)]

    def thinking(sid: str) -> Cell:
        return [Para(f"“{one_line(t)}”", italic=True) for t in in_stage(steps, sid)["thought"]
                if one_line(t)]

    def feeling(sid: str) -> Cell:
        out = []
        for r in in_stage(steps, sid).itertuples():
            e = "" if pd.isna(r.emotion) else f"{int(r.emotion)}/5 {EMOTION_WORDS.get(int(r.emotion), '')}"
            text = " · ".join(x for x in (e, one_line(r.feeling)) if x)
            if text:
                out.append(Para(text))
        return out

    def touchpoints(sid: str) -> Cell:
        s = in_stage(steps, sid)
        return [Para(f"{one_line(n)} ({c})" if c else one_line(n))
                for n, c in zip(s["touchpoint_name"], s["channel"])]

    def pain(sid: str) -> Cell:
        out: Cell = []
        for r in in_stage(pains, sid).itertuples():
            out += [Para(one_line(r.description)),
                    Para(f"pain {number(r.weighted_pain)} = {_formula(r)}",
                         SUB_PT, colour=GREY)]
        return out

    def opportunity(sid: str) -> Cell:
        out: Cell = []
        for r in in_stage(opps, sid).itertuples():
            facts = [f"RICE rank {int(r.rank)}, {r.quadrant}" if r.scored else "not yet scored",
                     r.status]
            out += [Para(one_line(r.title)), Para(" · ".join(f for f in facts if f), SUB_PT, colour=GREY)]
        return out

    lanes = [("Doing", doing), ("Thinking", thinking), ("Feeling", feeling),
             ("Touchpoints", touchpoints), ("Pain points", pain), ("Opportunities", opportunity)]
    rows = []
    for label, make in lanes:
        cells = [make(s.id) for s in stages]
        rows.append([[Para(label, BODY_PT, True)], *[_spaced(c) for c in cells]])
    return rows


def _spaced(cell: Cell) -> Cell:
    """A little space above each item of a cell after the first (an item is a main-size
    paragraph; its smaller detail line stays with it)."""
    return [replace(p, gap=ITEM_GAP) if k and p.size >= BODY_PT else p for k, p in enumerate(cell)]


def _charts_module() -> ModuleType:
    try:
        from .. import charts
    except ImportError as exc:  # pragma: no cover - charts ships with journeytools
        raise RuntimeError(f"slides need journeytools.charts, which failed to import: {exc}") from exc
    return charts


def build(ws: Workshop, persona: str | None = None, charts: ModuleType | None = None) -> Any:
    """The ``pptx.Presentation`` for a workshop (or one persona's view of it)."""
    pid = persona_id(ws, persona) if persona is not None else None
    ids = [pid] if pid is not None else [str(p) for p in ws.personas["id"]]
    deck = _Deck(ws, charts or _charts_module())
    deck.title_slide()
    deck.heatmap_slide()
    for one in ids:
        deck.persona_slides(one)
    deck.plan_slides(pid)
    deck.closing_slide(pid)
    deck.next_steps_slides(pid)
    return deck.prs


def export_pptx(ws: Workshop, path: str | os.PathLike, persona: str | None = None,
                charts: ModuleType | None = None) -> Path:
    """Write the deck to ``path``; returns it."""
    target = Path(path)
    prs = build(ws, persona, charts)
    buf = io.BytesIO()
    prs.save(buf)
    from ..fsutil import write_atomic

    write_atomic({target: buf.getvalue()})
    return target


def write(ws: Workshop, path: Path, persona: str | None = None) -> Path:
    """The registry's entry point (see :func:`export_pptx`)."""
    return export_pptx(ws, path, persona)


def slide_titles(path: str | os.PathLike) -> list[str]:
    """The title of every slide of a deck (for checks and tests)."""
    from pptx import Presentation

    out = []
    for slide in Presentation(str(path)).slides:
        title = slide.shapes.title
        if title is not None:
            out.append(title.text)
        else:
            named = [s for s in slide.shapes if s.name == "Title" and s.has_text_frame]
            out.append(named[0].text_frame.paragraphs[0].text if named else "")
    return out
