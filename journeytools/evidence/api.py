"""Compute evidence from an event log (and a survey) for a workshop, and write ``evidence/``.

>>> from journeytools.evidence import compute_evidence, write_evidence
>>> result = compute_evidence("workshops/luggage-store",                # doctest: +SKIP
...                           mapping="workshops/luggage-store/evidence/mapping.yml")
>>> write_evidence(result)                                              # doctest: +SKIP
[PosixPath('workshops/luggage-store/evidence/funnel.csv'), ...]

Nothing is written unless everything succeeded; then all files are replaced at once.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..errors import Problem, UsageError, ValidationError, quote
from ..fsutil import write_atomic
from .engine import DuckDBEngine, Engine, SparkEngine
from .funnel import Plan, Published, RawMetrics, build_plan, compute_raw, event_stats, exact_event_users, publish
from .kpis import kpi_status
from .mapping import URI, Mapping, load_mapping
from .readers import EventSource, check_local, open_events
from .suggest import possible_pain_points
from .survey import SurveyResult, assumed_vs_measured, read_survey

DEFAULT_MAPPING = Path("evidence") / "mapping.yml"
ENGINES = ("duckdb", "spark")
DEFAULT_MEMORY = "1GB"  # DuckDB spills to a temporary folder beyond this: bounded memory
COUNTS = ("step", "users", "drop_off", "users_to_next", "responses", "issue_events",
          "issue_users", "touchpoint_users")
ROUND = {"conversion": 4, "drop_off_rate": 4, "conversion_to_next": 4, "issue_rate": 4,
         "median_seconds_to_next": 1}


@dataclass(frozen=True)
class EvidenceResult:
    """Everything computed; ``files()`` renders what ``write_evidence`` writes."""

    workshop: Any
    mapping: Mapping
    funnel: pd.DataFrame
    stages: pd.DataFrame
    issues: pd.DataFrame
    survey: SurveyResult | None
    assumed: pd.DataFrame
    suggestions: pd.DataFrame
    kpis: pd.DataFrame
    summary: dict[str, Any]
    out_dir: Path = field(default=Path("evidence"))

    def files(self) -> dict[Path, bytes]:
        """evidence/ file path -> bytes: aggregates only."""
        stages = self.stages
        if self.survey is not None:
            cols = ["stage", "assumed_emotion", "measured_satisfaction", "responses"]
            merged = self.assumed[cols].assign(segment="")
            stages = stages.merge(merged, on=["stage", "segment"], how="left")
        files = {self.out_dir / "funnel.csv": _csv(self.funnel),
                 self.out_dir / "stages.csv": _csv(stages),
                 self.out_dir / "issues.csv": _csv(self.issues),
                 self.out_dir / "summary.yml": yaml.safe_dump(
                     self.summary, sort_keys=False, allow_unicode=True, width=100).encode()}
        if self.survey is not None and len(self.survey.comments):
            files[self.out_dir / "comments.csv"] = _csv(self.survey.comments)
        return files


def _csv(frame: pd.DataFrame) -> bytes:
    out = frame.copy()
    for col in out.columns:
        if col in COUNTS:
            out[col] = pd.to_numeric(out[col], errors="coerce").round().astype("Int64")
        elif col in ROUND:
            out[col] = pd.to_numeric(out[col], errors="coerce").round(ROUND[col])
        elif col == "suppressed":
            out[col] = out[col].map(lambda v: "true" if v is True or v == 1 else "false")
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def _from_mapping(folder: Path, m: Mapping, value: str | None, what: str, key: str) -> Path | None:
    """A file the mapping names: it must stay inside the workshop folder (or, for a mapping kept
    elsewhere, inside the mapping's folder); files given on the command line are the user's call."""
    from ..model.paths import UnsafePath, contained_file

    if not value:
        return None
    base = m.base or folder
    root = folder if Path(base).resolve().is_relative_to(folder.resolve()) else Path(base)
    try:
        return contained_file(root, value, base=base, kind=what)
    except UnsafePath as exc:
        if exc.missing:
            return m.resolve(value)  # the readers say "not found" with their own hints
        raise ValidationError([exc.problem(m.file, None, key)]) from None


def compute_evidence(workshop_dir: str | os.PathLike, events: str | os.PathLike | None = None,
                     mapping: str | os.PathLike | None = None, *, segment: str | None = None,
                     min_users: int | None = None, survey: str | os.PathLike | None = None,
                     keep_comments: bool | None = None, memory_limit: str | None = DEFAULT_MEMORY,
                     threads: int | None = None, engine: str = "duckdb",
                     spark_remote: str | None = None, spark_master: str | None = None,
                     spark: Any = None) -> EvidenceResult:
    """Funnel, stages, issues, survey, KPIs and suggestions for a workshop; writes nothing.

    ``events`` and ``survey`` default to the paths in the mapping (relative to it);
    ``mapping`` defaults to ``<workshop>/evidence/mapping.yml``. ``segment``, ``min_users``
    and ``keep_comments`` override the mapping. DuckDB works within ``memory_limit``
    (default 1GB; ``None`` = DuckDB's default of 80 % of RAM), spilling to the system's
    temporary folder beyond it, with ``threads`` threads (default: all cores). Raises ``ValidationError`` (file, line,
    column, value) for bad input.

    ``engine="spark"`` runs the same SQL on Spark: on the session ``spark`` if given (left
    open), else on Spark Connect at ``spark_remote``, a classic session on ``spark_master``, or
    a local session (stopped afterwards). ``events`` may then also be a glob, a URI Spark reads
    (``s3a://…``) or a table name; see :mod:`journeytools.evidence.spark`. Only aggregates
    come back from Spark.
    """
    from ..store.folder import load

    if engine not in ENGINES:
        raise UsageError(f"unknown evidence engine {engine!r}; expected {' or '.join(ENGINES)}")
    on_spark = engine == "spark"
    folder = Path(workshop_dir)
    ws = load(folder)
    local = ((mapping, "mapping file"), (survey, "survey file")) + (() if on_spark else ((events, "event log"),))
    for given, what in local:
        check_local(given, what)
    m = load_mapping(Path(mapping) if mapping else folder / DEFAULT_MAPPING,
                     list(ws.touchpoints["id"]))
    m = m.replace(segment=segment.strip() if segment else None, min_users=min_users,
                  keep_comments=keep_comments)
    if not events and not on_spark:
        check_local(m.events, "event log", m.file, "events")
    if not survey and m.survey is not None:
        check_local(m.survey.file, "survey file", m.file, "survey.file")
    if on_spark and not events and m.events and URI.match(m.events):
        events = m.events  # the mapping may name an object-store or HDFS URI for Spark
    path = (events if on_spark and isinstance(events, str) else Path(events) if events
            else _from_mapping(folder, m, m.events, "event log", "events"))
    if path is None:
        raise ValidationError([Problem(m.file, None, "events", None, "no event log: pass "
                                       "--events FILE or set 'events:' in the mapping")])
    survey_path = Path(survey) if survey else _from_mapping(folder, m, m.survey.file if m.survey else None,
                                                            "survey file", "survey.file")
    survey_result = (read_survey(survey_path, ws, m.survey, m.privacy)
                     if survey_path is not None else None)
    plan = build_plan(ws, m)
    if on_spark:
        source, raw = _on_spark(path, m, plan, spark, spark_remote, spark_master)
    else:
        source, raw = _on_duckdb(Path(path), m, plan, memory_limit, threads)
    pub = publish(raw, plan, m.privacy.min_users)
    result = EvidenceResult(ws, m, pub.funnel, pub.stages, pub.issues, survey_result,
                            assumed_vs_measured(ws, survey_result),
                            possible_pain_points(ws, pub.funnel, pub.issues), pd.DataFrame(), {},
                            folder / "evidence")
    summary = _summary(result, source, raw, plan.emap, pub)
    result = EvidenceResult(**{**result.__dict__, "summary": summary})
    return EvidenceResult(**{**result.__dict__, "kpis": kpi_status(ws.kpis, result)})


def _on_duckdb(path: Path, m: Mapping, plan: Plan, memory_limit: str | None,
               threads: int | None) -> tuple[EventSource, RawMetrics]:
    """Open the log in an embedded DuckDB and compute the raw metrics."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET TimeZone='UTC'")
        con.execute("SET preserve_insertion_order=false")
        if memory_limit:
            con.execute(f"SET memory_limit='{memory_limit}'")
            spill = Path(tempfile.gettempdir()) / "journeytools-duckdb"
            con.execute(f"SET temp_directory='{str(spill).replace(chr(39), chr(39) * 2)}'")
        if threads:
            con.execute(f"SET threads={int(threads)}")
        source = open_events(con, path, m)
        return source, _metrics(DuckDBEngine(con), source, m, plan)
    finally:
        con.close()


def _on_spark(events: str | os.PathLike, m: Mapping, plan: Plan, session: Any, remote: str | None,
              master: str | None) -> tuple[EventSource, RawMetrics]:
    """Open the log in Spark (a given session, or one started here and stopped after)."""
    from .spark import open_spark_events, spark_session

    spark = session if session is not None else spark_session(remote, master)
    try:
        source = open_spark_events(spark, os.fspath(events), m)
        return source, _metrics(SparkEngine(spark), source, m, plan)
    finally:
        if session is None:
            spark.stop()


def _metrics(engine: Engine, source: EventSource, m: Mapping, plan: Plan) -> RawMetrics:
    """The same checks and SQL on any engine, over its ``events`` view."""
    stats = event_stats(engine)
    _check_rows(engine, stats, source, m, plan.emap)
    stats = _exact_users(engine, stats, plan.emap, m.privacy.min_users)
    return compute_raw(engine, plan, stats)


def _check_rows(engine: Engine, stats: pd.DataFrame, source: EventSource, m: Mapping,
                emap: pd.DataFrame) -> None:
    """Unreadable timestamps and no mapped event at all are errors naming file and column."""
    total, bad = int(stats["n"].sum()), int(stats["bad_ts"].sum())
    col = source.columns["timestamp"]
    if total == 0:
        raise ValidationError([Problem(source.file, None, None, None,
                                       "the event log has no rows")])
    if bad:
        ex = list(engine.query("SELECT DISTINCT ts_raw FROM events WHERE ts IS NULL "
                               "LIMIT 3")["ts_raw"])
        shown = ", ".join("blank" if v in (None, "") else quote(v) for v in ex)
        unit = ("" if m.timestamp_unit == "auto" else
                f" (read as epoch {m.timestamp_unit}, from the mapping's timestamp_unit)")
        raise ValidationError([Problem(
            source.file, None, col, shown,
            f"{bad:,} of {total:,} rows have a timestamp that cannot be read{unit}, e.g. {shown}; "
            "expected ISO 8601 such as 2026-11-03T14:05:00Z (offsets allowed) or epoch numbers "
            "(set timestamp_unit: s, ms, us or ns in the mapping)")])
    if not stats["event"].isin(emap["event"]).any():
        common = stats.sort_values("n", ascending=False)["event"].head(5)
        raise ValidationError([Problem(
            m.file, None, "touchpoints", None,
            f"none of the mapped event names occur in column {source.columns['event']!r} of "
            f"{source.file}; its most common events are {', '.join(map(quote, common))}")])


def _exact_users(engine: Any, stats: pd.DataFrame, emap: pd.DataFrame, k: int) -> pd.DataFrame:
    """Exact distinct users for unmapped event names whose approximate count is near k: they
    are listed in summary.yml only when seen for at least k users. Names with fewer than k
    rows cannot have k users; far above k the approximation (error ~2 %) cannot cross it."""
    stats = stats.copy()
    near = (~stats["event"].isin(emap["event"]) & stats["event"].notna() & (stats["n"] >= k)
            & (stats["users"] < 2 * k + 1000))
    exact = exact_event_users(engine, [str(e) for e in stats.loc[near, "event"]])
    stats["users"] = [exact.get(str(e), u) if is_near else (min(u, n) if n < k else u)
                      for e, u, n, is_near in zip(stats["event"], stats["users"], stats["n"], near)]
    return stats


def _iso(value: Any) -> str | None:
    if value is None or pd.isna(value):
        return None
    ts = pd.Timestamp(value)
    return (ts.tz_localize("UTC") if ts.tzinfo is None else ts).isoformat()


def _plain(value: Any) -> Any:
    """A YAML-friendly Python value (no numpy scalars, NaN as None, whole floats as int)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    value = value.item() if hasattr(value, "item") else value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else round(value, 4)
    return value


def _summary(r: EvidenceResult, source: EventSource, raw: Any, emap: pd.DataFrame,
             pub: Published) -> dict:
    from .. import __version__

    stats, m, k = raw.stats, r.mapping, r.mapping.privacy.min_users
    mapped = stats["event"].isin(emap["event"])
    unmapped = stats[~mapped].sort_values(["n", "event"], ascending=[False, True])
    listed = unmapped[unmapped["users"] >= k]
    missing = sorted(set(emap["event"]) - set(stats["event"].dropna()))
    users: int | str = raw.users
    if raw.users < k:
        users = f"fewer than {k}"
    elif pub.users_hidden:
        users = "hidden (it would reveal a suppressed count)"
    out: dict[str, Any] = {
        "generated_by": f"journeytools {__version__}",
        "generated_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "source": {"file": str(source.file), "format": source.reader, "columns": source.columns},
        "mapping": {"file": str(m.file), "preset": m.preset,
                    "funnel": [str(t) for t in r.funnel.loc[r.funnel["step"].notna() & (r.funnel["segment"] == ""),
                                                            "touchpoint"]]},
        "rows_read": int(stats["n"].sum()),
        "rows_mapped": int(stats.loc[mapped, "n"].sum()),
        "rows_without_user": int(stats["no_user"].sum()),
        "users": users,
        "unmapped_events": {("(blank)" if pd.isna(e) else str(e)): int(n)
                            for e, n in zip(listed["event"], listed["n"])},
    }
    if len(unmapped) > len(listed):
        n_other = len(unmapped) - len(listed)
        out["unmapped_events_not_listed"] = (
            f"{n_other} other event name{'s' if n_other > 1 else ''}, each seen for fewer than "
            f"{k} users, not listed")
    out.update({
        "mapped_events_not_found": missing,
        "time_range": {"from": _iso(stats["first"].min()), "to": _iso(stats["last"].max())},
        "segment": m.segment,
        "privacy": {
            "min_users": k, "rows_suppressed": pub.rows_suppressed,
            "rows_suppressed_to_protect_others": pub.rows_complementary,
            "keep_comments": m.privacy.keep_comments,
            "rules": ["aggregates only: no user ids, no raw events",
                      f"any touchpoint, stage, segment or month with fewer than {k} users "
                      "is suppressed (numbers blank, suppressed: true); so are issue counts of "
                      f"fewer than {k} users",
                      "complementary suppression: wherever a published total (all segments; a "
                      "touchpoint over all months; a stage with one touchpoint) has a hidden part, "
                      "the next-smallest part is hidden too until at least two are hidden and, "
                      f"with the total shown, they hold at least {k} users together; no hidden "
                      "number equals a published total minus published numbers (checked across "
                      "segments × months); such rows say 'hidden so that a suppressed count "
                      "cannot be worked out by subtraction'",
                      "conversion, drop-off and users to the next step next to a suppressed row "
                      "are blanked",
                      f"a median time over fewer than {k} users is blanked",
                      f"unmapped event names seen for fewer than {k} users are not listed, only "
                      "counted",
                      f"survey stages with fewer than {k} respondents are suppressed, with "
                      "complementary suppression of responses against the survey total",
                      "survey comments " + ("kept verbatim without respondent ids, for stages "
                                            f"with at least {k} respondents"
                                            if m.privacy.keep_comments else "dropped")]},
    })
    if r.survey is not None:
        hide = r.survey.respondents < k or r.survey.totals_hidden
        why = f"fewer than {k}" if r.survey.respondents < k else "hidden (it would reveal a suppressed count)"
        out["survey"] = {"file": r.survey.file,
                         "responses": why if hide else r.survey.responses,
                         "respondents": why if hide else r.survey.respondents,
                         "comments_kept": int(len(r.survey.comments))}
    if len(r.suggestions):
        out["possible_pain_points"] = [
            {k2: _plain(v) for k2, v in row.items()} for row in r.suggestions.to_dict("records")]
    return out


def write_evidence(result: EvidenceResult, out_dir: str | os.PathLike | None = None) -> list[Path]:
    """Write funnel.csv, stages.csv, issues.csv, summary.yml (and comments.csv when kept)
    atomically into ``<workshop>/evidence`` (or ``out_dir``); returns the paths written.

    A ``comments.csv`` left from an earlier run that kept comments is removed when comments
    are no longer kept.
    """
    base = Path(out_dir) if out_dir else result.out_dir
    files = {base / p.name: data for p, data in result.files().items()}
    write_atomic(files)
    stale = base / "comments.csv"
    if stale not in files and stale.exists():
        stale.unlink()
    return sorted(files)


def update_evidence(workshop_dir: str | os.PathLike, events: str | os.PathLike | None = None,
                    mapping: str | os.PathLike | None = None, **options: Any) -> EvidenceResult:
    """``compute_evidence`` then ``write_evidence``: the one call the CLI makes."""
    result = compute_evidence(workshop_dir, events, mapping, **options)
    write_evidence(result)
    return result
