"""`score` shows the stored funnel, possible pain points and KPIs next to the pain points."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import journeytools as jt
from journeytools.cli import app
from journeytools.evidence.stored import read_stored


def test_score_json_includes_evidence(luggage):
    doc = json.loads(CliRunner().invoke(app, ["score", str(luggage), "-f", "json"]).output)
    stored = read_stored(jt.load(luggage))
    assert [f["touchpoint"] for f in doc["funnel"]] == list(stored.funnel["touchpoint"])
    assert doc["funnel"][1]["users"] == float(stored.funnel["users"].iloc[1])
    assert doc["possible_pain_points"][0]["touchpoint"] == "checkout"
    kpi = {k["id"]: k for k in doc["kpis"]}["cart-conversion"]
    assert kpi["progress"] == round((kpi["current"] - kpi["baseline"]) / (kpi["target"] - kpi["baseline"]), 3)


def test_score_table_shows_funnel(luggage):
    out = CliRunner().invoke(app, ["score", str(luggage)]).output
    assert "Funnel from analytics" in out and "Possible pain point at" in out and "KPIs against" in out


def test_no_evidence_no_funnel(tmp_path):
    from helpers import write_workshop
    folder = write_workshop(tmp_path / "ws")
    doc = json.loads(CliRunner().invoke(app, ["score", str(folder), "-f", "json"]).output)
    assert doc["funnel"] == [] and doc["possible_pain_points"] == [] and doc["kpis"] == []
