"""Presenting scores: rich tables on a terminal, CSV and JSON for machines."""

from __future__ import annotations

import csv
import io
import json

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .scoring import Scores
from .workshop import Workshop

FORMATS = ("table", "csv", "json")

# CSV: one table of rows with a `section` column, so one stream carries everything.
CSV_COLUMNS = ["section", "rank", "id", "persona", "touchpoint", "stage", "pain_score",
               "weighted_pain", "votes", "source", "rice", "ice", "pain_relieved", "quadrant",
               "missing", "kind", "message"]


def render(scores: Scores, fmt: str, top: int | None = None) -> str:
    """``json`` (SPEC §4 document) or ``csv`` (one row per item, ``section`` first)."""
    doc = scores.to_dict(top)
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    buf = io.StringIO()
    w = csv.DictWriter(buf, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in doc["pain_points"]:
        w.writerow({"section": "pain_point", **r})
    for r in doc["stages"]:
        w.writerow({"section": "stage", "id": r["id"], "weighted_pain": r["pain"]})
    for r in doc["opportunities"]:
        w.writerow({"section": "opportunity", **r})
    for r in doc["unscored"]:
        w.writerow({"section": "unscored", "id": r["id"], "missing": ";".join(r["missing"])})
    for r in doc["gaps"]:
        w.writerow({"section": "gap", **r})
    return buf.getvalue()


def _short(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fmt(x: float, digits: int = 1) -> str:
    if x != x:  # NaN
        return "—"
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".") if digits else f"{x:,.0f}"


def print_tables(console: Console, ws: Workshop, scores: Scores, top: int | None = None) -> None:
    """The terminal view of ``journeytools score``."""
    e = escape
    pains = scores.pain_points.head(top) if top else scores.pain_points
    t = Table(title=f"Pain points — {e(ws.title)}", title_justify="left")
    for col, kw in (("#", {"justify": "right"}), ("pain point", {}), ("persona", {}),
                    ("stage", {}), ("S×F", {"justify": "right"}), ("weighted", {"justify": "right"}),
                    ("votes", {"justify": "right"}), ("evidence", {})):
        t.add_column(col, **kw)
    stage_names = {s.id: s.name for s in ws.stages}
    for r in pains.itertuples():
        ev = f"[bold]{e(r.source)}[/bold]" + (f": {e(_short(r.evidence, 70))}" if r.evidence else "")
        if r.source == "assumption":
            ev = f"[yellow]{ev}[/yellow]"
        t.add_row(str(r.rank), f"{e(r.id)}\n[dim]{e(_short(r.description, 60))}[/dim]",
                  e(ws.persona_name(r.persona)) if r.persona != "*" else "all",
                  e(stage_names.get(r.stage, r.stage)), str(r.pain_score), _fmt(r.weighted_pain),
                  str(r.votes), ev)
    console.print(t)

    s = Table(title="Stage pain (journey order)", title_justify="left")
    s.add_column("stage")
    s.add_column("pain", justify="right")
    hottest = scores.hottest_stage
    for r in scores.stages.itertuples():
        mark = " ← hottest" if r.id == hottest and r.pain > 0 else ""
        s.add_row(e(r.name), _fmt(r.pain) + mark)
    console.print(s)

    opps = scores.opportunities[scores.opportunities["scored"]]
    opps = opps.head(top) if top else opps
    o = Table(title="Opportunities (RICE)", title_justify="left")
    for col, kw in (("#", {"justify": "right"}), ("opportunity", {}), ("RICE", {"justify": "right"}),
                    ("ICE", {"justify": "right"}), ("pain relieved", {"justify": "right"}),
                    ("votes", {"justify": "right"}), ("quadrant", {})):
        o.add_column(col, **kw)
    for r in opps.itertuples():
        o.add_row(str(r.rank), f"{e(r.id)}\n[dim]{e(_short(r.title, 60))}[/dim]", _fmt(r.rice), _fmt(r.ice),
                  _fmt(r.pain_relieved), str(r.votes), r.quadrant)
    console.print(o)
    unscored = scores.unscored
    if len(unscored):
        console.print("[bold]Unscored opportunities[/bold] (not ranked until these are filled in):")
        for r in unscored.itertuples():
            console.print(f"  {e(r.id)}: missing {', '.join(r.missing)}")
    if scores.gaps:
        console.print("[bold]Gaps[/bold]:")
        for g in scores.gaps:
            console.print(f"  [{e(g.kind)}] {e(g.message)}")
