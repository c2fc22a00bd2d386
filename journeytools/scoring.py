"""Scores and rankings (SPEC §3) as pure functions over a loaded workshop.

No I/O and no printing: notebooks, reports and the CLI all share these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import blueprint
from .model.workshop import Workshop
from .vocab import channel_families, channel_key, channel_name, channel_reaches, shorten

RICE_FIELDS = ("reach", "impact", "confidence", "effort")
QUADRANTS = ("quick win", "big bet", "fill-in", "money pit")
DELIGHT_EMOTION, DELIGHT_RISE = 4, 2  # a peak: emotion from 4, or a rise of 2 or more
HIGH_PAIN_SCORE = 12  # severity × frequency from which an unaddressed pain point is a gap


def _col(frame: pd.DataFrame, name: str, default: Any) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series([default] * len(frame), index=frame.index, dtype=object if isinstance(default, str) else None)


def _obj(values: list) -> pd.Series:
    # Object dtype keeps Python strings: later lookups and loops stay fast.
    return pd.Series(values, dtype=object)


def split_list(value: object) -> list[str]:
    """Items of a ``;``-separated cell (``channels``, ``addresses``), stripped, blanks dropped."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [p.strip() for p in str(value).split(";") if p.strip()]


def persona_weights(ws: Workshop) -> pd.Series:
    """Weight per persona id (default 1)."""
    p = ws.personas
    w = pd.to_numeric(_col(p, "weight", np.nan), errors="coerce").fillna(1.0).astype(float)
    return pd.Series(w.to_numpy(), index=p["id"].astype(str).to_numpy(), dtype=float)


def vote_counts(ws: Workshop) -> pd.Series:
    """Dot votes received per item id."""
    v = ws.votes
    if not len(v):
        return pd.Series(dtype="int64")
    n = pd.to_numeric(_col(v, "votes", np.nan), errors="coerce").fillna(1).astype("int64")
    return n.groupby(v["item"].astype(str).to_numpy()).sum()


def stage_order(ws: Workshop) -> dict[str, int]:
    return {sid: i for i, sid in enumerate(ws.stage_ids)}


def touchpoint_stage(ws: Workshop) -> pd.Series:
    tp = ws.touchpoints
    return pd.Series(tp["stage"].astype(str).to_numpy(), index=tp["id"].astype(str).to_numpy())


def pain_table(ws: Workshop, persona: str | None = None) -> pd.DataFrame:
    """Pain points with pain score, weighted pain and rank (1 = most painful).

    Weighted pain = severity × frequency × persona weight (a ``*`` pain point takes the sum of
    all weights) + 1 per dot vote. Ties are broken by id.

    With ``persona``, the persona view (SPEC §3): that persona's own pain points as on the map,
    and each ``*`` one at pain score × *that persona's* weight + its votes × (that weight ÷ the
    sum of weights); ``weight`` is then that persona's weight and ``vote_share`` the share of
    the votes counted. Summed over all personas, these give the map's numbers exactly.
    """
    pp = ws.pain_points
    cols = ["id", "persona", "touchpoint", "stage", "description", "severity", "frequency",
            "pain_score", "weight", "votes", "vote_share", "weighted_pain", "evidence", "source", "rank"]
    if not len(pp):
        return pd.DataFrame({c: pd.Series(dtype=float if c in _FLOAT_COLUMNS else object)
                             for c in cols})
    weights = persona_weights(ws).to_dict()
    total = float(sum(weights.values()))
    votes = vote_counts(ws).to_dict()
    tp_stage = touchpoint_stage(ws).to_dict()
    ids, personas, tps = _texts(pp, "id"), _texts(pp, "persona"), _texts(pp, "touchpoint")
    severity, frequency = _numbers(pp, "severity"), _numbers(pp, "frequency")
    weight = np.array([total if p == "*" else weights.get(p, 1.0) for p in personas], dtype=float)
    n_votes = np.array([votes.get(i, 0) for i in ids], dtype="int64")
    share = np.ones(len(ids))
    if persona is not None:
        star = np.array([p == "*" for p in personas], dtype=bool)
        mine = weights.get(persona, 1.0)
        weight = np.where(star, mine, weight)
        share = np.where(star, persona_share(mine, total), 1.0)
    pain_score = (severity * frequency).astype("int64")
    out = pd.DataFrame({
        "id": _obj(ids), "persona": _obj(personas), "touchpoint": _obj(tps),
        "stage": _obj([tp_stage.get(t, "") for t in tps]),
        "description": _obj(_texts(pp, "description")),
        "severity": severity.astype("int64"), "frequency": frequency.astype("int64"),
        "pain_score": pain_score, "weight": weight, "votes": n_votes, "vote_share": share,
        "weighted_pain": pain_score * weight + n_votes * share,
        "evidence": _obj(_texts(pp, "evidence")),
        "source": _obj([s or "assumption" for s in _texts(pp, "source")]),
    })
    if persona is not None:
        out = out[(out["persona"] == persona) | (out["persona"] == "*")]
    out = out.sort_values(["weighted_pain", "id"], ascending=[False, True], kind="mergesort")
    out["rank"] = np.arange(1, len(out) + 1)
    return out[cols].reset_index(drop=True)


