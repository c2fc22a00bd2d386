"""The evidence mapping file: which columns hold user, event and time, and which events are which touchpoint.

The YAML shape (every key but ``touchpoints`` is optional)::

    preset: ga4                    # GA4 BigQuery export: user_pseudo_id, event_name,
                                   # event_timestamp (integer microseconds since 1970, UTC)
    events: events.csv.gz          # event log, relative to this file (or --events)
    columns: {user: user_id, event: event, timestamp: timestamp, segment: platform}
    timestamp_unit: auto           # auto | s | ms | us | ns: unit of numeric epoch timestamps
    touchpoints:                   # touchpoint id: event name or list of event names
      product-page: product_view
      cart: [add_to_cart, cart_view]
      checkout: begin_checkout
    funnel: [product-page, cart, checkout]   # ordered path for conversion and drop-off
    issues:                        # error/abandon events, counted per month per touchpoint
      cart: [cart_error]
    survey:                        # CSAT/NPS export (see journeytools.evidence.survey)
      file: survey.csv
      scale: csat                  # csat (1–5) or nps (0–10) for rows without a 'kind' column
    privacy: {min_users: 5, keep_comments: false}

>>> m = parse_mapping("columns: {user: uid}\\ntouchpoints: {cart: add_to_cart}\\n")
>>> m.user, m.event, m.touchpoints
('uid', 'event', {'cart': ('add_to_cart',)})
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, ValidationError, quote
from ..model.meta import parse_yaml
from ..model.paths import shape_problem

URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:/")  # s3://, https://, gs://, file:// (not C:/)

UNITS = ("auto", "s", "ms", "us", "ns")
SCALES = ("csat", "nps")
PRESETS: dict[str, dict[str, Any]] = {
    # GA4 export to BigQuery (flattened): one row per event, event_timestamp in microseconds.
    "ga4": {"columns": {"user": "user_pseudo_id", "event": "event_name",
                        "timestamp": "event_timestamp"},
            "timestamp_unit": "us"},
}
KNOWN_KEYS = ("preset", "events", "columns", "timestamp_unit", "touchpoints", "funnel", "issues",
              "survey", "privacy")
DEFAULT_MIN_USERS = 5


@dataclass(frozen=True)
class Privacy:
    """Privacy rules: rows with fewer than ``min_users`` users are suppressed."""

    min_users: int = DEFAULT_MIN_USERS
    keep_comments: bool = False


@dataclass(frozen=True)
class SurveySpec:
    """Where a CSAT/NPS export is and how to read it."""

    file: str | None = None
    scale: str = "csat"
    columns: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Mapping:
    """A parsed, checked mapping file. Immutable: use :meth:`replace` for overrides."""

    touchpoints: dict[str, tuple[str, ...]]
    user: str = "user_id"
    event: str = "event"
    timestamp: str = "timestamp"
    segment: str | None = None
    timestamp_unit: str = "auto"
    funnel: tuple[str, ...] | None = None
    issues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    events: str | None = None
    survey: SurveySpec | None = None
    privacy: Privacy = Privacy()
    preset: str | None = None
    file: str = "mapping.yml"
    base: Path | None = None  # folder relative paths are resolved against

    def replace(self, **changes: Any) -> Mapping:
        """A copy with some fields changed (``segment=``, ``min_users=``, ``keep_comments=``)."""
        privacy = self.privacy
        if changes.get("min_users") is not None:
            privacy = dataclasses.replace(privacy, min_users=int(changes["min_users"]))
        if changes.get("keep_comments") is not None:
            privacy = dataclasses.replace(privacy, keep_comments=bool(changes["keep_comments"]))
        changes = {k: v for k, v in changes.items()
                   if v is not None and k not in ("min_users", "keep_comments")}
        return dataclasses.replace(self, privacy=privacy, **changes)

    def event_map(self) -> dict[str, tuple[str, bool]]:
        """event name -> (touchpoint id, counts as reaching it). Issue-only events don't reach."""
        out = {e: (tp, False) for tp, names in self.issues.items() for e in names}
        out.update({e: (tp, True) for tp, names in self.touchpoints.items() for e in names})
        return out

    def resolve(self, path: str | None) -> Path | None:
        """A path from the mapping, relative to the mapping file's folder."""
        if not path:
            return None
        p = Path(path)
        return p if p.is_absolute() or self.base is None else self.base / p


