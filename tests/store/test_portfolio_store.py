"""A portfolio of journeys (SPEC §10): checks named by journey, file and line; the library."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeytools as jt
from journeytools import journeys as across
from journeytools import scoring
from journeytools.cli import app
from journeytools.store.portfolio import check_portfolio

from helpers import LIBRARY, write_portfolio


def make(tmp_path: Path, yml: str | None = None, library: str | None = LIBRARY) -> Path:
    return write_portfolio(tmp_path / "pf", yml, library)


def test_a_valid_portfolio_loads_with_its_library(tmp_path):
    pf = jt.load_portfolio(make(tmp_path))
    assert list(pf.journeys) == ["repairs", "returns"] and len(pf.library) == 2
    assert not [w for w in pf.warnings if "library" in w.message]


def test_every_problem_is_named_by_journey_file_and_line(tmp_path):
    root = make(tmp_path, yml="title: T\njourneys:\n  - repairs\n  - returns\n  - gone\npersonas: personas.csv\n",
                library="id,name,segment,weight\ncommuter,Carla the commuter,Commuters,2\n")
    (root / "returns" / "steps.csv").write_text("persona,touchpoint,emotion\ncommuter,booking-form,9\n",
                                                encoding="utf-8")
    report = check_portfolio(root)
    assert not report.ok and report.portfolio is None
    where = {(p.file, p.line, p.column) for p in report.errors}
    assert ("portfolio.yml", 5, "journeys") in where                 # missing journey folder
    assert ("returns/steps.csv", 2, "emotion") in where              # an invalid journey
    assert ("repairs/personas.csv", 3, "id") in where                # racer is not in the library
    drift = [w for w in report.warnings if "differs from the library" in w.message]
    assert {(w.file, w.line, w.column) for w in drift} >= {("repairs/personas.csv", 2, "segment")}
    # the CLI lists them all and writes nothing
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["portfolio", str(root), "--report", str(out)])
    assert res.exit_code == 1 and "returns/steps.csv:2" in res.output and "portfolio.yml:5" in res.output
    assert not out.exists()


@pytest.mark.parametrize("yml, message", [
    ("- just\n- a list\n", "expected a mapping"),
    ("title: T\njourneys: []\n", "expected a list of workshop folders"),
    ("title: T\njourneys: [/etc]\n", "relative"),
])
def test_bad_portfolio_yml(tmp_path, yml, message):
    report = check_portfolio(make(tmp_path, yml=yml))
    assert not report.ok and any(message in p.message for p in report.errors), report.errors


def test_scores_across_journeys(tmp_path):
    pf = jt.load_portfolio(make(tmp_path))
    opps = across.opportunities(pf.journeys)
    express = opps.set_index("id").loc["express-slots"]
    per_journey = [float(scoring.score(ws).opportunities.set_index("id")["pain_relieved"]["express-slots"])
                   for ws in pf.journeys.values()]
    assert express["pain_relieved"] == sum(per_journey) and express["journeys"] == ["repairs", "returns"]
    matrix = across.persona_matrix(pf.journeys)
    for name, ws in pf.journeys.items():
        for pid in ws.personas["id"]:
            assert matrix.loc[pid, name] == pytest.approx(scoring.stage_pain(ws, pid)["pain"].sum())


def test_new_with_personas_from_a_library(tmp_path):
    lib = tmp_path / "library.csv"
    lib.write_text(LIBRARY, encoding="utf-8")
    res = CliRunner().invoke(app, ["new", str(tmp_path / "map"), "--personas-from", str(lib),
                                   "--template", "bank-account"])
    assert res.exit_code == 0, res.output
    ws = jt.load(tmp_path / "map")
    assert list(ws.personas["id"]) == ["commuter", "racer"] and len(ws.steps) == 0
    assert set(ws.pain_points["persona"]) <= {"*"}


def test_diff_of_two_portfolio_versions_summarises_per_journey(tmp_path):
    import json
    import shutil

    old = make(tmp_path)
    new = Path(shutil.copytree(old, tmp_path / "pf2"))
    pains = (new / "returns" / "pain_points.csv")
    pains.write_text(pains.read_text(encoding="utf-8").replace(",3,3", ",5,3"), encoding="utf-8")
    shutil.copytree(new / "repairs", new / "onboarding")
    (new / "portfolio.yml").write_text((new / "portfolio.yml").read_text(encoding="utf-8")
                                       .replace("[repairs, returns]", "[repairs, returns, onboarding]"),
                                       encoding="utf-8")
    res = CliRunner().invoke(app, ["diff", str(old), str(new)])
    assert res.exit_code == 0, res.output
    assert "3 journeys: 1 changed, 1 added, 0 removed" in res.stdout
    assert "repairs: no changes" in res.stdout and "onboarding: added" in res.stdout
    assert "returns: 1 pain point changed" in res.stdout and "severity 3 → 5" in res.stdout
    doc = json.loads(CliRunner().invoke(app, ["diff", str(old), str(new), "--format", "json"]).stdout)
    assert [(j["name"], j["status"]) for j in doc["journeys"]] == [
        ("repairs", "unchanged"), ("returns", "changed"), ("onboarding", "added")]
