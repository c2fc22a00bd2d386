"""journeytools: customer journey maps as plain files, scored, evidenced and reported.

>>> import journeytools as jt
>>> ws = jt.load("workshops/luggage-store")        # doctest: +SKIP
>>> jt.save(ws, "out/luggage-store")                # doctest: +SKIP
"""

from __future__ import annotations

from .store.append import add_opportunity, add_pain_point, add_vote
from .errors import ConflictError, JourneyToolsError, Problem, ValidationError
from .store.folder import Report, load, save, validate
from .model.meta import Stage
from .model.workshop import Workshop

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
