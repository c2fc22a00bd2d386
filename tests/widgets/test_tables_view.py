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
