"""Checks across tables: references resolve, budgets hold, the files that ``workshop.yml``
names are safe to read (:func:`check_files`), and warnings worth a look."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import Problem, quote
from ..vocab import ELLIPSIS, SLUG
from .meta import MAX_YAML_BYTES, parse_yaml, stages_of
from .paths import UnsafePath, read_contained, read_image, shape_problem, workshop_reference
from .personal import scan_cells, scan_evidence
from .schema import TABLES, WORKSHOP_FILE, formula_lead, formula_message
from .workshop import Workshop

Lines = Mapping[str, Sequence[int]]


def _lines(lines: Lines, table: str, n: int) -> Sequence[int]:
    got = lines.get(table)
    return got if got is not None and len(got) == n else list(range(2, n + 2))


def _check_refs(file: str, column: str, values: Iterable[str], line_nos: Sequence[int],
                known: set[str], what: str, allow: Iterable[str] = ()) -> list[Problem]:
    ok = known | set(allow) | {""}
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    bad = (~series.isin(ok)).to_numpy()
    if not bad.any():
        return []
    out = []
    for value, line, is_bad in zip(series.tolist(), line_nos, bad):
        if is_bad and value:
            hint = ", ".join(sorted(known)[:8]) + (f", {ELLIPSIS}" if len(known) > 8 else "")
            out.append(Problem(file, line, column, quote(value),
                               f"unknown {what} {quote(value)}; expected one of: {hint or '(none defined)'}"))
    return out


def cross_check(ws: Workshop, lines: Lines, broken: Iterable[str] = ()) -> list[Problem]:
    """Every unresolved reference, with file and line.

    References into a ``broken`` table (one that could not be read) are not checked, so one
    bad header does not bury the real problems under a flood of unknown references.
    """
    problems: list[Problem] = []
    broken = set(broken)
    stage_ids = {s.id for s in stages_of(ws.meta)}
    def ids(frame: pd.DataFrame) -> set[str]:
        # invalid ids are reported on their own line; they are not offered as valid targets
        return {v for v in frame["id"].tolist() if v and SLUG.match(v)} if "id" in frame else set()

    persona_ids, tp_ids = ids(ws.personas), ids(ws.touchpoints)
    pain_ids, opp_ids = ids(ws.pain_points), ids(ws.opportunities)

    source = {"stage": "workshop", "persona": "personas", "touchpoint": "touchpoints",
              "pain point or opportunity": "pain_points"}

    def check(table: str, column: str, known: set[str], what: str, allow: Iterable[str] = ()) -> None:
        if source[what] in broken or table in broken or (what.startswith("pain") and "opportunities" in broken):
            return
        frame = ws.tables[table]
        if column in frame.columns and len(frame):
            problems.extend(_check_refs(f"{table}.csv", column, frame[column],
                                        _lines(lines, table, len(frame)), known, what, allow))

    check("touchpoints", "stage", stage_ids, "stage")
    check("steps", "persona", persona_ids, "persona")
    check("steps", "touchpoint", tp_ids, "touchpoint")
    check("pain_points", "persona", persona_ids, "persona", allow=("*",))
    check("pain_points", "touchpoint", tp_ids, "touchpoint")
    check("opportunities", "stage", stage_ids, "stage")
    check("votes", "item", pain_ids | opp_ids, "pain point or opportunity")
    check("kpis", "stage", stage_ids, "stage")
    check("kpis", "touchpoint", tp_ids, "touchpoint")
    check("blueprint", "touchpoint", tp_ids, "touchpoint")
    check("blueprint", "persona", persona_ids, "persona", allow=("*", ""))

    opps = ws.opportunities
    if "addresses" in opps.columns and len(opps) and "pain_points" not in broken:
        for value, line in zip(opps["addresses"].tolist(), _lines(lines, "opportunities", len(opps))):
            for ref in filter(None, str(value).split(";")):
                if ref not in pain_ids:
                    problems.append(Problem("opportunities.csv", line, "addresses", quote(ref),
                                            f"unknown pain point {quote(ref)} in addresses; "
                                            "expected ids from pain_points.csv separated by ';'"))
    blueprint = ws.blueprint
    if "causes" in blueprint.columns and len(blueprint) and "pain_points" not in broken:
        for value, line in zip(blueprint["causes"].tolist(), _lines(lines, "blueprint", len(blueprint))):
            for ref in filter(None, str(value).split(";")):
                if ref not in pain_ids:
                    problems.append(Problem("blueprint.csv", line, "causes", quote(ref),
                                            f"unknown pain point {quote(ref)} in causes; "
                                            "expected ids from pain_points.csv separated by ';'"))
    kpis = ws.kpis
    if len(kpis):
        for i, line in enumerate(_lines(lines, "kpis", len(kpis))):
            st = kpis["stage"].iloc[i] if "stage" in kpis else ""
            tp = kpis["touchpoint"].iloc[i] if "touchpoint" in kpis else ""
            if not st and not tp:
                problems.append(Problem("kpis.csv", line, "stage/touchpoint", "",
                                        "a KPI needs a stage or a touchpoint"))
    return problems


def warnings_for(ws: Workshop, lines: Lines, today: dt.date | None = None) -> list[Problem]:
    """Things worth a look that do not make the map invalid."""
    out: list[Problem] = []
    if ws.is_stale(today):
        out.append(Problem(WORKSHOP_FILE, None, "reviewed", str(ws.reviewed),
                           f"the map was last reviewed on {ws.reviewed} and was due for review on "
                           f"{ws.review_due()} (every {ws.review_every_months} months): it may be stale",
                           "warning"))
    if not len(ws.personas):
        out.append(Problem("personas.csv", None, None, None,
                           "no personas yet: a journey map needs at least one", "warning"))
    steps, tps, pains = ws.steps, ws.touchpoints, ws.pain_points
    walked = set(steps["persona"].tolist()) if len(steps) else set()
    for pid, line in zip(ws.personas["id"].tolist(), _lines(lines, "personas", len(ws.personas))):
        if pid not in walked:
            out.append(Problem("personas.csv", line, "id", quote(pid),
                               f"persona {quote(pid)} has no steps in steps.csv yet", "warning"))
    visited = set(steps["touchpoint"].tolist()) if len(steps) else set()
    for tid, line in zip(tps["id"].tolist(), _lines(lines, "touchpoints", len(tps))):
        if tid not in visited:
            out.append(Problem("touchpoints.csv", line, "id", quote(tid),
                               f"touchpoint {quote(tid)} is not visited by any persona", "warning"))
    if len(pains):
        evidence = pains["evidence"].tolist() if "evidence" in pains else [""] * len(pains)
        for pid, ev, line in zip(pains["id"].tolist(), evidence, _lines(lines, "pain_points", len(pains))):
            if not ev or not str(ev).strip():
                out.append(Problem("pain_points.csv", line, "evidence", quote(pid),
                                   f"pain point {quote(pid)} has no evidence: is it an assumption?",
                                   "warning"))
    votes = ws.votes
    if len(votes):
        spent = _spent(votes)
        for voter, total in spent.items():
            if total > ws.dots_per_voter:
                out.append(Problem("votes.csv", None, "voter", quote(voter),
                                   f"{voter} spent {total} dots; the budget is {ws.dots_per_voter}",
                                   "warning"))
    logo = ws.branding.get("logo")
    if logo and ws.path is not None and not shape_problem(logo, "logo") \
            and not os.path.lexists(Path(ws.path) / str(logo)):
        out.append(Problem(WORKSHOP_FILE, _meta_lines(ws.meta_text()).get(("branding", "logo")),
                           "branding.logo", quote(logo),
                           f"logo file {quote(logo)} not found next to workshop.yml", "warning"))
    out += formula_warnings(ws, lines)
    out += personal_warnings(ws, lines)
    return out


# A cell worth the full personal-data check: an '@', or a run of 9 or more digits and separators.
_MAYBE_PERSONAL = r"@|\d[\d ().-]{7,}\d"


def personal_warnings(ws: Workshop, lines: Lines) -> list[Problem]:
    """A warning for every text cell and every line of an ``evidence/`` text file that seems to
    hold an e-mail address, phone number or card number (see :mod:`.personal`), without the
    value."""
    out: list[Problem] = []
    for file, column, series, rows in _text_columns(ws, lines):
        maybe = series.astype(str).str.contains(_MAYBE_PERSONAL, regex=True, na=False).to_numpy()
        for i in np.flatnonzero(maybe).tolist():
            out += scan_cells(file, column, [series.iloc[i]], [rows[i]])
    if ws.path is not None:
        out += scan_evidence(Path(ws.path))
    return out


def _text_columns(ws: Workshop, lines: Lines) -> Iterator[tuple[str, str, pd.Series, Sequence[int]]]:
    """(file, column, cells, line of each row) of every free-text column of every table with
    rows: columns of numbers, ids, references and choices are checked by their own rules."""
    for name, spec in TABLES.items():
        frame = ws.tables[name]
        if not len(frame):
            continue
        rows = _lines(lines, name, len(frame))
        for column in frame.columns:
            col = spec.by_name.get(str(column))
            if col is not None and col.kind != "text":
                continue
            series = frame[column]
            if series.dtype != object and not pd.api.types.is_string_dtype(series.dtype):
                continue
            yield spec.file, str(column), series, rows


def formula_warnings(ws: Workshop, lines: Lines) -> list[Problem]:
    """A warning for every text cell a spreadsheet would run as a formula (``=…``, ``+…``,
    ``@…``; ``-…`` unless it is a number), naming file, line and column. Columns of numbers,
    ids, references and choices are checked by their own rules instead."""
    out: list[Problem] = []
    for file, column, series, rows in _text_columns(ws, lines):
        first = series.map(lambda v: v[:1] if isinstance(v, str) else "")
        candidates = np.flatnonzero(first.isin(("=", "+", "-", "@", "\t", "\r")).to_numpy())
        for i in candidates.tolist():
            text = series.iloc[i]
            lead = formula_lead(text)
            if lead:
                out.append(Problem(file, rows[i], column, quote(text),
                                   formula_message(lead) + "; start it with a word if it "
                                   "is meant as text", "warning"))
    return out


def _meta_lines(text: str | None) -> Mapping[tuple, int]:
    if not text:
        return {}
    return parse_yaml(text, WORKSHOP_FILE)[1]


def check_files(ws_folder: str | os.PathLike, meta: Mapping[str, Any],
                text: str | None = None) -> list[Problem]:
    """Problems with the files ``workshop.yml`` names, found on disk (``workshop.yml:N``).

    ``meta`` is the checked metadata (``Workshop.meta``); ``text`` the ``workshop.yml`` text
    it came from, for line numbers (default: read from ``ws_folder``). The logo must be an
    image (by content: PNG, JPEG, GIF, WebP, script-free SVG) of at most 2 MB, a regular file
    inside the folder, not reached through a symbolic link leading outside; a missing logo is
    only a warning (see :func:`warnings_for`) and is not reported here. ``based_on`` must
    name a workshop folder (it may be outside this one). Paths whose shape is wrong were
    reported by :func:`~journeytools.model.meta.load_meta` and are skipped.
    """
    folder = Path(ws_folder)
    found: list[tuple[tuple, str, UnsafePath]] = []
    branding = meta.get("branding")
    logo = branding.get("logo") if isinstance(branding, Mapping) else None
    if logo not in (None, "") and not shape_problem(logo, "logo"):
        try:
            read_image(folder, logo, kind="logo")
        except UnsafePath as exc:
            if not exc.missing:
                found.append((("branding", "logo"), "branding.logo", exc))
    based_on = meta.get("based_on")
    if based_on is not None and not shape_problem(based_on, "based_on", allow_parent=True):
        try:
            workshop_reference(folder, based_on)
        except UnsafePath as exc:
            if not exc.missing:  # a missing one is a warning (validate): the map stands alone
                found.append((("based_on",), "based_on", exc))
    if not found:
        return []
    if text is None:
        try:
            text = read_contained(folder, WORKSHOP_FILE, kind=WORKSHOP_FILE,
                                  max_bytes=MAX_YAML_BYTES).decode("utf-8-sig", "replace")
        except UnsafePath:
            text = None
    lines = _meta_lines(text)
    return [exc.problem(WORKSHOP_FILE, lines.get(path) or lines.get(path[:1]), column)
            for path, column, exc in found]


def voter_key(voter: str) -> str:
    """Voters are matched case- and space-insensitively."""
    return " ".join(str(voter).split()).casefold()


def _spent(votes: pd.DataFrame) -> dict[str, int]:
    n = votes["votes"].fillna(1).astype(int) if "votes" in votes else pd.Series(1, index=votes.index)
    keys = votes["voter"].map(voter_key)
    totals = n.groupby(keys).sum()
    return {k: int(v) for k, v in totals.items()}


def dots_spent(votes: pd.DataFrame, voter: str) -> int:
    """Dots a voter has spent so far."""
    return _spent(votes).get(voter_key(voter), 0) if len(votes) else 0
