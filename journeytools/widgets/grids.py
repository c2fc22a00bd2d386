"""Editable grids: one row of fields per table row, checked as you type, saved on request.

>>> grid = TouchpointGrid("workshops/luggage-store")            # doctest: +SKIP
>>> grid.rows[0].cells["owner"].value = "Social media team"     # doctest: +SKIP
>>> grid.save()                                                 # doctest: +SKIP
True
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as w

from ..model.schema import OPPORTUNITY_KINDS, STATUSES, TABLES, TOUCHPOINT_KINDS
from ..model.tables import format_float
from ..model.workshop import Workshop
from ..vocab import IMPACT_VALUES, IMPACT_WORDS, labelled
from ._base import ChartFn, Editor, build_table, cell_text, check_cell, choices, css_name, message

Options = Callable[[Workshop], list[tuple[str, str]]]


@dataclass(frozen=True)
class GridColumn:
    """A column shown in a grid: the table column, its heading, width and (for dropdowns) options."""

    name: str
    label: str
    width: str = "9em"
    options: Options | None = None


class GridRow:
    """The fields of one row, the row's message and its "remove" box."""

    def __init__(self, index: int | None, cells: dict[str, w.ValueWidget]) -> None:
        self.index = index  # position in the table when loaded; None for a new row
        self.cells = cells
        self.remove = w.Checkbox(False, description="remove", indent=False,
                                 layout=w.Layout(width="6em")).add_class("jt-remove")
        # the message never shrinks to nothing at the end of a wide row
        self.message = w.HTML(layout=w.Layout(flex="1 0 14em")).add_class("jt-row-message")
        self.box = w.HBox([*cells.values(), self.remove, self.message]).add_class("jt-grid-row")

    def values(self) -> dict[str, str]:
        return {k: str(c.value) for k, c in self.cells.items()}


