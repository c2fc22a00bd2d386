"""A readable Markdown summary per persona, for wikis and pull requests.

Per persona: the card, the stages and steps in journey order, the top pain points with their
evidence, the top opportunities and the gaps the map reveals; then the plan per stage (the
opportunities stage by stage, grouped by kind, with owner, status and RICE rank). Table cells escape ``|`` and keep
line breaks as ``<br>``; ``<`` and ``&`` are written as entities so user text never becomes HTML.

>>> import journeytools as jt
>>> from journeytools.export.markdown import render
>>> print(render(jt.load("workshops/luggage-store"), "mia"))   # doctest: +SKIP
# Online luggage store — purchase journey
...
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import persona_id
from ..fsutil import write_text_atomic
from ..model.workshop import Workshop
from ..scoring import gaps as find_gaps
from ..scoring import journey, pain_table
from ..scoring import opportunity_table as opportunities
from ..vocab import face, number, pain_formula
from . import mermaid

TOP = 5
PERSONA_GAPS = ("persona_skips_stage", "channel_not_served", "unaddressed_pain")


def _amp(text: str) -> str:
    """Escape ``&`` only where it would start an HTML entity (``&amp;``, ``&#58;``)."""
    return re.sub(r"&(?=#?\w+;)", "&amp;", text)


def cell(value: object) -> str:
    """Text for a Markdown table cell: ``|`` escaped, line breaks as ``<br>``.

    >>> cell("a | b\\nc")
    'a \\\\| b<br>c'
    """
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    text = _amp(text).replace("<", "&lt;").replace("\\", "\\\\").replace("|", "\\|")
    text = re.sub(r"\r\n|\r|\n", "<br>", text)
    return text.strip()


def inline(value: object) -> str:
    """Text for a paragraph or list item: HTML-escaped, on one line."""
    text = "" if value is None else str(value)
    text = _amp(text).replace("<", "&lt;")
    return re.sub(r"\s*(\r\n|\r|\n)\s*", " ", text).strip()


def table(header: Sequence[str], rows: Iterable[Sequence[object]],
          align: str | None = None) -> str:
    """A GitHub-flavoured Markdown table; ``align`` is one letter per column (l, r)."""
    align = align or "l" * len(header)
    marks = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(cell(h) for h in header) + " |", "| " + " | ".join(marks) + " |"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _num(value: object, digits: int = 1) -> str:
    return number(value, digits)  # the one number format of every output


def _formula(r: Any) -> str:
    """How a pain point's weighted pain is made (a row of ``pain_table``, persona view)."""
    return pain_formula(r.severity, r.frequency, float(r.weight), int(r.votes), float(r.vote_share))


def _emotion(value: object) -> str:
    if value is None or pd.isna(value):
        return "–"
    return f"{face(value)} {int(value)}"  # type: ignore[call-overload]  # a number once NA is ruled out


def _header(ws: Workshop) -> list[str]:
    out = [f"# {inline(ws.title)}", ""]
    facts = []
    if ws.organisation:
        facts.append(inline(ws.organisation))
    facts.append(f"{ws.state} state")
    if ws.date:
        facts.append(f"workshop {ws.date.isoformat()}")
    if ws.reviewed:
        facts.append(f"reviewed {ws.reviewed.isoformat()}")
    out.append(" · ".join(facts))
    if ws.is_stale():
        due = ws.review_due()
        out += ["", f"> **Review overdue** since {due.isoformat() if due else '?'}: "
                f"this map is reviewed every {ws.review_every_months} months."]
    scope = ws.meta.get("scope")
    if scope:
        out += ["", f"**Scope:** {inline(scope)}"]
    out += ["", "**Stages:** " + " → ".join(inline(s.name) for s in ws.stages), ""]
    return out


def persona_section(ws: Workshop, persona: str, diagram: bool = True, top: int = TOP) -> str:
    """The Markdown section of one persona."""
    p = ws.personas[ws.personas["id"] == persona].iloc[0]
    name = str(p["name"])
    out = [f"## {inline(name)}", ""]
    facts = [f"`{persona}`"]
    if str(p.get("segment", "") or "").strip():
        facts.append(inline(p["segment"]))
    weight = p.get("weight")
    if weight is not None and pd.notna(weight):
        facts.append(f"weight {_num(weight, 2)}")
    out += [" · ".join(facts), ""]
    if str(p.get("quote", "") or "").strip():
        out += [f"> {inline(p['quote'])}", ""]
    for key, label in (("goals", "Goals"), ("needs", "Needs"), ("frustrations", "Frustrations")):
        if str(p.get(key, "") or "").strip():
            out.append(f"- **{label}:** {inline(p[key])}")
    if out[-1] != "":
        out.append("")

    steps = journey(ws, persona)
    out += ["### Journey", ""]
    if len(steps):
        names = {s.id: s.name for s in ws.stages}
        visited = [s for s in ws.stage_ids if s in set(steps["stage"])]
        out += ["Stages: " + " → ".join(inline(names[s]) for s in visited), ""]
        out.append(table(
            ["Stage", "Touchpoint", "Doing", "Thinking", "Feeling", "Emotion"],
            ([r.stage_name, r.touchpoint_name, r.action, r.thought, r.feeling, _emotion(r.emotion)]
             for r in steps.itertuples(index=False))))
        out.append("")
        if diagram:
            out += ["```mermaid", mermaid.diagram(ws, persona).rstrip("\n"), "```", ""]
    else:
        out += ["_No steps mapped yet._", ""]

    pains = pain_table(ws, persona).head(top)
    out += ["### Top pain points", ""]
    if len(pains):
        tp_names = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"]))
        out.append(table(
            ["#", "Pain point", "Touchpoint", "Severity × frequency", "Weighted pain", "Evidence"],
            ([int(r.rank), f"{r.description} ({r.id})", tp_names.get(r.touchpoint, r.touchpoint),
              f"{int(r.severity)} × {int(r.frequency)} = {int(r.pain_score)}",
              f"{_num(r.weighted_pain)} = {_formula(r)}",
              f"{r.evidence} [{r.source}]" if r.evidence else f"[{r.source}]"]
             for r in pains.itertuples(index=False)),
            "rlllrl"))
        out.append("")
    else:
        out += ["_No pain points recorded._", ""]

    opps = opportunities(ws, persona)
    scored = opps[opps["scored"]].head(top)
    out += ["### Top opportunities", ""]
    if len(scored):
        out.append(table(
            ["#", "Opportunity", "Addresses", "RICE", "Pain relieved", "Quadrant", "Status"],
            ([int(r.rank), r.title, ", ".join(r.addresses), _num(r.rice), _num(r.pain_relieved),
              r.quadrant, r.status or "–"] for r in scored.itertuples(index=False)),
            "rllrrll"))
        out.append("")
    else:
        out += ["_No scored opportunities yet._", ""]
    unscored = opps[~opps["scored"]]
    if len(unscored):
        out += ["Not yet scored: " + "; ".join(
            f"{inline(r.title)} (missing {', '.join(r.missing)})" for r in unscored.itertuples()), ""]

    out += blueprint_lines(ws, persona, pain_table(ws, persona))

    found = [g for g in find_gaps(ws, persona) if g.kind in PERSONA_GAPS]
    out += ["### Gaps", ""]
    out += [f"- {inline(g.message)}" for g in found] or ["_None found._"]
    out.append("")
    return "\n".join(out)


def blueprint_lines(ws: Workshop, persona: str, pains: pd.DataFrame) -> list[str]:
    """The persona's service blueprint as a table (touchpoint, lane, process, owner, system) and
    the root causes of its pain points; nothing when the workshop has no blueprint."""
    from .. import blueprint as bp

    procs = bp.persona_rows(ws, persona, pains)
    if not len(procs):
        return []
    tp_names = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"]))
    order = {tid: i for i, tid in enumerate(dict.fromkeys(journey(ws, persona)["touchpoint"]))}
    procs = procs.assign(_o=procs["touchpoint"].map(order).fillna(len(order))).sort_values(
        "_o", kind="mergesort")
    out = ["### Service blueprint", "",
           table(["Touchpoint", "Lane", "Process", "Owner", "System", "Fails", "Causes"],
                 ([tp_names.get(r.touchpoint, r.touchpoint), bp.LANE_NAMES.get(r.lane, r.lane), r.text,
                   r.owner or "–", r.system or "–", "⚠ yes" if r.fails else "", ", ".join(r.causes)]
                  for r in procs.itertuples(index=False))), ""]
    causes = bp.root_causes(ws, pains, persona)
    if len(causes):
        out += ["Root causes behind the pain points:", ""]
        out += [f"- {inline(r.description)} ({_num(r.weighted_pain)}) ← {inline(r.process)} "
                f"({bp.LANE_NAMES.get(r.lane, r.lane).lower()}, {inline(r.owner or 'no owner')})"
                for r in causes.itertuples(index=False)]
        out.append("")
    return out


def plan_section(ws: Workshop, persona: str | None = None) -> str:
    """The plan per stage: a table per stage in journey order (kinds in the SPEC's order), and
    the stages where nothing is planned yet. With ``persona``, that persona's view."""
    from ..plan import dropped_count, plan_stages, plan_table

    opps = opportunities(ws, persona)
    whose = f" for {inline(ws.persona_name(persona))}" if persona else ""
    out = ["## Plan per stage" + whose, "",
           "What to do in each stage, grouped by kind (fix, content, campaign, personalisation, "
           "process, product), with who owns each and where it stands. Rank is the RICE rank "
           "(– when not yet scored).", ""]
    for stage in plan_stages(ws, table=plan_table(ws, opportunities=opps)):
        out += [f"### {inline(stage.name)}", ""]
        if not stage.groups:
            out += ["_Nothing planned yet._", ""]
            continue
        rows = []
        for group in stage.groups:
            rows += [[group.label if k == 0 else "", r.title, r.owner or "_no owner yet_",
                      r.status or "–", _num(r.rank)] for k, r in enumerate(group.items.itertuples())]
        out += [table(["Kind", "Opportunity", "Owner", "Status", "Rank"], rows, "llllr"), ""]
    dropped = dropped_count(ws, opportunities=opps)
    if dropped:
        out += [f"{_num(dropped)} dropped {'opportunity is' if dropped == 1 else 'opportunities are'} "
                "left out of the plan.", ""]
    return "\n".join(out)


def render(ws: Workshop, persona: str | None = None, diagram: bool = True) -> str:
    """The whole summary: a header, one section per persona (or only ``persona``), the map-wide
    gaps, then the plan per stage (of the map, or of that persona's view)."""
    pid = persona_id(ws, persona) if persona is not None else None
    ids = [pid] if pid is not None else [str(p) for p in ws.personas["id"]]
    parts = ["\n".join(_header(ws))]
    if not ids:
        parts.append("_No personas yet._\n")
    for one in ids:
        parts.append(persona_section(ws, one, diagram))
    if persona is None:
        wide = [g for g in find_gaps(ws) if g.kind not in PERSONA_GAPS]
        if wide:
            parts.append("## Map-wide gaps\n\n" + "\n".join(f"- {inline(g.message)}"
                                                          for g in wide) + "\n")
    parts.append(plan_section(ws, pid))
    return "\n".join(parts).rstrip("\n") + "\n"


def write(ws: Workshop, path: Path, persona: str | None = None) -> Path:
    """Write the summary to ``path`` (UTF-8)."""
    write_text_atomic(path, render(ws, persona))
    return path

