"""The visual language shared by every chart: colours, font, sizes and deterministic output.

A :class:`Theme` is an immutable value; :func:`theme_for` derives one from a workshop's
branding. Charts create their figures with :func:`new_figure` inside ``theme.context()`` so
that the pinned font and the deterministic-output settings apply.

>>> from journeytools.charts.theme import Theme
>>> Theme(accent="#C2185B").emotion_color(1)
'#D55E00'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure

from ..model.workshop import Workshop
from ..vocab import EMOTION_WORDS

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

#: The layouts :func:`new_figure` accepts (``None``: place axes by hand).
Layout = Literal["constrained", "compressed", "tight"]

#: Okabe & Ito (2008), the colour-blind-safe qualitative palette (black dropped).
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

#: Emotion 1 (very negative) … 5 (very positive): vermillion → grey → blue, colour-blind safe.
EMOTION_COLORS = ("#D55E00", "#E69F00", "#B8B8B8", "#56B4E9", "#0072B2")
EMOTION_LABELS = tuple(EMOTION_WORDS[e] for e in range(1, 6))

#: Quadrant colours of the impact/effort matrix (same keys as ``scoring.QUADRANTS``).
QUADRANT_COLORS = {
    "quick win": "#009E73",
    "big bet": "#0072B2",
    "fill-in": "#8C8C8C",
    "money pit": "#D55E00",
    "": "#BDBDBD",  # unscored
}

DPI = 150  # layouts are measured at the resolution files are written at
FONT_FAMILY = "DejaVu Sans"  # ships with matplotlib: identical output on every machine
DEFAULT_ACCENT = "#1F5AA6"
NEAR_BLACK = "#111111"  # text on light colours: softer than pure black
TEXT_CONTRAST = 4.5     # WCAG AA, normal text (1.4.3)
GRAPHIC_CONTRAST = 3.0  # WCAG AA, graphics and large text (1.4.11)
_HEX = re.compile(r"#[0-9a-fA-F]{6}\Z")

# Pain: pale yellow → orange → dark red (sequential, readable in greyscale too).
PAIN_CMAP = LinearSegmentedColormap.from_list(
    "jt_pain", ["#FFF7E0", "#FDD49E", "#FC8D59", "#D7301F", "#7F0000"])


@dataclass(frozen=True)
class Theme:
    """Colours, font and sizes of every chart.

    Parameters
    ----------
    accent
        The brand colour (``branding.primary_color``): titles, stage headers, single curves;
        :func:`theme_for` darkens a light one until it reads on the paper (3:1).
    company
        Shown in chart footers.
    palette
        Qualitative colours for personas and series (Okabe-Ito by default).
    """

    accent: str = DEFAULT_ACCENT
    company: str = ""
    palette: tuple[str, ...] = OKABE_ITO
    font_family: str = FONT_FAMILY
    font_size: float = 9.0
    ink: str = "#222222"
    muted: str = "#6B6B6B"
    grid: str = "#E3E3E3"
    paper: str = "#FFFFFF"
    lane: str = "#F6F6F6"
    emotion_colors: tuple[str, ...] = EMOTION_COLORS
    quadrant_colors: dict[str, str] = field(default_factory=lambda: dict(QUADRANT_COLORS))

    # -- colours -----------------------------------------------------------------------
    def emotion_color(self, emotion: float) -> str:
        """Colour of an emotion on the 1–5 scale (rounded, clipped)."""
        i = min(max(int(round(float(emotion))), 1), 5)
        return self.emotion_colors[i - 1]

    def quadrant_color(self, quadrant: str) -> str:
        return self.quadrant_colors.get(quadrant or "", self.quadrant_colors[""])

    def series_color(self, i: int) -> str:
        return self.palette[i % len(self.palette)]

    @property
    def pain_cmap(self) -> LinearSegmentedColormap:
        return PAIN_CMAP

    @property
    def strong(self) -> str:
        """The accent, darkened until it reads on the paper (contrast ≥ 3:1, WCAG for graphics):
        lines, outlines and markers stay visible with a light brand colour."""
        return readable_on(self.accent, self.paper, GRAPHIC_CONTRAST)

    @property
    def accent_ink(self) -> str:
        """The accent for text on the paper (titles, labels): darkened until ≥ 4.5:1."""
        return readable_on(self.accent, self.paper, TEXT_CONTRAST)

    @property
    def accent_text(self) -> str:
        """Text on the accent colour: near-black or white, ≥ 4.5:1 (see :func:`text_on`)."""
        return text_on(self.accent)

    # -- matplotlib settings -----------------------------------------------------------
    def rc(self) -> dict[RcKeyType, Any]:
        """rcParams for creating and saving figures: pinned font, deterministic files."""
        return {
            "font.family": "sans-serif",
            "font.sans-serif": [self.font_family],
            "font.size": self.font_size,
            "text.color": self.ink,
            "axes.labelcolor": self.ink,
            "axes.edgecolor": "#9A9A9A",
            "axes.titlesize": self.font_size + 3,
            "axes.titleweight": "bold",
            "axes.titlelocation": "left",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "xtick.color": self.muted,
            "ytick.color": self.muted,
            "xtick.labelcolor": self.ink,
            "ytick.labelcolor": self.ink,
            "legend.frameon": False,
            "figure.facecolor": self.paper,
            "savefig.facecolor": self.paper,
            "mathtext.default": "regular",
            "text.usetex": False,
            "axes.unicode_minus": True,
            "svg.hashsalt": "journeytools",
            "svg.fonttype": "path",
            "path.simplify": True,
            "pdf.fonttype": 42,
            "figure.max_open_warning": 0,
        }

    @contextmanager
    def context(self) -> Iterator[None]:
        """Apply :meth:`rc` for the duration of a ``with`` block."""
        with mpl.rc_context(self.rc()):
            yield


def valid_color(value: object, default: str = DEFAULT_ACCENT) -> str:
    """``value`` when it is a ``#RRGGBB`` colour, else ``default``."""
    return str(value) if isinstance(value, str) and _HEX.match(value.strip()) else default


