"""The service blueprint (SPEC §8) as pure functions: which processes sit under a persona's
steps, which processes cause which pain points, and which team owns how much pain.

The pain table comes in as an argument (``scoring.pain_table``), so scoring can use this
module without a cycle.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .model.schema import LANES
from .model.workshop import Workshop

LANES_ORDER = LANES  # top to bottom under the customer's actions
LANE_NAMES = {"evidence": "Physical evidence", "frontstage": "Frontstage",
              "backstage": "Backstage", "support": "Support processes"}
LINES = (  # (lane above, lane below, name): derived from the lanes, never stored
    ("customer", "frontstage", "line of interaction"),
    ("frontstage", "backstage", "line of visibility"),
    ("backstage", "support", "line of internal interaction"),
)
NO_OWNER = "(no owner)"
ROOT_CAUSE_COLUMNS = ["pain_point", "description", "persona", "weighted_pain", "rank", "process",
                      "lane", "owner", "system", "touchpoint", "fails", "status"]


def _text(frame: pd.DataFrame, name: str) -> list[str]:
    if name not in frame.columns:
        return [""] * len(frame)
    return ["" if v is None or v != v else str(v) for v in frame[name].tolist()]


def fails(value: object) -> bool:
    """A ``fails`` cell as a truth value (true/yes, any case)."""
    return str(value).strip().lower() in ("true", "yes")


def rows(ws: Workshop, persona: str | None = None) -> pd.DataFrame:
    """Blueprint rows (of one persona: its own and the ``*`` ones), lanes top to bottom,
    then ``order`` (blank last), then file order; with ``fails`` as a bool."""
    bp = ws.blueprint
    out = pd.DataFrame({
        "touchpoint": _text(bp, "touchpoint"), "lane": _text(bp, "lane"), "text": _text(bp, "text"),
        "persona": [p or "*" for p in _text(bp, "persona")], "owner": _text(bp, "owner"),
        "system": _text(bp, "system"), "status": [s or "assumed" for s in _text(bp, "status")],
        "causes": [[c for c in v.split(";") if c] for v in _text(bp, "causes")],
        "fails": [fails(v) for v in _text(bp, "fails")],
        "minutes": pd.to_numeric(bp["minutes"], errors="coerce").to_numpy(float)
        if "minutes" in bp.columns else np.full(len(bp), np.nan),
        "order": pd.to_numeric(bp["order"], errors="coerce").to_numpy(float)
        if "order" in bp.columns else np.full(len(bp), np.nan),
        "file_pos": np.arange(len(bp)),
    })
    if persona is not None:
        out = out[(out["persona"] == "*") | (out["persona"] == persona)]
    out["lane_pos"] = out["lane"].map({lane: i for i, lane in enumerate(LANES)}).fillna(len(LANES))
    out = out.sort_values(["lane_pos", "order", "file_pos"], na_position="last", kind="mergesort")
    return out.drop(columns=["lane_pos", "file_pos"]).reset_index(drop=True)


def persona_rows(ws: Workshop, persona: str, pains: pd.DataFrame) -> pd.DataFrame:
    """The blueprint under one persona's journey: its rows at the touchpoints the persona
    visits, and at any touchpoint whose processes cause a pain point of ``pains`` (its view)."""
    procs = rows(ws, persona)
    steps = ws.steps
    visited = set(steps.loc[steps["persona"] == persona, "touchpoint"]) if len(steps) else set()
    mine = set(pains["id"])
    causing = {t for t, causes in zip(procs["touchpoint"], procs["causes"]) if mine & set(causes)}
    return procs[procs["touchpoint"].isin(visited | causing)].reset_index(drop=True)


def root_causes(ws: Workshop, pains: pd.DataFrame, persona: str | None = None) -> pd.DataFrame:
    """Pain point → the process that causes it → lane → owner → system, in pain rank order
    (``pains``: a ranked pain table, the map's or a persona's view)."""
    procs = rows(ws, persona).to_dict("records")
    by_pain: dict[str, list[dict]] = {}
    for p in procs:
        for pid in p["causes"]:
            by_pain.setdefault(pid, []).append(p)
    records = []
    for pid, desc, who, value, rank in zip(pains["id"], pains["description"], pains["persona"],
                                           pains["weighted_pain"], pains["rank"]):
        for p in by_pain.get(str(pid), []):
            records.append({"pain_point": pid, "description": desc, "persona": who,
                            "weighted_pain": float(value), "rank": int(rank),
                            "process": p["text"], "lane": p["lane"], "owner": p["owner"],
                            "system": p["system"], "touchpoint": p["touchpoint"],
                            "fails": bool(p["fails"]), "status": p["status"]})
    return pd.DataFrame(records, columns=ROOT_CAUSE_COLUMNS)


def pain_by_team(causes: pd.DataFrame) -> pd.Series:
    """Weighted pain per owning team, most first: a pain point's pain is shared equally by the
    distinct teams whose processes cause it, so the teams add up to the caused pain."""
    if not len(causes):
        return pd.Series(dtype=float)
    teams = causes.assign(owner=causes["owner"].replace("", NO_OWNER))
    teams = teams.drop_duplicates(["pain_point", "owner"])
    share = teams["weighted_pain"] / teams.groupby("pain_point")["owner"].transform("count")
    total = share.groupby(teams["owner"]).sum()
    return total.sort_values(ascending=False, kind="mergesort")
