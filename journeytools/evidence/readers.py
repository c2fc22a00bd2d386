"""Event-log readers: a small registry of formats, each turning a file into DuckDB SQL.

A reader knows how to recognise its format (magic bytes, then the file name) and returns the
``FROM`` clause DuckDB scans. :func:`open_events` then checks the mapped columns exist and
builds one normalised view ``events(usr, event, seg, ts, ts_raw)`` the metrics read.
"""

from __future__ import annotations

import difflib
import gzip
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError, quote
from .mapping import URI, Mapping

NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
           "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "DECIMAL", "INT", "REAL")
NUMERIC_TYPE = re.compile(r"^(" + "|".join(NUMERIC) + r")\b")  # DuckDB and Spark type names
TO_MICROS = {"s": 1_000_000, "ms": 1_000, "us": 1, "ns": 0.001}
MAX_US = 253402300799000000  # 9999-12-31


@dataclass(frozen=True)
class Reader:
    """One event-log format."""

    name: str
    sniff: Callable[[bytes, str], bool]   # (first bytes, lower-case file name) -> is mine
    source: Callable[[Path], str]          # DuckDB FROM clause
    materialize: bool = False              # parse once into a temp table (text formats)


def _lit(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _is_gzip(head: bytes, name: str) -> bool:
    return head[:2] == b"\x1f\x8b"


def _looks_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:  # a multi-byte character cut at the end is fine
        return exc.start >= len(head) - 3
    return True


def _csv_source(path: Path) -> str:
    with path.open("rb") as fh:
        comp = "gzip" if _is_gzip(fh.read(2), "") else "none"
    return (f"read_csv({_lit(path)}, header=true, all_varchar=true, compression='{comp}', "
            "strict_mode=false)")


READERS: dict[str, Reader] = {
    "parquet": Reader("parquet", lambda head, name: head[:4] == b"PAR1",
                      lambda p: f"read_parquet({_lit(p)})"),
    "csv.gz": Reader("csv.gz", _is_gzip, _csv_source, materialize=True),
    "csv": Reader("csv", lambda head, name: _looks_text(head)
                  and not head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith((b"{", b"[", b"<")),
                  _csv_source, materialize=True),
}




def check_local(value: str | os.PathLike | None, what: str, file: str | None = None,
                column: str | None = None) -> None:
    """Refuse a URL where a local file is expected, naming where it was given."""
    text = "" if value is None else os.fspath(value)
    if URI.match(text):
        raise ValidationError([Problem(file or text, None, column, quote(text),
                                       f"the {what} must be a local file, not a URL: download it "
                                       "(or export it from the warehouse) and give its path")])


def read_head(path: Path, what: str, size: int = 4096) -> bytes:
    """The first bytes of a user's file; ``ValidationError`` when it cannot be read."""
    check_local(path, what)
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except FileNotFoundError:
        raise ValidationError([Problem(str(path), None, None, None, f"{what} not found")]) from None
    except IsADirectoryError:
        raise ValidationError([Problem(str(path), None, None, None,
                                       f"is a folder; expected the {what} file")]) from None
    except OSError as exc:
        raise ValidationError([Problem(str(path), None, None, None,
                                       f"cannot read the {what}: {exc.strerror or exc}")]) from None


def detect(path: Path) -> Reader:
    """The reader for a file, by content; raises ``ValidationError`` for anything else."""
    head = read_head(path, "event log")
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")) and head[:4] != b"PAR1":
        raise _not_events(path, head, "named .parquet but is not a Parquet file")
    for reader in READERS.values():
        if reader.sniff(head, name):
            if reader.name == "csv.gz":
                try:
                    with gzip.open(path) as gz:
                        inner = gz.read(4096)
                except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
                    raise _not_events(path, head, f"is gzip-compressed but cannot be "
                                      f"decompressed ({exc})") from None
                if not READERS["csv"].sniff(inner, name):
                    raise _not_events(path, inner, "is gzip-compressed but does not hold CSV text")
            return reader
    raise _not_events(path, head, "is neither CSV (optionally .gz) nor Parquet")


def _not_events(path: Path, head: bytes, why: str) -> ValidationError:
    kinds = {b"PK": "a ZIP/Excel file", b"{": "JSON", b"[": "JSON", b"<": "XML/HTML",
             b"%PDF": "a PDF", b"\x89PNG": "a PNG image"}
    start = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    seen = next((v for k, v in kinds.items() if start.startswith(k)), None)
    looks = f"; it looks like {seen}" if seen else ""
    return ValidationError([Problem(str(path), None, None, quote(head[:16]),
                                    f"{why}{looks}; expected an event log as CSV, CSV.gz or "
                                    "Parquet with user, event and timestamp columns")])


@dataclass(frozen=True)
class EventSource:
    """An opened event log: the normalised view ``events`` exists on the connection."""

    file: str
    reader: str
    columns: dict[str, str]  # role -> actual column name


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Dialect:
    """How one SQL engine spells what the events view needs (DuckDB here, Spark in spark.py)."""

    quote: Callable[[str], str]
    text: str                                  # the string type for CAST
    from_micros: Callable[[str], str]          # integer microseconds -> TIMESTAMP
    text_to_ts: Callable[[str], str]           # text date -> TIMESTAMP (NULL when unreadable)
    ts_to_ts: Callable[[str], str]             # TIMESTAMP/DATE column -> UTC TIMESTAMP
    first_match: Callable[[str, str], str]     # (array of key/value structs, key) -> struct
    wide_int: str = "HUGEINT"                  # integer type wide enough for ns*1000


DUCKDB = Dialect(_q, "VARCHAR", lambda e: f"make_timestamp({e})",
                 lambda e: f"CAST(TRY_CAST({e} AS TIMESTAMPTZ) AS TIMESTAMP)",
                 lambda e: f"CAST(CAST({e} AS TIMESTAMPTZ) AS TIMESTAMP)",
                 lambda arr, key: f"list_filter({arr}, lambda x: x.key = {key})[1]")


class Probe:
    """What resolving columns needs from an engine: types of the file's columns and of an
    expression, and small sampling queries (first rows only; nothing else leaves the engine)."""

    source: str                    # FROM clause / view name of the raw file
    types: dict[str, str]          # top-level column -> upper-case type name

    def type_of(self, expr: str) -> str | None:  # pragma: no cover - interface
        """The type of ``expr`` over the source, ``None`` when it is not valid there."""
        raise NotImplementedError

    def rows(self, sql: str) -> list[tuple]:  # pragma: no cover - interface
        """A small query's rows."""
        raise NotImplementedError


class DuckProbe(Probe):
    """A DuckDB connection looking at one file."""

    def __init__(self, con: Any, source: str, types: dict[str, str]) -> None:
        self.con, self.source, self.types = con, source, types

    def type_of(self, expr: str) -> str | None:
        try:
            return str(self.con.execute(f"DESCRIBE SELECT {expr} FROM {self.source}").fetchall()[0][1]).upper()
        except Exception:  # duckdb.Error: no such field
            return None

    def rows(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()


# GA4's key/value arrays: ``event_params.page_type`` is the value of the param named so.
KEY_VALUE_ARRAYS = ("event_params", "user_properties", "items")
GA4_VALUES = ("string_value", "int_value", "double_value", "float_value")


def column_expr(probe: Probe, dialect: Dialect, name: str) -> tuple[str, str] | None:
    """SQL for a mapped column and its type: a column, a nested field (``device.category``)
    or a GA4 param (``event_params.page_type``); ``None`` when the file has no such thing."""
    lower = {c.lower(): c for c in probe.types}
    found = name if name in probe.types else lower.get(name.lower())
    if found is not None:
        return dialect.quote(found), probe.types[found]
    head, _, rest = name.partition(".")
    top = lower.get(head.lower())
    if top is None or not rest:
        return None
    if top.lower() in KEY_VALUE_ARRAYS:
        key = "'" + rest.replace("'", "''") + "'"
        value = f"{dialect.first_match(dialect.quote(top), key)}.value"
        parts = [f"CAST({value}.{v} AS {dialect.text})" for v in GA4_VALUES
                 if probe.type_of(f"{value}.{v}") is not None]
        if not parts:
            return None
        expr = f"COALESCE({', '.join(parts)})"
    else:
        expr = ".".join([dialect.quote(top)] + [dialect.quote(p) for p in rest.split(".")])
    dtype = probe.type_of(expr)
    return None if dtype is None else (expr, dtype)


def events_select(probe: Probe, dialect: Dialect, file: str, mapping: Mapping) -> tuple[str, dict[str, str]]:
    """``SELECT usr, event, seg, ts, ts_raw`` over the probe's source, and role -> column;
    raises ``ValidationError`` naming every mapped column the file does not have."""
    wanted = {"user": mapping.user, "event": mapping.event, "timestamp": mapping.timestamp}
    if mapping.segment:
        wanted["segment"] = mapping.segment
    actual, exprs, problems = {}, {}, []
    for role, col in wanted.items():
        hit = column_expr(probe, dialect, col)
        if hit is None:
            problems.append(missing_column(probe, dialect, file, role, col, mapping))
        else:
            exprs[role] = hit
            actual[role] = next((c for c in probe.types if c.lower() == col.lower()), col)
    if problems:
        raise ValidationError(problems)
    t = dialect.text
    ts_expr, ts_type = exprs["timestamp"]
    ts = timestamp_sql(probe, dialect, ts_expr, ts_type, mapping.timestamp_unit)
    seg = (f"COALESCE(NULLIF(CAST({exprs['segment'][0]} AS {t}), ''), '(blank)')"
           if "segment" in exprs else "''")
    select = (f"SELECT {exprs['user'][0]} AS usr, CAST({exprs['event'][0]} AS {t}) AS event, "
              f"{seg} AS seg, ts, CASE WHEN ts IS NULL THEN CAST({ts_expr} AS {t}) END AS ts_raw "
              f"FROM (SELECT *, {ts} AS ts FROM {probe.source}) src")
    return select, actual


def open_events(con: Any, path: Path, mapping: Mapping) -> EventSource:
    """Create view ``events(usr, event, seg, ts, ts_raw)`` over ``path``; check the columns.

    ``ts`` is a UTC ``TIMESTAMP`` or NULL where the value cannot be read (``ts_raw`` keeps
    the text for messages). Text formats are parsed once into a temporary table.
    """
    reader = detect(path)
    source = reader.source(path)
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    except Exception as exc:  # duckdb.Error: unreadable file
        raise ValidationError([Problem(str(path), None, None, None,
                                       f"cannot read as {reader.name}: {str(exc).splitlines()[0]}")]) from None
    probe = DuckProbe(con, source, {row[0]: str(row[1]).upper() for row in described})
    select, actual = events_select(probe, DUCKDB, str(path), mapping)
    try:
        if reader.materialize:
            con.execute(f"CREATE OR REPLACE TEMP TABLE events AS {select}")
        else:
            con.execute(f"CREATE OR REPLACE TEMP VIEW events AS {select}")
    except Exception as exc:
        raise ValidationError([Problem(str(path), None, None, None,
                                       f"cannot read as {reader.name}: {str(exc).splitlines()[0]}")]) from None
    return EventSource(str(path), reader.name, actual)


def _examples(probe: Probe, dialect: Dialect, col: str, n: int = 3) -> list[str]:
    c = dialect.quote(col)
    rows = probe.rows(f"SELECT DISTINCT CAST({c} AS {dialect.text}) AS v FROM "
                      f"(SELECT {c} FROM {probe.source} LIMIT 200) s WHERE {c} IS NOT NULL "
                      f"LIMIT {n}")
    return [r[0] for r in rows]


def missing_column(probe: Probe, dialect: Dialect, file: str, role: str, col: str,
                   mapping: Mapping) -> Problem:
    """The problem for a mapped column the file lacks: what it has, and a close match."""
    have = list(probe.types)
    key = f"columns.{role}" + (f" (preset {mapping.preset})" if mapping.preset else "")
    shown = []
    for name in have[:8]:
        ex = ", ".join(quote(v, 20) for v in _examples(probe, dialect, name, 2))
        shown.append(f"{name} (e.g. {ex})" if ex else name)
    close = difflib.get_close_matches(col, have, n=1, cutoff=0.5)
    hint = f" Did you mean {close[0]!r}? " if close else " "
    return Problem(file, 1, col, quote(col),
                   f"the {role} column {col!r} is not in the file (set by {key} in "
                   f"{Path(mapping.file).name}).{hint}The file has: {'; '.join(shown)}"
                   + (" …" if len(have) > 8 else ""))


def _epoch_sql(dialect: Dialect, expr: str, unit: str, integer: bool) -> str:
    factor = TO_MICROS[unit]
    if integer and unit != "ns":
        micros = f"(CAST({expr} AS {dialect.wide_int}) * {factor})"
    else:
        micros = f"round(TRY_CAST({expr} AS DOUBLE) * {factor})"
    return (f"CASE WHEN {micros} BETWEEN -{MAX_US} AND {MAX_US} "
            f"THEN {dialect.from_micros(f'CAST({micros} AS BIGINT)')} END")


def _guess_unit(probe: Probe, expr: str) -> str:
    row = probe.rows(f"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(TRY_CAST(v AS DOUBLE))) "
                     f"FROM (SELECT {expr} AS v FROM {probe.source} LIMIT 1000) s")
    big = row[0][0] or 0
    return "ns" if big > 1e17 else "us" if big > 1e14 else "ms" if big > 1e11 else "s"


def timestamp_sql(probe: Probe, dialect: Dialect, expr: str, dtype: str, unit: str) -> str:
    """SQL turning the timestamp column into a UTC TIMESTAMP (NULL when unreadable)."""
    if dtype.startswith(("TIMESTAMP", "DATE")):
        return dialect.ts_to_ts(expr)
    numeric = NUMERIC_TYPE.match(dtype) is not None
    if not numeric:  # text: epoch numbers or dates, whatever most of a sample is
        share = probe.rows(f"SELECT avg(CASE WHEN TRY_CAST(v AS DOUBLE) IS NULL THEN 0 ELSE 1 END) "
                           f"FROM (SELECT {expr} AS v FROM {probe.source} WHERE {expr} IS NOT NULL "
                           "LIMIT 1000) s")[0][0]
        if not share or share < 0.5:  # mostly dates as text
            return dialect.text_to_ts(expr)
    if unit == "auto":
        unit = _guess_unit(probe, expr)
    integer = numeric and not dtype.startswith(("FLOAT", "DOUBLE", "DECIMAL", "REAL"))
    return _epoch_sql(dialect, expr, unit, integer)
