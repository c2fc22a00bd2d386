"""What the room's pickers offer, read from a loaded workshop (no widgets; no I/O but stat)."""

from __future__ import annotations

import os
from pathlib import Path

from ..model.checks import dots_spent
from ..model.schema import TABLES, WORKSHOP_FILE
from ..model.workshop import Workshop
from ..scoring import opportunity_table, pain_table
from ..vocab import FREQUENCY, IMPACT_VALUES, IMPACT_WORDS, NOT_SURE, SEVERITY, labelled, one_line, shorten

ROOM_DIR_ENV = "JOURNEYTOOLS_ROOM_DIR"
"""Environment variable naming the workshop folder the room's notebooks open."""

# The pickers' options, in the words the widgets and reports use too (``vocab``).
SEVERITY_LABELS = {v: labelled(SEVERITY, v) for v in SEVERITY}
FREQUENCY_LABELS = {v: labelled(FREQUENCY, v) for v in FREQUENCY}
IMPACT_LABELS = (("", NOT_SURE), *((v, labelled(IMPACT_WORDS, v)) for v in IMPACT_VALUES))

LABEL_CHARS = 70  # a picker option's text is cut to this many characters
MAX_NAME = 40
MAX_TEXT = 600


def room_folder(folder: str | os.PathLike | None = None) -> Path:
    """The workshop folder to open: ``folder`` when given, else ``$JOURNEYTOOLS_ROOM_DIR``."""
    value = folder if folder is not None else os.environ.get(ROOM_DIR_ENV)
    if not value:
        raise ValueError(f"no workshop folder: pass one, or set {ROOM_DIR_ENV} "
                         "(journeytools serve DIR does this for you)")
    return Path(value).expanduser().resolve()


def folder_signature(folder: Path) -> tuple:
    """A cheap fingerprint of the folder's files (name, size, mtime) to notice changes."""
    sig = []
    for name in [WORKSHOP_FILE, *(t.file for t in TABLES.values())]:
        try:
            st = (folder / name).stat()
        except OSError:
            continue
        sig.append((name, st.st_size, st.st_mtime_ns))
    return tuple(sig)


def stage_choices(ws: Workshop) -> list[tuple[str, str]]:
    """(label, stage id) in journey order."""
    return [(s.name or s.id, s.id) for s in ws.stages]


def touchpoint_choices(ws: Workshop, stage: str | None) -> list[tuple[str, str]]:
    """(label, touchpoint id) of one stage, in file order."""
    tp = ws.touchpoints
    if not len(tp):
        return []
    rows = tp[tp["stage"] == stage] if stage else tp
    return [(str(r["name"]) or str(r["id"]), str(r["id"])) for _, r in rows.iterrows()]


def persona_choices(ws: Workshop) -> list[tuple[str, str]]:
    """(label, persona id), starting with ``*`` (everyone)."""
    out = [("Everyone (all personas)", "*")]
    out += [(str(r["name"]) or str(r["id"]), str(r["id"])) for _, r in ws.personas.iterrows()]
    return out


def pain_choices(ws: Workshop, stage: str | None = None) -> list[tuple[str, str]]:
    """(label, pain point id) for the pain points of a stage (all stages when None)."""
    pains = pain_table(ws)
    if stage:
        pains = pains[pains["stage"] == stage]
    return [(shorten(one_line(r.description), LABEL_CHARS), str(r.id)) for r in pains.itertuples()]


def vote_choices(ws: Workshop, stage: str | None = None) -> list[tuple[str, str]]:
    """(label, item id) of what can be voted for: pain points, then ideas.

    With ``stage``, only that stage's items and ideas with no stage yet are offered.
    Labels are plain text (dropdown options are never rendered as HTML).
    """
    out = [(f"Pain · {label}", pid) for label, pid in pain_choices(ws, stage)]
    opps = opportunity_table(ws)
    if stage:
        opps = opps[(opps["stage"] == stage) | (opps["stage"] == "")]
    out += [(f"Idea · {shorten(one_line(r.title), LABEL_CHARS)}", str(r.id)) for r in opps.itertuples()]
    return out


def persona_steps(ws: Workshop, persona: str, stage: str | None, limit: int = LABEL_CHARS * 2) -> list[str]:
    """What ``persona`` does in ``stage`` (its steps' actions, in map order, cut to ``limit``)."""
    steps, tps = ws.steps, ws.touchpoints
    if not stage or persona in ("", "*") or not len(steps) or not len(tps):
        return []
    here = set(tps.loc[tps["stage"] == stage, "id"])
    mine = steps[(steps["persona"] == persona) & steps["touchpoint"].isin(here)]
    if "order" in mine.columns:
        mine = mine.sort_values("order", kind="mergesort", na_position="last")
    return [shorten(one_line(a), limit) for a in mine["action"] if one_line(a)]


def item_label(choices: list[tuple[str, str]] | tuple, value: str) -> str:
    """The text of the option ``value`` of a picker, without its "Pain · " or "Idea · " lead."""
    for label, v in choices:
        if v == value:
            return str(label).split(" · ", 1)[-1] if str(label).startswith(("Pain · ", "Idea · ")) else str(label)
    return value


def dots_left(ws: Workshop, voter: str) -> int:
    """Dots a voter may still spend (the full budget for a blank name)."""
    if not voter.strip():
        return ws.dots_per_voter
    return max(ws.dots_per_voter - dots_spent(ws.votes, voter), 0)


def clean_name(text: str) -> str:
    """A participant name as stored: inner whitespace collapsed; refuses blank and overlong."""
    name = " ".join(str(text).split())
    if not name:
        raise ValueError("enter your name first")
    if len(name) > MAX_NAME:
        raise ValueError(f"keep your name under {MAX_NAME} characters")
    if name[0] in "=+-@":
        raise ValueError("a name cannot start with = + - or @ "
                         "(spreadsheets read those as formulas)")
    return name


def clean_text(what: str, text: str, limit: int = MAX_TEXT) -> str:
    """Free text as typed, refusing blank and overlong entries."""
    if not str(text).strip():
        raise ValueError(f"{what} must not be blank")
    if len(text) > limit:
        raise ValueError(f"{what} is too long ({len(text)} characters); keep it under {limit}")
    return str(text)
