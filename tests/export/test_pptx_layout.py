"""The deck's layout: tables that fit their slides (split when long), text of 10 pt or more,
pictures described by the chart's alt text, a real title placeholder, brand colours that keep
contrast, the plan per stage and the next steps."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from html import unescape as html_unescape
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.util import Emu

import journeytools as jt
from journeytools.charts.theme import contrast
from journeytools.export.pptx import BODY_BOTTOM_IN, HEIGHT_IN, MIN_PT, export_pptx, slide_titles
from journeytools.plan import KINDS

from helpers import STEPS, WORKSHOP_YML, write_workshop

LONG_ACTION = " ".join(f"word{i:03d}" for i in range(450))  # ~3,600 characters: more than a slide
KINDS_CYCLE = ["product", "fix", "", "campaign", "content", "personalisation", "process"]


def _stress(folder: Path, primary: str = "#2E7D32") -> Path:
    """A workshop with 40 long-titled opportunities and one step longer than a slide."""
    opps = ["id,title,stage,reach,impact,confidence,effort,owner,status,kind"]
    for i in range(40):
        title = f"Opportunity {i:02d} " + "with a long title that wraps over lines " * (1 + i % 3)
        stage = ("need", "booking", "repair")[i % 3]
        status = ("idea", "planned", "in-progress", "done", "dropped")[i % 5]
        opps.append(f"o{i:02d},{title.strip()},{stage},{100 + i},1,0.5,1,{'' if i % 4 else 'Team ' + str(i)},"
                    f"{status},{KINDS_CYCLE[i % len(KINDS_CYCLE)]}")
    steps = STEPS + f"commuter,booking-form,4,{LONG_ACTION},,3,,\n"
    yml = WORKSHOP_YML.replace('"#2E7D32"', f'"{primary}"')
    return write_workshop(folder, opportunities="\n".join(opps) + "\n", steps=steps, workshop=yml)


def _tables(prs: Any) -> Iterator[tuple[int, Any]]:
    for i, slide in enumerate(prs.slides):
        for shape in slide.shapes:
            if shape.has_table:
                yield i, shape


def _rows(shape: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in shape.table.rows]


@pytest.fixture(scope="module")
def stress_deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("stress")
    return export_pptx(jt.load(_stress(tmp / "ws")), tmp / "stress.pptx")


def test_the_title_slide_has_a_title_placeholder(stress_deck: Path) -> None:
    first = Presentation(str(stress_deck)).slides[0]
    title = first.shapes.title
    assert title is not None and title.is_placeholder
    assert title.placeholder_format.type in (PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE)
    assert title.text == "Bike shop — repair booking journey"
    # the brand background is behind the title, not over it
    shapes = list(first.shapes)
    assert shapes.index(title) > 0 and shapes[0].shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE


def test_no_table_runs_past_its_slide_and_no_text_is_small(stress_deck: Path) -> None:
    prs = Presentation(str(stress_deck))
    bottom = Emu(int(BODY_BOTTOM_IN * 914400))
    n = 0
    for _, shape in _tables(prs):
        n += 1
        height = sum(r.height for r in shape.table.rows)
        assert shape.top + height <= bottom + 1000, (shape.top + height) / 914400
    assert n > 5
    for slide in prs.slides:
        for shape in slide.shapes:
            frames = [c.text_frame for r in shape.table.rows for c in r.cells] if shape.has_table else \
                [shape.text_frame] if shape.has_text_frame else []
            for frame in frames:
                for p in frame.paragraphs:
                    for run in p.runs:
                        assert run.font.size is not None and run.font.size.pt >= MIN_PT, run.text


def test_a_step_longer_than_a_slide_continues_on_the_next(stress_deck: Path) -> None:
    prs = Presentation(str(stress_deck))
    titles = slide_titles(stress_deck)
    maps = [i for i, t in enumerate(titles) if t.startswith("Carla the commuter: journey map")]
    assert len(maps) >= 2 and titles[maps[1]].endswith("(continued)")
    text = " ".join(c for i, shape in _tables(prs) if i in maps for row in _rows(shape) for c in row)
    words = re.findall(r"word\d{3}", text)
    assert words == LONG_ACTION.split()  # every word, once, in order
    # the lane's label is repeated on the slide that continues it
    labels = [_rows(shape)[1][0] for i, shape in _tables(prs) if i in maps[1:]]
    assert labels[0] == "Doing"


def test_the_plan_is_grouped_by_stage_then_kind_and_continues(stress_deck: Path) -> None:
    prs = Presentation(str(stress_deck))
    titles = slide_titles(stress_deck)
    plan = [i for i, t in enumerate(titles) if t.startswith("Plan per stage")]
    assert len(plan) >= 2 and titles[plan[1]] == "Plan per stage (continued)"
    seen: list[tuple[str, str, str]] = []
    for i, shape in _tables(prs):
        if i not in plan:
            continue
        rows = _rows(shape)
        assert rows[0] == ["Stage", "Kind", "Opportunity", "Owner", "Status", "Rank"]
        stage = kind = ""
        for row in rows[1:]:
            stage, kind = (row[0].strip() or stage), (row[1].strip() or kind)
            seen.append((stage, kind, row[2]))
        assert rows[1][0].strip() and rows[1][1].strip()  # a slide names its first stage and kind
    stages = ["Need arises", "Booking", "Repair"]
    labels = [k.capitalize() for k in KINDS]
    keys = [(stages.index(s), labels.index(k)) for s, k, _ in seen]
    assert keys == sorted(keys)
    ids = [re.match(r"Opportunity (\d\d)", t).group(1) for _, _, t in seen]  # type: ignore[union-attr]
    dropped = {f"{i:02d}" for i in range(40) if i % 5 == 4}
    assert sorted(ids) == sorted(f"{i:02d}" for i in range(40) if f"{i:02d}" not in dropped)


def test_next_steps_name_owners_status_and_the_next_review(stress_deck: Path) -> None:
    prs = Presentation(str(stress_deck))
    titles = slide_titles(stress_deck)
    first = titles.index("Next steps")
    slides = [prs.slides[i] for i in range(first, len(titles))]
    rows = [r for s in slides for shape in s.shapes if shape.has_table for r in _rows(shape)[1:]]
    statuses = [r[3] for r in rows]
    order = ["in-progress", "planned", "idea"]
    assert statuses == sorted(statuses, key=order.index) and set(statuses) == set(order)
    assert {r[2] for r in rows} >= {"Team 0", "No owner yet"}
    texts = [shape.text_frame.text for shape in slides[-1].shapes if shape.has_text_frame]
    assert "Next review of this map: 2027-05-02 (every 6 months)." in texts


def _runs_on(slide: Any, background: str) -> Iterator[tuple[str, str, str]]:
    """(text, colour, background) of every run of a slide's text and tables."""
    for shape in slide.shapes:
        if shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    fill = str(cell.fill.fore_color.rgb)
                    for p in cell.text_frame.paragraphs:
                        for run in p.runs:
                            yield run.text, str(run.font.color.rgb), fill
        elif shape.has_text_frame and shape.name != "Footer band":
            bg = background if shape.is_placeholder or shape.top < Emu(int((HEIGHT_IN - 0.9) * 914400)) \
                else "FFFFFF"
            for p in shape.text_frame.paragraphs:
                for run in p.runs:
                    yield run.text, str(run.font.color.rgb), bg


