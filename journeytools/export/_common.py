"""Small helpers the exporters share."""

from __future__ import annotations

import pandas as pd

from ..scoring import opportunity_table
from ..workshop import Workshop


def opportunities(ws: Workshop, persona: str | None = None) -> pd.DataFrame:
    """``scoring.opportunity_table``, safe for a map without opportunities.

    (With no opportunities at all, filtering by persona would select no *columns*; the
    unfiltered empty table has them all.)
    """
    if persona is not None and not len(ws.opportunities):
        return opportunity_table(ws)
    return opportunity_table(ws, persona)
