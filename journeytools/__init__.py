"""journeytools: customer journey maps as plain files, scored, evidenced and reported.

>>> import journeytools as jt
>>> ws = jt.load("workshops/luggage-store")        # doctest: +SKIP
>>> jt.save(ws, "out/luggage-store")                # doctest: +SKIP
"""

from __future__ import annotations

from .append import add_opportunity, add_pain_point, add_vote
from .errors import ConflictError, JourneyToolsError, Problem, ValidationError
from .folder import Report, load, save, validate
from .meta import Stage
from .workshop import Workshop

__version__ = "0.1.0"

__all__ = [
    "ConflictError",
    "JourneyToolsError",
    "Problem",
    "Report",
    "Stage",
    "ValidationError",
    "Workshop",
    "add_opportunity",
    "add_pain_point",
    "add_vote",
    "load",
    "save",
    "validate",
]
