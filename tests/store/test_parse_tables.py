"""The public seams of the folder: one parser for CSV files and spreadsheet rows, baselines,
saving only what changed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import journeytools as jt
from journeytools.errors import ConflictError
from journeytools.model import csvio
from journeytools.model.schema import TABLE_NAMES, TABLES, WORKSHOP_FILE
from journeytools.model.workshop import Baseline
from journeytools.store.folder import folder_lock, parse_tables, save_changes

from helpers import PAIN_POINTS, WORKSHOP_YML, write_workshop


def files_of(folder: Path) -> dict[str, bytes | None]:
    return {n: (folder / TABLES[n].file).read_bytes() if (folder / TABLES[n].file).exists() else None
            for n in TABLE_NAMES}


def rows_of(text: str) -> csvio.RawTable:
    """A table as a spreadsheet gives it: cells already split, rows numbered from 2."""
    header, *rows = list(csv.reader(io.StringIO(text)))
    return csvio.RawTable(header, rows, list(range(2, len(rows) + 2)), csvio.DEFAULT_DIALECT)


def test_csv_bytes_and_rows_give_the_same_workshop(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws")
    files = files_of(folder)
    from_csv = parse_tables(files, (folder / WORKSHOP_FILE).read_bytes(), folder=folder)
    rows = {n: rows_of(data.decode()) for n, data in files.items() if data is not None}
    from_rows = parse_tables(rows, jt.load(folder).meta)
    assert from_csv.ok and from_rows.ok
    assert from_csv.workshop == from_rows.workshop == jt.load(folder)
    assert from_csv.workshop.path == folder and from_rows.workshop.path is None
    assert [str(w) for w in from_csv.warnings] == [str(w) for w in jt.validate(folder).warnings]


def test_both_inputs_report_the_same_problems_by_file_and_line(tmp_path: Path) -> None:
    bad = PAIN_POINTS.replace("no-same-day,commuter,booking-form,No same-day slots shown,4,3",
                              "no-same-day,commuter,booking-form,No same-day slots shown,high,3")
    bad += "ghost,nobody,booking-form,Unknown persona,2,2,,\n"
    folder = write_workshop(tmp_path / "ws", pain_points=bad)
    files = files_of(folder)
    from_csv = parse_tables(files, WORKSHOP_YML)
    from_rows = parse_tables({n: rows_of(d.decode()) for n, d in files.items() if d is not None},
                             WORKSHOP_YML)
    expected = [str(p) for p in jt.validate(folder).errors]
    assert [str(p) for p in from_csv.errors] == expected == [str(p) for p in from_rows.errors]
    assert expected == [
        "pain_points.csv:2: severity: severity must be an integer from 1 to 5, got 'high'",
        "pain_points.csv:4: persona: unknown persona 'nobody'; expected one of: commuter, racer"]
    assert from_csv.workshop is None


def test_unreadable_parts_are_not_reported_again_nor_referenced() -> None:
    report = parse_tables({}, None, unreadable=["workshop", "personas", "touchpoints"])
    assert report.ok and report.workshop is not None
    missing = parse_tables({}, None)
    assert [p.file for p in missing.errors] == ["workshop.yml", "personas.csv", "touchpoints.csv"]
    with pytest.raises(ValueError, match="unknown table"):
        parse_tables({"people": b""}, WORKSHOP_YML)


def test_parsed_files_are_the_baseline(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws", personas="id;name\ncommuter;Carla\nracer;Ravi\n")
    ws = jt.load(folder)
    base = ws.baseline("personas")
    assert base.existed and base.dialect.delimiter == ";"
    assert not ws.baseline("votes").existed
    assert ws.changed_tables() == [] and not ws.meta_changed()
    assert ws.meta_text() == ws.saved_meta_text() == WORKSHOP_YML
    ws.meta["title"] = "Renamed"
    assert ws.meta_changed() and "title: Renamed" in ws.meta_text()
    with pytest.raises(ValueError):
        ws.baseline("people")


def test_mark_saved_and_set_baseline() -> None:
    ws = jt.Workshop({"title": "T", "stages": [{"id": "a"}]}, {})
    assert ws.saved_meta_text() is None and ws.meta_changed()
    ws.personas = ws.personas.iloc[0:0]
    ws.mark_saved({WORKSHOP_FILE: b"title: T\nstages: [a]\n", "personas.csv": b"id,name\n"},
                  {"personas": csvio.Dialect(";")})
    assert not ws.meta_changed() and ws.meta_text() == "title: T\nstages: [a]\n"
    assert ws.baseline("personas").existed and ws.baseline("personas").dialect.delimiter == ";"
    ws.set_baseline("votes", Baseline(None, "(from workbook)"))
    assert ws.baseline("votes").existed
    with pytest.raises(ValueError):
        ws.mark_saved({"people.csv": b""})


def test_save_changes_writes_only_what_changed_under_the_callers_lock(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    ws = jt.load(folder)
    ws.personas.loc[0, "name"] = "Carla C."
    with folder_lock(folder):
        assert save_changes(ws) == ["personas.csv"]
    after = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert [n for n in after if after[n] != before[n]] == ["personas.csv"]
    assert ws.changed_tables() == []  # the new file is the baseline now
    other = jt.load(folder)
    other.personas.loc[1, "name"] = "Ravi R."
    jt.save(other)
    ws.personas.loc[1, "name"] = "Someone else"
    with pytest.raises(ConflictError):
        save_changes(ws, folder)
    with pytest.raises(ValueError):
        save_changes(ws.copy())
