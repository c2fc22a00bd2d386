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

from markupsafe import Markup

from ..model.workshop import Workshop
from ..scoring import Scores, score
from .html import figure
from .html import render as render_template

TOP_OPPORTUNITIES = 8
HEATMAP_PERSONAS = 20  # heatmap rows: the 19 personas with most pain, then one for the others


def _opportunities(scores: Scores) -> list[dict[str, Any]]:
    opps = scores.opportunities
    scored = opps[opps["scored"]].head(TOP_OPPORTUNITIES)
    return [{"rank": r.rank, "title": r.title, "rice": f"{r.rice:,.1f}",
             "pain_relieved": f"{r.pain_relieved:g}", "quadrant": r.quadrant,
             "kind": r.quadrant.replace(" ", "-"), "owner": r.owner} for r in scored.itertuples()]


def _href(path: Path | None, out: Path) -> str:
    """``path`` as a link relative to the index ('' when there is none)."""
    return quote(Path(os.path.relpath(path, out)).as_posix()) if path else ""


def render(ws: Workshop, personas: Sequence[Any], out: Path, brand: dict[str, str], today: str) -> str:
    """HTML of ``index.html``; links are relative so the folder can move (USB stick).

    Each persona links to the reports it has (``html`` and ``pdf`` of its result: a PDF-only
    run links the PDF), or to its partial notebook when the report failed.
    """
    from ..charts import pain_heatmap
    from ..charts.heatmaps import OTHERS

    scores = score(ws)
    pains = scores.pain_points
    rows = []
    for p in personas:
        mine = pains[(pains["persona"] == p.id) | (pains["persona"] == "*")]
        card = ws.personas[ws.personas["id"] == p.id].iloc[0]
        rows.append({
            "name": p.name, "segment": str(card.get("segment", "") or ""),
            "top_pain": str(mine["description"].iloc[0]) if len(mine) else "—",
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
    heat = figure(chart, alt="Heatmap of weighted pain by persona and stage")
    return str(render_template(
        "index_page.html.j2",
        title=ws.title, company=brand["company"], accent=brand["accent"], logo=brand["logo"],
        dates=dates, stale=stale, scope=str(ws.meta.get("scope") or ""),
        personas=rows, heatmap=heat, opportunities=_opportunities(scores), today=today,
        heatmap_top=top, heatmap_others=len(ws.personas) - top,
        css=Markup(brand["css"])))  # the package's own stylesheet, not user text
