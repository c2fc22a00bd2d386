"""The plan per stage: what to fix, which content and campaigns to run, where to personalise.

The method ends in a plan. Each opportunity has a ``stage`` (given, or the stage of the pain
points it addresses: ``scoring.opportunity_table``) and a ``kind``; the plan lists the
opportunities stage by stage in journey order, grouped by kind in the SPEC's order (fix,
content, campaign, personalisation, process, product, then "unsorted" for a blank kind), best
RICE rank first. Dropped opportunities are left out (or kept and marked, on request). Pure
functions: reports, the Markdown export and the deck lay out the same plan.

>>> import journeytools as jt                                      # doctest: +SKIP
>>> from journeytools.plan import plan_table, plan_stages          # doctest: +SKIP
>>> plan_stages(jt.load("workshops/luggage-store"))[0].name        # doctest: +SKIP
'Awareness'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .model.schema import OPPORTUNITY_KINDS
from .model.workshop import Workshop
from .scoring import opportunity_table

UNSORTED = "unsorted"
KINDS = (*OPPORTUNITY_KINDS, UNSORTED)
KIND_LABELS = {"fix": "Fix", "content": "Content", "campaign": "Campaign",
               "personalisation": "Personalisation", "process": "Process", "product": "Product",
               UNSORTED: "Unsorted"}
NO_STAGE = ""  # opportunities that neither name a stage nor address a pain point
NO_STAGE_NAME = "Not tied to a stage"
DROPPED = "dropped"
# next steps: work under way first, then what is planned, then ideas; done and dropped are not next
NEXT_STATUSES = ("in-progress", "planned", "idea", "")
COLUMNS = ["stage", "stage_name", "kind", "kind_label", "id", "title", "owner", "status", "rank",
           "rice", "dropped"]


def plan_table(ws: Workshop, persona: str | None = None, *, opportunities: pd.DataFrame | None = None,
               include_dropped: bool = False) -> pd.DataFrame:
    """One row per opportunity, in plan order: stage (journey order; opportunities without a
    stage last), kind (SPEC order, blank → "unsorted"), RICE rank (unscored ones after the
    ranked ones, by id).

    ``opportunities`` is an ``opportunity_table`` already computed (a report passes its persona
    view so that ranks match the page); else it is computed for ``persona``. Dropped ones are left
    out unless ``include_dropped``; the ``dropped`` column marks them.
    """
    opps = opportunity_table(ws, persona) if opportunities is None else opportunities
    names = {s.id: s.name for s in ws.stages}
    stage_pos = {sid: i for i, sid in enumerate(ws.stage_ids)}
    kind_pos = {k: i for i, k in enumerate(KINDS)}
    stages = [s if s in names else NO_STAGE for s in opps["stage"].tolist()]
    kinds = [k.strip().lower() or UNSORTED for k in opps["kind"].tolist()]
    kinds = [k if k in kind_pos else UNSORTED for k in kinds]
    status = [s.strip().lower() for s in opps["status"].tolist()]
    rank = pd.array(opps["rank"].tolist(), dtype="Int64")
    out = pd.DataFrame({
        "stage": pd.Series(stages, dtype=object),
        "stage_name": pd.Series([names.get(s, NO_STAGE_NAME) for s in stages], dtype=object),
        "kind": pd.Series(kinds, dtype=object),
        "kind_label": pd.Series([KIND_LABELS[k] for k in kinds], dtype=object),
        "id": pd.Series(opps["id"].tolist(), dtype=object),
        "title": pd.Series(opps["title"].tolist(), dtype=object),
        "owner": pd.Series(opps["owner"].tolist(), dtype=object),
        "status": pd.Series(status, dtype=object),
        "rank": rank,
        "rice": pd.to_numeric(opps["rice"], errors="coerce").to_numpy(dtype=float),
        "dropped": np.array([s == DROPPED for s in status], dtype=bool),
    })
    out["_stage"] = [stage_pos.get(s, len(stage_pos)) for s in stages]
    out["_kind"] = [kind_pos[k] for k in kinds]
    out["_unranked"] = out["rank"].isna()
    out["_rank"] = out["rank"].astype("Float64").fillna(0.0)
    out = out.sort_values(["_stage", "_kind", "_unranked", "_rank", "id"], kind="mergesort")
    if not include_dropped:
        out = out[~out["dropped"]]
    return out[COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class KindGroup:
    """The opportunities of one kind in one stage (rows of :func:`plan_table`)."""

    kind: str
    label: str
    items: pd.DataFrame


@dataclass(frozen=True)
class StagePlan:
    """One stage of the plan: its kind groups in order (none when nothing is planned there)."""

    stage: str
    name: str
    groups: list[KindGroup]

    @property
    def count(self) -> int:
        return sum(len(g.items) for g in self.groups)


def plan_stages(ws: Workshop, persona: str | None = None, *, table: pd.DataFrame | None = None,
                include_dropped: bool = False) -> list[StagePlan]:
    """The plan as sections: every stage of the journey in order (empty ones included, so a plan
    shows where nothing is done yet), then "Not tied to a stage" when some opportunities are."""
    table = plan_table(ws, persona, include_dropped=include_dropped) if table is None else table
    sections = [(s.id, s.name) for s in ws.stages]
    if (table["stage"] == NO_STAGE).any():
        sections.append((NO_STAGE, NO_STAGE_NAME))
    out = []
    for sid, name in sections:
        mine = table[table["stage"] == sid]
        groups = [KindGroup(k, KIND_LABELS[k], mine[mine["kind"] == k].reset_index(drop=True))
                  for k in KINDS if (mine["kind"] == k).any()]
        out.append(StagePlan(sid, name, groups))
    return out


def dropped_count(ws: Workshop, persona: str | None = None, *,
                  opportunities: pd.DataFrame | None = None) -> int:
    """How many opportunities the plan leaves out as dropped."""
    opps = opportunity_table(ws, persona) if opportunities is None else opportunities
    return int(sum(str(s).strip().lower() == DROPPED for s in opps["status"].tolist()))


def next_steps(ws: Workshop, persona: str | None = None, *,
               opportunities: pd.DataFrame | None = None) -> pd.DataFrame:
    """What happens next: opportunities in progress, planned, then ideas (done and dropped ones
    are not next steps), best RICE rank first within a status; plan columns plus ``due`` (an
    optional extra ``due`` column of opportunities.csv, blank when absent)."""
    table = plan_table(ws, persona, opportunities=opportunities)
    order = {s: i for i, s in enumerate(NEXT_STATUSES)}
    table = table.loc[np.array([s in order for s in table["status"]], dtype=bool)].copy()
    raw = ws.opportunities
    due = dict(zip(raw["id"].astype(str), raw["due"].fillna("").astype(str))) \
        if {"id", "due"} <= set(raw.columns) else {}
    table["due"] = pd.Series([due.get(i, "").strip() for i in table["id"]], index=table.index,
                             dtype=object)
    table["_status"] = [order[s] for s in table["status"]]
    table["_unranked"] = table["rank"].isna()
    table["_rank"] = table["rank"].astype("Float64").fillna(0.0)
    table = table.sort_values(["_status", "_unranked", "_rank", "id"], kind="mergesort")
    return table.drop(columns=["_status", "_unranked", "_rank"]).reset_index(drop=True)


def records(stages: list[StagePlan]) -> list[dict[str, Any]]:
    """The plan as plain data for templates and exports: per stage ``stage``, ``name``,
    ``count`` and ``groups`` (``kind``, ``label``, ``items``: ``id``, ``title``, ``owner``,
    ``status``, ``rank`` (an int, or None when unscored) and ``dropped``)."""
    return [{"stage": s.stage, "name": s.name, "count": s.count,
             "groups": [{"kind": g.kind, "label": g.label, "items": [
                 {"id": r.id, "title": r.title, "owner": r.owner, "status": r.status,
                  "rank": None if pd.isna(r.rank) else int(r.rank), "dropped": bool(r.dropped)}
                 for r in g.items.itertuples()]} for g in s.groups]}
            for s in stages]
