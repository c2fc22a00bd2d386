"""One sentence counting the changes in a :class:`~journeytools.diff.changes.Diff`.

Shared by the text, markdown (:mod:`.render`) and JSON (:mod:`.as_json`) forms, so all three
say the same thing.
"""

from __future__ import annotations

from collections import Counter

from .changes import NOUNS, SECTION_ORDER, Diff


def plural(n: int, table: str) -> str:
    """``n`` rows of ``table`` in words: ``1 pain point``, ``2 pain points``."""
    one, many, _ = NOUNS[table]
    return f"{n} {one if n == 1 else many}"


def summary(d: Diff) -> str:
    """One sentence counting the changes, e.g. ``1 pain point changed, 1 stage renamed.``"""
    if d.is_empty:
        return "No changes."
    parts: list[str] = []
    if d.meta:
        n = len(d.meta)
        parts.append(f"{n} workshop detail{'s' if n != 1 else ''} changed")
    counts = Counter(s.change for s in d.stages)
    for change in ("added", "removed", "renamed", "moved", "changed"):
        if counts[change]:
            n = counts[change]
            parts.append(f"{n} stage{'s' if n != 1 else ''} {change}")
    for name in SECTION_ORDER:
        t = d.table(name)
        steps_changed = (sum(1 for r in t.changed if any(c.field != "emotion" for c in r.changes))
                         if name == "steps" else len(t.changed))
        for n, word in ((steps_changed, "changed"), (len(t.added), "added"),
                        (len(t.removed), "removed")):
            if n:
                parts.append(f"{plural(n, name)} {word}")
        if name == "steps" and d.emotions:
            n = len(d.emotions)
            parts.append(f"{n} emotion{'s' if n != 1 else ''} changed")
        cols = len(t.columns_added) + len(t.columns_removed)
        if cols:
            parts.append(f"{NOUNS[name][1]} columns changed")
    moved = sum(1 for m in d.pain_moves if m.rank_before is not None and m.rank_after is not None
                and m.rank_before != m.rank_after)
    if moved:
        parts.append(f"{moved} pain point rank{'s' if moved != 1 else ''} moved")
    quads = sum(1 for m in d.opportunity_moves if m.quadrant_changed
                and m.quadrant_before is not None and m.quadrant_after is not None)
    if quads:
        parts.append(f"{quads} opportunit{'ies' if quads != 1 else 'y'} changed quadrant")
    if not parts:
        parts.append("scores moved")
    return ", ".join(parts) + "."
