"""Presenting scores: rich tables on a terminal, CSV and JSON for machines."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich.console import Console, JustifyMethod
from rich.markup import escape
from rich.table import Table

from ..model.schema import FORMULA_START
from ..model.workshop import Workshop
from ..scoring import Scores
from ..vocab import number, shorten

FORMATS = ("table", "csv", "json")

# CSV: one table of rows with a `section` column, so one stream carries everything.
CSV_COLUMNS = ["section", "rank", "id", "persona", "touchpoint", "stage", "pain_score",
               "weighted_pain", "votes", "source", "rice", "ice", "pain_relieved", "quadrant",
               "missing", "kind", "message"]


def _num(x: object) -> float | None:
    try:
        f = float(x)  # type: ignore[arg-type]  # any cell value; what float() rejects is caught below
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def evidence_dict(ws: Workshop) -> dict:
    """The funnel, possible pain points and KPIs, for ``score --format json``."""
    from ..evidence.kpis import kpi_status
    from ..evidence.stored import read_stored

    stored = read_stored(ws)
    funnel = [] if stored is None else [
        {"touchpoint": r["touchpoint"], "stage": r.get("stage", ""), "users": _num(r.get("users")),
         "conversion": _num(r.get("conversion")), "drop_off": _num(r.get("drop_off"))}
        for r in stored.funnel.to_dict("records")]
    kpis = kpi_status(ws.kpis) if len(ws.kpis) else None
    return {
        "funnel": funnel,
        "possible_pain_points": [] if stored is None else stored.possible_pain_points,
        "kpis": [] if kpis is None else [
            {"id": r["id"], "metric": r["metric"], "baseline": _num(r["baseline"]),
             "target": _num(r["target"]), "current": _num(r["value"]), "progress": _num(r["progress"]),
             "status": r["status"]} for r in kpis.to_dict("records")],
    }


def csv_safe(value: object) -> object:
    """A CSV cell no spreadsheet runs as a formula: text starting with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return gets a leading ``'`` (OWASP); numbers stay numbers."""
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value
    return value


class _SafeWriter(csv.DictWriter):
    """``csv.DictWriter`` whose text cells are :func:`csv_safe`."""

    def writerow(self, rowdict: Any) -> Any:
        return super().writerow({k: csv_safe(v) for k, v in rowdict.items()})


def render(scores: Scores, fmt: str, top: int | None = None, extra: dict | None = None) -> str:
    """``json`` (SPEC §4 document, plus evidence keys) or ``csv`` (one row per item, ``section`` first).

    CSV text cells that a spreadsheet would run as a formula get a leading ``'``
    (:func:`csv_safe`); JSON holds every text as it is.
    """
    doc = scores.to_dict(top)
    if extra:
        doc.update(extra)
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    buf = io.StringIO()
    w = _SafeWriter(buf, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
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


# A terminal shows this many rows per ranking unless --top says otherwise; csv and json list all.
TABLE_ROWS = 50


def _short(text: str, limit: int) -> str:
    return shorten(" ".join(str(text).split()), limit)


def _more(console: Console, total: int, shown: int, noun: str) -> None:
    if total > shown:
        console.print(f"[dim]… and {total - shown:,} more {noun} (--top N shows more; "
                      "--format csv or json lists them all)[/dim]")


def _fmt(x: float, digits: int = 1) -> str:
    return number(x, digits)


def print_tables(console: Console, ws: Workshop, scores: Scores, top: int | None = None) -> None:
    """The terminal view of ``journeytools score``."""
    e = escape
    rows = top or TABLE_ROWS
    pains = scores.pain_points.head(rows)
    t = Table(title=f"Pain points — {e(ws.title)}", title_justify="left")
    pain_columns: list[tuple[str, JustifyMethod]] = [
        ("#", "right"), ("pain point", "left"), ("persona", "left"), ("stage", "left"), ("S×F", "right"),
        ("weighted", "right"), ("votes", "right"), ("evidence", "left")]
    for col, justify in pain_columns:
        t.add_column(col, justify=justify)
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
    _more(console, len(scores.pain_points), len(pains), "pain points")

    s = Table(title="Stage pain (journey order)", title_justify="left")
    s.add_column("stage")
    s.add_column("pain", justify="right")
    hottest = scores.hottest_stage
    for r in scores.stages.itertuples():
        mark = " ← hottest" if r.id == hottest and r.pain > 0 else ""
        s.add_row(e(r.name), _fmt(r.pain) + mark)
    console.print(s)

    scored = scores.opportunities[scores.opportunities["scored"]]
    opps = scored.head(rows)
    o = Table(title="Opportunities (RICE)", title_justify="left")
    opp_columns: list[tuple[str, JustifyMethod]] = [
        ("#", "right"), ("opportunity", "left"), ("RICE", "right"), ("ICE", "right"),
        ("pain relieved", "right"), ("votes", "right"), ("quadrant", "left")]
    for col, justify in opp_columns:
        o.add_column(col, justify=justify)
    for r in opps.itertuples():
        o.add_row(str(r.rank), f"{e(r.id)}\n[dim]{e(_short(r.title, 60))}[/dim]", _fmt(r.rice), _fmt(r.ice),
                  _fmt(r.pain_relieved), str(r.votes), r.quadrant)
    console.print(o)
    _more(console, len(scored), len(opps), "opportunities")
    unscored = scores.unscored
    if len(unscored):
        console.print("[bold]Unscored opportunities[/bold] (not ranked until these are filled in):")
        for r in unscored.head(rows).itertuples():
            console.print(f"  {e(r.id)}: missing {', '.join(r.missing)}")
        _more(console, len(unscored), min(rows, len(unscored)), "unscored opportunities")
    if scores.gaps:
        console.print("[bold]Gaps[/bold]:")
        for g in scores.gaps[:rows]:
            console.print(f"  [{e(g.kind)}] {e(g.message)}")
        _more(console, len(scores.gaps), min(rows, len(scores.gaps)), "gaps")
    print_evidence(console, ws)


def print_evidence(console: Console, ws: Workshop) -> None:
    """The analytics funnel next to the pain points, possible pain points and KPIs."""
    e = escape
    doc = evidence_dict(ws)
    names = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"]))
    if doc["funnel"]:
        f = Table(title="Funnel from analytics (evidence/funnel.csv)", title_justify="left")
        for col in ("touchpoint", "users", "conversion", "drop-off"):
            f.add_column(col, justify="left" if col == "touchpoint" else "right")
        for r in doc["funnel"]:
            conv = "—" if r["conversion"] is None else f"{r['conversion']:.0%}"
            f.add_row(e(names.get(r["touchpoint"], r["touchpoint"])), _fmt(r["users"] or float("nan"), 0),
                      conv, _fmt(r["drop_off"] if r["drop_off"] is not None else float("nan"), 0))
        console.print(f)
    for p in doc["possible_pain_points"]:
        where = names.get(p.get("touchpoint"), str(p.get("touchpoint")))
        console.print(f"[bold]Possible pain point[/bold] at {e(where)}: {e(str(p.get('evidence') or p))}")
    if doc["kpis"]:
        k = Table(title="KPIs against baseline and target", title_justify="left")
        for col in ("KPI", "metric", "baseline", "current", "target", "status"):
            k.add_column(col, justify="right" if col in ("baseline", "current", "target") else "left")
        for r in doc["kpis"]:
            k.add_row(e(r["id"]), e(str(r["metric"])), *(_fmt(r[c], 2) if r[c] is not None else "—"
                                                          for c in ("baseline", "current", "target")),
                      e(r["status"]))
        console.print(k)
