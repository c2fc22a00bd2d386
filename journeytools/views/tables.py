"""Client-readable tables for notebooks: no index, human column names, text escaped.

Every function takes a workshop (or its scores) and returns a pandas ``Styler`` whose
``.data`` is the plain DataFrame, so a notebook cell is one line and tests can read values:

>>> import journeytools as jt
>>> from journeytools import scoring, tables_view as view
>>> ws = jt.load("workshops/luggage-store")                   # doctest: +SKIP
>>> view.pain_points(ws, scoring.score(ws)).data.columns[0]   # doctest: +SKIP
'Rank'

Pure presentation, plus three notebook helpers that touch files: :func:`locate` (find the
workshop a parameters cell names), :func:`own_workshop` (the learner's first map, from a
starter) and :func:`changes_since` (load an earlier version and compare).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..model.workshop import Workshop
from ..scoring import Scores, emotion_curve, journey, split_list
from ..vocab import face, number

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure
    from pandas.io.formats.style import Styler

__all__ = [
    "changes_since", "drop_offs", "expectations", "figure", "gaps", "journey_steps", "kpis", "locate",
    "moments_of_truth", "next_steps",
    "note", "opportunities", "overview", "own_workshop", "owners", "pain_points", "personas", "plan",
    "review_status", "stages", "starters", "table", "todo", "touchpoints", "unscored",
    "validation", "votes",
]

_MISSING_WORDS = {"reach": "reach (people per quarter)", "impact": "impact (0.25–3)",
                  "confidence": "confidence (0–100 %)", "effort": "effort (person-months)"}


# -- generic --------------------------------------------------------------------------------
def table(frame: pd.DataFrame, caption: str = "", empty: str = "Nothing here yet.") -> Styler:
    """A Styler with the index hidden, every cell HTML-escaped and a caption on top."""
    if not len(frame):
        frame = pd.DataFrame({"": [empty]})
    styler = frame.style.hide(axis="index").format(escape="html", precision=2, na_rep="—")
    if caption:
        styler = styler.set_caption(html.escape(caption))
    return styler.set_table_styles([
        {"selector": "caption", "props": "caption-side: top; text-align: left; font-weight: bold;"
                                         " font-size: 1.1em; padding: 0.3em 0;"},
        {"selector": "td", "props": "text-align: left; vertical-align: top;"},
        {"selector": "th", "props": "text-align: left;"},
    ])


def note(text: str, kind: str = "info") -> _HTML:
    """A short escaped message box (``kind``: info, warning, ok)."""
    colours = {"info": "#1F5AA6", "warning": "#B45309", "ok": "#15803D"}
    colour = colours.get(kind, colours["info"])
    return _HTML(f'<div style="border-left:4px solid {colour};padding:0.4em 0.8em;margin:0.4em 0">'
                 f"{html.escape(text)}</div>", text)


class _HTML:
    """Rich output with an HTML and a plain-text form (for terminals and tests)."""

    def __init__(self, markup: str, text: str) -> None:
        self.markup, self.text = markup, text

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.text


def figure(fig: Figure, alt: str = "") -> _Figure:
    """Display a matplotlib figure as a PNG (with its alt text as the text form) and close it.

    Closing keeps the inline backend from showing a pyplot figure a second time at the end
    of the cell and frees its memory when a notebook draws many charts.
    """
    from ..charts.export import alt_text, png_bytes  # matplotlib only once a figure is shown

    png, alt = png_bytes(fig, dpi=100), alt or alt_text(fig)
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)
    return _Figure(png, alt or "chart")


class _Figure:
    def __init__(self, png: bytes, alt: str) -> None:
        self.png, self.alt = png, alt

    def _repr_png_(self) -> bytes:
        return self.png

    def _repr_html_(self) -> str:
        data = base64.b64encode(self.png).decode("ascii")
        return f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.alt)}"/>'

    def __repr__(self) -> str:
        return self.alt


def locate(path: str | os.PathLike, notebook_dir: str | os.PathLike | None = None) -> Path:
    """Resolve a workshop path given in a notebook's parameters cell.

    Absolute paths are kept. A relative path is tried against the current folder (JupyterLab
    starts kernels in the notebook's folder), then against ``notebook_dir`` (default: the
    guided notebooks shipped with the package), so ``"../workshops/luggage-store"`` works from
    a clone, a folder made by ``journeytools notebooks DIR`` and a headless run alike.
    A blank path means ``$JOURNEYTOOLS_WORKSHOP`` (set by ``journeytools lab WORKSHOP``), else
    the worked example.
    """
    if not str(path).strip():  # blank: the workshop `journeytools lab` opened, else the example
        from ..store.resources import DEFAULT_EXAMPLE, WORKSHOP_ENV

        path = os.environ.get(WORKSHOP_ENV, "").strip() or DEFAULT_EXAMPLE
    p = Path(path).expanduser()
    if p.is_absolute() or p.exists():
        return p.resolve() if p.exists() else p
    from ..store.resources import resource_dir

    base = Path(notebook_dir) if notebook_dir else resource_dir("notebooks")
    candidate = (base / p).resolve()
    return candidate if candidate.exists() else p


NO_EVIDENCE_HELP = (
    "{name} has no evidence yet: there is no {mapping}. To add it, put an event log export (CSV, "
    "CSV.gz or Parquet with a user, an event and a timestamp column) in the workshop's evidence/ "
    "folder and write evidence/mapping.yml naming its columns and which events mean which "
    "touchpoint (see workshops/luggage-store/evidence/mapping.yml, or the README's 'Evidence from "
    "event logs'). Then run this notebook again, or: journeytools evidence {folder}.")


def evidence(workshop: str | os.PathLike, events: str = "", mapping: str = "",
             segment: str = "") -> Any:
    """The evidence notebook's computation for any workshop (``EvidenceResult``), or ``None``
    after showing how to add evidence when the workshop has no mapping yet.

    Blank ``events``/``mapping`` mean the workshop's own ``evidence/mapping.yml`` and the log it
    names, so the notebook follows its ``workshop`` parameter.
    """
    from IPython.display import display

    from ..evidence import compute_evidence

    folder = locate(workshop)
    chosen = locate(mapping) if mapping else folder / "evidence" / "mapping.yml"
    if not Path(chosen).is_file():
        display(note(NO_EVIDENCE_HELP.format(name=folder.name, mapping=chosen, folder=folder), "warning"))
        return None
    return compute_evidence(folder, locate(events) if events else None, chosen, segment=segment or None)


def own_workshop(path: str | os.PathLike = "", template: str = "retail-ecommerce",
                 interactive: bool = True) -> Path:
    """The learner's own workshop folder, created from a starter template when absent.

    A blank ``path`` means ``../workshops/my-first-map`` beside the notebooks folder the kernel
    runs in when interactive (``my-first-map`` in the current folder elsewhere), and a fresh
    temporary folder when headless (so a test or CI run leaves nothing behind).
    """
    import tempfile

    from ..store.starters import new_workshop

    if str(path).strip():
        folder = Path(path).expanduser()
    elif interactive:
        here = Path.cwd()
        folder = (here.parent / "workshops" if here.name == "notebooks" else here) / "my-first-map"
    else:
        folder = Path(tempfile.mkdtemp(prefix="journeytools-")) / "my-first-map"
    if not (folder / "workshop.yml").is_file():
        new_workshop(folder, template)
    return folder


def starters() -> Styler:
    """The starter templates a new workshop can begin from."""
    from ..store.starters import list_starters

    items = list_starters()
    frame = pd.DataFrame({"Template": [s.name for s in items], "Title": [s.title for s in items],
                          "What it covers": [s.description for s in items]})
    return table(frame, "Starter templates")


def validation(report: Any) -> Styler:
    """A ``jt.validate`` report: a verdict caption and one row per problem or warning."""
    problems = [*report.errors, *report.warnings]
    frame = pd.DataFrame({"Level": [p.level for p in problems], "File": [p.file for p in problems],
                          "Line": [p.line or "" for p in problems],
                          "Column": [p.column or "" for p in problems],
                          "Message": [p.message for p in problems]})
    verdict = (f"Valid: {len(report.warnings)} warning(s) worth a look" if report.ok
               else f"Not valid: {len(report.errors)} problem(s) to fix")
    return table(frame, verdict, empty="No problems and no warnings.")


# -- the map -------------------------------------------------------------------------------
def overview(ws: Workshop) -> Styler:
    """What the map is about: title, organisation, scope, dates, state and counts."""
    rows = [("Title", ws.title), ("Organisation", ws.organisation),
            ("Scope", str(ws.meta.get("scope") or "—")), ("State", ws.state),
            ("Workshop date", str(ws.date or "—")), ("Last reviewed", str(ws.reviewed or "—")),
            ("Facilitators", ", ".join(str(f) for f in ws.meta.get("facilitators") or []) or "—"),
            ("Personas", str(len(ws.personas))), ("Touchpoints", str(len(ws.touchpoints))),
            ("Journey steps", str(len(ws.steps))), ("Pain points", str(len(ws.pain_points))),
            ("Opportunities", str(len(ws.opportunities)))]
    return table(pd.DataFrame(rows, columns=["", "Value"]), "The map at a glance")


def stages(ws: Workshop, scores: Scores | None = None) -> Styler:
    """Stages in journey order with their goal (and pain when scores are given)."""
    frame = pd.DataFrame({"#": range(1, len(ws.stages) + 1),
                          "Stage": [s.name for s in ws.stages],
                          "Customer goal": [s.goal or "—" for s in ws.stages],
                          "Touchpoints": [int((ws.touchpoints["stage"] == s.id).sum())
                                          for s in ws.stages]})
    if scores is not None:
        frame["Weighted pain"] = scores.stages["pain"].round(1).to_numpy()
        hottest = scores.hottest_stage
        frame["Hottest"] = ["◀ hottest" if s.id == hottest and scores.stages["pain"].max() > 0
                            else "" for s in ws.stages]
    return table(frame, "Stages, in journey order")


def personas(ws: Workshop) -> Styler:
    """Persona cards as a table; the evidence column says what each persona is built from."""
    p = ws.personas
    frame = pd.DataFrame({
        "Persona": _col(p, "name"), "Segment": _col(p, "segment"), "Goals": _col(p, "goals"),
        "Frustrations": _col(p, "frustrations"),
        "Channels": [", ".join(split_list(c)) for c in _col(p, "channels")],
        "Who shapes it": [", ".join(split_list(c)) or "—" for c in _col(p, "influencers")],
        "Weight": pd.to_numeric(pd.Series(_col(p, "weight", None), dtype=object),
                                errors="coerce").fillna(1.0).to_numpy(),
        "Built from": [s if s.strip() else "assumption (no data source yet)"
                       for s in _col(p, "data_sources")],
    })
    return table(frame, "Personas and the evidence behind them")


def expectations(ws: Workshop, persona: str) -> Styler:
    """Per stage: the customer's goal, what the persona expected at each step there and the
    questions they asked (the optional ``questions`` column of steps.csv)."""
    j = journey(ws, persona)
    name = ws.persona_name(persona)
    rows = []
    for s in ws.stages:
        mine = j[j["stage"] == s.id]
        expects = [e for e in mine["expectation"] if e.strip()]
        asks = [q for q in mine["questions"] if q.strip()]
        rows.append((s.name, s.goal or "—", " · ".join(expects) or "—", " · ".join(asks) or "—"))
    frame = pd.DataFrame(rows, columns=["Stage", "Goal for the stage", f"What {name} expected",
                                        f"What {name} asked"])
    return table(frame, f"Goals, expectations and questions: {name}")


def owners(ws: Workshop) -> Styler:
    """Teams owning touchpoints, and the stages they cover: who belongs in the room."""
    tp = ws.touchpoints
    names = {s.id: s.name for s in ws.stages}
    order = {s.id: i for i, s in enumerate(ws.stages)}
    teams: dict[str, list[tuple[str, str]]] = {}
    for owner, stage, name in zip(_col(tp, "owner"), _col(tp, "stage"), _col(tp, "name")):
        teams.setdefault(owner.strip() or "(no owner)", []).append((stage, name))
    rows = []
    for team, items in sorted(teams.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        stages_ = sorted({st for st, _ in items}, key=lambda st: order.get(st, len(order)))
        rows.append((team, len(items), ", ".join(names.get(st, st) for st in stages_),
                     ", ".join(n for _, n in items)))
    frame = pd.DataFrame(rows, columns=["Team", "Touchpoints", "Stages", "Owns"])
    return table(frame, "Who owns the touchpoints (invite them)")


def touchpoints(ws: Workshop) -> Styler:
    """Touchpoints grouped by stage in journey order, with channel, kind and owner."""
    tp = ws.touchpoints
    order = {s.id: i for i, s in enumerate(ws.stages)}
    names = {s.id: s.name for s in ws.stages}
    frame = pd.DataFrame({"_pos": [order.get(s, len(order)) for s in _col(tp, "stage")],
                          "Stage": [names.get(s, s) for s in _col(tp, "stage")],
                          "Touchpoint": _col(tp, "name"), "Channel": _col(tp, "channel"),
                          "Online/offline": _col(tp, "kind"),
                          "Owner": [o or "— nobody yet" for o in _col(tp, "owner")]})
    frame = frame.sort_values("_pos", kind="mergesort").drop(columns="_pos")
    return table(frame, "Touchpoints by stage (before, during and after purchase)")


def journey_steps(ws: Workshop, persona: str) -> Styler:
    """One persona's journey: doing, thinking, feeling, expectation and emotion (1–5)."""
    j = journey(ws, persona)
    emotion = [("—" if pd.isna(e) else f"{int(e)} {face(e)}") for e in j["emotion"]]
    frame = pd.DataFrame({"Stage": j["stage_name"], "Touchpoint": j["touchpoint_name"],
                          "Doing": j["action"], "Thinking": j["thought"], "Feeling": j["feeling"],
                          "Emotion": emotion, "Expects": j["expectation"], "Asks": j["questions"]})
    return table(frame, f"{ws.persona_name(persona)}'s journey: doing, thinking, feeling",
                 empty="No steps for this persona yet.")


