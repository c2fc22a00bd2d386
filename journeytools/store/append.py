"""Concurrent-safe additions for many writers at once (the live room, scripts).

Each call takes the folder lock, re-reads the workshop from disk, checks the new row, appends
it and saves only the table it touched, so no concurrent addition is lost and the folder
always validates.

Text that a spreadsheet would run as a formula when someone opens the CSV file (starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return; a signed number such as ``-20%`` is
fine) is refused with a ``UsageError`` that says so, not stored altered: participants are
not trusted as the facilitator is, and a refused entry is retyped in a second, whereas a
quietly added ``'`` would show in every report. ``validate`` warns about such cells typed
into the files directly.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from pathlib import Path

import pandas as pd

from ..errors import UsageError
from ..model.checks import dots_spent
from ..model.schema import IMPACT_VALUES, OPPORTUNITY_KINDS, SOURCES, TABLES, formula_lead
from ..model.tables import NUMERIC, column_series
from ..model.workshop import Workshop
from ..vocab import SLUG
from .folder import folder_lock, load, save_changes


def _append(ws: Workshop, table: str, row: dict) -> None:
    """Add one row, keeping the table's columns (extra ones blank) and dtypes."""
    frame = ws.tables[table]
    spec = TABLES[table]
    columns = list(frame.columns) + [k for k in row if k not in frame.columns]
    data = {}
    for name in columns:
        col = spec.by_name.get(name)
        value = row.get(name)
        if value is None and not (col is not None and col.kind in NUMERIC):
            value = ""
        data[name] = column_series([value], col)
    new = pd.DataFrame(data)
    ws.tables[table] = pd.concat([frame, new], ignore_index=True) if len(frame) else new


def _now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


