"""``journeytools evidence``: funnel and drop-off from an event log into ``<workshop>/evidence/``.

Wire it in with ``register(app)``; the command makes one call into
:func:`journeytools.evidence.update_evidence` and maps known errors to exit 1 (via ``cli.run``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer


def _fmt(value: Any, pct: bool = False) -> str:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if pct:
        return f"{100 * float(value):.1f}%"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _duration(seconds: Any) -> str:
    if _fmt(seconds) == "–":
        return "–"
    s = float(seconds)
    return f"{s:.0f} s" if s < 120 else f"{s / 60:.1f} min" if s < 7200 else f"{s / 3600:.1f} h"


def funnel_table(result: Any) -> Any:
    """A rich Table of the funnel (overall and per segment)."""
    from rich.table import Table

    table = Table(title="Funnel (evidence/funnel.csv)")
    for name, justify in (("segment", "left"), ("step", "right"), ("touchpoint", "left"),
                          ("stage", "left"), ("users", "right"), ("conversion", "right"),
                          ("drop-off", "right"), ("drop-off rate", "right"),
                          ("median to next", "right"), ("note", "left")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for r in result.funnel.itertuples():
        table.add_row(r.segment or "all", _fmt(r.step), r.touchpoint, r.stage, _fmt(r.users),
                      _fmt(r.conversion, True), _fmt(r.drop_off), _fmt(r.drop_off_rate, True),
                      _duration(r.median_seconds_to_next), r.note or "")
    return table


def register(app: typer.Typer) -> None:
    """Add the ``evidence`` command to the ``journeytools`` app."""

    @app.command()
    def evidence(
        folder: Path = typer.Argument(..., help="Workshop folder."),
        events: str | None = typer.Option(None, "--events", help="Event log: CSV, CSV.gz or Parquet "
                                             "(default: 'events:' in the mapping); with --engine "
                                             "spark also a glob, a URI such as s3a://bucket/ga4/ "
                                             "or a table name."),
        mapping: Path | None = typer.Option(None, "--mapping", help="Mapping YAML "
                                               "(default: DIR/evidence/mapping.yml)."),
        segment: str | None = typer.Option(None, "--segment", help="Column to split by, e.g. platform."),
        min_users: int | None = typer.Option(None, "--min-users", min=1,
                                                help="Suppress rows with fewer users (default 5)."),
        survey: Path | None = typer.Option(None, "--survey", help="CSAT/NPS survey CSV."),
        engine: str = typer.Option("duckdb", "--engine", help="Where the SQL runs: duckdb "
                                   "(embedded, default) or spark."),
        spark_remote: str | None = typer.Option(None, "--spark-remote", help="Spark Connect URL, "
                                                "e.g. sc://host:15002 (no Java needed here)."),
        spark_master: str | None = typer.Option(None, "--spark-master", help="Classic Spark "
                                                "master, e.g. spark://host:7077 or local[4] "
                                                "(default: a local session on all cores)."),
    ) -> None:
        """Funnel and drop-off per stage/touchpoint from an event log, written to DIR/evidence/."""
        from ..errors import UsageError
        from ..evidence import update_evidence
        from .common import esc, out, run

        def go() -> int:
            if engine != "spark" and (spark_remote or spark_master):
                raise UsageError("--spark-remote and --spark-master need --engine spark")
            result = update_evidence(folder, events, mapping, segment=segment,
                                     min_users=min_users, survey=survey, engine=engine,
                                     spark_remote=spark_remote, spark_master=spark_master)
            out.print(funnel_table(result))
            s = result.summary
            privacy = s["privacy"]
            protecting = privacy.get("rows_suppressed_to_protect_others", 0)
            out.print(f"{s['rows_read']:,} rows read, {s['rows_mapped']:,} mapped; "
                      f"unmapped event names listed: {len(s['unmapped_events'])}"
                      + (f" ({esc(str(s['unmapped_events_not_listed']))})" if s.get("unmapped_events_not_listed")
                         else "") + "; "
                      f"{privacy['rows_suppressed']} rows suppressed (fewer than {privacy['min_users']} users"
                      + (f", or hidden so that {protecting} of them cannot be worked out by subtraction"
                         if protecting else "") + ").")
            for p in s.get("possible_pain_points", []):
                out.print(f"possible pain point at {esc(p['touchpoint'])}: {esc(p['evidence'])}")
            out.print(f"wrote {result.out_dir}/funnel.csv, stages.csv, issues.csv, summary.yml")
            return 0

        run(go)
