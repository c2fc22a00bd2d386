"""What changed between two versions of a portfolio (SPEC §10): one line per journey, then each
changed journey's own diff. Journeys are matched by name (their folder's name)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model.workshop import Workshop
from .as_json import to_dict
from .changes import Diff
from .compute import diff
from .counts import summary
from .render import to_markdown, to_text


@dataclass(frozen=True)
class JourneyChange:
    name: str
    status: str  # added, removed, changed, unchanged
    diff: Diff | None = None

    @property
    def line(self) -> str:
        if self.diff is None:
            return f"{self.name}: {self.status}"
        return f"{self.name}: {summary(self.diff)}" if self.status == "changed" else f"{self.name}: no changes"


def portfolio_diff(old: Mapping[str, Workshop], new: Mapping[str, Workshop]) -> list[JourneyChange]:
    """Each journey of either version (the new order, then the removed ones)."""
    out = []
    for name in [*new, *(n for n in old if n not in new)]:
        if name not in old:
            out.append(JourneyChange(name, "added"))
        elif name not in new:
            out.append(JourneyChange(name, "removed"))
        else:
            d = diff(old[name], new[name], old_label=name, new_label=name)
            out.append(JourneyChange(name, "unchanged" if d.is_empty else "changed", d))
    return out


def to_text_portfolio(changes: list[JourneyChange], markdown: bool = False) -> str:
    """The per-journey summary, then each changed journey's diff in full."""
    counts = {s: sum(c.status == s for c in changes) for s in ("added", "removed", "changed")}
    head = (f"{len(changes)} journeys: {counts['changed']} changed, {counts['added']} added, "
            f"{counts['removed']} removed")
    lines = [("## " if markdown else "") + "Changes to the portfolio", "", head, ""]
    lines += [("- " if markdown else "  ") + c.line for c in changes]
    for c in changes:
        if c.status == "changed" and c.diff is not None:
            lines += ["", ("## " if markdown else "") + f"Journey {c.name}", ""]
            lines.append((to_markdown if markdown else to_text)(c.diff).rstrip())
    return "\n".join(lines) + "\n"


def to_json_portfolio(changes: list[JourneyChange]) -> str:
    doc: dict[str, Any] = {"journeys": [
        {"name": c.name, "status": c.status,
         "summary": summary(c.diff) if c.diff is not None else c.status,
         "diff": to_dict(c.diff) if c.diff is not None and c.status == "changed" else None}
        for c in changes]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
