"""Tables a portfolio notebook shows (SPEC §10): the check, the journeys, the persona × journey
pain matrix, opportunities across journeys, KPIs and the maps to review.

Only presentation: every number comes from :mod:`journeytools.journeys`, so it is the number
of the journeys' own reports, formatted the one way (``vocab.number``).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import journeys as across
from ..store.portfolio import Portfolio, PortfolioReport, check_portfolio
from ..vocab import number
from .tables import locate as locate_folder
from .tables import note, table

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

__all__ = ["DEFAULT_PORTFOLIO", "check", "journeys", "kpis", "locate", "opportunities",
           "labels", "persona_matrix", "to_review"]

DEFAULT_PORTFOLIO = "../workshops/luggage-portfolio"  # relative to the notebooks folder


def locate(path: str | os.PathLike = "") -> Path:
    """The portfolio folder a notebook's ``portfolio`` parameter names (blank: the worked one),
    found from the notebook's folder like a workshop (see ``views.tables.locate``)."""
    return locate_folder(str(path).strip() or DEFAULT_PORTFOLIO)


def check(folder: str | os.PathLike) -> tuple[PortfolioReport, list[Any]]:
    """Check a portfolio: the report and what to display (a verdict, then every problem)."""
    report = check_portfolio(folder)
    problems = [*report.errors, *report.warnings]
    frame = pd.DataFrame([{"level": p.level, "where": p.file if p.line is None else f"{p.file}:{p.line}",
                           "column": p.column or "", "problem": p.message} for p in problems],
                         columns=["level", "where", "column", "problem"])
    pf = report.portfolio
    if pf is None:
        verdict = note(f"Not valid: {len(report.errors)} problem(s); fix them in the files named below "
                       "and run this cell again.", "warning")
    else:
        people = {p for ws in pf.journeys.values() for p in ws.personas["id"]}
        library = f", a persona library of {len(pf.library)}" if pf.library is not None else ""
        verdict = note(f"Valid: {len(pf.journeys)} journeys, {len(people)} personas{library}"
                       f" ({len(report.warnings)} warning(s) to read).", "ok")
    return report, [verdict, table(frame, "Problems and warnings, by journey, file and line",
                                   empty="No problems and no warnings.")]


def journeys(pf: Portfolio, today: dt.date | None = None) -> Styler:
    """Every journey with its state, personas, hottest stage, top pain point and last review."""
    s = across.summary(pf.journeys, today)
    frame = pd.DataFrame({
        "journey": s["title"], "folder": s["journey"], "state": s["state"], "personas": s["personas"],
        "hottest stage": [f"{h} ({number(v)})" if h else "—" for h, v in zip(s["hottest_stage"], s["hottest_pain"])],
        "top pain point": [f"{t} ({number(v)})" if t else "—" for t, v in zip(s["top_pain"], s["top_pain_value"])],
        "last review": s["reviewed"], "stale": ["stale" if x else "" for x in s["stale"]],
    })
    return table(frame, "Journeys: state, personas, hottest stage and top pain point")


def labels(pf: Portfolio) -> dict[str, str]:
    """Journey name → the label shown: its title, with the folder name when titles repeat."""
    titles = {name: ws.title or name for name, ws in pf.journeys.items()}
    repeated = {t for t in titles.values() if list(titles.values()).count(t) > 1}
    return {name: f"{t} ({name})" if t in repeated else t for name, t in titles.items()}


def persona_matrix(pf: Portfolio) -> Styler:
    """Each persona's total weighted pain per journey (the persona view summed over stages)."""
    m = across.persona_matrix(pf.journeys)
    names = across.persona_names(pf.journeys, pf.library)
    titles = labels(pf)
    frame = pd.DataFrame({"persona": [names.get(p, p) for p in m.index]})
    for col in m.columns:
        members = set(pf.journeys[col].personas["id"])
        frame[titles[col]] = [number(v) if p in members else "–" for p, v in zip(m.index, m[col])]
    # the column headers are journey titles: user text, escaped like the cells
    return table(frame, "Pain by persona and journey (–: not in that journey)").format_index(escape="html", axis=1)


def opportunities(pf: Portfolio, top: int | None = None) -> Styler:
    """Opportunities across journeys, ranked by pain relieved summed over the journeys (all of
    them, or the ``top`` ones)."""
    o = across.opportunities(pf.journeys)
    o = o if top is None else o.head(top)
    titles = labels(pf)
    frame = pd.DataFrame({
        "#": o["rank"], "opportunity": o["title"], "pain relieved": [number(v) for v in o["pain_relieved"]],
        "RICE": [number(v) if not pd.isna(v) else "not scored" for v in o["rice"]],
        "journeys": ["; ".join(titles[j] for j in js) for js in o["journeys"]],
        "kind": o["kind"], "owner": o["owner"], "status": o["status"],
    })
    return table(frame, "Opportunities across journeys (pain relieved adds up over journeys)")


def to_review(pf: Portfolio, today: dt.date | None = None) -> Styler:
    """The maps to review: stale ones first, most overdue first."""
    r = across.to_review(across.summary(pf.journeys, today))
    frame = pd.DataFrame({
        "journey": r["title"], "last review": r["reviewed"].replace("", "never"),
        "due": r["review_due"],
        "what to do": ["overdue: review it with the team" if s else "on schedule" for s in r["stale"]],
    })
    return table(frame, "To review: stale maps first")


def kpis(pf: Portfolio) -> Styler:
    """Every journey's KPIs with baseline, current, target and status."""
    k = across.kpis(pf.journeys)
    titles = labels(pf)
    if not len(k):
        return table(pd.DataFrame(), "KPIs across journeys", empty="No KPIs yet.")
    frame = pd.DataFrame({
        "journey": [titles.get(j, j) for j in k["journey"]], "KPI": k["id"], "metric": k["metric"],
        "baseline": [number(v) for v in k["baseline"]], "current": [number(v) for v in k["value"]],
        "target": [number(v) for v in k["target"]], "status": k["status"],
    })
    return table(frame, "KPIs across journeys")