def theme_for(ws: Workshop, **overrides: Any) -> Theme:
    """The theme of a workshop: its brand colour as accent, everything else shared.

    >>> import journeytools as jt                      # doctest: +SKIP
    >>> theme_for(jt.load("workshops/luggage-store")).accent   # doctest: +SKIP
    '#C2185B'
    """
    b = ws.branding
    brand = valid_color(str(b.get("primary_color") or "").strip())
    # Charts draw the accent on the paper (curves, bars, outlines, titles): a light brand
    # colour is darkened until it reads there (3:1, WCAG 1.4.11); others are used as they are.
    base = Theme(accent=readable_on(brand, Theme.paper, GRAPHIC_CONTRAST),
                 company=str(b.get("company") or ""))
    return replace(base, **overrides) if overrides else base


def luminance(color: str) -> float:
    """Relative luminance (WCAG) of a colour."""
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in to_rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_on(color: Any) -> str:
    """Near-black or white text for a background colour, whichever contrasts more; pure black
    where near-black would fall short of 4.5:1 (mid-tones around luminance 0.2), so the pair
    always meets WCAG AA for text.

    >>> text_on("#FFC107"), text_on("#0A0A0A"), text_on("#787878")
    ('#111111', '#FFFFFF', '#000000')
    """
    hex_color = color if isinstance(color, str) else mpl.colors.to_hex(color)
    best = max((NEAR_BLACK, "#FFFFFF"), key=lambda ink: contrast(ink, hex_color))
    return best if contrast(best, hex_color) >= TEXT_CONTRAST else "#000000"


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 … 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def shade(color: str, amount: float) -> str:
    """``color`` mixed with black: 0 = unchanged, 1 = black."""
    r, g, b = to_rgb(color)
    return mpl.colors.to_hex((r * (1 - amount), g * (1 - amount), b * (1 - amount)))


def readable_on(color: str, background: str = "#FFFFFF", ratio: float = TEXT_CONTRAST) -> str:
    """``color`` darkened (mixed with black) just enough to reach ``ratio`` against a light
    ``background``; unchanged when it reads already. The brand keeps its hue, only its
    lightness gives way.

    >>> readable_on("#FFC107"), readable_on("#FFC107", ratio=3.0), readable_on("#1F5AA6")
    ('#947004', '#ba8d05', '#1F5AA6')
    """
    if contrast(color, background) >= ratio:
        return color
    # mixing with black lowers the luminance monotonically: the smallest step of 1 % that
    # reads is found by bisection on the rounded hex colour itself
    lo, hi = 0, 100
    while lo < hi:
        mid = (lo + hi) // 2
        if contrast(shade(color, mid / 100), background) >= ratio:
            hi = mid
        else:
            lo = mid + 1
    return shade(color, lo / 100)


@dataclass(frozen=True)
class BrandColors:
    """The colours a page derives from one brand colour, each pair meeting WCAG AA on white.

    ``accent`` is the brand colour as given (decoration only: rules, card edges);
    ``accent_text`` is for text, links and borders on white (≥ 4.5:1); ``header`` and
    ``on_header`` colour table headers (≥ 4.5:1 between them); ``graphic`` is for lines and
    marks on white (≥ 3:1, WCAG 1.4.11).
    """

    accent: str
    accent_text: str
    header: str
    on_header: str
    graphic: str

    def css_variables(self) -> dict[str, str]:
        """The CSS custom properties of the report stylesheets (``--jt-…``)."""
        return {"--jt-accent": self.accent, "--jt-accent-text": self.accent_text,
                "--jt-accent-graphic": self.graphic, "--jt-header": self.header,
                "--jt-on-header": self.on_header, "--jt-on-accent": text_on(self.accent)}


def brand_colors(accent: str, paper: str = "#FFFFFF") -> BrandColors:
    """:class:`BrandColors` of a brand colour (an invalid one falls back to the default).

    >>> brand_colors("#FFC107").header, brand_colors("#FFC107").on_header
    ('#FFC107', '#111111')
    """
    accent = valid_color(accent)
    return BrandColors(accent=accent, accent_text=readable_on(accent, paper, TEXT_CONTRAST),
                       header=accent, on_header=text_on(accent),
                       graphic=readable_on(accent, paper, GRAPHIC_CONTRAST))


def tint(color: str, amount: float) -> str:
    """``color`` mixed with white: 0 = unchanged, 1 = white."""
    r, g, b = to_rgb(color)
    return mpl.colors.to_hex((r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount))


def new_figure(theme: Theme, width: float, height: float, *, layout: Layout | None = None) -> Figure:
    """A figure outside pyplot's registry, with an Agg canvas (for measuring text).

    Call inside ``theme.context()`` so the theme's rcParams apply to the artists.
    """
    fig = Figure(figsize=(width, height), layout=layout, dpi=DPI)
    FigureCanvasAgg(fig)
    fig._jt_theme = theme  # type: ignore[attr-defined]  # chart metadata on the Figure
    return fig
