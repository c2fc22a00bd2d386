"""Shared pieces of the workshop editors: messages next to fields, cell checks, saving.

Every editor owns its folder path and a private copy of the workshop loaded from it; nothing
here touches module-level state. Edits are checked on the spot with the same rules as
``jt.validate`` and written with ``jt.save`` (atomic, under the folder lock, refusing to
overwrite a table somebody else changed meanwhile).

Stable hooks for browser tests and assistive technology: every editor carries the CSS classes
``jt-editor`` and ``jt-<its class name in kebab case>`` (``jt-pain-point-form``), its status line
``jt-status`` and its chart ``jt-chart``; a labelled field's row carries ``jt-field`` and
``jt-field-<name>``, and its label is a real ``<label>`` of the input (its accessible name).
"""

from __future__ import annotations

import html
import math
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import ipywidgets as w
import pandas as pd

from ..errors import ConflictError, Problem, ValidationError
from ..model.schema import TABLES
from ..model.tables import NUMERIC, PARSERS, column_series, format_float
from ..model.workshop import Workshop
from ..store.folder import load, save

ChartFn = Callable[[Workshop], Any]
Listener = Callable[[Workshop], None]

ERROR_COLOUR = "#B00020"
OK_COLOUR = "#15803D"
HINT_COLOUR = "#6B7280"


def message(text: str, level: str = "error") -> str:
    """HTML for a short message shown next to a field; ``text`` is escaped."""
    if not text:
        return ""
    colour, mark = {"error": (ERROR_COLOUR, "⚠ "), "ok": (OK_COLOUR, "✓ "),
                    "hint": (HINT_COLOUR, "")}.get(level, (HINT_COLOUR, ""))
    return f'<span style="color:{colour}">{mark}{html.escape(text)}</span>'


def check_cell(table: str, column: str, text: str) -> tuple[Any, str | None]:
    """Parse one typed-in cell with the folder's rules; returns (value, error message or None).

    >>> check_cell("steps", "emotion", "6")[1]
    "emotion must be an integer from 1 to 5, got '6'"
    """
    col = TABLES[table].by_name.get(column)
    text = "" if text is None else str(text)
    if col is None or col.kind == "text":
        if col is not None and col.required and not text.strip():
            return None, f"{column} is required but blank"
        return text, None
    if not text.strip():
        if col.required:
            return None, f"{column} is required but blank"
        return (None if col.kind in NUMERIC else ""), None
    return PARSERS[col.kind](text, col, False)


