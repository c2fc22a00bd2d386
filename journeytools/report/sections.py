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
from markupsafe import Markup

from ..model.workshop import Workshop
from ..scoring import Scores, emotion_curve, journey, score, split_list
from ..store.folder import load
from ..store.future import comparison_pair
from ..vocab import number, pain_formula, shorten
from .html import MACROS, environment, figure, render

SECTIONS = (
    ("persona", "Who this is"),
    ("journey", "The journey map"),
    ("emotions", "Emotion curve and moments of truth"),
    ("pains", "Pain points"),
    ("opportunities", "Opportunities"),
    ("plan", "Plan per stage"),
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
ALT_VALUES = 80  # values of a chart's data named in its alt text (its data table has them all)


@dataclass(frozen=True)
class ReportContext:
    """Everything a persona report shows, computed once per kernel."""

    ws: Workshop
    persona: str
    today: dt.date
    scores: Scores
    pair: tuple[Workshop, Workshop] | None = None  # (current, future) to compare, SPEC §9

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


def context(workshop: str | Path, persona: str, today: str = "", compare: str = "") -> ReportContext:
    """Load the workshop and score it from this persona's point of view; with ``compare`` (a
    future-state folder), or for a future-state map whose current state is there, also the
    two states to compare."""
    import matplotlib

    matplotlib.use("Agg")
    warnings.filterwarnings("ignore")
    ws = load(workshop)
    pid = persona.strip().lower()
    if pid not in set(ws.personas["id"]):
        raise ValueError(f"unknown persona {persona!r}; personas: {', '.join(ws.personas['id'])}")
    day = dt.date.fromisoformat(today) if today else dt.date.today()
    return ReportContext(ws, pid, day, score(ws, pid), comparison_pair(ws, compare or None))


def _cell_text(value: Any) -> str:
    """A data table cell: numbers in the one number format, blanks as a dash."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return "–"
    if pd.api.types.is_bool(value):
        return "yes" if value else ""
    return number(value) if pd.api.types.is_number(value) else str(value)


def values_text(data: pd.DataFrame, limit: int = ALT_VALUES) -> str:
    """A chart's data in words for its alt text: 'Mia: Awareness 6, Purchase 45; Andy: …',
    the first column naming each row; at most ``limit`` values, then where the rest are."""
    parts: list[str] = []
    named = 0
    for row in data.itertuples(index=False):
        label, *values = row
        cells = [f"{c} {_cell_text(v)}" for c, v in zip(data.columns[1:], values)
                 if _cell_text(v)]
        if named + len(cells) > limit:
            parts.append("and more in the data table under the chart")
            break
        named += len(cells)
        parts.append(f"{_cell_text(label)}: {', '.join(cells)}")
    return "Values: " + "; ".join(parts) + "." if parts else ""


def chart(fig: Any, alt: str, data: pd.DataFrame, caption: str, *, values_in_alt: bool = True,
          cls: str = "jt-figure", dpi: int = 144) -> Markup:
    """A chart with its numbers as text twice: named in its alt text (``values_in_alt``; off
    when ``alt`` names them already) and as a table folded under it (``<details>``).

    ``data``: one row per row of the table, the first column naming it; column names are
    the table's headers. Every chart of the reports is inlined through here.
    """
    if values_in_alt and len(data):
        alt = f"{alt} {values_text(data)}".strip()
    macros: Any = environment().get_template(MACROS).module
    table = macros.chart_data(
        caption, [str(c) for c in data.columns],
        [[_cell_text(v) for v in row] for row in data.itertuples(index=False)])
    return Markup(figure(fig, alt=alt, cls=cls, dpi=dpi) + table)


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


# The journey map's printed page: the map at 100 % (its type is sized for that) plus the
# page margins and room for the heading, intro and note above and under it; never smaller
# than A4 landscape. Margins as the report's other pages (print.css), for the running header.
MAP_MARGINS_MM = (17.0, 12.0, 16.0, 12.0)  # top, right, bottom, left
MAP_TEXT_MM = 48.0                          # heading, intro and the note under the map
MAP_TABLE_STAGES = 6                        # at most, per table of "the map as a table" (even parts)


def map_page_size(width_in: float, height_in: float) -> tuple[float, float]:
    """Width and height in mm of the page that holds a map of this size at 100 %."""
    top, right, bottom, left = MAP_MARGINS_MM
    width = max(297.0, width_in * 25.4 + left + right)
    height = max(210.0, height_in * 25.4 + top + bottom + MAP_TEXT_MM)
    return round(width, 1), round(height, 1)


def _map_svg(fig: Any, label: str) -> Markup:
    """The map as inline SVG: made by ``charts.export.svg_inline``, which escapes the label
    and description it adds; matplotlib escapes the map's own texts."""
    from ..charts.export import alt_text, svg_inline

    return Markup(svg_inline(fig, label, alt_text(fig)))


def journey_map(ctx: ReportContext) -> Html:
    """The map as vector graphics with real text, at its own size (scrolling sideways on a
    screen, on a page of its own size in print), and the same map as a table."""
    from ..charts import journey_map as draw
    from ..charts.journey_map import not_drawn_note

    ws, pid = ctx.ws, ctx.persona
    steps = journey(ws, pid)
    fig = draw(ws, pid)
    drawn = fig._jt_data  # type: ignore[attr-defined]  # the map's data (charts' contract)
    pains = drawn["pains"]  # the table shows what the map shows
    opps = ctx.scores.opportunities
    label = f"Journey map of {ctx.name} across {len(ws.stages)} stages"
    width, height = map_page_size(*fig.get_size_inches())
    note = not_drawn_note(len(drawn["pains_not_drawn"]), ctx.name) if len(drawn["pains_not_drawn"]) else ""

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
    per = -(-len(ws.stages) // -(-len(ws.stages) // MAP_TABLE_STAGES)) if ws.stages else 1  # 7 → 4 + 3
    chunks = [ws.stages[i:i + per] for i in range(0, len(ws.stages), per)]
    tables = [{"stages": [s.name for s in chunk],
               "rows": [(lane, [cell(s.id) for s in chunk]) for lane, cell in rows]} for chunk in chunks]
    return _section("journey_map.html.j2", title=SECTIONS[1][1], name=ctx.name, label=label,
                    svg=_map_svg(fig, label), note=f"{note}." if note else "",
                    page={"width": f"{width}mm", "height": f"{height}mm"}, tables=tables)


def emotions(ctx: ReportContext) -> Html:
    """The emotion curve with moments of truth listed underneath."""
    from ..charts import emotion_curves

    curve = emotion_curve(ctx.ws, ctx.persona)
    if not len(curve):
        return _section("emotions.html.j2", title=SECTIONS[2][1], chart=None, moments=[])
    data = pd.DataFrame({"Step": curve["touchpoint_name"], "Stage": curve["stage_name"],
                         "Emotion (1–5)": curve["emotion"], "Moment of truth": curve["moment_of_truth"],
                         "Feeling": curve["feeling"].fillna("")})
    chart_ = chart(emotion_curves(ctx.ws, ctx.persona),
                   alt=f"Emotion curve of {ctx.name}: " + ", ".join(
                       f"{r.touchpoint_name} {int(r.emotion)}" for r in curve.itertuples()),
                   data=data, caption=f"Emotion of {ctx.name} step by step", values_in_alt=False)
    moments = [{"touchpoint": r.touchpoint_name, "stage": r.stage_name, "emotion": int(r.emotion),
                "drop": int(r.drop) if r.drop >= 2 else None, "feeling": r.feeling if r.feeling else ""}
               for r in curve[curve["moment_of_truth"]].itertuples()]
    delights = [{"touchpoint": r.touchpoint_name, "stage": r.stage_name, "emotion": int(r.emotion),
                 "rise": -int(r.drop) if r.drop <= -2 else None, "feeling": r.feeling if r.feeling else ""}
                for r in curve[curve["delight"]].itertuples()]
    return _section("emotions.html.j2", title=SECTIONS[2][1], chart=chart_, moments=moments,
                    delights=delights)


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
             "rating": f"{int(r.severity)} × {int(r.frequency)}", "weighted_pain": number(r.weighted_pain),
             "how": pain_formula(r.severity, r.frequency, r.weight, r.votes, r.vote_share),
             "votes": int(r.votes), "evidence": _evidence_badge(r.source, r.evidence)}
            for r in pains.head(TOP_ROWS).itertuples()]
    more = _more(len(pains) - len(rows), "pain points",
                 f"all {len(pains):,} are ranked in the score CSV, "
                 f"journeytools score --persona {ctx.persona} --format csv, and the xlsx export, "
                 "journeytools export --to xlsx")
    hot = ""
    if hottest:
        pain = float(ctx.scores.stages.set_index("id")["pain"][hottest])
        hot = f"{stage_names.get(hottest, hottest)} (weighted pain {number(pain)})"
    return _section("pain_points.html.j2", title=SECTIONS[3][1], rows=rows, more=more, hottest=hot)


