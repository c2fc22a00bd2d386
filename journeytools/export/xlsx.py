"""Excel workbooks: ``export --to xlsx`` and ``import FILE.xlsx DIR`` (SPEC §4).

The workbook has a *Workshop* sheet (``workshop.yml`` fields and the stages), one sheet per
table with the CSV column names as headers (in file order, extra columns included), a
read-only *Scores* sheet and a hidden ``_journeytools`` sheet that remembers the original
``workshop.yml`` text and how each CSV file was written, so that an untouched round trip gives
back the same files and an edited one changes only what was edited.

Text cells that a spreadsheet could run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) get a leading ``'`` (OWASP CSV/formula injection); so does text that
really starts with ``'``, and import removes exactly one, so every text comes back as typed.
Characters XML cannot hold are written the way Excel writes them (``_x000B_``), and a literal
``_x0041_`` typed in a cell as ``_x005F_x0041_``; import decodes these escapes exactly once,
reading the workbook's shared strings as written (openpyxl's own reader would already strip
``x005F_``, so ``_x0041_`` saved by Excel or LibreOffice would come back as ``A``). YAML in
cells is read as ``workshop.yml`` is (:func:`journeytools.model.meta.parse_yaml`: no
anchors, bounded nesting).

Import feeds the rows of every sheet to the folder's own parser
(:func:`journeytools.store.folder.parse_tables`: same typing, checks and cross-checks) and
reports problems by sheet and cell::

    Pain points!E7: severity must be an integer from 1 to 5, got 'high'

>>> import journeytools as jt
>>> from journeytools.export.xlsx import export_xlsx, import_xlsx
>>> export_xlsx(jt.load("workshops/luggage-store"), "luggage.xlsx")       # doctest: +SKIP
>>> import_xlsx("luggage.xlsx", "luggage-store-edited")                   # doctest: +SKIP
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml

from ..errors import Problem, UsageError, ValidationError, quote
from ..fsutil import write_atomic
from ..model import csvio
from ..model.meta import load_meta, safe_yaml
from ..model.schema import (
    FORMULA_START,
    IMPACT_VALUES,
    OPPORTUNITY_KINDS,
    SOURCES,
    STATUSES,
    TABLE_NAMES,
    TABLES,
    TOUCHPOINT_KINDS,
    WORKSHOP_FILE,
    Table,
)
from ..model.tables import format_float
from ..model.workshop import Baseline, Workshop, frames_equal
from ..store.folder import parse_tables, save, validate

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl.worksheet.worksheet import Worksheet

FORMAT = "journeytools-xlsx/1"
WORKSHOP_SHEET = "Workshop"
SCORES_SHEET = "Scores"
INFO_SHEET = "_journeytools"
SHEETS: dict[str, str] = {
    "personas": "Personas", "touchpoints": "Touchpoints", "steps": "Steps",
    "pain_points": "Pain points", "opportunities": "Opportunities", "votes": "Votes",
    "kpis": "KPIs", "blueprint": "Blueprint",
}
STAGES_HEADER = ("stage id", "name", "goal", "more (YAML)")
MAX_CELL = 32767  # characters an Excel cell holds
EXCEL_DIGITS = 15  # significant digits Excel keeps; numbers needing more are written as text
VALIDATION_ROWS = 1000  # drop-downs cover at least this many rows

_SCORE = tuple(range(1, 6))
DROPDOWNS: dict[tuple[str, str], tuple[Any, ...]] = {
    ("steps", "emotion"): _SCORE,
    ("pain_points", "severity"): _SCORE,
    ("pain_points", "frequency"): _SCORE,
    ("pain_points", "source"): SOURCES,
    ("opportunities", "impact"): IMPACT_VALUES,
    ("opportunities", "status"): STATUSES,
    ("opportunities", "kind"): OPPORTUNITY_KINDS,
    ("touchpoints", "kind"): TOUCHPOINT_KINDS,
}
PERCENT_COLUMNS = {("opportunities", "confidence")}

# --- cell text: formula injection and XML-illegal characters -----------------------------

_XML_ESCAPE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_XML_UNESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def neutralise(text: str) -> str:
    """Text as written to a cell: a leading ``'`` when it could run as a formula or already
    starts with ``'``; XML-illegal characters as ``_xHHHH_`` (as Excel writes them).

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("'quoted'"), neutralise("plain")
    ('\\'=HYPERLINK("http://x")', "''quoted'", 'plain')
    """
    if text[:1] in FORMULA_START or text.startswith("'"):
        text = "'" + text
    return _XML_ESCAPE.sub(lambda m: "_x005F_" if m.group() == "_" else f"_x{ord(m.group()):04X}_",
                           text)


def restore(text: str) -> str:
    """The text :func:`neutralise` was given (Excel's own ``_xHHHH_`` escapes decoded too)."""
    text = _XML_UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text[1:] if text.startswith("'") else text


def cell_text(value: Any) -> str:
    """What a cell holds, as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None and value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        return restore(value)
    return str(value)


def _text_value(text: str, where: str) -> str | None:
    if text == "":
        return None
    if len(text) > MAX_CELL:
        raise UsageError(f"{where}: {len(text)} characters is more than an Excel cell holds "
                         f"({MAX_CELL}); shorten it before exporting to xlsx")
    return neutralise(text)


def _number_value(value: Any) -> Any:
    """A number cell, or text when Excel would round it (more than 15 significant digits)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        n = int(value)
        return n if abs(n) < 10 ** EXCEL_DIGITS else str(n)
    f = float(value)
    return f if float(f"{f:.{EXCEL_DIGITS}g}") == f else format_float(f)


def _as_text(value: Any) -> str:
    """The text of a value about to be written (strings as they are)."""
    return value if isinstance(value, str) else cell_text(value)


# --- export ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    header_font: Any
    header_fill: Any
    title_font: Any
    wrap: Any
    top: Any


def _style(ws: Workshop) -> _Style:
    from openpyxl.styles import Alignment, Font, PatternFill

    colour = str(ws.branding["primary_color"]).lstrip("#").upper()
    if not re.fullmatch(r"[0-9A-F]{6}", colour):
        colour = "1F5AA6"
    return _Style(
        header_font=Font(bold=True, color="FFFFFF"),
        header_fill=PatternFill("solid", fgColor=colour),
        title_font=Font(bold=True, size=13, color=colour),
        wrap=Alignment(wrap_text=True, vertical="top"),
        top=Alignment(vertical="top"),
    )


def _header_row(sheet: Worksheet, row: int, names: Iterable[str], style: _Style) -> None:
    for j, name in enumerate(names, 1):
        c = sheet.cell(row, j, _text_value(str(name), f"{sheet.title}!header"))
        c.font, c.fill = style.header_font, style.header_fill


def _widths(sheet: Worksheet, columns: list[list[str]], style: _Style, first_row: int = 2,
            cap: int = 60) -> None:
    from openpyxl.utils import get_column_letter

    for j, texts in enumerate(columns, 1):
        longest = max((max((len(line) for line in t.split("\n")), default=0) for t in texts),
                      default=0)
        width = min(max(longest + 2, 8), cap)
        sheet.column_dimensions[get_column_letter(j)].width = width
        if longest > cap:
            for i in range(first_row, first_row + len(texts) - 1):
                sheet.cell(i, j).alignment = style.wrap


def _meta_rows(meta: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(key, kind, value) of every field shown on the Workshop sheet; value may be MISSING."""
    rows = [(key, kind, _lookup(meta, key)) for key, kind, _ in FIELDS]
    known = {k for k, _, _ in FIELDS}
    for key, value in meta.items():
        if key == "branding" and isinstance(value, dict):
            rows += [(f"branding.{k}", "yaml", v) for k, v in value.items()
                     if f"branding.{k}" not in known]
        elif key not in known and key not in ("stages", "branding"):
            rows.append((key, "yaml", value))
    return rows


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()

FIELDS: tuple[tuple[str, str, str], ...] = (
    ("title", "str", "What the map is about (required)"),
    ("organisation", "str", "Client or company"),
    ("date", "date", "Date of the workshop, YYYY-MM-DD"),
    ("reviewed", "date", "Last review, YYYY-MM-DD"),
    ("review_every_months", "int", "A map older than this is stale (default 6)"),
    ("state", "str", "current or future"),
    ("facilitators", "list", "Names separated by ;"),
    ("scope", "str", "Where the journey starts and ends"),
    ("branding.company", "str", "Company name on reports and slides"),
    ("branding.primary_color", "str", "CSS hex colour, e.g. #C2185B"),
    ("branding.logo", "str", "Logo file inside the workshop folder"),
    ("dots_per_voter", "int", "Dot-voting budget per participant (default 5)"),
)
_KINDS = {k: kind for k, kind, _ in FIELDS}
_ABOUT = {k: about for k, _, about in FIELDS}


def _lookup(meta: dict[str, Any], key: str) -> Any:
    node: Any = meta
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return MISSING
        node = node[part]
    return node


class _NoAliases(yaml.SafeDumper):
    """Dumps a value used twice in full: YAML cells are read back without aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _yaml_text(value: Any) -> str:
    return yaml.dump(value, Dumper=_NoAliases, default_flow_style=True, allow_unicode=True,
                     width=10 ** 6, sort_keys=False).strip().removesuffix("...").strip()


def _show(kind: str, value: Any) -> Any:
    """The cell value of a metadata field."""
    if value is MISSING or value is None:
        return None
    if kind == "yaml":
        return _yaml_text(value)
    if kind == "list" and isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if kind in ("str", "date", "list", "int") and not isinstance(value, str):
        return _yaml_text(value)
    return str(value)


def _stage_cells(stage: dict[str, Any]) -> tuple[Any, Any, Any, Any]:
    extra = {k: v for k, v in stage.items() if k not in ("id", "name", "goal")}

    def text(v: Any) -> Any:
        return None if v is None else (v if isinstance(v, str) else _yaml_text(v))

    return (text(stage.get("id")), text(stage.get("name")), text(stage.get("goal")),
            _yaml_text(extra) if extra else None)


def _write_meta(sheet: Worksheet, ws: Workshop, style: _Style) -> None:
    _header_row(sheet, 1, ("key", "value", "about"), style)
    texts: list[list[str]] = [["key"], ["value"], ["about"]]
    row = 2
    for key, kind, value in _meta_rows(ws.meta):
        shown = _show(kind, value)
        about = _ABOUT.get(key, "Other workshop.yml setting, as YAML")
        sheet.cell(row, 1, _text_value(key, "Workshop key"))
        sheet.cell(row, 2, shown if isinstance(shown, int) else _text_value(shown or "", key))
        sheet.cell(row, 3, about).font = _italic()
        for col, t in zip(texts, (key, _as_text(shown), about)):
            col.append(t)
        row += 1
    row += 1
    _header_row(sheet, row, STAGES_HEADER, style)
    for stage in ws.meta.get("stages") or []:
        row += 1
        for j, value in enumerate(_stage_cells(stage), 1):
            sheet.cell(row, j, _text_value(value or "", "stage"))
            if j <= 3:
                texts[j - 1].append(value or "")
    _widths(sheet, texts, style)
    sheet.column_dimensions["D"].width = 24
    sheet.freeze_panes = "A2"


def _italic() -> Any:
    from openpyxl.styles import Font

    return Font(italic=True, color="666666")


def _write_table(sheet: Worksheet, frame: pd.DataFrame, table: Table, style: _Style) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    names = [str(c) for c in frame.columns]
    _header_row(sheet, 1, names, style)
    texts: list[list[str]] = []
    for j, name in enumerate(names, 1):
        col = table.by_name.get(name)
        numeric = col is not None and col.kind in ("int", "float", "percent")
        percent = (table.name, name) in PERCENT_COLUMNS
        shown = [name]
        for i, value in enumerate(frame[name].tolist(), 2):
            if numeric:
                v = _number_value(value)
                c = sheet.cell(i, j, v)
                if percent and isinstance(v, float | int):
                    c.number_format = "0%" if float(v * 100).is_integer() else "0.0#%"
                shown.append(_as_text(v))
            else:
                text = "" if value is None or (isinstance(value, float) and pd.isna(value)) \
                    or value is pd.NA else str(value)
                sheet.cell(i, j, _text_value(text, f"{sheet.title}!{get_column_letter(j)}{i}"))
                shown.append(text)
        texts.append(shown)
        choices = DROPDOWNS.get((table.name, name))
        if choices:
            letter = get_column_letter(j)
            listed = ",".join(format_float(c) if isinstance(c, float) else str(c) for c in choices)
            dv = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True,
                                showErrorMessage=True, errorTitle=f"{name}",
                                error=f"{name} must be one of {listed.replace(',', ', ')}")
            dv.add(f"{letter}2:{letter}{max(VALIDATION_ROWS, len(frame) + 200)}")
            sheet.add_data_validation(dv)
    _widths(sheet, texts, style)
    sheet.freeze_panes = "A2"
    if names:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(names))}{len(frame) + 1}"


