"""What changed between two versions of a workshop (``journeytools diff``).

:func:`diff` is pure: it compares two loaded workshops and returns an immutable :class:`Diff`
that renders itself as plain words (:meth:`Diff.to_text`), a pull-request comment
(:meth:`Diff.to_markdown`) or JSON (:meth:`Diff.to_dict`). Nothing here reads files or prints.

>>> import journeytools as jt
>>> from journeytools.diff import diff
>>> old = jt.load("workshops/luggage-store")                      # doctest: +SKIP
>>> new = old.copy()                                               # doctest: +SKIP
>>> new.pain_points.loc[new.pain_points["id"] == "no-pink", "severity"] = 5   # doctest: +SKIP
>>> print(diff(old, new).to_text())                                # doctest: +SKIP
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
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from ..model.schema import TABLE_NAMES
from ..scoring import opportunity_table, pain_table
from ..model.workshop import Workshop

SCHEMA_VERSION = 1
Status = Literal["added", "removed", "changed"]

# How rows are matched between versions: tables with an ``id`` are keyed by it; the others by
# these natural columns plus an occurrence number among rows sharing them (file order).
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "steps": ("persona", "touchpoint"),
    "votes": ("voter", "item", "at"),
}
# Words for each table: (singular, plural, heading).
NOUNS: dict[str, tuple[str, str, str]] = {
    "personas": ("persona", "personas", "Personas"),
    "touchpoints": ("touchpoint", "touchpoints", "Touchpoints"),
    "steps": ("step", "steps", "Steps"),
    "pain_points": ("pain point", "pain points", "Pain points"),
    "opportunities": ("opportunity", "opportunities", "Opportunities"),
    "kpis": ("KPI", "KPIs", "KPIs"),
    "votes": ("dot vote", "dot votes", "Dot votes"),
}
# Order of the sections in text and markdown.
SECTION_ORDER = ("personas", "touchpoints", "steps", "pain_points", "opportunities", "kpis", "votes")
# Fields that describe an added or removed row in a few words.
SUMMARY_FIELDS: dict[str, tuple[str, ...]] = {
    "personas": ("name", "segment", "weight"),
    "touchpoints": ("name", "stage", "channel"),
    "steps": ("order", "emotion", "action"),
    "pain_points": ("persona", "touchpoint", "severity", "frequency", "description"),
    "opportunities": ("title", "reach", "impact", "confidence", "effort"),
    "kpis": ("metric", "stage", "touchpoint", "baseline", "target", "current"),
    "votes": ("votes",),
}


# --------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldChange:
    """One cell that differs: ``field`` went from ``before`` to ``after`` (None = blank)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class RowChange:
    """A row added, removed or changed in one table.

    ``key`` is the row's identity as ``(column, value)`` pairs (``id``; for steps persona,
    touchpoint and occurrence; for votes voter, item, at and occurrence). ``values`` holds the
    non-blank cells of an added or removed row; ``changes`` the differing cells of a changed one.
    ``label`` names the row in words.
    """

    table: str
    status: Status
    key: tuple[tuple[str, Any], ...]
    label: str
    changes: tuple[FieldChange, ...] = ()
    values: tuple[tuple[str, Any], ...] = ()

    @property
    def key_dict(self) -> dict[str, Any]:
        return dict(self.key)

    @property
    def id(self) -> str:
        """The ``id`` of an id-keyed row, else the key joined with ``/``."""
        k = dict(self.key)
        return str(k["id"]) if "id" in k else "/".join("" if v is None else str(v) for v in k.values())

    def change(self, name: str) -> FieldChange | None:
        return next((c for c in self.changes if c.field == name), None)


@dataclass(frozen=True)
class TableDiff:
    """Rows added, removed and changed in one table, and columns added or removed."""

    table: str
    added: tuple[RowChange, ...] = ()
    removed: tuple[RowChange, ...] = ()
    changed: tuple[RowChange, ...] = ()
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.columns_added
                    or self.columns_removed)

    def rows(self) -> tuple[RowChange, ...]:
        return self.changed + self.added + self.removed

    def find(self, row_id: str) -> RowChange | None:
        return next((r for r in self.rows() if r.id == row_id), None)


@dataclass(frozen=True)
class MetaChange:
    """A ``workshop.yml`` key (nested keys dotted: ``branding.primary_color``) that changed."""

    key: str
    before: Any
    after: Any