def moments_of_truth(ws: Workshop) -> Styler:
    """Steps where a persona feels bad (emotion ≤ 2) or drops by 2 or more: fix these first."""
    rows = []
    for pid in ws.personas["id"]:
        curve = emotion_curve(ws, pid)
        for r in curve[curve["moment_of_truth"]].itertuples():
            why = f"drop of {int(r.drop)}" if r.drop >= 2 else "low emotion"
            rows.append((ws.persona_name(pid), r.stage_name, r.touchpoint_name,
                         f"{int(r.emotion)} {face(r.emotion)}", r.feeling, why))
    frame = pd.DataFrame(rows, columns=["Persona", "Stage", "Touchpoint", "Emotion", "Feeling",
                                        "Why it matters"])
    return table(frame, "Moments of truth (emotion 2 or lower, or a drop of 2 or more)",
                 empty="No moments of truth yet: rate the emotion of each step.")


def pain_points(ws: Workshop, scores: Scores, top: int | None = None) -> Styler:
    """Pain points, most painful first, with their score and what backs them."""
    pp = scores.pain_points.head(top) if top else scores.pain_points
    stage_names = {s.id: s.name for s in ws.stages}
    tp_names = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"]))
    frame = pd.DataFrame({
        "Rank": pp["rank"].astype(int).to_numpy(), "Pain point": pp["id"],
        "What goes wrong": pp["description"],
        "Persona": ["all personas" if p == "*" else ws.persona_name(p) for p in pp["persona"]],
        "Stage": [stage_names.get(s, s) for s in pp["stage"]],
        "Touchpoint": [tp_names.get(t, t) for t in pp["touchpoint"]],
        "Severity × frequency": [f"{s} × {f} = {s * f}" for s, f in
                                 zip(pp["severity"], pp["frequency"])],
        "Votes": pp["votes"].astype(int).to_numpy(),
        "Weighted pain": pp["weighted_pain"].round(1).to_numpy(),
        "Evidence": [_evidence(s, e) for s, e in zip(pp["source"], pp["evidence"])],
    })
    return table(frame, "Pain points, most painful first", empty="No pain points yet.")


