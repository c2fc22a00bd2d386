"""KPIs (kpis.csv) against baseline and target, with ``current`` measured from the evidence.

What the evidence can measure for a KPI row:

* ``conversion`` on a touchpoint or stage: the share of its users who reach the next funnel
  step (``conversion_to_next``), e.g. cart → checkout; in % when ``unit`` is ``%``;
* ``csat`` on a stage: the share of CSAT answers 4–5 when ``unit`` is ``%``, else the mean on 1–5;
* ``nps`` on a stage: % promoters − % detractors.

Anything else keeps the ``current`` typed in kpis.csv.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

KPI_COLUMNS = ["id", "metric", "stage", "touchpoint", "unit", "baseline", "target", "current",
               "measured", "value", "progress", "status"]


def _num(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(f) else f


def measure(kpi: Any, result: Any) -> float | None:
    """The value the evidence gives for one KPI row (a mapping or namedtuple), or None."""
    get = (lambda k: kpi.get(k)) if isinstance(kpi, dict) else (lambda k: getattr(kpi, k, None))
    metric = str(get("metric") or "").strip().lower()
    unit = str(get("unit") or "").strip()
    tp, stage = str(get("touchpoint") or "").strip(), str(get("stage") or "").strip()
    pct = 100.0 if unit == "%" else 1.0
    if metric == "conversion" and result is not None:
        table, key, col = ((result.funnel, "touchpoint", tp) if tp else
                           (result.stages, "stage", stage))
        rows = table[(table[key] == col) & (table["segment"] == "")]
        v = _num(rows["conversion_to_next"].iloc[0]) if len(rows) else None
        return None if v is None else round(v * pct, 2)
    survey = getattr(result, "survey", None)
    if survey is None or metric not in ("csat", "nps"):
        return None
    rows = survey.stages[survey.stages["stage"] == stage]
    if not len(rows):
        return None
    r = rows.iloc[0]
    if metric == "nps":
        return _num(r["nps"])
    return _num(r["csat_pct"]) if unit == "%" else _num(r["measured_satisfaction"])


def kpi_status(kpis: pd.DataFrame, result: Any = None) -> pd.DataFrame:
    """Each KPI with its measured value, progress from baseline to target and a status.

    ``value`` is the measured value when the evidence has one, else ``current``.
    ``progress`` = (value − baseline) ÷ (target − baseline): 0 at baseline, 1 at target.
    ``status``: target met, better than baseline, at baseline, worse than baseline, no data.
    """
    rows = []
    for k in kpis.to_dict("records"):
        measured = measure(k, result)
        value = measured if measured is not None else _num(k.get("current"))
        base, target = _num(k.get("baseline")), _num(k.get("target"))
        progress, status = None, "no data"
        if value is not None and base is not None and target is not None and target != base:
            progress = round((value - base) / (target - base), 3)
            status = ("target met" if progress >= 1 else "better than baseline" if progress > 0
                      else "at baseline" if progress == 0 else "worse than baseline")
        elif value is not None:
            status = "measured"
        rows.append({**{c: k.get(c) for c in KPI_COLUMNS[:8]}, "measured": measured,
                     "value": value, "progress": progress, "status": status})
    return pd.DataFrame(rows, columns=KPI_COLUMNS)


def fill_current(kpis: pd.DataFrame, result: Any, measured_at: str | None = None,
                 source: str | None = None) -> pd.DataFrame:
    """A copy of kpis.csv's table with ``current`` (and ``measured_at``/``source``) filled in
    where the evidence measures the KPI; other rows are unchanged. Assign it back to
    ``ws.kpis`` and ``jt.save`` to keep it.
    """
    out = kpis.copy()
    summary = getattr(result, "summary", {}) or {}
    when = measured_at or str((summary.get("time_range") or {}).get("to", ""))[:10] or None
    src = source or f"journeytools evidence from {summary.get('source', {}).get('file', 'event log')}"
    for i, k in zip(out.index, out.to_dict("records")):
        v = measure(k, result)
        if v is None:
            continue
        out.loc[i, "current"] = v
        if "measured_at" in out.columns and when:
            out.loc[i, "measured_at"] = when
        if "source" in out.columns:
            out.loc[i, "source"] = src
    return out
