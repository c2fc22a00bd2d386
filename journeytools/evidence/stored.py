"""Reading back what ``journeytools evidence`` wrote into a workshop's ``evidence/`` folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..model.meta import safe_yaml
from ..model.workshop import Workshop


@dataclass(frozen=True)
class StoredEvidence:
    """The overall funnel (no segment split) and the summary, when computed."""

    funnel: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)
    stages: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def has_survey(self) -> bool:
        col = "measured_satisfaction"
        return col in self.stages.columns and (self.stages[col].astype(str) != "").any()

    @property
    def possible_pain_points(self) -> list[dict[str, Any]]:
        return list(self.summary.get("possible_pain_points") or [])

    @property
    def source(self) -> str:
        src = self.summary.get("source") or {}
        return str(src.get("file", "")) if isinstance(src, dict) else str(src)


def read_stored(ws: Workshop) -> StoredEvidence | None:
    """The evidence stored beside a loaded workshop, or None when there is none."""
    if ws.path is None:
        return None
    folder = Path(ws.path) / "evidence"
    funnel_csv = folder / "funnel.csv"
    if not funnel_csv.is_file():
        return None
    funnel = pd.read_csv(funnel_csv, keep_default_na=False, dtype={"segment": str, "touchpoint": str})
    if "segment" in funnel.columns:
        funnel = funnel[funnel["segment"] == ""]
    if "step" in funnel.columns:
        funnel = funnel[funnel["step"].astype(str) != ""]
    stages_csv = folder / "stages.csv"
    stages = pd.DataFrame()
    if stages_csv.is_file():
        stages = pd.read_csv(stages_csv, keep_default_na=False, dtype={"segment": str, "stage": str})
        if "segment" in stages.columns:
            stages = stages[stages["segment"] == ""].reset_index(drop=True)
    summary_yml = folder / "summary.yml"
    summary: Any = {}
    if summary_yml.is_file():  # written by journeytools, but the folder came from outside
        summary, problems = safe_yaml(summary_yml.read_text(encoding="utf-8"), "evidence/summary.yml")
        if problems or not isinstance(summary, dict):
            summary = {}
    return StoredEvidence(funnel.reset_index(drop=True), summary or {}, stages)
