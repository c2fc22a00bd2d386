"""The report's journey map is vector with real text: an inline SVG at its own size in the
HTML (scrolling sideways in its box), on a page of its own size in the PDF, with every word of
every card there to select and search, and type of at least 7 pt on paper."""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from journeytools.report import sections as S
from journeytools.report.build import ReportOptions, build_reports
from journeytools.report.render import report_css
from journeytools.vocab import ELLIPSIS

from helpers import write_workshop

LONG_ACTION = ("Compares the express slot with the standard one, reads the small print about "
               "parts that may need ordering, checks the bus timetable home and finally decides "
               "to book the express repair slot for Friday morning, then calls to confirm it.")
STEPS = f"""\
persona,touchpoint,order,action,thought,emotion,feeling,expectation
commuter,flat-tyre,1,Pushes the bike home,I'll be late again,2,annoyed,
commuter,booking-form,2,"{LONG_ACTION}",Is there anything today?,3,hopeful,A slot today
commuter,workshop-visit,3,Drops the bike off,Will it be ready tonight?,4,relieved,
racer,booking-form,,Books a service,Easy enough,4,calm,
"""
TODAY = "2026-11-25"
PT_PER_MM = 72 / 25.4
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")


@pytest.fixture(scope="module")
def bike(tmp_path_factory) -> Path:
    assert len(LONG_ACTION) >= 200
    return write_workshop(tmp_path_factory.mktemp("bike") / "ws", steps=STEPS)


@pytest.fixture(scope="module")
def section(bike) -> str:
    return S.journey_map(S.context(bike, "commuter", TODAY)).html


def words(text: str) -> str:
    """Text with hyphenation at line ends undone and whitespace normalised."""
    return " ".join(re.sub(r"-\n(?=\w)", "", text).split())


def the_svg(html: str) -> str:
    found = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert len(found) == 1, "one inline SVG: the map"
    return found[0]


def svg_text(svg: str) -> str:
    return words(" ".join(unescape(t) for t in re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)))


def page_size_mm(html: str) -> tuple[float, float]:
    m = re.search(r"@page jt-map \{ size: ([\d.]+)mm ([\d.]+)mm; \}", html)
    assert m, "the section sets its page's size"
    return float(m.group(1)), float(m.group(2))


def svg_size_pt(svg: str) -> tuple[float, float]:
    m = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert m
    return float(m.group(1)), float(m.group(2))


def test_map_is_an_inline_svg_with_the_full_text(section):
    svg = the_svg(section)
    assert "<img" not in section  # no picture of text (the one raster: the legend's colour ramp)
    assert len(re.findall(r"data:image/png", svg)) <= 1 and "data:image/png" not in section.replace(svg, "")
    assert 'role="img"' in svg and 'aria-label="Journey map of Carla the commuter across 3 stages"' in svg
    assert "<title>Journey map of Carla the commuter across 3 stages</title>" in svg
    assert LONG_ACTION in svg_text(svg)
    assert ELLIPSIS not in svg_text(svg)
    # shown at its own size in a box that scrolls sideways and can be reached by keyboard
    box = re.search(r'<div class="jt-map-scroll"([^>]*)>\s*<svg', section)
    assert box and 'role="region"' in box.group(1) and 'tabindex="0"' in box.group(1)
    assert "aria-label=" in box.group(1)
    css = report_css()
    assert re.search(r"\.jt-map-scroll \{[^}]*overflow-x: auto", css)
    assert re.search(r"\.jt-map-scroll > svg \{[^}]*max-width: none", css)
    # and as a table, for reading and screen readers
    assert "<summary>The map as a table</summary>" in section
    assert LONG_ACTION in unescape(section.split("<details", 1)[1])


def test_map_page_is_as_big_as_the_map(section):
    svg = the_svg(section)
    width_pt, height_pt = svg_size_pt(svg)
    page_w, page_h = page_size_mm(section)
    top, right, bottom, left = S.MAP_MARGINS_MM
    assert (page_w - left - right) * PT_PER_MM >= width_pt  # as wide as the stages need
    assert (page_h - top - bottom) * PT_PER_MM >= height_pt
    assert page_w >= 297 and page_h >= 210  # at least A4 landscape
    sizes = [float(s) for s in re.findall(r"font-size: ([\d.]+)px", svg)]
    assert min(sizes) >= 7  # SVG user units are points, and the map is never scaled down