def _write_scores(sheet: Worksheet, ws: Workshop, style: _Style) -> None:
    from ..scoring import score

    s = score(ws)
    row = 1
    sheet.cell(row, 1, "Scores computed at export (read-only): edit the other sheets and import "
                       "the workbook to recompute.").font = _italic()
    texts: dict[int, list[str]] = {}

    def block(title: str, header: list[str], rows: Iterable[list[Any]]) -> None:
        nonlocal row
        row += 2
        sheet.cell(row, 1, title).font = style.title_font
        row += 1
        _header_row(sheet, row, header, style)
        for values in rows:
            row += 1
            for j, v in enumerate(values, 1):
                if isinstance(v, str):
                    sheet.cell(row, j, _text_value(v, "Scores"))
                else:
                    sheet.cell(row, j, _number_value(v))
                texts.setdefault(j, []).append(_as_text(v))

    block("Pain points, ranked", ["rank", "id", "persona", "touchpoint", "stage", "pain_score",
                                  "weighted_pain", "votes", "description"],
          ([int(r.rank), r.id, r.persona, r.touchpoint, r.stage, int(r.pain_score),
            float(r.weighted_pain), int(r.votes), r.description]
           for r in s.pain_points.itertuples()))
    block("Stage pain, in journey order", ["stage", "name", "pain"],
          ([r.id, r.name, float(r.pain)] for r in s.stages.itertuples()))
    opps = s.opportunities
    block("Opportunities, ranked", ["rank", "id", "title", "rice", "ice", "pain_relieved", "votes",
                                    "quadrant", "missing"],
          ([None if pd.isna(r.rank) else int(r.rank), r.id, r.title,
            None if pd.isna(r.rice) else round(float(r.rice), 6),
            None if pd.isna(r.ice) else round(float(r.ice), 6), float(r.pain_relieved),
            int(r.votes), r.quadrant, ", ".join(r.missing)] for r in opps.itertuples()))
    block("Gaps", ["kind", "id", "message"], ([g.kind, g.id, g.message] for g in s.gaps))
    from openpyxl.utils import get_column_letter

    for j, t in texts.items():
        longest = max((len(x) for x in t), default=0)
        sheet.column_dimensions[get_column_letter(j)].width = min(max(longest + 2, 10), 60)
    sheet.protection.sheet = True  # read-only; no password: Review → Unprotect Sheet lifts it


