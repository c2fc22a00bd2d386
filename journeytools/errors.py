"""Problems found in a workshop folder and the exceptions that carry them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

Level = Literal["error", "warning"]

FILE_ORDER = ("workshop.yml", "personas.csv", "touchpoints.csv", "steps.csv", "pain_points.csv",
              "opportunities.csv", "votes.csv", "kpis.csv")


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
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)
