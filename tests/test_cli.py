"""The command line: validate, templates, new, score (thin shells over the package)."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

import journeytools as jt
from journeytools.cli import app

from helpers import write_workshop

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_validate_valid_prints_counts(tmp_path):
    folder = write_workshop(tmp_path / "ws")
    r = invoke("validate", str(folder))
    assert r.exit_code == 0
    assert "valid — 3 stages, 2 personas, 4 touchpoints" in r.output
    assert "warning" in r.output  # the unvisited phone line


def test_validate_invalid_lists_every_problem(tmp_path):
    folder = write_workshop(tmp_path / "ws", personas="id,name\nmia,Mia\nMIA,Again\nbad id,X\n",
                            steps=None, pain_points=None, opportunities=None)
    r = invoke("validate", str(folder))
    assert r.exit_code == 1
    assert "personas.csv:3: id: duplicate id 'mia' (first on line 2)" in r.output
    assert "personas.csv:4: id:" in r.output
    assert "2 problems found" in r.output
    assert "Traceback" not in r.output


def test_validate_missing_folder_no_traceback(tmp_path):
    r = invoke("validate", str(tmp_path / "nothing"))
    assert r.exit_code == 1 and "folder not found" in r.output
    assert "Traceback" not in r.output


def test_unreadable_table_is_a_problem_not_a_traceback(tmp_path):
    folder = write_workshop(tmp_path / "ws", steps=None)
    (folder / "steps.csv").mkdir()  # a folder where a file belongs
    for command in ("validate", "score"):
        r = invoke(command, str(folder))
        assert r.exit_code == 1 and "cannot read steps.csv" in r.output
        assert "Traceback" not in r.output


def test_templates_lists_starters():
    r = invoke("templates")
    assert r.exit_code == 0
    for name in ("retail-ecommerce", "b2b-saas", "bank-account", "holiday-booking", "public-service"):
        assert name in r.output


def test_new_then_validate(tmp_path):
    target = tmp_path / "my-map"
    r = invoke("new", str(target), "--template", "bank-account")
    assert r.exit_code == 0, r.output
    assert jt.validate(target).ok
    assert invoke("validate", str(target)).exit_code == 0
    again = invoke("new", str(target), "--template", "bank-account")
    assert again.exit_code == 1 and "not empty" in again.output
    unknown = invoke("new", str(tmp_path / "x"), "--template", "spaceship")
    assert unknown.exit_code == 1 and "unknown template 'spaceship'" in unknown.output
    assert "Traceback" not in again.output + unknown.output


def test_score_json_and_csv(luggage):
    r = invoke("score", str(luggage), "--format", "json")
    assert r.exit_code == 0
    doc = json.loads(r.output)
    assert [p["id"] for p in doc["pain_points"][:2]] == ["cart-error", "no-video-review"]
    assert doc["pain_points"][0]["evidence"]
    c = invoke("score", str(luggage), "--format", "csv", "--top", "3")
    lines = c.output.splitlines()
    assert lines[0].startswith("section,rank,id")
    assert sum(1 for line in lines if line.startswith("pain_point,")) == 3


def test_score_table_and_persona(luggage):
    r = invoke("score", str(luggage), "--persona", "andy", "--top", "2")
    assert r.exit_code == 0
    assert "no-video-review" in r.output and "cart-error" not in r.output
    bad = invoke("score", str(luggage), "--persona", "zed")
    assert bad.exit_code == 1 and "unknown persona 'zed'; expected one of: mia, andy, greta" in bad.output
    assert "Traceback" not in bad.output
    usage = invoke("score", str(luggage), "--format", "xml")
    assert usage.exit_code == 2 and "unknown format 'xml'; expected one of: table, csv, json" in usage.output
    assert invoke("score", str(luggage), "--persona", "ANDY", "--top", "2").output == r.output


def test_python_dash_m_entry_point(tmp_path):
    folder = write_workshop(tmp_path / "ws")
    proc = subprocess.run([sys.executable, "-m", "journeytools", "validate", str(folder)],
                          capture_output=True, text=True)
    assert proc.returncode == 0 and "valid" in proc.stdout


def test_debug_shows_traceback(tmp_path):
    folder = write_workshop(tmp_path / "ws", personas="id,name\nmia,Mia\nmia,Again\n", steps=None,
                            pain_points=None, opportunities=None)
    r = invoke("--debug", "score", str(folder))
    assert r.exit_code != 0 and isinstance(r.exception, jt.ValidationError)
