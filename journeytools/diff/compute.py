"""What changed between two versions of a workshop: :func:`diff` computes a :class:`Diff`.

:func:`diff` is pure: it compares two loaded workshops and returns an immutable
:class:`~journeytools.diff.changes.Diff`. Nothing here reads files, prints or renders: words
come from :mod:`journeytools.diff.render`, JSON from :mod:`journeytools.diff.as_json`.

>>> import journeytools as jt
>>> from journeytools.diff import diff, to_text
>>> old = jt.load("workshops/luggage-store")                      # doctest: +SKIP
>>> new = old.copy()                                               # doctest: +SKIP
>>> new.pain_points.loc[new.pain_points["id"] == "no-pink", "severity"] = 5   # doctest: +SKIP
>>> print(to_text(diff(old, new)))                                 # doctest: +SKIP
Changes to the journey map
In short: 1 pain point changed, 3 pain point ranks moved.
<BLANKLINE>
Pain points
- Pain point 'no-pink': severity 3 → 5; rank 4 → 2; weighted pain 19 → 31
- Pain point 'no-video-review': rank 2 → 3
- Pain point 'chat-queue-wait': rank 3 → 4
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections import Counter
from typing import Any

import pandas as pd

from ..model.schema import TABLE_NAMES
from ..model.workshop import Workshop
from ..scoring import opportunity_table, pain_table
from .changes import (
    NOUNS,
    Diff,
    EmotionChange,
    FieldChange,
    KpiMove,
    MetaChange,
    OpportunityMove,
    PainMove,
    RowChange,
    StageChange,
    TableDiff,
    same,
)

# How rows are matched between versions: tables with an ``id`` are keyed by it; the others by
# these natural columns plus an occurrence number among rows sharing them (file order).
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "steps": ("persona", "touchpoint"),
    "votes": ("voter", "item", "at"),
    "blueprint": ("touchpoint", "lane", "persona"),
}


# --------------------------------------------------------------------------------------
# Computing the diff
# --------------------------------------------------------------------------------------
def diff(old: Workshop, new: Workshop, *, old_label: str | None = None,
         new_label: str | None = None) -> Diff:
    """Compare two versions of a workshop.

    Rows are matched by ``id`` (steps by persona, touchpoint and occurrence; votes by voter,
    item, time and occurrence), so moving rows around in a file is not a change. Score moves
    (pain ranks, opportunity quadrants and ranks, KPI progress) are computed with
    :mod:`journeytools.scoring` on each version.

    >>> d = diff(ws, ws.copy())       # doctest: +SKIP
    >>> d.is_empty                    # doctest: +SKIP
    True
    """
    tables = tuple(_table_diff(name, old, new) for name in TABLE_NAMES)
    by_name = {t.table: t for t in tables}
    return Diff(
        meta=_meta_diff(old.meta, new.meta),
        stages=_stage_diff(old, new),
        tables=tuple(t for t in tables if not t.is_empty),
        emotions=_emotions(by_name["steps"], old, new),
        pain_moves=_pain_moves(old, new),
        opportunity_moves=_opportunity_moves(old, new),
        kpi_moves=_kpi_moves(old, new),
        old_label=old_label if old_label is not None else (str(old.path) if old.path else ""),
        new_label=new_label if new_label is not None else (str(new.path) if new.path else ""),
        title=new.title,
        stage_order=tuple(s.name for s in new.stages),
    )


def _cell(value: Any) -> Any:
    """A cell as a plain Python value; blanks (NA, NaN, '') are None."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, bool):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    cols = list(frame.columns)
    values = [frame[c].tolist() for c in cols]
    return [{c: _cell(v[i]) for c, v in zip(cols, values)} for i in range(len(frame))]


def _keyed(table: str, frame: pd.DataFrame) -> dict[tuple, dict[str, Any]]:
    """Rows by their key tuple, in file order."""
    out: dict[tuple, dict[str, Any]] = {}
    natural = NATURAL_KEYS.get(table)
    seen: Counter = Counter()
    for rec in _records(frame):
        if natural is None:
            key: tuple = (("id", rec.get("id")),)
        else:
            nat = tuple((c, rec.get(c)) for c in natural)
            seen[nat] += 1
            key = nat + (("occurrence", seen[nat]),)
        if key in out:  # duplicate ids cannot load, but stay total on in-memory edits
            continue
        out[key] = rec
    return out


