"""Event-log readers: a small registry of formats, each turning a file into DuckDB SQL.

A reader knows how to recognise its format (magic bytes, then the file name) and returns the
``FROM`` clause DuckDB scans. :func:`open_events` then checks the mapped columns exist and
builds one normalised view ``events(usr, event, seg, ts, ts_raw)`` the metrics read.
"""

from __future__ import annotations

import difflib
import gzip
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError, quote
from .mapping import URI, Mapping

NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
           "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE", "DECIMAL")
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
    types = {row[0]: str(row[1]).upper() for row in described}
    wanted = {"user": mapping.user, "event": mapping.event, "timestamp": mapping.timestamp}
    if mapping.segment:
        wanted["segment"] = mapping.segment
    actual, problems = {}, []
    lower = {c.lower(): c for c in types}
    for role, col in wanted.items():
        found = col if col in types else lower.get(col.lower())
        if found is None:
            problems.append(_missing(con, source, path, role, col, list(types), mapping))
        else:
            actual[role] = found
    if problems:
        raise ValidationError(problems)
    ts_col = actual["timestamp"]
    ts = _timestamp_sql(con, source, ts_col, types[ts_col], mapping.timestamp_unit)
    seg = f"COALESCE(NULLIF(CAST({_q(actual['segment'])} AS VARCHAR), ''), '(blank)')" if "segment" in actual else "''"
    select = (f"SELECT {_q(actual['user'])} AS usr, CAST({_q(actual['event'])} AS VARCHAR) AS event, "
              f"{seg} AS seg, ts, CASE WHEN ts IS NULL THEN CAST({_q(ts_col)} AS VARCHAR) END AS ts_raw "
              f"FROM (SELECT *, {ts} AS ts FROM {source})")
    try:
        if reader.materialize:
            con.execute(f"CREATE OR REPLACE TEMP TABLE events AS {select}")
        else:
            con.execute(f"CREATE OR REPLACE TEMP VIEW events AS {select}")
    except Exception as exc:
        raise ValidationError([Problem(str(path), None, None, None,
                                       f"cannot read as {reader.name}: {str(exc).splitlines()[0]}")]) from None
    return EventSource(str(path), reader.name, actual)


def _examples(con: Any, source: str, col: str, n: int = 3) -> list[str]:
    rows = con.execute(f"SELECT DISTINCT CAST({_q(col)} AS VARCHAR) FROM "
                       f"(SELECT {_q(col)} FROM {source} LIMIT 200) WHERE {_q(col)} IS NOT NULL "
                       f"LIMIT {n}").fetchall()
    return [r[0] for r in rows]


def _missing(con: Any, source: str, path: Path, role: str, col: str, have: list[str],
             mapping: Mapping) -> Problem:
    key = f"columns.{role}" + (f" (preset {mapping.preset})" if mapping.preset else "")
    shown = []
    for name in have[:8]:
        ex = ", ".join(quote(v, 20) for v in _examples(con, source, name, 2))
        shown.append(f"{name} (e.g. {ex})" if ex else name)
    close = difflib.get_close_matches(col, have, n=1, cutoff=0.5)
    hint = f" Did you mean {close[0]!r}? " if close else " "
    return Problem(str(path), 1, col, quote(col),
                   f"the {role} column {col!r} is not in the file (set by {key} in "
                   f"{Path(mapping.file).name}).{hint}The file has: {'; '.join(shown)}"
                   + (" …" if len(have) > 8 else ""))


def _epoch_sql(expr: str, unit: str, integer: bool) -> str:
    factor = TO_MICROS[unit]
    if integer and unit != "ns":
        micros = f"(CAST({expr} AS HUGEINT) * {factor})"
    else:
        micros = f"round(TRY_CAST({expr} AS DOUBLE) * {factor})"
    return (f"CASE WHEN {micros} BETWEEN -{MAX_US} AND {MAX_US} "
            f"THEN make_timestamp(CAST({micros} AS BIGINT)) END")


def _guess_unit(con: Any, source: str, col: str) -> str:
    row = con.execute(f"SELECT median(abs(TRY_CAST({_q(col)} AS DOUBLE))) FROM "
                      f"(SELECT {_q(col)} FROM {source} LIMIT 1000)").fetchone()
    big = row[0] or 0
    return "ns" if big > 1e17 else "us" if big > 1e14 else "ms" if big > 1e11 else "s"


def _timestamp_sql(con: Any, source: str, col: str, dtype: str, unit: str) -> str:
    """SQL turning the timestamp column into a UTC TIMESTAMP (NULL when unreadable)."""
    c = _q(col)
    if dtype.startswith(("TIMESTAMP", "DATE")):
        return f"CAST(CAST({c} AS TIMESTAMPTZ) AS TIMESTAMP)"
    numeric = dtype.startswith(NUMERIC)
    if not numeric:  # text: epoch numbers or dates, whatever most of a sample is
        share = con.execute(f"SELECT avg(CASE WHEN TRY_CAST({c} AS DOUBLE) IS NULL THEN 0 ELSE 1 END) "
                            f"FROM (SELECT {c} FROM {source} WHERE {c} IS NOT NULL LIMIT 1000)").fetchone()[0]
        if not share or share < 0.5:  # mostly dates as text
            return f"CAST(TRY_CAST({c} AS TIMESTAMPTZ) AS TIMESTAMP)"
    if unit == "auto":
        unit = _guess_unit(con, source, col)
    integer = numeric and not dtype.startswith(("FLOAT", "DOUBLE", "DECIMAL"))
    return _epoch_sql(c, unit, integer)
