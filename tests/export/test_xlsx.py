"""Excel export and import: lossless round trip, edits, formula injection, clear errors."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path

import openpyxl
import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import journeytools as jt
from journeytools.cli.export import register
from journeytools.export import export, import_xlsx
from journeytools.export.xlsx import SHEETS, neutralise, restore
from journeytools.model import csvio
from journeytools.model.meta import dump_meta
from journeytools.model.schema import TABLES


def roundtrip(folder: Path, tmp_path: Path, name: str = "back") -> tuple[Path, Path]:
    book = export(folder, "xlsx", tmp_path / f"{name}.xlsx").path
    assert book is not None
    return book, import_xlsx(book, tmp_path / name)


def header_col(sheet, name: str) -> str:
    for c in sheet[1]:
        if c.value == name:
            return c.column_letter
    raise KeyError(name)


def row_of(sheet, column: str, value: str) -> int:
    for c in sheet[column]:
        if c.value == value:
            return c.row
    raise KeyError(value)


# --- round trip ---------------------------------------------------------------------------

def test_every_example_round_trips(example: Path, tmp_path: Path) -> None:
    _, back = roundtrip(example, tmp_path)
    original = jt.load(example)
    assert jt.load(back).equals(original)
    # untouched metadata comes back byte for byte (comments and layout of workshop.yml kept)
    assert (back / "workshop.yml").read_bytes() == (example / "workshop.yml").read_bytes()
    for name, table in TABLES.items():
        assert (back / table.file).exists() == (example / table.file).exists(), name


def test_workbook_layout(luggage: Path, tmp_path: Path) -> None:
    book = export(luggage, "xlsx", tmp_path / "l.xlsx").path
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[:len(SHEETS) + 1] == ["Workshop", *SHEETS.values()]
    assert "Scores" in wb.sheetnames and wb["_journeytools"].sheet_state == "hidden"
    pains = wb["Pain points"]
    assert [c.value for c in pains[1]][:6] == ["id", "persona", "touchpoint", "description",
                                               "severity", "frequency"]
    assert pains.freeze_panes == "A2"
    assert pains["A1"].font.bold and pains["A1"].fill.fgColor.rgb.endswith("C2185B")
    assert pains.column_dimensions["D"].width >= 30  # long descriptions get a wide column
    assert isinstance(pains["E2"].value, int) and pains["E2"].data_type == "n"
    opps = wb["Opportunities"]
    reach = header_col(opps, "reach")
    assert isinstance(opps[f"{reach}2"].value, (int, float))
    validated = {(s.title, str(rng).split(":")[0][:1]): dv.formula1
                 for s in wb for dv in s.data_validations.dataValidation for rng in dv.sqref.ranges}
    for sheet, column in [("Steps", "emotion"), ("Pain points", "severity"),
                          ("Pain points", "frequency"), ("Opportunities", "impact"),
                          ("Opportunities", "status")]:
        letter = header_col(wb[sheet], column)
        assert (sheet, letter) in validated, (sheet, column)
    assert validated[("Opportunities", header_col(opps, "status"))] == \
        '"idea,planned,in-progress,done,dropped"'
    assert wb["Scores"].protection.sheet
    meta = wb["Workshop"]
    keys = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(2, meta.max_row + 1)}
    assert keys["title"] == "Online luggage store — purchase journey"
    assert keys["date"] == "2026-11-22"
    assert "stage id" in keys and keys["awareness"] == "Awareness"


# --- formula injection ----------------------------------------------------------------------

INJECTIONS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+2", "-3+4", "@SUM(A1)",
              "\t=1", "\r=1", "'already quoted", "''two", "=", "plain text"]


def test_formula_injection_is_neutralised_and_restored(luggage: Path, tmp_path: Path) -> None:
    ws = jt.load(luggage)
    n = len(INJECTIONS)
    ws.pain_points = ws.pain_points.copy()
    ws.pain_points.loc[: n - 1, "evidence"] = INJECTIONS[: len(ws.pain_points)]
    ws.personas = ws.personas.copy()
    ws.personas.loc[0, "quote"] = "=cmd|' /C calc'!A0"
    src = jt.save(ws, tmp_path / "src")
    book = export(src, "xlsx", tmp_path / "inj.xlsx").path
    wb = openpyxl.load_workbook(book)
    for sheet in wb:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{sheet.title}!{c.coordinate} is a formula"
                if isinstance(c.value, str):
                    assert not c.value.startswith(("=", "+", "-", "@", "\t", "\r")), \
                        f"{sheet.title}!{c.coordinate}: {c.value!r}"
    pains = wb["Pain points"]
    col = header_col(pains, "evidence")
    raw = [pains[f"{col}{r}"].value for r in range(2, 2 + min(n, len(ws.pain_points)))]
    assert raw[0] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert raw[1:7] == ["'+1+2", "'-3+4", "'@SUM(A1)", "'\t=1", "'\r=1", "''already quoted"][: len(raw) - 1]
    back = import_xlsx(book, tmp_path / "back")
    assert jt.load(back).equals(jt.load(src))
    assert jt.load(back).personas.loc[0, "quote"] == "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("text", INJECTIONS + ["_x0041_", "a\x0bb", "\x00", "\ufffe", "'", "",
                                               "_x005F_", "__x0041__"])
def test_neutralise_restore(text: str) -> None:
    assert restore(neutralise(text)) == text


# --- _xHHHH_ escapes are decoded once, also after Excel or LibreOffice saved the workbook -----

ESCAPES = "_x0041_ and _x005F_"


def with_escapes(luggage: Path, tmp_path: Path) -> Path:
    ws = jt.load(luggage)
    ws.pain_points = ws.pain_points.copy()
    ws.pain_points.loc[0, "description"] = ESCAPES
    ws.personas = ws.personas.copy()
    ws.personas.loc[0, "quote"] = "a\x0bb _x000B_ x005F_ =1"
    ws.meta = {**ws.meta, "title": f"Map {ESCAPES}"}
    return jt.save(ws, tmp_path / "src")


def assert_escapes_survive(src: Path, book: Path, tmp_path: Path, name: str) -> None:
    back = jt.load(import_xlsx(book, tmp_path / name))
    assert back.pain_points.loc[0, "description"] == ESCAPES
    assert back.personas.loc[0, "quote"] == "a\x0bb _x000B_ x005F_ =1"
    assert back.title == f"Map {ESCAPES}"
    assert back.equals(jt.load(src))


def shared_strings(book: Path, out: Path) -> Path:
    """The workbook as Excel and LibreOffice save it: every text in the shared string table
    (escapes as written), none inline."""
    import re
    import zipfile

    strings: list[str] = []

    def share(m: re.Match[str]) -> str:
        strings.append(m.group(3))
        return f'<c {m.group(1)}t="s"{m.group(2)}><v>{len(strings) - 1}</v></c>'

    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename).decode("utf-8") if item.filename.endswith((".xml", ".rels")) \
                else None
            if data is None:
                dst.writestr(item, src.read(item.filename))
                continue
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(r'<c ([^>]*?)t="inlineStr"([^>]*)><is>(.*?)</is></c>', share, data, flags=re.S)
            elif item.filename == "[Content_Types].xml":
                data = data.replace("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType='
                                    '"application/vnd.openxmlformats-officedocument.spreadsheetml.'
                                    'sharedStrings+xml"/></Types>')
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace("</Relationships>", '<Relationship Type="http://schemas.openxmlformats'
                                    '.org/officeDocument/2006/relationships/sharedStrings" '
                                    'Target="sharedStrings.xml" Id="rIdShared"/></Relationships>')
            dst.writestr(item, data)
        sst = "".join(f"<si>{s}</si>" for s in strings)
        dst.writestr("xl/sharedStrings.xml",
                     '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                     f'count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>')
    assert strings and any("_x005F_x0041_" in s for s in strings)
    return out


def test_escape_like_text_round_trips(luggage: Path, tmp_path: Path) -> None:
    src = with_escapes(luggage, tmp_path)
    book = export(src, "xlsx", tmp_path / "e.xlsx").path
    assert_escapes_survive(src, book, tmp_path, "back")


def test_escape_like_text_survives_shared_strings(luggage: Path, tmp_path: Path) -> None:
    """openpyxl's own reader strips ``x005F_`` from shared strings: ``_x005F_x0041_`` came
    back as ``_x0041_`` and was decoded again to ``A``."""
    src = with_escapes(luggage, tmp_path)
    book = export(src, "xlsx", tmp_path / "e.xlsx").path
    assert_escapes_survive(src, shared_strings(book, tmp_path / "shared.xlsx"), tmp_path, "back")


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui")
def test_escape_like_text_survives_a_libreoffice_save(luggage: Path, tmp_path: Path) -> None:
    src = with_escapes(luggage, tmp_path)
    book = export(src, "xlsx", tmp_path / "e.xlsx").path
    out = tmp_path / "lo"
    import subprocess

    proc = subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                           "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(book)],
                          capture_output=True, text=True, timeout=300)
    assert (out / "e.xlsx").is_file(), proc.stdout + proc.stderr
    assert_escapes_survive(src, out / "e.xlsx", tmp_path, "back")


def test_yaml_cells_are_read_as_untrusted_yaml(luggage: Path, tmp_path: Path) -> None:
    book = export(luggage, "xlsx", tmp_path / "l.xlsx").path
    wb = openpyxl.load_workbook(book)
    meta = wb["Workshop"]
    meta[f"D{row_of(meta, 'A', 'advocacy')}"] = "{a: &x [1, 2], b: *x}"
    field = row_of(meta, "A", "dots_per_voter") + 1
    meta.insert_rows(field)
    meta[f"A{field}"], meta[f"B{field}"] = "custom", "[" * 500
    wb.save(book)
    found = problems_of(book, tmp_path)
    assert any(p.startswith(f"Workshop!B{field}: custom must be a YAML value: ") and "nest" in p
               for p in found), found
    assert any(p.startswith("Workshop!D") and "anchors (&name) are not allowed" in p for p in found), found


# --- edits in Excel come back -------------------------------------------------------------

def test_edits_come_back(luggage: Path, tmp_path: Path) -> None:
    book = export(luggage, "xlsx", tmp_path / "l.xlsx").path
    wb = openpyxl.load_workbook(book)
    pains = wb["Pain points"]
    r = row_of(pains, "A", "cart-error")
    pains[f"{header_col(pains, 'severity')}{r}"] = 2
    personas = wb["Personas"]
    new = personas.max_row + 1
    personas[f"A{new}"], personas[f"B{new}"] = "zoe", "Zoë: the =planner"
    personas[f"{header_col(personas, 'weight')}{new}"] = 0.5
    meta = wb["Workshop"]
    meta[f"B{row_of(meta, 'A', 'title')}"] = "Edited title"
    meta[f"B{row_of(meta, 'A', 'reviewed')}"] = dt.datetime(2027, 1, 15)  # as Excel stores dates
    meta[f"B{row_of(meta, 'A', 'awareness')}"] = "Noticing"
    votes = wb["Votes"]
    votes.delete_rows(2, votes.max_row)  # empty a table
    wb.save(book)
    ws = jt.load(import_xlsx(book, tmp_path / "edited"))
    assert ws.title == "Edited title"
    assert ws.reviewed == dt.date(2027, 1, 15)
    assert ws.stages[0].name == "Noticing" and ws.stages[0].goal == "Find bags that fit my trip"
    assert int(ws.pain_points.set_index("id").loc["cart-error", "severity"]) == 2
    zoe = ws.personas.set_index("id").loc["zoe"]
    assert zoe["name"] == "Zoë: the =planner" and zoe["weight"] == 0.5
    assert len(ws.votes) == 0 and (tmp_path / "edited" / "votes.csv").exists()
    original = jt.load(luggage)
    assert ws.meta["organisation"] == original.meta["organisation"]
    assert ws.steps.equals(original.steps)


def test_import_refuses_a_non_empty_folder_unless_forced(luggage: Path, tmp_path: Path) -> None:
    book = export(luggage, "xlsx", tmp_path / "l.xlsx").path
    before = {p.name: p.read_bytes() for p in luggage.glob("*.csv")}
    with pytest.raises(FileExistsError, match="--force"):
        import_xlsx(book, luggage)
    wb = openpyxl.load_workbook(book)
    pains = wb["Pain points"]
    pains[f"{header_col(pains, 'severity')}{row_of(pains, 'A', 'cart-error')}"] = 3
    wb.save(book)
    import_xlsx(book, luggage, force=True)
    after = {p.name: p.read_bytes() for p in luggage.glob("*.csv")}
    changed = sorted(n for n in before if before[n] != after[n])
    assert changed == ["pain_points.csv"]  # only what was edited is rewritten
    assert (luggage / "evidence").is_dir()
    assert int(jt.load(luggage).pain_points.set_index("id").loc["cart-error", "severity"]) == 3


# --- a broken workbook -----------------------------------------------------------------------

def problems_of(book: Path, tmp_path: Path) -> list[str]:
    with pytest.raises(jt.ValidationError) as info:
        import_xlsx(book, tmp_path / "never")
    assert not (tmp_path / "never").exists()
    return [str(p) for p in info.value.problems]


def test_bad_value_names_sheet_and_cell(luggage: Path, tmp_path: Path) -> None:
    book = export(luggage, "xlsx", tmp_path / "l.xlsx").path
    wb = openpyxl.load_workbook(book)
    pains = wb["Pain points"]
    assert header_col(pains, "severity") == "E"
    pains["E7"] = "high"
    wb["Steps"][f"{header_col(wb['Steps'], 'persona')}3"] = "nobody"
    wb.save(book)
    assert problems_of(book, tmp_path) == [
        "Pain points!E7: severity must be an integer from 1 to 5, got 'high'",
        "Steps!A3: unknown persona 'nobody'; expected one of: andy, greta, mia",
    ]


def test_missing_sheet_and_renamed_headers(luggage: Path, tmp_path: Path) -> None:
    book = export(luggage, "xlsx", tmp_path / "l.xlsx").path
    wb = openpyxl.load_workbook(book)
    del wb["Touchpoints"]
    pains = wb["Pain points"]
    pains["E1"] = "Severity (1-5)"
    opps = wb["Opportunities"]
    opps[f"{header_col(opps, 'effort')}1"] = "Effort (months)"
    wb.save(book)
    found = problems_of(book, tmp_path)
    assert "Touchpoints: sheet 'Touchpoints' is missing; the workbook needs one sheet per table " \
           "(to empty a table, delete its rows, not the sheet)" in found
    assert any(p.startswith("Pain points!E1: missing required column 'severity'") and
               "renamed to 'Severity (1-5)'" in p for p in found), found
    assert any(p.startswith(f"Opportunities!{header_col(opps, 'Effort (months)')}1: column "
                            "'effort' was renamed to 'Effort (months)'") for p in found), found


def test_bad_metadata_and_stages(luggage: Path, tmp_path: Path) -> None:
    book = export(luggage, "xlsx", tmp_path / "l.xlsx").path
    wb = openpyxl.load_workbook(book)
    meta = wb["Workshop"]
    meta[f"B{row_of(meta, 'A', 'title')}"] = None
    color = row_of(meta, "A", "branding.primary_color")
    meta[f"B{color}"] = "pink"
    stage = row_of(meta, "A", "purchase")
    meta[f"A{stage}"] = "Purchase Stage!"
    wb.save(book)
    found = problems_of(book, tmp_path)
    assert f"Workshop!B{row_of(meta, 'A', 'title')}: a title is required, e.g. 'title: Online " \
           "store — purchase journey'" in found
    assert any(p.startswith(f"Workshop!B{color}: expected a CSS hex colour") for p in found)
    assert any(p.startswith(f"Workshop!A{stage}: stage id 'Purchase Stage!' is not a slug")
               for p in found), found


def test_not_a_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("id,name\n")
    with pytest.raises(ValueError, match="cannot read it as an Excel workbook"):
        import_xlsx(fake, tmp_path / "out")


def test_cli_export_and_import(luggage: Path, tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    book = tmp_path / "cli.xlsx"
    res = runner.invoke(app, ["export", str(luggage), "--to", "xlsx", "-o", str(book)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["export", str(luggage), "--to", "xlsx", "--persona", "mia"])
    assert res.exit_code == 1 and "--persona does not apply to xlsx" in res.output
    res = runner.invoke(app, ["import", str(book), str(tmp_path / "cli")])
    assert res.exit_code == 0, res.output
    assert jt.load(tmp_path / "cli").equals(jt.load(luggage))
    res = runner.invoke(app, ["import", str(book), str(tmp_path / "cli")])
    assert res.exit_code == 1 and "not empty" in res.output
    res = runner.invoke(app, ["import", str(book), str(tmp_path / "cli"), "--force"])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(book)
    wb["Pain points"]["E2"] = "high"
    wb.save(book)
    res = runner.invoke(app, ["import", str(book), str(tmp_path / "cli2")])
    assert res.exit_code == 1
    assert "Pain points!E2: severity must be an integer from 1 to 5, got 'high'" in res.output


# --- property: any valid workshop survives export → import --------------------------------

ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
TRICKY = st.sampled_from(["=1+1", "+", "-x", "@a", "\tt", "\rr", "'q", "_x0041_", " pad ",
                          "a\nb", "\x0b", "\ufffe", "0042", "1e3", "2026-01-02", "TRUE", ""])
TEXT = st.one_of(ANY_TEXT, TRICKY)
NAME = TEXT.filter(lambda s: s.strip() != "")
SLUGS = st.lists(st.from_regex(r"[a-z0-9][a-z0-9_-]{0,6}", fullmatch=True), min_size=1,
                 max_size=3, unique=True)
NUMBER = st.one_of(st.integers(0, 10 ** 6).map(float),
                   st.floats(0.001, 1e7, allow_nan=False, allow_infinity=False))


def cell(value: object) -> str:
    return "" if value is None else value if isinstance(value, str) else repr(value)


@st.composite
def workshops(draw: st.DrawFn) -> tuple[str, dict[str, tuple[list[str], list[list[str]]]]]:
    stages = draw(SLUGS)
    meta: dict = {"title": draw(NAME),
                  "stages": [{"id": s, "name": draw(NAME), **({"goal": draw(TEXT)}
                                                              if draw(st.booleans()) else {})}
                             for s in stages]}
    if draw(st.booleans()):
        meta.update(organisation=draw(TEXT), date=dt.date(2026, 11, 22),
                    facilitators=draw(st.lists(NAME, max_size=2)), dots_per_voter=3,
                    branding={"primary_color": "#336699"}, custom={"nested": [1, "x"]})
    personas = draw(SLUGS)
    tps = draw(SLUGS)
    tables: dict[str, tuple[list[str], list[list[str]]]] = {}
    tables["personas"] = (["id", "name", "weight", "notes"],
                          [[p, draw(NAME), cell(draw(st.one_of(st.none(), NUMBER.filter(bool)))),
                            draw(TEXT)] for p in personas])
    tables["touchpoints"] = (["id", "stage", "name", "channel"],
                             [[t, draw(st.sampled_from(stages)), draw(NAME), draw(TEXT)] for t in tps])
    steps = draw(st.lists(st.tuples(st.sampled_from(personas), st.sampled_from(tps)), max_size=4))
    tables["steps"] = (["persona", "touchpoint", "order", "action", "emotion", "feeling"],
                       [[p, t, cell(draw(st.one_of(st.none(), st.integers(-5, 10 ** 9)))),
                         draw(TEXT), cell(draw(st.one_of(st.none(), st.integers(1, 5)))),
                         draw(TEXT)] for p, t in steps])
    pains = draw(st.lists(st.from_regex(r"pp[a-z0-9]{0,4}", fullmatch=True), max_size=3,
                          unique=True))
    tables["pain_points"] = (["id", "persona", "touchpoint", "description", "severity",
                              "frequency", "evidence"],
                             [[i, draw(st.sampled_from(personas + ["*"])), draw(st.sampled_from(tps)),
                               draw(NAME), str(draw(st.integers(1, 5))), str(draw(st.integers(1, 5))),
                               draw(TEXT)] for i in pains])
    if draw(st.booleans()):
        tables["opportunities"] = (
            ["id", "title", "addresses", "reach", "impact", "confidence", "effort", "status"],
            [["op1", draw(NAME), ";".join(pains[:1]), cell(draw(NUMBER)),
              draw(st.sampled_from(["0.25", "0.5", "1", "2", "3", ""])),
              cell(draw(st.floats(0, 1, allow_nan=False))), cell(draw(NUMBER.filter(bool))),
              draw(st.sampled_from(["idea", "done", ""]))]])
    if pains and draw(st.booleans()):
        tables["votes"] = (["voter", "item", "votes", "at"],
                           [[draw(NAME), pains[0], "1", "2026-11-22T10:00:00+01:00"]])
    if draw(st.booleans()):
        tables["kpis"] = (["id", "metric", "stage", "baseline", "measured_at"],
                          [["k1", draw(NAME), stages[0], cell(draw(st.floats(-1e6, 1e6))),
                            "2026-10-31"]])
    return dump_meta(meta), tables


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(workshops())
def test_property_export_import_is_lossless(tmp_path_factory: pytest.TempPathFactory,
                                            data: tuple[str, dict]) -> None:
    yml, tables = data
    root = tmp_path_factory.mktemp("prop")
    src = root / "src"
    src.mkdir()
    (src / "workshop.yml").write_text(yml, encoding="utf-8")
    for name, (header, rows) in tables.items():
        (src / TABLES[name].file).write_bytes(csvio.write(header, rows))
    original = jt.load(src)
    book = export(original, "xlsx", root / "w.xlsx").path
    back = import_xlsx(book, root / "back")
    assert jt.load(back).equals(original)
    shutil.rmtree(root)


# --- file permissions ----------------------------------------------------------------------

@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield 0o640
    os.umask(old)


def test_workbook_gets_the_umask_permissions_like_other_exports(luggage: Path, tmp_path: Path,
                                                                 umask_027: int) -> None:
    book = export(luggage, "xlsx", tmp_path / "l.xlsx").path
    md = export(luggage, "markdown", tmp_path / "l.md").path
    assert stat.S_IMODE(book.stat().st_mode) == umask_027  # not 0600 from a temp file
    assert stat.S_IMODE(md.stat().st_mode) == umask_027
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    book.chmod(0o664)  # an existing workbook keeps the permissions it has
    export(luggage, "xlsx", book)
    assert stat.S_IMODE(book.stat().st_mode) == 0o664
    imported = import_xlsx(book, tmp_path / "back")
    assert {stat.S_IMODE(p.stat().st_mode) for p in imported.iterdir() if p.is_file()} == {umask_027}
