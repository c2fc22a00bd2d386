"""HTML fragments the room displays, from the jinja2 templates in ``room/templates``.

The templates are autoescaped: every piece of workshop or participant text is escaped where it
is printed, and nothing here marks text as HTML. Pure functions of a loaded workshop: they read
nothing from disk but their templates and draw no charts, so the facilitator view can be tested
without a browser.

>>> message_html("<b>hi</b>", "error")  # doctest: +ELLIPSIS
'<div class="jt-msg jt-msg-error" ...>&lt;b&gt;hi&lt;/b&gt;</div>'
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any, Literal

import jinja2
import pandas as pd

from ..model.checks import voter_key
from ..model.workshop import Workshop
from ..report.html import template_environment
from ..scoring import opportunity_table, pain_table, stage_pain, vote_counts
from ..vocab import number

Level = Literal["info", "ok", "error"]
_COLOURS = {"info": "#455a64", "ok": "#2e7d32", "error": "#c62828"}
DEFAULT_PRIMARY = "#C2185B"


@cache
def environment() -> jinja2.Environment:
    """The room package's one jinja2 Environment (created on first use), set up like the
    reports' (``report.html.template_environment``)."""
    return template_environment("journeytools.room")


def render(template: str, **values: Any) -> str:
    """HTML of ``templates/<template>`` with ``values`` escaped (a widget's ``value``)."""
    return environment().get_template(template).render(**values)


def primary(ws: Workshop) -> str:
    """The workshop's primary colour (text: templates escape it like any other value)."""
    return str(ws.branding.get("primary_color") or DEFAULT_PRIMARY)


