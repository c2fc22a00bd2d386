"""Loading, validating and saving a workshop folder (SPEC §2, §7)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

import journeytools as jt
from journeytools import fsutil

from helpers import write_workshop


def problems(folder: Path) -> list[jt.Problem]:
    report = jt.validate(folder)
    return report.errors


def only(folder: Path) -> jt.Problem:
    errs = problems(folder)
    assert len(errs) == 1, [str(e) for e in errs]
    return errs[0]


def test_valid_workshop_loads_with_types(tmp_path):
    ws = jt.load(write_workshop(tmp_path / "ws"))
    assert ws.title == "Bike shop — repair booking journey"
    assert [s.id for s in ws.stages] == ["need", "booking", "repair"]
    assert list(ws.personas["id"]) == ["commuter", "racer"]
    assert str(ws.pain_points["severity"].dtype) == "Int64"
    assert ws.opportunities["confidence"].tolist() == [0.8, 0.5]
    assert ws.personas["weight"].tolist() == [2.0, 1.0]
    assert pd.isna(ws.steps["order"].iloc[3])


# -- one test per error kind: file, line, column and message ---------------------------

def test_duplicate_id_names_both_lines(tmp_path):
    folder = write_workshop(tmp_path / "ws", personas="id,name\nmia,Mia\nandy,Andy\nMIA,Mia again\n",
                            steps=None, pain_points="id,persona,touchpoint,description,severity,frequency\n",
                            opportunities=None)
    p = only(folder)
    assert (p.file, p.line, p.column) == ("personas.csv", 4, "id")
    assert str(p) == "personas.csv:4: id: duplicate id 'mia' (first on line 2)"


def test_blank_and_non_slug_ids(tmp_path):
    folder = write_workshop(tmp_path / "ws", touchpoints="id,stage,name\n,need,Blank id\nBad Id!,need,Bad\n",
                            steps=None, pain_points=None, opportunities=None)
    errs = problems(folder)
    assert [(e.line, e.column) for e in errs] == [(2, "id"), (3, "id")]
    assert "required but blank" in errs[0].message
    assert "'Bad Id!' is not a valid id" in errs[1].message


def test_missing_required_column(tmp_path):
    folder = write_workshop(tmp_path / "ws", pain_points="id,persona,touchpoint,description,severity\n"
                            "x,commuter,booking-form,Slow,3\n", opportunities=None)
    p = only(folder)
    assert (p.file, p.line, p.column) == ("pain_points.csv", 1, "frequency")
    assert "missing required column 'frequency'" in p.message


def test_unresolved_references_all_reported(tmp_path):
    folder = write_workshop(tmp_path / "ws", steps="persona,touchpoint\nghost,booking-form\ncommuter,nowhere\n",
                            opportunities="id,title,addresses\nx,Idea,no-same-day;missing-pain\n")
    errs = problems(folder)
    got = {(e.file, e.line, e.column, e.value) for e in errs}
    assert got == {("steps.csv", 2, "persona", "'ghost'"), ("steps.csv", 3, "touchpoint", "'nowhere'"),
                   ("opportunities.csv", 2, "addresses", "'missing-pain'")}


def test_unknown_stage_reference(tmp_path):
    folder = write_workshop(tmp_path / "ws", touchpoints="id,stage,name\nform,checkout,Form\n",
                            steps=None, pain_points=None, opportunities=None)
    p = only(folder)
    assert (p.file, p.line, p.column) == ("touchpoints.csv", 2, "stage")
    assert "unknown stage 'checkout'" in p.message and "need" in p.message


@pytest.mark.parametrize("column,value,expect", [
    ("severity", "high", "severity must be an integer from 1 to 5, got 'high'"),
    ("severity", "6", "severity must be an integer from 1 to 5, got '6'"),
    ("frequency", "2.5", "frequency must be an integer from 1 to 5, got '2.5'"),
])
def test_bad_scores(tmp_path, column, value, expect):
    row = {"severity": "4", "frequency": "3"} | {column: value}
    folder = write_workshop(tmp_path / "ws", pain_points="id,persona,touchpoint,description,severity,frequency\n"
                            f"x,commuter,booking-form,Slow,{row['severity']},{row['frequency']}\n",
                            opportunities=None)
    p = only(folder)
    assert (p.line, p.column, p.message) == (2, column, expect)


@pytest.mark.parametrize("column,value,fragment", [
    ("impact", "1.5", "one of 0.25, 0.5, 1, 2, 3"),
    ("confidence", "120%", "above 100 %"),
    ("confidence", "150", "above 100 %"),
    ("effort", "0", "greater than 0"),
    ("effort", "-1", "greater than 0"),
    ("reach", "lots", "a number of people"),
    ("ease", "11", "from 1 to 10"),
    ("status", "someday", "one of idea, planned"),
])
def test_bad_opportunity_fields(tmp_path, column, value, fragment):
    cols = {"reach": "10", "impact": "1", "confidence": "0.5", "effort": "1", "ease": "5", "status": "idea"}
    cols[column] = value
    header = "id,title," + ",".join(cols)
    folder = write_workshop(tmp_path / "ws", opportunities=f"{header}\nx,Idea,{','.join(cols.values())}\n")
    p = only(folder)
    assert (p.file, p.line, p.column) == ("opportunities.csv", 2, column)
    assert fragment in p.message and repr(value) in p.message


def test_weight_must_be_positive(tmp_path):
    folder = write_workshop(tmp_path / "ws", personas="id,name,weight\ncommuter,C,0\nracer,R,1\n")
    p = only(folder)
    assert (p.file, p.line, p.column) == ("personas.csv", 2, "weight")
    assert "greater than 0" in p.message


def test_every_problem_reported_at_once(tmp_path):
    folder = write_workshop(
        tmp_path / "ws",
        personas="id,name,weight\ncommuter,C,-1\nracer,,1\n",
        pain_points="id,persona,touchpoint,description,severity,frequency\n"
                    "a,commuter,booking-form,Slow,9,1\nb,nobody,booking-form,X,1,1\n",
        opportunities="id,title,effort\nx,Idea,0\n")
    errs = problems(folder)
    assert {(e.file, e.line, e.column) for e in errs} == {
        ("personas.csv", 2, "weight"), ("personas.csv", 3, "name"),
        ("pain_points.csv", 2, "severity"), ("pain_points.csv", 3, "persona"),
        ("opportunities.csv", 2, "effort")}


def test_missing_folder_and_files(tmp_path):
    assert "folder not found" in problems(tmp_path / "nope")[0].message
    folder = write_workshop(tmp_path / "ws", workshop=None, touchpoints=None)
    files = {e.file for e in problems(folder)}
    assert {"workshop.yml", "touchpoints.csv"} <= files


@pytest.mark.parametrize("yml,line,key,fragment", [
    ("title: T\nstages: []\n", 2, "stages", "at least one stage"),
    ("stages:\n  - {id: a}\n", None, "title", "title is required"),
    ("title: T\nstages:\n  - {id: a}\n  - {id: A}\n", 4, "stages.1.id", "duplicate stage id 'a' (first on line 3)"),
    ("title: T\nstages:\n  - {id: a}\nreviewed: yesterday\n", 4, "reviewed", "ISO date"),
    ("title: T\nstages:\n  - {id: a}\nbranding: {primary_color: red}\n", 4, "branding.primary_color", "hex colour"),
    ("title: T\nstages: [a\n", 3, None, "not valid YAML"),
])
def test_workshop_yml_problems(tmp_path, yml, line, key, fragment):
    folder = write_workshop(tmp_path / "ws", workshop=yml, touchpoints="id,stage,name\n", steps=None,
                            pain_points=None, opportunities=None)
    errs = [e for e in problems(folder) if e.file == "workshop.yml"]
    assert errs, "expected a workshop.yml problem"
    assert fragment in errs[0].message
    assert errs[0].column == key
    if line is not None:
        assert errs[0].line == line


def test_garbage_bytes_named_with_line(tmp_path):
    folder = write_workshop(tmp_path / "ws")
    (folder / "personas.csv").write_bytes(b"id,name\ncommuter,C\nracer,R\xff\xfe\x00\n")
    p = only(folder)
    assert (p.file, p.line) == ("personas.csv", 3)
    assert "not UTF-8" in p.message


def test_unclosed_quote(tmp_path):
    folder = write_workshop(tmp_path / "ws", pain_points='id,persona,touchpoint,description,severity,frequency\n'
                            'a,commuter,booking-form,"Slow,4,3\nb,commuter,booking-form,Fine,1,1\n',
                            opportunities=None)
    errs = problems(folder)
    assert any(e.file == "pain_points.csv" and e.line == 2 and "quote" in e.message for e in errs)


def test_row_wider_than_header(tmp_path):
    folder = write_workshop(tmp_path / "ws", personas="id,name\ncommuter,C,extra\nracer,R\n")
    p = only(folder)
    assert (p.file, p.line) == ("personas.csv", 2) and "3 cells" in p.message


# -- CSV as Excel writes it --------------------------------------------------------------

def test_excel_semicolon_bom_crlf_multiline_decimal_comma(tmp_path):
    folder = write_workshop(tmp_path / "ws")
    text = ("\ufeffid;title;description;reach;impact;confidence;effort\r\n"
            "express-slots;Express slots;\"Two lines;\r\nwith; semicolons\";400;2;0,8;1,5\r\n"
            "callback;Call-back — ça marche;日本語のテキスト;150;1;80%;1\r\n")
    (folder / "opportunities.csv").write_bytes(text.encode("utf-8"))
    ws = jt.load(folder)
    o = ws.opportunities
    assert o["description"].iloc[0] == "Two lines;\r\nwith; semicolons"
    assert o["confidence"].tolist() == [0.8, 0.8]
    assert o["effort"].tolist() == [1.5, 1.0]
    assert o["title"].iloc[1] == "Call-back — ça marche"
    # saved back in the same dialect, byte for byte
    ws.opportunities.loc[1, "title"] = "Call-back"
    jt.save(ws)
    data = (folder / "opportunities.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid;title") and b"\r\n" in data
    assert jt.load(folder).opportunities["title"].iloc[1] == "Call-back"


def test_multiline_cell_line_numbers(tmp_path):
    folder = write_workshop(tmp_path / "ws", personas='id,name,description\ncommuter,C,"line one\nline two\n'
                            'line three"\nracer,R,x\nbad id,B,y\n')
    p = only(folder)
    assert p.line == 6  # physical line where the record starts


def test_free_text_kept_exactly(tmp_path):
    folder = write_workshop(tmp_path / "ws", personas='id,name,quote\n commuter ,"  Carla\t",  spaced  \nracer,R,\n')
    ws = jt.load(folder)
    assert ws.personas["id"].iloc[0] == "commuter"
    assert ws.personas["name"].iloc[0] == "  Carla\t"
    assert ws.personas["quote"].iloc[0] == "  spaced  "


def test_extra_columns_survive(tmp_path):
    folder = write_workshop(tmp_path / "ws", personas="id,name,Team Notes,weight\ncommuter,C,ask Ana,2\nracer,R,,1\n")
    ws = jt.load(folder)
    assert list(ws.personas.columns) == ["id", "name", "Team Notes", "weight"]
    jt.save(ws, tmp_path / "copy")
    again = jt.load(tmp_path / "copy")
    assert again.personas["Team Notes"].tolist() == ["ask Ana", ""]
    assert again == ws


def test_empty_table_is_valid_with_warning(tmp_path):
    folder = write_workshop(tmp_path / "ws", personas="id,name\n", steps=None, pain_points=None,
                            opportunities=None)
    report = jt.validate(folder)
    assert report.ok
    assert any("no personas" in w.message for w in report.warnings)


def test_warnings(tmp_path):
    import datetime as dt
    folder = write_workshop(tmp_path / "ws")
    report = jt.validate(folder, today=dt.date(2027, 6, 1))
    text = "\n".join(str(w) for w in report.warnings)
    assert "may be stale" in text and "2027-05-02" in text
    assert "touchpoint 'phone-line' is not visited" in text
    assert "pain point 'phone-wait' has no evidence" in text
    assert not jt.validate(folder, today=dt.date(2027, 5, 2)).warnings[0].message.startswith("the map")


# -- saving -------------------------------------------------------------------------------

def test_save_unchanged_is_byte_identical(tmp_path):
    src = write_workshop(tmp_path / "ws")
    ws = jt.load(src)
    jt.save(ws, tmp_path / "a")
    jt.save(jt.load(tmp_path / "a"), tmp_path / "b")
    for name in os.listdir(tmp_path / "a"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    before = {p.name: p.stat().st_mtime_ns for p in src.iterdir() if not p.name.startswith(".")}
    jt.save(ws)  # nothing changed: nothing written
    assert {p.name: p.stat().st_mtime_ns for p in src.iterdir() if p.name in before} == before


def test_save_writes_only_changed_tables(tmp_path):
    src = write_workshop(tmp_path / "ws")
    ws = jt.load(src)
    before = {p.name: p.read_bytes() for p in src.iterdir() if p.is_file()}
    ws.pain_points.loc[0, "severity"] = 5
    jt.save(ws)
    after = {p.name: p.read_bytes() for p in src.iterdir() if p.is_file() and not p.name.startswith(".")}
    changed = {n for n in after if after[n] != before.get(n)}
    assert changed == {"pain_points.csv"}
    assert jt.load(src).pain_points["severity"].iloc[0] == 5


def test_conflict_when_same_table_changed_on_disk(tmp_path):
    src = write_workshop(tmp_path / "ws")
    ws = jt.load(src)
    jt.add_pain_point(src, persona="racer", touchpoint="booking-form", description="Form forgets my bike",
                      severity=2, frequency=2)
    ws.pain_points.loc[0, "severity"] = 5
    with pytest.raises(jt.ConflictError, match="pain_points.csv"):
        jt.save(ws)
    assert len(jt.load(src).pain_points) == 3  # the participant's row is kept
    ws2 = jt.load(src)
    jt.add_vote(src, voter="ana", item="no-same-day")
    ws2.pain_points.loc[0, "severity"] = 5
    jt.save(ws2)  # votes changed on disk, pain points in memory: no conflict
    final = jt.load(src)
    assert len(final.votes) == 1 and final.pain_points["severity"].iloc[0] == 5


def test_invalid_workshop_is_not_saved(tmp_path):
    src = write_workshop(tmp_path / "ws")
    ws = jt.load(src)
    before = (src / "steps.csv").read_bytes()
    ws.steps.loc[0, "persona"] = "nobody"
    with pytest.raises(jt.ValidationError) as info:
        jt.save(ws)
    assert info.value.problems[0].file == "steps.csv"
    assert (src / "steps.csv").read_bytes() == before


def test_failed_write_leaves_old_files(tmp_path, monkeypatch):
    src = write_workshop(tmp_path / "ws")
    ws = jt.load(src)
    before = {p.name: p.read_bytes() for p in src.iterdir() if p.is_file()}
    ws.pain_points.loc[0, "severity"] = 1
    ws.personas.loc[0, "name"] = "Carla"
    real = os.fsync
    calls = {"n": 0}

    def flaky(fd):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real(fd)

    monkeypatch.setattr(fsutil.os, "fsync", flaky)
    with pytest.raises(OSError):
        jt.save(ws)
    after = {p.name: p.read_bytes() for p in src.iterdir() if p.is_file() and p.name != ".journeytools.lock"}
    assert after == before  # no temp files left, nothing replaced


def test_save_requires_path_for_new_workshop(tmp_path):
    ws = jt.load(write_workshop(tmp_path / "ws")).copy()
    with pytest.raises(ValueError):
        jt.save(ws)
    assert jt.load(jt.save(ws, tmp_path / "elsewhere")) == ws


def test_writers_leave_no_lock_file(tmp_path):
    src = write_workshop(tmp_path / "ws")
    jt.add_vote(src, voter="ana", item="express-slots", votes=2)
    assert not (src / ".journeytools.lock").exists()
    ws = jt.load(src)
    ws.personas.loc[0, "name"] = "Carla"
    jt.save(ws)
    assert not (src / ".journeytools.lock").exists()
    jt.save(ws, tmp_path / "copy")  # into a new folder, as 'journeytools new' does
    assert sorted(p.name for p in (tmp_path / "copy").iterdir()) == sorted(
        p.name for p in src.iterdir())


def test_stale_lock_file_ignored_by_validate_and_removed_by_a_save(tmp_path):
    src = write_workshop(tmp_path / "ws")
    (src / ".journeytools.lock").write_bytes(b"")  # left by an older version, or committed
    assert jt.validate(src).ok
    jt.add_vote(src, voter="ana", item="express-slots", votes=2)
    assert not (src / ".journeytools.lock").exists()


def test_votes_and_kpis_rules(tmp_path):
    folder = write_workshop(tmp_path / "ws")
    (folder / "votes.csv").write_text("voter,item,votes,at\nana,no-same-day,1,2026-11-02T10:00:00\n"
                                      "ben,ghost-item,1,yesterday\ncai,callback,0,\n", encoding="utf-8")
    (folder / "kpis.csv").write_text("id,metric,unit,baseline\nconv,conversion,%,50\n", encoding="utf-8")
    errs = {(e.file, e.line, e.column): e.message for e in problems(folder)}
    assert "unknown pain point or opportunity 'ghost-item'" in errs[("votes.csv", 3, "item")]
    assert "ISO timestamp" in errs[("votes.csv", 3, "at")]
    assert "1 or more" in errs[("votes.csv", 4, "votes")]
    assert "'stage' or 'touchpoint'" in errs[("kpis.csv", 1, "stage/touchpoint")]


def test_enum_and_date_rules(tmp_path):
    folder = write_workshop(
        tmp_path / "ws",
        pain_points="id,persona,touchpoint,description,severity,frequency,source\n"
                    "a,commuter,booking-form,Slow,4,3,gut feeling\n",
        touchpoints="id,stage,name,kind\nflat-tyre,need,Flat,somewhere\nbooking-form,booking,Form,online\n"
                    "phone-line,booking,Phone,offline\nworkshop-visit,repair,Visit,offline\n",
        opportunities=None)
    (folder / "kpis.csv").write_text("id,metric,stage,measured_at\nk,csat,repair,31/12/2026\n", encoding="utf-8")
    errs = {(e.file, e.line, e.column): e.message for e in problems(folder)}
    assert "source must be one of analytics" in errs[("pain_points.csv", 2, "source")]
    assert "kind must be one of online, offline, got 'somewhere'" == errs[("touchpoints.csv", 2, "kind")]
    assert "ISO date" in errs[("kpis.csv", 2, "measured_at")]


def test_unreadable_file_is_a_problem_not_a_traceback(tmp_path):
    folder = write_workshop(tmp_path / "ws", steps=None)
    (folder / "steps.csv").mkdir()
    p = only(folder)
    assert p.file == "steps.csv" and "cannot read steps.csv" in p.message