def _evidence(source: str, evidence: str) -> str:
    if source == "assumption" or not str(evidence).strip():
        return f"{source}: not yet backed by data" if source == "assumption" else source
    return f"{source}: {evidence}"


def opportunities(ws: Workshop, scores: Scores, top: int | None = None) -> Styler:
    """Scored opportunities by RICE, with ICE, pain relieved, votes and quadrant."""
    op = scores.opportunities[scores.opportunities["scored"]]
    op = op.head(top) if top else op
    stage_names = {s.id: s.name for s in ws.stages}
    frame = pd.DataFrame({
        "Rank": op["rank"].astype(int).to_numpy(), "Opportunity": op["title"],
        "Stage": [stage_names.get(s, s) for s in op["stage"]],
        "Addresses": [", ".join(a) for a in op["addresses"]],
        "RICE": op["rice"].round(1).to_numpy(), "ICE": op["ice"].round(2).to_numpy(),
        "Pain relieved": op["pain_relieved"].round(1).to_numpy(),
        "Votes": op["votes"].astype(int).to_numpy(), "Quadrant": op["quadrant"],
        "Owner": op["owner"], "Status": op["status"],
    })
    return table(frame, "Opportunities ranked by RICE", empty="No scored opportunities yet.")


def plan(ws: Workshop, persona: str | None = None) -> Styler:
    """The plan per stage (:mod:`journeytools.plan`): for each stage in journey order, the ideas
    grouped by kind (fix, content, campaign, personalisation, process, product), best RICE rank
    first, with owner and status; a stage with nothing planned says so."""
    from ..plan import plan_stages

    rows = []
    for st in plan_stages(ws, persona):
        if not st.groups:
            rows.append((st.name, "—", "nothing planned yet", "", "", ""))
        for g in st.groups:
            for r in g.items.itertuples():
                rank = "" if pd.isna(r.rank) else str(int(r.rank))
                rows.append((st.name, g.label, r.title, r.owner or "—", r.status or "idea",
                             rank or "not scored"))
    frame = pd.DataFrame(rows, columns=["Stage", "Kind", "Idea", "Owner", "Status", "RICE rank"])
    return table(frame, "The plan per stage: fixes, content, campaigns, personalisation",
                 empty="No ideas yet.")


