"""The future state (SPEC §9): a copy of a current-state map to design against, and the checks
that keep the two comparable."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import Problem, UsageError, quote
from ..model.paths import UnsafePath, workshop_reference
from ..model.schema import TABLES, WORKSHOP_FILE
from ..model.workshop import Workshop
from .folder import load, save


class NotCurrentState(UsageError):
    """A future state is made from a current-state map."""


def new_future(target: str | os.PathLike, current: str | os.PathLike) -> Path:
    """Copy the current-state map ``current`` into ``target`` (empty or absent) as its future
    state: ``state: future``, ``based_on`` the relative path back, the same ids (so the two
    compare), no dot votes (the future is voted on afresh). Returns ``target``."""
    target, current = Path(target), Path(current)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} is not empty; choose a new folder for the future state")
    ws = load(current)
    if ws.state != "current":
        raise NotCurrentState(f"{current} is a {ws.state}-state map; a future state is made "
                              "from a current-state map")
    meta = dict(ws.meta)
    meta["state"] = "future"
    target.mkdir(parents=True, exist_ok=True)
    meta["based_on"] = Path(os.path.relpath(current.resolve(), target.resolve())).as_posix()
    meta["title"] = f"{ws.title} — future state" if "future" not in ws.title.lower() else ws.title
    ws.meta = meta
    ws.votes = ws.votes.iloc[0:0]
    save(ws, target)
    from .starters import write_evidence_readme  # starters imports the folder store too

    write_evidence_readme(target)
    return target


# ids that tie a future state to its current state: (table, what they are called)
# (pain points and opportunities come and go by design: that is what the comparison shows)
_TIED = (("personas", "persona"), ("touchpoints", "touchpoint"))


def based_on_problems(ws: Workshop) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) about ``based_on``: it must be a current-state map; ids that are in
    one map and not the other are worth a look (they cannot be compared)."""
    based_on = ws.meta.get("based_on")
    if based_on in (None, "") or ws.path is None:
        return [], []
    try:
        folder = workshop_reference(ws.path, based_on)
        current = load(folder)
    except UnsafePath as exc:
        if not exc.missing:
            return [], []  # check_files reports a based_on that is not a workshop
        return [], [Problem(WORKSHOP_FILE, None, "based_on", quote(based_on),
                            f"the current-state map {based_on} is not there: this future state "
                            "cannot be compared with it until it is", "warning")]
    except OSError:
        return [], []
    except Exception as exc:  # noqa: BLE001 - any load failure of the other map is one message
        return [Problem(WORKSHOP_FILE, None, "based_on", quote(based_on),
                        f"the based_on workshop does not load: {str(exc).splitlines()[0]}")], []
    errors: list[Problem] = []
    warnings: list[Problem] = []
    if current.state != "current":
        errors.append(Problem(WORKSHOP_FILE, None, "based_on", quote(based_on),
                              f"based_on must name a current-state map; {based_on} is a "
                              f"{current.state}-state map"))
    stages_now, stages_then = set(ws.stage_ids), set(current.stage_ids)
    if stages_now != stages_then:
        warnings.append(_diverged(WORKSHOP_FILE, "stages", "stage", stages_now - stages_then,
                                  stages_then - stages_now, based_on))
    for table, noun in _TIED:
        now = set(ws.tables[table]["id"]) if "id" in ws.tables[table] else set()
        then = set(current.tables[table]["id"]) if "id" in current.tables[table] else set()
        if now != then and (now - then or then - now):
            warnings.append(_diverged(TABLES[table].file, "id", noun, now - then, then - now, based_on))
    return errors, [w for w in warnings if w is not None]


def _diverged(file: str, column: str, noun: str, added: set[str], gone: set[str],
              based_on: str) -> Problem:
    parts = []
    if added:
        parts.append(f"{len(added)} {noun} id(s) not in {based_on} ({', '.join(sorted(added)[:5])})")
    if gone:
        parts.append(f"{len(gone)} of its {noun} id(s) missing here ({', '.join(sorted(gone)[:5])})")
    return Problem(file, None, column, None,
                   "ids diverged from the current state: " + "; ".join(parts)
                   + " — they show as added or removed when the two are compared", "warning")


def comparison_pair(ws: Workshop, compare: str | os.PathLike | None = None) -> tuple[Workshop, Workshop] | None:
    """(current, future) to compare in ``ws``'s reports: ``ws`` and the ``compare`` map when
    one is given (``report CURRENT --compare FUTURE``), else the map a future-state ``ws`` is
    based on, when it is there; ``None`` when there is nothing to compare."""
    if compare:
        return ws, load(compare)
    based_on = ws.meta.get("based_on")
    if ws.state != "future" or not based_on or ws.path is None:
        return None
    try:
        return load(workshop_reference(ws.path, based_on)), ws
    except (UnsafePath, OSError):
        return None
