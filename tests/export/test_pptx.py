"""Slides: title, heatmap, per persona (at a glance, map, emotions, pains, opportunities), plan,
impact/effort, next steps."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

import journeytools as jt
from journeytools.export import export
from journeytools.export.pptx import export_pptx, slide_titles


@pytest.fixture
def charts(fake_charts):  # noqa: ANN001, ANN201 - the stand-in charts module
    """The stand-in charts with alt text on every figure."""
    made = {name: getattr(fake_charts, name) for name in ("emotion_curves", "priority_matrix",
                                                         "pain_heatmap")}

    def with_alt(name: str):  # noqa: ANN202
        def draw(ws, persona=None):  # noqa: ANN001, ANN202
            fig = made[name](ws) if name == "pain_heatmap" else made[name](ws, persona)
            fig._jt_alt = f"alt of {name} {persona}"
            return fig
        return draw

    for name in ("emotion_curves", "priority_matrix", "pain_heatmap"):
        setattr(fake_charts, name, with_alt(name))
    fake_charts.alt_text = lambda fig: fig._jt_alt
    return fake_charts


def _sections(titles: list[str], name: str) -> list[str]:
    """A persona's slide titles as kinds: continuation and per-stage map slides folded."""
    out: list[str] = []
    for t in titles:
        if not t.startswith(f"{name}: "):
            continue
        kind = t[len(name) + 2:].removesuffix(" (continued)").split(",")[0]
        if not out or out[-1] != kind:
            out.append(kind)
    return out


def test_deck_structure(luggage: Path, tmp_path: Path, charts) -> None:  # noqa: ANN001
    ws = jt.load(luggage)
    path = export_pptx(ws, tmp_path / "deck.pptx", charts=charts)
    titles = slide_titles(path)
    assert titles[0] == "Online luggage store — purchase journey"
    assert titles[1] == "Where it hurts, persona by stage"
    for name in ("Mia", "Andy", "Greta"):
        assert _sections(titles, name) == ["at a glance", "journey map", "emotion curve",
                                           "top pain points", "service blueprint",
                                           "root causes of the pain points", "top opportunities"]
    # the map is split over slides, a few stages each, named by their stages
    maps = [t for t in titles if t.startswith("Mia: journey map")]
    assert maps[0] == "Mia: journey map, Awareness to Purchase"
    assert set(maps) <= {maps[0], maps[0] + " (continued)", "Mia: journey map, Delivery to Sharing & loyalty",
                         "Mia: journey map, Delivery to Sharing & loyalty (continued)"}
    assert "Mia: journey map, Delivery to Sharing & loyalty" in titles
    tail = [t for t in titles if not any(t.startswith(f"{n}: ") for n in ("Mia", "Andy", "Greta"))]
    assert tail[2:] == ["Plan per stage", "Where to start: impact and effort", "Next steps"]
    assert ("pain_heatmap", None) in charts.calls and ("emotion_curves", "mia") in charts.calls
    assert charts.calls[-1] == ("priority_matrix", None)
    prs = Presentation(str(path))
    slides = list(prs.slides)
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    # chart slides carry one picture inside the slide, described by the chart's alt text
    for i in (1, titles.index("Mia: emotion curve"), len(titles) - 2):
        pics = [s for s in slides[i].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pics) == 1
        p = pics[0]
        assert p.left >= 0 and p.top >= 0
        assert p.left + p.width <= prs.slide_width and p.top + p.height <= prs.slide_height
        assert p._element.nvPicPr.cNvPr.get("descr").startswith("alt of ")
    pains = slides[titles.index("Mia: top pain points")]
    table = [s for s in pains.shapes if s.has_table][0].table
    assert table.cell(0, 4).text == "Evidence"
    assert table.cell(1, 1).text.startswith("'Add to cart' fails")
    assert "GA4" in table.cell(1, 4).text
    opps = [s for s in slides[titles.index("Mia: top opportunities")].shapes if s.has_table][0].table
    assert opps.cell(1, 1).text.startswith("Fix the add-to-cart 'Unknown error'")
    # branding: the title slide is filled with the primary colour
    fills = [s.fill.fore_color.rgb for s in slides[0].shapes
             if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE]
    assert str(fills[0]) == "C2185B"


def test_one_persona(luggage: Path, tmp_path: Path, charts) -> None:  # noqa: ANN001
    path = export_pptx(jt.load(luggage), tmp_path / "andy.pptx", persona="andy", charts=charts)
    titles = slide_titles(path)
    assert _sections(titles, "Andy") == ["at a glance", "journey map", "emotion curve",
                                         "top pain points", "service blueprint",
                                           "root causes of the pain points", "top opportunities"]
    assert not any(t.startswith(("Mia", "Greta")) for t in titles)
    assert titles[-3:] == ["Plan per stage", "Where to start: impact and effort", "Next steps"]
    assert charts.calls[-1] == ("priority_matrix", "andy")


def test_with_the_real_charts(luggage: Path, tmp_path: Path) -> None:
    try:
        import journeytools.charts  # noqa: F401
    except ImportError as exc:  # pragma: no cover - charts is part of the package
        pytest.fail(f"journeytools.charts does not import: {exc}")
    result = export(luggage, "pptx", tmp_path / "real.pptx", persona="mia")
    assert result.path is not None
    titles = slide_titles(result.path)
    assert titles[:3] == ["Online luggage store — purchase journey",
                          "Where it hurts, persona by stage", "Mia: at a glance"]
    assert _sections(titles, "Mia") == ["at a glance", "journey map", "emotion curve",
                                        "top pain points", "service blueprint",
                                           "root causes of the pain points", "top opportunities"]
    assert titles[-1] == "Next steps"
