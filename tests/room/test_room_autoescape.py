"""The room's pages escape workshop and participant text by default (jinja2 autoescape)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import ipywidgets as w
import pytest
from markupsafe import escape

import journeytools as jt
from journeytools.room import FacilitatorView, ParticipantRoom
from journeytools.room import render as R

from helpers import WORKSHOP_YML, XSS_PAYLOADS, write_workshop
from helpers import assert_escaped as assert_escaped_in

PAYLOADS = XSS_PAYLOADS


def assert_escaped(html: str, payload: str) -> None:
    assert_escaped_in(html, payload, images=False)


def html_values(widget: w.Widget) -> list[str]:
    """The HTML of every ``w.HTML`` on a page."""
    if isinstance(widget, w.HTML):
        return [widget.value]
    return [v for child in getattr(widget, "children", ()) for v in html_values(child)]


@pytest.fixture(params=PAYLOADS, ids=["script", "attribute"])
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    """The bike-shop workshop with the payload as title, stage, persona, pain and idea names."""
    payload = request.param
    quoted = json.dumps(payload)  # a valid YAML scalar
    meta = WORKSHOP_YML.replace("title: Bike shop — repair booking journey", f"title: {quoted}") \
        .replace("{id: booking, name: Booking}", f"{{id: booking, name: {quoted}}}")
    folder = write_workshop(tmp_path / "ws", workshop=meta)
    ws = jt.load(folder)
    ws.personas.loc[:, "name"] = payload
    ws.pain_points.loc[:, "description"] = payload
    ws.opportunities.loc[:, "title"] = payload
    jt.save(ws)
    jt.add_opportunity(folder, title=payload, description=payload)  # an unscored idea
    return folder, payload


def test_fragments_escape(hostile: tuple[Path, str]) -> None:
    folder, payload = hostile
    ws = jt.load(folder)
    for html in (R.header_html(ws), R.header_html(ws, payload), R.stage_bars_html(ws),
                 R.pain_ranking_html(ws), R.idea_ranking_html(ws), R.heatmap_table_html(ws),
                 R.message_html(payload, "error"), R.budget_html(2, 5, payload),
                 R.section_html(payload), R.hint_html(payload, payload),
                 R.journey_html(ws, "booking", str(ws.personas["id"].iloc[0]), [payload])):
        assert_escaped(html, payload)
    assert_escaped(R.totals_html(ws, dt.datetime(2026, 11, 2, 9, 30)) + str(escape(payload)), payload)


def test_participant_page_escapes(hostile: tuple[Path, str]) -> None:
    folder, payload = hostile
    room = ParticipantRoom(folder)
    room.name.value = payload
    room.stage.value = "booking"  # the stage named with the payload, on the journey strip
    room.persona.value = str(jt.load(folder).personas["id"].iloc[0])  # named with it too
    room._say(room.pain_msg, f"could not save: {payload}", "error")
    page = "".join(html_values(room.widget))
    assert_escaped(page, payload)
    assert str(escape(payload)) + ": " in room.budget.value  # the voter's name
    assert "Add a pain point" in page and "Dot voting" in page


def test_facilitator_page_escapes(hostile: tuple[Path, str]) -> None:
    folder, payload = hostile
    view = FacilitatorView(folder, heatmap=lambda ws: None)
    text = str(escape(payload))
    for part in (view.header, view.stage_bars, view.heatmap_table, view.pains, view.ideas):
        assert_escaped(part.value, payload)
    assert_escaped("".join(html_values(view.widget)), payload)
    assert view.ideas.value.count(text) >= 3  # two scored ideas and the participant's one


def test_escaping_keeps_the_markup_the_room_makes(tmp_path: Path) -> None:
    ws = jt.load(write_workshop(tmp_path / "ws"))
    assert R.message_html("saved", "ok") == (
        '<div class="jt-msg jt-msg-ok" style="color:#2e7d32;padding:2px 6px">saved</div>')
    assert R.budget_html(3, 5, "") == (
        '<div class="jt-budget" style="font-size:1.1em">Enter your name to vote. '
        '<span aria-hidden="true" style="letter-spacing:2px">●●●○○</span> '
        '<b class="jt-dots-left">3</b> of 5 dots left</div>')
    assert 'style="border-left:6px solid #2E7D32;padding-left:10px"' in R.header_html(ws)
    assert 'background:rgba(46,125,50,' in R.heatmap_table_html(ws)
    assert R.message_html("") == ""
