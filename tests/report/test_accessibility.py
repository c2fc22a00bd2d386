"""Accessible reports (issue 16 §4): axe-core in Debian's Chromium finds no WCAG 2.2 AA
violations, pages fit a 390 px phone, and every chart's numbers are there as text.

The worked example and two copies of it with extreme brand colours (a light amber that white
text cannot sit on, and near-black) are each built once for the module: HTML only, one
persona. axe-core is the npm package of package.json (``npm ci``); no browser is downloaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import journeytools as jt
from journeytools.charts import pain_heatmap
from journeytools.report.build import ReportOptions, build_reports
from journeytools.report.sections import chart, values_text
from journeytools.vocab import number

from helpers import XSS_PAYLOADS, assert_escaped, start_tags

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TODAY = "2026-11-25"
WCAG = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
BEST_PRACTICE = ["region", "empty-table-header"]  # best-practice rules the reports keep too
BRANDS = {"example": None, "light": "#FFC107", "dark": "#0A0A0A"}
PAGES = ("index", "persona")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

slow = pytest.mark.slow  # the browser tests: each brand's report is built once for them


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """brand → (workshop folder, report folder): the luggage store with its own colour and
    with a light and a very dark one, each report built once (HTML, its first persona)."""
    import shutil

    built = {}
    for brand, color in BRANDS.items():
        base = tmp_path_factory.mktemp(brand)
        ws_dir = Path(shutil.copytree(ROOT / "workshops" / "luggage-store", base / "luggage-store"))
        if color:
            yml = ws_dir / "workshop.yml"
            text, n = re.subn(r'primary_color:\s*"#[0-9A-Fa-f]{6}"', f'primary_color: "{color}"',
                              yml.read_text(encoding="utf-8"))
            assert n == 1, "the example's workshop.yml names one primary_color"
            yml.write_text(text, encoding="utf-8")
        persona = str(jt.load(ws_dir).personas["id"].iloc[0])
        result = build_reports(ws_dir, base / "out", ReportOptions(
            formats=("html",), personas=(persona,), jobs=1, today=TODAY))
        assert not result.failures, result.failures
        built[brand] = (ws_dir, base / "out")
    return built


def page_path(out: Path, page: str) -> Path:
    if page == "index":
        return out / "index.html"
    return next(p for p in sorted(out.glob("*.html")) if p.name != "index.html")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium); "
                    "no browser is downloaded")
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run 'npm ci' at the repository root "
                    "(node_modules/axe-core is absent)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser: Any, path: Path, viewport: dict[str, int]) -> Any:
    """The page loaded from disk with every folded part (<details>) open, so that what a
    reader can unfold is checked too; nothing may be fetched from the network."""
    page = browser.new_page(viewport=viewport)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url)
            if not r.url.startswith(("file:", "data:")) else None)
    page.goto(path.as_uri())
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    assert not requested, f"the report fetched {requested}"
    return page


def axe(page: Any, run_only: dict[str, Any]) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (runOnly) => await axe.run(document, {runOnly})", run_only)
    return list(result["violations"])


def readable(violations: list[dict[str, Any]]) -> str:
    """axe's findings as a person reads them: rule, impact, what to do, where."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:8]:
            summary = " ".join(str(node.get("failureSummary") or "").split())
            lines.append(f"    at {' > '.join(map(str, node['target']))}: {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    … and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


# colours do not change with the width: the brands are checked on a desktop, the layout on a phone
AXE_RUNS = [(brand, DESKTOP) for brand in BRANDS] + [("example", PHONE)]


@slow
@pytest.mark.parametrize("page_name", PAGES)
@pytest.mark.parametrize(("brand", "viewport"), AXE_RUNS,
                         ids=[f"{b}-{'phone' if v is PHONE else 'desktop'}" for b, v in AXE_RUNS])
def test_axe_finds_no_violations(reports: dict[str, tuple[Path, Path]], browser: Any, brand: str,
                                 page_name: str, viewport: dict[str, int]) -> None:
    page = open_page(browser, page_path(reports[brand][1], page_name), viewport)
    try:
        found = axe(page, {"type": "tag", "values": WCAG})
        found += axe(page, {"type": "rule", "values": BEST_PRACTICE})
    finally:
        page.close()
    assert not found, f"axe-core on the {page_name} page, {brand} brand:\n{readable(found)}"


@slow
@pytest.mark.parametrize("page_name", PAGES)
@pytest.mark.parametrize("brand", BRANDS)
def test_pages_fit_a_phone_without_scrolling_sideways(reports: dict[str, tuple[Path, Path]],
                                                     browser: Any, brand: str, page_name: str) -> None:
    page = open_page(browser, page_path(reports[brand][1], page_name), PHONE)
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        # what is wider than the screen scrolls inside its own named, focusable box
        boxes = page.evaluate("""() => [...document.querySelectorAll('table')]
            .filter(t => t.getBoundingClientRect().width > window.innerWidth)
            .map(t => { const box = t.closest('.jt-scroll');
                        return box ? [box.getAttribute('role'), box.getAttribute('tabindex'),
                                      !!box.getAttribute('aria-label'),
                                      getComputedStyle(box).overflowX] : null; })""")
        stacked = page.evaluate("""() => [...document.querySelectorAll('.jt-card dl')]
            .map(dl => getComputedStyle(dl).gridTemplateColumns.split(' ').length)""")
    finally:
        page.close()
    assert width <= PHONE["width"], f"the {page_name} page is {width} px wide on a 390 px phone"
    assert all(b == ["region", "0", True, "auto"] for b in boxes), boxes
    assert all(n == 1 for n in stacked), "the persona card's labels stack above their values"


@slow
def test_light_brand_keeps_its_colour_where_it_reads(reports: dict[str, tuple[Path, Path]],
                                                     browser: Any) -> None:
    """Amber stays the header colour (with dark text on it); text in the brand colour is a
    darker amber; the brand colour is not replaced where it is only decoration."""
    page = open_page(browser, reports["light"][1] / "index.html", DESKTOP)
    try:
        header = page.evaluate("""() => { const s = getComputedStyle(document.querySelector('thead th'));
                                          return [s.backgroundColor, s.color]; }""")
        company = page.evaluate("getComputedStyle(document.querySelector('.jt-company')).color")
    finally:
        page.close()
    assert header == ["rgb(255, 193, 7)", "rgb(17, 17, 17)"]
    red, green, blue = map(int, re.findall(r"\d+", company))
    assert (red, green, blue) != (255, 193, 7) and red > green > blue  # darker, still amber


@slow
def test_index_heatmap_alt_text_and_data_table_name_every_cell(
        reports: dict[str, tuple[Path, Path]]) -> None:
    ws_dir, out = reports["example"]
    ws = jt.load(ws_dir)
    html = unescape((out / "index.html").read_text(encoding="utf-8"))
    shown = pain_heatmap(ws)._jt_shown  # type: ignore[attr-defined]  # the drawn matrix
    alt = next(a for a in re.findall(r'<img [^>]*alt="([^"]*)"', html) if "Heatmap" in a)
    table = html.split('<details class="jt-data">', 1)[1].split("</details>", 1)[0]
    for pid, row in shown.iterrows():
        cells = ", ".join(f"{s.name} {number(row[s.id])}" for s in ws.stages)
        assert f"{ws.persona_name(pid)}: {cells}" in alt
        cells_html = "".join(f"<td>{number(row[s.id])}</td>" for s in ws.stages)
        assert f'<th scope="row">{ws.persona_name(pid)}</th>{cells_html}' in table


@slow
def test_every_chart_image_has_its_data_as_a_table(reports: dict[str, tuple[Path, Path]]) -> None:
    _, out = reports["example"]
    for page in PAGES:
        html = page_path(out, page).read_text(encoding="utf-8")
        figures = re.findall(r'<figure class="jt-figure[^"]*"><img .*?</figure>(.{0,80})', html, re.S)
        assert figures, page
        for after in figures:
            assert after.lstrip().startswith('<details class="jt-data"><summary>Data of this chart'), after


@slow
def test_worked_example_shows_its_logo(reports: dict[str, tuple[Path, Path]]) -> None:
    _, out = reports["example"]
    for page in PAGES:
        logos = [a for tag, a in start_tags(page_path(out, page).read_text(encoding="utf-8"))
                 if tag == "img" and a.get("class") == "jt-logo"]
        assert len(logos) == 1, page
        assert (logos[0]["src"] or "").startswith("data:image/png;base64,")
        assert logos[0]["alt"] == "Example Luggage Co logo"


# -- without a browser ----------------------------------------------------------------------

def test_values_text_names_values_up_to_a_limit_then_points_to_the_table() -> None:
    data = pd.DataFrame({"Persona": ["Mia", "Andy"], "Awareness": [6.0, 4.25],
                         "Purchase": [45.0, float("nan")]})
    assert values_text(data) == "Values: Mia: Awareness 6, Purchase 45; Andy: Awareness 4.2, Purchase –."
    assert values_text(data, limit=3) == ("Values: Mia: Awareness 6, Purchase 45; "
                                          "and more in the data table under the chart.")


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_chart_data_table_and_alt_escape_user_text(luggage: Path, payload: str) -> None:
    fig = pain_heatmap(jt.load(luggage))
    data = pd.DataFrame({"Persona": [payload], f"Stage {payload}": [1234.5]})
    html = str(chart(fig, alt=f"Alt {payload}", data=data, caption=f"Caption {payload}"))
    assert_escaped(html, payload, images=True)
    tags = start_tags(html)
    (img,) = [a for t, a in tags if t == "img"]
    assert img["alt"] == f"Alt {payload} Values: {payload}: Stage {payload} 1,234.5."
    assert [t for t, _ in tags if t in ("details", "summary", "caption", "th", "td")] == \
        ["details", "summary", "caption", "th", "th", "th", "td"]
    region = next(a for t, a in tags if a.get("role") == "region")
    assert region["aria-label"] == f"Caption {payload}" and region["tabindex"] == "0"
