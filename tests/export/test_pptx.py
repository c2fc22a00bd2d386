"""Slides: a title slide, four slides per persona and a closing impact/effort slide."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

import journeytools as jt
from journeytools.export import export
from journeytools.export.pptx import export_pptx, slide_titles


def test_deck_structure(luggage: Path, tmp_path: Path, fake_charts) -> None:
    ws = jt.load(luggage)
    path = export_pptx(ws, tmp_path / "deck.pptx", charts=fake_charts)
    titles = slide_titles(path)
    assert len(titles) == 1 + 4 * len(ws.personas) + 1
    assert titles[0] == "Online luggage store — purchase journey"
    assert titles[1:5] == ["Mia: journey map", "Mia: emotion curve", "Mia: top pain points",
                           "Mia: top opportunities"]
    assert titles[-1] == "Where to start: impact and effort"
    assert fake_charts.calls[:2] == [("journey_map", "mia"), ("emotion_curves", "mia")]
    assert fake_charts.calls[-1] == ("priority_matrix", None)
    prs = Presentation(str(path))
    slides = list(prs.slides)
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    # chart slides carry a picture inside the slide; pain and opportunity slides a table
    for slide in slides[1:3] + slides[-1:]:
        pics = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pics) == 1
        p = pics[0]
        assert p.left >= 0 and p.top >= 0
        assert p.left + p.width <= prs.slide_width and p.top + p.height <= prs.slide_height
    table = [s for s in slides[3].shapes if s.has_table][0].table
    assert table.cell(0, 4).text == "Evidence"
    assert table.cell(1, 1).text.startswith("'Add to cart' fails")
    assert "GA4" in table.cell(1, 4).text
    opps = [s for s in slides[4].shapes if s.has_table][0].table
    assert opps.cell(1, 1).text.startswith("Fix the add-to-cart 'Unknown error'")
    # branding: the title slide is filled with the primary colour
    fills = [s.fill.fore_color.rgb for s in slides[0].shapes
             if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE]
    assert str(fills[0]) == "C2185B"


def test_one_persona(luggage: Path, tmp_path: Path, fake_charts) -> None:
    path = export_pptx(jt.load(luggage), tmp_path / "andy.pptx", persona="andy",
                       charts=fake_charts)
    assert slide_titles(path)[1:5] == ["Andy: journey map", "Andy: emotion curve",
                                       "Andy: top pain points", "Andy: top opportunities"]
    assert len(slide_titles(path)) == 6


def test_with_the_real_charts(luggage: Path, tmp_path: Path) -> None:
    try:
        import journeytools.charts  # noqa: F401
    except ImportError as exc:  # pragma: no cover - charts is part of the package
        pytest.fail(f"journeytools.charts does not import: {exc}")
    result = export(luggage, "pptx", tmp_path / "real.pptx", persona="mia")
    assert result.path is not None
    titles = slide_titles(result.path)
    assert titles == ["Online luggage store — purchase journey", "Mia: journey map",
                      "Mia: emotion curve", "Mia: top pain points", "Mia: top opportunities",
                      "Where to start: impact and effort"]