def _names(ws: Workshop, table: str, column: str = "name") -> dict[str, str]:
    frame = ws.tables[table]
    if not len(frame) or column not in frame.columns:
        return {}
    return {str(i): str(n) for i, n in zip(frame["id"], frame[column])}


def _label(table: str, key: dict[str, Any], persona_names: dict[str, str]) -> str:
    noun = NOUNS[table][0]
    if table == "steps":
        p = key["persona"]
        who = persona_names.get(str(p), str(p))
        visit = f" (visit {key['occurrence']})" if key["occurrence"] > 1 else ""
        return f"{who}'s step at '{key['touchpoint']}'{visit}"
    if table == "votes":
        at = f" at {key['at']}" if key.get("at") else ""
        n = f" (#{key['occurrence']})" if key["occurrence"] > 1 else ""
        return f"Dot vote by {key['voter']} for '{key['item']}'{at}{n}"
    if table == "blueprint":
        who = f" for {persona_names.get(str(key['persona']), key['persona'])}" \
            if key.get("persona") not in (None, "*") else ""
        n = f" (#{key['occurrence']})" if key["occurrence"] > 1 else ""
        return f"Blueprint {key['lane']} row at '{key['touchpoint']}'{who}{n}"
    return f"{noun[0].upper()}{noun[1:]} '{key['id']}'"


def _table_diff(table: str, old: Workshop, new: Workshop) -> TableDiff:
    fo, fn = old.tables[table], new.tables[table]
    ro, rn = _keyed(table, fo), _keyed(table, fn)
    columns = list(fn.columns) + [c for c in fo.columns if c not in fn.columns]
    names = {**_names(old, "personas"), **_names(new, "personas")}
    added, removed, changed = [], [], []
    for key, rec in rn.items():
        label = _label(table, dict(key), names)
        if key not in ro:
            added.append(RowChange(table, "added", key, label,
                                   values=tuple((c, v) for c, v in rec.items() if v is not None)))
            continue
        before = ro[key]
        changes = tuple(FieldChange(c, before.get(c), rec.get(c)) for c in columns
                        if not same(before.get(c), rec.get(c)))
        if changes:
            changed.append(RowChange(table, "changed", key, label, changes=changes))
    for key, rec in ro.items():
        if key not in rn:
            removed.append(RowChange(table, "removed", key, _label(table, dict(key), names),
                                     values=tuple((c, v) for c, v in rec.items() if v is not None)))
    cols_added: tuple[str, ...] = ()
    cols_removed: tuple[str, ...] = ()
    if len(fo) and len(fn):
        cols_added = tuple(c for c in fn.columns if c not in fo.columns)
        cols_removed = tuple(c for c in fo.columns if c not in fn.columns)
    return TableDiff(table, tuple(added), tuple(removed), tuple(changed), cols_added, cols_removed)