def _num(x: float, digits: int = 2) -> str:
    return number(x, digits)


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
    matrix = None
    if rows:
        from ..charts import alt_text

        fig = priority_matrix(ctx.ws, ctx.persona)
        points = fig._jt_data  # type: ignore[attr-defined]  # the plotted points (charts' contract)
        data = pd.DataFrame({"Opportunity": points["title"], "Value": points["value"],
                             "Effort (person-months)": points["effort"],
                             "Quadrant": points["quadrant"]})
        matrix = chart(fig, alt=alt_text(fig), data=data,
                       caption=f"Impact/effort matrix of {ctx.name}: value (reach × impact × "
                               "confidence) and effort of each scored opportunity")
    return _section("opportunities.html.j2", title=SECTIONS[4][1], empty=not len(opps),
                    rows=rows, chart=matrix, more=_more(len(scored) - len(rows), "opportunities", where),
                    unscored=[(r.title, ", ".join(r.missing)) for r in unscored.head(TOP_ROWS).itertuples()],
                    more_unscored=_more(len(unscored) - TOP_ROWS, "opportunities to score", where))


def plan(ctx: ReportContext) -> Html:
    """The plan per stage: the opportunities of this persona's view, stage by stage in journey
    order, grouped by kind, with owner, status and the RICE rank of the opportunities table."""
    from ..plan import dropped_count, plan_stages, plan_table, records

    opps = ctx.scores.opportunities
    stages = plan_stages(ctx.ws, table=plan_table(ctx.ws, opportunities=opps))
    intro = (f"What to do for {ctx.name}, stage by stage: the opportunities that address "
             f"{ctx.name}'s pain points, grouped by kind (fix, content, campaign, personalisation, "
             "process, product), with who owns each and where it stands. The rank is the RICE rank "
             "of the opportunities table; unscored ones need their missing fields first.")
    return _section("plan.html.j2", title=SECTIONS[5][1], anchor=SECTIONS[5][0], intro=intro,
                    stages=records(stages), dropped=dropped_count(ctx.ws, opportunities=opps))


