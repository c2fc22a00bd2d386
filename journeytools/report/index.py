"""The reports' index page: every persona, the cross-persona heatmap, top opportunities.

Laid out by ``report/templates/index_page.html.j2`` (autoescaped, like the sections).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd
from markupsafe import Markup

from ..model.workshop import Workshop
from ..scoring import Scores, persona_share, persona_weights, score
from ..vocab import number
from .html import render as render_template
from .sections import chart as chart_with_data
from .sections import map_evidence

TOP_OPPORTUNITIES = 8
HEATMAP_PERSONAS = 20  # heatmap rows: the 19 personas with most pain, then one for the others


def _opportunities(scores: Scores) -> list[dict[str, Any]]:
    opps = scores.opportunities
    scored = opps[opps["scored"]].head(TOP_OPPORTUNITIES)
    return [{"rank": r.rank, "title": r.title, "rice": number(r.rice),
             "pain_relieved": number(r.pain_relieved), "quadrant": r.quadrant,
             "kind": r.quadrant.replace(" ", "-"), "owner": r.owner} for r in scored.itertuples()]


def _plan(ws: Workshop, scores: Scores) -> dict[str, Any]:
    """The map's plan per stage (``plan.html.j2``'s values)."""
    from ..plan import dropped_count, plan_stages, plan_table, records

    opps = scores.opportunities
    return {"title": "Plan per stage", "anchor": "plan", "stages": records(plan_stages(
        ws, table=plan_table(ws, opportunities=opps))), "dropped": dropped_count(ws, opportunities=opps),
        "intro": "What to do in each stage of the journey, grouped by kind (fix, content, campaign, "
                 "personalisation, process, product), with who owns each and where it stands. "
                 "The rank is the RICE rank across the map; unscored ones need their missing "
                 "fields first."}


def _heatmap_data(ws: Workshop, chart: Any, scores: Scores) -> pd.DataFrame:
    """The heatmap's cells as a table: a row per persona drawn (and the others' row), a
    column per stage, then the stage totals of every persona (the row under the chart)."""
    from ..charts.heatmaps import OTHERS

    shown = chart._jt_shown  # the drawn matrix (charts' contract, see pain_heatmap)
    names = [s.name for s in ws.stages]
    others = len(ws.personas) - (len(shown) - 1)
    rows = [[f"{others:,} more personas" if pid == OTHERS else ws.persona_name(pid), *values]
            for pid, values in zip(shown.index, shown.to_numpy(float).tolist())]
    rows.append(["All personas", *scores.stages["pain"].tolist()])
    return pd.DataFrame(rows, columns=["Persona", *names])


def top_pains(ws: Workshop, pains: pd.DataFrame) -> dict[str, dict[str, str]]:
    """Each persona's own worst pain point (in its persona view), and a note when a pain
    point shared by all personas weighs more for that persona.

    ``pains`` is the map's ranked pain table. Own pain points keep their map value in a
    persona view, and shared ones keep their order (all scale by the persona's weight), so
    one pass over the map's table answers for every persona.
    """
    weights = persona_weights(ws).to_dict()
    total = float(sum(weights.values()))
    own = pains[pains["persona"] != "*"].drop_duplicates("persona")
    star = pains[pains["persona"] == "*"].head(1)
    out: dict[str, dict[str, str]] = {}
    for pid in ws.personas["id"]:
        w = weights.get(pid, 1.0)
        mine = own[own["persona"] == pid]
        shared_pain = (float(star["pain_score"].iloc[0]) * w
                       + float(star["votes"].iloc[0]) * persona_share(w, total)) if len(star) else None
        shared = (f"Shared by all personas: {star['description'].iloc[0]} ({number(shared_pain)})"
                  if shared_pain is not None else "")
        if len(mine):
            value = float(mine["weighted_pain"].iloc[0])
            text = f"{mine['description'].iloc[0]} ({number(value)})"
            note = f"{shared}, weighs more" if shared_pain is not None and shared_pain > value else ""
        else:
            text, note = (shared or "—"), ("no pain point of this persona's own" if shared else "")
        out[str(pid)] = {"top_pain": text, "top_note": note}
    return out


def hottest_stages(ws: Workshop, by_persona: pd.DataFrame) -> dict[str, str]:
    """Each persona's hottest stage with its pain, as its heatmap row and report show it."""
    names = {s.id: s.name for s in ws.stages}
    out: dict[str, str] = {}
    for pid, row in by_persona.iterrows():
        if len(row) and row.max() > 0:
            sid = str(row.index[int(np.argmax(row.to_numpy(float)))])  # ties: the earlier stage
            out[str(pid)] = f"{names.get(sid, sid)} ({number(float(row[sid]))})"
    return out


def _href(path: Path | None, out: Path) -> str:
    """``path`` as a link relative to the index ('' when there is none)."""
    return quote(Path(os.path.relpath(path, out)).as_posix()) if path else ""


def _teams(ws: Workshop) -> dict[str, Any] | None:
    """Pain by owning team across personas (SPEC §8): each persona's view of the pain its
    blueprint processes cause, shared by the teams owning them; None without a blueprint."""
    from .. import blueprint as bp
    from ..scoring import pain_table

    if not len(ws.blueprint):
        return None
    names = [str(n) for n in ws.personas["name"]]
    by_persona = {pid: bp.pain_by_team(bp.root_causes(ws, pain_table(ws, pid), pid))
                  for pid in ws.personas["id"]}
    teams = sorted({t for s in by_persona.values() for t in s.index},
                   key=lambda t: -sum(float(s.get(t, 0.0)) for s in by_persona.values()))
    rows = [(t, [number(float(by_persona[p].get(t, 0.0))) for p in ws.personas["id"]],
             number(sum(float(s.get(t, 0.0)) for s in by_persona.values()))) for t in teams]
    return {"personas": names, "rows": rows}


def _difference(ws: Workshop, compare: Path | None) -> dict[str, Any] | None:
    """The pain heatmap's change from the current to the future state (SPEC §9), when there
    are two states to compare."""
    from ..compare import heatmap_change
    from ..store.future import comparison_pair

    pair = comparison_pair(ws, compare)
    if pair is None:
        return None
    change = heatmap_change(*pair)
    future = pair[1]
    stage_names = {s.id: s.name for s in future.stages}
    return {"stages": [stage_names.get(c, c) for c in change.columns],
            "rows": [(future.persona_name(p), [("+" if v > 0 else "") + number(v) for v in row])
                     for p, row in zip(change.index, change.to_numpy(float).tolist())]}


def render(ws: Workshop, personas: Sequence[Any], out: Path, brand: dict[str, str], today: str,
           compare: Path | None = None) -> str:
    """HTML of ``index.html``; links are relative so the folder can move (USB stick).

    Each persona links to the reports it has (``html`` and ``pdf`` of its result: a PDF-only
    run links the PDF), or to its partial notebook when the report failed.
    """
    from ..charts import alt_text, pain_heatmap
    from ..charts.heatmaps import OTHERS

    scores = score(ws)
    tops = top_pains(ws, scores.pain_points)
    hottest = hottest_stages(ws, scores.persona_stages)
    rows = []
    for p in personas:
        card = ws.personas[ws.personas["id"] == p.id].iloc[0]
        rows.append({
            "name": p.name, "segment": str(card.get("segment", "") or ""),
            **tops.get(p.id, {"top_pain": "—", "top_note": ""}),
            "hottest": hottest.get(p.id, "—"),
            "ok": p.ok, "error": p.error,
            "html": _href(p.html, out), "pdf": _href(p.pdf, out), "notebook": _href(p.notebook, out),
        })
    day = dt.date.fromisoformat(today)
    stale = ""
    if ws.is_stale(day):
        stale = (f"It was last reviewed on {ws.reviewed} and was due for review on {ws.review_due()} "
                 f"(every {ws.review_every_months} months).")
    dates = " · ".join(x for x in (
        f"Workshop {ws.date}" if ws.date else "", f"last reviewed {ws.reviewed}" if ws.reviewed else "",
        f"next review due {ws.review_due()}" if ws.review_due() else "") if x)
    chart = pain_heatmap(ws, max_personas=HEATMAP_PERSONAS)
    rows_drawn = chart._jt_shown.index  # type: ignore[attr-defined]  # chart metadata on the Figure
    top = len(rows_drawn) - 1 if OTHERS in rows_drawn else len(rows_drawn)
    heat = chart_with_data(chart, alt=alt_text(chart), data=_heatmap_data(ws, chart, scores),
                           caption="Weighted pain by persona and stage")
    return str(render_template(
        "index_page.html.j2",
        title=ws.title, company=brand["company"], colors=brand["colors"], logo=brand["logo"],
        dates=dates, stale=stale, scope=str(ws.meta.get("scope") or ""),
        personas=rows, heatmap=heat, opportunities=_opportunities(scores), today=today,
        heatmap_top=top, heatmap_others=len(ws.personas) - top,
        plan=_plan(ws, scores), teams=_teams(ws), difference=_difference(ws, compare),
        evidence=map_evidence(ws),  # shown once here, not in every persona report
        css=Markup(brand["css"])))  # the package's own stylesheet, not user text
