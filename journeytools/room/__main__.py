"""``python -m journeytools.room serve DIR ...``: the room without the main command line."""

from __future__ import annotations

import typer

from ..cli.room import register

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="The live workshop room (same as 'journeytools serve').")


@app.callback()
def _root() -> None:
    """Keep ``serve`` as a named sub-command, as in ``journeytools serve``."""


register(app)

if __name__ == "__main__":  # pragma: no cover
    app()
