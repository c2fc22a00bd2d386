"""Naive baselines, written the way a first script would: pandas.read_csv and row loops."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*$")


def naive_load(folder: Path) -> list[str]:
    """read_csv every table, then check each row with iterrows."""
    meta = yaml.safe_load((folder / "workshop.yml").read_text())
    stages = {s["id"] for s in meta["stages"]}
    t = {n: pd.read_csv(folder / f"{n}.csv", dtype=str, keep_default_na=False)
         for n in ("personas", "touchpoints", "steps", "pain_points", "opportunities", "votes")}
    problems = []
    for name, frame in t.items():
        seen = set()
        for i, row in frame.iterrows():
            if "id" in frame.columns:
                if not SLUG.match(row["id"]):
                    problems.append(f"{name}:{i + 2}: bad id")
                if row["id"] in seen:
                    problems.append(f"{name}:{i + 2}: duplicate")
                seen.add(row["id"])
    for i, row in t["touchpoints"].iterrows():
        if row["stage"] not in stages:
            problems.append(f"touchpoints:{i + 2}: stage")
    personas = list(t["personas"]["id"])
    tps = list(t["touchpoints"]["id"])
    for i, row in t["pain_points"].iterrows():
        if row["persona"] != "*" and row["persona"] not in personas:
            problems.append(f"pain_points:{i + 2}: persona")
        if row["touchpoint"] not in tps:
            problems.append(f"pain_points:{i + 2}: touchpoint")
        for col in ("severity", "frequency"):
            if not (row[col].isdigit() and 1 <= int(row[col]) <= 5):
                problems.append(f"pain_points:{i + 2}: {col}")
    return problems


def naive_score(folder: Path) -> pd.DataFrame:
    """Weighted pain and RICE with per-row lookups."""
    personas = pd.read_csv(folder / "personas.csv")
    pains = pd.read_csv(folder / "pain_points.csv")
    votes = pd.read_csv(folder / "votes.csv")
    opps = pd.read_csv(folder / "opportunities.csv")
    out = []
    for _, p in pains.iterrows():
        if p["persona"] == "*":
            w = personas["weight"].sum()
        else:
            w = personas.loc[personas["id"] == p["persona"], "weight"].iloc[0]
        v = votes.loc[votes["item"] == p["id"], "votes"].sum()
        out.append((p["id"], p["severity"] * p["frequency"] * w + v))
    pain = pd.DataFrame(out, columns=["id", "weighted_pain"]).sort_values(["weighted_pain", "id"], ascending=[False, True])
    by_id = dict(out)
    rice = []
    for _, o in opps.iterrows():
        relieved = sum(by_id.get(a, 0) for a in str(o["addresses"]).split(";"))
        rice.append((o["id"], o["reach"] * o["impact"] * o["confidence"] / o["effort"], relieved))
    return pain
