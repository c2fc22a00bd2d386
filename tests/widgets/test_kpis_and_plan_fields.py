"""The KPI editor and the plan fields of ideas (kind, stage): set values as the scribe would."""

from __future__ import annotations

import csv
from pathlib import Path

import journeytools as jt
from journeytools import widgets as jtw


def text_of(html_value: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", html_value))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".journeytools.lock"}


# -- KPI editor -----------------------------------------------------------------------------
def test_kpi_editor_saves_a_valid_kpis_csv_with_an_owner(luggage: Path) -> None:
    grid = jtw.KpiGrid(luggage)
    assert [r.cells["id"].value for r in grid.rows][:2] == ["cart-conversion", "camera-page-conversion"]
    row = grid.add_row(id="abandoned-cart-recovery", metric="conversion", stage="purchase",
                       unit="%", baseline="8", target="12", owner="CRM & email")
    assert text_of(row.message.value) == ""
    assert grid.save(), text_of(grid.status.value)
    assert "Saved kpis.csv (5 rows)" in text_of(grid.status.value)
    report = jt.validate(luggage)
    assert report.ok, [str(e) for e in report.errors]
    kpis = report.workshop.kpis.set_index("id")
    new = kpis.loc["abandoned-cart-recovery"]
    assert (new["stage"], new["baseline"], new["target"], new["owner"]) \
        == ("purchase", 8.0, 12.0, "CRM & email")
    assert kpis.loc["delivery-csat", "current"] == 86.0  # other rows kept
    assert not list(luggage.glob("*.tmp")) and not list(luggage.glob(".*.tmp"))  # written atomically


def test_kpi_editor_rejects_bad_input_with_a_clear_message(luggage: Path) -> None:
    before = snapshot(luggage)
    grid = jtw.KpiGrid(luggage)
    row = grid.add_row(id="repeat-rate", metric="retention")
    assert "choose the stage or the touchpoint this KPI measures" in text_of(row.message.value)
    row.cells["stage"].value = "advocacy"
    row.cells["baseline"].value = "twenty"
    assert "baseline must be a number, got 'twenty'" in text_of(row.message.value)
    row.cells["baseline"].value = "20"
    row.cells["target"].value = "20"
    assert "target equals baseline" in text_of(row.message.value)
    row.cells["target"].value = "25"
    row.cells["touchpoint"].value = "cart"
    assert "touchpoint 'cart' is not in stage 'advocacy'" in text_of(row.message.value)
    row.cells["touchpoint"].value = ""
    row.cells["measured_at"].value = "31/12/2026"
    assert "measured_at must be an ISO date" in text_of(row.message.value)
    row.cells["id"].value = "cart-conversion"
    assert "already used" in text_of(row.message.value)
    assert grid.save() is False
    assert "need fixing" in text_of(grid.status.value)
    assert snapshot(luggage) == before


def test_kpi_editor_starts_a_kpis_csv_where_there_is_none(holiday: Path) -> None:
    (holiday / "kpis.csv").unlink(missing_ok=True)
    grid = jtw.KpiGrid(holiday)
    assert grid.rows == []
    grid.add_row(id="booking-conversion", metric="conversion", stage="booking", unit="%",
                 baseline="2.1", target="3", current="2.4")
    assert grid.save()
    with open(holiday / "kpis.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["id"] == "booking-conversion" and rows[0]["target"] == "3"
    assert jt.validate(holiday).ok


# -- ideas: kind and stage ------------------------------------------------------------------
def test_opportunity_form_sets_kind_and_stage(holiday: Path) -> None:
    form = jtw.OpportunityForm(holiday)
    assert "" in [v for _l, v in form.kind.options] and "campaign" in [v for _l, v in form.kind.options]
    form.title.value = "Win back abandoned family searches"
    form.addresses.value = ("family-room-filters",)
    assert "from the pain points it relieves" in text_of(form.notes["stage"].value)
    form.kind.value = "campaign"
    stage = [v for _l, v in form.stage.options if v][0]
    form.stage.value = stage
    assert form.save()
    op = jt.load(holiday).opportunities.set_index("id").loc[form.added[0]]
    assert (op["kind"], op["stage"], op["status"]) == ("campaign", stage, "idea")
    assert form.kind.value == "" and form.stage.value == ""  # ready for the next idea
    assert jt.validate(holiday).ok


def test_opportunity_form_blank_stage_comes_from_the_pain_points(luggage: Path) -> None:
    form = jtw.OpportunityForm(luggage)
    form.title.value = "Cart error follow-up email"
    form.addresses.value = ("cart-error",)
    assert "Purchase" in text_of(form.notes["stage"].value)
    form.kind.value = "campaign"
    assert form.save()
    ws = jt.load(luggage)
    op = ws.opportunities.set_index("id").loc[form.added[0]]
    assert op["kind"] == "campaign" and op.get("stage", "") == ""
    from journeytools import scoring

    table = scoring.opportunity_table(ws).set_index("id")
    assert table.loc[form.added[0], "stage"] == "purchase"


def test_opportunity_grid_sets_kind_and_stage(luggage: Path) -> None:
    grid = jtw.OpportunityGrid(luggage)
    row = grid.rows[[r.cells["id"].value for r in grid.rows].index("ugc-ads")]
    assert row.cells["kind"].value == "campaign"
    row.cells["kind"].value = "personalisation"
    row.cells["stage"].value = "advocacy"
    assert grid.save(), text_of(grid.status.value)
    op = jt.load(luggage).opportunities.set_index("id")
    assert (op.loc["ugc-ads", "kind"], op.loc["ugc-ads", "stage"]) == ("personalisation", "advocacy")
    assert op.loc["fix-cart-error", "stage"] == ""  # blank stays blank: from its pain points


def test_step_grid_keeps_the_file_shape_until_questions_are_asked(luggage: Path) -> None:
    header = (luggage / "steps.csv").read_text(encoding="utf-8").splitlines()[0]
    grid = jtw.StepGrid(luggage, "mia")
    grid.rows[0].cells["feeling"].value = "Curious"
    assert grid.save()
    assert (luggage / "steps.csv").read_text(encoding="utf-8").splitlines()[0] == header
    grid.rows[0].cells["questions"].value = "Does it come in pink?"
    assert grid.save()
    steps = jt.load(luggage).steps
    assert "Does it come in pink?" in set(steps["questions"])


def test_persona_form_records_who_shapes_the_experience(luggage: Path) -> None:
    form = jtw.PersonaForm(luggage, persona="mia")
    form.fields["influencers"].value = "best friend; travel creators"
    assert form.save()
    assert jt.load(luggage).personas.set_index("id").loc["mia", "influencers"] \
        == "best friend; travel creators"
