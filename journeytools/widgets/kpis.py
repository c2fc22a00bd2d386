"""The KPI editor: how we will know an idea worked, per stage or touchpoint (``kpis.csv``).

One row per KPI: the metric, where it is measured (a stage or a touchpoint), its unit, the
baseline before any change, the target, the current value, who owns it and when it was last
measured. ``owner`` is an extra column of kpis.csv (kept like any other). Every cell is checked
as it is typed; ``save()`` writes kpis.csv atomically, under the folder lock, only when every
row is valid.

>>> grid = KpiGrid("workshops/luggage-store")                     # doctest: +SKIP
>>> row = grid.add_row(id="cart-abandon-recovery", metric="conversion", stage="purchase")
>>> row.cells["baseline"].value, row.cells["target"].value = "8", "12"   # doctest: +SKIP
>>> grid.save()                                                   # doctest: +SKIP
True
"""

from __future__ import annotations

from ..model.workshop import Workshop
from ._base import choices
from .grids import GridColumn, GridRow, TableGrid


def _stages(ws: Workshop) -> list[tuple[str, str]]:
    return choices([(s.name, s.id) for s in ws.stages], "—")


def _touchpoints(ws: Workshop) -> list[tuple[str, str]]:
    names = {s.id: s.name for s in ws.stages}
    tp = ws.touchpoints
    return choices([(f"{names.get(st, st)} · {n}", t)
                    for t, st, n in zip(tp["id"], tp["stage"], tp["name"])], "—")


class KpiGrid(TableGrid):
    """KPIs per stage or touchpoint: baseline, target, current, owner (``kpis.csv``)."""

    table = "kpis"
    noun = "KPI"
    columns = (
        GridColumn("id", "Id", "10em"),
        GridColumn("metric", "Metric", "8em"),
        GridColumn("stage", "Stage", "10em", _stages),
        GridColumn("touchpoint", "or touchpoint", "12em", _touchpoints),
        GridColumn("unit", "Unit", "4em"),
        GridColumn("baseline", "Baseline", "5em"),
        GridColumn("target", "Target", "5em"),
        GridColumn("current", "Current", "5em"),
        GridColumn("owner", "Owner", "9em"),
        GridColumn("measured_at", "Measured on", "7em"),
    )

    def _extra_checks(self, row: GridRow) -> list[str]:
        errors = super()._extra_checks(row)
        cells = row.cells
        stage, tp = cells["stage"].value, cells["touchpoint"].value
        if not stage and not tp:
            errors.append("choose the stage or the touchpoint this KPI measures")
        elif stage and tp:
            tp_stage = dict(zip(self.ws.touchpoints["id"], self.ws.touchpoints["stage"]))
            if tp_stage.get(tp) != stage:
                errors.append(f"touchpoint {tp!r} is not in stage {stage!r}: choose one of them")
        base, target = cells["baseline"].value.strip(), cells["target"].value.strip()
        if base and target and base == target:
            errors.append("target equals baseline: what change would show it worked?")
        return errors
