"""The workshop folder's tables: their files, columns, kinds and allowed values (SPEC §2)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from ..vocab import IMPACT_VALUES  # also read from here by the importers of the schema

Kind = Literal["id", "ref", "refs", "text", "int", "float", "enum", "date", "timestamp", "percent"]

SOURCES = ("analytics", "survey", "interview", "observation", "support", "assumption")
STATUSES = ("idea", "planned", "in-progress", "done", "dropped")
OPPORTUNITY_KINDS = ("fix", "content", "campaign", "personalisation", "process", "product")
TOUCHPOINT_KINDS = ("online", "offline")
STATES = ("current", "future")


@dataclass(frozen=True)
class Column:
    """How one column is parsed and checked."""

    name: str
    kind: Kind = "text"
    required: bool = False
    low: float | None = None  # inclusive unless low_open
    high: float | None = None
    low_open: bool = False
    choices: tuple = ()
    expected: str = ""  # what the message says was expected


@dataclass(frozen=True)
class Table:
    """One CSV file of the workshop folder."""

    name: str
    columns: tuple[Column, ...]
    must_exist: bool = False
    one_of: tuple[str, ...] = ()  # at least one of these columns must be present
    id_column: str | None = "id"
    by_name: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {c.name: c for c in self.columns})

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


def _score(name: str, required: bool = False) -> Column:
    return Column(name, "int", required, 1, 5, expected="an integer from 1 to 5")


PERSONAS = Table(
    "personas",
    (
        Column("id", "id", True),
        Column("name", "text", True),
        Column("segment"),
        Column("description"),
        Column("goals"),
        Column("needs"),
        Column("frustrations"),
        Column("channels"),
        Column("quote"),
        Column("weight", "float", low=0, low_open=True, expected="a number greater than 0"),
        Column("data_sources"),
        Column("influencers"),  # people who shape the experience: "partner; installer" (;-separated)
    ),
    must_exist=True,
)

TOUCHPOINTS = Table(
    "touchpoints",
    (
        Column("id", "id", True),
        Column("stage", "ref", True),
        Column("name", "text", True),
        Column("channel"),
        Column("kind", "enum", choices=TOUCHPOINT_KINDS),
        Column("owner"),
        Column("description"),
    ),
    must_exist=True,
)

STEPS = Table(
    "steps",
    (
        Column("persona", "ref", True),
        Column("touchpoint", "ref", True),
        Column("order", "int", expected="a whole number"),
        Column("action"),
        Column("thought"),
        _score("emotion"),
        Column("feeling"),
        Column("expectation"),
        Column("questions"),  # what the customer asks themselves or us at this step
    ),
    id_column=None,
)

PAIN_POINTS = Table(
    "pain_points",
    (
        Column("id", "id", True),
        Column("persona", "ref", True),
        Column("touchpoint", "ref", True),
        Column("description", "text", True),
        _score("severity", True),
        _score("frequency", True),
        Column("evidence"),
        Column("source", "enum", choices=SOURCES),
    ),
)

OPPORTUNITIES = Table(
    "opportunities",
    (
        Column("id", "id", True),
        Column("title", "text", True),
        Column("description"),
        Column("addresses", "refs"),
        Column("reach", "float", low=0, expected="a number of people, 0 or more"),
        Column("impact", "float", choices=IMPACT_VALUES,
               expected="one of " + ", ".join(f"{v:g}" for v in IMPACT_VALUES)),
        Column("confidence", "percent", low=0, high=1,
               expected="a confidence from 0 to 1, or 0 to 100 %"),
        Column("effort", "float", low=0, low_open=True,
               expected="person-months greater than 0"),
        Column("ease", "float", low=1, high=10, expected="a number from 1 to 10"),
        Column("owner"),
        Column("status", "enum", choices=STATUSES),
        Column("kind", "enum", choices=OPPORTUNITY_KINDS),
        Column("stage", "ref"),
        Column("segment"),  # who a campaign or personalisation targets, e.g. "mobile shoppers"
    ),
)

VOTES = Table(
    "votes",
    (
        Column("voter", "text", True),
        Column("item", "ref", True),
        Column("votes", "int", low=1, expected="a whole number of votes, 1 or more"),
        Column("at", "timestamp"),
    ),
    id_column=None,
)

KPIS = Table(
    "kpis",
    (
        Column("id", "id", True),
        Column("metric", "text", True),
        Column("stage", "ref"),
        Column("touchpoint", "ref"),
        Column("unit"),
        Column("baseline", "float", expected="a number"),
        Column("target", "float", expected="a number"),
        Column("current", "float", expected="a number"),
        Column("measured_at", "date"),
        Column("source"),
    ),
    one_of=("stage", "touchpoint"),
)

LANES = ("evidence", "frontstage", "backstage", "support")  # SPEC §8, top to bottom
BLUEPRINT_STATUSES = ("observed", "assumed", "proposed")
YES_NO = ("true", "false", "yes", "no")

BLUEPRINT = Table(
    "blueprint",
    (
        Column("touchpoint", "ref", True),
        Column("lane", "enum", True, choices=LANES),
        Column("text", "text", True),
        Column("persona", "ref"),  # a persona id or '*' (all personas; the default)
        Column("order", "int", expected="a whole number"),
        Column("owner"),
        Column("system"),
        Column("minutes", "float", low=0, expected="a number of minutes, 0 or more"),
        Column("fails", "enum", choices=YES_NO),
        Column("status", "enum", choices=BLUEPRINT_STATUSES),
        Column("causes", "refs"),
    ),
    id_column=None,
)

TABLES: dict[str, Table] = {
    t.name: t for t in (PERSONAS, TOUCHPOINTS, STEPS, PAIN_POINTS, OPPORTUNITIES, VOTES, KPIS,
                        BLUEPRINT)
}
TABLE_NAMES: tuple[str, ...] = tuple(TABLES)
WORKSHOP_FILE = "workshop.yml"
LOCK_FILE = ".journeytools.lock"

# Defaults applied by readers (scoring etc.), never written back into the files.
DEFAULTS = {"weight": 1.0, "votes": 1, "source": "assumption"}


# Text a spreadsheet would run as a formula when it opens the CSV (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"[+-](?:\d+(?:[.,]\d+)*|[.,]\d+)(?:[eE][+-]?\d+)?%?\Z")


def formula_lead(text: object) -> str | None:
    """The first character of ``text`` when a spreadsheet would run it as a formula, else
    ``None``. A signed number (``-3``, ``+1.5``, ``-20%``) is a number, not a formula; text
    that merely starts like one (``-2+3+cmd|…``) is not.

    >>> formula_lead("=HYPERLINK(A1)"), formula_lead("-3"), formula_lead("- slow")
    ('=', None, '-')
    """
    if not isinstance(text, str) or not text or text[0] not in FORMULA_START:
        return None
    if text[0] in "+-" and _SIGNED_NUMBER.match(text.strip()):
        return None
    return text[0]


def formula_message(lead: str) -> str:
    """What ``validate`` and the room say about text starting with ``lead``."""
    return f"cell starts with {lead!r}: a spreadsheet would run it as a formula"
