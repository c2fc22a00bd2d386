"""The future state (SPEC §9): `new FUTURE --from CURRENT`, and validate's checks of based_on."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

import journeytools as jt
from journeytools.cli import app
from journeytools.store.folder import validate

from helpers import write_workshop


def test_new_from_copies_the_current_map_as_its_future_state(tmp_path):
    current = write_workshop(tmp_path / "maps" / "current",
                             votes="voter,item,votes\nann,no-same-day,2\n")
    res = CliRunner().invoke(app, ["new", str(tmp_path / "maps" / "future"), "--from", str(current)])
    assert res.exit_code == 0, res.output
    future = jt.load(tmp_path / "maps" / "future")
    meta = yaml.safe_load((tmp_path / "maps" / "future" / "workshop.yml").read_text(encoding="utf-8"))
    assert meta["state"] == "future" and meta["based_on"] == "../current"
    assert len(future.votes) == 0
    before = jt.load(current)
    for table in ("personas", "touchpoints", "steps", "pain_points", "opportunities"):
        assert future.tables[table].astype(str).equals(before.tables[table].astype(str)), table
    report = validate(tmp_path / "maps" / "future")
    assert report.ok and not [w for w in report.warnings if "diverged" in w.message]
    # a second --from into the same folder is refused; so is a future state of a future state
    again = CliRunner().invoke(app, ["new", str(tmp_path / "maps" / "future"), "--from", str(current)])
    assert again.exit_code != 0 and "not empty" in again.output
    twice = CliRunner().invoke(app, ["new", str(tmp_path / "f2"), "--from", str(tmp_path / "maps" / "future")])
    assert twice.exit_code != 0 and "current-state map" in twice.output


def test_validate_wants_a_current_state_base_and_warns_when_ids_diverge(tmp_path):
    write_workshop(tmp_path / "current")
    future_yml = "state: future\nbased_on: ../current\n"
    folder = write_workshop(tmp_path / "future",
                            personas="id,name\ncommuter,Carla\ncourier,Cai the courier\n",
                            steps=None, pain_points=None, opportunities=None)
    with (folder / "workshop.yml").open("a", encoding="utf-8") as f:
        f.write(future_yml)
    report = validate(folder)
    assert report.ok
    diverged = [w for w in report.warnings if "diverged" in w.message]
    assert [(w.file, w.column) for w in diverged] == [("personas.csv", "id")]
    assert "courier" in diverged[0].message and "racer" in diverged[0].message
    # based on another future state: an error naming based_on
    other = write_workshop(tmp_path / "other")
    with (other / "workshop.yml").open("a", encoding="utf-8") as f:
        f.write("state: future\nbased_on: ../current\n")
    with (folder / "workshop.yml").open("w", encoding="utf-8") as f:
        f.write((tmp_path / "current" / "workshop.yml").read_text(encoding="utf-8")
                + "state: future\nbased_on: ../other\n")
    bad = validate(folder)
    assert not bad.ok and bad.errors[0].column == "based_on"
    assert "current-state map" in bad.errors[0].message


def test_a_future_state_copied_alone_still_validates_with_a_warning(tmp_path):
    write_workshop(tmp_path / "current")
    folder = tmp_path / "future"
    assert CliRunner().invoke(app, ["new", str(folder), "--from", str(tmp_path / "current")]).exit_code == 0
    import shutil

    alone = Path(shutil.copytree(folder, tmp_path / "elsewhere" / "deep" / "future"))
    report = validate(alone)
    assert report.ok
    assert [w.column for w in report.warnings if "not there" in w.message] == ["based_on"]
