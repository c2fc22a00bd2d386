"""SPEC §3 formulas: hand-computed values on the examples and properties over random maps."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import journeytools as jt
from journeytools import scoring

from helpers import write_workshop


@pytest.fixture
def bike(tmp_path):
    return jt.load(write_workshop(tmp_path / "ws"))


def test_luggage_store_top_pains_by_hand(luggage):
    ws = jt.load(luggage)
    pains = scoring.pain_table(ws).set_index("id")
    # cart-error: severity 5 × frequency 4 × Mia's weight 1.5 + 5 dot votes
    assert pains.loc["cart-error", "weighted_pain"] == 5 * 4 * 1.5 + 5
    # no-video-review: 4 × 5 × Andy's weight 1 + 3 votes
    assert pains.loc["no-video-review", "weighted_pain"] == 4 * 5 * 1 + 3
    # chat-queue-wait is for every persona: 2 × 3 × (1.5 + 1 + 0.5) + 2 votes
    assert pains.loc["chat-queue-wait", "weighted_pain"] == 2 * 3 * 3.0 + 2
    assert list(scoring.pain_table(ws)["id"][:2]) == ["cart-error", "no-video-review"]
    assert pains.loc["cart-error", "source"] == "analytics" and pains.loc["cart-error", "evidence"]


def test_bike_shop_scores_by_hand(bike):
    pains = scoring.pain_table(bike).set_index("id")
    assert pains.loc["no-same-day", "pain_score"] == 12
    assert pains.loc["no-same-day", "weighted_pain"] == 24.0  # commuter weight 2
    assert pains.loc["phone-wait", "weighted_pain"] == 6 * 3.0  # '*' takes 2 + 1
    stages = scoring.stage_pain(bike)
    assert stages["pain"].tolist() == [0.0, 42.0, 0.0]
    assert scoring.hottest_stage(bike) == "booking"
    opps = scoring.opportunity_table(bike).set_index("id")
    assert opps.loc["express-slots", "rice"] == pytest.approx(400 * 2 * 0.8 / 2)
    assert opps.loc["express-slots", "ice"] == pytest.approx(2 * 0.8 * 6)
    assert opps.loc["callback", "rice"] == pytest.approx(150 * 1 * 0.5 / 1)
    assert opps.loc["express-slots", "pain_relieved"] == 24.0
    # two scored: medians are the means; value 640 vs 75, effort 2 vs 1
    assert opps.loc["express-slots", "quadrant"] == "big bet"
    assert opps.loc["callback", "quadrant"] == "fill-in"


def test_votes_add_and_break_rice_ties(tmp_path):
    folder = write_workshop(tmp_path / "ws", opportunities="id,title,addresses,reach,impact,confidence,effort\n"
                            "b-idea,B,no-same-day,100,1,1,1\na-idea,A,phone-wait,100,1,1,1\n")
    ws = jt.load(folder)
    assert list(scoring.opportunity_table(ws)["id"]) == ["a-idea", "b-idea"]  # tie: by id
    jt.add_vote(folder, voter="ana", item="b-idea")
    jt.add_vote(folder, voter="ana", item="no-same-day", votes=2)
    ws = jt.load(folder)
    assert list(scoring.opportunity_table(ws)["id"]) == ["b-idea", "a-idea"]  # more votes first
    assert scoring.pain_table(ws).set_index("id").loc["no-same-day", "weighted_pain"] == 26.0


def test_unscored_listed_with_missing_fields(tmp_path):
    folder = write_workshop(tmp_path / "ws", opportunities="id,title,addresses,reach,impact,confidence,effort\n"
                            "half,Half done,no-same-day,100,,0.5,\nfull,Full,phone-wait,10,1,1,1\n")
    s = scoring.score(jt.load(folder))
    doc = s.to_dict()
    assert doc["unscored"] == [{"id": "half", "missing": ["impact", "effort"]}]
    assert [o["id"] for o in doc["opportunities"]] == ["full"]


def test_emotion_curve_order_and_moments_of_truth(tmp_path):
    steps = ("persona,touchpoint,order,emotion\n"
             "commuter,workshop-visit,,5\n"      # repair stage, no order
             "commuter,booking-form,2,4\n"
             "commuter,flat-tyre,,1\n"
             "commuter,phone-line,1,\n"          # blank emotion: skipped
             "commuter,workshop-visit,1,2\n")
    ws = jt.load(write_workshop(tmp_path / "ws", steps=steps))
    curve = scoring.emotion_curve(ws, "commuter")
    assert list(zip(curve["touchpoint"], curve["emotion"])) == [
        ("flat-tyre", 1), ("booking-form", 4), ("workshop-visit", 2), ("workshop-visit", 5)]
    assert curve["moment_of_truth"].tolist() == [True, False, True, False]  # ≤2, drop of 2, ≤2 ...
    assert curve["drop"].tolist() == [0.0, -3.0, 2.0, -3.0]


def test_gaps(bike):
    kinds = {(g.kind, g.id) for g in scoring.gaps(bike)}
    assert ("touchpoint_without_owner", "flat-tyre") in kinds
    assert ("persona_skips_stage", "racer") in kinds
    assert ("channel_not_served", "commuter") not in kinds  # web and phone are served
    assert ("unaddressed_pain", "no-same-day") not in kinds


def test_json_schema_fixed_keys(bike):
    doc = scoring.score(bike).to_dict()
    assert set(doc) >= {"pain_points", "stages", "opportunities", "unscored", "gaps"}
    assert set(doc["pain_points"][0]) >= {"id", "persona", "touchpoint", "stage", "pain_score",
                                          "weighted_pain", "votes", "rank"}
    assert [p["rank"] for p in doc["pain_points"]] == [1, 2]
    assert set(doc["opportunities"][0]) >= {"id", "rice", "ice", "pain_relieved", "quadrant", "rank"}


def test_empty_workshop_scores(tmp_path):
    ws = jt.load(write_workshop(tmp_path / "ws", steps=None, pain_points=None, opportunities=None))
    s = scoring.score(ws)
    assert len(s.pain_points) == 0 and len(s.opportunities) == 0
    assert s.stages["pain"].tolist() == [0.0, 0.0, 0.0]


# -- properties --------------------------------------------------------------------------

rice_row = st.fixed_dictionaries({
    "reach": st.floats(0, 1e6), "impact": st.sampled_from([0.25, 0.5, 1.0, 2.0, 3.0]),
    "confidence": st.floats(0, 1), "effort": st.floats(0.01, 100), "ease": st.floats(1, 10)})


def _opps_ws(rows: list[dict], tmp_path_factory=None) -> jt.Workshop:
    base = jt.load(write_workshop(_tmp() / "ws"))
    frame = pd.DataFrame([{"id": f"o{i}", "title": f"O{i}", "addresses": "", **r} for i, r in enumerate(rows)])
    base.opportunities = frame
    return base


_counter = {"n": 0}


def _tmp():
    import tempfile
    from pathlib import Path
    return Path(tempfile.mkdtemp())


@settings(max_examples=40, deadline=None)
@given(st.lists(rice_row, min_size=1, max_size=8), st.floats(1.01, 10))
def test_rice_monotone(rows, factor):
    ws = _opps_ws(rows)
    base = scoring.opportunity_table(ws).set_index("id")["rice"]
    for field, up in (("reach", True), ("impact", True), ("effort", False)):
        bumped = [dict(r) for r in rows]
        bumped[0][field] = bumped[0][field] * factor
        ws.opportunities = pd.DataFrame([{"id": f"o{i}", "title": f"O{i}", "addresses": "", **r}
                                         for i, r in enumerate(bumped)])
        new = scoring.opportunity_table(ws).set_index("id")["rice"]
        if up:
            assert new["o0"] >= base["o0"]
        else:
            assert new["o0"] <= base["o0"]


@settings(max_examples=40, deadline=None)
@given(st.lists(rice_row, min_size=1, max_size=10), st.randoms())
def test_quadrants_partition_and_rank_stable_under_shuffle(rows, rnd):
    ws = _opps_ws(rows)
    table = scoring.opportunity_table(ws)
    assert set(table["quadrant"]) <= set(scoring.QUADRANTS)
    assert len(table) == len(rows)
    shuffled = ws.opportunities.sample(frac=1, random_state=rnd.randint(0, 10_000))
    ws.opportunities = shuffled.reset_index(drop=True)
    again = scoring.opportunity_table(ws)
    assert list(again["id"]) == list(table["id"])
    assert list(again["quadrant"]) == list(table["quadrant"])


def test_persona_view_without_opportunities(tmp_path):
    ws = jt.load(write_workshop(tmp_path / "ws", opportunities=None))
    s = scoring.score(ws, "commuter")
    assert len(s.opportunities) == 0 and "scored" in s.opportunities.columns
    assert [p for p in s.pain_points["id"]] == ["no-same-day", "phone-wait"]