def _write_info(sheet: Worksheet, ws: Workshop) -> None:
    text = ws.meta_text()
    sheet.append(["format", FORMAT])
    chunks = [text[i:i + 30000] for i in range(0, len(text), 30000)] or [""]
    sheet.append([WORKSHOP_FILE] + [neutralise(c) for c in chunks])
    for name in TABLE_NAMES:
        base = ws.baseline(name)
        dialect = base.dialect
        sheet.append(["table", name, int(base.existed), neutralise(dialect.delimiter),
                      int(dialect.bom), "CRLF" if dialect.newline == "\r\n" else "LF"])
        sheet.append(["header", name] + [neutralise(str(c)) for c in ws.tables[name].columns])
    sheet.sheet_state = "hidden"


def export_xlsx(ws: Workshop, path: str | os.PathLike, persona: str | None = None) -> Path:
    """Write the whole workshop as an Excel workbook; returns the path written.

    ``persona`` is refused: the workbook always holds the whole map so it can be imported back.
    """
    if persona is not None:
        raise UsageError("--persona does not apply to xlsx: the workbook holds the whole workshop "
                         "so that it can be imported back")
    from openpyxl import Workbook

    target = Path(path)
    style = _style(ws)
    wb = Workbook()
    sheet = wb.active
    sheet.title = WORKSHOP_SHEET
    _write_meta(sheet, ws, style)
    for name in TABLE_NAMES:
        _write_table(wb.create_sheet(SHEETS[name]), ws.tables[name], TABLES[name], style)
    _write_scores(wb.create_sheet(SCORES_SHEET), ws, style)
    _write_info(wb.create_sheet(INFO_SHEET), ws)
    buf = io.BytesIO()
    wb.save(buf)
    write_atomic({target: buf.getvalue()})  # permissions as for every other export
    return target


