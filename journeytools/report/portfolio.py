"""The portfolio report (SPEC §10): every journey's own reports under ``OUT/<journey>/`` and one
overview, ``OUT/index.html`` (and ``index.pdf``), linking to them.

Journeys run one after the other by default, each with its personas in parallel (``jobs``) from
the warm kernel parent. ``run_journeys`` is the seam for another executor: it gets a function
and the journey names and returns the results in the same order — a Dask or Ray ``map`` over
machines fits there, since each journey's work reads only its own folder and writes only its own
``OUT/<journey>/``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

from markupsafe import Markup

from .. import journeys as across
from ..errors import ValidationError
from ..store.portfolio import Portfolio, check_portfolio
from ..vocab import number
from .build import BuildResult, Progress, ReportOptions, build_reports
from .html import render as render_template
from .render import brand_of, write_pdf

T = TypeVar("T")
JourneyRunner = Callable[[Callable[[str], T], Sequence[str]], list[T]]
TOP_OPPORTUNITIES = 25
# The link back from a journey's own overview to the portfolio's (static markup, no user text).
BACK_LINK = '<nav aria-label="Portfolio"><a class="jt-back" href="../index.html">All journeys</a></nav>\n'


def one_by_one(work: Callable[[str], T], names: Sequence[str]) -> list[T]:
    """The default journey runner: in order, in this process (it owns the stop signals)."""
    return [work(name) for name in names]


@dataclass
class PortfolioResult:
    index: Path
    journeys: dict[str, BuildResult] = field(default_factory=dict)
    index_pdf: Path | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        return [f"{name}/{f}" for name, r in self.journeys.items() for f in r.failures] + self.errors


def build_portfolio(folder: str | os.PathLike, out: str | os.PathLike,
                    opts: ReportOptions = ReportOptions(), progress: Progress | None = None,
                    run_journeys: JourneyRunner = one_by_one) -> PortfolioResult:
    """Check the portfolio (nothing is written when it is invalid), report every journey into
    ``out/<journey>/``, then write the overview."""
    report = check_portfolio(folder)
    if report.portfolio is None:
        raise ValidationError(report.errors, report.warnings)
    pf = report.portfolio
    out = Path(out).absolute()
    names = list(pf.journeys)

    def one(name: str) -> BuildResult:
        def tick(label: str, n: int, total: int) -> None:
            if progress:
                progress(f"{name}: {label}", n, total)
        result = build_reports(pf.folders[name], out / name,
                               ReportOptions(**{**opts.__dict__, "personas": ()}), progress=tick)
        link_back(result.index)
        return result

    results = dict(zip(names, run_journeys(one, names)))
    result = PortfolioResult(out / "index.html", results)
    today = dt.date.fromisoformat(opts.today) if opts.today else dt.date.today()
    page = render(pf, results, out, today)
    (out / "index.html").write_text(page, encoding="utf-8")
    if "pdf" in opts.formats:
        try:
            write_pdf(page, out / "index.pdf", opts.pdf_engine)
            result.index_pdf = out / "index.pdf"
        except Exception as exc:  # the journeys are done: say so, as for a persona
            result.errors.append(f"index.pdf: rendering failed: {type(exc).__name__}: {exc}")
    return result


def link_back(index: Path) -> None:
    """Add a link to the portfolio overview (``../index.html``) in a journey's own overview,
    beside its brand header; done where the journey ran, so any runner gets it."""
    if not index.is_file():
        return
    page = index.read_text(encoding="utf-8")
    if BACK_LINK not in page and "</header>" in page:
        index.write_text(page.replace("</header>", BACK_LINK + "</header>", 1), encoding="utf-8")


def _href(path: Path | None, out: Path) -> str:
    return quote(Path(os.path.relpath(path, out)).as_posix()) if path else ""


def render(pf: Portfolio, results: dict[str, BuildResult], out: Path, today: dt.date) -> str:
    """HTML of the portfolio overview."""
    ws_by_name = pf.journeys
    scored = across.scores(ws_by_name)
    table = across.summary(ws_by_name, today, scored)
    review = across.to_review(table)
    matrix = across.persona_matrix(ws_by_name)
    names = across.persona_names(ws_by_name, pf.library)
    ranked = across.opportunities(ws_by_name, scored)
    opps = ranked.head(TOP_OPPORTUNITIES)
    kpis = across.kpis(ws_by_name)
    titles = dict(zip(table["journey"], table["title"]))
    members = {j: set(ws.personas["id"]) for j, ws in ws_by_name.items()}
    journeys = [{
        "name": r.journey, "title": r.title, "state": r.state, "personas": r.personas,
        "persona_names": ", ".join(names.get(p, p) for p in ws_by_name[r.journey].personas["id"]),
        "hottest": f"{r.hottest_stage} ({number(r.hottest_pain)})" if r.hottest_stage else "—",
        "top_pain": f"{r.top_pain} ({number(r.top_pain_value)})" if r.top_pain else "—",
        "reviewed": r.reviewed, "stale": r.stale,
        "href": _href(results[r.journey].index if r.journey in results else None, out),
    } for r in table.itertuples()]
    brand = brand_of(pf.branding["company"], pf.branding["primary_color"])
    return str(render_template(
        "portfolio_page.html.j2", title=pf.title, company=brand["company"], colors=brand["colors"],
        today=today.isoformat(), journeys=journeys,
        review=[{"title": r.title, "due": r.review_due, "stale": r.stale} for r in review.itertuples()],
        matrix_columns=[titles[c] for c in matrix.columns],
        matrix=[(names.get(p, p), [number(v) if p in members[j] else "–" for j, v in zip(matrix.columns, row)])
                for p, row in zip(matrix.index, matrix.to_numpy(float).tolist())],
        opportunities=[{"rank": r.rank, "title": r.title, "pain_relieved": number(r.pain_relieved),
                        "rice": number(r.rice), "journeys": ", ".join(titles[j] for j in r.journeys),
                        "kind": r.kind, "owner": r.owner, "status": r.status} for r in opps.itertuples()],
        opportunities_total=len(ranked),
        kpis=[{"journey": titles.get(r.journey, r.journey), "id": r.id, "metric": r.metric,
               "baseline": number(r.baseline), "current": number(r.value), "target": number(r.target),
               "status": r.status} for r in kpis.itertuples()] if len(kpis) else [],
        css=Markup(brand["css"])))  # the package's own stylesheet, not user text

