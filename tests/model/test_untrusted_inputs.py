"""Untrusted workshop files: YAML bombs and deep nesting, impossible dates, paths that leave the
folder, logos that are not images, and text a spreadsheet would run as a formula."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
import yaml

import journeytools as jt
from journeytools.errors import UsageError
from journeytools.model.checks import check_files
from journeytools.model.meta import (
    MAX_YAML_BYTES,
    MAX_YAML_DEPTH,
    dump_meta,
    load_meta,
    parse_yaml,
    safe_yaml,
)
from journeytools.model.paths import (
    UnsafePath,
    contained_file,
    image_type,
    read_contained,
    read_image,
    shape_problem,
    svg_problem,
    workshop_reference,
)
from journeytools.model.schema import formula_lead
from journeytools.store.append import add_opportunity, add_pain_point, add_vote
from journeytools.views.score import csv_safe, render

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
       b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\r\xefF\xb8\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")
META = "title: T\nstages: [a]\n"


# -- YAML ------------------------------------------------------------------------------------

def only(problems: list) -> str:
    assert len(problems) == 1, problems
    return str(problems[0])


@pytest.mark.parametrize("text, line, words", [
    ("a: &x 1\nb: *x\n", 1, "anchors (&name) are not allowed"),
    ("a: 1\nb: *x\n", 2, "aliases (*name) are not allowed"),  # even without its anchor
    ("a: 1\nb: [1, &y {c: 2}]\n", 2, "anchors"),
    ("a:\n  - !!binary aGk=\n  - &z x\n", 3, "anchors"),
    ("a: [" + "[" * 30 + "]" * 31 + "\n", 1, "nested more than 20 levels"),
    ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 30)), MAX_YAML_DEPTH + 1, "nested"),
    ("a: 1\n---\nb: 2\n", 2, "another document"),
    ("a: [1, 2\nb: 3\n", 2, "not valid YAML"),
    ("? [1, 2]\n: x\n", 1, "unhashable"),
])
def test_refused_yaml_names_the_line(text: str, line: int, words: str) -> None:
    data, lines, problems = parse_yaml(text, "m.yml")
    assert data is None and lines == {}
    assert only(problems).startswith(f"m.yml:{line}: ") and words in only(problems)


def test_nesting_up_to_the_limit_is_fine() -> None:
    text = "a: " + "[" * (MAX_YAML_DEPTH - 1) + "1" + "]" * (MAX_YAML_DEPTH - 1) + "\n"
    data, problems = safe_yaml(text, "m.yml")
    assert not problems and isinstance(data["a"], list)


@pytest.mark.parametrize("text", [
    "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi")),
    "a: " + "[" * 5000,
    "a: " + "{x: " * 5000,
    "a:\n" + "".join(" " * i + "- \n" for i in range(1, 3000)),
])
def test_bombs_are_refused_at_once(text: str) -> None:
    start = time.perf_counter()
    data, problems = safe_yaml(text, "workshop.yml")
    assert time.perf_counter() - start < 0.5
    assert data is None and only(problems).startswith("workshop.yml:")


def test_too_large_yaml_names_the_line_where_the_limit_is_reached() -> None:
    text = "a: 1\n" + "# padding padding padding\n" * (MAX_YAML_BYTES // 26 + 10)
    data, _, problems = parse_yaml(text, "workshop.yml")
    line = len(text.encode()[:MAX_YAML_BYTES].decode().split("\n"))
    assert data is None and only(problems) == (
        f"workshop.yml:{line}: the file is larger than 1 MB (the limit is reached on this line); "
        "is it the right file?")


def test_values_that_only_look_like_dates_or_numbers_stay_text() -> None:
    data, problems = safe_yaml("a: 2026-13-45\nb: 0000-01-01\nc: " + "9" * 5000 + "\nd: 2026-11-22\n",
                               "m.yml")
    assert not problems
    assert data["a"] == "2026-13-45" and data["b"] == "0000-01-01" and data["c"] == "9" * 5000
    assert str(data["d"]) == "2026-11-22"


@pytest.mark.parametrize("key", ["date", "reviewed"])
def test_impossible_dates_name_file_line_and_value(key: str) -> None:
    _, problems = load_meta(f"title: T\n{key}: 2026-13-45\nstages: [a]\n")
    assert only(problems) == (f"workshop.yml:2: {key}: expected an ISO date YYYY-MM-DD (such as "
                              "2026-11-22), got '2026-13-45'")
    _, problems = load_meta(f"title: T\n{key}: 2026-02-29\nstages: [a]\n")  # not a leap year
    assert "got '2026-02-29'" in only(problems)


def test_dumped_metadata_has_no_aliases_even_for_shared_values() -> None:
    shared = ["Ana", "Jonas"]
    meta = {"title": "T", "stages": [{"id": "a"}], "facilitators": shared, "hosts": shared}
    text = dump_meta(meta)
    assert "&" not in text and "*" not in text
    again, problems = load_meta(text)
    assert not problems and again is not None and again["hosts"] == shared


# -- paths -------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, words", [
    ("/etc/passwd", "not an absolute path"),
    ("../../secret.txt", "'..'"),
    ("img/../../x.png", "'..'"),
    ("..\\x.png", "'..'"),
    ("~/logo.png", "absolute"),
    ("C:\\logo.png", "absolute"),
    ("\\\\server\\share\\logo.png", "absolute"),
    ("https://evil.example/logo.png", "not a URL"),
    ("file:///etc/passwd", "not a URL"),
    ("logo\x00.png", "NUL"),
    ("  ", "expected the logo's path"),
    (42, "expected the logo's path"),
])
def test_logo_shape_is_a_problem_at_its_line(value: object, words: str) -> None:
    assert words in (shape_problem(value, "logo") or "")
    text = META + "branding:\n  company: X\n  logo: " + yaml.safe_dump(value).split("\n")[0] + "\n"
    _, problems = load_meta(text)
    assert only(problems).startswith("workshop.yml:5: branding.logo: ") and words in only(problems)


@pytest.mark.parametrize("value", ["logo.png", "brand/logo.png", "./logo.png", "a..b.png", ""])
def test_ordinary_logo_paths_pass(value: str) -> None:
    _, problems = load_meta(META + f"branding: {{logo: '{value}'}}\n")
    assert problems == []


def test_based_on_may_leave_the_folder_but_must_be_relative() -> None:
    assert load_meta(META + "based_on: ../luggage-store-current\n")[1] == []
    problem = only(load_meta(META + "based_on: /srv/other-client\n")[1])
    assert problem.startswith("workshop.yml:3: based_on: ") and "'../luggage-store-current'" in problem


@pytest.fixture
def ws_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "client"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "logo.png").write_bytes(PNG)
    (tmp_path / "secret.png").write_bytes(PNG)
    return folder


def test_contained_file_follows_links_only_inside(ws_folder: Path, tmp_path: Path) -> None:
    assert contained_file(ws_folder, "img/logo.png", kind="logo") == (ws_folder / "img" / "logo.png").resolve()
    (ws_folder / "inside.png").symlink_to(ws_folder / "img" / "logo.png")
    assert contained_file(ws_folder, "inside.png").name == "logo.png"
    (ws_folder / "outside.png").symlink_to(tmp_path / "secret.png")
    (ws_folder / "dangling.png").symlink_to(tmp_path / "nothing-here.png")
    (ws_folder / "linked").symlink_to(tmp_path)  # a linked folder leaving the workshop
    for name in ("outside.png", "dangling.png", "linked/secret.png"):
        with pytest.raises(UnsafePath, match="leads outside"):
            contained_file(ws_folder, name, kind="logo")
    (ws_folder / "loop.png").symlink_to(ws_folder / "loop.png")
    with pytest.raises(UnsafePath):
        contained_file(ws_folder, "loop.png")


def test_contained_file_refuses_folders_pipes_and_large_files(ws_folder: Path) -> None:
    with pytest.raises(UnsafePath, match="is a folder"):
        contained_file(ws_folder, "img")
    os.mkfifo(ws_folder / "pipe.png")
    result: list[BaseException] = []

    def read() -> None:
        try:
            read_contained(ws_folder, "pipe.png", kind="logo", max_bytes=100)
        except BaseException as exc:
            result.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert isinstance(result[0], UnsafePath) and "not a regular file" in str(result[0])
    with pytest.raises(UnsafePath, match="the limit is 10 bytes"):
        contained_file(ws_folder, "img/logo.png", max_bytes=10)
    with pytest.raises(UnsafePath, match="not found") as missing:
        contained_file(ws_folder, "nope.png")
    assert missing.value.missing
    with pytest.raises(UsageError):  # what the command line reports as an error, not a bug
        contained_file(ws_folder, "/etc/passwd")


def test_paths_relative_to_another_file_stay_inside_the_folder(ws_folder: Path) -> None:
    (ws_folder / "evidence").mkdir()
    (ws_folder / "evidence" / "events.csv").write_text("user_id,event,timestamp\n")
    base = ws_folder / "evidence"
    assert contained_file(ws_folder, "events.csv", base=base, kind="event log").name == "events.csv"
    with pytest.raises(UnsafePath, match="'..'"):
        contained_file(ws_folder, "../img/logo.png", base=base, kind="event log")
    assert contained_file(ws_folder, "../secret.png", allow_outside=True).name == "secret.png"


def test_workshop_reference(tmp_path: Path) -> None:
    current = jt.save(jt.load(Path(__file__).parents[2] / "workshops" / "luggage-store"),
                      tmp_path / "current")
    future = tmp_path / "future"
    future.mkdir()
    (tmp_path / "plain").mkdir()
    assert workshop_reference(future, "../current") == current.resolve()
    with pytest.raises(UnsafePath, match="not a workshop folder"):
        workshop_reference(future, "../plain")
    with pytest.raises(UnsafePath, match="not found") as missing:
        workshop_reference(future, "../gone")
    assert missing.value.missing
    with pytest.raises(UnsafePath, match="absolute"):
        workshop_reference(future, str(current))


SAFE_SVG = (b'<?xml version="1.0"?>\n<!-- logo -->\n<svg xmlns="http://www.w3.org/2000/svg" '
            b'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"><defs><linearGradient '
            b'id="g"/></defs><rect fill="url(#g)" width="10" height="10"/><use href="#g"/>'
            b'<text font-family="Montserrat">Luggage on time</text></svg>')


@pytest.mark.parametrize("data, mime", [
    (PNG, "image/png"), (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"), (b"GIF89a\x01\x00", "image/gif"),
    (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "image/webp"), (SAFE_SVG, "image/svg+xml"),
    (b"root:x:0:0:root:/root:/bin/bash\n", None), (b"%PDF-1.7", None), (b"<html><svg>", None), (b"", None),
])
def test_image_type_by_content(data: bytes, mime: str | None) -> None:
    assert image_type(data) == mime


@pytest.mark.parametrize("svg, words", [
    (b"<svg><script>alert(1)</script></svg>", "scripts"),
    (b"<svg:svg xmlns:svg='x'><svg:script>alert(1)</svg:script></svg:svg>", "scripts"),
    (b'<svg onload="alert(1)"/>', "event handler"),
    (b'<svg><a href="javascript:alert(1)"><rect/></a></svg>', "script links"),
    (b'<svg><image href="file:///etc/passwd"/></svg>', "links to other files"),
    (b'<svg><image xlink:href="https://evil.example/t.png"/></svg>', "links to other files"),
    (b'<svg><rect style="fill:url(https://evil.example/x)"/></svg>', "references to other files"),
    (b"<svg><style>@import 'https://evil.example/a.css';</style></svg>", "style sheets"),
    (b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>', "DOCTYPE"),
    (b"<svg><foreignObject><body/></foreignObject></svg>", "embedded documents"),
])
def test_svg_with_active_content_is_refused(svg: bytes, words: str) -> None:
    assert words in (svg_problem(svg) or "")


def test_read_image(ws_folder: Path) -> None:
    assert read_image(ws_folder, "img/logo.png") == ("image/png", PNG)
    (ws_folder / "logo.svg").write_bytes(SAFE_SVG)
    assert read_image(ws_folder, "logo.svg")[0] == "image/svg+xml"
    (ws_folder / "evil.svg").write_bytes(b"<svg onload='alert(1)'/>")
    (ws_folder / "text.png").write_bytes(b"just text")
    with pytest.raises(UnsafePath, match="event handler"):
        read_image(ws_folder, "evil.svg")
    with pytest.raises(UnsafePath, match="not an image"):
        read_image(ws_folder, "text.png")


def test_check_files_reports_at_the_logo_line(ws_folder: Path) -> None:
    (ws_folder / "text.png").write_bytes(b"just text")
    (ws_folder.parent / "plain-folder").mkdir(exist_ok=True)
    text = META + "branding:\n  company: X\n  logo: text.png\nbased_on: ../plain-folder\n"
    (ws_folder / "workshop.yml").write_text(text)
    meta, problems = load_meta(text)
    assert meta is not None and not problems
    found = [str(p) for p in check_files(ws_folder, meta)]
    assert found == ["workshop.yml:5: branding.logo: the logo is not an image: its content is none "
                     "of PNG, JPEG, GIF, WebP, SVG (the type is read from the file, not from its name)",
                     "workshop.yml:6: based_on: not a workshop folder (it has no workshop.yml)"]
    meta["based_on"] = "../nowhere"  # missing: a warning of validate (the map stands alone)
    assert len(check_files(ws_folder, meta)) == 1
    meta["branding"]["logo"] = "missing.png"  # missing: a warning of validate, not this
    meta.pop("based_on")
    assert check_files(ws_folder, meta) == []


# -- formulas ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, lead", [
    ("=1+1", "="), ("+1 2", "+"), ("@SUM(A1)", "@"), ("\t=1", "\t"), ("\r=1", "\r"),
    ("-2+3+cmd|' /C calc'!A0", "-"), ("- slow checkout", "-"), ("-", "-"),
    ("-3", None), ("+1.5", None), ("-20%", None), ("-3,5", None), ("-1e3", None),
    ("Slow -", None), (" =1", None), ("", None), (None, None), (3, None),
])
def test_formula_lead(text: object, lead: str | None) -> None:
    assert formula_lead(text) == lead


LUGGAGE = Path(__file__).parents[2] / "workshops" / "luggage-store"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return jt.save(jt.load(LUGGAGE), tmp_path / "ws")


def test_validate_warns_about_formula_cells_with_file_line_column(folder: Path) -> None:
    ws = jt.load(folder)
    pains = ws.pain_points.copy()
    pains.loc[0, "description"] = "=HYPERLINK(\"http://evil.example\")"
    pains.loc[1, "description"] = "-20% conversion on mobile"
    pains.loc[2, "description"] = "-3"  # a number in a text column: fine
    pains["notes"] = ""
    pains.loc[3, "notes"] = "@SUM(A1)"  # an extra column is text too
    ws.pain_points = pains
    kpis = ws.kpis.copy()
    kpis.loc[0, "baseline"] = -5.0  # numbers are numbers
    ws.kpis = kpis
    jt.save(ws)
    warned = [str(w) for w in jt.validate(folder).warnings if "formula" in w.message]
    assert warned == [
        "pain_points.csv:2: description: cell starts with '=': a spreadsheet would run it as a "
        "formula; start it with a word if it is meant as text",
        "pain_points.csv:3: description: cell starts with '-': a spreadsheet would run it as a "
        "formula; start it with a word if it is meant as text",
        "pain_points.csv:5: notes: cell starts with '@': a spreadsheet would run it as a formula; "
        "start it with a word if it is meant as text"]


@pytest.mark.parametrize("call, words", [
    (lambda f: add_pain_point(f, "*", "cart", "=HYPERLINK(\"x\")", 3, 3), "the description cannot start with '='"),
    (lambda f: add_pain_point(f, "*", "cart", "Slow cart", 3, 3, evidence="+1 555"), "the evidence cannot"),
    (lambda f: add_opportunity(f, "@SUM(A1)"), "the title cannot start with '@'"),
    (lambda f: add_opportunity(f, "Chat", description="\t=1"), "the details cannot start with '\\t'"),
    (lambda f: add_opportunity(f, "Chat", id="=x"), "not a slug"),
    (lambda f: add_vote(f, "-Lena", "cart-error"), "a name cannot start with '-'"),
])
def test_appends_refuse_formula_text_and_write_nothing(folder: Path, call, words: str) -> None:
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    with pytest.raises(UsageError, match="a spreadsheet would run it as a formula|not a slug") as exc:
        call(folder)
    assert words in str(exc.value)
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


def test_appends_keep_numbers_and_ordinary_text(folder: Path) -> None:
    pid = add_pain_point(folder, "*", "cart", "-20", 3, 3)
    assert jt.load(folder).pain_points.set_index("id").loc[pid, "description"] == "-20"


class _Doc:
    def __init__(self, doc: dict) -> None:
        self.doc = doc

    def to_dict(self, top: int | None = None) -> dict:
        return self.doc


def test_score_csv_is_formula_safe() -> None:
    doc = {"pain_points": [{"id": "p", "persona": "*", "touchpoint": "t", "stage": "s",
                            "pain_score": 9, "weighted_pain": -1.5, "votes": 0, "source": "@x", "rank": 1}],
           "stages": [], "opportunities": [], "unscored": [{"id": "o", "missing": ["=1", "reach"]}],
           "gaps": [{"kind": "-k", "id": "g", "message": "=HYPERLINK(\"x\")"}]}
    out = render(_Doc(doc), "csv")  # type: ignore[arg-type]
    assert "'@x" in out and "'=1;reach" in out and "'-k" in out and "'=HYPERLINK" in out
    assert ",-1.5," in out  # numbers stay numbers
    assert csv_safe("\rx") == "'\rx" and csv_safe(-3) == -3 and csv_safe("plain") == "plain"
