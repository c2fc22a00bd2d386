"""The sections of a persona report, each returned as display-ready HTML.

The report notebook is a few lines calling these, so the notebook stays lean and every
section is testable without a kernel. Each section gathers its text and numbers here and lays
them out with a template in ``report/templates`` (``<section>.html.j2``); the templates escape
every value, so user text is never HTML. Charts are drawn here and passed in as ``Markup``.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..model.workshop import Workshop
from ..scoring import Scores, emotion_curve, journey, score, split_list
from ..store.folder import load
from .html import figure, render

SECTIONS = (
    ("persona", "Who this is"),
    ("journey", "The journey map"),
    ("emotions", "Emotion curve and moments of truth"),
    ("pains", "Pain points"),
    ("opportunities", "Opportunities"),
    ("evidence", "Evidence and KPIs"),
    ("gaps", "Gaps"),
)
EVIDENCED = {"analytics", "survey", "interview", "observation", "support"}
# A report stays readable (and quick to build) on a map of thousands of pain points: ranked
# tables show the top rows and a count of the rest, the map table a few items per cell. Every
# total shown (hottest stage, counts) is computed over all rows; the score CSV/JSON and the
# xlsx export list them all.
TOP_ROWS = 25    # rows of the pain point and opportunity rankings, and gaps listed
CELL_ITEMS = 10  # texts per cell of the journey map table
ALT_ITEMS = 12   # opportunities named in the impact/effort matrix's alt text


@dataclass(frozen=True)
class ReportContext:
    """Everything a persona report shows, computed once per kernel."""

    ws: Workshop
    persona: str
    today: dt.date
    scores: Scores

    @property
    def card(self) -> pd.Series:
        p = self.ws.personas
        return p[p["id"] == self.persona].iloc[0]

    @property
    def name(self) -> str:
        return str(self.card["name"])


class Html:
    """HTML that Jupyter displays as such (and nbconvert keeps as text/html)."""

    def __init__(self, html: str) -> None:
        self.html = str(html)

    def _repr_html_(self) -> str:
        return self.html

    def __html__(self) -> str:  # a template prints a section as HTML, not as text
        return self.html

    def __str__(self) -> str:
        return self.html


def context(workshop: str | Path, persona: str, today: str = "") -> ReportContext:
    """Load the workshop and score it from this persona's point of view."""
    import matplotlib

    matplotlib.use("Agg")
    warnings.filterwarnings("ignore")
    ws = load(workshop)
    pid = persona.strip().lower()
    if pid not in set(ws.personas["id"]):
        raise ValueError(f"unknown persona {persona!r}; personas: {', '.join(ws.personas['id'])}")
    day = dt.date.fromisoformat(today) if today else dt.date.today()
    return ReportContext(ws, pid, day, score(ws, pid))


def _field(card: pd.Series, name: str) -> str:
    value = card.get(name, "")
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _section(template: str, **values: Any) -> Html:
    return Html(render(template, **values))


def header(ctx: ReportContext) -> Html:
    """Title, dates, stale warning and the table of contents."""
    ws = ctx.ws
    due = ws.review_due()
    dates = [f"Workshop {ws.date.isoformat()}" if ws.date else "",
             f"last reviewed {ws.reviewed.isoformat()}" if ws.reviewed else "",
             f"next review due {due.isoformat()}" if due else "",
             f"{ws.state} state"]
    return _section("header.html.j2", title=ws.title, name=ctx.name,
                    dates=" · ".join(d for d in dates if d), stale=ws.is_stale(ctx.today),
                    reviewed=ws.reviewed, due=due, every=ws.review_every_months,
                    scope=ws.meta.get("scope") or "", contents=SECTIONS)


def persona_card(ctx: ReportContext) -> Html:
    """Who the persona is: segment, quote, goals, needs, frustrations, channels, sources."""
    c = ctx.card
    fields = [(label, _field(c, key)) for label, key in (
        ("Segment", "segment"), ("Goals", "goals"), ("Needs", "needs"),
        ("Frustrations", "frustrations"), ("Data sources", "data_sources"))]
    return _section("persona_card.html.j2", title=SECTIONS[0][1], name=ctx.name,
                    quote=_field(c, "quote"), description=_field(c, "description"),
                    fields=[(label, value) for label, value in fields if value],
                    channels=split_list(_field(c, "channels")))


def _texts(values: Any) -> list[Any]:
    """The non-blank values of a column, one paragraph each."""
    return [v for v in values if v]


def _cell(texts: list[Any], total: int | None = None) -> dict[str, Any]:
    """A map table cell: at most ``CELL_ITEMS`` texts and how many more there are (of
    ``total``, when ``texts`` was cut short already)."""
    total = len(texts) if total is None else total
    shown = texts[:CELL_ITEMS - 1] if total > CELL_ITEMS else texts[:CELL_ITEMS]
    return {"texts": shown, "more": total - len(shown)}