def _rgba(colour: str, alpha: float) -> str:
    """``#RRGGBB`` as a CSS rgba() with the given opacity (default colour when unreadable)."""
    text = colour.lstrip("#")
    if len(text) != 6 or any(c not in "0123456789abcdefABCDEF" for c in text):
        text = DEFAULT_PRIMARY.lstrip("#")
    r, g, b = (int(text[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha:.2f})"


def message_html(text: str, level: Level = "info") -> str:
    """A one-line message shown next to a field or button."""
    if not text:
        return ""
    return render("message.html.j2", text=text, level=level, colour=_COLOURS[level])


def budget_html(left: int, budget: int, voter: str) -> str:
    """Dots left, drawn as filled and empty dots."""
    return render("budget.html.j2", voter=voter if voter.strip() else "", left=left, budget=budget,
                  dots="●" * left + "○" * max(budget - left, 0))


def header_html(ws: Workshop, subtitle: str = "") -> str:
    """The page's heading (the workshop's title, the page's one ``h1``) and a line under it."""
    return render("header.html.j2", title=ws.title, subtitle=subtitle, colour=primary(ws))


def journey_html(ws: Workshop, stage: str | None, persona: str = "*",
                 steps: list[str] | None = None) -> str:
    """Where a participant is on the map: every stage in order with ``stage`` marked, its goal,
    and, for a persona (not ``*``), ``steps``: what that persona does in the stage."""
    stages = [(i, s.name or s.id, s.id == stage) for i, s in enumerate(ws.stages, 1)]
    here = next((s for s in ws.stages if s.id == stage), None)
    names = dict(zip(ws.personas["id"], ws.personas["name"])) if len(ws.personas) else {}
    return render("journey.html.j2", stages=stages, total=len(stages),
                  position=next((i for i, _, current in stages if current), 0),
                  stage=(here.name or here.id) if here else "", goal=here.goal if here else "",
                  persona="" if persona in ("*", "", None) else str(names.get(persona) or persona),
                  steps=steps or [])


def hint_html(text: str, label: str = "") -> str:
    """Why a list is empty and what to do about it (shown in place of the empty list)."""
    return render("hint.html.j2", text=text, label=label) if text else ""


def totals_html(ws: Workshop, now: dt.datetime | None = None) -> str:
    """Counts of pain points, ideas, dots and participants, and when they were read."""
    votes = ws.votes
    dots = int(vote_counts(ws).sum()) if len(votes) else 0
    people = len({voter_key(v) for v in votes["voter"]}) if len(votes) else 0
    cells = [("pain points", len(ws.pain_points)), ("ideas", len(ws.opportunities)),
             ("dots spent", dots), ("voters", people)]
    return render("totals.html.j2", cells=cells,
                  stamp=(now or dt.datetime.now()).strftime("%H:%M:%S"))


def stage_bars_html(ws: Workshop) -> str:
    """Weighted pain per stage as horizontal bars, in journey order."""
    sp = stage_pain(ws)
    if not len(sp):
        return ""
    top = float(sp["pain"].max()) or 1.0
    bars = [(r.name, f"{100.0 * float(r.pain) / top:.1f}", number(r.pain)) for r in sp.itertuples()]
    return render("stage_bars.html.j2", bars=bars, colour=primary(ws))


def _ranking(cls: str, caption: str, head: list[tuple[str, str]], rows: list[tuple[str, list[Any]]],
             empty: str) -> str:
    """A ranking table: ``head`` is (title, alignment) per column, ``rows`` (id, cells)."""
    return render("ranking.html.j2", cls=cls, caption=caption, head=head, rows=rows, empty=empty)


_RIGHT, _LEFT = "right", "left"


def pain_ranking_html(ws: Workshop, top: int = 10) -> str:
    """The most painful pain points (weighted pain, dot votes included)."""
    pains = pain_table(ws).head(top)
    stages = {s.id: s.name for s in ws.stages}
    tps = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"])) if len(ws.touchpoints) else {}
    head = [("#", _RIGHT), ("pain point", _LEFT), ("stage", _LEFT), ("touchpoint", _LEFT),
            ("sev×freq", _RIGHT), ("dots", _RIGHT), ("weighted", _RIGHT)]
    rows = [(r.id, [r.rank, r.description, stages.get(r.stage, r.stage), tps.get(r.touchpoint, r.touchpoint),
                    f"{r.severity}×{r.frequency}", r.votes, number(r.weighted_pain)])
            for r in pains.itertuples()]
    return _ranking("jt-pain-ranking", f"Top {top} pain points", head, rows, "No pain points yet.")


def idea_ranking_html(ws: Workshop, top: int = 10) -> str:
    """Opportunities: scored ones by RICE, then unscored ideas by dots received."""
    opps = opportunity_table(ws)
    scored = opps[opps["scored"]]
    ideas = opps[~opps["scored"]].sort_values(["votes", "id"], ascending=[False, True],
                                               kind="mergesort")
    ordered = pd.concat([scored, ideas]).head(top) if len(ideas) else scored.head(top)
    stages = {s.id: s.name for s in ws.stages}
    head = [("#", _RIGHT), ("idea", _LEFT), ("stage", _LEFT), ("dots", _RIGHT), ("RICE", _RIGHT),
            ("quadrant", _LEFT)]
    rows = [(r.id, ["idea" if pd.isna(r.rank) else int(r.rank), r.title, stages.get(r.stage, r.stage),
                    r.votes, "" if pd.isna(r.rice) else number(r.rice), r.quadrant])
            for r in ordered.itertuples()]
    return _ranking("jt-idea-ranking", "Opportunities", head, rows, "No ideas yet.")


def heatmap_table_html(ws: Workshop) -> str:
    """Weighted pain per persona × stage as a coloured table (used when no chart is available)."""
    stages = ws.stages
    colour = primary(ws)
    grid: list[tuple[str, list[float]]] = []
    for _, p in ws.personas.iterrows():
        sp = stage_pain(ws, str(p["id"]))
        grid.append((str(p["name"]), [float(x) for x in sp["pain"]]))
    if not grid or not stages:
        return ""
    top = max((v for _, vals in grid for v in vals), default=0.0) or 1.0
    rows = [(name, [(number(v), _rgba(colour, 0.08 + 0.8 * v / top)) for v in vals]) for name, vals in grid]
    return render("heatmap_table.html.j2", stages=[s.name for s in stages], rows=rows)


def section_html(title: str) -> str:
    """The heading of a section of the participant's page."""
    return render("section.html.j2", title=title)
