"""What changed between two versions of a workshop: compute a :class:`Diff`, render it."""

from __future__ import annotations

from .compute import Diff, diff

__all__ = ["Diff", "diff"]
