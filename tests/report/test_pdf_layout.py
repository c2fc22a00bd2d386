"""PDFs that paginate like a document (issue 16 §3): no near-empty pages but the last of a
section, a running header from page 2 on, page numbers, table headers repeated and no row
of a table alone on a page, the overview as index.pdf, tagged (PDF/UA-1) output.

Pages are read with poppler's ``pdftotext -bbox-layout`` (word positions) and the PDF
structure with pypdf.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import journeytools as jt
from journeytools.report.build import ReportOptions, build_reports

from helpers import write_workshop

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")]

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-25"
MIN_FILL = 0.25  # a page's content reaches at least a quarter of its height
PAGE_NUMBER = re.compile(r"^(\d+) / (\d+)$")
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass
class Page:
    width: float
    height: float
    lines: list[tuple[float, float, str]]  # (top, bottom, text) in points from the top

    @property
    def texts(self) -> list[str]:
        return [t for _, _, t in self.lines]

    def text(self) -> str:
        return "\n".join(self.texts)


def read_pages(pdf: Path) -> list[Page]:
    """Every page's size and text lines with their vertical position."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    pages = []
    for page in ET.fromstring(xml).iter(f"{XHTML}page"):
        lines = [(float(line.get("yMin", 0)), float(line.get("yMax", 0)),
                  " ".join(w.text or "" for w in line.iter(f"{XHTML}word")))
                 for line in page.iter(f"{XHTML}line")]
        pages.append(Page(float(page.get("width", 0)), float(page.get("height", 0)), lines))
    return pages


def content_bottom(page: Page, header: str) -> float:
    """How far down the page its content goes, as a share of the page height (the running
    header and the page number are not content)."""
    bottoms = [bottom for _, bottom, text in page.lines
               if text != header and not PAGE_NUMBER.match(text)]
    return max(bottoms, default=0.0) / page.height


def ends_a_section(pages: list[Page], i: int) -> bool:
    """The last page, or one followed by a page of another size (the map's landscape page
    starts a section on a page of its own)."""
    return i == len(pages) - 1 or (pages[i + 1].width, pages[i + 1].height) != (pages[i].width, pages[i].height)


def assert_paginated(pdf: Path, header: str) -> list[Page]:
    """No near-empty page but the last of a section; the running header on every page but the
    first; "n / N" on every page."""
    pages = read_pages(pdf)
    assert len(pages) >= 2
    for i, page in enumerate(pages):
        where = f"{pdf.name} page {i + 1}"
        numbers = [PAGE_NUMBER.match(t) for t in page.texts]
        assert f"{i + 1} / {len(pages)}" in [m.group(0) for m in numbers if m], where
        assert (header in page.texts) == (i > 0), f"{where}: running header {header!r}"
        if not ends_a_section(pages, i):
            fill = content_bottom(page, header)
            assert fill >= MIN_FILL, f"{where} is near empty ({fill:.0%} of its height used)"
    return pages


# --- the PDF's structure (pypdf) ---

def _walk(node: Any) -> Any:
    """Every structure element under ``node``, depth first, without recursion."""
    stack = [node]
    while stack:
        element = stack.pop().get_object()
        if not isinstance(element, dict):
            continue
        yield element
        kids = element.get("/K")
        if kids is None:
            continue
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:
                stack.append(kid)