class TableGrid(Editor):
    """An editable grid over one table of the workshop (optionally only some of its rows).

    ``fixed`` gives column values that select the rows shown and are filled into new rows
    (e.g. ``{"persona": "mia"}`` for one persona's steps). Cells are checked on every change
    (message at the end of the row); ``save()`` writes the table when every row is valid.
    """

    table = ""
    columns: tuple[GridColumn, ...] = ()
    noun = "row"

    def __init__(self, folder: str | os.PathLike, fixed: dict[str, str] | None = None,
                 chart: ChartFn | None = None, **kwargs: Any) -> None:
        super().__init__(folder, chart, **kwargs)
        self.fixed = dict(fixed or {})
        self.rows: list[GridRow] = []
        self.layout.overflow_x = "auto"  # a grid wider than the notebook scrolls sideways as one
        self._build()

    # -- building ----------------------------------------------------------------------------
    def _visible(self) -> list[int]:
        frame = self.ws.tables[self.table]
        keep = []
        for i in range(len(frame)):
            if all(k in frame.columns and str(frame[k].iloc[i]) == v for k, v in self.fixed.items()):
                keep.append(i)
        return keep

    def _cell(self, col: GridColumn, value: str) -> w.ValueWidget:
        # fixed width (no flex shrinking), so every cell stays under its heading in a wide grid
        layout = w.Layout(width=col.width, flex="0 0 auto")
        if col.options is not None:
            opts = col.options(self.ws)
            if value not in [v for _, v in opts]:
                opts = [("— choose —", "")] + opts if value == "" else opts + [(value, value)]
            cell: w.ValueWidget = w.Dropdown(options=opts, value=value, layout=layout)
        else:
            cell = w.Text(value, continuous_update=False, layout=layout,
                          placeholder=col.label.lower())
        # the heading above is only text: a zero-width label gives the cell its accessible name
        cell.description = col.label
        cell.style.description_width = "0px"
        cell.add_class(f"jt-cell-{css_name(col.name)}")
        cell.observe(lambda _change: self._check_all(), names="value")
        return cell

    def _row(self, index: int | None) -> GridRow:
        frame = self.ws.tables[self.table]
        cells = {}
        for col in self.columns:
            value = ""
            if index is not None and col.name in frame.columns:
                value = cell_text(frame[col.name].iloc[index])
            cells[col.name] = self._cell(col, value)
        row = GridRow(index, cells)
        row.remove.observe(lambda _change: self._check_all(), names="value")
        return row

    def _build(self) -> None:
        self.rows = [self._row(i) for i in self._visible()]
        header = w.HBox([w.HTML(f"<b>{html.escape(c.label)}</b>",
                                layout=w.Layout(width=c.width, flex="0 0 auto"))
                         for c in self.columns]).add_class("jt-grid-header")
        add = w.Button(description=f"Add {self.noun}", icon="plus",
                       layout=w.Layout(width="auto")).add_class("jt-add-row")
        add.on_click(lambda _b: self.add_row())
        save = w.Button(description="Save", icon="save", button_style="primary").add_class("jt-save")
        save.on_click(lambda _b: self.save())
        self._header, self._buttons = header, w.HBox([add, save])
        self._arrange()

    def _arrange(self) -> None:
        self._layout(self._header, *[r.box for r in self.rows], self._buttons)

    def add_row(self, **values: str) -> GridRow:
        """Append an empty row (or one filled with ``values``) to the grid; not saved yet."""
        row = self._row(None)
        for name, value in values.items():
            row.cells[name].value = value
        self.rows.append(row)
        self._arrange()
        self._check_all()
        return row

    # -- checking ----------------------------------------------------------------------------
    def check_row(self, row: GridRow) -> list[str]:
        """Messages for one row (empty when valid); also shown next to the row."""
        if row.remove.value:
            row.message.value = message("will be removed when you save", "hint")
            return []
        errors = []
        for name, text in row.values().items():
            _value, err = check_cell(self.table, name, text)
            if err:
                errors.append(err)
        errors += self._extra_checks(row)
        row.message.value = message("; ".join(errors)) if errors else ""
        return errors

    def _extra_checks(self, row: GridRow) -> list[str]:
        id_col = TABLES[self.table].id_column
        if not id_col or id_col not in row.cells:
            return []
        mine = row.cells[id_col].value.strip().lower()
        if not mine:
            return []
        others = [r.cells[id_col].value.strip().lower() for r in self.rows
                  if r is not row and not r.remove.value]
        frame = self.ws.tables[self.table]
        shown = {r.index for r in self.rows}
        hidden = [str(frame[id_col].iloc[i]) for i in range(len(frame)) if i not in shown]
        return [f"id {mine!r} is already used"] if mine in others + hidden else []

    def _check_all(self) -> int:
        bad = sum(1 for r in self.rows if self.check_row(r))
        if bad:
            self.status.value = message(f"{bad} {self.noun}(s) need fixing before saving")
        else:
            self.status.value = ""
        return bad

    # -- saving ------------------------------------------------------------------------------
    def save(self) -> bool:
        """Write the table when every row is valid; returns whether it was saved."""
        if self._check_all():
            return False
        frame = self.ws.tables[self.table]
        by_index = {r.index: r for r in self.rows if r.index is not None}
        shown = set(self._visible())
        records: list[dict[str, Any]] = []
        for i in range(len(frame)):
            record = {c: frame[c].iloc[i] for c in frame.columns}
            if i in shown:
                row = by_index.get(i)
                if row is None or row.remove.value:
                    continue
                record.update(self._parsed(row))
            records.append(record)
        for row in self.rows:
            if row.index is None and not row.remove.value:
                records.append({**self.fixed, **self._parsed(row)})
        # an optional column the file lacks is added only when some row fills it in
        filled = {k for rec in records for k, v in rec.items()
                  if k not in frame.columns and v is not None and v != ""}
        columns = list(frame.columns) + [c for c in [*self.fixed, *(c.name for c in self.columns)]
                                         if c not in frame.columns and (c in self.fixed or c in filled)]
        new = build_table(self.table, columns, records)
        if not self._commit(self.table, new, f"Saved {self.table}.csv ({len(new)} rows)"):
            return False
        self._build()
        self._set_status(f"Saved {self.table}.csv ({len(new)} rows)", "ok")
        return True

    def _parsed(self, row: GridRow) -> dict[str, Any]:
        return {name: check_cell(self.table, name, text)[0] for name, text in row.values().items()}


