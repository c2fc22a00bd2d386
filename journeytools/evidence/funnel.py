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

Privacy (k = ``min_users``):

* *Primary suppression*: a row with 1 to k−1 users shows no numbers and is marked
  ``suppressed`` (note "fewer than k users"); an issue row with 1 to k−1 issue users hides its
  issue counts; a median and ``users_to_next`` over 1 to k−1 users are blanked.
* *Complementary suppression*, so that no hidden count can be worked out by subtraction: the
  published totals and their parts are the all-segments row and its segment rows (users and
  ``users_to_next`` per touchpoint and per stage; issue events, issue users and touchpoint
  users per touchpoint × month), a touchpoint's users over the whole log and its monthly
  ``touchpoint_users`` (equal when no user comes back in another month), a stage with a single
  mapped touchpoint and that touchpoint, and (with a single stage) the summary's user total.
  Wherever one of these relations has a hidden cell, the next-smallest published part is
  hidden too until at least two cells are hidden and, when the total is shown, the hidden
  parts together hold 0 or at least k; a final linear-algebra check hides more where
  overlapping relations (segments × months) would still pin a hidden cell. These rows are
  marked ``suppressed`` with the note "hidden so that a suppressed count cannot be worked out
  by subtraction". See :mod:`journeytools.evidence.privacy`.
* Derived columns never reveal a hidden count: a suppressed row's conversion and drop-off,
  and the next row's, are blanked, as are the previous row's ``conversion_to_next`` and
  ``users_to_next``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from .engine import Engine
from .mapping import Mapping
from .privacy import PRIMARY, Suppression

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

    stats: pd.DataFrame    # per event name: n, bad_ts, no_user, first, last, users
    reach: pd.DataFrame    # level ('tp'|'stage'), key, seg, users
    nexts: pd.DataFrame    # level, u (position), seg, n_next, median_s
    issues: pd.DataFrame   # tp, seg, month, issue_events, issue_users, touchpoint_users
    users: int


def event_stats(engine: Engine) -> pd.DataFrame:
    """Rows, unreadable timestamps, rows without a user, time range and users per event name
    (``users`` approximate: HyperLogLog; see ``exact_event_users``)."""
    return engine.query(
        "SELECT event, count(*) AS n, sum(CASE WHEN ts IS NULL THEN 1 ELSE 0 END) AS bad_ts, "
        "sum(CASE WHEN usr IS NULL THEN 1 ELSE 0 END) AS no_user, min(ts) AS first, "
        "max(ts) AS last, approx_count_distinct(usr) AS users FROM events GROUP BY event")


def exact_event_users(engine: Engine, events: list[str]) -> dict[str, int]:
    """Distinct users per event name, exactly, for the names given (a second, filtered pass)."""
    if not events:
        return {}
    engine.register("wanted", pd.DataFrame({"event": pd.Series(events, dtype=str)}))
    frame = engine.query("SELECT e.event, count(DISTINCT e.usr) AS users FROM events e "
                         "JOIN wanted w ON e.event = w.event GROUP BY e.event")
    return {str(e): int(u) for e, u in zip(frame["event"], frame["users"])}


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
        for level, _unit, i in units:
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
PROTECT_NOTE = "hidden so that a suppressed count cannot be worked out by subtraction"
_ISSUE_KINDS = ("tu", "iu", "ie")


@dataclass(frozen=True)
class Published:
    """The three tables as written, and what the privacy rules hid."""

    funnel: pd.DataFrame
    stages: pd.DataFrame
    issues: pd.DataFrame
    users_hidden: bool       # the summary's user total (tied to a hidden stage count)
    rows_suppressed: int     # rows with hidden numbers (marked suppressed)
    rows_complementary: int  # ... of which none has fewer than k users itself


def _segments(raw: RawMetrics) -> list[str]:
    segs = sorted(set(raw.reach["seg"]) - {OVERALL})
    return [OVERALL] + segs


def _lookup(raw: RawMetrics, level: str) -> tuple[dict, dict]:
    r = raw.reach[raw.reach["level"] == level]
    reach = {(int(a), s): int(u) for a, s, u in zip(r["key"], r["seg"], r["users"])}
    n = raw.nexts[raw.nexts["level"] == level]
    nexts = {(int(u), s): (int(c), float(m)) for u, s, c, m in
             zip(n["u"], n["seg"], n["n_next"], n["median_s"])}
    return reach, nexts