def evidence(ctx: ReportContext) -> Html:
    """This persona's part of the evidence: which of its touchpoints the funnel measures,
    which KPIs track its journey, and the possible pain points found on it. The funnel,
    assumed-vs-measured and KPI tables are the same for every persona, so they are shown once,
    in the overview (``map_evidence``), and the persona page points there."""
    from ..evidence.stored import read_stored

    ws = ctx.ws
    steps = journey(ws, ctx.persona)
    visited, stages = set(steps["touchpoint"]), set(steps["stage"])
    tp_names = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"]))
    stage_names = {s.id: s.name for s in ws.stages}
    stored = read_stored(ws)
    funnel = stored is not None and len(stored.funnel) > 0
    measured: list[str] = []
    possible: list[tuple[Any, Any]] = []
    if stored is not None and funnel:
        measured = [tp_names.get(t, t) for t in stored.funnel["touchpoint"] if t in visited]
        possible = [(tp_names.get(p.get("touchpoint"), p.get("touchpoint")), p.get("evidence", ""))
                    for p in stored.possible_pain_points if p.get("touchpoint") in visited]
    kpis = []
    for k in ws.kpis.to_dict("records") if len(ws.kpis) else []:
        tp, stage = str(k.get("touchpoint") or ""), str(k.get("stage") or "")
        if (tp and tp in visited) or (not tp and stage in stages):
            kpis.append(f"{k['metric']} at {tp_names.get(tp, tp) if tp else stage_names.get(stage, stage)}")
    return _section("evidence.html.j2", title=SECTIONS[6][1], overview=False, name=ctx.name,
                    any_evidence=funnel or bool(len(ws.kpis)), measured=measured, kpi_names=kpis,
                    funnel=None, kpis=None, possible=possible)


