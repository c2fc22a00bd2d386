"""Every starter template and worked example is a complete, valid, realistic map."""

from __future__ import annotations

import journeytools as jt
from journeytools import scoring
from journeytools.store.starters import list_starters, new_workshop


def test_starter_is_valid_and_complete(starter):
    report = jt.validate(starter)
    assert report.ok, [str(e) for e in report.errors]
    ws = report.workshop
    assert 2 <= len(ws.personas) <= 3
    assert 5 <= len(ws.stages) <= 7
    assert len(ws.touchpoints) >= 12
    assert set(ws.touchpoints["kind"]) == {"online", "offline"}
    assert ws.touchpoints["owner"].str.strip().ne("").all()
    assert ws.steps["emotion"].notna().all() and len(ws.steps) >= 12
    assert len(ws.pain_points) >= 5 and len(ws.opportunities) >= 5
    assert scoring.opportunity_table(ws)["scored"].any()
    text = " ".join(ws.personas["goals"]) + " ".join(ws.pain_points["description"])
    assert "TODO" not in text and "lorem" not in text.lower()


def test_example_is_valid(example):
    report = jt.validate(example)
    assert report.ok, [str(e) for e in report.errors]
    assert (example / "README.md").is_file()


def test_list_and_new_from_every_template(tmp_path):
    names = [s.name for s in list_starters()]
    assert len(names) >= 5
    for name in names:
        target = new_workshop(tmp_path / name, name)
        assert jt.load(target) == jt.load(next(s.path for s in list_starters() if s.name == name))
