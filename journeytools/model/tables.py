"""Turning raw CSV rows into typed DataFrames, with a problem for every bad cell."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from ..errors import Problem, quote
from ..vocab import SLUG
from .csvio import RawTable
from .schema import Column, Table

INT_DTYPE = "Int64"
FLOAT_DTYPE = "float64"

Parser = Callable[[str, Column, bool], tuple[Any, str | None]]


def _slug(raw: str) -> str:
    return raw.strip().lower()


def _number(raw: str, decimal_comma: bool) -> float | None:
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if decimal_comma and "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _range_error(value: float, col: Column) -> bool:
    if col.low is not None and (value <= col.low if col.low_open else value < col.low):
        return True
    return col.high is not None and value > col.high


INT64_MAX = 2**63 - 1
_WHOLE = re.compile(r"[+-]?[0-9]+")


def _p_int(raw: str, col: Column, decimal_comma: bool) -> tuple[Any, str | None]:
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if _WHOLE.fullmatch(text):
        try:
            value: float = int(text)  # exactly: a float would round beyond 2**53
        except ValueError:  # more digits than Python converts
            value = math.inf
    else:
        number = _number(raw, decimal_comma)
        if number is None or not number.is_integer():
            return None, f"{col.name} must be {col.expected or 'a whole number'}, got {quote(raw)}"
        value = number
    if abs(value) > INT64_MAX:  # the most an Int64 column holds
        low = int(col.low) if col.low is not None else -INT64_MAX
        high = int(col.high) if col.high is not None else INT64_MAX
        return None, f"{col.name} must be a whole number from {low} to {high}, got {quote(raw)}"
    if _range_error(value, col):
        return None, f"{col.name} must be {col.expected}, got {quote(raw)}"
    return int(value), None


def _p_float(raw: str, col: Column, decimal_comma: bool) -> tuple[Any, str | None]:
    value = _number(raw, decimal_comma)
    if value is None:
        return None, f"{col.name} must be {col.expected or 'a number'}, got {quote(raw)}"
    if col.choices and value not in col.choices:
        return None, f"{col.name} must be {col.expected}, got {quote(raw)}"
    if _range_error(value, col):
        return None, f"{col.name} must be {col.expected}, got {quote(raw)}"
    return value, None


def _p_percent(raw: str, col: Column, decimal_comma: bool) -> tuple[Any, str | None]:
    text = raw.strip()
    pct = text.endswith("%")
    value = _number(text.rstrip("%"), decimal_comma)
    if value is None:
        return None, f"{col.name} must be {col.expected}, got {quote(raw)}"
    if pct or value > 1:
        value /= 100
    if value < 0 or value > 1:
        return None, f"{col.name} must be {col.expected}; {quote(raw)} is above 100 %" if value > 1 \
            else f"{col.name} must be {col.expected}, got {quote(raw)}"
    return value, None


def _p_enum(raw: str, col: Column, decimal_comma: bool) -> tuple[Any, str | None]:
    value = raw.strip().lower()
    if value not in col.choices:
        return None, f"{col.name} must be one of {', '.join(col.choices)}, got {quote(raw)}"
    return value, None


def _p_date(raw: str, col: Column, decimal_comma: bool) -> tuple[Any, str | None]:
    try:
        dt.date.fromisoformat(raw.strip())
    except ValueError:
        return None, f"{col.name} must be an ISO date (YYYY-MM-DD), got {quote(raw)}"
    return raw, None


def _p_timestamp(raw: str, col: Column, decimal_comma: bool) -> tuple[Any, str | None]:
    try:
        dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        return None, (f"{col.name} must be an ISO timestamp (e.g. 2026-11-22T10:15:00), "
                      f"got {quote(raw)}")
    return raw, None


def _p_id(raw: str, col: Column, decimal_comma: bool) -> tuple[Any, str | None]:
    value = _slug(raw)
    if not SLUG.match(value):
        return None, (f"{col.name} {quote(raw)} is not a valid id; expected a slug of lower-case "
                      "letters, digits, '-' or '_' (e.g. 'cart-error')")
    return value, None


def _p_ref(raw: str, col: Column, decimal_comma: bool) -> tuple[Any, str | None]:
    return _slug(raw), None


def _p_refs(raw: str, col: Column, decimal_comma: bool) -> tuple[Any, str | None]:
    parts = [_slug(p) for p in re.split(r"[;,]", raw)]
    return ";".join(p for p in parts if p), None


PARSERS: dict[str, Parser] = {
    "int": _p_int, "float": _p_float, "percent": _p_percent, "enum": _p_enum, "date": _p_date,
    "timestamp": _p_timestamp, "id": _p_id, "ref": _p_ref, "refs": _p_refs,
}
NUMERIC = {"int": INT_DTYPE, "float": FLOAT_DTYPE, "percent": FLOAT_DTYPE}


def empty_frame(table: Table, extra: list[str] | None = None) -> pd.DataFrame:
    """A table with its required columns (plus ``extra``) and no rows."""
    names = table.required + [c for c in (extra or []) if c not in table.required]
    return pd.DataFrame({n: column_series([], table.by_name.get(n)) for n in names})


def column_series(values: list, col: Column | None) -> pd.Series:
    """A table column of ``values`` already typed for ``col`` (``None``: an extra, text column):
    ``Int64``/``float64`` for numbers (``None`` = blank), plain strings otherwise."""
    if col is not None and col.kind in NUMERIC:
        return pd.Series(values, dtype=NUMERIC[col.kind])
    # Plain Python strings (object dtype): loading, validating and scoring iterate over them,
    # which is several times faster than over Arrow-backed strings.
    return pd.Series(values, dtype=object)




def to_frame(raw: RawTable, table: Table) -> tuple[pd.DataFrame | None, list[Problem], list[int]]:
    """Typed DataFrame of a raw table, every problem, and each row's line number."""
    f = table.file
    problems: list[Problem] = []
    names: list[str] = []
    seen: set[str] = set()
    for cell in raw.header:
        key = cell.strip().lower() if cell.strip().lower() in table.by_name else cell
        if key in seen:
            problems.append(Problem(f, 1, key, quote(cell), f"column {quote(cell)} appears twice in the header"))
        seen.add(key)
        names.append(key)
    missing = [c for c in table.required if c not in seen]
    for name in missing:
        problems.append(Problem(f, 1, name, None,
                                f"missing required column {quote(name)}; the header has "
                                f"{', '.join(repr(n) for n in names) or 'no columns'}"))
    if table.one_of and not any(c in seen for c in table.one_of):
        problems.append(Problem(f, 1, "/".join(table.one_of), None,
                                f"expected a {' or '.join(repr(c) for c in table.one_of)} column"))
    if problems:
        return None, problems, raw.lines

    decimal_comma = raw.dialect.delimiter == ";"
    data: dict[str, pd.Series] = {}
    id_values: list[str] = []
    for j, name in enumerate(names):
        col = table.by_name.get(name)
        cells = [row[j] for row in raw.rows]
        if col is None or col.kind == "text":
            if col is not None and col.required:
                for cell, line in zip(cells, raw.lines):
                    if not cell or cell.isspace():
                        problems.append(Problem(f, line, name, "", f"{name} is required but blank"))
            data[name] = column_series(cells, col)
            continue
        parser = PARSERS[col.kind]
        blank: Any = None if col.kind in NUMERIC else ""
        memo: dict[str, tuple[Any, str | None]] = {}  # scores and references repeat a lot
        out: list[Any] = []
        for cell, line in zip(cells, raw.lines):
            got = memo.get(cell)
            if got is None:
                got = (blank, "") if not cell.strip() else parser(cell, col, decimal_comma)
                memo[cell] = got
            value, err = got
            if err is not None:
                if err == "":
                    if col.required:
                        problems.append(Problem(f, line, name, "", f"{name} is required but blank"))
                else:
                    problems.append(Problem(f, line, name, quote(cell), err))
                    value = blank if col.kind in NUMERIC else cell
            out.append(value)
        if name == table.id_column:
            id_values = out
        data[name] = column_series(out, col)
    frame = pd.DataFrame(data, columns=names) if names else pd.DataFrame()
    if table.id_column and id_values:
        first: dict[str, int] = {}
        for value, line in zip(id_values, raw.lines):
            if not value:
                continue
            seen_line = first.setdefault(value, line)
            if seen_line != line:
                problems.append(Problem(f, line, table.id_column, quote(value),
                                        f"duplicate id {quote(value)} (first on line {seen_line})"))
    return frame, problems, raw.lines


