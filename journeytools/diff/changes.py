"""The result of comparing two versions of a workshop: immutable dataclasses and constants.

This is the bottom of :mod:`journeytools.diff`; it imports no sibling module. The others build
on it one way: :mod:`.compute` makes a :class:`Diff`, :mod:`.counts` sums it up in one
sentence, :mod:`.as_json` and :mod:`.render` turn it into JSON, plain text and markdown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

# The version of the JSON document (see :func:`journeytools.diff.as_json.to_dict`).
SCHEMA_VERSION = 1
Status = Literal["added", "removed", "changed"]

# Words for each table: (singular, plural, heading).
NOUNS: dict[str, tuple[str, str, str]] = {
    "personas": ("persona", "personas", "Personas"),
    "touchpoints": ("touchpoint", "touchpoints", "Touchpoints"),
    "steps": ("step", "steps", "Steps"),
    "pain_points": ("pain point", "pain points", "Pain points"),
    "opportunities": ("opportunity", "opportunities", "Opportunities"),
    "kpis": ("KPI", "KPIs", "KPIs"),
    "votes": ("dot vote", "dot votes", "Dot votes"),
    "blueprint": ("blueprint row", "blueprint rows", "Service blueprint"),
}
# Order of the sections in text and markdown.
SECTION_ORDER = ("personas", "touchpoints", "steps", "pain_points", "opportunities", "kpis", "blueprint",
                 "votes")
# Fields that describe an added or removed row in a few words.
SUMMARY_FIELDS: dict[str, tuple[str, ...]] = {
    "personas": ("name", "segment", "weight"),
    "touchpoints": ("name", "stage", "channel"),
    "steps": ("order", "emotion", "action"),
    "pain_points": ("persona", "touchpoint", "severity", "frequency", "description"),
    "opportunities": ("title", "reach", "impact", "confidence", "effort"),
    "kpis": ("metric", "stage", "touchpoint", "baseline", "target", "current"),
    "votes": ("votes",),
    "blueprint": ("text", "owner", "system", "fails", "causes"),
}


def same(a: Any, b: Any) -> bool:
    """Two cell values are the same: both blank (None), or equal (numbers within 1e-12)."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(float(a), float(b), rel_tol=0, abs_tol=1e-12)
    return a == b


