"""Problems found in a workshop folder and the exceptions that carry them.

Every error journeytools raises on purpose is a :class:`JourneyToolsError`: the command line
prints its message and exits 1; anything else escaping a command is a bug.

* :class:`ValidationError`: a workshop folder (or an evidence file) is invalid;
* :class:`UsageError`: a request that cannot be carried out as given (an option that does not
  apply, an output in the way); :class:`NotFound`, its subclass, names an unknown persona,
  format or mode, with a "did you mean" suggestion (see :func:`pick`);
* :class:`ConflictError`: a table changed on disk since it was loaded.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .model.workshop import Workshop

Level = Literal["error", "warning"]

FILE_ORDER = ("workshop.yml", "personas.csv", "touchpoints.csv", "steps.csv", "pain_points.csv",
              "opportunities.csv", "votes.csv", "kpis.csv", "blueprint.csv")


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in a workshop folder.

    ``line`` is the physical 1-based line where the record starts (header = line 1);
    ``column`` is the column or YAML key concerned; ``value`` the offending text.
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    message: str
    level: Level = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        col = f" {self.column}:" if self.column else ""
        return f"{where}:{col} {self.message}"

    def sort_key(self) -> tuple:
        """Files in the folder's reading order, then line: the order a person fixes them in."""
        rank = FILE_ORDER.index(self.file) if self.file in FILE_ORDER else len(FILE_ORDER)
        return (rank, self.file, self.line or 0, self.column or "", self.message)


class JourneyToolsError(Exception):
    """Base class of the errors journeytools raises on purpose."""


class ValidationError(JourneyToolsError, ValueError):
    """A workshop folder is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: Iterable[Problem], warnings: Iterable[Problem] = ()) -> None:
        self.problems: list[Problem] = sorted(problems, key=Problem.sort_key)
        self.warnings: list[Problem] = list(warnings)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found"
        super().__init__(head + ":\n" + "\n".join(str(p) for p in self.problems))


class UsageError(JourneyToolsError, ValueError):
    """A request that cannot be carried out as given: a bad option value, an option that does
    not apply, an output that is in the way. Raised before anything is written."""


class NotFound(UsageError):
    """A name that is not among the choices: a persona, an export format, a kernel mode, …

    ``kind`` says what was looked up, ``value`` what was given, ``choices`` the valid ids and
    ``suggestion`` the id that was probably meant (or ``None``). Build one with :func:`pick`.
    """

    def __init__(self, message: str, *, kind: str = "", value: object = None,
                 choices: Iterable[str] = (), suggestion: str | None = None) -> None:
        super().__init__(message)
        self.kind, self.value, self.suggestion = kind, value, suggestion
        self.choices: list[str] = list(choices)


class ConflictError(JourneyToolsError):
    """A table changed in memory was also changed on disk since it was loaded."""

    def __init__(self, tables: Iterable[str], folder: str) -> None:
        self.tables = sorted(tables)
        names = ", ".join(self.tables)
        super().__init__(
            f"{names} changed on disk in {folder} since it was loaded (someone else saved "
            f"or appended). Reload the workshop, re-apply your edit and save again; nothing was written."
        )


def quote(value: object, limit: int = 60) -> str:
    """A short, quoted rendering of a bad value for messages."""
    from .vocab import shorten

    return repr(shorten(value, limit))


def _norm(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def suggest(value: object, choices: Mapping[str, str]) -> str | None:
    """The id in ``choices`` (id -> display name) that ``value`` probably meant, or ``None``.

    A display name given instead of the id (compared case-insensitively) suggests that id; else
    the closest id or name by :func:`difflib.get_close_matches` does; else the one id whose id
    or name shares a word with ``value``.
    """
    by_text: dict[str, str] = {}
    for cid in choices:
        by_text.setdefault(_norm(cid), cid)
    for cid, name in choices.items():
        if isinstance(name, str) and name.strip():
            by_text.setdefault(_norm(name), cid)
    key = _norm(value)
    if key in by_text:
        return by_text[key]
    close = difflib.get_close_matches(key, list(by_text), n=1, cutoff=0.6)
    if close:
        return by_text[close[0]]
    # "Greta the gift buyer" for a persona Greta (id greta): one id or name shares a word
    words = set(key.replace("-", " ").replace("_", " ").split())
    sharing = {cid for text, cid in by_text.items()
               if words & set(text.replace("-", " ").replace("_", " ").split())}
    return sharing.pop() if len(sharing) == 1 else None


def pick(kind: str, value: object, choices: Iterable[str] | Mapping[str, str]) -> str:
    """The id among ``choices`` that ``value`` names, ignoring case and surrounding blanks.

    ``choices`` are ids, or a mapping id -> display name. Raises :class:`NotFound` for
    anything else, suggesting the closest id ("did you mean 'greta'?"); a display name
    given instead of an id suggests that id rather than being taken for it.

    >>> pick("format", " HTML ", ["html", "pdf"])
    'html'
    >>> pick("persona", "Greta G.", {"mia": "Mia", "greta": "Greta G."})
    ... # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ...
    journeytools.errors.NotFound: unknown persona 'Greta G.' (did you mean 'greta'?); expected one of: mia, greta
    """
    names = dict(choices) if isinstance(choices, Mapping) else {str(c): str(c) for c in choices}
    key = _norm(value)
    for cid in names:
        if _norm(cid) == key:
            return cid
    ids = list(names)
    hint = suggest(value, names)
    shown = ", ".join(ids[:12]) + (" …" if len(ids) > 12 else "") if ids else f"(no {kind}s defined)"
    given = str(value).strip() if isinstance(value, str) else value
    more = f" (did you mean {hint!r}?)" if hint else ""
    raise NotFound(f"unknown {kind} {quote(given)}{more}; expected one of: {shown}",
                   kind=kind, value=value, choices=ids, suggestion=hint)


def persona_choices(ws: Workshop) -> dict[str, str]:
    """Persona id -> display name of a workshop, for :func:`pick`."""
    ids = [str(i) for i in ws.personas["id"]]
    names = ws.personas["name"] if "name" in ws.personas.columns else [""] * len(ids)
    return {i: n if isinstance(n, str) else "" for i, n in zip(ids, names)}


def persona_id(ws: Workshop, value: str) -> str:
    """The id of the persona ``value`` names (an id, any case); :class:`NotFound` otherwise."""
    return pick("persona", value, persona_choices(ws))
