"""Where the metrics SQL runs: embedded DuckDB by default, Spark (or a warehouse) by adapter.

The metrics in :mod:`journeytools.evidence.funnel` are plain SQL over two relations:

* ``events(usr, event, seg, ts)``: one row per event; ``seg`` is ``''`` when not split,
  ``ts`` a timestamp (UTC);
* ``emap(event, tp, reach, issue, pos, stage_pos)``: the mapping, built from the YAML.

Users are keyed by a 64-bit hash of their id inside the computation (faster joins, no ids in
temporary tables); two ids sharing a hash is about one chance in a million at 10M users.

An engine only has to run a query into pandas, keep a query's result under a name, and spell
four expressions its own way. To point the metrics at a warehouse, create ``events`` as a view
there and pass an engine whose ``query`` sends SQL to it (see ``SparkEngine``).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd


class Engine(Protocol):
    """What the metrics need from a SQL engine."""

    def query(self, sql: str) -> pd.DataFrame: ...
    def materialize(self, name: str, sql: str) -> None: ...
    def register(self, name: str, frame: pd.DataFrame) -> None: ...
    def median(self, expr: str) -> str: ...
    def micros(self, expr: str) -> str: ...   # timestamp -> integer microseconds since 1970
    def month(self, expr: str) -> str: ...    # timestamp -> 'YYYY-MM' text
    def user_key(self, expr: str) -> str: ...  # user id -> 64-bit integer key


@dataclass
class DuckDBEngine:
    """Embedded DuckDB (the default). Owns nothing: the caller closes ``con``."""

    con: Any

    def query(self, sql: str) -> pd.DataFrame:
        return self.con.execute(sql).df()

    def materialize(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")

    def register(self, name: str, frame: pd.DataFrame) -> None:
        self.con.register(f"{name}_df", frame)
        self.materialize(name, f"SELECT * FROM {name}_df")
        self.con.unregister(f"{name}_df")

    def median(self, expr: str) -> str:
        return f"median({expr})"

    def micros(self, expr: str) -> str:
        return f"epoch_us({expr})"

    def month(self, expr: str) -> str:
        return f"strftime({expr}, '%Y-%m')"

    def user_key(self, expr: str) -> str:
        return f"hash({expr})"


@dataclass
class SparkEngine:
    """Spark SQL via a ``SparkSession``; register ``events`` as a temp view before computing."""

    spark: Any

    def query(self, sql: str) -> pd.DataFrame:
        with _quiet():  # only ever an aggregate: the metrics SQL groups first
            frame: pd.DataFrame = self.spark.sql(sql).toPandas()
        return frame

    def materialize(self, name: str, sql: str) -> None:
        self.spark.sql(sql).cache().createOrReplaceTempView(name)

    def register(self, name: str, frame: pd.DataFrame) -> None:
        with _quiet():
            self.spark.createDataFrame(frame).createOrReplaceTempView(name)

    def median(self, expr: str) -> str:
        return f"percentile({expr}, 0.5)"

    def micros(self, expr: str) -> str:
        return f"unix_micros({expr})"

    def month(self, expr: str) -> str:
        return f"date_format({expr}, 'yyyy-MM')"

    def user_key(self, expr: str) -> str:
        return f"xxhash64({expr})"


@contextmanager
def _quiet() -> Iterator[None]:
    """Hide pyspark's pandas-version warnings, which a user of the command cannot act on."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        yield
