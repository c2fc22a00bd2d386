"""The terminal score view stays short on big maps: the top rows and a count of the rest."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from rich.console import Console

import journeytools as jt
from journeytools.scoring import score
from journeytools.views.score import TABLE_ROWS, print_tables, render


def _big(luggage: Path, tmp_path: Path, n: int = 180) -> jt.Workshop:
    ws = jt.load(luggage)
    tps = list(ws.touchpoints["id"])
    extra = pd.DataFrame({"id": [f"bulk-{i}" for i in range(n)], "persona": "*",
                          "touchpoint": [tps[i % len(tps)] for i in range(n)],
                          "description": [f"Bulk pain {i}" for i in range(n)],
                          "severity": [1 + i % 5 for i in range(n)], "frequency": [1 + i % 3 for i in range(n)],
                          "source": "assumption"})
    ws.pain_points = pd.concat([ws.pain_points, extra], ignore_index=True)
    jt.save(ws, tmp_path / "big")
    return jt.load(tmp_path / "big")


def _table(ws: jt.Workshop, top: int | None = None) -> str:
    buf = io.StringIO()
    print_tables(Console(file=buf, width=160, highlight=False), ws, score(ws), top)
    return buf.getvalue()


def test_table_shows_top_rows_and_counts_the_rest(luggage: Path, tmp_path: Path) -> None:
    ws = _big(luggage, tmp_path)
    total = len(ws.pain_points)
    text = _table(ws)
    assert f"… and {total - TABLE_ROWS:,} more pain points" in text
    ranked = score(ws).pain_points
    assert ranked["id"].iloc[0] in text and ranked["id"].iloc[-1] not in text
    assert f"… and {total - 10:,} more pain points" in _table(ws, top=10)
    assert "more pain points" not in _table(ws, top=total)


def test_csv_and_json_keep_every_row(luggage: Path, tmp_path: Path) -> None:
    ws = _big(luggage, tmp_path)
    scores = score(ws)
    lines = [line for line in render(scores, "csv").splitlines() if line.startswith("pain_point,")]
    assert len(lines) == len(ws.pain_points)


def test_small_map_has_no_more_line(luggage: Path) -> None:
    assert "more pain points" not in _table(jt.load(luggage))