@dataclass(frozen=True)
class StageChange:
    """A stage ``added``, ``removed``, ``renamed``, ``moved`` or otherwise ``changed``.

    ``field`` is ``position`` (1-based) for added, removed and moved stages, ``name`` for a
    rename, else the stage key that changed (``goal``...).
    """

    id: str
    change: Literal["added", "removed", "renamed", "moved", "changed"]
    name: str
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class EmotionChange:
    """A step present in both versions whose emotion (1–5, None = blank) changed."""

    persona: str
    touchpoint: str
    occurrence: int
    before: int | None
    after: int | None
    persona_name: str = ""
    touchpoint_name: str = ""


@dataclass(frozen=True)
class PainMove:
    """A pain point whose rank or weighted pain moved (None on the side where it is absent)."""

    id: str
    rank_before: int | None
    rank_after: int | None
    weighted_pain_before: float | None
    weighted_pain_after: float | None


@dataclass(frozen=True)
class OpportunityMove:
    """An opportunity whose quadrant or rank changed.

    Quadrants are ``quick win``, ``big bet``, ``fill-in``, ``money pit`` or ``unscored``;
    None (and rank None) where the opportunity is absent; rank None when unscored.
    """

    id: str
    title: str
    quadrant_before: str | None
    quadrant_after: str | None
    rank_before: int | None
    rank_after: int | None
    rice_before: float | None
    rice_after: float | None

    @property
    def quadrant_changed(self) -> bool:
        return self.quadrant_before != self.quadrant_after


@dataclass(frozen=True)
class KpiMove:
    """A KPI in both versions whose baseline, target or current value moved.

    ``progress`` is how far current is from baseline towards target (0 = at baseline,
    1 = target reached); None when it cannot be computed.
    """

    id: str
    metric: str
    unit: str
    baseline_before: float | None
    baseline_after: float | None
    target_before: float | None
    target_after: float | None
    current_before: float | None
    current_after: float | None
    progress_before: float | None
    progress_after: float | None