def _more(n: int, what: str, where: str) -> str:
    """'… and 1,234 more pain points …' ('' when there are none)."""
    return f"… and {n:,} more {what} ({where})." if n > 0 else ""


def journey_map(ctx: ReportContext) -> Html:
    """The map chart and, for reading and searching, the same map as a table."""
    from ..charts import journey_map as draw

    ws, pid = ctx.ws, ctx.persona
    steps = journey(ws, pid)
    pains = ctx.scores.pain_points
    opps = ctx.scores.opportunities
    chart = figure(draw(ws, pid), alt=f"Journey map of {ctx.name} across {len(ws.stages)} stages",
                   cls="jt-figure jt-wide", dpi=120)  # ~2,000 px wide: sharp on A4 landscape

    def steps_in(sid: str) -> pd.DataFrame:
        return steps[steps["stage"] == sid]

    def feel(sid: str) -> list[str]:
        out = []
        for r in steps_in(sid).itertuples():
            e = "" if pd.isna(r.emotion) else f"{int(r.emotion)}/5 "
            if e or r.feeling:
                out.append(e + ("" if r.feeling is None else str(r.feeling)))
        return out

    def touchpoints(sid: str) -> list[Any]:
        s = steps_in(sid)
        return _texts(f"{n} ({c})" if c else n for n, c in zip(s["touchpoint_name"], s["channel"]))

    def ranked(frame: pd.DataFrame, column: str) -> Any:
        """The top texts of a ranked table in each stage, counting them all."""
        def cell(sid: str) -> dict[str, Any]:
            texts = frame.loc[frame["stage"] == sid, column]
            texts = texts[texts.astype(bool)]
            return _cell(_texts(texts.head(CELL_ITEMS)), len(texts))
        return cell

    rows = [
        ("Doing", lambda s: _cell(_texts(steps_in(s)["action"]))),
        ("Thinking", lambda s: _cell(_texts(f"“{t}”" for t in steps_in(s)["thought"] if t))),
        ("Feeling", lambda s: _cell(feel(s))),
        ("Touchpoints", lambda s: _cell(touchpoints(s))),
        ("Pain points", ranked(pains, "description")),
        ("Opportunities", ranked(opps, "title")),
    ]
    return _section("journey_map.html.j2", title=SECTIONS[1][1], name=ctx.name, chart=chart,
                    stages=[s.name for s in ws.stages],
                    rows=[(label, [cell(s.id) for s in ws.stages]) for label, cell in rows])


def emotions(ctx: ReportContext) -> Html:
    """The emotion curve with moments of truth listed underneath."""
    from ..charts import emotion_curves

    curve = emotion_curve(ctx.ws, ctx.persona)
    if not len(curve):
        return _section("emotions.html.j2", title=SECTIONS[2][1], chart=None, moments=[])
    chart = figure(emotion_curves(ctx.ws, ctx.persona),
                   alt=f"Emotion curve of {ctx.name}: " + ", ".join(
                       f"{r.touchpoint_name} {int(r.emotion)}" for r in curve.itertuples()))
    moments = [{"touchpoint": r.touchpoint_name, "stage": r.stage_name, "emotion": int(r.emotion),
                "drop": int(r.drop) if r.drop >= 2 else None, "feeling": r.feeling if r.feeling else ""}
               for r in curve[curve["moment_of_truth"]].itertuples()]
    return _section("emotions.html.j2", title=SECTIONS[2][1], chart=chart, moments=moments)


def _evidence_badge(source: str, evidence: str) -> dict[str, str]:
    """The evidence badge of a pain point: backed by a named source, or an assumption."""
    if source in EVIDENCED:
        return {"kind": "evidence", "label": f"Evidence · {source}", "evidence": evidence}
    return {"kind": "assumption", "label": "Assumption", "evidence": evidence}


def pain_points(ctx: ReportContext) -> Html:
    """Pain points ranked by weighted pain, evidence vs assumption visible at a glance."""
    pains = ctx.scores.pain_points
    stage_names = {s.id: s.name for s in ctx.ws.stages}
    tp_names = dict(zip(ctx.ws.touchpoints["id"], ctx.ws.touchpoints["name"]))
    hottest = ctx.scores.hottest_stage
    if not (len(pains) and hottest and ctx.scores.stages["pain"].max() > 0):
        hottest = ""
    rows = [{"rank": r.rank, "description": r.description, "id": r.id,
             "where": f"{tp_names.get(r.touchpoint, r.touchpoint)} · {stage_names.get(r.stage, r.stage)}",
             "rating": f"{int(r.severity)} × {int(r.frequency)}", "weighted_pain": f"{r.weighted_pain:g}",
             "votes": int(r.votes), "evidence": _evidence_badge(r.source, r.evidence)}
            for r in pains.head(TOP_ROWS).itertuples()]
    more = _more(len(pains) - len(rows), "pain points",
                 f"all {len(pains):,} are ranked in the score CSV, "
                 f"journeytools score --persona {ctx.persona} --format csv, and the xlsx export, "
                 "journeytools export --to xlsx")
    return _section("pain_points.html.j2", title=SECTIONS[3][1], rows=rows, more=more,
                    hottest=stage_names.get(hottest, hottest) if hottest else "")