def test_map_page_size_grows_with_the_map():
    assert S.map_page_size(5.0, 4.0) == (297.0, 210.0)
    w, h = S.map_page_size(30.0, 20.0)
    assert w == pytest.approx(30 * 25.4 + 24, abs=0.1) and h > 20 * 25.4 + 33


def pdf_text(pdf: Path, page: int | None = None) -> str:
    """The words of a PDF (of one page) in the order they are drawn (``pdftotext -raw``: a
    card's lines stay together; the default layout mode joins lines of neighbouring cards
    that share a baseline), hyphenation undone, whitespace normalised."""
    args = ["pdftotext", "-raw"] + (["-f", str(page), "-l", str(page)] if page else [])
    return words(subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True,
                                check=True).stdout)


def pdf_words(pdf: Path, page: int | None = None) -> list[tuple[str, float, float]]:
    """(word, height in pt, page width in pt) of every word pdftotext finds."""
    args = ["pdftotext", "-bbox"] + (["-f", str(page), "-l", str(page)] if page else [])
    out = subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    found = []
    for page_attrs, body in re.findall(r"<page ([^>]*)>(.*?)</page>", out, re.S):
        width = float(re.search(r'width="([\d.]+)"', page_attrs).group(1))
        for y0, y1, word in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" '
                                       r'yMax="([\d.]+)">([^<]*)</word>', body):
            found.append((unescape(word), float(y1) - float(y0), width))
    return found


@needs_pdftotext
def test_pdf_map_page_has_the_full_text_at_print_size(section, tmp_path):
    from weasyprint import HTML

    page = ("<!doctype html><html><head><meta charset='utf-8'><style>" + report_css()
            + "</style></head><body class='jt-report'>" + section + "</body></html>")
    pdf = tmp_path / "map.pdf"
    HTML(string=page).write_pdf(pdf)
    assert LONG_ACTION in pdf_text(pdf, 1)  # the map's own page
    first = pdf_words(pdf, 1)
    assert set(LONG_ACTION.split()) <= {w for w, _, _ in first}  # also in layout mode
    width_mm = first[0][2] / PT_PER_MM
    assert width_mm == pytest.approx(page_size_mm(section)[0], abs=1)
    action = set(LONG_ACTION.replace(",", " ").replace(".", " ").split())
    heights = [h for w, h, _ in first if w.strip(",.") in action]
    assert heights and min(heights) >= 7  # a 7.6 pt line of text is ~8.8 pt high


@pytest.mark.slow
@needs_pdftotext
def test_built_report_has_the_full_action_in_html_and_pdf(bike, tmp_path):
    out = tmp_path / "out"
    result = build_reports(bike, out, ReportOptions(formats=("html", "pdf"), personas=("commuter",),
                                                    jobs=1, today=TODAY))
    assert not result.failures
    html = (out / "commuter.html").read_text(encoding="utf-8")
    assert LONG_ACTION in svg_text(the_svg(html))
    assert LONG_ACTION in pdf_text(out / "commuter.pdf")
    from pypdf import PdfReader

    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
             for p in PdfReader(str(out / "commuter.pdf")).pages}
    page_w, page_h = page_size_mm(html)
    assert (round(page_w * PT_PER_MM), round(page_h * PT_PER_MM)) in sizes  # the map's own page


def test_map_tables_split_wide_maps_evenly():
    """Seven stages make two tables (4 + 3), each with every lane; every stage in one of them."""
    folder = Path(__file__).resolve().parents[2] / "workshops" / "holiday-booking"
    ctx = S.context(folder, "lukas-eva", TODAY)
    html = S.journey_map(ctx).html.split("<details", 1)[1]
    tables = re.findall(r"<table class=\"jt-table jt-map\">(.*?)</table>", html, re.S)
    heads = [re.findall(r'<th scope="col">([^<]*)</th>', t) for t in tables]
    assert [len(h) for h in heads] == [4, 3]
    assert [unescape(n) for h in heads for n in h] == [s.name for s in ctx.ws.stages]
    for t in tables:
        assert len(re.findall(r'<th scope="row">', t)) == 6
    assert "1 pain point shared by all personas is not drawn" in S.journey_map(ctx).html
