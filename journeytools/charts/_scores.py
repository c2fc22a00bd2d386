"""Thin guards around ``scoring`` for edge cases charts must survive (no re-implementation)."""

from __future__ import annotations

import pandas as pd

from .. import scoring
from ..workshop import Workshop


def opportunities(ws: Workshop, persona: str | None = None) -> pd.DataFrame:
    """``scoring.opportunity_table(ws, persona)``; with no opportunities at all, the (empty,
    fully-columned) unfiltered table: filtering an empty table by persona loses its columns."""
    if persona is not None and not len(ws.opportunities):
        return scoring.opportunity_table(ws)
    return scoring.opportunity_table(ws, persona)
