"""The ``journeytools`` command line: each command parses options and makes one call.

One module per command group; each adds its commands to the shared Typer ``app``.
"""

from __future__ import annotations

from . import diff, evidence, export, lab, portfolio, report, room, score, workshop
from .common import app

for _group in (workshop, score, report, portfolio, diff, export, evidence, room, lab):
    _group.register(app)


def main() -> None:
    """Entry point of the console script and ``python -m journeytools``."""
    try:
        app(standalone_mode=True)
    except SystemExit as exc:
        raise SystemExit(exc.code) from None


__all__ = ["app", "main"]
