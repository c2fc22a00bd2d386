"""Report sections and the index escape user text by default (jinja2 autoescape).

Markup-shaped names, descriptions and titles go through every section and the index page: the
markup never reaches the HTML as tags, and the escaped text is shown instead.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from markupsafe import escape

import journeytools as jt
from journeytools.report import index
from journeytools.report import sections as S
from journeytools.report.html import badge, heading, para, table

from helpers import WORKSHOP_YML, XSS_PAYLOADS, write_workshop
from helpers import assert_escaped as assert_escaped_in

PAYLOADS = XSS_PAYLOADS
SECTIONS = [S.header, S.persona_card, S.journey_map, S.emotions, S.pain_points, S.opportunities,
            S.evidence, S.gaps]


def assert_escaped(html: str, payload: str) -> None:
    assert_escaped_in(html, payload, images=True)


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(rows)


def hostile_workshop(folder: Path, payload: str) -> Path:
    """The bike-shop workshop with ``payload`` as title, a stage, persona, touchpoint, pain
    point and opportunity name, a KPI and a stored funnel with a possible pain point."""
    quoted = json.dumps(payload)  # a valid YAML scalar
    meta = WORKSHOP_YML.replace("title: Bike shop — repair booking journey", f"title: {quoted}") \
        .replace("{id: booking, name: Booking}", f"{{id: booking, name: {quoted}}}")
    write_workshop(folder, workshop=meta)
    ws = jt.load(folder)
    ws.personas.loc[ws.personas["id"] == "commuter", ["name", "quote", "goals"]] = payload
    ws.touchpoints.loc[ws.touchpoints["id"] == "booking-form", "name"] = payload
    ws.pain_points.loc[:, "description"] = payload
    ws.opportunities.loc[:, "title"] = payload
    ws.opportunities.loc[ws.opportunities["id"] == "callback", "effort"] = None  # unscored
    jt.save(ws)
    _write_csv(folder / "kpis.csv", [{"id": "booked-online", "metric": payload, "stage": "",
                                      "touchpoint": "booking-form", "unit": "%", "baseline": "40",
                                      "target": "60", "current": "45", "measured_at": "2026-11-20",
                                      "source": payload}])
    (folder / "evidence").mkdir()
    _write_csv(folder / "evidence" / "funnel.csv", [
        {"touchpoint": "flat-tyre", "segment": "", "step": "1", "users": "200", "conversion": "",
         "drop_off": ""},
        {"touchpoint": "booking-form", "segment": "", "step": "2", "users": "120",
         "conversion": "0.6", "drop_off": "80"}])
    (folder / "evidence" / "summary.yml").write_text(
        f"source: {{file: {quoted}}}\n"
        f"possible_pain_points:\n- {{touchpoint: booking-form, evidence: {quoted}}}\n", encoding="utf-8")
    return folder


@pytest.fixture(params=PAYLOADS, ids=["script", "attribute"])
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    return hostile_workshop(tmp_path / "ws", request.param), request.param


@pytest.mark.parametrize("section", SECTIONS, ids=lambda f: f.__name__)
def test_every_section_escapes(hostile: tuple[Path, str], section) -> None:
    folder, payload = hostile
    for today in ("2026-11-25", "2030-01-01"):  # fresh and stale
        html = section(S.context(folder, "commuter", today)).html
        assert_escaped(html, payload)


def test_hostile_workshop_reaches_every_part(hostile: tuple[Path, str]) -> None:
    """The fixture really puts the payload where the sections show it."""
    folder, payload = hostile
    ctx = S.context(folder, "commuter", "2026-11-25")
    text = str(escape(payload))
    assert text in S.journey_map(ctx).html.split("<table", 1)[1]  # stage, touchpoint, pain, idea
    assert "Possible pain point at " + text in S.evidence(ctx).html
    assert "Not yet scored" in S.opportunities(ctx).html
    assert f"“{text}”" in S.persona_card(ctx).html  # the quote
    assert f'aria-label="Journey map of {text} across 3 stages"' in S.journey_map(ctx).html  # inline SVG


def test_index_escapes(hostile: tuple[Path, str], tmp_path: Path) -> None:
    from journeytools.report.render import branding

    folder, payload = hostile
    ws = jt.load(folder)
    out = tmp_path / "out"
    personas = [
        SimpleNamespace(id="commuter", name=ws.persona_name("commuter"), ok=True,
                        html=out / "commuter.html", pdf=None, notebook=out / "notebooks" / "commuter.ipynb",
                        error=""),
        SimpleNamespace(id="racer", name="Ravi", ok=False, html=None, pdf=None,
                        notebook=out / "notebooks" / "racer.ipynb", error=f"cell 3 failed: {payload}"),
    ]
    html = index.render(ws, personas, out, branding(ws), "2030-01-01")
    assert_escaped(html, payload)
    assert html.count(str(escape(payload))) >= 5  # title, persona, top pain, error, opportunities


def test_index_links_the_reports_each_persona_has(bike: Path, tmp_path: Path) -> None:
    from journeytools.report.render import branding

    ws = jt.load(bike)
    out = tmp_path / "out"

    def result(pid: str, html: bool, pdf: bool) -> SimpleNamespace:
        return SimpleNamespace(id=pid, name=ws.persona_name(pid), ok=True, error="",
                               html=out / f"{pid}.html" if html else None,
                               pdf=out / f"{pid}.pdf" if pdf else None,
                               notebook=out / "notebooks" / f"{pid}.ipynb")

    pdf_only = index.render(ws, [result("commuter", False, True), result("racer", False, True)],
                            out, branding(ws), "2026-11-25")
    assert 'href=""' not in pdf_only and ">HTML<" not in pdf_only
    assert '<a href="commuter.pdf">PDF</a>' in pdf_only and '<a href="racer.pdf">PDF</a>' in pdf_only
    both = index.render(ws, [result("commuter", True, True), result("racer", True, False)],
                        out, branding(ws), "2026-11-25")
    assert '<a href="commuter.html">HTML</a> · <a href="commuter.pdf">PDF</a>' in both
    assert '<a href="racer.html">HTML</a></td>' in both and "racer.pdf" not in both


@pytest.fixture
def bike(tmp_path: Path) -> Path:
    return write_workshop(tmp_path / "bike")


def test_builders_escape_text_but_not_markup() -> None:
    payload = PAYLOADS[1]
    for html in (para(payload), para(payload, "jt-empty"), heading(payload, "x"), badge(payload, "y"),
                 table([payload], [[payload]])):
        assert_escaped(html, payload)
    assert str(table(["Badge"], [[badge("ok", "evidence")]])).count('<span class="jt-badge') == 1
    assert f'<p class="{escape(payload)}">' in para("x", payload)  # attributes too