_FLOAT_COLUMNS = ("weight", "vote_share", "weighted_pain")


def persona_share(weight: float, total: float) -> float:
    """The share of a ``*`` pain point's votes a persona of ``weight`` counts (SPEC §3)."""
    return weight / total if total else 0.0


def stage_pain(ws: Workshop, persona: str | None = None,
               pains: pd.DataFrame | None = None) -> pd.DataFrame:
    """Weighted pain per stage in journey order (0 where none)."""
    pains = pain_table(ws, persona) if pains is None else pains
    sums = pains.groupby("stage")["weighted_pain"].sum() if len(pains) else pd.Series(dtype=float)
    stages = ws.stages
    return pd.DataFrame({
        "id": [s.id for s in stages],
        "name": [s.name for s in stages],
        "pain": [float(sums.get(s.id, 0.0)) for s in stages],
    })


def persona_stage_pain(ws: Workshop) -> pd.DataFrame:
    """Persona-view stage pain of every persona: personas (file order) × stages (journey order).

    Row *p* is ``stage_pain(ws, p)``, so each column sums to the map's stage pain (SPEC §3).
    """
    personas = [str(p) for p in ws.personas["id"]] if len(ws.personas) else []
    stages = ws.stage_ids
    pains = pain_table(ws)
    col = {sid: k for k, sid in enumerate(stages)}
    stage = np.array([col.get(sid, -1) for sid in pains["stage"]], dtype=np.int64)
    owner = pains["persona"].to_numpy(object)
    star = owner == "*"
    weights = persona_weights(ws).to_dict()
    total = float(sum(weights.values()))
    ps, votes, wp = (pains[c].to_numpy(float) for c in ("pain_score", "votes", "weighted_pain"))
    rows = np.zeros((len(personas), len(stages)))
    for i, p in enumerate(personas):
        w = weights.get(p, 1.0)
        take = ((owner == p) | star) & (stage >= 0)
        # the same per-row numbers as pain_table(ws, p)
        value = np.where(star, ps * w + votes * persona_share(w, total), wp)
        rows[i] = np.bincount(stage[take], weights=value[take], minlength=len(stages))
    return pd.DataFrame(rows,
                        index=pd.Index(personas, name="persona"),
                        columns=pd.Index(ws.stage_ids, name="stage"))


def hottest_stage(ws: Workshop, persona: str | None = None) -> str | None:
    """The stage with the most weighted pain (ties to the earlier stage); None without stages."""
    return _hottest(stage_pain(ws, persona))


def _hottest(stages: pd.DataFrame) -> str | None:
    # argmax returns the first maximum: ties go to the earlier stage
    if not len(stages):
        return None
    return str(stages["id"].iloc[int(np.argmax(stages["pain"].to_numpy()))])