def kpis(ws: Workshop) -> Styler:
    """KPIs per stage or touchpoint: baseline, target, current, progress and owner."""
    from ..evidence import kpi_status

    k = ws.kpis
    status = kpi_status(k)
    stage_names = {s.id: s.name for s in ws.stages}
    tp_names = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"]))
    where = [tp_names.get(t, t) if str(t).strip() else stage_names.get(s, s)
             for s, t in zip(_col(k, "stage"), _col(k, "touchpoint"))]
    frame = pd.DataFrame({
        "KPI": _col(k, "id"), "Metric": _col(k, "metric"), "Where": where,
        "Unit": _col(k, "unit"),
        "Baseline": [number(v) for v in _col(k, "baseline", None)],
        "Target": [number(v) for v in _col(k, "target", None)],
        "Current": [number(v) for v in _col(k, "current", None)],
        "Progress": ["—" if p is None or pd.isna(p) else f"{number(100 * p, 0)} %"
                     for p in status["progress"]],
        "Status": status["status"].tolist(),
        "Owner": [o or "— nobody yet" for o in _col(k, "owner")],
        "Measured on": [str(d) or "—" for d in _col(k, "measured_at")],
    })
    return table(frame, "How will we know it worked? KPIs per stage",
                 empty="No KPIs yet: add one per stage you want to improve (kpis.csv).")


