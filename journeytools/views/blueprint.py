"""The service blueprint of one persona as the report shows it, for notebooks and the gallery.

Both helpers render the report's own section (``report.sections.blueprint``), so a notebook
preview, a gallery picture and the client report can never disagree:

* :func:`preview` — the section inside a ``<div class="jt-report">`` with the report's
  screen rules for ``.jt-*`` classes, scoped to the preview (nothing else in JupyterLab
  changes look);
* :func:`page` — a whole HTML document with the report's full stylesheet and brand colours,
  what ``scripts/gallery_blueprint.py`` screenshots with headless Chromium.

>>> import journeytools as jt
>>> from journeytools.views import blueprint as bpv
>>> bpv.preview(jt.load("workshops/luggage-store"), "mia")        # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import html
from functools import lru_cache

from ..model.workshop import Workshop
from ..report.render import branding, report_css
from ..report.sections import Html, ReportContext, blueprint
from ..scoring import score
from .tables import note

__all__ = ["SCOPE", "page", "preview", "scoped_css", "section"]


def section(ws: Workshop, persona: str, today: dt.date | None = None) -> Html:
    """The report's "Service blueprint" section of ``persona`` ('' when it has no blueprint)."""
    pid = persona.strip().lower()
    if pid not in set(ws.personas["id"]):
        raise ValueError(f"unknown persona {persona!r}; personas: {', '.join(ws.personas['id'])}")
    ctx = ReportContext(ws, pid, today or dt.date.today(), score(ws, pid))
    return blueprint(ctx)


SCOPE = ".jt-blueprint-preview"


@lru_cache(maxsize=1)
def scoped_css() -> str:
    """The report's screen rules for ``.jt-*`` classes, each selector under ``SCOPE``: what a
    preview needs, and nothing that restyles the rest of JupyterLab (no ``body`` fonts, no
    ``@page`` or print rules, no rule reaching outside the preview)."""
    import tinycss2

    keep = []
    for rule in tinycss2.parse_stylesheet(report_css(), skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue  # @media print, @page: paper only
        selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
        mine = [f"{SCOPE} {s}" for s in selectors if s.startswith(".jt-")]
        if mine:
            body = " ".join(tinycss2.serialize(rule.content).split())  # one rule a line
            keep.append(f"{', '.join(mine)} {{ {body} }}")
    # JupyterLab tints odd table rows and the row under the pointer: the report does not
    keep.append(f"{SCOPE} tbody tr, {SCOPE} tbody tr:hover {{ background: transparent; }}")
    return "\n".join(keep)


def _colors(ws: Workshop) -> str:
    return html.escape(branding(ws)["colors"], quote=True)


def preview(ws: Workshop, persona: str, today: dt.date | None = None) -> Html:
    """The persona's blueprint for a notebook cell, styled as in the report; a note when the
    workshop has no blueprint rows under this persona's journey yet, or no such persona (a
    notebook's ``persona`` parameter pointing at another map: a note, not a traceback)."""
    pid = persona.strip().lower()
    if pid not in set(ws.personas["id"]):
        known = ", ".join(ws.personas["id"]) or "none yet"
        return Html(note(f"No persona {persona!r} in this map (personas: {known}): set the "
                         "persona to one of them to see its blueprint.", "warning")._repr_html_())
    body = section(ws, pid, today)
    if not body.html.strip():
        name = ws.persona_name(pid)
        return Html(note(f"No blueprint under {name}'s journey yet: add a row with the form "
                         "(or to blueprint.csv) at a touchpoint of this journey.")._repr_html_())
    return Html(f'<div class="{SCOPE[1:]}"><style>{scoped_css()}</style>'
                f'<div class="jt-report" style="{_colors(ws)}">{body.html}</div></div>')


def page(ws: Workshop, persona: str, today: dt.date | None = None, width: str = "") -> str:
    """A standalone HTML document of the persona's blueprint section with the report's whole
    stylesheet (``width``: an optional CSS max-width of the page, e.g. ``"390px"``)."""
    body = section(ws, persona, today)
    limit = f"body.jt-report {{ max-width: {html.escape(width)}; }}" if width else ""
    title = html.escape(f"Service blueprint of {ws.persona_name(persona.strip().lower())}")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title><style>{report_css()}\n{limit}</style></head>"
            f'<body class="jt-report" style="{_colors(ws)}">{body.html}</body></html>')
