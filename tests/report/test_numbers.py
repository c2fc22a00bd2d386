"""One number, one value (issue 16, SPEC §3 persona view): what a persona's report shows equals
its row of the index heatmap and ``score --persona ID --format json``, in the one number format."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

import journeytools as jt
from journeytools.cli import app
from journeytools.report.build import ReportOptions, build_reports
from journeytools.vocab import number

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def holiday(tmp_path_factory):
    """The holiday starter: weighted personas and pain points shared by all ('*')."""
    base = tmp_path_factory.mktemp("numbers")
    ws_dir = Path(shutil.copytree(ROOT / "templates" / "starters" / "holiday-booking", base / "ws"))
    (ws_dir / "votes.csv").write_text("voter,item,votes\nann,"
                                      + _shared_pain(ws_dir) + ",3\n", encoding="utf-8")
    out = base / "out"
    result = build_reports(ws_dir, out, ReportOptions(formats=("html",), jobs=2, today="2026-11-25"))
    assert not result.failures
    return ws_dir, out


def _shared_pain(ws_dir: Path) -> str:
    ws = jt.load(ws_dir)
    shared = ws.pain_points[ws.pain_points["persona"] == "*"]
    assert len(shared), "the starter needs a pain point shared by all personas for this test"
    return str(shared["id"].iloc[0])


def _json(ws_dir: Path, *args: str) -> dict:
    res = CliRunner().invoke(app, ["score", str(ws_dir), "--format", "json", *args])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def _table(soup: BeautifulSoup, caption_start: str) -> list[list[str]]:
    for table in soup.find_all("table"):
        cap = table.find("caption")
        if cap and cap.get_text(" ", strip=True).startswith(caption_start):
            return [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
                    for tr in table.find("tbody").find_all("tr")]
    raise AssertionError(f"no table captioned {caption_start!r}")


def test_persona_page_heatmap_row_and_json_agree(holiday):
    ws_dir, out = holiday
    ws = jt.load(ws_dir)
    whole = _json(ws_dir)
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    heat = {row[0]: row[1:] for row in _table(index, "Weighted pain by persona and stage")}
    checked_shared = False
    for pid, name in zip(ws.personas["id"], ws.personas["name"]):
        mine = _json(ws_dir, "--persona", pid)
        stages = [s["pain"] for s in mine["stages"]]
        # the persona's json, the map's json and the heatmap row: the same persona view
        assert stages == pytest.approx([s["pain"] for s in whole["persona_stages"][pid]], rel=1e-12)
        assert heat[name] == [number(v) for v in stages]
        # the persona page's ranked pain points show the json's weighted pain, in the same order
        page = BeautifulSoup((out / f"{pid}.html").read_text(encoding="utf-8"), "html.parser")
        shown = [t for t in page.select("table.jt-pains tbody tr")]
        for tr, p in zip(shown, mine["pain_points"]):
            cells = [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            assert p["description"] in cells[1]
            assert cells[4].startswith(number(p["weighted_pain"]) + " =")
            checked_shared |= p["persona"] == "*" and p["votes"] > 0
        # hottest stage: on the page and in the index, with its number
        hot = max(mine["stages"], key=lambda s: s["pain"])  # max keeps the first of ties
        label = _stage(ws, hot["id"])
        assert f"{label} (weighted pain {number(hot['pain'])})" in page.get_text(" ")
        assert f"{label} ({number(hot['pain'])})" in index.get_text(" ")
    assert checked_shared, "a voted '*' pain point should appear on a persona page"
    # every stage's persona views add up to the map's stage pain
    for k, stage in enumerate(whole["stages"]):
        total = sum(whole["persona_stages"][p][k]["pain"] for p in ws.personas["id"])
        assert total == pytest.approx(stage["pain"], rel=1e-9)


def _stage(ws: jt.Workshop, sid: str) -> str:
    return {s.id: s.name for s in ws.stages}[sid]


def test_index_top_pain_is_particular_to_each_persona(holiday):
    ws_dir, out = holiday
    ws = jt.load(ws_dir)
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = _table_rows_by_header(index, "Top pain point of their own")
    tops = [rows[name] for name in ws.personas["name"]]
    own = ws.pain_points[ws.pain_points["persona"] != "*"]
    for pid, name, top in zip(ws.personas["id"], ws.personas["name"], tops):
        theirs = own[own["persona"] == pid]
        if len(theirs):
            assert any(d in top for d in theirs["description"]), (name, top)
    assert len(set(tops)) == len(tops), "every persona's top pain reads the same"


def _table_rows_by_header(soup: BeautifulSoup, header: str) -> dict[str, str]:
    for table in soup.find_all("table"):
        heads = [th.get_text(" ", strip=True) for th in table.select("thead th")]
        if header in heads:
            col = heads.index(header)
            return {tr.find_all(["td", "th"])[0].get_text(" ", strip=True):
                    tr.find_all(["td", "th"])[col].get_text(" ", strip=True)
                    for tr in table.select("tbody tr")}
    raise AssertionError(f"no table with a {header!r} column")
