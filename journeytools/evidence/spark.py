"""Event logs on Spark: a session (local, classic cluster or Spark Connect) and the same
normalised ``events(usr, event, seg, ts, ts_raw)`` temp view that :mod:`.readers` builds in DuckDB.

pyspark is imported only here and only when a Spark run is asked for. Only aggregates leave
the cluster: the metrics SQL groups before anything is turned into pandas, and the column
checks here read at most a few sample values (for messages and the timestamp unit).

``--events`` on Spark accepts what Spark reads:

* a local path (the same checks as DuckDB: it must exist and be CSV, CSV.gz or Parquet), or a
  local folder of Parquet/CSV part files;
* a glob of Parquet or CSV files (``logs/2026-*.parquet``);
* the engine's URIs (``s3a://bucket/ga4/``, ``hdfs://…``, ``abfss://…``, ``file:///…``);
  the format comes from the name (``.csv``, ``.csv.gz``, else Parquet);
* a table name the session knows (``analytics.ga4_events``).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from typing import Any

from ..errors import Problem, UsageError, ValidationError
from .mapping import URI, Mapping
from .readers import Dialect, EventSource, Probe, detect, events_select

INSTALL = "pip install 'journeytools[spark]'"
TABLE = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*){0,2}$")
GLOB = re.compile(r"[*?\[{]")
SOURCE_VIEW = "jt_source"
LOCAL_PARTITIONS = "4"  # Spark's default 200 shuffle partitions make a laptop crawl


def _bq(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


SPARK = Dialect(_bq, "STRING", lambda e: f"timestamp_micros({e})",
                lambda e: f"TRY_CAST({e} AS TIMESTAMP)",
                lambda e: f"CAST({e} AS TIMESTAMP)",
                lambda arr, key: f"try_element_at(filter({arr}, x -> x.key = {key}), 1)",
                wide_int="DECIMAL(38,0)")


def spark_session(remote: str | None = None, master: str | None = None) -> Any:
    """A Spark session: Spark Connect at ``remote`` (no JVM here), a classic session on
    ``master``, or a local one on all cores. Raises ``UsageError`` when Spark cannot start."""
    if remote and master:
        raise UsageError("give --spark-remote (Spark Connect) or --spark-master, not both")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError(f"the Spark engine is not installed: {INSTALL}") from None
    builder = SparkSession.builder.appName("journeytools-evidence")
    builder = (builder.config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.showConsoleProgress", "false"))  # our output, not stage bars
    if remote:
        try:
            return builder.remote(remote).getOrCreate()
        except ImportError as exc:  # Spark Connect needs grpcio and friends
            raise UsageError(f"Spark Connect needs more packages ({exc.name or exc}): "
                             f"{INSTALL}") from None
        except Exception as exc:
            raise UsageError(f"cannot reach Spark Connect at {remote}: {_first_line(exc)}") from None
    if not (master or "").startswith(("spark://", "yarn", "k8s://")) and not _java():
        raise UsageError("a local Spark session needs Java (a JRE 17+ on PATH, or JAVA_HOME); "
                         "install one, or use --spark-remote sc://host:15002 (Spark Connect)")
    master = master or "local[*]"
    if master.startswith("local"):  # one machine: few shuffle partitions, no web UI
        builder = (builder.config("spark.sql.shuffle.partitions", LOCAL_PARTITIONS)
                   .config("spark.ui.enabled", "false"))
    try:
        return builder.master(master).getOrCreate()
    except Exception as exc:  # PySparkRuntimeError JAVA_GATEWAY_EXITED and friends
        raise UsageError(f"Spark did not start ({_first_line(exc)}); a local session needs Java "
                         "(a JRE 17+ on PATH)") from None


def _java() -> bool:
    home = os.environ.get("JAVA_HOME")
    return shutil.which("java") is not None or bool(home and (Path(home) / "bin" / "java").exists())


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _format_of(name: str) -> str:
    low = name.lower().rstrip("/")
    if low.endswith((".csv.gz", ".csv.gzip")):
        return "csv.gz"
    if low.endswith((".csv", ".txt")):
        return "csv"
    return "parquet"


def locate(events: str) -> tuple[str, str, str]:
    """(what Spark reads, reader name, kind) for ``--events``: kind is ``file`` (a checked
    local file), ``path`` (glob, folder or URI) or ``table``."""
    text = os.fspath(events)
    if URI.match(text) or GLOB.search(text):
        return text, _format_of(text), "path"
    path = Path(text)
    if path.is_dir():
        parts = sorted(p.name for p in path.iterdir() if not p.name.startswith((".", "_")))
        return str(path.resolve()), _format_of(parts[0]) if parts else "parquet", "path"
    if not path.exists() and TABLE.match(text) and Path(text).suffix[1:] not in ("csv", "parquet", "gz"):
        return text, "table", "table"
    reader = detect(path)  # local file: the same checks and messages as DuckDB
    return str(path.resolve()), reader.name, "file"


class SparkProbe(Probe):
    """A Spark session looking at one source view."""

    def __init__(self, spark: Any, source: str) -> None:
        self.spark, self.source = spark, source
        schema = spark.table(source).schema
        self.types = {f.name: f.dataType.simpleString().upper() for f in schema.fields}

    def type_of(self, expr: str) -> str | None:
        try:
            fields = self.spark.sql(f"SELECT {expr} AS v FROM {self.source}").schema.fields
        except Exception:  # AnalysisException: no such column or field
            return None
        return str(fields[0].dataType.simpleString()).upper()

    def rows(self, sql: str) -> list[tuple]:
        # sampling queries only (LIMITed values, or one aggregate row)
        return [tuple(r) for r in self.spark.sql(sql).collect()]


def _read(spark: Any, target: str, reader: str, kind: str) -> Any:
    if kind == "table":
        return spark.table(target)
    if reader.startswith("csv"):
        return spark.read.csv(target, header=True, inferSchema=False, escape='"')  # RFC 4180 quotes
    return spark.read.parquet(target)


def open_spark_events(spark: Any, events: str, mapping: Mapping) -> EventSource:
    """Create temp view ``events(usr, event, seg, ts, ts_raw)`` in ``spark`` over ``events``
    (see the module docstring); raises ``ValidationError`` for unreadable input or columns."""
    target, reader, kind = locate(events)
    shown = os.fspath(events) if kind != "file" else str(Path(events))
    try:
        frame = _read(spark, target, reader, kind)
        frame.createOrReplaceTempView(SOURCE_VIEW)
        probe = SparkProbe(spark, SOURCE_VIEW)
    except Exception as exc:  # AnalysisException: path does not exist, no such table, …
        what = "the table" if kind == "table" else f"as {reader}"
        raise ValidationError([Problem(shown, None, None, None,
                                       f"Spark cannot read {what}: {_first_line(exc)}")]) from None
    select, actual = events_select(probe, SPARK, shown, mapping)
    try:
        spark.sql(select).createOrReplaceTempView("events")
    except Exception as exc:
        raise ValidationError([Problem(shown, None, None, None,
                                       f"Spark cannot read as {reader}: {_first_line(exc)}")]) from None
    return EventSource(shown, reader, actual)