def load_mapping(path: str | Path, touchpoint_ids: Iterable[str] | None = None) -> Mapping:
    """Read and check a mapping file; raises ``ValidationError`` listing every problem.

    With ``touchpoint_ids`` (the workshop's touchpoints), every id used must be one of them.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError([Problem(str(path), None, None, None,
                                       "mapping file not found")]) from None
    except IsADirectoryError:
        raise ValidationError([Problem(str(path), None, None, None,
                                       "is a folder; expected a YAML mapping file")]) from None
    except UnicodeDecodeError:
        raise ValidationError([Problem(str(path), None, None, None,
                                       "not a UTF-8 text file; expected a YAML mapping")]) from None
    return parse_mapping(text, touchpoint_ids, file=str(path), base=path.parent)


def parse_mapping(text: str, touchpoint_ids: Iterable[str] | None = None,
                  file: str = "mapping.yml", base: Path | None = None) -> Mapping:
    """Parse mapping YAML text (see the module docstring for the shape)."""
    # the same guarded reader as workshop.yml: no aliases, bounded nesting and size, never raises
    data, lines, problems = parse_yaml(text, file)
    if problems:
        raise ValidationError(problems)
    if not isinstance(data, dict):
        raise ValidationError([Problem(file, 1, None, quote(data), "expected a mapping with at "
                                       "least 'touchpoints:' (touchpoint id: event names)")])
    return _Checker(data, lines, file, base, touchpoint_ids).run()


class _Checker:
    def __init__(self, data: dict, lines: dict, file: str, base: Path | None,
                 known: Iterable[str] | None) -> None:
        self.data, self.lines, self.file, self.base = data, lines, file, base
        self.known = None if known is None else list(known)
        self.problems: list[Problem] = []

    def bad(self, path: tuple, value: Any, message: str) -> None:
        line = self.lines.get(path) or self.lines.get(path[:1]) or self.lines.get(())
        self.problems.append(Problem(self.file, line, ".".join(str(p) for p in path) or None,
                                     None if value is None else quote(value), message))

    def tp_id(self, path: tuple, raw: Any) -> str | None:
        tp = str(raw).strip().lower() if raw is not None else ""
        if not tp:
            self.bad(path, raw, "expected a touchpoint id")
            return None
        if self.known is not None and tp not in self.known:
            close = difflib.get_close_matches(tp, self.known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            self.bad(path, raw, f"unknown touchpoint {quote(raw)}{hint}; touchpoints.csv has "
                     f"{', '.join(self.known[:12])}{' …' if len(self.known) > 12 else ''}")
            return None
        return tp

    def names(self, path: tuple, value: Any) -> tuple[str, ...]:
        items = value if isinstance(value, list) else [value]
        out = []
        for i, item in enumerate(items):
            if item is None or isinstance(item, (dict, list)) or not str(item).strip():
                self.bad(path + ((i,) if isinstance(value, list) else ()), item,
                         "expected an event name or a list of event names")
            else:
                out.append(str(item))
        return tuple(out)

    def tp_section(self, key: str, seen: dict[str, str]) -> dict[str, tuple[str, ...]]:
        section = self.data.get(key) or {}
        if not isinstance(section, dict):
            self.bad((key,), section, f"expected '{key}:' to map touchpoint ids to event names")
            return {}
        out: dict[str, tuple[str, ...]] = {}
        for raw, value in section.items():
            tp = self.tp_id((key, raw), raw)
            names = self.names((key, raw), value)
            if tp is None:
                continue
            for name in names:
                other = seen.get(name)
                if other is not None and other != tp:
                    self.bad((key, raw), name, f"event {name!r} is already mapped to touchpoint "
                             f"{other!r}; an event can belong to one touchpoint only")
                seen[name] = tp
            out[tp] = names
        return out

    def run(self) -> Mapping:
        d = self.data
        kw: dict[str, Any] = {}
        for key in d:
            if key not in KNOWN_KEYS:
                self.bad((key,), key, f"unknown key; expected one of {', '.join(KNOWN_KEYS)}")
        preset = d.get("preset")
        columns: dict[str, Any] = {}
        unit = "auto"
        if preset is not None:
            if str(preset).lower() not in PRESETS:
                self.bad(("preset",), preset, f"unknown preset; known: {', '.join(PRESETS)}")
            else:
                preset = str(preset).lower()
                columns.update(PRESETS[preset]["columns"])
                unit = PRESETS[preset].get("timestamp_unit", unit)
        cols = d.get("columns") or {}
        if not isinstance(cols, dict):
            self.bad(("columns",), cols, "expected {user: ..., event: ..., timestamp: ..., segment: ...}")
            cols = {}
        for role, name in cols.items():
            if role not in ("user", "event", "timestamp", "segment"):
                self.bad(("columns", role), role, "expected one of user, event, timestamp, segment")
            elif name is None or not str(name).strip():
                self.bad(("columns", role), name, f"expected the name of the {role} column")
            else:
                columns[role] = str(name)
        unit = str(d.get("timestamp_unit", unit)).lower()
        if unit not in UNITS:
            self.bad(("timestamp_unit",), unit, f"expected one of {', '.join(UNITS)}")
        seen: dict[str, str] = {}
        tps = self.tp_section("touchpoints", seen)
        if "touchpoints" not in d:
            self.bad((), None, "'touchpoints:' is required: touchpoint id: event name(s)")
        issues = self.tp_section("issues", seen)
        funnel = self._funnel(tps)
        kw.update(touchpoints=tps, issues=issues, funnel=funnel, timestamp_unit=unit,
                  user=columns.get("user", "user_id"), event=columns.get("event", "event"),
                  timestamp=columns.get("timestamp", "timestamp"), segment=columns.get("segment"),
                  preset=preset if isinstance(preset, str) else None, survey=self._survey(),
                  privacy=self._privacy(), file=self.file, base=self.base)
        events = d.get("events")
        if events is not None and not isinstance(events, str):
            self.bad(("events",), events, "expected a file path")
        elif isinstance(events, str) and not URI.match(events):
            why = shape_problem(events, "event log")  # inside the workshop: no absolute path, no ..
            if why:
                self.bad(("events",), events, why)
        kw["events"] = events if isinstance(events, str) else None
        if self.problems:
            raise ValidationError(self.problems)
        return Mapping(**kw)

    def _funnel(self, tps: dict[str, tuple[str, ...]]) -> tuple[str, ...] | None:
        raw = self.data.get("funnel")
        if raw is None:
            return None
        if not isinstance(raw, list) or not raw:
            self.bad(("funnel",), raw, "expected a list of touchpoint ids, e.g. [product-page, cart]")
            return None
        out: list[str] = []
        for i, item in enumerate(raw):
            tp = self.tp_id(("funnel", i), item)
            if tp is None:
                continue
            if tp in out:
                self.bad(("funnel", i), item, f"touchpoint {tp!r} is twice in the funnel")
            elif tp not in tps:
                self.bad(("funnel", i), item, f"funnel step {tp!r} has no events: add it under "
                         "'touchpoints:'")
            out.append(tp)
        return tuple(out)

    def _privacy(self) -> Privacy:
        raw = self.data.get("privacy") or {}
        if not isinstance(raw, dict):
            self.bad(("privacy",), raw, "expected {min_users: 5, keep_comments: false}")
            return Privacy()
        k = raw.get("min_users", DEFAULT_MIN_USERS)
        if not isinstance(k, int) or isinstance(k, bool) or k < 1:
            self.bad(("privacy", "min_users"), k, "expected a whole number of users, 1 or more")
            k = DEFAULT_MIN_USERS
        keep = raw.get("keep_comments", False)
        if not isinstance(keep, bool):
            self.bad(("privacy", "keep_comments"), keep, "expected true or false")
            keep = False
        return Privacy(k, keep)

    def _survey(self) -> SurveySpec | None:
        raw = self.data.get("survey")
        if raw is None:
            return None
        if isinstance(raw, str):
            raw = {"file": raw}
        if not isinstance(raw, dict):
            self.bad(("survey",), raw, "expected {file: survey.csv, scale: csat}")
            return None
        scale = str(raw.get("scale", "csat")).lower()
        if scale not in SCALES:
            self.bad(("survey", "scale"), scale, f"expected one of {', '.join(SCALES)}")
        cols = raw.get("columns") or {}
        if not isinstance(cols, dict):
            self.bad(("survey", "columns"), cols, "expected {score: ..., comment: ...}")
            cols = {}
        file = raw.get("file")
        why = shape_problem(file, "survey file") if isinstance(file, str) and not URI.match(file) else None
        if why:
            self.bad(("survey", "file"), file, why)
        return SurveySpec(file, scale, {str(k): str(v) for k, v in cols.items()})