def slugify(text: str, limit: int = 40) -> str:
    """A slug from free text (ASCII, lower case, dashes), never empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    return slug or "item"


def _unique_id(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _plain(what: str, text: object) -> str:
    """``text`` as given, refused when a spreadsheet would run it as a formula."""
    value = "" if text is None else str(text)
    lead = formula_lead(value)
    if lead:
        raise UsageError(f"{what} cannot start with {lead!r}: a spreadsheet would run it as a "
                         "formula; start it with a word instead")
    return value


def _new_id(given: str | None, text: str, taken: set[str]) -> str:
    new_id = (given or "").strip().lower() or _unique_id(slugify(text), taken)
    if not SLUG.match(new_id):
        raise UsageError(f"id {new_id!r} is not a slug; use lower-case letters, digits, '-' or '_'")
    if new_id in taken:
        raise UsageError(f"id {new_id!r} is already taken")
    return new_id


def _score(name: str, value: object) -> int:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise UsageError(f"{name} must be an integer from 1 to 5, got {value!r}") from None
    if not number.is_integer() or not 1 <= number <= 5:
        raise UsageError(f"{name} must be an integer from 1 to 5, got {value!r}")
    return int(number)


def add_vote(folder: str | os.PathLike, voter: str, item: str, votes: int = 1) -> int:
    """Record dot votes for a pain point or opportunity; returns the voter's dots left.

    Raises ``ValueError`` for an unknown item, a blank voter, or past the dot budget.
    """
    folder = Path(folder)
    if not str(voter).strip():
        raise UsageError("voter must not be blank: enter your name first")
    voter = _plain("a name", voter)
    if not isinstance(votes, int) or isinstance(votes, bool) or votes < 1:
        raise UsageError(f"votes must be a whole number, 1 or more, got {votes!r}")
    item = str(item).strip().lower()
    with folder_lock(folder):
        ws = load(folder)
        known = set(ws.pain_points["id"]) | set(ws.opportunities["id"])
        if item not in known:
            raise UsageError(f"unknown item {item!r}: vote for a pain point or opportunity id")
        spent = dots_spent(ws.votes, voter)
        if spent + votes > ws.dots_per_voter:
            raise UsageError(f"{voter} has {ws.dots_per_voter - spent} of {ws.dots_per_voter} dots "
                             f"left; cannot spend {votes}")
        _append(ws, "votes", {"voter": voter, "item": item, "votes": votes, "at": _now()})
        save_changes(ws, folder)
        return ws.dots_per_voter - spent - votes


def add_pain_point(folder: str | os.PathLike, persona: str, touchpoint: str, description: str,
                   severity: int, frequency: int, evidence: str = "",
                   source: str = "assumption", id: str | None = None) -> str:
    """Append a pain point; returns its id (made from the description when not given)."""
    folder = Path(folder)
    if not str(description).strip():
        raise UsageError("description must not be blank: what goes wrong for the customer?")
    description = _plain("the description", description)
    evidence = _plain("the evidence", evidence)
    sev, freq = _score("severity", severity), _score("frequency", frequency)
    source = (source or "assumption").strip().lower()
    if source not in SOURCES:
        raise UsageError(f"source must be one of {', '.join(SOURCES)}, got {source!r}")
    persona, touchpoint = persona.strip().lower(), touchpoint.strip().lower()
    with folder_lock(folder):
        ws = load(folder)
        if persona != "*" and persona not in set(ws.personas["id"]):
            raise UsageError(f"unknown persona {persona!r}")
        if touchpoint not in set(ws.touchpoints["id"]):
            raise UsageError(f"unknown touchpoint {touchpoint!r}")
        taken = set(ws.pain_points["id"]) | set(ws.opportunities["id"])
        new_id = _new_id(id, description, taken)
        _append(ws, "pain_points", {"id": new_id, "persona": persona, "touchpoint": touchpoint,
                                    "description": description, "severity": sev,
                                    "frequency": freq, "evidence": evidence, "source": source})
        save_changes(ws, folder)
        return new_id


def add_opportunity(folder: str | os.PathLike, title: str, description: str = "",
                    addresses: str = "", impact: float | None = None,
                    id: str | None = None, owner: str = "", kind: str = "",
                    stage: str = "") -> str:
    """Append an opportunity idea (status ``idea``); returns its id.

    ``kind`` is one of the opportunity kinds (fix, content, campaign, …) or blank; ``stage`` a
    stage id, or blank for the stage of the pain points it addresses.
    """
    folder = Path(folder)
    if not str(title).strip():
        raise UsageError("title must not be blank: name the idea")
    title = _plain("the title", title)
    description = _plain("the details", description)
    owner = _plain("the owner", owner)
    if impact is not None and float(impact) not in IMPACT_VALUES:
        raise UsageError(f"impact must be one of 0.25, 0.5, 1, 2, 3, got {impact!r}")
    kind, stage = (kind or "").strip().lower(), (stage or "").strip().lower()
    if kind and kind not in OPPORTUNITY_KINDS:
        raise UsageError(f"kind must be one of {', '.join(OPPORTUNITY_KINDS)}, got {kind!r}")
    refs = ";".join(p.strip().lower() for p in re.split(r"[;,]", addresses or "") if p.strip())
    with folder_lock(folder):
        ws = load(folder)
        pains = set(ws.pain_points["id"])
        unknown = [r for r in refs.split(";") if r and r not in pains]
        if unknown:
            raise UsageError(f"unknown pain point(s) {', '.join(unknown)} in addresses")
        if stage and stage not in ws.stage_ids:
            raise UsageError(f"unknown stage {stage!r}")
        taken = pains | set(ws.opportunities["id"])
        new_id = _new_id(id, title, taken)
        row = {"id": new_id, "title": title, "description": description, "addresses": refs,
               "impact": impact, "owner": owner, "status": "idea"}
        # kind and stage only when given (or already columns), so old files keep their shape
        row.update({k: v for k, v in (("kind", kind), ("stage", stage))
                    if v or k in ws.opportunities.columns})
        _append(ws, "opportunities", row)
        save_changes(ws, folder)
        return new_id
