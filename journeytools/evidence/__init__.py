"""Evidence for a journey map: funnels from event logs, survey scores, KPIs, privacy by default.

>>> from journeytools.evidence import compute_evidence, write_evidence   # doctest: +SKIP
>>> r = compute_evidence("workshops/luggage-store",                    # doctest: +SKIP
...                      mapping="workshops/luggage-store/evidence/mapping.yml")
>>> r.funnel[["touchpoint", "users", "conversion"]]                      # doctest: +SKIP

The mapping file's shape is documented in :mod:`journeytools.evidence.mapping`; the metric
definitions in :mod:`journeytools.evidence.funnel`; running the SQL on Spark or a warehouse in
:mod:`journeytools.evidence.engine`.
"""

from __future__ import annotations

from .api import EvidenceResult, compute_evidence, update_evidence, write_evidence
from .kpis import fill_current, kpi_status
from .mapping import Mapping, Privacy, load_mapping, parse_mapping
from .suggest import possible_pain_points
from .survey import SurveyResult, assumed_vs_measured, read_survey

__all__ = [
    "EvidenceResult",
    "Mapping",
    "Privacy",
    "SurveyResult",
    "assumed_vs_measured",
    "compute_evidence",
    "fill_current",
    "kpi_status",
    "load_mapping",
    "parse_mapping",
    "possible_pain_points",
    "read_survey",
    "update_evidence",
    "write_evidence",
]
