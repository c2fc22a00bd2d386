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


def test_starter_teaches_kpis_kinds_and_recovering_a_drop_off(starter):
    """Issue 17: KPIs per stage with an owner, every idea's kind, and a campaign for a drop-off
    with its stage, segment, an analytics-backed pain point and a KPI where it happens."""
    from journeytools.model.schema import OPPORTUNITY_KINDS

    ws = jt.load(starter)
    kpis = ws.kpis
    assert len(kpis) >= 3
    assert kpis["owner"].str.strip().ne("").all()
    assert kpis["baseline"].notna().all() and kpis["target"].notna().all()
    assert (kpis["baseline"] != kpis["target"]).all()
    assert (kpis["stage"].str.strip().ne("") | kpis["touchpoint"].str.strip().ne("")).all()
    opps = ws.opportunities
    assert set(opps["kind"]) <= set(OPPORTUNITY_KINDS) and opps["kind"].str.strip().ne("").all()
    campaigns = opps[(opps["kind"] == "campaign") & opps["stage"].str.strip().ne("")
                     & opps["segment"].str.strip().ne("")]
    assert len(campaigns), "no campaign with a stage and a segment"
    pains = ws.pain_points.set_index("id")
    tp_stage = dict(zip(ws.touchpoints["id"], ws.touchpoints["stage"]))
    recovered = []
    for c in campaigns.itertuples():
        for pid in scoring.split_list(c.addresses):
            p = pains.loc[pid]
            stage = tp_stage[p["touchpoint"]]
            measured = ((kpis["stage"] == stage) | (kpis["touchpoint"] == p["touchpoint"])).any()
            if p["source"] == "analytics" and stage == c.stage and measured:
                recovered.append(c.id)
    assert recovered, "no campaign wins back an analytics-backed drop-off measured by a KPI"
    assert scoring.opportunity_table(ws).set_index("id").loc[recovered[0], "scored"]


def test_starter_names_who_shapes_the_experience_and_what_customers_ask(starter):
    ws = jt.load(starter)
    assert ws.personas["influencers"].str.strip().ne("").all()
    assert ws.steps["questions"].str.strip().ne("").sum() >= len(ws.personas)


def test_b2b_starter_teaches_several_decision_makers():
    b2b = next(s for s in list_starters() if s.name == "b2b-saas")
    readme = (b2b.path / "README.md").read_text(encoding="utf-8")
    assert "buying committee" in readme and "economic buyer" in readme and "gatekeeper" in readme
    ws = jt.load(b2b.path)
    assert len(set(ws.personas["segment"])) == len(ws.personas) >= 3
    assert "CFO" in " ".join(ws.personas["influencers"])


def test_new_writes_an_evidence_readme_that_validate_accepts(tmp_path):
    target = new_workshop(tmp_path / "mine", "retail-ecommerce")
    readme = target / "evidence" / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert "consent" in text.lower() and "anonymis" in text and "never goes here" in text
    assert "raw/" in (target / "evidence" / ".gitignore").read_text(encoding="utf-8")
    report = jt.validate(target)
    assert report.ok and not [w for w in report.warnings if "evidence" in (w.file or "")], \
        [str(w) for w in report.warnings]