def _meta_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return tuple(_meta_value(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return value


def _flatten(meta: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in meta.items():
        name = f"{prefix}{key}"
        if name == "stages":
            continue
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = _meta_value(value)
    return out


def _meta_diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[MetaChange, ...]:
    fo, fn = _flatten(old), _flatten(new)
    keys = list(fn) + [k for k in fo if k not in fn]
    blank = lambda v: None if v == "" else v  # noqa: E731
    return tuple(MetaChange(k, blank(fo.get(k)), blank(fn.get(k))) for k in keys
                 if not same(blank(fo.get(k)), blank(fn.get(k))))


def _stage_diff(old: Workshop, new: Workshop) -> tuple[StageChange, ...]:
    so, sn = old.stages, new.stages
    pos_o = {s.id: i + 1 for i, s in enumerate(so)}
    pos_n = {s.id: i + 1 for i, s in enumerate(sn)}
    by_o = {s.id: s for s in so}
    out: list[StageChange] = []
    common_o = [s.id for s in so if s.id in pos_n]
    common_n = [s.id for s in sn if s.id in pos_o]
    matcher = difflib.SequenceMatcher(a=common_o, b=common_n, autojunk=False)
    kept = {common_o[b.a + i] for b in matcher.get_matching_blocks() for i in range(b.size)}
    for s in sn:
        if s.id not in by_o:
            out.append(StageChange(s.id, "added", s.name, "position", None, pos_n[s.id]))
            continue
        was = by_o[s.id]
        if was.name != s.name:
            out.append(StageChange(s.id, "renamed", s.name, "name", was.name, s.name))
        if s.id not in kept:
            out.append(StageChange(s.id, "moved", s.name, "position", pos_o[s.id], pos_n[s.id]))
        if (was.goal or None) != (s.goal or None):
            out.append(StageChange(s.id, "changed", s.name, "goal", was.goal or None, s.goal or None))
        for k in list(s.extra) + [k for k in was.extra if k not in s.extra]:
            a, b = _meta_value(was.extra.get(k)), _meta_value(s.extra.get(k))
            if a != b:
                out.append(StageChange(s.id, "changed", s.name, str(k), a, b))
    for s in so:
        if s.id not in pos_n:
            out.append(StageChange(s.id, "removed", s.name, "position", pos_o[s.id], None))
    return tuple(out)


def _emotions(steps: TableDiff, old: Workshop, new: Workshop) -> tuple[EmotionChange, ...]:
    people = {**_names(old, "personas"), **_names(new, "personas")}
    places = {**_names(old, "touchpoints"), **_names(new, "touchpoints")}
    out = []
    for row in steps.changed:
        c = row.change("emotion")
        if c is None:
            continue
        k = row.key_dict
        p, t = str(k["persona"]), str(k["touchpoint"])
        out.append(EmotionChange(p, t, int(k["occurrence"]), _int(c.before), _int(c.after),
                                 people.get(p, p), places.get(t, t)))
    return tuple(out)


def _int(v: Any) -> int | None:
    return None if v is None else int(v)


def _float(v: Any) -> float | None:
    v = _cell(v)
    return None if v is None else float(v)


def _pain_moves(old: Workshop, new: Workshop) -> tuple[PainMove, ...]:
    po, pn = pain_table(old), pain_table(new)
    before = {r.id: (int(r.rank), float(r.weighted_pain)) for r in po.itertuples()}
    after = {r.id: (int(r.rank), float(r.weighted_pain)) for r in pn.itertuples()}
    out = []
    for pid, (rank, wp) in after.items():
        if pid in before:
            rb, wb = before[pid]
            if rb != rank or not same(wb, wp):
                out.append(PainMove(pid, rb, rank, wb, wp))
        else:
            out.append(PainMove(pid, None, rank, None, wp))
    for pid, (rb, wb) in before.items():
        if pid not in after:
            out.append(PainMove(pid, rb, None, wb, None))
    return tuple(out)


def _opp_state(ws: Workshop) -> dict[str, tuple[str, str, int | None, float | None]]:
    ot = opportunity_table(ws)
    return {str(r.id): (str(r.title), str(r.quadrant) or "unscored", _int(_cell(r.rank)),
                        _float(r.rice)) for r in ot.itertuples()}


def _opportunity_moves(old: Workshop, new: Workshop) -> tuple[OpportunityMove, ...]:
    before, after = _opp_state(old), _opp_state(new)
    out = []
    for oid, (title, quad, rank, rice) in after.items():
        if oid in before:
            _, qb, rb, cb = before[oid]
            if qb != quad or rb != rank:
                out.append(OpportunityMove(oid, title, qb, quad, rb, rank, cb, rice))
        else:
            out.append(OpportunityMove(oid, title, None, quad, None, rank, None, rice))
    for oid, (title, qb, rb, cb) in before.items():
        if oid not in after:
            out.append(OpportunityMove(oid, title, qb, None, rb, None, cb, None))
    return tuple(out)


def _progress(baseline: float | None, target: float | None, current: float | None) -> float | None:
    if baseline is None or target is None or current is None or same(baseline, target):
        return None
    return round((current - baseline) / (target - baseline), 6)


def _kpi_moves(old: Workshop, new: Workshop) -> tuple[KpiMove, ...]:
    ko, kn = _keyed("kpis", old.kpis), _keyed("kpis", new.kpis)
    out = []
    for key, a in kn.items():
        if key not in ko:
            continue
        b = ko[key]
        vals = {f: (_float(b.get(f)), _float(a.get(f))) for f in ("baseline", "target", "current")}
        if all(same(x, y) for x, y in vals.values()):
            continue
        (bb, ba), (tb, ta), (cb, ca) = vals["baseline"], vals["target"], vals["current"]
        out.append(KpiMove(str(a["id"]), str(a.get("metric") or ""), str(a.get("unit") or ""),
                           bb, ba, tb, ta, cb, ca, _progress(bb, tb, cb), _progress(ba, ta, ca)))
    return tuple(out)
