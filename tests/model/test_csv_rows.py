"""Rows as files hold them: short rows and open quotes are problems naming their line; a save
keeps the file's decimal mark and writes unchanged rows back byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import journeytools as jt
from journeytools.model import csvio

from helpers import write_workshop

KPIS = "id,metric,stage,unit,baseline,target\n"


def errors(folder: Path) -> list[jt.Problem]:
    return jt.validate(folder).errors


# -- short rows -----------------------------------------------------------------------------

def test_a_file_cut_mid_row_is_an_error_naming_the_line(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws")
    (folder / "kpis.csv").write_text(KPIS + "conv,Conversion,booking,%,50,60\nnps,NPS,repair",
                                     encoding="utf-8")
    [p] = errors(folder)
    assert (p.file, p.line, p.column) == ("kpis.csv", 3, "unit")
    assert "expected 6 cells, found 3" in p.message
    assert str(p).startswith("kpis.csv:3: unit: row has 3 cells but the header has 6")


def test_a_short_row_in_the_middle_is_an_error(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws")
    (folder / "kpis.csv").write_text(KPIS + "conv,Conversion,booking\nnps,NPS,repair,pts,1,2\n",
                                     encoding="utf-8")
    [p] = errors(folder)
    assert (p.file, p.line) == ("kpis.csv", 2) and "expected 6 cells, found 3" in p.message


@pytest.mark.parametrize("row", ["conv,Conversion,booking,", "conv,Conversion,booking,,",
                                 "conv,Conversion,booking,%,,"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_short_row_ending_with_the_delimiter_leaves_its_last_cells_blank(tmp_path: Path, row: str,
                                                                            newline: str) -> None:
    folder = write_workshop(tmp_path / "ws")
    (folder / "kpis.csv").write_bytes((KPIS + row + "\n" + "nps,NPS,repair,pts,1,2\n")
                                      .replace("\n", newline).encode("utf-8"))
    ws = jt.load(folder)
    assert ws.kpis["metric"].tolist() == ["Conversion", "NPS"]
    assert ws.kpis["baseline"].isna().tolist() == [True, False]


def test_a_last_row_ending_with_the_delimiter_but_no_line_break_is_an_error(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws")
    (folder / "kpis.csv").write_text(KPIS + "conv,Conversion,booking,%,50,60\nnps,NPS,repair,",
                                     encoding="utf-8")
    [p] = errors(folder)
    assert (p.line, p.column) == (3, "baseline") and "expected 6 cells, found 4" in p.message


def test_semicolon_files_follow_the_same_rule(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws")
    (folder / "kpis.csv").write_text("id;metric;stage;baseline\nconv;Conversion;booking;\nnps;NPS\n",
                                     encoding="utf-8")
    p, also = errors(folder)  # and the row, its cells blank, names no stage
    assert (also.line, also.column) == (3, "stage/touchpoint")
    assert p.line == 3 and "expected 4 cells, found 2" in p.message and "';'" in p.message


# -- open quotes ----------------------------------------------------------------------------

def test_a_quote_open_at_the_end_of_the_file_names_the_line_it_opened_on(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws", personas='id,name,description\ncommuter,"Carla\nC.",fine\n'
                            'racer,"Ravi\nR.", "not a quote\nracer2,"Rita\nR.","never closed\nand more\n')
    [p] = errors(folder)
    assert (p.file, p.line, p.column) == ("personas.csv", 7, "description")
    assert "a quote (\") opened on this line is never closed" in p.message
    assert "end of the file" in p.message


def test_a_quote_open_in_the_first_cell(tmp_path: Path) -> None:
    raw, problems = csvio.parse('a;b\n1;2\n"3;4\n5;6\n', "t.csv")
    assert [(p.line, p.column) for p in problems] == [(3, "a")]


# -- decimal commas -------------------------------------------------------------------------

GERMAN = ("\ufeffid;title;addresses;reach;impact;confidence;effort;ease;status\r\n"
          "express-slots;Express repair slots;no-same-day;400;2;80%;0,50;6;planned\r\n"
          "callback;Call-back button;phone-wait;150;0,5;0,5;1;7,5;idea\r\n"
          "tidy;Tidy up;;1000;1;0,25;2;;idea\r\n")


def test_a_decimal_comma_file_keeps_its_convention_and_its_untouched_rows(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws")
    (folder / "opportunities.csv").write_bytes(GERMAN.encode("utf-8"))
    ws = jt.load(folder)
    assert ws.baseline("opportunities").dialect.decimal == ","
    assert ws.opportunities["effort"].tolist() == [0.5, 1.0, 2.0]
    ws.opportunities.loc[1, "effort"] = 2.25
    ws.opportunities.loc[1, "confidence"] = 0.75
    jt.save(ws)
    lines = (folder / "opportunities.csv").read_bytes().decode("utf-8").split("\r\n")
    before = GERMAN.split("\r\n")
    assert lines[0] == before[0] and lines[1] == before[1] and lines[3] == before[3]  # byte for byte
    assert lines[2] == "callback;Call-back button;phone-wait;150;0,5;0,75;2,25;7,5;idea"
    again = jt.load(folder)
    assert again.opportunities["effort"].tolist() == [0.5, 2.25, 2.0]
    # a new row too, and the file keeps reading back the same
    again.opportunities.loc[3] = ["new", "New", "", 12.5, 1.0, 0.1, 0.5, None, "idea"]
    jt.save(again)
    text = (folder / "opportunities.csv").read_bytes().decode("utf-8")
    assert text.endswith("new;New;;12,5;1;0,1;0,5;;idea\r\n")
    assert text.startswith("\r\n".join(before[:2]))


def test_a_semicolon_file_with_decimal_points_keeps_them(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws")
    (folder / "opportunities.csv").write_text("id;title;effort\nx;X;0.5\ny;Y;1.5\n", encoding="utf-8")
    ws = jt.load(folder)
    assert ws.baseline("opportunities").dialect.decimal == "."
    ws.opportunities.loc[1, "effort"] = 2.75
    jt.save(ws)
    assert (folder / "opportunities.csv").read_text(encoding="utf-8") == "id;title;effort\nx;X;0.5\ny;Y;2.75\n"


def test_a_semicolon_file_without_decimals_gets_commas_a_comma_file_points(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws")
    (folder / "opportunities.csv").write_text("id;title;effort\nx;X;1\n", encoding="utf-8")
    ws = jt.load(folder)
    ws.opportunities.loc[0, "effort"] = 0.5
    ws.personas.loc[0, "weight"] = 2.5
    jt.save(ws)
    assert (folder / "opportunities.csv").read_text(encoding="utf-8") == "id;title;effort\nx;X;0,5\n"
    assert 'commuter,Carla the commuter,Daily riders,"web;phone",2.5\n' in (
        folder / "personas.csv").read_text(encoding="utf-8")


def test_a_decimal_comma_workshop_saved_elsewhere_is_byte_identical(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws")
    (folder / "opportunities.csv").write_bytes(GERMAN.encode("utf-8"))
    copy = jt.save(jt.load(folder), tmp_path / "copy")
    assert (copy / "opportunities.csv").read_bytes() == GERMAN.encode("utf-8")


# -- rows as they stood ---------------------------------------------------------------------

def test_unchanged_rows_keep_their_exact_text(tmp_path: Path) -> None:
    personas = ('ID , Name,weight,Notes\n'
                ' Commuter ,"Carla",2.0,"quoted, with comma"\n'
                'racer,Ravi,1,\n')
    folder = write_workshop(tmp_path / "ws", personas=personas)
    ws = jt.load(folder)
    ws.personas.loc[1, "Notes"] = "fast"
    jt.save(ws)
    assert (folder / "personas.csv").read_text(encoding="utf-8") == (
        'ID , Name,weight,Notes\n'
        ' Commuter ,"Carla",2.0,"quoted, with comma"\n'
        'racer,Ravi,1,fast\n')
    ws.personas = ws.personas[["id", "name", "weight"]]  # a column less: all rows rewritten
    jt.save(ws)
    assert (folder / "personas.csv").read_text(encoding="utf-8") == (
        "id,name,weight\ncommuter,Carla,2\nracer,Ravi,1\n")


def test_rows_moved_or_deleted_keep_their_text(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws", personas="id,name,weight\nb,B,2.0\na,A,1.50\nc,C,3\n",
                            steps=None, pain_points=None, opportunities=None)
    ws = jt.load(folder)
    ws.personas = ws.personas.iloc[[1, 0]].reset_index(drop=True)
    jt.save(ws)
    assert (folder / "personas.csv").read_text(encoding="utf-8") == "id,name,weight\na,A,1.50\nb,B,2.0\n"


cell = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(st.text("abcxyz_", min_size=1, max_size=5), min_size=n, max_size=n, unique=True),
    st.lists(st.lists(cell, min_size=n, max_size=n).filter(lambda r: any(r)), max_size=5))),
    st.builds(csvio.Dialect, st.sampled_from([",", ";", "\t"]), st.booleans(), st.sampled_from(["\n", "\r\n"])))
def test_parsed_texts_reassemble_the_file(table, dialect) -> None:
    header, rows = table
    data = csvio.write(header, rows, dialect)
    raw, problems = csvio.parse(data.decode("utf-8"), "t.csv")
    assert not problems and raw is not None and raw.texts is not None and raw.header_text is not None
    assert raw.texts == [csvio.record(r, dialect.delimiter) for r in rows]
    assert csvio.assemble(raw.header_text, raw.texts, raw.dialect) == data