# --- import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellProblem(Problem):
    """A problem in a workbook cell; prints as ``Sheet!E7: message``."""

    cell: str = ""

    def __str__(self) -> str:
        where = f"{self.file}!{self.cell}" if self.cell else self.file
        return f"{where}: {self.message}"


def _raw_strings(xml_source: Any) -> list[str]:
    """The shared strings of a workbook as written, ``_xHHHH_`` escapes left for
    :func:`restore` to decode once. (openpyxl's reader deletes every ``x005F_``, turning the
    escaped ``_x005F_x0041_`` into ``_x0041_``, which :func:`restore` would decode again.)"""
    from openpyxl.cell.text import Text
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    tag = f"{{{SHEET_MAIN_NS}}}si"
    strings = []
    for _, node in iterparse(xml_source):
        if node.tag == tag:
            strings.append(Text.from_tree(node).content)
            node.clear()
    return strings


def _load_workbook(path: Path, data_only: bool) -> Any:
    """``openpyxl.load_workbook`` reading shared strings with :func:`_raw_strings`."""
    from openpyxl.reader.excel import ExcelReader

    class Reader(ExcelReader):
        def read_strings(self) -> None:
            from openpyxl.xml.constants import SHARED_STRINGS

            part = self.package.find(SHARED_STRINGS)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as src:
                    self.shared_strings = _raw_strings(src)

    reader = Reader(path, read_only=False, data_only=data_only)
    reader.read()
    return reader.wb


