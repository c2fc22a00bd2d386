"""Colours derived from a brand colour: every pair meets WCAG AA, whatever the brand."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import journeytools as jt
from journeytools.charts import theme_for
from journeytools.charts.theme import (
    GRAPHIC_CONTRAST,
    TEXT_CONTRAST,
    Theme,
    brand_colors,
    contrast,
    luminance,
    readable_on,
    text_on,
)

hex_colors = st.integers(0, 0xFFFFFF).map(lambda v: f"#{v:06X}")
WHITE = "#FFFFFF"


@settings(max_examples=400, deadline=None)
@given(hex_colors)
def test_every_derived_pair_meets_its_ratio(color: str) -> None:
    b = brand_colors(color)
    assert b.accent == color
    assert contrast(b.accent_text, WHITE) >= TEXT_CONTRAST
    assert contrast(b.header, b.on_header) >= TEXT_CONTRAST
    assert contrast(b.graphic, WHITE) >= GRAPHIC_CONTRAST
    assert contrast(text_on(b.accent), b.accent) >= TEXT_CONTRAST
    theme = Theme(accent=color)
    assert contrast(theme.accent_ink, theme.paper) >= TEXT_CONTRAST
    assert contrast(theme.strong, theme.paper) >= GRAPHIC_CONTRAST
    assert contrast(theme.accent_text, theme.accent) >= TEXT_CONTRAST


@settings(max_examples=200, deadline=None)
@given(hex_colors, st.sampled_from([TEXT_CONTRAST, GRAPHIC_CONTRAST]))
def test_darkening_keeps_readable_colours_and_darkens_only_as_far_as_needed(color: str,
                                                                           ratio: float) -> None:
    out = readable_on(color, WHITE, ratio)
    if contrast(color, WHITE) >= ratio:
        assert out == color  # a brand colour that reads is used as it is
    else:
        assert luminance(out) < luminance(color)
        # it stops soon after reaching the ratio: no needless darkening
        assert contrast(out, WHITE) - ratio < 0.35


@pytest.mark.parametrize(("color", "text", "header_text"), [
    ("#FFC107", "#947004", "#111111"),   # amber: white on it was 1.63:1
    ("#0A0A0A", "#0A0A0A", "#FFFFFF"),   # near-black reads as it is
    ("#C2185B", "#C2185B", "#FFFFFF"),   # the luggage store's pink reads as it is
])
def test_known_brands(color: str, text: str, header_text: str) -> None:
    b = brand_colors(color)
    assert (b.accent_text.upper(), b.on_header) == (text, header_text)


def test_invalid_brand_colour_falls_back_to_the_default() -> None:
    assert brand_colors("not a colour") == brand_colors(Theme().accent)


def test_css_variables_name_every_colour() -> None:
    css = brand_colors("#FFC107").css_variables()
    assert css["--jt-accent"] == "#FFC107"
    assert css["--jt-on-header"] == "#111111"
    assert {"--jt-accent-text", "--jt-accent-graphic", "--jt-header", "--jt-on-accent"} <= set(css)


def test_charts_of_a_light_brand_draw_a_darker_accent_that_reads_on_the_paper(luggage: Path) -> None:
    assert theme_for(jt.load(luggage)).accent == "#C2185B"  # reads already: the brand as given
    yml = luggage / "workshop.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("#C2185B", "#FFC107"), encoding="utf-8")
    theme = theme_for(jt.load(luggage))
    assert contrast(theme.accent, theme.paper) >= GRAPHIC_CONTRAST
    assert contrast(theme.accent_ink, theme.paper) >= TEXT_CONTRAST
    assert theme.accent.upper() == brand_colors("#FFC107").graphic.upper()
