"""Reports of big maps draw a capped amount and count the rest; every number shown stays exact.

The workshop is the luggage-store example with 2,400 more pain points (~2,000 in Mia's report),
40 more personas and 300 more opportunities.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import journeytools as jt
from journeytools import scoring
from journeytools.charts import journey_map, pain_heatmap, priority_matrix
from journeytools.charts.heatmaps import OTHERS, pain_matrix
from journeytools.charts.journey_map import MAX_CARDS
from journeytools.charts.priority import MAX_LABELS, MAX_POINTS
from journeytools.report import sections as S
from journeytools.report.sections import CELL_ITEMS, TOP_ROWS

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-25"
BULK = 2400


def big_workshop(dst: Path) -> Path:
    shutil.copytree(ROOT / "workshops" / "luggage-store", dst)
    ws = jt.load(dst)
    tps = list(ws.touchpoints["id"])
    extra = pd.DataFrame({"id": [f"p{i:02d}" for i in range(40)], "name": [f"Extra {i}" for i in range(40)]})
    ws.personas = pd.concat([ws.personas, extra], ignore_index=True)
    others = ["*", "andy"] + [f"p{i:02d}" for i in range(40)]
    pains = pd.DataFrame({  # 5 in 6 are Mia's: ~2,000 pain points in her report
        "id": [f"bulk-{i:04d}" for i in range(BULK)],
        "persona": ["mia" if i % 6 else others[(i // 6) % len(others)] for i in range(BULK)],
        "touchpoint": [tps[i % len(tps)] for i in range(BULK)],
        "description": [f"Bulk pain number {i:04d}" for i in range(BULK)],
        "severity": [1 + i % 5 for i in range(BULK)], "frequency": [1 + (i // 5) % 5 for i in range(BULK)],
        "source": "assumption"})
    ws.pain_points = pd.concat([ws.pain_points, pains], ignore_index=True)
    opps = pd.DataFrame({
        "id": [f"idea-{i:03d}" for i in range(300)], "title": [f"Bulk idea {i:03d}" for i in range(300)],
        "addresses": [f"bulk-{(7 * i) % BULK:04d};bulk-{(7 * i + 1) % BULK:04d}" for i in range(300)],
        "reach": [100 + 37 * i for i in range(300)], "impact": [(0.5, 1, 2, 3)[i % 4] for i in range(300)],
        "confidence": [(0.5, 0.8, 1.0)[i % 3] for i in range(300)],
        "effort": [(0.5, 1, 2, 5)[i % 4] for i in range(300)],
        "ease": [1 + i % 10 for i in range(300)], "status": "idea"})
    ws.opportunities = pd.concat([ws.opportunities, opps], ignore_index=True)
    jt.save(ws)
    return dst


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    return big_workshop(tmp_path_factory.mktemp("scale") / "big-luggage")


@pytest.fixture(scope="module")
def ctx(big):
    return S.context(big, "mia", TODAY)


def _rows(html: str) -> int:
    return len(re.findall(r"<tr><td>", html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]))


def test_pain_table_shows_top_rows_and_counts_the_rest(ctx):
    pains = ctx.scores.pain_points
    assert 1900 < len(pains) < 2100
    html = S.pain_points(ctx).html
    assert _rows(html) == TOP_ROWS
    assert f"… and {len(pains) - TOP_ROWS:,} more pain points (all {len(pains):,} are ranked" in html
    assert "journeytools score --persona mia --format csv" in html and "journeytools export --to xlsx" in html
    assert f">{pains['id'].iloc[0]}<" in html and f">{pains['id'].iloc[TOP_ROWS - 1]}<" in html
    assert f">{pains['id'].iloc[TOP_ROWS]}<" not in html
    hottest = {s.id: s.name for s in ctx.ws.stages}[scoring.hottest_stage(ctx.ws, "mia")]
    assert f"The hottest stage is {hottest} (weighted pain " in unescape(html)  # over every pain point


def test_map_table_cells_are_capped_with_exact_counts(ctx):
    html = S.journey_map(ctx).html
    row = re.search(r"<tr><th[^>]*>Pain points</th>(.*?)</tr>", html).group(1)
    cells = row.split("<td>")[1:]
    per_stage = ctx.scores.pain_points.groupby("stage").size()
    for stage, cell in zip(ctx.ws.stage_ids, cells):
        n = int(per_stage.get(stage, 0))
        shown = cell.count("<p>")
        assert shown == min(n, CELL_ITEMS if n <= CELL_ITEMS else CELL_ITEMS - 1)
        if n > CELL_ITEMS:
            assert f"… and {n - shown:,} more</p>" in cell
        else:
            assert "more</p>" not in cell


def test_journey_map_chart_draws_few_cards_and_counts_the_rest(big):
    ws = jt.load(big)
    fig = journey_map(ws, "mia")
    pains = scoring.pain_table(ws, "mia")
    per_stage = pains.groupby("stage").size()
    drawn = [a.get_gid()[5:] for a in fig.findobj(lambda a: str(a.get_gid() or "").startswith("pain:")
                                                   and a.get_gid().count(":") == 1)]
    for i, stage in enumerate(ws.stage_ids):
        n = int(per_stage.get(stage, 0))
        mine = pains[pains["stage"] == stage]["id"]
        if n > MAX_CARDS:
            assert [d for d in drawn if d in set(mine)] == list(mine.head(MAX_CARDS - 1))  # the worst
            more = [a for a in fig.findobj(lambda a, i=i: a.get_gid() == f"pain-more:{i}:body")]
            assert more and more[0].get_text() == f"+ {n - (MAX_CARDS - 1):,} more pain points"
    assert f"{len(pains)} pain points" in fig._jt_alt  # the alt text counts every one


def test_heatmap_caps_personas_and_keeps_every_total(big):
    ws = jt.load(big)
    fig = pain_heatmap(ws, max_personas=10)
    full, shown = fig._jt_data, fig._jt_shown
    assert full.shape == (len(ws.personas), len(ws.stages)) and shown.shape == (10, len(ws.stages))
    assert np.array_equal(full.to_numpy(), pain_matrix(ws).to_numpy())
    top = full.sum(axis=1).sort_values(ascending=False, kind="mergesort").index[:9]
    assert list(shown.index[:9]) == [p for p in full.index if p in set(top)] and shown.index[9] == OTHERS
    assert np.allclose(shown.sum(axis=0).to_numpy(), scoring.stage_pain(ws)["pain"].to_numpy())
    assert np.allclose(shown.loc[OTHERS].to_numpy(), full.drop(index=top).sum(axis=0).to_numpy())
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks[-1] == f"{len(ws.personas) - 9} more personas"
    cells = fig.findobj(lambda a: str(a.get_gid() or "").startswith(("cell:", "others:")))
    assert len(cells) == 10 * len(ws.stages)
    assert f"{len(ws.personas)} personas" in fig._jt_alt
    assert pain_heatmap(ws)._jt_shown.shape[0] == len(ws.personas)  # 43 rows: under the default cap


def test_priority_matrix_caps_points_and_labels(big):
    ws = jt.load(big)
    opps = scoring.opportunity_table(ws)
    scored = opps[opps["scored"]]
    fig = priority_matrix(ws, max_points=50, max_labels=10)
    assert fig._jt_total == len(scored)
    assert sorted(fig._jt_data["id"]) == sorted(scored["id"].head(50))  # the top 50 by RICE
    labels = fig.findobj(lambda a: str(a.get_gid() or "").startswith("label:"))
    assert {a.get_gid()[6:] for a in labels} == set(scored["id"].head(10))
    notes = " ".join(t.get_text() for t in fig.texts).replace("\n", " ")
    assert f"Showing the top 50 of {len(scored):,} scored opportunities by RICE" in notes
    # medians are still the whole map's
    assert fig._jt_medians == pytest.approx(scoring.medians(opps))
    fig = priority_matrix(ws)
    assert len(fig._jt_data) == min(MAX_POINTS, len(scored))
    assert len(fig.findobj(lambda a: str(a.get_gid() or "").startswith("label:"))) <= MAX_LABELS


def test_opportunity_table_is_capped(ctx):
    scored = ctx.scores.opportunities[ctx.scores.opportunities["scored"]]
    assert len(scored) > TOP_ROWS
    html = S.opportunities(ctx).html
    assert _rows(html) == TOP_ROWS
    assert f"… and {len(scored) - TOP_ROWS:,} more opportunities" in html
    # the matrix draws the top 200 and its alt text points to the data table for the rest
    assert f"the top 200 of {len(scored):,} scored opportunities" in html
    assert "and more in the data table under the chart." in html


@pytest.mark.slow
def test_report_of_2000_pain_points_shows_capped_table(big, tmp_path):
    from journeytools.report.build import ReportOptions, build_reports

    out = tmp_path / "out"
    result = build_reports(big, out, ReportOptions(personas=("mia",), jobs=1, today=TODAY))
    assert not result.failures, result.failures
    ws = jt.load(big)
    pains = scoring.score(ws, "mia").pain_points
    html = (out / "mia.html").read_text(encoding="utf-8")
    table = html.split('class="jt-table jt-pains"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr><td>") == TOP_ROWS
    assert f"… and {len(pains) - TOP_ROWS:,} more pain points (all {len(pains):,} are ranked" in html
    assert unescape(pains["description"].iloc[0]) in unescape(table)
    assert f">{pains['id'].iloc[TOP_ROWS]}<" not in table
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"the other {len(ws.personas) - 19} share the last row" in index
    # the full ranking is still one command away
    csv = subprocess.run([sys.executable, "-m", "journeytools", "score", str(big), "--persona", "mia",
                          "--format", "csv"], capture_output=True, text=True, check=True).stdout
    assert sum(line.startswith("pain_point,") for line in csv.splitlines()) == len(pains)