@dataclass(frozen=True)
class Diff:
    """Everything that changed from ``old`` to ``new``; see :func:`diff`."""

    meta: tuple[MetaChange, ...] = ()
    stages: tuple[StageChange, ...] = ()
    tables: tuple[TableDiff, ...] = ()
    emotions: tuple[EmotionChange, ...] = ()
    pain_moves: tuple[PainMove, ...] = ()
    opportunity_moves: tuple[OpportunityMove, ...] = ()
    kpi_moves: tuple[KpiMove, ...] = ()
    old_label: str = ""
    new_label: str = ""
    title: str = field(default="", compare=False)
    stage_order: tuple[str, ...] = field(default=(), compare=False)  # new stage names in order

    @property
    def is_empty(self) -> bool:
        """True when the two versions hold the same map (row order and dtypes aside)."""
        return not (self.meta or self.stages or self.emotions or self.pain_moves
                    or self.opportunity_moves or self.kpi_moves
                    or any(not t.is_empty for t in self.tables))

    def table(self, name: str) -> TableDiff:
        """The changes to one table (empty when it did not change)."""
        return next((t for t in self.tables if t.table == name), TableDiff(name))

    def pain_move(self, pain_id: str) -> PainMove | None:
        return next((m for m in self.pain_moves if m.id == pain_id), None)

    def opportunity_move(self, opp_id: str) -> OpportunityMove | None:
        return next((m for m in self.opportunity_moves if m.id == opp_id), None)

    def summary(self) -> str:
        """One sentence counting the changes, e.g. ``1 pain point changed, 1 stage renamed.``"""
        from .render import summary

        return summary(self)

    # -- renderings --------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document with a stable schema (``schema_version`` 1)::

            {"schema_version": 1, "old": "<label>", "new": "<label>", "empty": false,
             "summary": "1 pain point changed.",
             "meta":   [{"key": "reviewed", "before": "2026-11-22", "after": "2027-05-01"}],
             "stages": [{"id": "purchase", "change": "renamed", "name": "Checkout",
                         "field": "name", "before": "Purchase", "after": "Checkout"}],
             "tables": {"<table>": {"added":   [{"key": {...}, "label": "...", "row": {...}}],
                                    "removed": [{"key": {...}, "label": "...", "row": {...}}],
                                    "changed": [{"key": {...}, "label": "...",
                                                 "fields": [{"field": "severity",
                                                             "before": 3, "after": 5}]}],
                                    "columns_added": [], "columns_removed": []}},
             "emotions": [{"persona": "mia", "touchpoint": "cart", "occurrence": 1,
                           "before": 2, "after": 4}],
             "pain_points": [{"id": "cart-error", "rank_before": 4, "rank_after": 1,
                              "weighted_pain_before": 19.5, "weighted_pain_after": 34.0}],
             "opportunities": [{"id": "...", "title": "...", "quadrant_before": "quick win",
                                "quadrant_after": "big bet", "quadrant_changed": true,
                                "rank_before": 1, "rank_after": 3,
                                "rice_before": 15120.0, "rice_after": 2268.0}],
             "kpis": [{"id": "...", "metric": "...", "unit": "%",
                       "baseline_before": 58.0, "baseline_after": 58.0,
                       "target_before": 72.0, "target_after": 72.0,
                       "current_before": 61.5, "current_after": 66.0,
                       "progress_before": 0.25, "progress_after": 0.571429}]}

        ``tables`` always has all seven tables (personas, touchpoints, steps, pain_points,
        opportunities, votes, kpis). Blank cells are ``null``; keys are ``{"id": ...}``,
        ``{"persona", "touchpoint", "occurrence"}`` for steps and ``{"voter", "item", "at",
        "occurrence"}`` for votes. ``pain_points`` / ``opportunities`` list score moves (a side
        is ``null`` where the item is absent); they are in the new ranking's order.
        """
        tables = {}
        for name in TABLE_NAMES:
            t = self.table(name)
            tables[name] = {
                "added": [_row_json(r) for r in t.added],
                "removed": [_row_json(r) for r in t.removed],
                "changed": [_row_json(r) for r in t.changed],
                "columns_added": list(t.columns_added),
                "columns_removed": list(t.columns_removed),
            }
        return {
            "schema_version": SCHEMA_VERSION,
            "old": self.old_label,
            "new": self.new_label,
            "empty": self.is_empty,
            "summary": self.summary(),
            "meta": [{"key": m.key, "before": _json(m.before), "after": _json(m.after)}
                     for m in self.meta],
            "stages": [{"id": s.id, "change": s.change, "name": s.name, "field": s.field,
                        "before": _json(s.before), "after": _json(s.after)} for s in self.stages],
            "tables": tables,
            "emotions": [{"persona": e.persona, "touchpoint": e.touchpoint,
                          "occurrence": e.occurrence, "before": e.before, "after": e.after}
                         for e in self.emotions],
            "pain_points": [{"id": m.id, "rank_before": m.rank_before, "rank_after": m.rank_after,
                             "weighted_pain_before": _json(m.weighted_pain_before),
                             "weighted_pain_after": _json(m.weighted_pain_after)}
                            for m in self.pain_moves],
            "opportunities": [{"id": m.id, "title": m.title,
                               "quadrant_before": m.quadrant_before,
                               "quadrant_after": m.quadrant_after,
                               "quadrant_changed": m.quadrant_changed,
                               "rank_before": m.rank_before, "rank_after": m.rank_after,
                               "rice_before": _json(m.rice_before),
                               "rice_after": _json(m.rice_after)}
                              for m in self.opportunity_moves],
            "kpis": [{k: _json(v) for k, v in vars(m).items()} for m in self.kpi_moves],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_text(self) -> str:
        """Plain words, one line per change, grouped in sections.

        e.g. ``- Pain point 'cart-error': severity 3 → 5; rank 4 → 1; weighted pain 19.5 → 34``
        """
        from .render import render_text

        return render_text(self)

    def to_markdown(self) -> str:
        """Markdown for a pull request: a heading, a summary and one table per section."""
        from .render import render_markdown

        return render_markdown(self)


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


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-12)
    return a == b


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
                        if not _same(before.get(c), rec.get(c)))
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
                 if not _same(blank(fo.get(k)), blank(fn.get(k))))


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
            if rb != rank or not _same(wb, wp):
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
    if baseline is None or target is None or current is None or _same(baseline, target):
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
        if all(_same(x, y) for x, y in vals.values()):
            continue
        (bb, ba), (tb, ta), (cb, ca) = vals["baseline"], vals["target"], vals["current"]
        out.append(KpiMove(str(a["id"]), str(a.get("metric") or ""), str(a.get("unit") or ""),
                           bb, ba, tb, ta, cb, ca, _progress(bb, tb, cb), _progress(ba, ta, ca)))
    return tuple(out)


# --------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------
def _json(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_json(x) for x in v]
    if isinstance(v, float):
        return round(v, 6)
    return v


def _row_json(r: RowChange) -> dict[str, Any]:
    out: dict[str, Any] = {"key": {k: _json(v) for k, v in r.key}, "label": r.label}
    if r.status == "changed":
        out["fields"] = [{"field": c.field, "before": _json(c.before), "after": _json(c.after)}
                         for c in r.changes]
    else:
        out["row"] = {k: _json(v) for k, v in r.values}
    return out