# --------------------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldChange:
    """One cell that differs: ``field`` went from ``before`` to ``after`` (None = blank)."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class RowChange:
    """A row added, removed or changed in one table.

    ``key`` is the row's identity as ``(column, value)`` pairs (``id``; for steps persona,
    touchpoint and occurrence; for votes voter, item, at and occurrence). ``values`` holds the
    non-blank cells of an added or removed row; ``changes`` the differing cells of a changed one.
    ``label`` names the row in words.
    """

    table: str
    status: Status
    key: tuple[tuple[str, Any], ...]
    label: str
    changes: tuple[FieldChange, ...] = ()
    values: tuple[tuple[str, Any], ...] = ()

    @property
    def key_dict(self) -> dict[str, Any]:
        return dict(self.key)

    @property
    def id(self) -> str:
        """The ``id`` of an id-keyed row, else the key joined with ``/``."""
        k = dict(self.key)
        return str(k["id"]) if "id" in k else "/".join("" if v is None else str(v) for v in k.values())

    def change(self, name: str) -> FieldChange | None:
        return next((c for c in self.changes if c.field == name), None)


@dataclass(frozen=True)
class TableDiff:
    """Rows added, removed and changed in one table, and columns added or removed."""

    table: str
    added: tuple[RowChange, ...] = ()
    removed: tuple[RowChange, ...] = ()
    changed: tuple[RowChange, ...] = ()
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.columns_added
                    or self.columns_removed)

    def rows(self) -> tuple[RowChange, ...]:
        return self.changed + self.added + self.removed

    def find(self, row_id: str) -> RowChange | None:
        return next((r for r in self.rows() if r.id == row_id), None)


@dataclass(frozen=True)
class MetaChange:
    """A ``workshop.yml`` key (nested keys dotted: ``branding.primary_color``) that changed."""

    key: str
    before: Any
    after: Any


@dataclass(frozen=True)
class StageChange:
    """A stage ``added``, ``removed``, ``renamed``, ``moved`` or otherwise ``changed``.

    ``field`` is ``position`` (1-based) for added, removed and moved stages, ``name`` for a
    rename, else the stage key that changed (``goal``...).
    """

    id: str
    change: Literal["added", "removed", "renamed", "moved", "changed"]
    name: str
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class EmotionChange:
    """A step present in both versions whose emotion (1–5, None = blank) changed."""

    persona: str
    touchpoint: str
    occurrence: int
    before: int | None
    after: int | None
    persona_name: str = ""
    touchpoint_name: str = ""


@dataclass(frozen=True)
class PainMove:
    """A pain point whose rank or weighted pain moved (None on the side where it is absent)."""

    id: str
    rank_before: int | None
    rank_after: int | None
    weighted_pain_before: float | None
    weighted_pain_after: float | None


@dataclass(frozen=True)
class OpportunityMove:
    """An opportunity whose quadrant or rank changed.

    Quadrants are ``quick win``, ``big bet``, ``fill-in``, ``money pit`` or ``unscored``;
    None (and rank None) where the opportunity is absent; rank None when unscored.
    """

    id: str
    title: str
    quadrant_before: str | None
    quadrant_after: str | None
    rank_before: int | None
    rank_after: int | None
    rice_before: float | None
    rice_after: float | None

    @property
    def quadrant_changed(self) -> bool:
        return self.quadrant_before != self.quadrant_after


@dataclass(frozen=True)
class KpiMove:
    """A KPI in both versions whose baseline, target or current value moved.

    ``progress`` is how far current is from baseline towards target (0 = at baseline,
    1 = target reached); None when it cannot be computed.
    """

    id: str
    metric: str
    unit: str
    baseline_before: float | None
    baseline_after: float | None
    target_before: float | None
    target_after: float | None
    current_before: float | None
    current_after: float | None
    progress_before: float | None
    progress_after: float | None


@dataclass(frozen=True)
class Diff:
    """Everything that changed from ``old`` to ``new``, made by :func:`journeytools.diff.diff`.

    In words with :func:`~journeytools.diff.to_text`, :func:`~journeytools.diff.to_markdown`
    and :func:`~journeytools.diff.summary`; as JSON with :func:`~journeytools.diff.to_dict`
    and :func:`~journeytools.diff.to_json`.
    """

    meta: tuple[MetaChange, ...] = ()
    stages: tuple[StageChange, ...] = ()
    tables: tuple[TableDiff, ...] = ()
    emotions: tuple[EmotionChange, ...] = ()
    pain_moves: tuple[PainMove, ...] = ()
    opportunity_moves: tuple[OpportunityMove, ...] = ()
    kpi_moves: tuple[KpiMove, ...] = ()
    old_label: str = ""
    new_label: str = ""
    title: str = field(default="", compare=False)
    stage_order: tuple[str, ...] = field(default=(), compare=False)  # new stage names in order

    @property
    def is_empty(self) -> bool:
        """True when the two versions hold the same map (row order and dtypes aside)."""
        return not (self.meta or self.stages or self.emotions or self.pain_moves
                    or self.opportunity_moves or self.kpi_moves
                    or any(not t.is_empty for t in self.tables))

    def table(self, name: str) -> TableDiff:
        """The changes to one table (empty when it did not change)."""
        return next((t for t in self.tables if t.table == name), TableDiff(name))

    def pain_move(self, pain_id: str) -> PainMove | None:
        return next((m for m in self.pain_moves if m.id == pain_id), None)

    def opportunity_move(self, opp_id: str) -> OpportunityMove | None:
        return next((m for m in self.opportunity_moves if m.id == opp_id), None)
