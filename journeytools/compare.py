"""Current vs future state (SPEC §9), per persona: both emotion curves, stage pain before and
after, pain points removed, added or changed, the opportunities the future delivers, and KPI
targets against current values. Pure functions over two loaded workshops (ids tie them).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .model.workshop import Workshop
from .scoring import emotion_curve, opportunity_table, pain_table, persona_stage_pain, stage_pain

DELIVERING = ("done", "in-progress", "planned")  # statuses of an opportunity the future delivers


@dataclass(frozen=True)
class PersonaComparison:
    """One persona's current and future state side by side."""

    persona: str
    curves: pd.DataFrame   # state (current/future), position, touchpoint, stage, emotion, …
    stages: pd.DataFrame   # id, name, current, future, change
    pains: pd.DataFrame    # id, description, status (removed/added/changed/same), before, after


def emotion_curves(current: Workshop, future: Workshop, persona: str) -> pd.DataFrame:
    """Both emotion curves of a persona, one frame with a ``state`` column."""
    parts = []
    for state, ws in (("current", current), ("future", future)):
        if persona in set(ws.personas["id"]):
            c = emotion_curve(ws, persona)
            parts.append(c.assign(state=state))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["state"])


def stage_change(current: Workshop, future: Workshop, persona: str | None = None) -> pd.DataFrame:
    """Stage pain before and after, in the future map's stage order (stages of either map)."""
    before = stage_pain(current, persona if _has(current, persona) else None).set_index("id")
    after = stage_pain(future, persona if _has(future, persona) else None).set_index("id")
    if persona is not None and not _has(current, persona):
        before["pain"] = 0.0
    ids = list(after.index) + [s for s in before.index if s not in after.index]
    names = {**before["name"].to_dict(), **after["name"].to_dict()}
    cur = np.array([float(before["pain"].get(s, 0.0)) for s in ids])
    fut = np.array([float(after["pain"].get(s, 0.0)) for s in ids])
    return pd.DataFrame({"id": ids, "name": [names[s] for s in ids], "current": cur, "future": fut,
                         "change": fut - cur})


def _has(ws: Workshop, persona: str | None) -> bool:
    return persona is None or persona in set(ws.personas["id"])


def pain_change(current: Workshop, future: Workshop, persona: str | None = None) -> pd.DataFrame:
    """Pain points removed, added, changed (weighted pain moved) or the same, worst first."""
    before = pain_table(current, persona if _has(current, persona) else None)
    after = pain_table(future, persona if _has(future, persona) else None)
    b = before.set_index("id")
    a = after.set_index("id")
    rows = []
    for pid in list(b.index) + [p for p in a.index if p not in b.index]:
        wb = float(b["weighted_pain"][pid]) if pid in b.index else np.nan
        wa = float(a["weighted_pain"][pid]) if pid in a.index else np.nan
        status = ("removed" if pid not in a.index else "added" if pid not in b.index
                  else "same" if abs(wb - wa) < 1e-9 else "changed")
        desc = str((a if pid in a.index else b)["description"][pid])
        rows.append({"id": pid, "description": desc, "status": status, "before": wb, "after": wa})
    out = pd.DataFrame(rows, columns=["id", "description", "status", "before", "after"])
    key = out[["before", "after"]].max(axis=1)
    return out.assign(_k=-key).sort_values(["_k", "id"], kind="mergesort").drop(columns="_k") \
        .reset_index(drop=True)


def delivered(current: Workshop, future: Workshop, persona: str | None = None) -> pd.DataFrame:
    """Opportunities of the future map that deliver it (done, in progress or planned), with
    the current pain they relieve: of the pain points they address in either map (a pain point
    the future removed is no longer there to address, so the current map's ``addresses`` of
    the same opportunity count too), as weighted on the current map."""
    opps = opportunity_table(future)
    opps = opps[opps["status"].isin(DELIVERING)]
    before = opportunity_table(current)
    then = dict(zip(before["id"], before["addresses"]))
    relief = pain_table(current, persona if _has(current, persona) else None)
    pain_now = dict(zip(relief["id"], relief["weighted_pain"]))
    refs = [list(dict.fromkeys([*now, *then.get(i, [])])) for i, now in zip(opps["id"], opps["addresses"])]
    out = pd.DataFrame({
        "id": opps["id"].tolist(), "title": opps["title"].tolist(), "status": opps["status"].tolist(),
        "owner": opps["owner"].tolist(), "addresses": refs,
        "pain_relieved_now": [float(sum(pain_now.get(a, 0.0) for a in r)) for r in refs],
    })
    if persona is not None:  # only what touches this persona's pain
        out = out[[any(a in pain_now for a in r) for r in out["addresses"]]]
    return out.reset_index(drop=True)


def kpi_targets(current: Workshop, future: Workshop) -> pd.DataFrame:
    """KPIs of the future map with the current map's current value beside the target."""
    fut, cur = future.kpis, current.kpis
    if not len(fut):
        return pd.DataFrame(columns=["id", "metric", "unit", "baseline", "current", "target"])
    now = dict(zip(cur["id"], cur["current"])) if len(cur) and "current" in cur else {}
    def col(name: str) -> list:
        return fut[name].tolist() if name in fut.columns else [None] * len(fut)
    return pd.DataFrame({"id": fut["id"], "metric": fut["metric"], "unit": col("unit"),
                         "baseline": col("baseline"),
                         "current": [now.get(k, c) for k, c in zip(fut["id"], col("current"))],
                         "target": col("target")})


def heatmap_change(current: Workshop, future: Workshop) -> pd.DataFrame:
    """Future minus current persona × stage pain (personas and stages of the future map)."""
    after = persona_stage_pain(future)
    before = persona_stage_pain(current).reindex(index=after.index, columns=after.columns, fill_value=0.0)
    return after - before.fillna(0.0)


def compare_persona(current: Workshop, future: Workshop, persona: str) -> PersonaComparison:
    """Everything the report shows for one persona in current vs future."""
    return PersonaComparison(persona, emotion_curves(current, future, persona),
                             stage_change(current, future, persona), pain_change(current, future, persona))
