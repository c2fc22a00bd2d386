"""The in-memory workshop: metadata from ``workshop.yml`` and one DataFrame per table."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .csvio import DEFAULT_DIALECT, Dialect
from ..errors import Problem
from .meta import DEFAULT_DOTS, DEFAULT_REVIEW_MONTHS, Stage, parse_date, stages_of
from .schema import TABLE_NAMES, TABLES
from .tables import empty_frame


@dataclass
class Baseline:
    """What a table looked like when loaded: to tell in-memory edits and on-disk changes apart."""

    frame: pd.DataFrame | None
    digest: str | None  # sha256 of the file's bytes, None when the file did not exist
    dialect: Dialect = DEFAULT_DIALECT


@dataclass(eq=False)
class Workshop:
    """A customer journey map.

    Tables are pandas DataFrames (``ws.personas``, ``ws.touchpoints``, ``ws.steps``,
    ``ws.pain_points``, ``ws.opportunities``, ``ws.votes``, ``ws.kpis``); text columns hold
    strings exactly as typed, scores are ``Int64``, amounts ``float64``. Metadata lives in
    ``ws.meta`` (the parsed ``workshop.yml``).

    >>> import journeytools as jt
    >>> ws = jt.load("workshops/luggage-store")      # doctest: +SKIP
    >>> ws.title                                      # doctest: +SKIP
    'Online luggage store — purchase journey'
    """

    meta: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    path: Path | None = None
    warnings: list[Problem] = field(default_factory=list)
    _baseline: dict[str, Baseline] = field(default_factory=dict, repr=False)
    _meta_baseline: tuple[dict[str, Any], str] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for name in TABLE_NAMES:
            if name not in self.tables:
                self.tables[name] = empty_frame(TABLES[name])

    # -- metadata ----------------------------------------------------------------------
    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))

    @property
    def organisation(self) -> str:
        return str(self.meta.get("organisation") or "")

    @property
    def stages(self) -> list[Stage]:
        """Stages in journey order."""
        return stages_of(self.meta)

    @property
    def stage_ids(self) -> list[str]:
        return [s.id for s in self.stages]

    @property
    def date(self) -> dt.date | None:
        return parse_date(self.meta.get("date"))

    @property
    def reviewed(self) -> dt.date | None:
        return parse_date(self.meta.get("reviewed")) or self.date

    @property
    def review_every_months(self) -> int:
        return int(self.meta.get("review_every_months") or DEFAULT_REVIEW_MONTHS)

    @property
    def dots_per_voter(self) -> int:
        return int(self.meta.get("dots_per_voter") or DEFAULT_DOTS)

    @property
    def state(self) -> str:
        return str(self.meta.get("state") or "current")

    @property
    def branding(self) -> dict[str, Any]:
        b = self.meta.get("branding") or {}
        return {
            "company": b.get("company") or self.organisation,
            "primary_color": b.get("primary_color") or "#1F5AA6",
            "logo": b.get("logo"),
        }

    def review_due(self) -> dt.date | None:
        """The date the map should next be reviewed by."""
        last = self.reviewed
        if last is None:
            return None
        months = last.month - 1 + self.review_every_months
        year, month = last.year + months // 12, months % 12 + 1
        day = min(last.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                             31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
        return dt.date(year, month, day)

    def is_stale(self, today: dt.date | None = None) -> bool:
        """True when the last review is older than ``review_every_months``."""
        due = self.review_due()
        return due is not None and (today or dt.date.today()) > due

    # -- tables ------------------------------------------------------------------------
    def _get(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def _set(self, name: str, frame: pd.DataFrame) -> None:
        self.tables[name] = frame

    personas = property(lambda self: self._get("personas"), lambda self, v: self._set("personas", v))
    touchpoints = property(lambda self: self._get("touchpoints"),
                           lambda self, v: self._set("touchpoints", v))
    steps = property(lambda self: self._get("steps"), lambda self, v: self._set("steps", v))
    pain_points = property(lambda self: self._get("pain_points"),
                           lambda self, v: self._set("pain_points", v))
    opportunities = property(lambda self: self._get("opportunities"),
                             lambda self, v: self._set("opportunities", v))
    votes = property(lambda self: self._get("votes"), lambda self, v: self._set("votes", v))
    kpis = property(lambda self: self._get("kpis"), lambda self, v: self._set("kpis", v))

    def persona_name(self, persona_id: str) -> str:
        rows = self.personas[self.personas["id"] == persona_id]
        return str(rows["name"].iloc[0]) if len(rows) else persona_id

    # -- comparison and copies ---------------------------------------------------------
    def equals(self, other: object) -> bool:
        """Same metadata and same tables (values, columns and dtypes)."""
        if not isinstance(other, Workshop) or self.meta != other.meta:
            return False
        return all(_frames_equal(self.tables[n], other.tables[n]) for n in TABLE_NAMES)

    __eq__ = equals  # type: ignore[assignment]
    __hash__ = None  # type: ignore[assignment]

    def copy(self) -> "Workshop":
        """A deep copy that is detached from its folder (saving it needs a path)."""
        return Workshop(copy.deepcopy(self.meta), {n: f.copy() for n, f in self.tables.items()},
                        None, list(self.warnings))

    def changed_tables(self) -> list[str]:
        """Tables edited in memory since load (all tables with rows when not loaded)."""
        out = []
        for name in TABLE_NAMES:
            base = self._baseline.get(name)
            frame = self.tables[name]
            if base is None or base.frame is None:
                if len(frame):
                    out.append(name)
            elif not _frames_equal(frame, base.frame):
                out.append(name)
        return out

    def meta_changed(self) -> bool:
        return self._meta_baseline is None or self._meta_baseline[0] != self.meta


def _frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Same columns, dtypes and values; two tables without rows are equal (no data)."""
    if len(a) == 0 and len(b) == 0:
        return True
    if list(a.columns) != list(b.columns) or len(a) != len(b):
        return False
    a2, b2 = a.reset_index(drop=True), b.reset_index(drop=True)
    for name in a2.columns:
        x, y = a2[name], b2[name]
        if str(x.dtype) != str(y.dtype) and not (_texty(x) and _texty(y)):
            return False
        if not x.equals(y):
            xs, ys = x.astype(object).where(x.notna(), None), y.astype(object).where(y.notna(), None)
            if xs.tolist() != ys.tolist():
                return False
    return True


def _texty(s: pd.Series) -> bool:
    return s.dtype == object or pd.api.types.is_string_dtype(s.dtype)