def drop_offs(ws: Workshop, top: int = 3) -> Styler:
    """Where most users leave the funnel (the stored ``evidence/funnel.csv``), the segment that
    leaves most, and what the map plans to win them back: campaign ideas at that stage and the
    KPIs that would show it worked."""
    from ..evidence.stored import read_stored

    stored = read_stored(ws)
    if stored is None or not len(stored.funnel) or "drop_off" not in stored.funnel.columns:
        return table(pd.DataFrame(), "Drop-offs to recover",
                     empty="No funnel yet: run `journeytools evidence` (notebook 06) first.")
    f = stored.funnel.reset_index(drop=True)
    segments = _segment_rates(Path(str(ws.path)) / "evidence" / "funnel.csv")
    names = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"]))
    stage_names = {s.id: s.name for s in ws.stages}
    opps = _opportunity_stages(ws)
    k = ws.kpis
    rows = []
    for i in range(1, len(f)):
        here, nxt = f.iloc[i - 1], f.iloc[i]
        lost = pd.to_numeric(pd.Series([nxt["drop_off"]]), errors="coerce").iloc[0]
        rate = pd.to_numeric(pd.Series([nxt.get("drop_off_rate")]), errors="coerce").iloc[0]
        if pd.isna(lost) or lost <= 0:
            continue
        tp, stage = str(here["touchpoint"]), str(here["stage"])
        seg = segments.get(str(nxt["touchpoint"]))
        campaigns = [t for t, st, kind in opps if kind == "campaign" and st == stage]
        measures = [str(i) for i, s, t in zip(_col(k, "id"), _col(k, "stage"), _col(k, "touchpoint"))
                    if t == tp or (not str(t).strip() and s == stage)]  # KPIs on where they left
        rows.append((float(rate) if not pd.isna(rate) else 0.0, (
            f"{names.get(tp, tp)} → {names.get(str(nxt['touchpoint']), nxt['touchpoint'])}",
            stage_names.get(stage, stage), number(lost, 0),
            "—" if pd.isna(rate) else f"{number(100 * rate)} %",
            f"{seg[0]} ({number(100 * seg[1])} %)" if seg else "—",
            "; ".join(campaigns) or "— none yet: add one to win them back",
            ", ".join(measures) or "— none yet: add a KPI")))
    rows.sort(key=lambda r: -r[0])
    frame = pd.DataFrame([r for _, r in rows[:top]],
                         columns=["Users leave between", "Stage", "Users lost", "Drop-off",
                                  "Leaves most", "Campaigns at this stage", "KPI"])
    return table(frame, "Drop-offs to recover: largest first", empty="No drop-off in the funnel.")


