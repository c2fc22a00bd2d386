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
    # peaks to keep: 4 (also a rise of 3), and 5 after the dip
    assert curve["delight"].tolist() == [False, True, False, True]


def test_a_sharp_rise_is_a_moment_of_delight_even_below_four(tmp_path):
    steps = ("persona,touchpoint,order,emotion\n"
             "commuter,flat-tyre,1,1\ncommuter,booking-form,2,3\ncommuter,phone-line,3,3\n")
    curve = scoring.emotion_curve(jt.load(write_workshop(tmp_path / "ws", steps=steps)), "commuter")
    assert curve["delight"].tolist() == [False, True, False]


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


# -- persona view (SPEC §3) -----------------------------------------------------------------

TOUCHPOINT_IDS = ["flat-tyre", "booking-form", "phone-line", "workshop-visit"]
pain_row = st.fixed_dictionaries({
    "who": st.integers(-1, 3),  # -1: '*' (all personas), else a persona index
    "touchpoint": st.sampled_from(TOUCHPOINT_IDS),
    "severity": st.integers(1, 5), "frequency": st.integers(1, 5), "votes": st.integers(0, 4)})


def _random_ws(weights: list[float], rows: list[dict]) -> jt.Workshop:
    ws = jt.load(write_workshop(_tmp() / "ws"))
    ws.personas = pd.DataFrame({"id": [f"p{i}" for i in range(len(weights))],
                                "name": [f"Persona {i}" for i in range(len(weights))],
                                "weight": weights})
    ws.steps = ws.steps.iloc[0:0]
    ws.opportunities = pd.DataFrame({"id": ["fix-all"], "title": ["Fix all"],
                                     "addresses": [";".join(f"pp{i}" for i in range(len(rows)))],
                                     "reach": [100], "impact": [1], "confidence": [1], "effort": [1]})
    ws.pain_points = pd.DataFrame([
        {"id": f"pp{i}", "persona": "*" if r["who"] < 0 else f"p{r['who'] % len(weights)}",
         "touchpoint": r["touchpoint"], "description": f"Pain {i}",
         "severity": r["severity"], "frequency": r["frequency"]} for i, r in enumerate(rows)])
    ws.votes = pd.DataFrame([{"voter": f"v{i}", "item": f"pp{i}", "votes": r["votes"]}
                             for i, r in enumerate(rows) if r["votes"]],
                            columns=["voter", "item", "votes"])
    return ws


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0, 3.25]), min_size=1, max_size=4),
       st.lists(pain_row, min_size=1, max_size=12))
def test_persona_views_add_up_to_the_map(weights, rows):
    from journeytools.charts.heatmaps import pain_matrix

    ws = _random_ws(weights, rows)
    whole = scoring.stage_pain(ws).set_index("id")["pain"]
    views = {p: scoring.stage_pain(ws, p).set_index("id")["pain"] for p in ws.personas["id"]}
    total = sum(views.values())
    assert total.to_numpy() == pytest.approx(whole.to_numpy(), rel=1e-9, abs=1e-9)
    # the heatmap row, the json and the page all show the persona view
    matrix = pain_matrix(ws)
    doc = scoring.score(ws).to_dict()
    for p, view in views.items():
        assert matrix.loc[p].to_numpy() == pytest.approx(view.to_numpy(), rel=1e-12)
        assert [s["pain"] for s in doc["persona_stages"][p]] == pytest.approx(view.tolist(), rel=1e-12)
        mine = scoring.score(ws, p)
        assert mine.stages["pain"].tolist() == pytest.approx(view.tolist(), rel=1e-12)
        assert mine.to_dict()["persona_stages"] == {p: doc["persona_stages"][p]}
    # pain relieved in the persona views adds up to the map's, too
    relieved = sum(float(scoring.opportunity_table(ws, p)["pain_relieved"].sum()) for p in views)
    assert relieved == pytest.approx(float(scoring.opportunity_table(ws)["pain_relieved"].sum()), rel=1e-9)


def test_shared_pain_point_takes_the_persona_weight_not_the_sum(tmp_path):
    # a persona with weight 0.5: the '*' pain 3 × 2 counts 3 (+ half its 2 votes), below her own 4 × 4
    ws = jt.load(write_workshop(
        tmp_path / "ws",
        personas="id,name,weight\nsaver,Sam the saver,0.5\nborrower,Bo the borrower,0.5\n",
        pain_points=("id,persona,touchpoint,description,severity,frequency\n"
                     "queue,*,phone-line,Phone queue,3,2\nform,saver,booking-form,Long form,4,4\n"),
        steps=None, opportunities=None,
        votes="voter,item,votes\nann,queue,2\n"))
    view = scoring.pain_table(ws, "saver").set_index("id")
    assert view.loc["form", "weighted_pain"] == 8.0
    assert view.loc["queue", "weighted_pain"] == 3 * 2 * 0.5 + 2 * 0.5
    assert list(view.index) == ["form", "queue"]
    assert scoring.pain_table(ws).set_index("id").loc["queue", "weighted_pain"] == 3 * 2 * 1.0 + 2
    doc = scoring.score(ws, "saver").to_dict()
    assert doc["pain_points"][0]["id"] == "form"
    assert sum(s["pain"] for s in doc["stages"]) == 8.0 + 4.0


# -- channels: one vocabulary (issue 17) ----------------------------------------------------

def test_channel_gaps_accept_either_level_and_find_only_real_ones(tmp_path):
    ws = jt.load(write_workshop(
        tmp_path / "ws",
        personas=("id,name,channels\n"
                  "mia,Mia,Instagram;search;YouTube;WhatsApp;TikTok\n"
                  "bo,Bo,social;Google search;sms\n"),
        touchpoints=("id,stage,name,channel,owner\n"
                     "post,need,Influencer post,social,Brand\n"
                     "ads,booking,Search ads,search-ads,Performance\n"
                     "wa,booking,Share on WhatsApp,messaging,Digital\n"
                     "shop,repair,Shop,store,Retail\n"),
        steps=None, pain_points=None, opportunities=None))
    gaps = [g.message for g in scoring.gaps(ws) if g.kind == "channel_not_served"]
    # Instagram, YouTube and TikTok are on social; search ads are search; WhatsApp is messaging;
    # Bo's 'social' is served by the post, 'Google search' only by a search-engine touchpoint
    assert gaps == ["Bo uses Google search, but no touchpoint is there (nor on search engines in general)"]


@given(st.sampled_from(sorted(jt.vocab.CHANNELS)), st.data())
def test_a_channel_reaches_its_platforms_both_ways(channel, data):
    from journeytools.vocab import CHANNELS, channel_reaches

    platform = data.draw(st.sampled_from(CHANNELS[channel]))
    assert channel_reaches(channel, platform) and channel_reaches(platform, channel)
    assert channel_reaches(platform.upper(), f" {platform} ")
    other = data.draw(st.sampled_from(sorted(set(CHANNELS) - {channel})))
    if platform not in CHANNELS[other]:
        assert not channel_reaches(other, platform)
