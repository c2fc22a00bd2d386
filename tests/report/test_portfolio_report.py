"""The portfolio report (SPEC §10): the overview and every journey's own reports, linked, with
the overview's numbers equal to the journeys' own."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from journeytools import scoring
from journeytools.report.build import ReportOptions
from journeytools.report.portfolio import build_portfolio
from journeytools.store.portfolio import load_portfolio
from journeytools.vocab import number

from helpers import write_portfolio

pytestmark = pytest.mark.slow


def test_portfolio_report_links_journeys_and_matches_their_numbers(tmp_path):
    root = write_portfolio(tmp_path / "pf")
    out = tmp_path / "out"
    result = build_portfolio(root, out, ReportOptions(formats=("html",), jobs=2, today="2026-11-25"))
    assert not result.failures
    page = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in page.select("table a")}
    assert links == {"repairs/index.html", "returns/index.html"}
    pf = load_portfolio(root)
    for name, ws in pf.journeys.items():
        assert (out / name / "index.html").is_file()
        for pid in ws.personas["id"]:
            assert (out / name / f"{pid}.html").is_file()
    # the persona × journey matrix shows each persona's view summed over the journey's stages
    table = page.find(id="personas").find_next("table")
    rows = {tr.find("th").get_text(strip=True): [td.get_text(strip=True) for td in tr.find_all("td")]
            for tr in table.select("tbody tr")}
    ws = pf.journeys["returns"]
    expected = number(scoring.stage_pain(ws, "commuter")["pain"].sum())
    assert rows["Carla the commuter"][1] == expected
