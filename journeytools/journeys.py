"""Scores across the journeys of a portfolio (SPEC §10), as pure functions beside ``scoring``.

Each journey is scored on its own (``scoring.score``); this module only puts the journeys side
by side, so every number here is the number of that journey's own report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .evidence.kpis import kpi_status
from .model.workshop import Workshop
from .scoring import Scores, persona_stage_pain, score

Journeys = Mapping[str, Workshop]


def scores(journeys: Journeys) -> dict[str, Scores]:
    """Each journey's map scores, by journey name."""
    return {name: score(ws) for name, ws in journeys.items()}


def summary(journeys: Journeys, today: dt.date | None = None,
            scored: Mapping[str, Scores] | None = None) -> pd.DataFrame:
    """One row per journey: title, state, personas, hottest stage and its pain, the top pain
    point, last review and whether the map is stale."""
    scored = scored or scores(journeys)
    rows = []
    for name, ws in journeys.items():
        s = scored[name]
        hot = s.hottest_stage if len(s.stages) and s.stages["pain"].max() > 0 else None
        names = {st.id: st.name for st in ws.stages}
        top = s.pain_points.head(1)
        rows.append({
            "journey": name, "title": ws.title, "state": ws.state, "personas": len(ws.personas),
            "hottest_stage": names.get(hot, "") if hot else "",
            "hottest_pain": float(s.stages.set_index("id")["pain"][hot]) if hot else 0.0,
            "top_pain": str(top["description"].iloc[0]) if len(top) else "",
            "top_pain_value": float(top["weighted_pain"].iloc[0]) if len(top) else 0.0,
            "reviewed": ws.reviewed.isoformat() if ws.reviewed else "",
            "review_due": _iso(ws.review_due()),
            "stale": bool(ws.is_stale(today)),
        })
    return pd.DataFrame(rows, columns=["journey", "title", "state", "personas", "hottest_stage",
                                       "hottest_pain", "top_pain", "top_pain_value", "reviewed",
                                       "review_due", "stale"])


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def to_review(table: pd.DataFrame) -> pd.DataFrame:
    """The journeys to review: stale maps first (most overdue first), then the rest by due date."""
    order = table.assign(_due=table["review_due"].replace("", "9999-12-31"))
    return order.sort_values(["stale", "_due", "journey"], ascending=[False, True, True],
                             kind="mergesort").drop(columns="_due").reset_index(drop=True)


def persona_matrix(journeys: Journeys) -> pd.DataFrame:
    """Total weighted pain of each persona (rows: first appearance) in each journey (columns):
    the persona view of SPEC §3 summed over stages; 0 where a persona is not in a journey."""
    columns: dict[str, pd.Series] = {}
    for name, ws in journeys.items():
        columns[name] = persona_stage_pain(ws).sum(axis=1)
    personas: list[str] = []
    for col in columns.values():
        personas += [p for p in col.index if p not in personas]
    return pd.DataFrame({name: col.reindex(personas, fill_value=0.0) for name, col in columns.items()},
                        index=pd.Index(personas, name="persona"), columns=list(journeys))


def persona_names(journeys: Journeys, library: pd.DataFrame | None = None) -> dict[str, str]:
    """Persona id → name: the library's, else the first journey's that has the persona."""
    names: dict[str, str] = {}
    for ws in journeys.values():
        for pid, name in zip(ws.personas["id"], ws.personas["name"]):
            names.setdefault(str(pid), str(name))
    if library is not None and len(library):
        names.update({str(i): str(n) for i, n in zip(library["id"], library["name"])})
    return names


def opportunities(journeys: Journeys, scored: Mapping[str, Scores] | None = None) -> pd.DataFrame:
    """Opportunities across journeys: an id used in several journeys is one opportunity, whose
    pain relieved adds up over them. RICE, owner and status come from the first journey that
    scores it; ranked by pain relieved across journeys, then RICE, then id."""
    scored = scored or scores(journeys)
    rows: dict[str, dict] = {}
    for name, s in scored.items():
        for r in s.opportunities.itertuples():
            row = rows.setdefault(r.id, {"id": r.id, "title": r.title, "journeys": [], "pain_relieved": 0.0,
                                         "rice": np.nan, "owner": r.owner, "status": r.status,
                                         "kind": r.kind, "votes": 0})
            row["journeys"].append(name)
            row["pain_relieved"] += float(r.pain_relieved)
            row["votes"] += int(r.votes)
            if np.isnan(row["rice"]) and not pd.isna(r.rice):
                row["rice"], row["owner"], row["status"] = float(r.rice), r.owner, r.status
    out = pd.DataFrame(list(rows.values()),
                       columns=["id", "title", "journeys", "pain_relieved", "rice", "owner", "status",
                                "kind", "votes"])
    out = out.assign(_r=out["rice"].fillna(-1.0)).sort_values(
        ["pain_relieved", "_r", "id"], ascending=[False, False, True], kind="mergesort").drop(columns="_r")
    out["rank"] = np.arange(1, len(out) + 1)
    return out.reset_index(drop=True)


def kpis(journeys: Journeys) -> pd.DataFrame:
    """Every journey's KPIs with progress and status (from their ``current`` values)."""
    parts = [kpi_status(ws.kpis).assign(journey=name) for name, ws in journeys.items() if len(ws.kpis)]
    if not parts:
        return pd.DataFrame(columns=["journey", "id", "metric", "status"])
    return pd.concat(parts, ignore_index=True)