def cell_text(value: Any) -> str:
    """How a stored value is shown in a text field (as it would be written to the CSV)."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else format_float(value)
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return str(int(value))
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item"):  # numpy scalars
        return cell_text(value.item())
    return str(value)


def build_table(table: str, columns: list[str], records: list[dict[str, Any]]) -> pd.DataFrame:
    """A typed table from row dicts, with the dtypes ``jt.load`` gives (blank text is "")."""
    spec = TABLES[table]
    data: dict[str, pd.Series] = {}
    for name in columns:
        col = spec.by_name.get(name)
        numeric = col is not None and col.kind in NUMERIC
        values = []
        for rec in records:
            v = rec.get(name)
            missing = v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v))
            values.append(None if missing and numeric else ("" if missing else v))
        data[name] = column_series(values, col)
    return pd.DataFrame(data, columns=columns)


def field_row(label: str, widget: w.Widget, note: w.HTML, width: str = "11em",
              name: str | None = None) -> w.HBox:
    """A labelled field with its message to the right.

    The label is the widget's own ``description`` (a ``<label>`` for the input: its accessible
    name, what screen readers and ``get_by_label`` find), ``width`` wide, in bold; the input keeps
    its width. The row gets the classes ``jt-field`` and ``jt-field-<name>``, the message ``jt-note``.
    """
    widget.description = f"<b>{html.escape(label)}</b>"
    widget.description_allow_html = True
    widget.style.description_width = width
    widget.layout.width = f"calc({width} + {widget.layout.width or 'var(--jp-widgets-inline-width)'})"
    note.add_class("jt-note")
    row = w.HBox([widget, note], layout=w.Layout(align_items="center"))
    row.add_class("jt-field")
    if name:
        row.add_class(f"jt-field-{css_name(name)}")
    return row


def css_name(text: str) -> str:
    """``text`` as a CSS class fragment: ``PainPointForm`` → ``pain-point-form``, ``a_b`` → ``a-b``."""
    kebab = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", text).lower()
    return re.sub(r"[^a-z0-9-]+", "-", kebab).strip("-")


def problems_text(problems: list[Problem], limit: int = 6) -> str:
    shown = "; ".join(str(p) for p in problems[:limit])
    more = len(problems) - limit
    return shown + (f"; and {more} more" if more > 0 else "")


class ChartPanel(w.Output):
    """An output area that redraws ``chart(ws)`` each time the workshop is saved."""

    def __init__(self, chart: ChartFn, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.chart = chart
        self.draws = 0

    def refresh(self, ws: Workshop) -> None:
        """Draw the chart for ``ws`` in place of the previous one."""
        from ..views.tables import figure

        result = self.chart(ws)
        self.draws += 1
        # Set the output state directly rather than capturing with ``with self:``: it works
        # from any callback, in any kernel client, and leaves the outputs readable in tests.
        self.outputs = ()
        if hasattr(result, "savefig"):
            result = figure(result)
        if result is not None:
            self.append_display_data(result)


class Editor(w.VBox):
    """Base of the workshop editors: a folder, a private workshop copy, a status line.

    ``chart`` (a function of the workshop returning a matplotlib Figure or a table) is drawn
    under the editor and redrawn after every save; ``on_saved(fn)`` registers more listeners.
    """

    def __init__(self, folder: str | os.PathLike, chart: ChartFn | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("jt-editor")
        self.add_class(f"jt-{css_name(type(self).__name__)}")
        self.folder = Path(folder)
        self.status = w.HTML()
        self.status.add_class("jt-status")
        self.saves = 0
        self._listeners: list[Listener] = []
        self.chart = ChartPanel(chart) if chart is not None else None
        if self.chart is not None:
            self.chart.add_class("jt-chart")
        self.ws = load(self.folder)

    # -- wiring ----------------------------------------------------------------------------
    def on_saved(self, fn: Listener) -> None:
        """Call ``fn(workshop)`` after each successful save (e.g. to redraw a chart)."""
        self._listeners.append(fn)

    def _layout(self, *parts: w.Widget) -> None:
        extra = [self.chart] if self.chart is not None else []
        self.children = [*parts, self.status, *extra]
        if self.chart is not None and not self.chart.draws:
            self.chart.refresh(self.ws)  # first draw; later ones follow saves and reloads

    def reload(self) -> None:
        """Re-read the folder (after someone else saved) and rebuild the fields."""
        self.ws = load(self.folder)
        self._build()
        if self.chart is not None:
            self.chart.refresh(self.ws)

    def _build(self) -> None:  # pragma: no cover - every editor overrides it
        raise NotImplementedError

    # -- saving ----------------------------------------------------------------------------
    def _set_status(self, text: str, level: str = "error") -> None:
        self.status.value = message(text, level)

    def _commit(self, table: str | None, new: pd.DataFrame | None, done: str,
                meta: dict[str, Any] | None = None) -> bool:
        """Put ``new`` in place of ``table`` (and/or new metadata) and save; undo on failure."""
        old_table = self.ws.tables[table] if table else None
        old_meta = self.ws.meta
        if table is not None and new is not None:
            self.ws.tables[table] = new
        if meta is not None:
            self.ws.meta = meta
        try:
            save(self.ws)
        except ValidationError as exc:
            self._restore(table, old_table, old_meta)
            self._set_status("Not saved: " + problems_text(exc.problems))
            return False
        except ConflictError as exc:
            self._restore(table, old_table, old_meta)
            self._set_status(f"Not saved: {exc} Use reload() or re-run the cell.")
            return False
        self._saved(done)
        return True

    def _restore(self, table: str | None, frame: pd.DataFrame | None, meta: dict[str, Any]) -> None:
        if table is not None and frame is not None:
            self.ws.tables[table] = frame
        self.ws.meta = meta

    def _saved(self, done: str, reload: bool = False) -> None:
        if reload:
            self.ws = load(self.folder)
        self.saves += 1
        self._set_status(done, "ok")
        if self.chart is not None:
            self.chart.refresh(self.ws)
        for fn in self._listeners:
            fn(self.ws)


V = TypeVar("V")


def choices(pairs: list[tuple[str, V]], blank: str | None = None) -> list[tuple[str, V | str]]:
    """Dropdown options as (label, value); ``blank`` adds an empty choice first."""
    out: list[tuple[str, V | str]] = [(blank, "")] if blank is not None else []
    out.extend(pairs)
    return out

