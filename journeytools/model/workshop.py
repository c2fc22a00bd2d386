"""The in-memory workshop: metadata from ``workshop.yml`` and one DataFrame per table."""

from __future__ import annotations

import calendar
import copy
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import Problem
from ..fsutil import digest
from .csvio import DEFAULT_DIALECT, Dialect
from .meta import DEFAULT_DOTS, DEFAULT_REVIEW_MONTHS, Stage, dump_meta, parse_date, stages_of
from .schema import TABLE_NAMES, TABLES, WORKSHOP_FILE
from .tables import empty_frame

_TABLE_OF_FILE = {TABLES[n].file: n for n in TABLE_NAMES}


@dataclass
class Baseline:
    """What a table's file held when the workshop was last loaded or saved: to tell in-memory
    edits and on-disk changes apart, and to write the file back the way it was written.

    ``frame`` is the table as loaded (``None``: unknown, so every row counts as an edit);
    ``digest`` the sha256 of the file's bytes (``None``: there was no file; any other string
    that is not a sha256, such as ``"(from workbook)"``, says the file exists but its bytes
    are unknown, so saving an edit over it reports a conflict); ``dialect`` how it is written
    (delimiter, BOM, line breaks, decimal mark). ``texts`` and ``header_text`` are the text
    of each row of ``frame`` and of the header as they stand in the file (``None``: unknown):
    a save writes a row it did not change back as exactly that text, so that ``80%`` stays
    ``80%`` and ``0,50`` stays ``0,50``.
    """

    frame: pd.DataFrame | None = None
    digest: str | None = None
    dialect: Dialect = DEFAULT_DIALECT
    texts: list[str] | None = None
    header_text: str | None = None

    @property
    def existed(self) -> bool:
        """Whether the file existed (a save writes it back even when the table is emptied)."""
        return self.digest is not None


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
        years, month0 = divmod(last.month - 1 + self.review_every_months, 12)
        year, month = last.year + years, month0 + 1
        # 31 August + 6 months is the last day of February, not an invalid 31 February
        return dt.date(year, month, min(last.day, calendar.monthrange(year, month)[1]))

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
    blueprint = property(lambda self: self._get("blueprint"), lambda self, v: self._set("blueprint", v))

    def persona_name(self, persona_id: str) -> str:
        rows = self.personas[self.personas["id"] == persona_id]
        return str(rows["name"].iloc[0]) if len(rows) else persona_id

    # -- comparison and copies ---------------------------------------------------------
    def equals(self, other: object) -> bool:
        """Same metadata and same tables (values, columns and dtypes)."""
        if not isinstance(other, Workshop) or self.meta != other.meta:
            return False
        return all(frames_equal(self.tables[n], other.tables[n]) for n in TABLE_NAMES)

    __eq__ = equals
    __hash__ = None  # type: ignore[assignment]

    def copy(self) -> Workshop:
        """A deep copy that is detached from its folder (saving it needs a path)."""
        return Workshop(copy.deepcopy(self.meta), {n: f.copy() for n, f in self.tables.items()},
                        None, list(self.warnings))

    # -- what was last loaded or saved -------------------------------------------------
    def changed_tables(self) -> list[str]:
        """Tables edited in memory since load (all tables with rows when not loaded)."""
        out = []
        for name in TABLE_NAMES:
            base = self._baseline.get(name)
            frame = self.tables[name]
            if base is None or base.frame is None:
                if len(frame):
                    out.append(name)
            elif not frames_equal(frame, base.frame):
                out.append(name)
        return out

    def meta_changed(self) -> bool:
        """Whether the metadata differs from the ``workshop.yml`` last loaded or saved."""
        return self._meta_baseline is None or self._meta_baseline[0] != self.meta

    def baseline(self, table: str) -> Baseline:
        """What ``table``'s file held when last loaded or saved (``Baseline()``, no file, when
        the workshop was never loaded or saved)."""
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}; expected one of {', '.join(TABLE_NAMES)}")
        return self._baseline.get(table) or Baseline()

    def set_baseline(self, table: str, baseline: Baseline) -> None:
        """Declare what ``table``'s file holds, when that is known other than by reading it
        (e.g. a workbook that remembers which files existed and how they were written)."""
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}; expected one of {', '.join(TABLE_NAMES)}")
        self._baseline[table] = baseline

    def saved_meta_text(self) -> str | None:
        """The ``workshop.yml`` text last loaded or saved (``None`` when none was)."""
        return self._meta_baseline[1] if self._meta_baseline is not None else None

    def meta_text(self) -> str:
        """``workshop.yml`` text for the metadata: the text last loaded or saved, comments and
        layout kept, while the metadata is unchanged; a fresh dump otherwise."""
        if self._meta_baseline is not None and self._meta_baseline[0] == self.meta:
            return self._meta_baseline[1]
        return dump_meta(self.meta)

    def mark_saved(self, files: Mapping[str, bytes | None],
                   dialects: Mapping[str, Dialect] | None = None,
                   texts: Mapping[str, tuple[str, list[str]]] | None = None) -> None:
        """Record that ``files`` now hold this workshop as it is in memory: they were just
        read (a load) or written (a save).

        ``files`` maps file names (``workshop.yml``, ``personas.csv``, …) to their bytes, or
        to ``None`` for a table file that does not exist. The tables and metadata named stop
        counting as changed (:meth:`changed_tables`, :meth:`meta_changed`), a later save to
        the same folder compares the files on disk with these bytes to detect someone else's
        change, and ``workshop.yml`` is written back as this very text while the metadata
        stays unchanged. ``dialects`` (by table name) says how each CSV file is written;
        tables without one keep theirs. ``texts`` (by table name) gives the text of the
        header and of each row of the table as it is in memory, as the file holds them
        (see :class:`Baseline`); tables without one have none.
        """
        dialects = dialects or {}
        texts = texts or {}
        for file, data in files.items():
            if file == WORKSHOP_FILE:
                if data is None:
                    raise ValueError("workshop.yml cannot be marked as absent")
                self._meta_baseline = (copy.deepcopy(self.meta), data.decode("utf-8"))
                continue
            name = _TABLE_OF_FILE.get(file)
            if name is None:
                raise ValueError(f"unknown workshop file {file!r}; expected {WORKSHOP_FILE} "
                                 f"or one of {', '.join(_TABLE_OF_FILE)}")
            old = self._baseline.get(name)
            dialect = dialects.get(name) or (old.dialect if old is not None else DEFAULT_DIALECT)
            frame = self.tables[name]
            header_text, rows = texts.get(name, (None, None))
            if rows is not None and len(rows) != len(frame):
                raise ValueError(f"{len(rows)} row texts for the {len(frame)} rows of {name}")
            self._baseline[name] = Baseline(frame.copy(), None if data is None else digest(data),
                                            dialect, rows, header_text)


def frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Same columns, dtypes and values (text dtypes alike); two tables without rows are equal
    (no data)."""
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
