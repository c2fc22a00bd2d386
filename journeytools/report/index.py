"""The reports' index page: every persona, the cross-persona heatmap, top opportunities."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, Sequence

import jinja2
from markupsafe import Markup

from ..scoring import score
from ..model.workshop import Workshop
from .html import badge, esc, figure, table
from .render import templates_dir

TOP_OPPORTUNITIES = 8


def _opportunities(ws: Workshop) -> str:
    opps = score(ws).opportunities
    scored = opps[opps["scored"]].head(TOP_OPPORTUNITIES)
    if not len(scored):
        return "<p class=\"jt-empty\">No scored opportunities yet.</p>"
    rows = [[str(r.rank), f"<strong>{esc(r.title)}</strong>", f"{r.rice:,.1f}", f"{r.pain_relieved:g}",
             badge(r.quadrant, r.quadrant.replace(" ", "-")), esc(r.owner)] for r in scored.itertuples()]
    return table(["#", "Opportunity", "RICE", "Pain relieved", "Quadrant", "Owner"], rows, raw=True)


def render(ws: Workshop, personas: Sequence[Any], out: Path, brand: dict[str, str], today: str) -> str:
    """HTML of ``index.html``; links are relative so the folder can move (USB stick)."""
    from ..charts import pain_heatmap

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir() / "report")),
                             autoescape=True)
    pains = score(ws).pain_points
    rows = []
    for p in personas:
        mine = pains[(pains["persona"] == p.id) | (pains["persona"] == "*")]
        card = ws.personas[ws.personas["id"] == p.id].iloc[0]
        rows.append({
            "name": p.name, "segment": str(card.get("segment", "") or ""),
            "top_pain": str(mine["description"].iloc[0]) if len(mine) else "—",
            "ok": p.ok, "error": p.error,
            "html": os.path.relpath(p.html, out) if p.html else "",
            "pdf": os.path.relpath(p.pdf, out) if p.pdf else "",
            "notebook": os.path.relpath(p.notebook, out) if p.notebook else "",
        })
    day = dt.date.fromisoformat(today)
    stale = ""
    if ws.is_stale(day):
        stale = (f"It was last reviewed on {ws.reviewed} and was due for review on {ws.review_due()} "
                 f"(every {ws.review_every_months} months).")
    dates = " · ".join(x for x in (
        f"Workshop {ws.date}" if ws.date else "", f"last reviewed {ws.reviewed}" if ws.reviewed else "",
        f"next review due {ws.review_due()}" if ws.review_due() else "") if x)
    heat = figure(pain_heatmap(ws), alt="Heatmap of weighted pain by persona and stage")
    return env.get_template("index_page.html.j2").render(
        title=ws.title, company=brand["company"], accent=brand["accent"], logo=brand["logo"],
        dates=dates, stale=stale, scope=str(ws.meta.get("scope") or ""),
        personas=rows, heatmap=Markup(heat), opportunities=Markup(_opportunities(ws)), today=today,
        css_raw=Markup(brand["css"]))
