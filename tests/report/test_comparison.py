"""The current-vs-future section of a persona report (SPEC §9)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

import journeytools as jt
from journeytools.cli import app
from journeytools.report import sections as S
from journeytools.store.future import new_future
from journeytools.vocab import number

from helpers import write_workshop


def _future(tmp_path):
    write_workshop(tmp_path / "current")
    folder = new_future(tmp_path / "future", tmp_path / "current")
    ws = jt.load(folder)
    ws.pain_points = ws.pain_points[ws.pain_points["id"] != "no-same-day"].reset_index(drop=True)
    op = ws.opportunities
    op.loc[op["id"] == "express-slots", "status"] = "done"
    op.loc[op["id"] == "express-slots", "addresses"] = ""  # its pain point is gone
    ws.opportunities = op
    jt.save(ws)
    return folder


def test_a_future_state_report_compares_with_its_current_state(tmp_path):
    folder = _future(tmp_path)
    ctx = S.context(folder, "commuter", "2026-11-25")
    assert ctx.pair is not None
    page = BeautifulSoup(str(S.comparison(ctx)), "html.parser")
    assert page.find("h2").get_text(strip=True) == "Current and future state"
    assert page.find("img") is not None or page.find("svg") is not None  # both curves
    text = page.get_text(" ", strip=True)
    assert "No same-day slots shown removed" in text
    assert "Express repair slots ( done" in text.replace("(done", "( done")
    booking = [tr for tr in page.select("table tr") if tr.find("th") and tr.find("th").get_text() == "Booking"][0]
    now, then = (td.get_text() for td in booking.find_all("td")[:2])
    current = jt.scoring.stage_pain(jt.load(tmp_path / "current"), "commuter").set_index("id")["pain"]["booking"]
    assert now == number(current) and float(then.replace(",", "")) < current


def test_compare_option_and_plain_maps(tmp_path):
    folder = _future(tmp_path)
    plain = S.context(tmp_path / "current", "commuter", "2026-11-25")
    assert plain.pair is None and str(S.comparison(plain)) == ""
    asked = S.context(tmp_path / "current", "commuter", "2026-11-25", compare=str(folder))
    assert asked.pair is not None and asked.pair[1].state == "future"


@pytest.mark.slow
def test_report_compare_from_the_cli(tmp_path):
    future = _future(tmp_path)
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["report", str(tmp_path / "current"), "-o", str(out), "--persona",
                                   "commuter", "--compare", str(future), "--today", "2026-11-25"])
    assert res.exit_code == 0, res.output
    page = (out / "commuter.html").read_text(encoding="utf-8")
    assert "Current and future state" in page and "No same-day slots shown" in page
    # a current-state map is refused as the future to compare with, before any work
    bad = CliRunner().invoke(app, ["report", str(future), "-o", str(tmp_path / "o2"),
                                   "--compare", str(tmp_path / "current")])
    assert bad.exit_code == 1 and "current-state map" in bad.output and not (tmp_path / "o2").exists()