def journey(ws: Workshop, persona: str) -> pd.DataFrame:
    """A persona's steps in journey order: by stage, then ``order`` (steps without one keep
    their file position after those with one). Includes steps with a blank emotion."""
    st = ws.steps
    st = st[st["persona"] == persona] if len(st) else st
    tp = ws.touchpoints.set_index("id") if len(ws.touchpoints) else pd.DataFrame()
    order_of = stage_order(ws)
    names = {s.id: s.name for s in ws.stages}
    frame = pd.DataFrame({
        "persona": st["persona"].astype(str).to_numpy() if len(st) else [],
        "touchpoint": st["touchpoint"].astype(str).to_numpy() if len(st) else [],
        "file_pos": np.arange(len(st)),
    })
    for col in ("action", "thought", "feeling", "expectation", "questions"):
        frame[col] = _col(st, col, "").fillna("").astype(str).to_numpy() if len(st) else []
    frame["order"] = pd.array(_col(st, "order", None).to_numpy() if len(st) else [], dtype="Int64")
    frame["emotion"] = pd.array(_col(st, "emotion", None).to_numpy() if len(st) else [], dtype="Int64")
    tp_stage = touchpoint_stage(ws)
    frame["stage"] = frame["touchpoint"].map(tp_stage).fillna("").astype(str)
    frame["stage_name"] = frame["stage"].map(names).fillna("").astype(str)
    frame["touchpoint_name"] = frame["touchpoint"].map(
        tp["name"] if "name" in tp else pd.Series(dtype=str)).fillna(frame["touchpoint"]).astype(str)
    frame["channel"] = frame["touchpoint"].map(
        tp["channel"] if "channel" in tp else pd.Series(dtype=str)).fillna("").astype(str)
    frame["stage_pos"] = frame["stage"].map(order_of).fillna(len(order_of)).astype(int)
    frame["has_order"] = frame["order"].notna()
    frame["order_key"] = frame["order"].astype("float64").fillna(0.0)
    frame = frame.sort_values(["stage_pos", "has_order", "order_key", "file_pos"],
                              ascending=[True, False, True, True], kind="mergesort")
    return frame.drop(columns=["has_order", "order_key", "file_pos"]).reset_index(drop=True)


def emotion_curve(ws: Workshop, persona: str) -> pd.DataFrame:
    """Steps with an emotion, in journey order, with ``drop`` from the previous such step,
    ``moment_of_truth`` (emotion ≤ 2, or a drop of 2 or more) and ``delight``, a moment of
    delight to keep and amplify (emotion ≥ 4, or a rise of 2 or more)."""
    j = journey(ws, persona)
    j = j[j["emotion"].notna()].reset_index(drop=True)
    emotion = j["emotion"].astype("float64")
    drop = (emotion.shift(1) - emotion).fillna(0.0)
    j["drop"] = drop.astype(float)
    j["moment_of_truth"] = (emotion <= 2) | (drop >= 2)
    j["delight"] = ((emotion >= DELIGHT_EMOTION) | (drop <= -DELIGHT_RISE)) & ~j["moment_of_truth"]
    j["position"] = np.arange(len(j))
    return j


def _median(values: pd.Series) -> float:
    return float(np.median(values.to_numpy(dtype=float))) if len(values) else float("nan")