def publish(raw: RawMetrics, plan: Plan, k: int) -> Published:
    """Funnel, stage and issue tables with small counts, and their complements, hidden.

    Every published count is a cell of one :class:`~.privacy.Suppression` with the relations
    a reader can use (see the module docstring, *Privacy*).
    """
    s = Suppression(k)
    segs = _segments(raw)
    tp_reach, tp_next = _lookup(raw, "tp")
    st_reach, st_next = _lookup(raw, "stage")
    tpi = dict(zip(plan.emap["tp"], plan.emap["tpi"]))
    n_steps = sum(1 for t in plan.touchpoints if t[3] >= 0)
    funnel_blocks: list[tuple[list[dict], list[dict]]] = []
    stage_blocks: list[list[dict]] = []
    for seg in segs:
        chain, extra = [], []
        for tp, name, stage, pos in plan.touchpoints:
            row: dict[str, Any] = {"touchpoint": tp, "name": name, "stage": stage, "segment": seg,
                                   "users": tp_reach.get((tpi[tp], seg), 0), "_key": ("tp", tp, seg)}
            if pos >= 0:
                row["step"] = pos + 1
                if pos + 1 < n_steps:
                    n, med = tp_next.get((pos, seg), (0, None))
                    row.update(users_to_next=n, median_seconds_to_next=med, _next=("tp-next", tp, seg))
                chain.append(row)
            else:
                extra.append(row)
        funnel_blocks.append((chain, extra))
        block = []
        for i, (sid, name) in enumerate(plan.stages):
            row = {"stage": sid, "name": name, "segment": seg, "step": i + 1,
                   "users": st_reach.get((i, seg), 0), "_key": ("stage", sid, seg)}
            if i + 1 < len(plan.stages):
                n, med = st_next.get((i, seg), (0, None))
                row.update(users_to_next=n, median_seconds_to_next=med, _next=("stage-next", sid, seg))
            block.append(row)
        stage_blocks.append(block)
    chains = [c for c, _ in funnel_blocks] + stage_blocks
    for row in [r for c, x in funnel_blocks for r in c + x] + [r for b in stage_blocks for r in b]:
        s.cell(row["_key"], row["users"])
        if "_next" in row:
            s.cell(row["_next"], row["users_to_next"])
    for chain in chains:  # hiding a step hides the count of users reaching it from the step before
        for here, nxt in zip(chain, [*chain[1:], None]):
            if "_next" in here:
                s.follows(here["_key"], here["_next"])
                if nxt is not None:
                    s.follows(nxt["_key"], here["_next"])
    issues = _issue_cells(raw, plan, s)
    _relations(s, raw, plan, segs, issues)
    hidden = s.solve()

    funnel_rows: list[dict] = []
    for chain, extra in funnel_blocks:
        funnel_rows += _chain(_mark(chain, hidden), k) + _chain_alone(_mark(extra, hidden), k)
    stage_rows: list[dict] = []
    for block in stage_blocks:
        stage_rows += _chain(_mark(block, hidden), k)
    tables = (pd.DataFrame(funnel_rows, columns=FUNNEL_COLUMNS),
              pd.DataFrame(stage_rows, columns=STAGE_COLUMNS),
              pd.DataFrame(_issue_rows(issues, hidden, k), columns=ISSUE_COLUMNS))
    suppressed = sum(int(t["suppressed"].astype(bool).sum()) for t in tables)
    complementary = sum(int((t["suppressed"].astype(bool) & ~t["note"].astype(str).str.contains(
        "fewer than", regex=False)).sum()) for t in tables)
    return Published(*tables, ("users",) in hidden, suppressed, complementary)


def _issue_cells(raw: RawMetrics, plan: Plan, s: Suppression) -> list[dict]:
    """Issue rows in output order, each with its three cells registered."""
    frame = raw.issues.copy()
    if not len(frame):
        return []
    order = {t: i for i, t in enumerate(plan.issue_tps)}
    frame["o"] = frame["tp"].map(order)
    frame = frame.sort_values(["seg", "o", "month"], key=lambda c: c if c.name != "seg" else
                              c.map(lambda v: (v != OVERALL, v)))
    k = s.k
    rows = []
    for r in frame.itertuples():
        row: dict[str, Any] = {"tp": str(r.tp), "seg": str(r.seg), "month": str(r.month),
                               "ie": int(r.issue_events), "iu": int(r.issue_users),
                               "tu": int(r.touchpoint_users)}
        few_users = 0 < row["tu"] < k
        few_issue = few_users or 0 < row["iu"] < k
        for kind, primary in (("tu", few_users), ("iu", few_issue), ("ie", few_issue)):
            s.cell((kind, row["tp"], row["seg"], row["month"]), row[kind], primary)
        s.bundle(("iu", row["tp"], row["seg"], row["month"]), ("ie", row["tp"], row["seg"], row["month"]))
        rows.append(row)
    return rows