class _Reader:
    """Cell values of a workbook, with formulas replaced by the values Excel computed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.wb = _load_workbook(path, data_only=False)
        except Exception as exc:  # zipfile.BadZipFile, InvalidFileException, KeyError …
            raise UsageError(f"{path}: cannot read it as an Excel workbook (.xlsx): {exc}") from exc
        self._values: Any = None
        self.problems: list[Problem] = []

    def sheet(self, title: str) -> Worksheet | None:
        for name in self.wb.sheetnames:
            if name.strip().lower() == title.lower():
                return self.wb[name]
        return None

    def text(self, sheet: Worksheet, row: int, col: int) -> str:
        c = sheet.cell(row, col)
        value = c.value
        if c.data_type == "f" or not isinstance(value, (str, int, float, bool, dt.date, dt.time,
                                                        dt.timedelta, type(None))):
            if self._values is None:
                self._values = _load_workbook(self.path, data_only=True)
            value = self._values[sheet.title].cell(row, col).value
            if value is None:
                self.problems.append(CellProblem(
                    sheet.title, row, None, None,
                    "a formula without a computed value; type the value, or open and save the "
                    "workbook in Excel so the result is stored", cell=c.coordinate))
                return ""
            return cell_text(value)
        return cell_text(value)


def _header_cell(header: list[str], table: Table, column: str | None) -> int | None:
    """1-based index of ``column`` in the header as to_frame reads it."""
    for j, cell in enumerate(header, 1):
        key = cell.strip().lower() if cell.strip().lower() in table.by_name else cell
        if key == column:
            return j
    return None


def _read_table(book: _Reader, table: Table) -> tuple[csvio.RawTable | None, list[Problem]]:
    title = SHEETS[table.name]
    sheet = book.sheet(title) or book.sheet(table.name)
    if sheet is None:
        return None, [CellProblem(title, None, None, None,
                                  f"sheet {quote(title)} is missing; the workbook needs one sheet "
                                  f"per table (to empty a table, delete its rows, not the sheet)",
                                  cell="")]
    problems: list[Problem] = []
    width = 0
    header: list[str] = []
    for j in range(1, sheet.max_column + 1):
        header.append(book.text(sheet, 1, j))
        if header[-1].strip():
            width = j
    header = header[:width]
    rows: list[list[str]] = []
    lines: list[int] = []
    from openpyxl.utils import get_column_letter

    for i in range(2, sheet.max_row + 1):
        cells = [book.text(sheet, i, j) for j in range(1, width + 1)]
        for j in range(width + 1, sheet.max_column + 1):
            stray = book.text(sheet, i, j)
            if stray.strip():
                problems.append(CellProblem(sheet.title, i, None, quote(stray),
                                            f"a value in a column without a header; give column "
                                            f"{get_column_letter(j)} a header in row 1 or clear it",
                                            cell=f"{get_column_letter(j)}{i}"))
                break
        if any(c != "" for c in cells):
            rows.append(cells)
            lines.append(i)
    if not header:
        problems.append(CellProblem(sheet.title, 1, None, None,
                                    f"row 1 must hold the column names (e.g. "
                                    f"{', '.join(table.required)})", cell="A1"))
        return None, problems
    return csvio.RawTable(header, rows, lines, csvio.DEFAULT_DIALECT), problems


def _locate(problem: Problem, table: Table, sheet: str, header: list[str]) -> CellProblem:
    """The sheet-and-cell form of a problem found by to_frame or cross_check."""
    from openpyxl.utils import get_column_letter

    j = _header_cell(header, table, problem.column)
    message = problem.message
    if j is None and problem.line == 1 and problem.column in table.by_name:
        # a required column is missing: point at a header cell nobody recognises, if any
        unknown = [k for k, h in enumerate(header, 1)
                   if h.strip().lower() not in table.by_name]
        if len(unknown) == 1:
            j = unknown[0]
            message += f" (was it renamed to {quote(header[j - 1])}?)"
    if j is None:
        cell = f"A{problem.line or 1}:{get_column_letter(max(len(header), 1))}{problem.line or 1}"
    else:
        cell = f"{get_column_letter(j)}{problem.line or 1}"
    return CellProblem(sheet, problem.line, problem.column, problem.value, message, problem.level,
                       cell=cell)


@dataclass
class _Info:
    """What the hidden sheet remembers of the exported workshop."""

    yml: str | None = None
    tables: dict[str, tuple[bool, csvio.Dialect]] = field(default_factory=dict)
    headers: dict[str, list[str]] = field(default_factory=dict)


def _read_info(book: _Reader) -> _Info:
    sheet = book.sheet(INFO_SHEET)
    info = _Info()
    if sheet is None:
        return info
    for row in sheet.iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        if row[0] == WORKSHOP_FILE:
            info.yml = "".join(restore(str(v)) for v in row[1:] if v is not None)
        elif row[0] == "table" and len(row) >= 6 and row[1] in TABLES:
            delimiter = restore(str(row[3] or ","))
            info.tables[str(row[1])] = (bool(row[2]), csvio.Dialect(
                delimiter if delimiter in (",", ";", "\t") else ",", bool(row[4]),
                "\r\n" if row[5] == "CRLF" else "\n"))
        elif row[0] == "header" and len(row) >= 2 and row[1] in TABLES:
            info.headers[str(row[1])] = [restore(str(v)) for v in row[2:] if v is not None]
    return info


def _renamed(raw: csvio.RawTable, table: Table, before: list[str] | None) -> list[Problem]:
    """Known columns whose header was renamed to something unknown (their data would become
    an extra column and the column itself would silently go blank)."""
    from openpyxl.utils import get_column_letter

    if not before:
        return []
    now = [h.strip().lower() if h.strip().lower() in table.by_name else h for h in raw.header]
    out: list[Problem] = []
    for j, (old, new) in enumerate(zip(before, now), 1):
        if old in table.by_name and old not in now and new not in table.by_name \
                and not table.by_name[old].required:
            out.append(CellProblem(SHEETS[table.name], 1, old, quote(raw.header[j - 1]),
                                   f"column {quote(old)} was renamed to {quote(raw.header[j - 1])}; "
                                   f"name it {quote(old)} again (new columns are welcome, "
                                   "renamed ones would lose their meaning)",
                                   cell=f"{get_column_letter(j)}1"))
    return out


def _parse_field(kind: str, text: str) -> Any:
    if not text.strip():
        return MISSING
    if kind == "int":
        try:
            return int(text.strip())
        except ValueError:
            return text
    if kind == "date":
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            return text
    if kind == "list":
        return [p.strip() for p in text.split(";") if p.strip()]
    if kind == "yaml":
        return _cell_yaml(text)
    return text


class _BadYaml(ValueError):
    """A cell's YAML that cannot be read; the message says why."""


