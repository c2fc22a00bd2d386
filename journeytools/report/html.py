"""The reports' HTML: jinja2 templates in ``report/templates``, rendered with autoescape on.

``render(template, **values)`` is how sections and the index make HTML. Every ``str`` a template
prints is escaped, so user text needs no care; only ``markupsafe.Markup`` is inserted as is, and
it is made in one place per kind of trusted HTML (an inlined chart in ``figure``, a rendered
template). Templates never use ``|safe``.

The builders below (``para``, ``heading``, ``table``, ``badge``, ``figure``) are the macros of
``macros.html.j2`` for Python callers; they return ``Markup``, so their HTML can be passed to a
template without being escaped twice.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

MACROS = "macros.html.j2"


def _blank_none(value: Any) -> Any:
    """Print ``None`` as nothing, as the report always has."""
    return "" if value is None else value


def template_environment(package: str) -> jinja2.Environment:
    """A jinja2 Environment for ``package``'s ``templates`` folder, set up the one way every
    HTML page of journeytools (reports, the room) is made.

    Autoescape is on for every template and string; block tags on lines of their own leave no
    blank lines (``trim_blocks``, ``lstrip_blocks``); ``None`` prints as nothing; a misspelt
    variable is an error rather than blank text (``StrictUndefined``).
    """
    return jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=jinja2.select_autoescape(("html", "j2"), default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined, finalize=_blank_none,
        trim_blocks=True, lstrip_blocks=True)


@cache
def environment() -> jinja2.Environment:
    """The report package's one jinja2 Environment (created on first use)."""
    return template_environment("journeytools.report")


def render(template: str, **values: Any) -> Markup:
    """HTML of ``templates/<template>``; ``str`` values are escaped, ``Markup`` ones are not."""
    return Markup(environment().get_template(template).render(**values))


def _macro(name: str) -> Callable[..., Markup]:
    return getattr(environment().get_template(MACROS).module, name)


def para(text: str, cls: str = "") -> Markup:
    return _macro("para")(text, cls)


def heading(text: str, anchor: str, level: int = 2) -> Markup:
    return _macro("heading")(text, anchor, level)


def table(columns: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "jt-table",
          raw: bool = False) -> Markup:
    """A table; ``str`` cells are escaped, ``Markup`` cells are not.

    ``raw`` declares every cell HTML already (the caller escaped it); prefer ``Markup`` cells.
    """
    body = [[Markup(c) if raw else c for c in row] for row in rows]
    return _macro("table")(list(columns), body, cls)


def figure_png(fig: Any, dpi: int = 144) -> bytes:
    """PNG bytes of a matplotlib figure (``charts.png_bytes``: reproducible, themed).

    zlib level 3 encodes the big journey map ~30 % faster for ~4 % more bytes.
    """
    from ..charts.export import png_bytes  # matplotlib only once a figure is inlined

    return png_bytes(fig, dpi, compress_level=3)


def figure(fig: Any, alt: str, caption: str = "", cls: str = "jt-figure", dpi: int = 144) -> Markup:
    """An inlined image (data URI) with alt text and an optional caption."""
    data = base64.b64encode(figure_png(fig, dpi)).decode("ascii")
    return _macro("figure")(f"data:image/png;base64,{data}", alt, caption, cls)


def badge(text: str, kind: str) -> Markup:
    return _macro("badge")(text, kind)