def _relations(s: Suppression, raw: RawMetrics, plan: Plan, segs: list[str],
               issues: list[dict]) -> None:
    """The sums and identities a reader of the written files can use."""
    parts = segs[1:]
    if parts:  # all segments = the sum of the segments
        for kind, ids in (("tp", [t[0] for t in plan.touchpoints]),
                          ("stage", [st[0] for st in plan.stages])):
            for ident in ids:
                for key in (kind, f"{kind}-next"):
                    s.relation((key, ident, OVERALL), [(key, ident, seg) for seg in parts])
        issue_segs = sorted({r["seg"] for r in issues} - {OVERALL})
        for r in issues:
            if r["seg"] == OVERALL:
                for kind in _ISSUE_KINDS:
                    s.relation((kind, r["tp"], OVERALL, r["month"]),
                               [(kind, r["tp"], seg, r["month"]) for seg in issue_segs])
    months: dict[tuple[str, str], list[str]] = {}
    for r in issues:
        months.setdefault((r["tp"], r["seg"]), []).append(r["month"])
    for (tp, seg), ms in months.items():  # users of a touchpoint = sum over months (no returners)
        s.relation(("tp", tp, seg), [("tu", tp, seg, m) for m in ms])
    by_stage: dict[str, list[tuple[str, int]]] = {}
    for t_id, _, stage, t_pos in plan.touchpoints:
        by_stage.setdefault(stage, []).append((t_id, t_pos))
    sids = [sid for sid, _ in plan.stages]
    for i, sid in enumerate(sids):  # a stage with one mapped touchpoint is that touchpoint
        if len(by_stage.get(sid, [])) != 1:
            continue
        only, pos = by_stage[sid][0]
        after = by_stage.get(sids[i + 1], []) if i + 1 < len(sids) else []
        for seg in segs:
            s.relation(("stage", sid, seg), [("tp", only, seg)])
            if len(after) == 1 and pos >= 0 and after[0][1] == pos + 1:
                s.relation(("stage-next", sid, seg), [("tp-next", only, seg)])
    if len(sids) == 1:  # the summary's user total is the one stage's users
        s.cell(("users",), raw.users)
        s.relation(("users",), [("stage", sids[0], OVERALL)])


def _mark(rows: list[dict], hidden: dict) -> list[dict]:
    for row in rows:
        row["_why"] = hidden.get(row.pop("_key"))
        nxt = row.pop("_next", None)
        row["_why_next"] = hidden.get(nxt) if nxt is not None else None
    return rows


def _chain(rows: list[dict], k: int) -> list[dict]:
    """Fill conversion, drop-off and next-step columns along one ordered block; suppress."""
    for row in rows:
        row["suppressed"] = row["_why"] is not None
    for i, row in enumerate(rows):
        users, why, why_next = row["users"], row.pop("_why"), row.pop("_why_next")
        notes = [_note(why, k)] if why else []
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
        if why_next and not row["suppressed"]:
            row["users_to_next"] = None
            if why_next == PRIMARY:  # a median over fewer than k users
                row["median_seconds_to_next"] = None
                notes.append(f"fewer than {k} users reached the next step")
            elif nxt is not None and nxt["suppressed"]:
                notes.append("users_to_next hidden: next step suppressed")
            else:
                notes.append("users_to_next " + PROTECT_NOTE)
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


def _note(why: str | None, k: int) -> str:
    return "" if why is None else f"fewer than {k} users" if why == PRIMARY else PROTECT_NOTE


def _chain_alone(rows: list[dict], k: int) -> list[dict]:
    """Touchpoints outside the funnel: reach only."""
    for row in rows:
        why = row.pop("_why")
        row.pop("_why_next")
        row["suppressed"] = why is not None
        row["note"] = "; ".join(["not in funnel"] + ([_note(why, k)] if why else []))
        if why:
            row["users"] = None
    return rows


def _issue_rows(issues: list[dict], hidden: dict, k: int) -> list[dict]:
    out = []
    for r in issues:
        why = {kind: hidden.get((kind, r["tp"], r["seg"], r["month"])) for kind in _ISSUE_KINDS}
        hide_issue = bool(why["iu"] or why["ie"])
        notes = []
        if why["tu"] == PRIMARY:
            notes.append(f"fewer than {k} users")
        elif why["iu"] == PRIMARY:
            notes.append(f"fewer than {k} users with issues")
        if (why["tu"] and why["tu"] != PRIMARY) or (hide_issue and why["iu"] != PRIMARY):
            notes.append(PROTECT_NOTE)
        out.append({"touchpoint": r["tp"], "segment": r["seg"], "month": r["month"],
                    "issue_events": None if hide_issue else r["ie"],
                    "issue_users": None if hide_issue else r["iu"],
                    "touchpoint_users": None if why["tu"] else r["tu"],
                    "issue_rate": None if why["tu"] or hide_issue or not r["tu"] else r["iu"] / r["tu"],
                    "suppressed": bool(why["tu"]) or hide_issue, "note": "; ".join(notes)})
    return out


def funnel_table(raw: RawMetrics, plan: Plan, k: int) -> pd.DataFrame:
    """One row per touchpoint (× segment), funnel steps first in funnel order."""
    return publish(raw, plan, k).funnel


def stage_table(raw: RawMetrics, plan: Plan, k: int) -> pd.DataFrame:
    """One row per stage with mapped events (× segment), in journey order."""
    return publish(raw, plan, k).stages


def issue_table(raw: RawMetrics, plan: Plan, k: int) -> pd.DataFrame:
    """Error/abandon events per month per flagged touchpoint; small counts hidden."""
    return publish(raw, plan, k).issues
