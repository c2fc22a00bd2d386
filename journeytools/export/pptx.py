"""A PowerPoint deck for a read-out meeting (``export --to pptx``).

Slides: a branded title slide; per persona the journey map, the emotion curve (with its
moments of truth), the top pain points with their evidence and the top opportunities; a
closing slide with the impact/effort matrix. Chart images come from ``journeytools.charts``
(``journey_map``, ``emotion_curves``, ``priority_matrix``), imported when the deck is built;
pass ``charts=`` to use another module with the same functions.

>>> import journeytools as jt
>>> from journeytools.export.pptx import export_pptx
>>> export_pptx(jt.load("workshops/luggage-store"), "luggage.pptx")   # doctest: +SKIP
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import persona_id
from ..model.workshop import Workshop
from ..scoring import emotion_curve, pain_table
from ..scoring import opportunity_table as opportunities
from ..vocab import shorten

TOP_PAINS = 4
TOP_OPPORTUNITIES = 5
WIDTH_IN, HEIGHT_IN = 13.333, 7.5  # 16:9
MARGIN_IN = 0.6
TITLE_TOP_IN, BODY_TOP_IN, BODY_BOTTOM_IN = 0.35, 1.35, 6.85
DARK, GREY, LIGHT = "222222", "666666", "F3F3F3"
MIN_DPI, MAX_DPI = 100, 220


@dataclass(frozen=True)
class _Brand:
    colour: str  # RRGGBB
    company: str
    logo: bytes | None


def _brand(ws: Workshop) -> _Brand:
    b = ws.branding
    colour = str(b.get("primary_color") or "#1F5AA6").lstrip("#").upper()
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
    return _Brand(colour, str(b.get("company") or ""), logo)


def _short(text: object, limit: int) -> str:
    return shorten(" ".join(str(text or "").split()), limit)


def _rgb(hex6: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex6)


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
             colour: str) -> Any:
        from pptx.enum.shapes import MSO_SHAPE
        from pptx.util import Inches

        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(left), Inches(top),
                                       Inches(width), Inches(height))
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(colour)
        shape.line.fill.background()
        shape.shadow.inherit = False
        return shape

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
            run = p.add_run()
            run.text = text
            run.font.size = Pt(opts.get("size", size))
            run.font.bold = opts.get("bold", bold)
            run.font.color.rgb = _rgb(opts.get("colour", colour))
            p.space_after = Pt(opts.get("space_after", 6))
            if "space_before" in opts:
                p.space_before = Pt(opts["space_before"])
        return box

    def slide(self, title: str, title_box: tuple[float, float, float, float] | None = None) -> Any:
        """A content slide: title (across the top unless ``title_box`` places it), brand bar,
        footer and page number."""
        from pptx.util import Inches, Pt

        slide = self.prs.slides.add_slide(self.prs.slide_layouts[5])  # Title Only
        for ph in list(slide.placeholders):
            if ph.placeholder_format.idx != 0:
                ph._element.getparent().remove(ph._element)
        self.rect(slide, 0, 0, 0.18, HEIGHT_IN, self.brand.colour)
        from pptx.enum.text import MSO_ANCHOR, PP_ALIGN

        box = title_box or (MARGIN_IN, TITLE_TOP_IN, WIDTH_IN - 2 * MARGIN_IN, 0.85)
        t = slide.shapes.title
        t.left, t.top, t.width, t.height = (Inches(x) for x in box)
        t.text = title
        frame = t.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.TOP if title_box else MSO_ANCHOR.MIDDLE
        for p in frame.paragraphs:
            p.alignment = PP_ALIGN.LEFT
            for r in p.runs:
                r.font.size, r.font.bold, r.font.color.rgb = Pt(28), True, _rgb(DARK)
        n = len(self.prs.slides)
        self.text(slide, MARGIN_IN, HEIGHT_IN - 0.45, WIDTH_IN - 2 * MARGIN_IN - 1, 0.3,
                  [_short(self.footer, 140)], size=10, colour=GREY)
        num = self.text(slide, WIDTH_IN - MARGIN_IN - 0.8, HEIGHT_IN - 0.45, 0.8, 0.3, [str(n)],
                        size=10, colour=GREY)
        num.text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
        return slide

    def picture(self, slide: Any, fig: Any, left: float, top: float, width: float,
                height: float) -> Any:
        """A matplotlib figure as a PNG, as large as fits the box, centred in it."""
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
        return slide.shapes.add_picture(buf, Inches(left + (width - w) / 2),
                                        Inches(top + (height - h) / 2), Inches(w), Inches(h))

    def table(self, slide: Any, header: Sequence[str], rows: Sequence[Sequence[str]],
              widths: Sequence[float], top: float = BODY_TOP_IN, size: int = 12) -> Any:
        from pptx.util import Inches

        left = MARGIN_IN
        shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(left), Inches(top),
                                       Inches(sum(widths)), Inches(0.4 * (len(rows) + 1)))
        table = shape.table
        for j, w in enumerate(widths):
            table.columns[j].width = Inches(w)
        for j, name in enumerate(header):
            self._cell(table.cell(0, j), name, size, bold=True, colour="FFFFFF",
                       fill=self.brand.colour)
        for i, row in enumerate(rows, 1):
            for j, value in enumerate(row):
                self._cell(table.cell(i, j), value, size, fill="FFFFFF" if i % 2 else LIGHT)
        for i in range(len(rows) + 1):
            table.rows[i].height = Inches(0.4)
        return shape

    def _cell(self, cell: Any, value: str, size: int, bold: bool = False, colour: str = DARK,
              fill: str | None = None) -> None:
        from pptx.util import Inches, Pt

        cell.text = ""
        lines = str(value).split("\n")
        for k, line in enumerate(lines):
            p = cell.text_frame.paragraphs[0] if k == 0 else cell.text_frame.add_paragraph()
            run = p.add_run()
            run.text = line
            run.font.size = Pt(size if k == 0 else size - 2)
            run.font.bold = bold and k == 0
            run.font.color.rgb = _rgb(colour if k == 0 else GREY)
        cell.margin_left = cell.margin_right = Inches(0.08)
        cell.margin_top = cell.margin_bottom = Inches(0.05)
        if fill:
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(fill)

    # -- slides ----------------------------------------------------------------------
    def title_slide(self) -> None:
        from pptx.util import Inches

        ws, brand = self.ws, self.brand
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[6])  # Blank
        for ph in list(slide.placeholders):
            ph._element.getparent().remove(ph._element)
        self.rect(slide, 0, 0, WIDTH_IN, HEIGHT_IN, brand.colour)
        self.rect(slide, 0, HEIGHT_IN - 0.9, WIDTH_IN, 0.9, "FFFFFF")
        facts = [f"{ws.state.capitalize()}-state customer journey map"]
        if ws.date:
            facts.append(f"workshop of {ws.date.day} {ws.date:%B %Y}")
        paras: list[str | tuple[str, dict[str, Any]]] = [
            (ws.title, {"size": 40, "bold": True, "colour": "FFFFFF", "space_after": 18})]
        if ws.organisation:
            paras.append((ws.organisation, {"size": 22, "colour": "FFFFFF"}))
        paras.append((", ".join(facts), {"size": 18, "colour": "FFFFFF"}))
        box = self.text(slide, 0.9, 1.6, WIDTH_IN - 1.8, 2.9, paras)
        box.name = "Title"
        personas = ", ".join(str(n) for n in ws.personas["name"])
        if personas:
            self.text(slide, 0.9, 4.6, WIDTH_IN - 1.8, 0.8, [f"Personas: {_short(personas, 160)}"],
                      size=16, colour="FFFFFF")
        self.text(slide, 0.9, HEIGHT_IN - 0.7, WIDTH_IN - 4, 0.5,
                  [_short(brand.company or ws.organisation, 80)], size=14, colour=DARK, bold=True)
        if brand.logo is not None:
            slide.shapes.add_picture(io.BytesIO(brand.logo), Inches(WIDTH_IN - 2.6), Inches(HEIGHT_IN - 0.8),
                                     height=Inches(0.7))

    def persona_slides(self, persona: str) -> None:
        ws, charts = self.ws, self.charts
        name = ws.persona_name(persona)
        left, width = MARGIN_IN, WIDTH_IN - 2 * MARGIN_IN
        body_h = BODY_BOTTOM_IN - BODY_TOP_IN

        side = 3.3  # the map is tall: title and key facts on the left, the map at full height
        slide = self.slide(f"{name}: journey map", (MARGIN_IN, TITLE_TOP_IN, side, 1.4))
        self.text(slide, MARGIN_IN, TITLE_TOP_IN + 1.5, side, BODY_BOTTOM_IN - TITLE_TOP_IN - 1.5,
                  self._facts(persona))
        self.picture(slide, charts.journey_map(ws, persona), MARGIN_IN + side + 0.2, 0.2,
                     WIDTH_IN - 2 * MARGIN_IN - side - 0.2, HEIGHT_IN - 0.75)

        slide = self.slide(f"{name}: emotion curve")
        curve = emotion_curve(ws, persona)
        panel = 3.6
        self.picture(slide, charts.emotion_curves(ws, persona), left, BODY_TOP_IN,
                     width - panel - 0.3, body_h)
        moments = curve[curve["moment_of_truth"]]
        lines: list[str | tuple[str, dict[str, Any]]] = [
            ("Moments of truth", {"bold": True, "size": 16, "colour": self.brand.colour})]
        for r in moments.head(6).itertuples():
            lines.append((f"{_short(r.touchpoint_name, 60)} ({r.stage_name}): emotion "
                          f"{int(r.emotion)}" + (f", down {int(r.drop)}" if r.drop >= 2 else ""),
                          {"size": 13}))
        if not len(moments):
            lines.append(("None: no step at 2 or below, no drop of 2 or more.", {"size": 13}))
        if len(curve) == 0:
            lines = [("No emotions recorded for this persona yet.", {"size": 13})]
        self.text(slide, WIDTH_IN - MARGIN_IN - panel, BODY_TOP_IN + 0.2, panel, body_h - 0.2, lines)

        pains = pain_table(ws, persona).head(TOP_PAINS)
        slide = self.slide(f"{name}: top pain points")
        if len(pains):
            tp_names = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"]))
            rows = [[str(int(r.rank)), f"{_short(r.description, 150)}\n{r.id}",
                     _short(tp_names.get(r.touchpoint, r.touchpoint), 40),
                     f"{int(r.severity)} × {int(r.frequency)} = {int(r.pain_score)}\n"
                     f"weighted {r.weighted_pain:g}",
                     f"{_short(r.evidence, 170) or 'No evidence yet'}\n{r.source}"]
                    for r in pains.itertuples()]
            self.table(slide, ["#", "Pain point", "Touchpoint", "Score", "Evidence"], rows,
                       [0.45, 4.6, 1.9, 1.45, 3.7], size=12)
        else:
            self.text(slide, left, BODY_TOP_IN, width, 1, ["No pain points recorded yet."], size=16)

        opps = opportunities(ws, persona)
        scored = opps[opps["scored"]].head(TOP_OPPORTUNITIES)
        slide = self.slide(f"{name}: top opportunities")
        if len(scored):
            rows = [[str(int(r.rank)), f"{_short(r.title, 80)}\n{_short(r.description, 120)}",
                     ", ".join(r.addresses) or "–", f"{r.rice:,.0f}", f"{r.pain_relieved:g}",
                     r.quadrant, r.status or "–"] for r in scored.itertuples()]
            self.table(slide, ["#", "Opportunity", "Addresses", "RICE", "Pain relieved", "Quadrant",
                               "Status"], rows, [0.45, 5.2, 2.0, 0.95, 1.15, 1.25, 1.1], size=12)
        else:
            self.text(slide, left, BODY_TOP_IN, width, 1, ["No scored opportunities yet."], size=16)
        unscored = opps[~opps["scored"]]
        if len(unscored):
            self.text(slide, left, BODY_BOTTOM_IN - 0.45, width, 0.4,
                      [_short("Not yet scored: " + "; ".join(
                          f"{r.title} (missing {', '.join(r.missing)})"
                          for r in unscored.itertuples()), 220)], size=11, colour=GREY)

    def _facts(self, persona: str) -> list[str | tuple[str, dict[str, Any]]]:
        """Key facts beside the journey map: segment, hottest stage, lows, top pain."""
        from ..scoring import stage_pain

        ws = self.ws
        row = ws.personas[ws.personas["id"] == persona].iloc[0]
        out: list[str | tuple[str, dict[str, Any]]] = []
        segment = str(row.get("segment", "") or "").strip()
        if segment:
            out.append((_short(segment, 80), {"size": 15, "colour": GREY, "space_after": 14}))
        quote = str(row.get("quote", "") or "").strip()
        if quote:
            out.append((f"“{_short(quote, 160)}”", {"size": 13, "colour": GREY, "space_after": 14}))
        sp = stage_pain(ws, persona)
        if len(sp) and sp["pain"].max() > 0:
            hot = sp.loc[sp["pain"].idxmax()]
            out += [("Hottest stage", {"bold": True, "colour": self.brand.colour, "size": 13}),
                    (f"{hot['name']} (weighted pain {hot['pain']:g})", {"size": 13, "space_after": 12})]
        curve = emotion_curve(ws, persona)
        if len(curve):
            low = curve.loc[curve["emotion"].astype(float).idxmin()]
            out += [("Lowest moment", {"bold": True, "colour": self.brand.colour, "size": 13}),
                    (f"{_short(low['touchpoint_name'], 60)} (emotion {int(low['emotion'])})",
                     {"size": 13, "space_after": 12})]
        pains = pain_table(ws, persona)
        if len(pains):
            out += [("Top pain point", {"bold": True, "colour": self.brand.colour, "size": 13}),
                    (_short(pains.iloc[0]["description"], 120), {"size": 13})]
        return out

    def closing_slide(self) -> None:
        ws = self.ws
        slide = self.slide("Where to start: impact and effort")
        opps = opportunities(ws)
        panel = 3.8
        width = WIDTH_IN - 2 * MARGIN_IN
        self.picture(slide, self.charts.priority_matrix(ws), MARGIN_IN, BODY_TOP_IN,
                     width - panel - 0.3, BODY_BOTTOM_IN - BODY_TOP_IN)
        lines: list[str | tuple[str, dict[str, Any]]] = []
        for quadrant in ("quick win", "big bet"):
            chosen = opps[opps["quadrant"] == quadrant].head(4)
            lines.append((quadrant.capitalize() + "s", {"bold": True, "size": 16,
                                                         "colour": self.brand.colour,
                                                         "space_before": 12 if lines else 0}))
            lines += [(f"{_short(r.title, 70)} (RICE {r.rice:,.0f})", {"size": 13})
                      for r in chosen.itertuples()] or [("None yet", {"size": 13, "colour": GREY})]
        self.text(slide, WIDTH_IN - MARGIN_IN - panel, BODY_TOP_IN + 0.2, panel,
                  BODY_BOTTOM_IN - BODY_TOP_IN - 0.2, lines)


def _charts_module() -> ModuleType:
    try:
        from .. import charts
    except ImportError as exc:  # pragma: no cover - charts ships with journeytools
        raise RuntimeError(f"slides need journeytools.charts, which failed to import: {exc}") from exc
    return charts


def build(ws: Workshop, persona: str | None = None, charts: ModuleType | None = None) -> Any:
    """The ``pptx.Presentation`` for a workshop (or one persona)."""
    ids = [persona_id(ws, persona)] if persona is not None else [str(p) for p in ws.personas["id"]]
    deck = _Deck(ws, charts or _charts_module())
    deck.title_slide()
    for pid in ids:
        deck.persona_slides(pid)
    deck.closing_slide()
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

