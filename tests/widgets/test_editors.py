"""Widget editors: set values in Python as a participant would, check messages and the folder."""

from __future__ import annotations

from pathlib import Path

import pytest

import journeytools as jt
from journeytools import widgets as jtw
from journeytools.widgets.forms import NEW


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".journeytools.lock"}


def text_of(html_value: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", html_value))


# -- emotion sliders ------------------------------------------------------------------------
def test_emotion_slider_saves_at_once_and_redraws_the_chart(luggage: Path) -> None:
    drawn: list[jt.Workshop] = []
    ed = jtw.EmotionSliders(luggage, "mia", chart=lambda ws: drawn.append(ws))
    assert len(ed.sliders) == 10 and ed.sliders[4].value == 1  # the cart error step
    ed.sliders[4].value = 3
    steps = jt.load(luggage).steps
    mia = steps[steps["persona"] == "mia"]
    assert int(mia[mia["touchpoint"] == "cart"]["emotion"].iloc[0]) == 3
    assert jt.validate(luggage).ok
    assert "Saved" in text_of(ed.status.value)
    assert ed.chart is not None and ed.chart.draws == 2  # once when shown, once after saving
    assert int(drawn[-1].steps.loc[mia.index[4], "emotion"]) == 3  # redrawn with the new value


def test_chart_panel_shows_the_figure(luggage: Path) -> None:
    from journeytools import charts

    ed = jtw.PainScoreSliders(luggage, chart=charts.pain_heatmap)
    assert ed.chart is not None and "image/png" in ed.chart.outputs[-1]["data"]
    ed.severity[0].value = 1
    assert ed.chart.draws == 2 and len(ed.chart.outputs) == 1


def test_emotion_sliders_keep_other_rows_and_columns(luggage: Path) -> None:
    before = jt.load(luggage)
    ed = jtw.EmotionSliders(luggage, "andy")
    ed.sliders[0].value = 5
    after = jt.load(luggage)
    assert list(after.steps.columns) == list(before.steps.columns)
    changed = (after.steps["emotion"] != before.steps["emotion"]).fillna(True)
    assert int(changed.sum()) == 1


def test_emotion_slider_cannot_leave_the_scale(luggage: Path) -> None:
    ed = jtw.EmotionSliders(luggage, "mia")
    ed.sliders[0].value = 9
    assert ed.sliders[0].value == 5
    assert jt.validate(luggage).ok


# -- pain score sliders -------------------------------------------------------------------
def test_pain_score_sliders_save_severity_and_frequency(holiday: Path) -> None:
    ed = jtw.PainScoreSliders(holiday)
    k = ed.ids.index("family-room-filters")
    ed.severity[k].value = 5
    ed.frequency[k].value = 2
    pp = jt.load(holiday).pain_points.set_index("id")
    assert (int(pp.loc["family-room-filters", "severity"]),
            int(pp.loc["family-room-filters", "frequency"])) == (5, 2)
    assert "5 × 2 = 10" in text_of(ed.scores[k].value)


def test_pain_score_sliders_for_one_persona_include_shared_pain(luggage: Path) -> None:
    ed = jtw.PainScoreSliders(luggage, persona="andy")
    assert "no-video-review" in ed.ids and "chat-queue-wait" in ed.ids  # '*' pain point
    assert "cart-error" not in ed.ids


# -- grids --------------------------------------------------------------------------------
def test_step_grid_shows_message_next_to_the_row_and_saves_nothing(luggage: Path) -> None:
    before = snapshot(luggage)
    grid = jtw.StepGrid(luggage, "mia")
    grid.rows[0].cells["emotion"].value = "6"
    assert "emotion must be an integer from 1 to 5, got '6'" in text_of(grid.rows[0].message.value)
    assert grid.save() is False
    assert "need fixing" in text_of(grid.status.value)
    assert snapshot(luggage) == before


def test_step_grid_adds_a_step_for_its_persona(luggage: Path) -> None:
    grid = jtw.StepGrid(luggage, "greta")
    row = grid.add_row(touchpoint="loyalty-app", order="9", action="Reorders in two taps",
                       emotion="5", feeling="Pleased")
    assert row.message.value == ""
    assert grid.save() is True
    ws = jt.load(luggage)
    new = ws.steps.iloc[-1]
    assert (new["persona"], new["touchpoint"], int(new["emotion"])) == ("greta", "loyalty-app", 5)
    assert jt.validate(luggage).ok


def test_step_grid_removes_a_row(luggage: Path) -> None:
    n = len(jt.load(luggage).steps)
    grid = jtw.StepGrid(luggage, "mia")
    grid.rows[-1].remove.value = True
    assert grid.save()
    assert len(jt.load(luggage).steps) == n - 1


def test_touchpoint_grid_checks_ids_and_saves_new_touchpoint(example: Path) -> None:
    grid = jtw.TouchpointGrid(example)
    taken = grid.rows[0].cells["id"].value
    row = grid.add_row(id=taken, name="Parcel locker", kind="offline")
    assert "stage is required but blank" in text_of(row.message.value)
    row.cells["stage"].value = jt.load(example).stage_ids[-1]
    assert f"id {taken!r} is already used" in text_of(row.message.value)
    row.cells["id"].value = "Not A Slug!"
    assert "not a valid id" in text_of(row.message.value)
    assert grid.save() is False
    row.cells["id"].value = "parcel-locker"
    assert row.message.value == ""
    assert grid.save()
    tp = jt.load(example).touchpoints.set_index("id")
    assert tp.loc["parcel-locker", "name"] == "Parcel locker"
    assert "description" in tp.columns  # columns the grid does not show are kept


def test_touchpoint_grid_refuses_to_orphan_steps(luggage: Path) -> None:
    before = snapshot(luggage)
    grid = jtw.TouchpointGrid(luggage)
    k = [r.cells["id"].value for r in grid.rows].index("cart")
    grid.rows[k].remove.value = True
    assert grid.save() is False
    assert "unknown touchpoint 'cart'" in text_of(grid.status.value)
    assert snapshot(luggage) == before


def test_opportunity_grid_scores_an_idea(luggage: Path) -> None:
    grid = jtw.OpportunityGrid(luggage)
    k = [r.cells["id"].value for r in grid.rows].index("pink-capsule")
    row = grid.rows[k]
    row.cells["confidence"].value = "250%"
    assert "confidence" in text_of(row.message.value)
    row.cells["confidence"].value = "60%"
    row.cells["effort"].value = "0"
    assert "effort must be person-months greater than 0" in text_of(row.message.value)
    row.cells["effort"].value = "4"
    row.cells["addresses"].value = "no-pink;nope"
    assert "unknown pain point(s) nope" in text_of(row.message.value)
    row.cells["addresses"].value = "no-pink"
    assert grid.save()
    op = jt.load(luggage).opportunities.set_index("id")
    assert (op.loc["pink-capsule", "confidence"], op.loc["pink-capsule", "effort"]) == (0.6, 4.0)
    assert op.loc["pink-capsule", "addresses"] == "no-pink"


def test_grid_reports_a_conflict_instead_of_overwriting(luggage: Path) -> None:
    grid = jtw.StepGrid(luggage, "mia")
    other = jt.load(luggage)
    other.steps.loc[0, "feeling"] = "Changed elsewhere"
    jt.save(other)
    grid.rows[0].cells["feeling"].value = "Mine"
    assert grid.save() is False
    assert "changed on disk" in text_of(grid.status.value)
    assert jt.load(luggage).steps.loc[0, "feeling"] == "Changed elsewhere"
    grid.reload()
    assert grid.rows[0].cells["feeling"].value == "Changed elsewhere"


# -- forms --------------------------------------------------------------------------------
def test_persona_form_validates_fields_and_creates_a_persona(holiday: Path) -> None:
    before = snapshot(holiday)
    form = jtw.PersonaForm(holiday)
    form.persona.value = NEW
    form.fields["name"].value = ""
    assert "name is required" in text_of(form.notes["name"].value)
    form.fields["weight"].value = "-1"
    assert "weight must be a number greater than 0" in text_of(form.notes["weight"].value)
    assert form.save() is False and snapshot(holiday) == before
    form.fields["name"].value = "Sam <the student>"
    form.fields["weight"].value = "0.5"
    form.fields["channels"].value = "tiktok;web"
    assert "assumption" in text_of(form.notes["data_sources"].value)
    assert form.save()
    p = jt.load(holiday).personas.set_index("id")
    assert p.loc["sam-the-student", "name"] == "Sam <the student>"
    assert p.loc["sam-the-student", "weight"] == 0.5
    assert jt.validate(holiday).ok


def test_persona_form_edits_an_existing_persona_and_escapes_text(luggage: Path) -> None:
    form = jtw.PersonaForm(luggage, persona="andy")
    assert form.fields["name"].value == "Andy" and form.fields["id"].disabled
    form.fields["segment"].value = "<script>alert(1)</script>"
    assert form.save()
    assert jt.load(luggage).personas.set_index("id").loc["andy", "segment"] \
        == "<script>alert(1)</script>"
    assert "<script>" not in form.status.value
    form.fields["id"].value = "mia"  # ignored for an existing persona
    assert form.check("id") is None


def test_persona_form_rejects_a_taken_id(luggage: Path) -> None:
    form = jtw.PersonaForm(luggage)
    form.persona.value = NEW
    form.fields["name"].value = "Another Mia"
    form.fields["id"].value = "mia"
    assert "already used" in text_of(form.notes["id"].value)
    assert form.save() is False


def test_scope_form_writes_title_scope_and_stages(luggage: Path) -> None:
    form = jtw.ScopeForm(luggage)
    form.fields["title"].value = " "
    assert "title is required" in text_of(form.notes["title"].value)
    form.fields["title"].value = "Luggage store — full journey"
    form.fields["stages"].value += "\nrepair | Repair & warranty | Get it fixed fast"
    assert form.notes["stages"].value == "" or "one per line" in text_of(form.notes["stages"].value)
    assert form.save()
    ws = jt.load(luggage)
    assert ws.title == "Luggage store — full journey"
    assert ws.stage_ids[-1] == "repair" and ws.stages[-1].goal == "Get it fixed fast"
    assert ws.stages[0].goal == "Find bags that fit my trip"


def test_scope_form_will_not_drop_a_stage_in_use(luggage: Path) -> None:
    before = snapshot(luggage)
    form = jtw.ScopeForm(luggage)
    form.fields["stages"].value = "awareness | Awareness"
    assert "still have touchpoints" in text_of(form.notes["stages"].value)
    assert form.save() is False and snapshot(luggage) == before


def test_pain_point_form(luggage: Path) -> None:
    before = snapshot(luggage)
    form = jtw.PainPointForm(luggage)
    form.description.value = "  "
    assert "describe what goes wrong" in text_of(form.notes["description"].value)
    assert form.save() is False and snapshot(luggage) == before
    form.severity.value = 6  # a slider cannot leave the 1–5 scale
    assert form.severity.value == 5
    form.persona.value = "greta"
    form.touchpoint.value = "courier-delivery"
    form.description.value = "No text message when the courier is 30 minutes away"
    form.frequency.value = 2
    assert "pain score 10" in text_of(form.notes["frequency"].value)
    form.source.value = "survey"
    assert "say where the survey data is" in text_of(form.notes["evidence"].value)
    form.evidence.value = "Delivery survey Q3 (n=640)"
    assert form.save()
    pp = jt.load(luggage).pain_points.set_index("id")
    new = pp.loc[form.added[0]]
    assert (new["persona"], int(new["severity"]), int(new["frequency"]), new["source"]) \
        == ("greta", 5, 2, "survey")
    assert form.description.value == ""  # ready for the next one
    assert jt.validate(luggage).ok


def test_opportunity_form(holiday: Path) -> None:
    form = jtw.OpportunityForm(holiday)
    assert form.save() is False
    assert "name the idea" in text_of(form.notes["title"].value)
    form.title.value = "Family-room filter"
    assert "addresses no pain point" in text_of(form.notes["addresses"].value)
    form.addresses.value = ("family-room-filters",)
    form.impact.value = 2.0
    form.owner.value = "E-commerce"
    assert form.save()
    op = jt.load(holiday).opportunities.set_index("id").loc[form.added[0]]
    assert (op["addresses"], op["impact"], op["status"]) == ("family-room-filters", 2.0, "idea")


def test_review_form_marks_the_map_reviewed(luggage: Path) -> None:
    import datetime as dt

    form = jtw.ReviewForm(luggage, today=dt.date(2027, 6, 1))
    form.reviewed.value = "2027-07-01"
    assert "future" in text_of(form.notes["reviewed"].value)
    assert form.save() is False
    form.reviewed.value = "2027-05-30"
    assert form.save()
    ws = jt.load(luggage)
    assert ws.reviewed == dt.date(2027, 5, 30) and not ws.is_stale(dt.date(2027, 6, 1))


# -- dot voting ---------------------------------------------------------------------------
def test_dot_voting_checks_name_and_budget(luggage: Path) -> None:
    board = jtw.DotVoting(luggage, what="pain_points")
    assert all(not v.startswith("Idea") for v, _ in board.item.options)
    board.item.value = "missed-delivery"
    assert board.vote() is False
    assert "enter your name" in text_of(board.voter_note.value)
    board.voter.value = "Sara"  # voters match case-insensitively: sara spent 4 of 5
    assert "1 of 5 dots left" in text_of(board.voter_note.value)
    board.votes.value = 2
    assert "only 1 dot left" in text_of(board.votes_note.value)
    assert board.vote() is False
    board.votes.value = 1
    assert board.vote()
    votes = jt.load(luggage).votes
    last = votes.iloc[-1]
    assert (last["voter"], last["item"], int(last["votes"])) == ("Sara", "missed-delivery", 1)
    assert "0 of 5 dots left" in text_of(board.voter_note.value)
    board.votes.value = 1
    assert board.vote() is False
    assert jt.validate(luggage).ok


def test_dot_voting_sees_votes_cast_elsewhere(holiday: Path) -> None:
    board = jtw.DotVoting(holiday, what="opportunities")
    board.voter.value = "new-voter"
    assert "5 of 5" in text_of(board.voter_note.value)
    jt.add_vote(holiday, voter="new-voter", item="early-email-capture", votes=4)
    board.votes.value = 2
    assert "only 1 dot left" in text_of(board.votes_note.value)


# -- no globals, escaping -----------------------------------------------------------------
def test_editors_do_not_share_state(luggage: Path, holiday: Path) -> None:
    a, b = jtw.PainScoreSliders(luggage), jtw.PainScoreSliders(holiday)
    a.severity[0].value = 1
    assert b.ws.path == holiday and a.ws.path == luggage
    assert a._listeners is not b._listeners


@pytest.mark.parametrize("text", ["<b>bold</b>", "a & b", "\"quoted\" 'x'"])
def test_messages_are_escaped(text: str) -> None:
    from journeytools.widgets._base import message

    out = message(text)
    assert "<b>" not in out.replace('<span style="color:#B00020">', "")
    assert text_of(out).endswith(text)


def test_check_cell_uses_the_folder_rules() -> None:
    assert jtw.check_cell("opportunities", "confidence", "80%") == (0.8, None)
    assert jtw.check_cell("steps", "emotion", "")[1] is None
    assert "required" in (jtw.check_cell("pain_points", "description", "  ")[1] or "")
    assert jtw.check_cell("touchpoints", "kind", "Online") == ("online", None)