def format_float(value: float, decimal: str = ".") -> str:
    """A float as written to CSV: shortest exact text, no ``.0``; ``decimal`` is the mark."""
    text = repr(float(value))
    text = text[:-2] if text.endswith(".0") else text
    return text.replace(".", decimal) if decimal != "." else text


_COMMA_NUMBER = re.compile(r"[+-]?[0-9]*,[0-9]+(?:[eE][+-]?[0-9]+)?%?")
_POINT_NUMBER = re.compile(r"[+-]?[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?%?")


def decimal_mark(raw: RawTable, table: Table) -> str | None:
    """The decimal mark a CSV table's numbers are written with, judged by its float and
    percent cells: in a ``;`` file, ``","`` when its decimal numbers use a comma, ``"."``
    when they use a point, the one used more often when both are, and the dialect's (``None``
    unless set: unknown) when it has no decimal numbers to tell by. Any other file: ``"."``
    (a comma is its delimiter, never read as a decimal mark)."""
    if raw.dialect.delimiter != ";":
        return "."
    comma = point = 0
    for j, cell in enumerate(raw.header):
        key = cell.strip().lower()
        col = table.by_name.get(key)
        if col is None or col.kind not in ("float", "percent"):
            continue
        for text in {row[j] for row in raw.rows if j < len(row)}:
            text = text.strip().replace("\u00a0", "").replace(" ", "")
            if "," in text:
                comma += bool(_COMMA_NUMBER.fullmatch(text))
            elif "." in text:
                point += bool(_POINT_NUMBER.fullmatch(text))
    if comma or point:
        return "," if comma >= point else "."
    return raw.dialect.decimal


def to_rows(frame: pd.DataFrame, decimal: str = ".") -> tuple[list[str], list[list[str]]]:
    """Header and rows of strings for writing; blanks for missing values; floats with the
    decimal mark ``decimal``."""
    columns: list[list[str]] = []
    for name in frame.columns:
        s = frame[name]
        if pd.api.types.is_float_dtype(s.dtype):
            cells = ["" if pd.isna(v) else format_float(v, decimal) for v in s.tolist()]
        elif pd.api.types.is_integer_dtype(s.dtype):
            cells = ["" if pd.isna(v) else str(int(v)) for v in s.tolist()]
        else:
            cells = ["" if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA
                     else str(v) for v in s.tolist()]
        columns.append(cells)
    rows = [list(r) for r in zip(*columns)] if columns else []
    return [str(c) for c in frame.columns], rows