def _cell_yaml(text: str) -> Any:
    data, problems = safe_yaml(text, "cell")
    if problems:
        raise _BadYaml(problems[0].message)
    return data


def _set(meta: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    node = meta
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    if value is MISSING:
        node.pop(parts[-1], None)
        if len(parts) > 1 and not node:
            meta.pop(parts[0], None)
    else:
        node[parts[-1]] = value


def _read_meta(book: _Reader, base: dict[str, Any]
               ) -> tuple[dict[str, Any] | None, dict[str, str], list[Problem]]:
    """Metadata from the Workshop sheet: cells equal to the original keep the original value."""
    sheet = book.sheet(WORKSHOP_SHEET)
    if sheet is None:
        return None, {}, [CellProblem(WORKSHOP_SHEET, None, None, None,
                                      f"sheet {quote(WORKSHOP_SHEET)} is missing; it holds the "
                                      "title and the stages", cell="")]
    meta = copy.deepcopy(base)
    cells: dict[str, str] = {}
    problems: list[Problem] = []
    shown = {key: (kind, value) for key, kind, value in _meta_rows(base)}
    stage_rows: list[tuple[int, tuple[str, str, str, str]]] = []
    in_stages = False
    for i in range(2, sheet.max_row + 1):
        a = book.text(sheet, i, 1).strip()
        if not in_stages and a.lower() == STAGES_HEADER[0]:
            in_stages = True
            cells["stages"] = f"A{i}"
            continue
        if in_stages:
            row = tuple(book.text(sheet, i, j) for j in range(1, 5))
            if any(v.strip() for v in row):
                stage_rows.append((i, row))  # type: ignore[arg-type]
            continue
        if not a:
            continue
        value = book.text(sheet, i, 2)
        cells[a] = f"B{i}"
        kind, old = shown.get(a, (_KINDS.get(a, "yaml"), MISSING))
        if value == _as_text(_show(kind, old)):
            continue
        try:
            new = _parse_field(kind, value)
        except _BadYaml as exc:
            problems.append(CellProblem(sheet.title, i, a, quote(value),
                                        f"{a} must be a YAML value: {exc}", cell=f"B{i}"))
            continue
        _set(meta, a, new)
    if "stages" not in cells:
        problems.append(CellProblem(sheet.title, None, "stages", None,
                                    f"no stages: add a row {quote(STAGES_HEADER[0])} | name | goal "
                                    "below the fields and one row per stage under it", cell="A1"))
    else:
        old_stages = base.get("stages") or []
        old_rows = [tuple(_as_text(v) for v in _stage_cells(s)) for s in old_stages]
        new_rows = [r for _, r in stage_rows]
        if new_rows != old_rows:
            by_row = {r: s for r, s in zip(old_rows, old_stages)}
            stages: list[Any] = []
            for k, (i, row) in enumerate(stage_rows):
                cells[f"stages.{k}"] = f"A{i}"
                cells[f"stages.{k}.id"] = f"A{i}"
                cells[f"stages.{k}.name"] = f"B{i}"
                cells[f"stages.{k}.goal"] = f"C{i}"
                if row in by_row:
                    stages.append(copy.deepcopy(by_row[row]))
                    continue
                item: dict[str, Any] = {"id": row[0].strip()}
                if row[1].strip():
                    item["name"] = row[1]
                if row[2].strip():
                    item["goal"] = row[2]
                if row[3].strip():
                    try:
                        more = _cell_yaml(row[3])
                    except _BadYaml as exc:
                        more = None
                        problems.append(CellProblem(sheet.title, i, "stages", quote(row[3]),
                                                    f"more must be YAML like {{key: value}}: {exc}",
                                                    cell=f"D{i}"))
                    if isinstance(more, dict):
                        item.update({k: v for k, v in more.items() if k not in item})
                stages.append(item)
            meta["stages"] = stages
        else:
            for k, (i, _row) in enumerate(stage_rows):
                cells[f"stages.{k}"] = cells[f"stages.{k}.id"] = f"A{i}"
    return meta, cells, problems


def _meta_cell(problem: Problem, cells: dict[str, str]) -> CellProblem:
    """The Workshop-sheet cell of a ``workshop.yml`` problem (by its key path)."""
    path = problem.column or ""
    cell = cells.get(path) or cells.get(".".join(path.split(".")[:2])) \
        or cells.get(path.split(".")[0]) or "A1"
    row = re.search(r"\d+", cell)
    return CellProblem(WORKSHOP_SHEET, int(row.group()) if row else None, path, problem.value,
                       problem.message, problem.level, cell=cell)


def _in_workbook(problem: Problem, raws: dict[str, csvio.RawTable],
                 cells: dict[str, str]) -> CellProblem:
    """Where a problem the folder's parser found is in the workbook: sheet and cell."""
    name = problem.file.removesuffix(".csv")
    if name in raws:
        return _locate(problem, TABLES[name], SHEETS[name], raws[name].header)
    return _meta_cell(problem, cells)


def read_workbook(path: str | os.PathLike) -> Workshop:
    """The workshop in a workbook written by :func:`export_xlsx` (and maybe edited).

    Raises ``ValidationError`` whose problems name sheet and cell (``Pain points!E7: …``).
    """
    book = _Reader(Path(path))
    info = _read_info(book)
    yml = info.yml
    base: dict[str, Any] = {}
    if yml is not None:
        parsed, bad = load_meta(yml)
        base = parsed if parsed is not None and not bad else {}
    problems: list[Problem] = []
    meta, cells, probs = _read_meta(book, base)
    problems += probs
    unreadable: set[str] = set() if meta is not None and not probs else {"workshop"}
    raws: dict[str, csvio.RawTable] = {}
    for name in TABLE_NAMES:
        table = TABLES[name]
        raw, probs = _read_table(book, table)
        problems += probs
        if raw is None:
            unreadable.add(name)
            continue
        if not raw.rows and [h.strip().lower() for h in raw.header] == table.required:
            if not table.must_exist:
                continue  # what an absent optional table exports as: still absent
        else:
            problems += _renamed(raw, table, info.headers.get(name))
        raws[name] = raw
    problems += book.problems
    report = parse_tables(raws, None if "workshop" in unreadable else meta, unreadable=unreadable)
    problems += [_in_workbook(p, raws, cells) for p in report.errors]
    if problems:
        raise ValidationError(problems)
    ws = report.workshop
    assert ws is not None
    ws.warnings = [_in_workbook(p, raws, cells) for p in ws.warnings]
    if yml is not None and ws.meta == base:
        ws.mark_saved({WORKSHOP_FILE: yml.encode("utf-8")})  # written back byte for byte
    for name in TABLE_NAMES:
        existed, dialect = info.tables.get(name, (False, csvio.DEFAULT_DIALECT))
        frame = ws.tables[name]
        plain = list(frame.columns) == TABLES[name].required
        # the workbook knows which files existed and how they were written, not their bytes
        present = existed or len(frame) or not plain
        ws.set_baseline(name, Baseline(None, "(from workbook)" if present else None, dialect))
    return ws


def import_xlsx(file: str | os.PathLike, folder: str | os.PathLike, force: bool = False) -> Path:
    """Read a workbook written by ``export --to xlsx`` (edited or not) into a workshop folder.

    Refuses a folder that exists and is not empty unless ``force`` (then the workshop files
    in it are replaced; anything else, such as ``evidence/``, is left alone). Everything is
    checked before anything is written. Returns the folder.
    """
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} is a file; expected a folder to import into")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise FileExistsError(f"{target} is not empty; choose a new folder or pass --force to "
                              "replace the workshop files in it")
    ws = read_workbook(file)
    if target.is_dir() and (target / WORKSHOP_FILE).is_file():
        existing = validate(target).workshop
        if existing is not None:  # a valid workshop: write only what the workbook changed
            for name in TABLE_NAMES:
                if not frames_equal(existing.tables[name], ws.tables[name]):
                    existing.tables[name] = ws.tables[name]
            if existing.meta != ws.meta:
                existing.meta = ws.meta
            return save(existing)
    for name in TABLE_NAMES:  # with --force, a table emptied in the workbook is emptied on disk
        base = ws.baseline(name)
        if not base.existed and (target / TABLES[name].file).exists():
            ws.set_baseline(name, Baseline(None, "(replaced)", base.dialect))
    return save(ws, target)



def write(ws: Workshop, path: Path, persona: str | None = None) -> Path:
    """The registry's entry point (see :func:`export_xlsx`)."""
    return export_xlsx(ws, path, persona)