def _num(x: float, digits: int = 2) -> str:
    return "—" if pd.isna(x) else f"{x:,.{digits}f}".rstrip("0").rstrip(".")


def opportunities(ctx: ReportContext) -> Html:
    """Opportunities ranked by RICE with the impact/effort matrix and the unscored ones."""
    from ..charts import priority_matrix

    opps = ctx.scores.opportunities
    scored = opps[opps["scored"]]
    unscored = opps[~opps["scored"]]
    rows = [{"rank": r.rank, "title": r.title, "description": r.description, "rice": _num(r.rice, 1),
             "ice": _num(r.ice, 2), "pain_relieved": _num(r.pain_relieved, 1), "votes": int(r.votes),
             "quadrant": r.quadrant, "kind": r.quadrant.replace(" ", "-"), "owner": r.owner,
             "status": r.status} for r in scored.head(TOP_ROWS).itertuples()]
    where = (f"the score CSV, journeytools score --persona {ctx.persona} --format csv, and the xlsx "
             "export, journeytools export --to xlsx, list them all")
    chart = None
    if rows:
        named = [f"{r.title}: {r.quadrant}" for r in scored.head(ALT_ITEMS).itertuples()]
        if len(scored) > ALT_ITEMS:
            named.append(f"and {len(scored) - ALT_ITEMS:,} more")
        chart = figure(priority_matrix(ctx.ws, ctx.persona), alt="Impact/effort matrix: " + "; ".join(named))
    return _section("opportunities.html.j2", title=SECTIONS[4][1], empty=not len(opps),
                    rows=rows, chart=chart, more=_more(len(scored) - len(rows), "opportunities", where),
                    unscored=[(r.title, ", ".join(r.missing)) for r in unscored.head(TOP_ROWS).itertuples()],
                    more_unscored=_more(len(unscored) - TOP_ROWS, "opportunities to score", where))


def evidence(ctx: ReportContext) -> Html:
    """The funnel from analytics (when computed), possible pain points, and KPIs against
    baseline and target."""
    from ..evidence.kpis import kpi_status
    from ..evidence.stored import read_stored

    ws = ctx.ws
    tp_names = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"]))
    stage_names = {s.id: s.name for s in ws.stages}
    stored = read_stored(ws)
    funnel = kpis = None
    if stored is not None and len(stored.funnel):
        survey = None
        if stored.has_survey:
            from ..charts import alt_text, assumed_vs_measured, theme_for

            fig = assumed_vs_measured(stored.stages, theme=theme_for(ws))
            survey = figure(fig, alt=alt_text(fig))
        funnel = {
            "source": f" ({stored.source})" if stored.source else "",
            "rows": [[tp_names.get(r["touchpoint"], r["touchpoint"]), _int(r.get("users")),
                      _pct(r.get("conversion")), _int(r.get("drop_off"))]
                     for r in stored.funnel.to_dict("records")],
            "survey": survey,
            "possible": [(tp_names.get(p.get("touchpoint"), p.get("touchpoint")), p.get("evidence", ""))
                         for p in stored.possible_pain_points],
        }
    if len(ws.kpis):
        from ..charts import alt_text, kpi_progress, theme_for

        k = kpi_status(ws.kpis)
        fig = kpi_progress(k, theme=theme_for(ws))
        kpis = {
            "rows": [[r["metric"], tp_names.get(r["touchpoint"] or "", "")
                      or stage_names.get(r["stage"] or "", ""),
                      _num(_f(r["baseline"])), _num(_f(r["value"])), _num(_f(r["target"])),
                      str(r["unit"] or ""), r["status"]] for r in k.to_dict("records")],
            "chart": figure(fig, alt=alt_text(fig)),
        }
    return _section("evidence.html.j2", title=SECTIONS[5][1], funnel=funnel, kpis=kpis)


def _f(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _int(value: Any) -> str:
    x = _f(value)
    return "—" if pd.isna(x) else f"{x:,.0f}"


def _pct(value: Any) -> str:
    x = _f(value)
    return "—" if pd.isna(x) else f"{x:.0%}"


def gaps(ctx: ReportContext) -> Html:
    """What the map reveals as missing for this persona."""
    gaps = ctx.scores.gaps
    more = _more(len(gaps) - TOP_ROWS, "gaps",
                 f"journeytools score --persona {ctx.persona} --format json lists them all")
    return _section("gaps.html.j2", title=SECTIONS[6][1], gaps=[g.message for g in gaps[:TOP_ROWS]],
                    more=more, workshop=ctx.ws.title, today=ctx.today.isoformat())
