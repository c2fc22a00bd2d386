"""The plan per stage in the persona report (sections.plan) and on the overview page."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest
from markupsafe import escape

import journeytools as jt
from journeytools.report import index
from journeytools.report import sections as S
from journeytools.report.render import branding

from helpers import WORKSHOP_YML, XSS_PAYLOADS, assert_escaped, write_workshop

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "persona_report.ipynb"


class _Plan(HTMLParser):
    """Stages (h3) and their rows (kind carried down the rowspan, cell texts) of a plan."""

    def __init__(self) -> None:
        super().__init__()
        self.stages: dict[str, list[list[str]]] = {}
        self.empty: list[str] = []
        self._stage = ""
        self._in: str | None = None
        self._row: list[str] | None = None
        self._kind = ""
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h3", "td", "th") or (tag == "p" and ("class", "jt-empty") in attrs):
            self._in, self._text = tag, ""
        if tag == "tr":
            self._row = []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        text = " ".join(self._text.split())
        if tag == "h3" and self._in == "h3":
            self._stage = text
            self.stages[text] = []
        elif tag == "p" and self._in == "p":
            self.empty.append(self._stage)
        elif tag in ("td", "th") and self._row is not None and self._in == tag:
            self._row.append(text)
        elif tag == "tr" and self._row is not None:
            row = self._row
            if row and row != ["Kind", "Opportunity", "Owner", "Status", "Rank"]:
                if len(row) == 4:  # under a kind's rowspan
                    row = [self._kind, *row]
                self._kind = row[0]
                self.stages[self._stage].append(row)
            self._row = None
        if tag == self._in:
            self._in = None


def _parse(html: str) -> _Plan:
    part = html.split('id="plan"', 1)[1].split("<h2", 1)[0]
    parser = _Plan()
    parser.feed(part)
    return parser


def test_persona_plan_by_stage_then_kind_with_owner_status_and_rank(luggage: Path) -> None:
    ctx = S.context(luggage, "mia", "2026-12-01")
    html = str(S.plan(ctx))
    assert html.startswith('<h2 id="plan">Plan per stage</h2>')
    plan = _parse(html)
    assert list(plan.stages) == ["Awareness", "Consideration", "Purchase", "Delivery", "Sharing & loyalty"]
    assert plan.empty == ["Delivery", "Sharing & loyalty"]
    assert [r[0] for r in plan.stages["Consideration"]] == ["Product"] * 3
    assert plan.stages["Purchase"] == [
        ["Fix", "Fix the add-to-cart 'Unknown error'", "E-commerce engineering", "in-progress", "1"],
        ["Process", "Rescue flow on cart and checkout errors", "Customer service", "planned", "3"]]
    # ranks are the persona view's: the same as in the opportunities table of the same page
    opps = ctx.scores.opportunities
    ranks = {t: ("unscored" if pd.isna(r) else str(int(r))) for t, r in zip(opps["title"], opps["rank"])}
    shown = {r[1]: r[4] for rows in plan.stages.values() for r in rows}
    assert shown == {t: ranks[t] for t in shown} and set(shown) == set(ranks)


def test_the_report_lists_the_plan_after_the_opportunities() -> None:
    anchors = [a for a, _ in S.SECTIONS]
    assert anchors[anchors.index("opportunities") + 1] == "plan"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code[code.index("S.opportunities(ctx)") + 1] == "S.plan(ctx)"
    assert all(not c.get("outputs") and c.get("execution_count") is None
               for c in nb.cells if c.cell_type == "code")
    assert nb.metadata["kernelspec"]["name"] == "python3"


OPPORTUNITIES = """\
id,title,addresses,stage,reach,impact,confidence,effort,owner,status,kind
express-slots,Express repair slots,no-same-day,,400,2,0.8,2,Digital,planned,product
callback,Call-back button,phone-wait,,150,1,0.5,1,,idea,
old,Fax booking,,booking,10,0.25,0.1,5,,dropped,fix
ready-sms,Text when ready,,repair,300,1,0.8,0.5,Workshop,in-progress,personalisation
"""


def _personas(ws: jt.Workshop, out: Path) -> list[SimpleNamespace]:
    return [SimpleNamespace(id=str(p), name=ws.persona_name(str(p)), ok=True, error="",
                            html=out / f"{p}.html", pdf=None, notebook=None) for p in ws.personas["id"]]


def test_the_overview_shows_the_map_plan(tmp_path: Path) -> None:
    ws = jt.load(write_workshop(tmp_path / "ws", opportunities=OPPORTUNITIES))
    out = tmp_path / "out"
    html = index.render(ws, _personas(ws, out), out, branding(ws), "2026-12-01")
    plan = _parse(html)
    assert list(plan.stages) == ["Need arises", "Booking", "Repair"]
    assert plan.empty == ["Need arises"]
    # kinds in the SPEC's order, a blank kind last as "Unsorted", no owner said so
    assert plan.stages["Booking"] == [
        ["Product", "Express repair slots", "Digital", "planned", "2"],
        ["Unsorted", "Call-back button", "No owner yet", "idea", "3"]]
    assert plan.stages["Repair"] == [["Personalisation", "Text when ready", "Workshop", "in-progress", "1"]]
    part = html.split('id="plan"', 1)[1]
    assert "Fax booking" not in part and "1 dropped opportunity is left out of the plan." in part
    assert re.search(r'<section class="jt-plan-stage" aria-labelledby="plan-booking">\s*<h3 id="plan-booking">',
                     html)


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=["script", "attribute"])
def test_plan_escapes_user_text(tmp_path: Path, payload: str) -> None:
    quoted = json.dumps(payload)
    meta = WORKSHOP_YML.replace("{id: booking, name: Booking}", f"{{id: booking, name: {quoted}}}")
    opps = OPPORTUNITIES.replace("Express repair slots", payload.replace(",", " ").replace('"', "'"))
    folder = write_workshop(tmp_path / "ws", workshop=meta, opportunities=opps)
    ws = jt.load(folder)
    ws.opportunities.loc[ws.opportunities["id"] == "express-slots", ["title", "owner"]] = payload
    jt.save(ws)
    html = str(S.plan(S.context(folder, "commuter", "2026-12-01")))
    assert_escaped(html, payload, images=False)
    assert html.count(str(escape(payload))) >= 3  # stage name, title, owner
    out = tmp_path / "out"
    page = index.render(ws, _personas(ws, out), out, branding(ws), "2026-12-01")
    assert str(escape(payload)) in page.split('id="plan"', 1)[1]