def _segment_rates(path: Path) -> dict[str, tuple[str, float]]:
    """Per funnel touchpoint, the segment with the highest drop-off rate reaching it."""
    try:
        f = pd.read_csv(path, keep_default_na=False, dtype=str)
    except (OSError, ValueError):
        return {}
    if not {"segment", "touchpoint", "drop_off_rate"} <= set(f.columns):
        return {}
    f = f[f["segment"] != ""]
    rate = pd.to_numeric(f["drop_off_rate"], errors="coerce")
    out: dict[str, tuple[str, float]] = {}
    for tp, seg, r in zip(f["touchpoint"], f["segment"], rate):
        if not pd.isna(r) and (tp not in out or r > out[tp][1]):
            out[tp] = (seg, float(r))
    return out


def _opportunity_stages(ws: Workshop) -> list[tuple[str, str, str]]:
    """(title, stage, kind) of every idea, its stage given or from its pain points."""
    from ..scoring import opportunity_table

    op = opportunity_table(ws)
    return list(zip(op["title"], op["stage"], op["kind"]))


def unscored(scores: Scores) -> Styler:
    """Opportunities that cannot be ranked yet and what they lack."""
    op = scores.unscored
    frame = pd.DataFrame({"Opportunity": op["title"],
                          "Still needs": ["; ".join(_MISSING_WORDS.get(m, m) for m in miss)
                                          for miss in op["missing"]]})
    return table(frame, "Ideas not scored yet", empty="Every opportunity is scored.")


def gaps(scores: Scores) -> Styler:
    """What the map reveals as missing, in plain sentences."""
    kinds = {"stage_without_touchpoint": "Stage without touchpoint",
             "persona_skips_stage": "Persona skips a stage",
             "channel_not_served": "Channel not served",
             "touchpoint_without_owner": "Touchpoint without owner",
             "unaddressed_pain": "Painful and unaddressed",
             "opportunity_addresses_nothing": "Idea addresses no pain point",
             "pain_without_process": "Pain with no process behind it",
             "frontstage_without_backstage": "Frontstage without backstage",
             "process_without_owner": "Process without owner"}
    frame = pd.DataFrame({"Gap": [kinds.get(g.kind, g.kind.replace("_", " ").capitalize())
                                  for g in scores.gaps],
                          "Details": [g.message for g in scores.gaps]})
    return table(frame, "Gaps in the map", empty="No gaps found.")