def assert_tagged(pdf: Path) -> dict[str, list[Any]]:
    """A tagged PDF/UA-1 document: structure tree, marked content, language, title shown,
    every figure with alt text. Returns the structure elements by tag."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root, pdf.name
    assert root["/MarkInfo"]["/Marked"].value is True  # a pypdf BooleanObject
    assert str(root["/Lang"]) == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata is not None and reader.metadata.title
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()
    tags: dict[str, list[Any]] = {}
    for element in _walk(root["/StructTreeRoot"]):
        tags.setdefault(str(element.get("/S")), []).append(element)
    for tag in ("/H1", "/H2", "/Table", "/TH", "/Figure"):
        assert tags.get(tag), f"{pdf.name}: no {tag} in the structure tree"
    assert all(str(f.get("/Alt", "")).strip() for f in tags["/Figure"]), f"{pdf.name}: a figure without alt text"
    return tags


def link_targets(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [str(a["/A"]["/URI"]) for page in PdfReader(str(pdf)).pages
            for a in (x.get_object() for x in page.get("/Annots") or [])
            if "/A" in a and "/URI" in a["/A"]]


# --- the luggage store ---

@pytest.fixture(scope="module")
def luggage(tmp_path_factory: pytest.TempPathFactory) -> tuple[jt.Workshop, Path]:
    base = tmp_path_factory.mktemp("pdf-luggage")
    folder = Path(shutil.copytree(ROOT / "workshops" / "luggage-store", base / "luggage-store"))
    out = base / "out"
    result = build_reports(folder, out, ReportOptions(formats=("html", "pdf"), jobs=2, today=TODAY))
    assert not result.failures, result.failures
    assert result.index_pdf == out / "index.pdf"
    return jt.load(folder), out


def _company(ws: jt.Workshop) -> str:
    return str(ws.branding.get("company") or ws.title)


def test_persona_pdfs_paginate(luggage: tuple[jt.Workshop, Path]) -> None:
    ws, out = luggage
    for pid, name in zip(ws.personas["id"], ws.personas["name"]):
        pages = assert_paginated(out / f"{pid}.pdf", f"{_company(ws)} · {name} · {ws.title}")
        text = "\n".join(p.text() for p in pages)
        # the map's funnel and KPIs are in the overview, once; the persona's page points there
        assert "Funnel from analytics" not in text and "the overview" in text


def test_overview_pdf(luggage: tuple[jt.Workshop, Path]) -> None:
    ws, out = luggage
    pdf = out / "index.pdf"
    pages = assert_paginated(pdf, f"{_company(ws)} · Overview · {ws.title}")
    text = "\n".join(p.text() for p in pages)
    assert "Where it hurts, persona by stage" in text  # the heatmap section
    assert "Funnel from analytics" in text and "KPIs" in text
    tags = assert_tagged(pdf)
    assert any(str(f["/Alt"]).startswith("Heatmap") for f in tags["/Figure"])
    # links to the reports stay relative: the folder can be moved or sent as a whole
    targets = link_targets(pdf)
    for pid in ws.personas["id"]:
        assert f"{pid}.pdf" in targets and f"{pid}.html" in targets
    assert not [t for t in targets if t.startswith("file:")]


def test_persona_pdfs_are_tagged(luggage: tuple[jt.Workshop, Path]) -> None:
    ws, out = luggage
    for pid in ws.personas["id"]:
        tags = assert_tagged(out / f"{pid}.pdf")
        assert len(tags["/Figure"]) >= 2  # the map, the emotion curve, the matrix …


# --- a small workshop: one pain point, one long table ---

IDEAS = 40  # opportunities: a ranked table of 25 rows over two pages, then "… and 15 more"


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[jt.Workshop, Path]:
    base = tmp_path_factory.mktemp("pdf-small")
    ideas = "\n".join(
        f"idea-{i:02d},Idea {i:02d}: {'a longer title that wraps over two lines ' * (i % 3)}"
        f"done,no-same-day,{100 + 10 * i},1,0.5,{1 + i % 4},5,idea" for i in range(1, IDEAS + 1))
    folder = write_workshop(
        base / "ws",
        personas="id,name,segment,channels,weight\ncommuter,Carla the commuter,Daily riders,web;phone,2\n",
        steps=("persona,touchpoint,order,action,thought,emotion,feeling,expectation\n"
               "commuter,flat-tyre,1,Pushes the bike home,I'll be late again,2,annoyed,\n"
               "commuter,booking-form,2,Looks for a same-day slot,Is there anything today?,3,hopeful,\n"),
        pain_points=("id,persona,touchpoint,description,severity,frequency,evidence,source\n"
                     "no-same-day,commuter,booking-form,No same-day slots shown,4,3,12 calls,support\n"),
        opportunities="id,title,addresses,reach,impact,confidence,effort,ease,status\n" + ideas + "\n")
    out = base / "out"
    result = build_reports(folder, out, ReportOptions(formats=("pdf",), jobs=1, today=TODAY))
    assert not result.failures, result.failures
    return jt.load(folder), out


def test_small_workshop_paginates(small: tuple[jt.Workshop, Path]) -> None:
    ws, out = small
    assert_tagged(out / "index.pdf")
    pages = assert_paginated(out / "commuter.pdf", f"Spoke & Chain · Carla the commuter · {ws.title}")
    assert_tagged(out / "commuter.pdf")
    # the long opportunity ranking (from its heading to the note on the ones not listed):
    # its header on every page it is on, never fewer than two of its rows on a page (print.css)
    first = next(i for i, p in enumerate(pages) if any(t.startswith("Ranked by RICE") for t in p.texts))
    last = next(i for i in range(first, len(pages)) if any("more opportunities" in t for t in pages[i].texts))
    assert last > first, "the ranking was expected over two pages at least"
    for i in range(first, last + 1):
        rows = sum(1 for t in pages[i].texts if re.search(r"\bIdea \d\d:", t))
        assert rows >= 2, f"page {i + 1} holds {rows} row(s) of the ranking"
        assert {"Opportunity", "RICE", "ICE", "Quadrant"} <= set(pages[i].texts), f"page {i + 1}: no table header"
