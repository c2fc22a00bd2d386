"""Funnel metrics in SQL: reach, conversion, drop-off, median time to next step, issues per month.

Aggregate first, join raw events only where needed: one pass keeps each user's first event per
touchpoint (and segment); reach, conversion and drop-off come from that small table. The time
to the next step is ``first event at the next step - first event here`` when the next step came
later; only users whose first visit to the next step came *before* this one (returning
visitors) are looked up again in the raw events, for their first next-step event after it.

Definitions (SPEC §6): a user *reaches* a touchpoint with at least one mapped event of it,
order not required; with a segment column a user counts in every segment value on which they
had such an event. ``conversion`` = users ÷ users of the previous funnel step, ``drop_off`` =
previous users − users (floored at 0), ``drop_off_rate`` = drop_off ÷ previous users,
``conversion_to_next`` = users of the next step ÷ users here. Stages roll up the same way over
every mapped touchpoint of the stage.

Privacy: a row with fewer than ``min_users`` (k) users shows no numbers and is marked
``suppressed``; the next row's conversion and drop-off, which would reveal the hidden count,
are blanked too; a median over fewer than k users is blanked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from .engine import Engine
from .mapping import Mapping

OVERALL = ""
FUNNEL_COLUMNS = ["touchpoint", "name", "stage", "segment", "step", "users", "conversion",
                  "drop_off", "drop_off_rate", "conversion_to_next", "median_seconds_to_next",
                  "users_to_next", "suppressed", "note"]
STAGE_COLUMNS = ["stage", "name", "segment", "step", "users", "conversion", "drop_off",
                 "drop_off_rate", "conversion_to_next", "median_seconds_to_next",
                 "users_to_next", "suppressed", "note"]
ISSUE_COLUMNS = ["touchpoint", "segment", "month", "issue_events", "issue_users",
                 "touchpoint_users", "issue_rate", "suppressed", "note"]


@dataclass(frozen=True)
class Plan:
    """What to compute, in journey order, from a workshop and a mapping."""

    touchpoints: tuple[tuple[str, str, str, int], ...]  # (id, name, stage, funnel pos or -1)
    stages: tuple[tuple[str, str], ...]                  # (id, name) of stages with mapped events
    emap: pd.DataFrame                                   # event, tp, reach, issue, pos, stage_pos
    split: bool
    issue_tps: tuple[str, ...]


def build_plan(ws: Any, mapping: Mapping) -> Plan:
    """Order the mapped touchpoints by journey (stage order, then touchpoints.csv order)."""
    stage_order = {s.id: i for i, s in enumerate(ws.stages)}
    names = {s.id: s.name for s in ws.stages}
    tp = ws.touchpoints
    info = {r.id: (str(r.name), r.stage, i) for i, r in enumerate(tp[["id", "name", "stage"]].itertuples())}
    mapped = [t for t in info if t in mapping.touchpoints]
    journey = sorted(mapped, key=lambda t: (stage_order[info[t][1]], info[t][2]))
    funnel = list(mapping.funnel) if mapping.funnel else journey
    order = funnel + [t for t in journey if t not in funnel]
    pos = {t: i for i, t in enumerate(funnel)}
    stages = [s for s in ws.stage_ids if any(info[t][1] == s for t in mapped)]
    stage_pos = {s: i for i, s in enumerate(stages)}
    rows = []
    index = {t: i for i, t in enumerate(order + [t for t in mapping.issues if t not in order])}
    for event, (t, reach) in mapping.event_map().items():
        issue = event in mapping.issues.get(t, ())
        rows.append((event, t, index[t], reach, issue, pos.get(t, -1), stage_pos.get(info[t][1], -1)))
    emap = pd.DataFrame(rows, columns=["event", "tp", "tpi", "reach", "issue", "pos", "stage_pos"])
    emap = emap.astype({"event": str, "tp": str, "tpi": "int64", "reach": bool, "issue": bool,
                        "pos": "int64", "stage_pos": "int64"})
    return Plan(tuple((t, info[t][0], info[t][1], pos.get(t, -1)) for t in order),
                tuple((s, names[s]) for s in stages), emap, bool(mapping.segment),
                tuple(mapping.issues))


@dataclass(frozen=True)
class RawMetrics:
    """Counts before privacy rules (never written to disk as is)."""

    stats: pd.DataFrame    # per event name: n, bad_ts, no_user, first, last
    reach: pd.DataFrame    # level ('tp'|'stage'), key, seg, users
    nexts: pd.DataFrame    # level, u (position), seg, n_next, median_s
    issues: pd.DataFrame   # tp, seg, month, issue_events, issue_users, touchpoint_users
    users: int


def event_stats(engine: Engine) -> pd.DataFrame:
    """Rows, unreadable timestamps, rows without a user and time range per event name."""
    return engine.query(
        "SELECT event, count(*) AS n, sum(CASE WHEN ts IS NULL THEN 1 ELSE 0 END) AS bad_ts, "
        "sum(CASE WHEN usr IS NULL THEN 1 ELSE 0 END) AS no_user, min(ts) AS first, "
        "max(ts) AS last FROM events GROUP BY event")


def compute_raw(engine: Engine, plan: Plan, stats: pd.DataFrame | None = None) -> RawMetrics:
    """Run the SQL: first events, reach, time to next step, issues per month."""
    stats = event_stats(engine) if stats is None else stats
    engine.register("emap", plan.emap)
    engine.materialize("mapped", (
        f"SELECT {engine.user_key('e.usr')} AS usr, e.seg, m.tpi, m.pos, m.stage_pos, m.reach, "
        "m.issue, e.ts FROM events e JOIN emap m ON e.event = m.event "
        "WHERE e.usr IS NOT NULL AND e.ts IS NOT NULL"))
    engine.materialize("firsts", (
        "SELECT usr, seg, tpi, min(pos) AS pos, min(stage_pos) AS stage_pos, "
        "min(ts) AS first_ts FROM mapped WHERE reach GROUP BY usr, seg, tpi"))
    parts = [
        "SELECT 'tp' AS level, tpi AS key, '' AS seg, count(DISTINCT usr) AS users "
        "FROM firsts GROUP BY tpi",
        "SELECT 'stage' AS level, stage_pos AS key, '' AS seg, "
        "count(DISTINCT usr) AS users FROM firsts GROUP BY stage_pos",
    ]
    if plan.split:
        parts += [
            "SELECT 'tp' AS level, tpi AS key, seg, count(*) AS users FROM firsts GROUP BY tpi, seg",
            "SELECT 'stage' AS level, stage_pos AS key, seg, "
            "count(DISTINCT usr) AS users FROM firsts GROUP BY stage_pos, seg",
        ]
    reach = engine.query(" UNION ALL ".join(parts))
    nexts = _nexts(engine, plan)
    users = int(engine.query("SELECT count(DISTINCT usr) AS n FROM firsts")["n"].iloc[0])
    return RawMetrics(stats, reach, nexts, _issues(engine, plan), users)


def _nexts(engine: Engine, plan: Plan) -> pd.DataFrame:
    """Users reaching the next step after this one, and the median seconds it took.

    One aggregation pivots each user's first times per step into columns; consecutive
    columns give the gaps. Pairs where the next step's first event came *earlier* are looked
    up in the raw mapped events (one join, on those users only) for a later next-step event.
    """
    n_tp = int(plan.emap["pos"].max()) + 1
    n_st = int(plan.emap["stage_pos"].max()) + 1
    units = [("tp", "pos", i) for i in range(n_tp)] + [("stage", "stage_pos", i) for i in range(n_st)]
    cols = ", ".join(f"min(CASE WHEN {unit} = {i} THEN first_ts END) AS {level}_{i}"
                     for level, unit, i in units)
    engine.materialize("wide", f"SELECT usr, seg, {cols} FROM firsts GROUP BY usr, seg")
    grains = [("wide", True)] if plan.split else []
    engine.materialize("wide0", "SELECT usr, '' AS seg, " + ", ".join(
        f"min({level}_{i}) AS {level}_{i}" for level, _, i in units) + " FROM wide GROUP BY usr")
    grains.append(("wide0", False))
    pairs, late = [], []
    for table, split in grains:
        for level, unit, i in units:
            if (level == "tp" and i + 1 >= n_tp) or (level == "stage" and i + 1 >= n_st):
                continue
            a, b = f"{level}_{i}", f"{level}_{i + 1}"
            head = f"SELECT '{level}' AS level, {i} AS u, seg, usr, {a} AS t0"
            pairs.append((f"{head}, {b} AS t1 FROM {table} WHERE {b} >= {a}", level, i, split))
            late.append(f"{head}, {'TRUE' if split else 'FALSE'} AS split FROM {table} "
                        f"WHERE {b} < {a}")
    engine.materialize("late", " UNION ALL ".join(late))
    engine.materialize("fixed", (
        "SELECT l.level, l.u, l.seg, l.split, l.usr, l.t0, min(e.ts) AS t1 FROM late l "
        "JOIN mapped e ON e.usr = l.usr "
        "WHERE e.reach AND e.ts >= l.t0 AND (NOT l.split OR e.seg = l.seg) AND "
        "((l.level = 'tp' AND e.pos = l.u + 1) OR (l.level = 'stage' AND e.stage_pos = l.u + 1)) "
        "GROUP BY l.level, l.u, l.seg, l.split, l.usr, l.t0"))
    seconds = f"({engine.micros('t1')} - {engine.micros('t0')}) / 1000000.0"
    out = []
    for sql, level, i, split in pairs:  # one step at a time: exact medians in bounded memory
        fixed = (f"SELECT level, u, seg, usr, t0, t1 FROM fixed WHERE level = '{level}' "
                 f"AND u = {i} AND split = {'TRUE' if split else 'FALSE'}")
        out.append(engine.query(
            f"SELECT level, u, seg, count(*) AS n_next, {engine.median(seconds)} AS median_s "
            f"FROM ({sql} UNION ALL {fixed}) g GROUP BY level, u, seg"))
    return pd.concat(out, ignore_index=True)


def _issues(engine: Engine, plan: Plan) -> pd.DataFrame:
    if not plan.issue_tps:
        return pd.DataFrame(columns=["tp", "seg", "month", "issue_events", "issue_users",
                                     "touchpoint_users"])
    tpis = sorted(set(plan.emap.loc[plan.emap["tp"].isin(plan.issue_tps), "tpi"]))
    month = engine.month("ts")

    def q(seg: str, by: str) -> str:
        return (f"SELECT tpi, {seg} AS seg, {month} AS month, "
                "sum(CASE WHEN issue THEN 1 ELSE 0 END) AS issue_events, "
                "count(DISTINCT CASE WHEN issue THEN usr END) AS issue_users, "
                "count(DISTINCT CASE WHEN reach THEN usr END) AS touchpoint_users "
                f"FROM mapped WHERE tpi IN ({', '.join(map(str, tpis))}) "
                f"GROUP BY tpi, {by}{month}")
    sql = q("''", "") + (" UNION ALL " + q("seg", "seg, ") if plan.split else "")
    frame = engine.query(sql)
    names = dict(zip(plan.emap["tpi"], plan.emap["tp"]))
    return frame.assign(tp=frame["tpi"].map(names)).drop(columns="tpi")


# -- from raw counts to the published tables ----------------------------------------------
def _segments(raw: RawMetrics) -> list[str]:
    segs = sorted(set(raw.reach["seg"]) - {OVERALL})
    return [OVERALL] + segs


def _chain(rows: list[dict], k: int) -> list[dict]:
    """Fill conversion, drop-off and next-step columns along one ordered block; suppress."""
    for i, row in enumerate(rows):
        users = row["users"]
        row["suppressed"] = 0 < users < k
        notes = [f"fewer than {k} users"] if row["suppressed"] else []
        prev = rows[i - 1] if i else None
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if prev is not None:
            p = prev["users"]
            row["conversion"] = users / p if p else None
            row["drop_off"] = max(p - users, 0)
            row["drop_off_rate"] = row["drop_off"] / p if p else None
            if prev["suppressed"] and not row["suppressed"]:
                notes.append("previous step suppressed")
        if nxt is not None:
            row["conversion_to_next"] = nxt["users"] / users if users else None
        n = row.get("users_to_next")
        if n is not None and 0 < n < k:
            row["median_seconds_to_next"] = None
            row["users_to_next"] = None
            notes.append(f"fewer than {k} users reached the next step")
        row["note"] = "; ".join(notes)
    for i, row in enumerate(rows):  # blank whatever would reveal a suppressed count
        hide_prev = i > 0 and rows[i - 1]["suppressed"]
        hide_next = i + 1 < len(rows) and rows[i + 1]["suppressed"]
        if row["suppressed"] or hide_prev:
            row.update(conversion=None, drop_off=None, drop_off_rate=None)
        if row["suppressed"] or hide_next:
            row["conversion_to_next"] = None
        if row["suppressed"]:
            row.update(users=None, median_seconds_to_next=None, users_to_next=None)
    return rows


def _lookup(raw: RawMetrics, level: str) -> tuple[dict, dict]:
    r = raw.reach[raw.reach["level"] == level]
    reach = {(int(a), s): int(u) for a, s, u in zip(r["key"], r["seg"], r["users"])}
    n = raw.nexts[raw.nexts["level"] == level]
    nexts = {(int(u), s): (int(c), float(m)) for u, s, c, m in
             zip(n["u"], n["seg"], n["n_next"], n["median_s"])}
    return reach, nexts


def funnel_table(raw: RawMetrics, plan: Plan, k: int) -> pd.DataFrame:
    """One row per touchpoint (× segment), funnel steps first in funnel order."""
    reach, nexts = _lookup(raw, "tp")
    tpi = dict(zip(plan.emap["tp"], plan.emap["tpi"]))
    out: list[dict] = []
    for seg in _segments(raw):
        chain, extra = [], []
        for tp, name, stage, pos in plan.touchpoints:
            row = {"touchpoint": tp, "name": name, "stage": stage, "segment": seg,
                   "users": reach.get((tpi[tp], seg), 0)}
            if pos >= 0:
                row["step"] = pos + 1
                n, med = nexts.get((pos, seg), (0, None))
                if pos + 1 < sum(1 for t in plan.touchpoints if t[3] >= 0):
                    row.update(users_to_next=n, median_seconds_to_next=med)
                chain.append(row)
            else:
                extra.append(row)
        out += _chain(chain, k) + _chain_alone(extra, k)
    return pd.DataFrame(out, columns=FUNNEL_COLUMNS)


def _chain_alone(rows: list[dict], k: int) -> list[dict]:
    """Touchpoints outside the funnel: reach only."""
    for row in rows:
        row["suppressed"] = 0 < row["users"] < k
        row["note"] = "not in funnel" + (f"; fewer than {k} users" if row["suppressed"] else "")
        if row["suppressed"]:
            row["users"] = None
    return rows


def stage_table(raw: RawMetrics, plan: Plan, k: int) -> pd.DataFrame:
    """One row per stage with mapped events (× segment), in journey order."""
    reach, nexts = _lookup(raw, "stage")
    out: list[dict] = []
    for seg in _segments(raw):
        chain = []
        for i, (sid, name) in enumerate(plan.stages):
            row = {"stage": sid, "name": name, "segment": seg, "step": i + 1,
                   "users": reach.get((i, seg), 0)}
            if i + 1 < len(plan.stages):
                n, med = nexts.get((i, seg), (0, None))
                row.update(users_to_next=n, median_seconds_to_next=med)
            chain.append(row)
        out += _chain(chain, k)
    return pd.DataFrame(out, columns=STAGE_COLUMNS)


def issue_table(raw: RawMetrics, plan: Plan, k: int) -> pd.DataFrame:
    """Error/abandon events per month per flagged touchpoint; months under k users hidden."""
    rows = []
    order = {t: i for i, t in enumerate(plan.issue_tps)}
    frame = raw.issues.copy()
    if len(frame):
        frame["o"] = frame["tp"].map(order)
        frame = frame.sort_values(["seg", "o", "month"], key=lambda s: s if s.name != "seg" else
                                  s.map(lambda v: (v != OVERALL, v)))
    for r in frame.itertuples():
        tp_users, users = int(r.touchpoint_users), int(r.issue_users)
        hidden = 0 < users < k or 0 < tp_users < k
        rows.append({"touchpoint": r.tp, "segment": r.seg, "month": r.month,
                     "issue_events": None if hidden else int(r.issue_events),
                     "issue_users": None if hidden else users,
                     "touchpoint_users": None if hidden else tp_users,
                     "issue_rate": None if hidden or not tp_users else users / tp_users,
                     "suppressed": hidden, "note": f"fewer than {k} users" if hidden else ""})
    return pd.DataFrame(rows, columns=ISSUE_COLUMNS)
