"""A :class:`~journeytools.diff.changes.Diff` as a JSON document with a stable schema.

Named ``as_json`` rather than ``json`` so that it never reads as the standard library module.
"""

from __future__ import annotations

import json
from typing import Any

from ..model.schema import TABLE_NAMES
from .changes import SCHEMA_VERSION, Diff, RowChange
from .counts import summary


def json_value(v: Any) -> Any:
    """A value ready for JSON: tuples as lists, floats rounded to 6 decimals."""
    if isinstance(v, tuple):
        return [json_value(x) for x in v]
    if isinstance(v, float):
        return round(v, 6)
    return v


def row_json(r: RowChange) -> dict[str, Any]:
    """One added, removed or changed row: its key, label and row (or changed fields)."""
    out: dict[str, Any] = {"key": {k: json_value(v) for k, v in r.key}, "label": r.label}
    if r.status == "changed":
        out["fields"] = [{"field": c.field, "before": json_value(c.before),
                          "after": json_value(c.after)} for c in r.changes]
    else:
        out["row"] = {k: json_value(v) for k, v in r.values}
    return out


def to_dict(d: Diff) -> dict[str, Any]:
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

    ``tables`` always has all eight tables (personas, touchpoints, steps, pain_points,
    opportunities, votes, kpis, blueprint). Blank cells are ``null``; keys are ``{"id": ...}``,
    ``{"persona", "touchpoint", "occurrence"}`` for steps, ``{"voter", "item", "at",
    "occurrence"}`` for votes and ``{"touchpoint", "lane", "persona", "occurrence"}`` for
    blueprint rows. ``pain_points`` / ``opportunities`` list score moves (a side
    is ``null`` where the item is absent); they are in the new ranking's order.
    """
    tables = {}
    for name in TABLE_NAMES:
        t = d.table(name)
        tables[name] = {
            "added": [row_json(r) for r in t.added],
            "removed": [row_json(r) for r in t.removed],
            "changed": [row_json(r) for r in t.changed],
            "columns_added": list(t.columns_added),
            "columns_removed": list(t.columns_removed),
        }
    return {
        "schema_version": SCHEMA_VERSION,
        "old": d.old_label,
        "new": d.new_label,
        "empty": d.is_empty,
        "summary": summary(d),
        "meta": [{"key": m.key, "before": json_value(m.before), "after": json_value(m.after)}
                 for m in d.meta],
        "stages": [{"id": s.id, "change": s.change, "name": s.name, "field": s.field,
                    "before": json_value(s.before), "after": json_value(s.after)}
                   for s in d.stages],
        "tables": tables,
        "emotions": [{"persona": e.persona, "touchpoint": e.touchpoint,
                      "occurrence": e.occurrence, "before": e.before, "after": e.after}
                     for e in d.emotions],
        "pain_points": [{"id": m.id, "rank_before": m.rank_before, "rank_after": m.rank_after,
                         "weighted_pain_before": json_value(m.weighted_pain_before),
                         "weighted_pain_after": json_value(m.weighted_pain_after)}
                        for m in d.pain_moves],
        "opportunities": [{"id": m.id, "title": m.title,
                           "quadrant_before": m.quadrant_before,
                           "quadrant_after": m.quadrant_after,
                           "quadrant_changed": m.quadrant_changed,
                           "rank_before": m.rank_before, "rank_after": m.rank_after,
                           "rice_before": json_value(m.rice_before),
                           "rice_after": json_value(m.rice_after)}
                          for m in d.opportunity_moves],
        "kpis": [{k: json_value(v) for k, v in vars(m).items()} for m in d.kpi_moves],
    }


def to_json(d: Diff, indent: int | None = 2) -> str:
    """:func:`to_dict` as a JSON string (UTF-8 kept as is, not ``\\u`` escaped)."""
    return json.dumps(to_dict(d), indent=indent, ensure_ascii=False)
