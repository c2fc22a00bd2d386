"""`journeytools evidence --engine spark` writes what the DuckDB default writes; GA4's nested
export shape on both engines; clean errors when Spark cannot run (those tests need no pyspark)."""

from __future__ import annotations

import shutil
import sys
import types
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeytools.evidence import compute_evidence

from shoplog import generate

ROOT = Path(__file__).resolve().parents[2]
OUTPUTS = ("funnel.csv", "stages.csv", "issues.csv", "summary.yml")
GA4_MAPPING = """preset: ga4
columns: {segment: device.category}
touchpoints:
  home: page_view
  product-page: view_item
  cart: add_to_cart
  checkout: begin_checkout
  order-confirmation: purchase
funnel: [product-page, cart, checkout, order-confirmation]
issues:
  checkout: checkout_error
privacy: {min_users: 5}
"""


def app():
    from journeytools.cli import app as main_app

    return main_app


def spark_ready() -> None:
    """Skip (with the reason) where the Spark tests cannot run; `make spark` installs both."""
    pytest.importorskip("pyspark", reason="pyspark is not installed (make spark, or pip install "
                        "'journeytools[spark]'); the Spark engine is not tested")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime on PATH; a local Spark session cannot start")


def write_ga4(path: Path, users: int = 400) -> Path:
    """A synthetic GA4 BigQuery export with the real column structure: nested event_params
    (key + value{string_value, int_value, float_value, double_value}) and device.category."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    value = pa.struct([("string_value", pa.string()), ("int_value", pa.int64()),
                       ("float_value", pa.float64()), ("double_value", pa.float64())])
    param = pa.struct([("key", pa.string()), ("value", value)])
    device = pa.struct([("category", pa.string()), ("operating_system", pa.string()),
                        ("language", pa.string())])
    rows = generate(users)
    micros = [int(datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() * 1_000_000)
              for _, _, t, _ in rows]
    params = [[{"key": "page_type", "value": {"string_value": "pdp" if e == "view_item" else "other",
                                              "int_value": None, "float_value": None,
                                              "double_value": None}},
               {"key": "ga_session_number", "value": {"string_value": None, "int_value": i % 3 + 1,
                                                      "float_value": None, "double_value": None}}]
              for i, (_, e, _, _) in enumerate(rows)]
    table = pa.table({
        "event_date": pa.array([t[:10].replace("-", "") for _, _, t, _ in rows]),
        "event_timestamp": pa.array(micros, pa.int64()),
        "event_name": pa.array([e for _, e, _, _ in rows]),
        "event_params": pa.array(params, pa.list_(param)),
        "user_pseudo_id": pa.array([u for u, _, _, _ in rows]),
        "device": pa.array([{"category": d, "operating_system": "iOS" if d == "mobile" else "Windows",
                             "language": "en-gb"} for _, _, _, d in rows], device),
        "platform": pa.array(["WEB"] * len(rows)),
    })
    pq.write_table(table, path)
    return path


@pytest.fixture
def ga4(shop: Path) -> Path:
    """The shop workshop with a GA4-shaped Parquet export and a `preset: ga4` mapping."""
    write_ga4(shop / "ga4.parquet")
    (shop / "ga4_mapping.yml").write_text(GA4_MAPPING)
    return shop


def test_ga4_export_on_duckdb_reads_nested_columns(ga4):
    """device.category splits the funnel; event_params.<key> is a param's value (CI: no Spark)."""
    r = compute_evidence(ga4, ga4 / "ga4.parquet", ga4 / "ga4_mapping.yml")
    assert set(r.funnel["segment"]) == {"", "desktop", "mobile"}
    assert r.summary["source"]["columns"]["segment"] == "device.category"
    overall = r.funnel[r.funnel["segment"] == ""].set_index("touchpoint")
    assert overall.loc["product-page", "users"] > overall.loc["order-confirmation", "users"] > 0
    by_param = compute_evidence(ga4, ga4 / "ga4.parquet", ga4 / "ga4_mapping.yml",
                                segment="event_params.page_type")
    assert set(by_param.funnel["segment"]) == {"", "pdp", "other"}
    by_int = compute_evidence(ga4, ga4 / "ga4.parquet", ga4 / "ga4_mapping.yml",
                              segment="event_params.ga_session_number")
    assert set(by_int.funnel["segment"]) == {"", "1", "2", "3"}


