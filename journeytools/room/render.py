"""HTML fragments the room displays. Every piece of workshop or participant text is escaped.

Pure functions of a loaded workshop: they read nothing from disk and draw no charts, so the
facilitator view can be tested without a browser.

>>> message_html("<b>hi</b>", "error")  # doctest: +ELLIPSIS
'<div class="jt-msg jt-msg-error" ...>&lt;b&gt;hi&lt;/b&gt;</div>'
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Literal

import pandas as pd

from ..scoring import opportunity_table, pain_table, stage_pain, vote_counts
from ..model.checks import voter_key
from ..model.workshop import Workshop

Level = Literal["info", "ok", "error"]
_COLOURS = {"info": "#455a64", "ok": "#2e7d32", "error": "#c62828"}
DEFAULT_PRIMARY = "#C2185B"


def esc(value: object) -> str:
    """``html.escape`` of any value's text, quotes included."""
    return escape("" if value is None else str(value), quote=True)


def primary(ws: Workshop) -> str:
    colour = str(ws.branding.get("primary_color") or DEFAULT_PRIMARY)
    return esc(colour)


def _rgba(colour: str, alpha: float) -> str:
    """``#RRGGBB`` as a CSS rgba() with the given opacity (default colour when unreadable)."""
    text = colour.lstrip("#")
    if len(text) != 6 or any(c not in "0123456789abcdefABCDEF" for c in text):
        text = DEFAULT_PRIMARY.lstrip("#")
    r, g, b = (int(text[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha:.2f})"


def message_html(text: str, level: Level = "info") -> str:
    """A one-line message shown next to a field or button."""
    if not text:
        return ""
    return (f'<div class="jt-msg jt-msg-{level}" style="color:{_COLOURS[level]};'
            f'padding:2px 6px">{esc(text)}</div>')


def budget_html(left: int, budget: int, voter: str) -> str:
    """Dots left, drawn as filled and empty dots."""
    dots = "●" * left + "○" * max(budget - left, 0)
    who = f"{esc(voter)}: " if voter.strip() else "Enter your name to vote. "
    return (f'<div class="jt-budget" style="font-size:1.1em">{who}'
            f'<span style="letter-spacing:2px">{dots}</span> '
            f'<b class="jt-dots-left">{left}</b> of {budget} dots left</div>')


def header_html(ws: Workshop, subtitle: str = "") -> str:
    colour = primary(ws)
    sub = f'<div style="color:#555">{esc(subtitle)}</div>' if subtitle else ""
    return (f'<div class="jt-header" style="border-left:6px solid {colour};padding-left:10px">'
            f'<h2 style="margin:4px 0">{esc(ws.title)}</h2>{sub}</div>')


def totals_html(ws: Workshop, now: dt.datetime | None = None) -> str:
    """Counts of pain points, ideas, dots and participants, and when they were read."""
    votes = ws.votes
    dots = int(vote_counts(ws).sum()) if len(votes) else 0
    people = len({voter_key(v) for v in votes["voter"]}) if len(votes) else 0
    stamp = (now or dt.datetime.now()).strftime("%H:%M:%S")
    cells = [("pain points", len(ws.pain_points)), ("ideas", len(ws.opportunities)),
             ("dots spent", dots), ("voters", people)]
    boxes = "".join(
        f'<div style="display:inline-block;min-width:110px;margin:4px 12px 4px 0">'
        f'<div class="jt-total" data-what="{esc(label)}" style="font-size:2em;font-weight:bold">'
        f'{n}</div><div style="color:#555">{esc(label)}</div></div>' for label, n in cells)
    return (f'<div class="jt-totals">{boxes}'
            f'<div style="color:#888;font-size:0.85em">updated {stamp}</div></div>')


def stage_bars_html(ws: Workshop) -> str:
    """Weighted pain per stage as horizontal bars, in journey order."""
    sp = stage_pain(ws)
    if not len(sp):
        return ""
    top = float(sp["pain"].max()) or 1.0
    colour = primary(ws)
    rows = []
    for r in sp.itertuples():
        width = 100.0 * float(r.pain) / top
        rows.append(f'<tr><td style="padding:2px 8px;white-space:nowrap">{esc(r.name)}</td>'
                    f'<td style="width:70%"><div style="background:{colour};height:14px;'
                    f'width:{width:.1f}%"></div></td>'
                    f'<td style="padding:2px 8px;text-align:right">{float(r.pain):g}</td></tr>')
    return ('<table class="jt-stage-pain" style="width:100%;border-collapse:collapse">'
            '<caption style="text-align:left;font-weight:bold">Weighted pain per stage</caption>'
            + "".join(rows) + "</table>")


def _cell(value: object, align: str = "left") -> str:
    return f'<td style="padding:3px 8px;text-align:{align};vertical-align:top">{esc(value)}</td>'


def _table(cls: str, caption: str, head: list[str], rows: list[str], empty: str) -> str:
    if not rows:
        return (f'<div class="{cls}"><b>{esc(caption)}</b>'
                f'<p style="color:#777">{esc(empty)}</p></div>')
    th = "".join(f'<th style="padding:3px 8px;text-align:left;border-bottom:1px solid #ccc">'
                 f'{esc(h)}</th>' for h in head)
    return (f'<table class="{cls}" style="border-collapse:collapse;width:100%">'
            f'<caption style="text-align:left;font-weight:bold">{esc(caption)}</caption>'
            f"<thead><tr>{th}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def pain_ranking_html(ws: Workshop, top: int = 10) -> str:
    """The most painful pain points (weighted pain, dot votes included)."""
    pains = pain_table(ws).head(top)
    stages = {s.id: s.name for s in ws.stages}
    tps = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"])) if len(ws.touchpoints) else {}
    rows = [f'<tr data-id="{esc(r.id)}">' + _cell(r.rank, "right") + _cell(r.description)
            + _cell(stages.get(r.stage, r.stage)) + _cell(tps.get(r.touchpoint, r.touchpoint))
            + _cell(f"{r.severity}×{r.frequency}", "right") + _cell(r.votes, "right")
            + _cell(f"{float(r.weighted_pain):g}", "right") + "</tr>"
            for r in pains.itertuples()]
    return _table("jt-pain-ranking", f"Top {top} pain points",
                  ["#", "pain point", "stage", "touchpoint", "sev×freq", "dots", "weighted"],
                  rows, "No pain points yet.")


def idea_ranking_html(ws: Workshop, top: int = 10) -> str:
    """Opportunities: scored ones by RICE, then unscored ideas by dots received."""
    opps = opportunity_table(ws)
    scored = opps[opps["scored"]]
    ideas = opps[~opps["scored"]].sort_values(["votes", "id"], ascending=[False, True],
                                               kind="mergesort")
    ordered = pd.concat([scored, ideas]).head(top) if len(ideas) else scored.head(top)
    stages = {s.id: s.name for s in ws.stages}
    rows = []
    for r in ordered.itertuples():
        rank = "idea" if pd.isna(r.rank) else int(r.rank)
        rice = "" if pd.isna(r.rice) else f"{float(r.rice):,.0f}"
        rows.append(f'<tr data-id="{esc(r.id)}">' + _cell(rank, "right") + _cell(r.title)
                    + _cell(stages.get(r.stage, r.stage)) + _cell(r.votes, "right")
                    + _cell(rice, "right") + _cell(r.quadrant) + "</tr>")
    return _table("jt-idea-ranking", "Opportunities",
                  ["#", "idea", "stage", "dots", "RICE", "quadrant"], rows, "No ideas yet.")


def heatmap_table_html(ws: Workshop) -> str:
    """Weighted pain per persona × stage as a coloured table (used when no chart is available)."""
    stages = ws.stages
    colour = primary(ws)
    grid: list[tuple[str, list[float]]] = []
    for _, p in ws.personas.iterrows():
        sp = stage_pain(ws, str(p["id"]))
        grid.append((str(p["name"]), [float(x) for x in sp["pain"]]))
    if not grid or not stages:
        return ""
    top = max((v for _, vals in grid for v in vals), default=0.0) or 1.0
    head = "".join(f'<th style="padding:3px 8px">{esc(s.name)}</th>' for s in stages)
    body = []
    for name, vals in grid:
        cells = "".join(
            f'<td style="padding:6px 8px;text-align:center;'
            f'background:{_rgba(colour, 0.08 + 0.8 * v / top)}">{v:g}</td>'
            for v in vals)
        body.append(f'<tr><th style="padding:3px 8px;text-align:left">{esc(name)}</th>{cells}</tr>')
    return ('<table class="jt-heatmap" style="border-collapse:collapse">'
            '<caption style="text-align:left;font-weight:bold">'
            'Pain heatmap (persona × stage)</caption>'
            f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
