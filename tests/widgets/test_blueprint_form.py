"""The blueprint form: a row appended under the chosen touchpoint with its lane and causes,
clear messages for bad input and nothing written then; the preview is the report's section."""

from __future__ import annotations

import html
import re
from pathlib import Path

import journeytools as jt
from journeytools import blueprint as bp
from journeytools.scoring import score
from journeytools.views import blueprint as bpv
from journeytools.widgets.blueprint import BlueprintForm, touchpoint_options

from helpers import write_workshop


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".journeytools.lock"}


def text_of(value: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", value))


def fill(form: BlueprintForm, **values: object) -> None:
    for name, value in values.items():
        getattr(form, name).value = value


def test_a_row_is_appended_with_its_lane_causes_and_persona(luggage: Path) -> None:
    before = len(jt.load(luggage).blueprint)
    drawn: list[jt.Workshop] = []
    form = BlueprintForm(luggage, touchpoint="cart", chart=drawn.append)
    assert form.touchpoint.value == "cart"
    fill(form, lane="support", text="Nightly stock sync from the warehouse, 6 h late at peaks",
         owner="E-commerce engineering", system="Stock API", minutes="15", fails=True,
         row_status="observed", causes=("cart-error", "chat-queue-wait"), persona="mia")
    assert form.save() is True

    ws = jt.load(luggage)
    assert jt.validate(luggage).ok
    assert len(ws.blueprint) == before + 1
    rows = bp.rows(ws, "mia")
    new = rows[rows["text"].str.startswith("Nightly stock sync")].iloc[0]
    assert (new["touchpoint"], new["lane"], new["persona"]) == ("cart", "support", "mia")
    assert new["causes"] == ["cart-error", "chat-queue-wait"] and bool(new["fails"])
    assert (new["owner"], new["system"], new["minutes"]) == ("E-commerce engineering", "Stock API", 15.0)
    assert "Added a support process row under" in text_of(form.status.value)
    assert "cart-error, chat-queue-wait" in text_of(form.status.value)
    # the process now answers "which team owns this pain" in the root causes
    causes = bp.root_causes(ws, score(ws, "mia").pain_points, "mia")
    assert "Nightly stock sync from the warehouse, 6 h late at peaks" in set(causes["process"])
    # the form is ready for the next row under the same touchpoint; the chart was redrawn
    assert form.text.value == "" and form.causes.value == () and form.touchpoint.value == "cart"
    assert len(drawn) == 2


def test_the_file_is_created_when_absent(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "bikes")
    assert not (folder / "blueprint.csv").exists()
    form = BlueprintForm(folder)
    assert [v for _label, v in touchpoint_options(form.ws)][:2] == ["flat-tyre", "booking-form"]
    fill(form, touchpoint="phone-line", lane="backstage", text="One person answers the phone",
         owner="Front desk", causes=("phone-wait",))
    assert form.save() is True
    text = (folder / "blueprint.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("touchpoint,lane,text,persona")
    ws = jt.load(folder)
    assert list(ws.blueprint["lane"]) == ["backstage"] and jt.validate(folder).ok
    assert list(bp.rows(ws)["causes"]) == [["phone-wait"]]


def test_bad_input_gives_a_clear_message_and_writes_nothing(luggage: Path) -> None:
    before = snapshot(luggage)
    form = BlueprintForm(luggage, touchpoint="cart")
    fill(form, text="  ", minutes="-5", owner="=HYPERLINK(\"x\")")
    assert form.save() is False
    notes = {name: text_of(note.value) for name, note in form.notes.items()}
    assert "describe what happens" in notes["text"]
    assert "minutes" in notes["minutes"] and "0 or more" in notes["minutes"]
    assert "formula" in notes["owner"]
    assert "3 field(s) need fixing; nothing saved" in text_of(form.status.value)
    assert snapshot(luggage) == before

    fill(form, text="Cart service", minutes="ten", owner="E-commerce")
    assert form.save() is False and "minutes" in text_of(form.notes["minutes"].value)
    assert snapshot(luggage) == before
    form.minutes.value = "10"
    assert form.save() is True and snapshot(luggage) != before


def test_lane_help_follows_the_lane(luggage: Path) -> None:
    form = BlueprintForm(luggage)
    form.lane.value = "evidence"
    assert "sees or holds" in text_of(form.notes["lane"].value)
    form.lane.value = "support"
    assert "internal process" in text_of(form.notes["lane"].value)


def test_preview_is_the_report_section_with_its_styles(luggage: Path) -> None:
    ws = jt.load(luggage)
    shown = bpv.preview(ws, "mia").html
    assert 'class="jt-table jt-blueprint"' in shown and "Line of visibility" in shown
    assert bpv.section(ws, "mia").html in shown
    css = bpv.scoped_css()
    assert ".jt-blueprint .jt-fails" in css and "@media" not in css and "@page" not in css
    # only .jt-* rules: the preview must not restyle the rest of JupyterLab
    assert all(sel.strip().startswith(bpv.SCOPE + " ")
               for line in css.splitlines() for sel in line.split("{")[0].split(","))
    assert ".jt-blueprint-preview .jt-report .jt-table td" in css  # the table borders
    empty = write_workshop(luggage.parent / "bikes")
    assert "No blueprint under Carla the commuter" in bpv.preview(jt.load(empty), "commuter").html
    assert "No persona &#x27;mia&#x27; in this map (personas: commuter, racer)" in \
        bpv.preview(jt.load(empty), "mia").html