def map_evidence(ws: Workshop) -> Html:
    """The map's evidence, for the overview: the funnel from analytics (when computed), the
    room's emotions against survey satisfaction, possible pain points, and KPIs against
    baseline and target, each chart with its data as a table."""
    from ..evidence.kpis import kpi_status
    from ..evidence.stored import read_stored

    tp_names = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"]))
    stage_names = {s.id: s.name for s in ws.stages}
    stored = read_stored(ws)
    funnel = kpis = None
    possible: list[tuple[Any, Any]] = []
    if stored is not None and len(stored.funnel):
        survey = None
        if stored.has_survey:
            from ..charts import assumed_vs_measured, theme_for

            fig = assumed_vs_measured(stored.stages, theme=theme_for(ws))
            points = fig._jt_data  # type: ignore[attr-defined]  # the plotted values (charts' contract)
            survey = chart(fig, alt="Assumed emotion (the room's) against measured satisfaction "
                                    "(survey) per stage, on the same 1–5 scale.",
                           data=pd.DataFrame({"Stage": points["label"],
                                              "Assumed": points["assumed"].round(2),
                                              "Measured": points["measured"].round(2)}),
                           caption="Assumed emotion and measured satisfaction per stage (1–5)")
        funnel = {
            "source": f" ({stored.source})" if stored.source else "",
            "rows": [[tp_names.get(r["touchpoint"], r["touchpoint"]), _int(r.get("users")),
                      _pct(r.get("conversion")), _int(r.get("drop_off"))]
                     for r in stored.funnel.to_dict("records")],
            "survey": survey,
        }
        possible = [(tp_names.get(p.get("touchpoint"), p.get("touchpoint")), p.get("evidence", ""))
                    for p in stored.possible_pain_points]
    if len(ws.kpis):
        from ..charts import alt_text, kpi_progress, theme_for

        k = kpi_status(ws.kpis)
        fig = kpi_progress(k, theme=theme_for(ws), ws=ws)
        progress = fig._jt_data  # type: ignore[attr-defined]  # the plotted bars (charts' contract)
        metric = dict(zip(k["id"], k["metric"]))
        kpis = {
            "rows": [[r["metric"], tp_names.get(r["touchpoint"] or "", "")
                      or stage_names.get(r["stage"] or "", ""),
                      _num(_f(r["baseline"])), _num(_f(r["value"])), _num(_f(r["target"])),
                      str(r["unit"] or ""), r["status"]] for r in k.to_dict("records")],
            "chart": chart(fig, alt=alt_text(fig), values_in_alt=False,
                           data=pd.DataFrame({"KPI": progress["name"],
                                              "Metric": [metric.get(i, "") for i in progress["id"]],
                                              "Progress to target": [_pct(v) for v in progress["progress"]]}),
                           caption="Progress of each KPI from baseline to target"),
        }
    return _section("evidence.html.j2", title=SECTIONS[6][1], overview=True, name="",
                    any_evidence=bool(funnel or kpis), measured=[], kpi_names=[],
                    funnel=funnel, kpis=kpis, possible=possible)


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
    return _section("gaps.html.j2", title=SECTIONS[7][1], gaps=[g.message for g in gaps[:TOP_ROWS]],
                    more=more, workshop=ctx.ws.title, today=ctx.today.isoformat())


