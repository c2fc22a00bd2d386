"""The plan per stage (journeytools.plan): stages in journey order, kinds in SPEC order, ranks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import journeytools as jt
from journeytools.model.schema import OPPORTUNITY_KINDS
from journeytools.plan import KINDS, next_steps, plan_stages, plan_table
from journeytools.scoring import opportunity_table

from helpers import write_workshop

# Stages need → booking → repair. Given out of order on purpose: the plan sorts them.
OPPORTUNITIES = """\
id,title,addresses,stage,reach,impact,confidence,effort,ease,owner,status,kind,due
repair-sms,Text when the bike is ready,,repair,300,1,0.8,0.5,8,Workshop,planned,personalisation,2027-02
callback,Call-back button,phone-wait,,150,1,0.5,1,8,Front desk,idea,process,
express-slots,Express repair slots,no-same-day,,400,2,80%,2,6,Digital,in-progress,product,2027-01-15
slot-ads,Same-day slot ads,,need,900,0.5,0.5,1,5,Marketing,idea,campaign,
faq,Repair FAQ page,,need,,1,0.5,1,7,,idea,content,
blank-kind,An idea nobody sorted,,booking,100,1,1,1,5,,idea,,
fix-form,Fix the booking form crash,no-same-day,,500,3,1,1,9,Digital,done,fix,
old-idea,Fax booking,,booking,10,0.25,0.1,5,1,,dropped,product,
floating,Loyalty card,,,50,1,0.5,2,5,,idea,product,
"""


def _ws(tmp_path: Path) -> jt.Workshop:
    return jt.load(write_workshop(tmp_path / "ws", opportunities=OPPORTUNITIES))


def test_stages_in_journey_order_then_kinds_in_spec_order(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    table = plan_table(ws)
    order = {s: i for i, s in enumerate([*ws.stage_ids, ""])}
    stage_keys = [order[s] for s in table["stage"]]
    assert stage_keys == sorted(stage_keys)
    for _, group in table.groupby("stage", sort=False):
        kinds = [KINDS.index(k) for k in group["kind"]]
        assert kinds == sorted(kinds)
    assert KINDS[:-1] == OPPORTUNITY_KINDS and KINDS[-1] == "unsorted"
    # the stage of an opportunity without one comes from the pain points it addresses
    where = dict(zip(table["id"], table["stage"]))
    assert where["express-slots"] == "booking" and where["callback"] == "booking"
    assert where["repair-sms"] == "repair" and where["floating"] == ""
    booking = table[table["stage"] == "booking"]
    assert booking["kind"].tolist() == ["fix", "process", "product", "unsorted"]
    assert booking["kind_label"].tolist()[-1] == "Unsorted"
    assert table["stage_name"].tolist()[-1] == "Not tied to a stage"


def test_ranks_are_the_rice_ranks_and_unscored_come_last_in_a_group(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    table = plan_table(ws)
    opps = opportunity_table(ws)
    ranks = {i: None if pd.isna(r) else int(r) for i, r in zip(opps["id"], opps["rank"])}
    assert {i: None if pd.isna(r) else int(r) for i, r in zip(table["id"], table["rank"])} == \
        {i: r for i, r in ranks.items() if i != "old-idea"}
    assert ranks["express-slots"] is not None and ranks["faq"] is None
    need = table[table["stage"] == "need"]
    # content before campaign (SPEC order), though the campaign is ranked and the content is not
    assert need["id"].tolist() == ["faq", "slot-ads"]
    assert need["rank"].isna().tolist() == [True, False]


def test_dropped_are_left_out_or_marked(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    assert "old-idea" not in set(plan_table(ws)["id"])
    marked = plan_table(ws, include_dropped=True)
    assert marked.loc[marked["id"] == "old-idea", "dropped"].tolist() == [True]
    assert marked["dropped"].sum() == 1
    assert set(marked["id"]) == set(ws.opportunities["id"])


def test_sections_cover_every_stage_even_empty_ones(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    sections = plan_stages(ws)
    assert [s.stage for s in sections] == [*ws.stage_ids, ""]
    booking = sections[1]
    assert [g.kind for g in booking.groups] == ["fix", "process", "product", "unsorted"]
    assert booking.count == 4
    # a persona view: Ravi has only the shared phone pain, so only the call-back is his
    ravi = plan_stages(ws, "racer")
    assert [s.stage for s in ravi] == ws.stage_ids
    assert [(s.stage, s.count) for s in ravi] == [("need", 0), ("booking", 1), ("repair", 0)]
    assert ravi[1].groups[0].items["id"].tolist() == ["callback"]


def test_next_steps_in_progress_then_planned_then_ideas(tmp_path: Path) -> None:
    ws = _ws(tmp_path)
    steps = next_steps(ws)
    assert steps["status"].tolist()[:2] == ["in-progress", "planned"]
    assert steps["id"].tolist()[:2] == ["express-slots", "repair-sms"]
    assert not {"fix-form", "old-idea"} & set(steps["id"])  # done and dropped are not next
    assert dict(zip(steps["id"], steps["due"]))["express-slots"] == "2027-01-15"
    ideas = steps[steps["status"] == "idea"]
    ranked = ideas["rank"].dropna().tolist()
    assert ranked == sorted(ranked) and ideas["rank"].isna().tolist()[-1]


def test_a_workshop_without_opportunities_has_an_empty_plan(tmp_path: Path) -> None:
    ws = jt.load(write_workshop(tmp_path / "ws", opportunities=None))
    assert len(plan_table(ws)) == 0
    assert [s.count for s in plan_stages(ws)] == [0, 0, 0]
    assert len(next_steps(ws)) == 0
