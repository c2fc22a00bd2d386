"""The sections of a persona report, each returned as display-ready HTML.

The report notebook is a few lines calling these, so the notebook stays lean and every
section is testable without a kernel. All user text is escaped here.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..store.folder import load
from ..scoring import Scores, emotion_curve, journey, score, split_list
from ..model.workshop import Workshop
from .html import badge, esc, figure, heading, para, table

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
        self.html = html

    def _repr_html_(self) -> str:
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


def header(ctx: ReportContext) -> Html:
    """Title, dates, stale warning and the table of contents."""
    ws = ctx.ws
    due = ws.review_due()
    stale = ws.is_stale(ctx.today)
    dates = [f"Workshop {ws.date.isoformat()}" if ws.date else "",
             f"last reviewed {ws.reviewed.isoformat()}" if ws.reviewed else "",
             f"next review due {due.isoformat()}" if due else "",
             f"{ws.state} state"]
    parts = [f'<header class="jt-title"><p class="jt-kicker">{esc(ws.title)}</p>',
             f"<h1>{esc(ctx.name)} — customer journey report</h1>",
             f'<p class="jt-dates">{esc(" · ".join(d for d in dates if d))}</p></header>']
    if stale:
        parts.append(f'<div class="jt-warning" role="note"><strong>This map may be out of date.</strong> '
                     f"It was last reviewed on {esc(ws.reviewed)} and was due for review on {esc(due)} "
                     f"(every {ws.review_every_months} months). Check it with the team before acting on it.</div>")
    if ws.meta.get("scope"):
        parts.append(f'<p class="jt-scope"><strong>Scope:</strong> {esc(ws.meta["scope"])}</p>')
    toc = "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t in SECTIONS)
    parts.append(f'<nav class="jt-toc" aria-label="Contents"><h2>Contents</h2><ol>{toc}</ol></nav>')
    return Html("".join(parts))


def persona_card(ctx: ReportContext) -> Html:
    """Who the persona is: segment, quote, goals, needs, frustrations, channels, sources."""
    c = ctx.card
    rows = []
    for label, key in (("Segment", "segment"), ("Goals", "goals"), ("Needs", "needs"),
                       ("Frustrations", "frustrations"), ("Data sources", "data_sources")):
        value = _field(c, key)
        if value:
            rows.append(f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>")
    channels = split_list(_field(c, "channels"))
    if channels:
        rows.append("<dt>Channels</dt><dd>" + " ".join(badge(ch, "channel") for ch in channels) + "</dd>")
    quote = _field(c, "quote")
    desc = _field(c, "description")
    html = [heading(SECTIONS[0][1], "persona"), '<section class="jt-card">',
            f"<h3>{esc(ctx.name)}</h3>"]
    if quote:
        html.append(f"<blockquote>“{esc(quote)}”</blockquote>")
    if desc:
        html.append(para(desc))
    html.append(f"<dl>{''.join(rows)}</dl></section>")
    return Html("".join(html))


def journey_map(ctx: ReportContext) -> Html:
    """The map chart and, for reading and searching, the same map as a table."""
    from ..charts import journey_map as draw

    ws, pid = ctx.ws, ctx.persona
    steps = journey(ws, pid)
    pains = ctx.scores.pain_points
    opps = ctx.scores.opportunities
    html = ['<section class="jt-landscape">', heading(SECTIONS[1][1], "journey"),
            para(f"What {ctx.name} does, thinks and feels at each stage, where it hurts and what "
                 "we could do about it. Read left to right.")]
    html.append(figure(draw(ws, pid), alt=f"Journey map of {ctx.name} across {len(ws.stages)} stages",
                       cls="jt-figure jt-wide", dpi=120))  # ~2,000 px wide: sharp on A4 landscape
    cols = ["", *[s.name for s in ws.stages]]

    def cells(fn: Any) -> list[str]:
        return [fn(s.id) for s in ws.stages]

    def steps_in(sid: str) -> pd.DataFrame:
        return steps[steps["stage"] == sid]

    def joined(values: list[str]) -> str:
        return "".join(f"<p>{esc(v)}</p>" for v in values if v)

    def feel(sid: str) -> str:
        out = []
        for r in steps_in(sid).itertuples():
            e = "" if pd.isna(r.emotion) else f"{int(r.emotion)}/5 "
            if e or r.feeling:
                out.append(f"<p>{esc(e)}{esc(r.feeling)}</p>")
        return "".join(out)

    rows = [
        ["<th>Doing</th>", *cells(lambda s: joined(list(steps_in(s)["action"])))],
        ["<th>Thinking</th>", *cells(lambda s: joined([f"“{t}”" for t in steps_in(s)["thought"] if t]))],
        ["<th>Feeling</th>", *cells(feel)],
        ["<th>Touchpoints</th>", *cells(lambda s: joined(
            [f"{n} ({c})" if c else n for n, c in zip(steps_in(s)["touchpoint_name"], steps_in(s)["channel"])]))],
        ["<th>Pain points</th>", *cells(lambda s: joined(list(pains[pains["stage"] == s]["description"])))],
        ["<th>Opportunities</th>", *cells(lambda s: joined(list(opps[opps["stage"] == s]["title"])))],
    ]
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    body = "".join("<tr>" + r[0] + "".join(f"<td>{c}</td>" for c in r[1:]) + "</tr>" for r in rows)
    html.append(f'<table class="jt-table jt-map"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
    html.append("</section>")
    return Html("".join(html))


def emotions(ctx: ReportContext) -> Html:
    """The emotion curve with moments of truth listed underneath."""
    from ..charts import emotion_curves

    curve = emotion_curve(ctx.ws, ctx.persona)
    html = [heading(SECTIONS[2][1], "emotions"),
            para("How the experience feels step by step, from 1 (very negative) to 5 (very positive). "
                 "Moments of truth — a low point, or a sharp drop — are where the relationship is won or lost.")]
    if not len(curve):
        html.append(para("No emotions were recorded for this persona yet.", "jt-empty"))
        return Html("".join(html))
    html.append(figure(emotion_curves(ctx.ws, ctx.persona),
                       alt=f"Emotion curve of {ctx.name}: " + ", ".join(
                           f"{r.touchpoint_name} {int(r.emotion)}" for r in curve.itertuples())))
    mot = curve[curve["moment_of_truth"]]
    if len(mot):
        items = "".join(
            f"<li><strong>{esc(r.touchpoint_name)}</strong> ({esc(r.stage_name)}): emotion {int(r.emotion)}/5"
            + (f", down {int(r.drop)}" if r.drop >= 2 else "") + (f" — “{esc(r.feeling)}”" if r.feeling else "")
            + "</li>" for r in mot.itertuples())
        html.append(f'<h3>Moments of truth</h3><ul class="jt-mot">{items}</ul>')
    return Html("".join(html))


def _evidence_cell(source: str, evidence: str) -> str:
    kind = "evidence" if source in EVIDENCED else "assumption"
    label = f"Evidence · {source}" if kind == "evidence" else "Assumption"
    return badge(label, kind) + (f"<br><span class=\"jt-small\">{esc(evidence)}</span>" if evidence else "")


def pain_points(ctx: ReportContext) -> Html:
    """Pain points ranked by weighted pain, evidence vs assumption visible at a glance."""
    pains = ctx.scores.pain_points
    stage_names = {s.id: s.name for s in ctx.ws.stages}
    tp_names = dict(zip(ctx.ws.touchpoints["id"], ctx.ws.touchpoints["name"]))
    html = [heading(SECTIONS[3][1], "pains"),
            para("Ranked by weighted pain: severity × frequency (each 1–5), times the persona's weight, "
                 "plus one per dot vote from the workshop. Green badges are backed by evidence; amber ones "
                 "are the team's assumptions and worth checking.")]
    if not len(pains):
        html.append(para("No pain points were recorded for this persona.", "jt-empty"))
        return Html("".join(html))
    hottest = ctx.scores.hottest_stage
    if hottest and ctx.scores.stages["pain"].max() > 0:
        html.append(para(f"The hottest stage is {stage_names.get(hottest, hottest)}."))
    rows = [[str(r.rank), f"{esc(r.description)}<br><span class=\"jt-small\">{esc(r.id)}</span>",
             esc(f"{tp_names.get(r.touchpoint, r.touchpoint)} · {stage_names.get(r.stage, r.stage)}"),
             f"{int(r.severity)} × {int(r.frequency)}", f"{r.weighted_pain:g}", str(int(r.votes)),
             _evidence_cell(r.source, r.evidence)] for r in pains.itertuples()]
    html.append(table(["#", "Pain point", "Where", "Severity × frequency", "Weighted pain", "Votes",
                       "Evidence"], rows, cls="jt-table jt-pains", raw=True))
    return Html("".join(html))


def _num(x: float, digits: int = 2) -> str:
    return "—" if pd.isna(x) else f"{x:,.{digits}f}".rstrip("0").rstrip(".")


def opportunities(ctx: ReportContext) -> Html:
    """Opportunities ranked by RICE with the impact/effort matrix and the unscored ones."""
    from ..charts import priority_matrix

    opps = ctx.scores.opportunities
    html = [heading(SECTIONS[4][1], "opportunities"),
            para("Ranked by RICE = reach × impact × confidence ÷ effort. ICE = impact × confidence × ease. "
                 "Pain relieved is the weighted pain of the pain points each one addresses. Quick wins "
                 "(high value, low effort) come first in most plans.")]
    scored = opps[opps["scored"]]
    if not len(opps):
        html.append(para("No opportunities address this persona's pain points yet.", "jt-empty"))
        return Html("".join(html))
    if len(scored):
        rows = [[str(r.rank), f"<strong>{esc(r.title)}</strong><br><span class=\"jt-small\">{esc(r.description)}</span>",
                 _num(r.rice, 1), _num(r.ice, 2), _num(r.pain_relieved, 1), str(int(r.votes)),
                 badge(r.quadrant, r.quadrant.replace(" ", "-")), esc(r.owner), esc(r.status)]
                for r in scored.itertuples()]
        html.append(table(["#", "Opportunity", "RICE", "ICE", "Pain relieved", "Votes", "Quadrant",
                           "Owner", "Status"], rows, cls="jt-table jt-opps", raw=True))
        html.append(figure(priority_matrix(ctx.ws, ctx.persona),
                           alt="Impact/effort matrix: " + "; ".join(
                               f"{r.title}: {r.quadrant}" for r in scored.itertuples())))
    unscored = opps[~opps["scored"]]
    if len(unscored):
        items = "".join(f"<li><strong>{esc(r.title)}</strong>: missing {esc(', '.join(r.missing))}</li>"
                        for r in unscored.itertuples())
        html.append(f"<h3>Not yet scored</h3><p>These ideas need the missing fields before they can be "
                    f"ranked:</p><ul>{items}</ul>")
    return Html("".join(html))


def evidence(ctx: ReportContext) -> Html:
    """The funnel from analytics (when computed), possible pain points, and KPIs against
    baseline and target."""
    from ..evidence.kpis import kpi_status
    from ..evidence.stored import read_stored

    html = [heading(SECTIONS[5][1], "evidence")]
    ws = ctx.ws
    tp_names = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"]))
    stage_names = {s.id: s.name for s in ws.stages}
    stored = read_stored(ws)
    if stored is not None and len(stored.funnel):
        rows = [[tp_names.get(r["touchpoint"], r["touchpoint"]), _int(r.get("users")),
                 _pct(r.get("conversion")), _int(r.get("drop_off"))] for r in stored.funnel.to_dict("records")]
        source = f" ({stored.source})" if stored.source else ""
        html.append("<h3>Funnel from analytics</h3>" + para(
            f"Users reaching each step in the event log{source}, conversion from the previous step and "
            "drop-off. Individual users are never shown; small groups are suppressed.")
            + table(["Touchpoint", "Users", "Conversion", "Drop-off"], rows))
        if stored.has_survey:
            from ..charts import assumed_vs_measured, theme_for

            fig = assumed_vs_measured(stored.stages, theme=theme_for(ws))
            html.append("<h3>Assumed vs measured</h3>" + para(
                "The room's emotion curve (mean emotion of the steps in each stage) against survey "
                "satisfaction on the same 1–5 scale.") + figure(fig, alt=fig._jt_alt))
        for p in stored.possible_pain_points:
            html.append(f'<div class="jt-warning" role="note"><strong>Possible pain point at '
                        f'{esc(tp_names.get(p.get("touchpoint"), p.get("touchpoint")))}:</strong> '
                        f'{esc(p.get("evidence", ""))}</div>')
    if len(ws.kpis):
        k = kpi_status(ws.kpis)
        rows = [[r["metric"], tp_names.get(r["touchpoint"] or "", "") or stage_names.get(r["stage"] or "", ""),
                 _num(_f(r["baseline"])), _num(_f(r["value"])), _num(_f(r["target"])), str(r["unit"] or ""),
                 r["status"]] for r in k.to_dict("records")]
        from ..charts import kpi_progress, theme_for

        fig = kpi_progress(k, theme=theme_for(ws))
        html.append("<h3>KPIs</h3>" + para("How the team measures whether the map made things better.")
                    + table(["Metric", "Where", "Baseline", "Current", "Target", "Unit", "Status"], rows)
                    + figure(fig, alt=fig._jt_alt))
    if len(html) == 1:
        html.append(para("No analytics funnel or KPIs are recorded for this map yet. "
                         "Run 'journeytools evidence' to compute a funnel from an event log.", "jt-empty"))
    return Html("".join(html))


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
    html = [heading(SECTIONS[6][1], "gaps"),
            para("Stages skipped, channels not served, pain without an answer and touchpoints nobody owns.")]
    if not ctx.scores.gaps:
        html.append(para("No gaps found for this persona.", "jt-empty"))
    else:
        items = "".join(f"<li>{esc(g.message)}</li>" for g in ctx.scores.gaps)
        html.append(f'<ul class="jt-gaps">{items}</ul>')
    html.append(f'<footer class="jt-footer">Prepared with journeytools from the workshop folder '
                f'“{esc(ctx.ws.title)}”, data as of {esc(ctx.today.isoformat())}.</footer>')
    return Html("".join(html))
