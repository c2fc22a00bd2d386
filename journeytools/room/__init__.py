"""The live workshop room: participants add pain points, ideas and dot votes from their browsers.

``journeytools serve DIR`` starts it with Voilà on the notebooks shipped here
(``participant.ipynb``; ``facilitator.ipynb`` with ``--facilitator``).

>>> from journeytools.room import serve                          # doctest: +SKIP
>>> room = serve("workshops/luggage-store").wait_ready()         # doctest: +SKIP
>>> room.urls, room.stop()                                       # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from ._data import ROOM_DIR_ENV
from .server import DEFAULT_HOST, DEFAULT_PORT, RoomServer, serve, share_urls

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "ROOM_DIR_ENV",
    "FacilitatorView",
    "ParticipantRoom",
    "RoomServer",
    "facilitator_view",
    "participant_room",
    "serve",
    "share_urls",
]

_WIDGETS = {"FacilitatorView": "facilitator", "facilitator_view": "facilitator",
            "ParticipantRoom": "participant", "participant_room": "participant"}


def __getattr__(name: str) -> Any:
    """Import the ipywidgets-based views only when asked for (the CLI does not need them)."""
    if name in _WIDGETS:
        from importlib import import_module
        return getattr(import_module(f".{_WIDGETS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