def test_unknown_nested_column_names_file_and_column(ga4):
    res = CliRunner().invoke(app(), ["evidence", str(ga4), "--events", str(ga4 / "ga4.parquet"),
                                     "--mapping", str(ga4 / "ga4_mapping.yml"),
                                     "--segment", "device.categroy"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "the segment column 'device.categroy' is not in the file" in res.output
    assert "ga4.parquet" in res.output and "user_pseudo_id" in res.output


# -- errors when Spark cannot run: simulated, so they run in CI without pyspark ----------------

def _run(shop: Path, *extra: str):
    return CliRunner().invoke(app(), ["evidence", str(shop), "--events", str(shop / "tiny_events.csv"),
                                      "--mapping", str(shop / "tiny_mapping.yml"), "--engine", "spark",
                                      *extra])


def test_spark_not_installed_says_how_to_install(shop, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark -> ImportError
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    res = _run(shop)
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "pip install 'journeytools[spark]'" in res.output
    assert not (shop / "evidence").exists()


def _fake_pyspark(monkeypatch, started: list) -> None:
    class Builder:
        def appName(self, name):  # noqa: N802 - pyspark's spelling
            return self

        def config(self, key, value):
            return self

        def master(self, url):
            started.append(url)
            return self

        def remote(self, url):
            raise RuntimeError(f"[CANNOT_CONNECT] no Spark Connect server at {url}")

        def getOrCreate(self):  # noqa: N802
            raise AssertionError("a session must not be started")

    sql = types.ModuleType("pyspark.sql")
    sql.SparkSession = types.SimpleNamespace(builder=Builder())  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pyspark", types.ModuleType("pyspark"))
    monkeypatch.setitem(sys.modules, "pyspark.sql", sql)


def test_local_session_without_java_says_so(shop, monkeypatch):
    started: list = []
    _fake_pyspark(monkeypatch, started)
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    res = _run(shop)
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "needs Java (a JRE 17+ on PATH" in res.output and started == []


def test_spark_connect_unreachable_is_a_clean_error(shop, monkeypatch):
    _fake_pyspark(monkeypatch, [])
    res = _run(shop, "--spark-remote", "sc://nowhere.invalid:15002")
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "cannot reach Spark Connect at sc://nowhere.invalid:15002" in res.output


def test_spark_options_need_the_spark_engine(shop):
    res = CliRunner().invoke(app(), ["evidence", str(shop), "--mapping", str(shop / "tiny_mapping.yml"),
                                     "--spark-master", "local[2]"])
    assert res.exit_code == 1 and "need --engine spark" in res.output


def test_unreadable_uri_is_a_clean_error(shop):
    from journeytools.errors import ValidationError
    from journeytools.evidence.mapping import load_mapping
    from journeytools.evidence.spark import open_spark_events

    class Reader:
        def parquet(self, target):
            raise RuntimeError(f"[PATH_NOT_FOUND] Path does not exist: {target}.\nJVM stack …")

    spark = types.SimpleNamespace(read=Reader())
    with pytest.raises(ValidationError) as info:
        open_spark_events(spark, "s3a://bucket/ga4/", load_mapping(shop / "tiny_mapping.yml"))
    problem = info.value.problems[0]
    assert problem.file == "s3a://bucket/ga4/"
    assert problem.message == ("Spark cannot read as parquet: [PATH_NOT_FOUND] Path does not "
                               "exist: s3a://bucket/ga4/.")


def test_locate_tells_files_globs_uris_and_tables(shop):
    from journeytools.errors import ValidationError
    from journeytools.evidence.spark import locate

    assert locate(str(shop / "tiny_events.csv"))[1:] == ("csv", "file")
    assert locate("s3a://bucket/ga4/*.parquet")[1:] == ("parquet", "path")
    assert locate("hdfs://nn/logs/2026-11.csv.gz")[1:] == ("csv.gz", "path")
    assert locate("analytics.ga4_events") == ("analytics.ga4_events", "table", "table")
    with pytest.raises(ValidationError, match="event log not found"):
        locate(str(shop / "missing.csv"))  # a local path keeps the DuckDB checks


# -- the real thing: the CLI on a local Spark session equals the DuckDB CLI ---------------------

def _same_outputs(folder: Path, args: list[str]) -> None:
    """Run the CLI on DuckDB then on Spark local[2] into the same folder; the files must match
    byte for byte (they are rounded when written), bar summary.yml's generated_at line."""
    res = CliRunner().invoke(app(), ["evidence", str(folder), *args])
    assert res.exit_code == 0, res.output
    duck = {n: (folder / "evidence" / n).read_bytes() for n in OUTPUTS}
    res = CliRunner().invoke(app(), ["evidence", str(folder), *args, "--engine", "spark",
                                     "--spark-master", "local[2]"])
    assert res.exit_code == 0, res.output
    for name in OUTPUTS:
        spark = (folder / "evidence" / name).read_bytes()
        if name == "summary.yml":
            duck[name], spark = (b"\n".join(line for line in text.splitlines()
                                            if not line.startswith(b"generated_at:"))
                                 for text in (duck[name], spark))
        assert spark == duck[name], name


def test_spark_cli_equals_duckdb_on_the_worked_example(tmp_path):
    spark_ready()
    folder = tmp_path / "luggage-store"
    shutil.copytree(ROOT / "workshops" / "luggage-store", folder)
    _same_outputs(folder, ["--mapping", str(folder / "evidence" / "mapping.yml")])


def test_spark_cli_equals_duckdb_on_a_segmented_log(shop):
    spark_ready()
    _same_outputs(shop, ["--events", str(shop / "tiny_events.csv"), "--mapping",
                         str(shop / "tiny_mapping.yml"), "--segment", "platform"])


def test_ga4_export_on_spark_equals_duckdb(ga4):
    spark_ready()
    _same_outputs(ga4, ["--events", str(ga4 / "ga4.parquet"), "--mapping",
                        str(ga4 / "ga4_mapping.yml")])