def votes(ws: Workshop) -> Styler:
    """Dots per item, most voted first, and who has dots left."""
    v = ws.votes
    if not len(v):
        return table(pd.DataFrame(), "Dot votes", empty="No votes yet.")
    n = pd.to_numeric(v["votes"] if "votes" in v else 1, errors="coerce")
    n = pd.Series(n, index=v.index).fillna(1).astype(int)
    per_item = n.groupby(v["item"].to_numpy()).sum().sort_values(ascending=False, kind="mergesort")
    titles = dict(zip(ws.opportunities["id"], ws.opportunities["title"]))
    titles.update(dict(zip(ws.pain_points["id"], ws.pain_points["id"])))
    frame = pd.DataFrame({"Item": [titles.get(i, i) for i in per_item.index],
                          "Kind": ["pain point" if i in set(ws.pain_points["id"]) else "opportunity"
                                   for i in per_item.index],
                          "Dots": per_item.to_numpy()})
    return table(frame, "Dot votes received")


def review_status(ws: Workshop, today: dt.date | None = None) -> _HTML:
    """When the map was reviewed, when it is due, and a warning when it is stale."""
    due = ws.review_due()
    if ws.is_stale(today):
        return note(f"Stale map: last reviewed on {ws.reviewed}, review was due on {due} "
                    f"(every {ws.review_every_months} months). Review it with the team before "
                    "relying on it.", "warning")
    return note(f"Up to date: last reviewed on {ws.reviewed or 'never'}; next review due by "
                f"{due or 'unknown'} (every {ws.review_every_months} months), or sooner after "
                "launching a channel or changing the product.", "ok")


# -- review --------------------------------------------------------------------------------
def changes_since(folder: str | os.PathLike, since_rev: str = "",
                  previous: str | os.PathLike = "") -> str:
    """Markdown of what changed since an earlier version of the map.

    ``since_rev`` (a git revision) wins over ``previous`` (a folder holding the earlier
    version); with neither, says so.
    """
    import journeytools as jt

    from ..diff import diff, to_markdown

    if since_rev:
        from ..store.gitrev import load_at_revision
        old, label = load_at_revision(folder, since_rev), f"revision {since_rev}"
    elif previous and str(previous).strip():
        old, label = jt.load(previous), f"{previous}"
    else:
        return ("No earlier version given: set `since_rev` (a git revision such as `HEAD~1` or a "
                "tag) or `previous` (a folder with the last reviewed copy) in the parameters cell "
                "to see what changed.")
    return to_markdown(diff(old, jt.load(folder), old_label=label, new_label="the map as it is now"))


def next_steps(ws: Workshop, scores: Scores, today: dt.date | None = None) -> list[str]:
    """A short, ordered to-do list for after the review."""
    out: list[str] = []
    if ws.is_stale(today):
        out.append(f"Schedule a review: the map was last reviewed on {ws.reviewed}.")
    unaddressed = [g for g in scores.gaps if g.kind == "unaddressed_pain"]
    if unaddressed:
        out.append(f"Find an idea for {len(unaddressed)} painful, unaddressed pain point(s): "
                   + ", ".join(g.id for g in unaddressed[:5]) + ".")
    assumptions = scores.pain_points[scores.pain_points["source"] == "assumption"]
    if len(assumptions):
        out.append(f"Back {len(assumptions)} pain point(s) marked as assumptions with data "
                   "(analytics, a survey or interviews): " + ", ".join(assumptions["id"][:5]) + ".")
    if len(scores.unscored):
        out.append(f"Score {len(scores.unscored)} idea(s) so they can be ranked: "
                   + ", ".join(scores.unscored["id"]) + ".")
    owners = [g for g in scores.gaps if g.kind == "touchpoint_without_owner"]
    if owners:
        out.append(f"Give {len(owners)} touchpoint(s) an owner.")
    quick = scores.opportunities[(scores.opportunities["quadrant"] == "quick win")
                                 & ~scores.opportunities["status"].isin(["done", "dropped"])]
    if len(quick):
        out.append("Start the quick wins: " + ", ".join(quick["title"].head(3)) + ".")
    out.append("Send the reports: `journeytools report DIR -o OUT` and share the index page.")
    return out


def todo(items: list[str], title: str = "What to do next") -> _HTML:
    """A numbered list, escaped (e.g. :func:`next_steps`)."""
    body = "".join(f"<li>{html.escape(i)}</li>" for i in items)
    return _HTML(f"<p><b>{html.escape(title)}</b></p><ol>{body}</ol>",
                 title + "\n" + "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1)))


def _col(frame: pd.DataFrame, name: str, default: Any = "") -> list:
    if name not in frame.columns:
        return [default] * len(frame)
    return [default if pd.isna(v) else v for v in frame[name].tolist()]
