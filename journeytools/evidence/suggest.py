"""Possible pain points: where most users drop off and the map has no pain point yet."""

from __future__ import annotations

from typing import Any

import pandas as pd

SUGGEST_COLUMNS = ["touchpoint", "stage", "next_touchpoint", "users", "drop_off",
                   "drop_off_rate", "worst_segment", "worst_segment_rate", "issue_events",
                   "description", "evidence"]


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def possible_pain_points(ws: Any, funnel: pd.DataFrame, issues: pd.DataFrame | None = None,
                         top: int = 3, min_rate: float = 0.0) -> pd.DataFrame:
    """Funnel steps users leave most, at touchpoints without a pain point, largest rate first.

    The drop-off on the way to step *n+1* is charged to step *n*, the touchpoint users left
    from. The worst segment (when split) and the touchpoint's issue events are added.
    """
    logged = set(ws.pain_points["touchpoint"]) if len(ws.pain_points) else set()
    steps = funnel[funnel["step"].notna()]
    overall = steps[steps["segment"] == ""].sort_values("step").reset_index(drop=True)
    rows = []
    for i in range(1, len(overall)):
        here, nxt = overall.iloc[i - 1], overall.iloc[i]
        rate = nxt["drop_off_rate"]
        if here["touchpoint"] in logged or pd.isna(rate) or rate <= min_rate or not nxt["drop_off"]:
            continue
        seg = steps[(steps["segment"] != "") & (steps["touchpoint"] == nxt["touchpoint"])]
        seg = seg[seg["drop_off_rate"].notna()].sort_values("drop_off_rate", ascending=False)
        worst = seg.iloc[0] if len(seg) and seg.iloc[0]["drop_off_rate"] > rate else None
        n_issue = None
        if issues is not None and len(issues):
            mine = issues[(issues["touchpoint"] == here["touchpoint"]) & (issues["segment"] == "")]
            n_issue = int(mine["issue_events"].fillna(0).sum()) if len(mine) else None
        evidence = (f"{int(nxt['drop_off'])} of {int(here['users'])} users "
                    f"({_pct(rate)}) who reached {here['touchpoint']} did not reach "
                    f"{nxt['touchpoint']}")
        if worst is not None:
            evidence += f"; worst segment {worst['segment']}: {_pct(worst['drop_off_rate'])}"
        if n_issue:
            evidence += f"; {n_issue} error/abandon events logged at {here['touchpoint']}"
        rows.append({"touchpoint": here["touchpoint"], "stage": here["stage"],
                     "next_touchpoint": nxt["touchpoint"], "users": int(here["users"]),
                     "drop_off": int(nxt["drop_off"]), "drop_off_rate": float(rate),
                     "worst_segment": None if worst is None else worst["segment"],
                     "worst_segment_rate": None if worst is None else float(worst["drop_off_rate"]),
                     "issue_events": n_issue,
                     "description": f"Possible pain point: {_pct(rate)} of users leave after "
                                    f"{here['name']}",
                     "evidence": evidence})
    out = pd.DataFrame(rows, columns=SUGGEST_COLUMNS)
    return out.sort_values(["drop_off_rate", "drop_off"], ascending=False,
                           kind="stable").head(top).reset_index(drop=True)