# -- the grids the notebooks use ------------------------------------------------------------
def _stages(ws: Workshop) -> list[tuple[str, str]]:
    return [(s.name, s.id) for s in ws.stages]


def _stages_or_blank(ws: Workshop) -> list[tuple[str, str]]:
    return choices(_stages(ws), "— from its pains —")


def _touchpoints(ws: Workshop) -> list[tuple[str, str]]:
    names = {s.id: s.name for s in ws.stages}
    tp = ws.touchpoints
    return [(f"{names.get(st, st)} · {n}", t) for t, st, n in zip(tp["id"], tp["stage"], tp["name"])]


def _enum(values: tuple, blank: str = "—") -> Options:
    return lambda ws: choices([(v, v) for v in values], blank)


def _impacts(ws: Workshop) -> list[tuple[str, str]]:
    return choices([(labelled(IMPACT_WORDS, v), format_float(v)) for v in IMPACT_VALUES], "—")


class TouchpointGrid(TableGrid):
    """Touchpoints: where the customer meets us, per stage, channel and owner."""

    table = "touchpoints"
    noun = "touchpoint"
    columns = (
        GridColumn("id", "Id", "10em"),
        GridColumn("stage", "Stage", "11em", _stages),
        GridColumn("name", "Touchpoint", "16em"),
        GridColumn("channel", "Channel", "7em"),
        GridColumn("kind", "Online/offline", "7em", _enum(TOUCHPOINT_KINDS)),
        GridColumn("owner", "Owner (team)", "11em"),
    )


class StepGrid(TableGrid):
    """One persona's journey steps: doing, thinking, feeling, emotion (1–5), what they expect and
    the questions they ask there."""

    table = "steps"
    noun = "step"
    columns = (
        GridColumn("touchpoint", "Touchpoint", "15em", _touchpoints),
        GridColumn("order", "Order", "4em"),
        GridColumn("action", "Doing", "15em"),
        GridColumn("thought", "Thinking", "13em"),
        GridColumn("emotion", "Emotion 1–5", "5em"),
        GridColumn("feeling", "Feeling", "9em"),
        GridColumn("expectation", "Expects", "12em"),
        GridColumn("questions", "Asks", "12em"),
    )

    def __init__(self, folder: str | os.PathLike, persona: str, chart: ChartFn | None = None,
                 **kwargs: Any) -> None:
        self.persona = persona
        super().__init__(folder, fixed={"persona": persona}, chart=chart, **kwargs)


class OpportunityGrid(TableGrid):
    """Opportunities with the fields RICE and ICE need, their kind and stage in the plan, the
    owner and the status."""

    table = "opportunities"
    noun = "opportunity"
    columns = (
        GridColumn("id", "Id", "10em"),
        GridColumn("title", "Idea", "16em"),
        GridColumn("addresses", "Pain points (;)", "12em"),
        GridColumn("reach", "Reach /qtr", "6em"),
        GridColumn("impact", "Impact", "7em", _impacts),
        GridColumn("confidence", "Confidence", "6em"),
        GridColumn("effort", "Effort (p-m)", "6em"),
        GridColumn("ease", "Ease 1–10", "5em"),
        GridColumn("kind", "Kind", "9em", _enum(OPPORTUNITY_KINDS)),
        GridColumn("stage", "Stage", "9em", _stages_or_blank),
        GridColumn("owner", "Owner", "9em"),
        GridColumn("status", "Status", "8em", _enum(STATUSES)),
    )

    def _extra_checks(self, row: GridRow) -> list[str]:
        errors = super()._extra_checks(row)
        known = set(self.ws.pain_points["id"])
        refs, _ = check_cell("opportunities", "addresses", row.cells["addresses"].value)
        unknown = [r for r in str(refs or "").split(";") if r and r not in known]
        if unknown:
            errors.append(f"unknown pain point(s) {', '.join(unknown)} in addresses")
        return errors