def _numbers(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _texts(frame: pd.DataFrame, name: str) -> list[str]:
    if name not in frame.columns:
        return [""] * len(frame)
    return ["" if v is None or v != v else str(v) for v in frame[name].tolist()]


def opportunity_table(ws: Workshop, persona: str | None = None,
                      pains: pd.DataFrame | None = None) -> pd.DataFrame:
    """Opportunities with RICE, ICE, pain relieved, votes, quadrant and rank.

    Unscored opportunities (missing any RICE field) get ``rank`` NA and ``missing`` fields;
    scored ones rank by RICE, then votes, then id. ``pains`` is the map's pain table when the
    caller has it already. With ``persona``, only opportunities that address that persona's pain
    points (or ``*`` ones) are kept, and they relieve the persona-view pain of those (SPEC §3);
    stage and quadrant stay the map's.
    """
    op = ws.opportunities
    pains = pain_table(ws) if pains is None else pains
    relief = dict(zip(pains["id"].tolist(), pains["weighted_pain"].tolist()))
    pain_stage = dict(zip(pains["id"].tolist(), pains["stage"].tolist()))
    order_of = stage_order(ws)
    votes = vote_counts(ws).to_dict()
    ids = _texts(op, "id")
    addresses = [split_list(v) for v in _texts(op, "addresses")]
    stages = _texts(op, "stage")
    for i, (stage, refs) in enumerate(zip(stages, addresses)):
        if not stage and refs:
            by_stage: dict[str, float] = {}
            for a in refs:
                if a in pain_stage:
                    by_stage[pain_stage[a]] = by_stage.get(pain_stage[a], 0.0) + float(relief[a])
            if by_stage:
                stages[i] = min(by_stage, key=lambda s: (-by_stage[s], order_of.get(s, 1 << 30)))
    out = pd.DataFrame({
        "id": _obj(ids), "title": _obj(_texts(op, "title")),
        "description": _obj(_texts(op, "description")), "addresses": _obj(addresses),
        "stage": _obj(stages),
        **{f: _numbers(op, f) for f in (*RICE_FIELDS, "ease")},
        "owner": _obj(_texts(op, "owner")), "status": _obj(_texts(op, "status")),
        "kind": _obj(_texts(op, "kind")),
        "pain_relieved": [float(sum(relief.get(a, 0.0) for a in refs)) for refs in addresses],
        "votes": np.array([int(votes.get(i, 0)) for i in ids], dtype="int64"),
    })
    present = np.column_stack([~np.isnan(out[f].to_numpy()) for f in RICE_FIELDS]) \
        if len(out) else np.zeros((0, len(RICE_FIELDS)), dtype=bool)
    out["missing"] = [[f for f, ok in zip(RICE_FIELDS, row) if not ok] for row in present]
    out["scored"] = present.all(axis=1) if len(out) else np.zeros(0, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rice"] = np.where(out["scored"], out["reach"] * out["impact"] * out["confidence"] / out["effort"], np.nan)
    out["ice"] = out["impact"] * out["confidence"] * out["ease"]
    out["value"] = out["reach"] * out["impact"] * out["confidence"]
    out["quadrant"] = quadrants(out)
    if persona is not None:
        view = pain_table(ws, persona)
        mine = dict(zip(view["id"].tolist(), view["weighted_pain"].tolist()))
        out["pain_relieved"] = [float(sum(mine.get(a, 0.0) for a in refs)) for refs in out["addresses"]]
        keep = np.array([any(a in mine for a in refs) for refs in out["addresses"]], dtype=bool)
        out = out[keep]
    scored = out[out["scored"]].sort_values(["rice", "votes", "id"], ascending=[False, False, True],
                                            kind="mergesort")
    rest = out[~out["scored"]].sort_values("id", kind="mergesort")
    out = pd.concat([scored, rest]) if len(rest) else scored
    out["rank"] = pd.array(list(range(1, len(scored) + 1)) + [None] * len(rest), dtype="Int64")
    return out.reset_index(drop=True)


def quadrants(opps: pd.DataFrame) -> pd.Series:
    """Impact/effort quadrant of each scored opportunity (empty string when unscored).

    Value = reach × impact × confidence and effort are split at their medians over the scored
    opportunities; a value equal to the median counts as high.
    """
    scored = opps["scored"] if "scored" in opps else opps[list(RICE_FIELDS)].notna().all(axis=1)
    value = opps["reach"] * opps["impact"] * opps["confidence"]
    mv, me = _median(value[scored]), _median(opps["effort"][scored])
    hv, he = value >= mv, opps["effort"] >= me
    labels = np.select([hv & ~he, hv & he, ~hv & ~he], ["quick win", "big bet", "fill-in"], "money pit")
    return pd.Series(np.where(scored, labels, ""), index=opps.index, dtype=object)


def medians(opps: pd.DataFrame) -> tuple[float, float]:
    """(value median, effort median) over scored opportunities: the matrix's split lines."""
    s = opps[opps["scored"]]
    return _median(s["reach"] * s["impact"] * s["confidence"]), _median(s["effort"])


@dataclass(frozen=True)
class Gap:
    """Something the map reveals as missing: kind, the id concerned and a sentence."""

    kind: str
    id: str
    message: str


def gaps(ws: Workshop, persona: str | None = None, pains: pd.DataFrame | None = None) -> list[Gap]:
    """Gaps across channels and stages, in a stable order."""
    out: list[Gap] = []
    tp = ws.touchpoints
    staged = set(_texts(tp, "stage"))
    names = {s.id: s.name for s in ws.stages}
    for s in ws.stages:
        if s.id not in staged:
            out.append(Gap("stage_without_touchpoint", s.id, f"stage '{s.name}' has no touchpoint"))
    tp_stage = dict(zip(_texts(tp, "id"), _texts(tp, "stage")))
    served = {channel_key(c) for c in _texts(tp, "channel") if c.strip()}
    steps = ws.steps
    visited: dict[str, set[str]] = {}
    for pid, tid in zip(_texts(steps, "persona"), _texts(steps, "touchpoint")):
        visited.setdefault(pid, set()).add(tp_stage.get(tid, ""))
    people = ws.personas
    for pid, name, channels in zip(_texts(people, "id"), _texts(people, "name"), _texts(people, "channels")):
        if persona is not None and pid != persona:
            continue
        if pid in visited:
            for s in ws.stages:
                if s.id not in visited[pid]:
                    out.append(Gap("persona_skips_stage", pid, f"{name} has no step in stage '{s.name}'"))
        for ch in split_list(channels):
            if not any(channel_reaches(s, ch) for s in served):
                out.append(Gap("channel_not_served", pid, _channel_gap(name, ch)))
    for tid, tname, stage, owner in zip(_texts(tp, "id"), _texts(tp, "name"), _texts(tp, "stage"),
                                        _texts(tp, "owner")):
        if not owner.strip():
            out.append(Gap("touchpoint_without_owner", tid,
                           f"touchpoint '{tname}' ({names.get(stage, stage)}) has no owner"))
    opps = ws.opportunities
    addressed = {a for v in _texts(opps, "addresses") for a in split_list(v)}
    pains = pain_table(ws, persona) if pains is None else pains
    unaddressed = np.array([i not in addressed for i in pains["id"].tolist()], dtype=bool)
    high = pains[(pains["pain_score"].to_numpy() >= HIGH_PAIN_SCORE) & unaddressed]
    for pid, score_ in zip(high["id"].tolist(), high["pain_score"].tolist()):
        out.append(Gap("unaddressed_pain", pid,
                       f"pain point '{pid}' (pain score {score_}) has no opportunity addressing it"))
    out += _blueprint_gaps(ws, persona, pains)
    if persona is None:
        for oid, title, refs in zip(_texts(opps, "id"), _texts(opps, "title"), _texts(opps, "addresses")):
            if not split_list(refs):
                out.append(Gap("opportunity_addresses_nothing", oid,
                               f"opportunity '{title}' addresses no pain point"))
    return out


def _blueprint_gaps(ws: Workshop, persona: str | None, pains: pd.DataFrame) -> list[Gap]:
    """What the service blueprint leaves open (only for a workshop that has one)."""
    procs = blueprint.rows(ws, persona)
    if not len(procs):
        return []
    out: list[Gap] = []
    caused = {c for causes in procs["causes"] for c in causes}
    high = pains[pains["pain_score"].to_numpy() >= HIGH_PAIN_SCORE]
    for pid, desc in zip(high["id"].tolist(), high["description"].tolist()):
        if pid not in caused:
            out.append(Gap("pain_without_process", pid,
                           f"pain point '{shorten(desc, 60)}' has no process behind it in the blueprint"))
    tp_names = dict(zip(_texts(ws.touchpoints, "id"), _texts(ws.touchpoints, "name")))
    lanes = procs.groupby("touchpoint")["lane"].agg(set)
    for tid, present in lanes.items():
        if "frontstage" in present and not present & {"backstage", "support"}:
            out.append(Gap("frontstage_without_backstage", str(tid),
                           f"touchpoint '{tp_names.get(str(tid), tid)}' has frontstage work with "
                           "no backstage or support process behind it"))
    for r in procs.itertuples():
        if r.lane != "evidence" and not r.owner.strip():
            out.append(Gap("process_without_owner", str(r.touchpoint),
                           f"{r.lane} process '{shorten(r.text, 60)}' at "
                           f"'{tp_names.get(r.touchpoint, r.touchpoint)}' has no owner"))
    return out


def _channel_gap(name: str, channel: str) -> str:
    """'Mia uses TikTok, but no touchpoint reaches her there (nor on social media or video)'."""
    families = sorted(channel_families(channel) - {channel_key(channel)})
    wider = f" (nor on {' or '.join(channel_name(f) for f in families)} in general)" if families else ""
    return f"{name} uses {channel_name(channel)}, but no touchpoint is there{wider}"


@dataclass(frozen=True)
class Scores:
    """Everything ``journeytools score`` shows, computed once."""

    pain_points: pd.DataFrame
    stages: pd.DataFrame
    opportunities: pd.DataFrame
    gaps: list[Gap] = field(default_factory=list)
    persona_stages: pd.DataFrame = field(default_factory=pd.DataFrame)  # persona × stage pain
    root_causes: pd.DataFrame = field(default_factory=pd.DataFrame)  # pain → process (blueprint)

    @property
    def unscored(self) -> pd.DataFrame:
        return self.opportunities[~self.opportunities["scored"]]

    @property
    def hottest_stage(self) -> str | None:
        return _hottest(self.stages)

    def to_dict(self, top: int | None = None) -> dict[str, Any]:
        """The JSON document of SPEC §4 (``score --format json``)."""
        pains = self.pain_points.head(top) if top else self.pain_points
        scored = self.opportunities[self.opportunities["scored"]]
        scored = scored.head(top) if top else scored
        return {
            "pain_points": [
                {"id": r.id, "persona": r.persona, "touchpoint": r.touchpoint, "stage": r.stage,
                 "description": r.description, "severity": int(r.severity),
                 "frequency": int(r.frequency), "pain_score": int(r.pain_score),
                 "weight": float(r.weight), "weighted_pain": float(r.weighted_pain),
                 "votes": int(r.votes),
                 "source": r.source, "evidence": r.evidence, "rank": int(r.rank)}
                for r in pains.itertuples()],
            "stages": [{"id": r.id, "name": r.name, "pain": float(r.pain)} for r in self.stages.itertuples()],
            "hottest_stage": self.hottest_stage,
            "persona_stages": {
                pid: [{"id": sid, "pain": float(v)} for sid, v in row.items()]
                for pid, row in self.persona_stages.iterrows()},
            "opportunities": [
                {"id": r.id, "title": r.title, "rice": _num(r.rice), "ice": _num(r.ice),
                 "pain_relieved": float(r.pain_relieved), "votes": int(r.votes),
                 "quadrant": r.quadrant, "stage": r.stage, "rank": int(r.rank)}
                for r in scored.itertuples()],
            "unscored": [{"id": r.id, "missing": list(r.missing)} for r in self.unscored.itertuples()],
            "gaps": [{"kind": g.kind, "id": g.id, "message": g.message} for g in self.gaps],
            "root_causes": [
                {"pain_point": r.pain_point, "rank": int(r.rank), "process": r.process,
                 "lane": r.lane, "owner": r.owner, "system": r.system, "touchpoint": r.touchpoint,
                 "fails": bool(r.fails)}
                for r in self.root_causes.itertuples()],
        }


def _num(x: float) -> float | None:
    return None if pd.isna(x) else round(float(x), 6)


def score(ws: Workshop, persona: str | None = None) -> Scores:
    """All scores of a workshop (or of one persona's view of it)."""
    everyone = pain_table(ws)
    mine = everyone if persona is None else pain_table(ws, persona)
    by_persona = persona_stage_pain(ws)
    if persona is not None:
        by_persona = by_persona[by_persona.index == persona]
    return Scores(mine, stage_pain(ws, persona, mine),
                  opportunity_table(ws, persona, everyone), gaps(ws, persona, mine), by_persona,
                  blueprint.root_causes(ws, mine, persona))
