"""Writing figures to files, byte-for-byte reproducibly, and their alt text."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
from markupsafe import escape
from matplotlib.figure import Figure

from ..fsutil import write_atomic
from .theme import Theme

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

# Per-format metadata that would otherwise stamp dates or versions into the file.
_METADATA: dict[str, dict[str, None]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
    "ps": {"CreationDate": None},
    "eps": {"CreationDate": None},
}


def alt_text(fig: Figure) -> str:
    """The alt text a chart function attached to ``fig`` (empty string when none)."""
    return str(getattr(fig, "_jt_alt", "") or "")


def _rc(fig: Figure) -> dict[RcKeyType, Any]:
    theme = getattr(fig, "_jt_theme", None)
    return (theme if isinstance(theme, Theme) else Theme()).rc()


def figure_bytes(fig: Figure, fmt: str = "png", dpi: float = 150) -> bytes:
    """The file content of ``fig`` in ``fmt`` (``png``, ``svg``, ``pdf``), deterministic."""
    return _render(fig, fmt, dpi)


def png_bytes(fig: Figure, dpi: float = 150, *, compress_level: int | None = None) -> bytes:
    """PNG bytes of ``fig``: how every part of journeytools turns a figure into a picture
    (notebook tables, reports, the room's screen, saved files).

    Deterministic (no software stamp) and drawn with the figure's theme settings. The charts
    lay themselves out, so no ``bbox_inches="tight"`` (it would draw the figure twice).
    ``compress_level`` (zlib, 0–9) trades bytes for speed; None is Pillow's default.
    """
    extra = {} if compress_level is None else {"pil_kwargs": {"compress_level": compress_level}}
    return _render(fig, "png", dpi, **extra)


def _render(fig: Figure, fmt: str, dpi: float, **extra: Any) -> bytes:
    buf = io.BytesIO()
    with mpl.rc_context(_rc(fig)):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=_METADATA.get(fmt, {}),
                    facecolor=fig.get_facecolor(), **extra)
    return buf.getvalue()


# Fonts a viewer may have when DejaVu Sans is missing, closest in width first (Verdana is
# DejaVu's metric cousin), so a text laid out for DejaVu still fits its box.
SVG_FONTS = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, sans-serif"
_SVG_HEAD = re.compile(r"\A.*?(?=<svg\b)", re.S)                  # XML declaration and doctype
_SVG_META = re.compile(r"\s*<metadata>.*?</metadata>", re.S)     # RDF, no use inline
_SVG_STAR = re.compile(r"<style[^>]*>\*\{([^}]*)\}</style>")       # would style the whole page


def svg_inline(fig: Figure, label: str, description: str = "") -> str:
    """``fig`` as an ``<svg>`` element to put inside an HTML page, with real text.

    Text stays text (``svg.fonttype: none``): it can be selected, searched and read by
    WeasyPrint into a PDF, in the theme's pinned font with close fallbacks. The element is
    an image with ``label`` as its name (``role="img"``, ``aria-label``, ``<title>``) and
    ``description`` as ``<desc>``; both are escaped here. Deterministic like
    :func:`figure_bytes` (fixed ids, no date). Matplotlib's document-wide ``*{…}`` style
    becomes attributes of the root element, so it cannot restyle the page around it.
    """
    buf = io.BytesIO()
    with mpl.rc_context({**_rc(fig), "svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata=_METADATA["svg"], facecolor=fig.get_facecolor())
    svg = _SVG_META.sub("", _SVG_HEAD.sub("", buf.getvalue().decode("utf-8"), count=1), count=1)
    star = _SVG_STAR.search(svg)
    svg = _SVG_STAR.sub("", svg, count=1)
    attrs = " ".join(f'{k.strip()}="{v.strip()}"' for k, v in
                     (d.split(":", 1) for d in (star.group(1).split(";") if star else []) if ":" in d))
    svg = svg.replace("font-family: 'DejaVu Sans', sans-serif", f"font-family: {SVG_FONTS}")
    name, desc = escape(label), escape(description)
    head = (f'<svg role="img" aria-label="{name}" {attrs} ' if attrs else f'<svg role="img" aria-label="{name}" ')
    body = f"<title>{name}</title>" + (f"<desc>{desc}</desc>" if description else "")
    svg = head + svg[len("<svg "):]
    end = svg.index(">") + 1
    return svg[:end] + body + svg[end:].rstrip() + "\n"


def save_figure(fig: Figure, path: str | Path, formats: Iterable[str] = ("png", "svg"),
                dpi: float = 150) -> list[Path]:
    """Write ``fig`` once per format next to ``path`` (its suffix is replaced) and return the files.

    Output is deterministic: the same figure gives byte-identical PNG and SVG files (no dates,
    no software versions, fixed SVG ids, fonts drawn as paths). The files are written
    atomically, all or none.

    >>> save_figure(fig, "out/mia-map")              # doctest: +SKIP
    [PosixPath('out/mia-map.png'), PosixPath('out/mia-map.svg')]
    """
    base = Path(path)
    known = {f".{f}" for f in _METADATA}
    if base.suffix.lower() in known:
        base = base.with_suffix("")
    files: dict[Path, bytes] = {}
    for fmt in formats:
        fmt = fmt.lower().lstrip(".")
        files[base.parent / f"{base.name}.{fmt}"] = figure_bytes(fig, fmt, dpi)
    write_atomic(files)
    return list(files)
