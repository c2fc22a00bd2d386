"""The same metrics SQL on Spark gives the same numbers as DuckDB (skipped without Spark)."""

from __future__ import annotations

import shutil

import pytest

from journeytools import load
from journeytools.evidence import load_mapping
from journeytools.evidence.engine import DuckDBEngine, SparkEngine
from journeytools.evidence.funnel import build_plan, compute_raw, funnel_table


def test_spark_matches_duckdb(shop):
    pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install "
                                  "journeytools[spark]); the Spark engine is not tested")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime (JVM) on PATH; Spark cannot start")
    import duckdb
    from pyspark.sql import SparkSession

    from journeytools.evidence.readers import open_events

    ws = load(shop)
    m = load_mapping(shop / "tiny_mapping.yml", list(ws.touchpoints["id"])).replace(segment="platform")
    plan = build_plan(ws, m)
    con = duckdb.connect()
    con.execute("SET TimeZone='UTC'")
    open_events(con, shop / "tiny_events.csv", m)
    events = con.execute("SELECT usr, event, seg, ts FROM events").df()
    duck = funnel_table(compute_raw(DuckDBEngine(con), plan), plan, 1)
    spark = (SparkSession.builder.master("local[1]").appName("jt-test")
             .config("spark.sql.session.timeZone", "UTC").getOrCreate())
    try:
        spark.createDataFrame(events).createOrReplaceTempView("events")
        sp = funnel_table(compute_raw(SparkEngine(spark), plan), plan, 1)
    finally:
        spark.stop()
    cols = ["touchpoint", "segment", "users", "conversion", "median_seconds_to_next"]
    assert duck[cols].round(4).equals(sp[cols].round(4)), (pyspark.__version__, duck, sp)