def comparison(ctx: ReportContext) -> Html:
    """Current vs future state for this persona (SPEC §9): both emotion curves, stage pain
    before and after, pain points removed, added or changed, and what delivers the future.
    Nothing for a map with no other state to compare."""
    if ctx.pair is None:
        return Html("")
    from .. import compare as cmp
    from ..charts import alt_text, compare_states

    current, future = ctx.pair
    pid = ctx.persona
    if pid not in set(current.personas["id"]) or pid not in set(future.personas["id"]):
        return _section("comparison.html.j2", title="Current and future state", name=ctx.name,
                        chart=None, stages=[], pains=[], delivered=[], kpis=[],
                        missing=True)
    fig = compare_states(current, future, pid)
    curves = cmp.emotion_curves(current, future, pid)
    data = pd.DataFrame({"State": curves["state"], "Step": curves["touchpoint_name"],
                         "Stage": curves["stage_name"], "Emotion (1–5)": curves["emotion"]})
    chart_ = chart(fig, alt=alt_text(fig), data=data, values_in_alt=False,
                   caption=f"Emotion of {ctx.name}, current and future state")
    stages = [{"name": r.name, "current": number(r.current), "future": number(r.future),
               "change": ("+" if r.change > 0 else "") + number(r.change)}
              for r in cmp.stage_change(current, future, pid).itertuples()]
    pains = [{"description": r.description, "status": r.status,
              "before": number(r.before), "after": number(r.after)}
             for r in cmp.pain_change(current, future, pid).itertuples() if r.status != "same"]
    delivered = [{"title": r.title, "status": r.status, "owner": r.owner,
                  "relieved": number(r.pain_relieved_now)}
                 for r in cmp.delivered(current, future, pid).itertuples()]
    kpis = [{"metric": r.metric, "id": r.id, "unit": r.unit or "", "baseline": number(r.baseline),
             "current": number(r.current), "target": number(r.target)}
            for r in cmp.kpi_targets(current, future).itertuples()]
    return _section("comparison.html.j2", title="Current and future state", name=ctx.name,
                    chart=chart_, stages=stages, pains=pains[:TOP_ROWS], delivered=delivered[:TOP_ROWS],
                    kpis=kpis, missing=False)


def blueprint(ctx: ReportContext) -> Html:
    """The service blueprint under this persona's journey (SPEC §8), when the workshop has one:
    steps as columns grouped by stage, lanes top to bottom with the three lines between them,
    failure points marked, and the root causes behind the top pain points."""
    from .. import blueprint as bp

    pains = ctx.scores.pain_points
    procs = bp.persona_rows(ctx.ws, ctx.persona, pains)
    if not len(procs):
        return Html("")
    steps = journey(ctx.ws, ctx.persona)
    pain_text = dict(zip(pains["id"], pains["description"]))
    shown_tps = list(dict.fromkeys(steps["touchpoint"]))
    # touchpoints with processes but no step of this persona still belong to the blueprint
    tp_stage = dict(zip(ctx.ws.touchpoints["id"], ctx.ws.touchpoints["stage"]))
    order = {sid: i for i, sid in enumerate(ctx.ws.stage_ids)}
    extra = sorted((t for t in dict.fromkeys(procs["touchpoint"]) if t not in shown_tps),
                   key=lambda t: order.get(tp_stage.get(t, ""), len(order)))
    tp_names = dict(zip(ctx.ws.touchpoints["id"], ctx.ws.touchpoints["name"]))
    stage_names = {st.id: st.name for st in ctx.ws.stages}
    # one pass over plain records: the cells of a blueprint are many and small
    cells: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in procs.to_dict("records"):
        cells.setdefault((r["touchpoint"], r["lane"]), []).append(
            {"text": r["text"], "owner": r["owner"], "system": r["system"], "fails": r["fails"],
             "status": r["status"],
             "causes": [shorten(pain_text[c], 60) for c in r["causes"] if c in pain_text]})
    actions: dict[str, list[str]] = {}
    for tid, action in zip(steps["touchpoint"], steps["action"]):
        if action:
            actions.setdefault(tid, []).append(action)
    columns = []
    for tid in sorted(shown_tps + extra, key=lambda t: order.get(tp_stage.get(t, ""), len(order))):
        columns.append({"stage": stage_names.get(tp_stage.get(tid, ""), ""), "touchpoint": tp_names.get(tid, tid),
                        "actions": actions.get(tid, []),
                        "lanes": {lane: cells.get((tid, lane), []) for lane in bp.LANES_ORDER}})
    causes = bp.root_causes(ctx.ws, pains, ctx.persona)
    top_ids = list(dict.fromkeys(causes["pain_point"]))[:TOP_ROWS]
    roots = [{"rank": int(r.rank), "pain": r.description, "value": number(r.weighted_pain),
              "process": r.process, "lane": bp.LANE_NAMES.get(r.lane, r.lane), "owner": r.owner or "—",
              "system": r.system or "—", "fails": r.fails}
             for r in causes[causes["pain_point"].isin(top_ids)].itertuples()]
    teams = bp.pain_by_team(causes)
    return _section("blueprint.html.j2", title="Service blueprint", name=ctx.name, columns=columns,
                    lanes=[(lane, bp.LANE_NAMES[lane]) for lane in bp.LANES_ORDER], lines=bp.LINES,
                    roots=roots, teams=[(t, number(v)) for t, v in teams.items()])

