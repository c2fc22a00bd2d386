"""journeytools: customer journey maps as plain files, scored, evidenced and reported.

>>> import journeytools as jt
>>> ws = jt.load("workshops/luggage-store")        # doctest: +SKIP
>>> jt.save(ws, "out/luggage-store")                # doctest: +SKIP
"""

from __future__ import annotations

from .errors import ConflictError, JourneyToolsError, NotFound, Problem, UsageError, ValidationError
from .model.meta import Stage
from .model.workshop import Workshop
from .store.append import add_opportunity, add_pain_point, add_vote
from .store.folder import Report, load, save, validate
from .store.portfolio import Portfolio, load_portfolio

__version__ = "0.1.0"

__all__ = [
    "ConflictError",
    "JourneyToolsError",
    "NotFound",
    "Portfolio",
    "Problem",
    "Report",
    "Stage",
    "UsageError",
    "ValidationError",
    "Workshop",
    "add_opportunity",
    "add_pain_point",
    "add_vote",
    "load",
    "load_portfolio",
    "save",
    "validate",
]
