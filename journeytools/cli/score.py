"""``journeytools score``: ranked pain points, stage pain and opportunities."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from .common import choice, out, run


def _formats() -> tuple[str, ...]:
    from ..views.score import FORMATS

    return tuple(FORMATS)


def register(app: typer.Typer) -> None:
    """Add the ``score`` command to ``app``."""

    @app.command()
    def score(folder: Path = typer.Argument(..., help="Workshop folder."),
              persona: str | None = typer.Option(None, "--persona", "-p", help="Only this persona's view."),
              top: int | None = typer.Option(None, "--top", "-n", min=1, help="Show the top N rows."),
              fmt: str = typer.Option("table", "--format", "-f", callback=choice("format", _formats),
                                      help="table, csv or json.")) -> None:
        """Ranked pain points, stage pain, ranked opportunities with quadrant, and gaps."""
        from ..errors import persona_id
        from ..scoring import score as compute
        from ..store.folder import load
        from ..views import score as score_view

        def go() -> int:
            ws = load(folder)
            pid = persona_id(ws, persona) if persona is not None else None
            scores = compute(ws, pid)
            if fmt == "table":
                score_view.print_tables(out, ws, scores, top)
            else:
                extra = score_view.evidence_dict(ws) if fmt == "json" else None
                sys.stdout.write(score_view.render(scores, fmt, top, extra))
            return 0

        run(go)