@pytest.mark.parametrize("primary", ["#FFC107", "#101010", "#C2185B"])
def test_brand_colours_keep_text_readable(tmp_path: Path, primary: str) -> None:
    path = export_pptx(jt.load(_stress(tmp_path / "ws", primary)), tmp_path / "deck.pptx",
                       persona="racer")
    prs = Presentation(str(path))
    slides = list(prs.slides)
    checked = 0
    for i, slide in enumerate(slides):
        for text, colour, bg in _runs_on(slide, primary.lstrip("#").upper() if i == 0 else "FFFFFF"):
            if text.strip():
                assert contrast(f"#{colour}", f"#{bg}") >= 4.5, (i, text, colour, bg)
                checked += 1
    assert checked > 50


def test_pictures_carry_the_charts_alt_text(luggage: Path, tmp_path: Path) -> None:
    from journeytools import charts

    ws = jt.load(luggage)
    path = export_pptx(ws, tmp_path / "mia.pptx", persona="mia")
    slides = list(Presentation(str(path)).slides)
    described = [s._element.nvPicPr.cNvPr.get("descr") for slide in slides[1:]
                 for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    logos = [s._element.nvPicPr.cNvPr.get("descr") for s in slides[0].shapes
             if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert logos in ([], ["Example Luggage Co logo"])
    expected = [charts.alt_text(charts.pain_heatmap(ws)), charts.alt_text(charts.emotion_curves(ws, "mia")),
                charts.alt_text(charts.priority_matrix(ws, "mia"))]
    assert all(expected) and [" ".join(e.split()) for e in expected] == described
    assert not any(d.endswith(".png") for d in described)


def _impress() -> str:
    soffice = shutil.which("soffice")
    if soffice is None or not list(Path("/usr/lib/libreoffice/program").glob("libsdlo.so")):
        pytest.skip("LibreOffice Impress is not installed: apt-get install libreoffice-impress-nogui")
    return soffice


@pytest.mark.slow
@pytest.mark.parametrize("which", ["stress", "luggage"])
def test_libreoffice_draws_every_table_inside_its_slide(which: str, request: pytest.FixtureRequest,
                                                        tmp_path: Path) -> None:
    """Rendered by LibreOffice, no text lands between the body and the footer or below it, and
    the last word of every table cell is on its slide."""
    soffice = _impress()
    deck = request.getfixturevalue("stress_deck") if which == "stress" else \
        export_pptx(jt.load(request.getfixturevalue("luggage")), tmp_path / "luggage.pptx")
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
                   check=True, capture_output=True, timeout=240)
    pdf = tmp_path / f"{deck.stem}.pdf"
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = html.split("<page ")[1:]
    prs = Presentation(str(deck))
    assert len(pages) == len(prs.slides)
    footer_y = (HEIGHT_IN - 0.5) * 72
    for i, (page, slide) in enumerate(zip(pages, prs.slides)):
        if i == 0:
            continue  # the title slide: company name in its bottom band
        words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page)
        assert words, i
        low = [w for y0, y1, w in words if float(y1) > BODY_BOTTOM_IN * 72 + 2 and float(y0) < footer_y]
        assert not low, (i + 1, low[:10])
        body = set(re.findall(r"\w+", " ".join(html_unescape(w) for y0, _, w in words
                                                if float(y0) < footer_y)))
        for shape in slide.shapes:
            if shape.has_table:
                for row in _rows(shape):
                    for cell in row:
                        for word in re.findall(r"\w{3,}", cell)[-1:]:
                            assert word in body, (i + 1, word, cell)


def test_blueprint_slides_name_processes_owners_and_root_causes(luggage):
    import journeytools as jt
    from journeytools.export.pptx import build

    deck = build(jt.load(luggage), "mia")
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert "Mia: service blueprint" in titles and "Mia: root causes of the pain points" in titles
    texts = []
    for slide in deck.slides:
        if slide.shapes.title is not None and slide.shapes.title.text.startswith("Mia: root causes"):
            for shape in slide.shapes:
                if shape.has_table:
                    texts += [c.text for row in shape.table.rows for c in row.cells]
    assert any("stock-sync job" in t for t in texts) and "E-commerce engineering" in texts
    (luggage / "blueprint.csv").unlink()
    plain = build(jt.load(luggage), "mia")
    assert not [s for s in plain.slides if s.shapes.title is not None and "blueprint" in s.shapes.title.text]
