"""Client-readable tables for the notebooks: human columns, no index, escaped text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import journeytools as jt
from journeytools import scoring
from journeytools.views import tables as view


def test_pain_points_table_is_ranked_and_readable(luggage: Path) -> None:
    ws = jt.load(luggage)
    scores = scoring.score(ws)
    t = view.pain_points(ws, scores)
    frame = t.data
    assert list(frame.columns[:3]) == ["Rank", "Pain point", "What goes wrong"]
    assert list(frame["Pain point"]) == list(scores.pain_points["id"])
    html = t.to_html()
    assert "Pain points, most painful first" in html
    assert 'class="row_heading' not in html  # no index column
    assert frame.loc[frame["Pain point"] == "chat-queue-wait", "Persona"].iloc[0] == "all personas"


def test_user_text_is_escaped(luggage: Path) -> None:
    ws = jt.load(luggage)
    ws.personas.loc[0, "name"] = "<script>alert('x')</script>"
    html = view.personas(ws).to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>" not in view.note("<script>").markup
    assert "<script>" not in view.todo(["<script>"]).markup


def test_personas_mark_assumptions(luggage: Path) -> None:
    ws = jt.load(luggage)
    ws.personas.loc[2, "data_sources"] = ""
    built = list(view.personas(ws).data["Built from"])
    assert built[2].startswith("assumption")


def test_stages_mark_the_hottest(holiday: Path) -> None:
    ws = jt.load(holiday)
    scores = scoring.score(ws)
    frame = view.stages(ws, scores).data
    hottest = {s.id: s.name for s in ws.stages}[scores.hottest_stage]
    assert frame.loc[frame["Hottest"] != "", "Stage"].tolist() == [hottest]


def test_unscored_and_gaps(luggage: Path) -> None:
    ws = jt.load(luggage)
    scores = scoring.score(ws)
    un = view.unscored(scores).data
    assert "effort (person-months)" in un.loc[un["Opportunity"].str.contains("pink"),
                                               "Still needs"].iloc[0]
    assert len(view.gaps(scores).data) == len(scores.gaps)


def test_review_status_and_next_steps(luggage: Path) -> None:
    ws = jt.load(luggage)
    assert "Up to date" in repr(view.review_status(ws, dt.date(2026, 12, 1)))
    stale = view.review_status(ws, dt.date(2027, 6, 1))
    assert "Stale map" in repr(stale) and "2027-05-22" in repr(stale)
    steps = view.next_steps(ws, scoring.score(ws), dt.date(2027, 6, 1))
    assert steps[0].startswith("Schedule a review")
    assert any("pink-capsule" in s for s in steps)


def test_changes_since_a_previous_folder(luggage: Path, tmp_path: Path) -> None:
    assert view.changes_since(luggage).startswith("No earlier version given")
    old = jt.load(luggage)
    old.pain_points.loc[0, "severity"] = 2
    jt.save(old, tmp_path / "old")
    text = view.changes_since(luggage, previous=tmp_path / "old")
    assert "cart-error" in text and "severity" in text
    jt.save(jt.load(luggage), tmp_path / "same")
    assert "No changes" in view.changes_since(luggage, previous=tmp_path / "same")


def test_locate_resolves_relative_to_the_notebooks(luggage: Path, monkeypatch) -> None:
    from journeytools.store.resources import resource_dir

    monkeypatch.chdir(luggage.parent)
    assert view.locate("luggage-store") == luggage.resolve()
    assert view.locate("../workshops/luggage-store") == \
        (resource_dir("workshops") / "luggage-store").resolve()
    assert view.locate(str(luggage)) == luggage.resolve()


def test_own_workshop_creates_a_valid_map_once(tmp_path: Path) -> None:
    mine = view.own_workshop(tmp_path / "mine", "bank-account", interactive=False)
    assert jt.validate(mine).ok
    first = (mine / "workshop.yml").read_bytes()
    assert view.own_workshop(tmp_path / "mine", "bank-account") == mine  # kept, not recreated
    assert (mine / "workshop.yml").read_bytes() == first
    temp = view.own_workshop("", interactive=False)
    assert temp.name == "my-first-map" and jt.validate(temp).ok
    import shutil

    shutil.rmtree(temp.parent)


def test_validation_table(luggage: Path) -> None:
    report = jt.validate(luggage)
    t = view.validation(report)
    assert t.caption.startswith("Valid")
    (luggage / "personas.csv").write_text("id,name\nBad Id,\n", encoding="utf-8")
    bad = view.validation(jt.validate(luggage))
    assert bad.caption.startswith("Not valid") and len(bad.data) >= 2


def test_figure_closes_and_renders_png() -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    out = view.figure(fig, "a line")
    assert out._repr_png_().startswith(b"\x89PNG") and 'alt="a line"' in out._repr_html_()
    assert not plt.fignum_exists(fig.number)


def test_plan_per_stage_follows_the_journey_and_says_where_nothing_is_planned(luggage: Path) -> None:
    ws = jt.load(luggage)
    keep = ["fix-cart-error", "error-rescue-chat", "pink-capsule", "ugc-ads"]  # none after purchase
    ws.opportunities = ws.opportunities[ws.opportunities["id"].isin(keep)].reset_index(drop=True)
    frame = view.plan(ws).data
    stage_order = [s.name for s in ws.stages]
    shown = list(dict.fromkeys(frame["Stage"]))
    assert shown == stage_order  # every stage, in journey order, empty ones included
    purchase = frame[frame["Stage"] == "Purchase"]
    assert list(purchase["Kind"])[:2] == ["Fix", "Process"]
    assert purchase["Idea"].iloc[0] == "Fix the add-to-cart 'Unknown error'"
    assert frame.loc[frame["Stage"] == "Delivery", "Idea"].tolist() == ["nothing planned yet"]
    assert "not scored" in set(frame["RICE rank"])


def test_kpis_table_shows_progress_and_owner(luggage: Path) -> None:
    ws = jt.load(luggage)
    ws.kpis.loc[0, "owner"] = "<b>CRM</b>"
    t = view.kpis(ws)
    row = t.data.set_index("KPI").loc["cart-conversion"]
    assert (row["Where"], row["Baseline"], row["Target"], row["Current"], row["Progress"]) \
        == ("Add to cart and cart page", "58", "72", "61.5", "25 %")
    assert "&lt;b&gt;CRM" in t.to_html()


def test_drop_offs_name_the_segment_and_what_would_win_them_back(luggage: Path) -> None:
    ws = jt.load(luggage)
    frame = view.drop_offs(ws).data
    cart = frame[frame["Users leave between"].str.startswith("Add to cart")].iloc[0]
    assert (cart["Stage"], cart["Users lost"], cart["Leaves most"]) \
        == ("Purchase", "329", "mobile (41.8 %)")
    assert cart["Campaigns at this stage"].startswith("— none yet")
    assert cart["KPI"] == "cart-conversion"
    assert list(frame["Users lost"])[0] == "971"  # largest drop-off first


def test_drop_offs_without_a_funnel_say_how_to_get_one(holiday: Path) -> None:
    import shutil

    shutil.rmtree(holiday / "evidence", ignore_errors=True)
    assert "journeytools evidence" in view.drop_offs(jt.load(holiday)).to_html()


def test_questions_and_influencers_are_shown_when_given(luggage: Path) -> None:
    ws = jt.load(luggage)
    steps = ws.steps
    steps["questions"] = ""
    steps.loc[steps.index[0], "questions"] = "Is it in stock in pink?"
    ws.personas["influencers"] = ["best friend; travel creators", "", ""]
    first_stage = ws.stages[0].name
    exp = view.expectations(ws, str(steps.loc[steps.index[0], "persona"])).data.set_index("Stage")
    assert "Is it in stock in pink?" in exp.loc[first_stage].iloc[-1]
    assert view.personas(ws).data["Who shapes it"].tolist()[:2] == ["best friend, travel creators", "—"]
