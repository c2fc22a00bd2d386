"""``journeytools validate``, ``templates``, ``new`` and ``notebooks``: a workshop folder's life begins here."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import err, esc, out, print_problems, run


def register(app: typer.Typer) -> None:
    """Add the workshop commands to ``app``."""

    @app.command()
    def validate(folder: Path = typer.Argument(..., help="Workshop folder.")) -> None:
        """Check a workshop folder; exit 1 listing every problem."""
        from ..store.folder import validate as check

        def go() -> int:
            report = check(folder)
            print_problems(report.warnings, out)
            if report.errors:
                print_problems(report.errors)
                n = len(report.errors)
                err.print(f"{folder}: {n} problem{'s' if n != 1 else ''} found.")
                return 1
            ws = report.workshop
            assert ws is not None
            counts = (f"{len(ws.stages)} stages, {len(ws.personas)} personas, "
                      f"{len(ws.touchpoints)} touchpoints, {len(ws.steps)} steps, "
                      f"{len(ws.pain_points)} pain points, {len(ws.opportunities)} opportunities, "
                      f"{len(ws.votes)} votes, {len(ws.kpis)} KPIs")
            w = len(report.warnings)
            out.print(f"{folder}: valid — {counts}" + (f" ({w} warning{'s' if w != 1 else ''})" if w else ""))
            return 0

        run(go)

    @app.command()
    def templates() -> None:
        """List the starter templates."""
        from ..store.starters import list_starters

        def go() -> int:
            for s in list_starters():
                out.print(f"{s.name:<18} {esc(s.title)}" + (f" — {esc(s.description)}" if s.description else ""))
            return 0

        run(go)

    @app.command()
    def new(folder: Path = typer.Argument(..., help="Folder to create (must be empty or absent)."),
            template: str = typer.Option("retail-ecommerce", "--template", "-t",
                                         help="Starter template (see 'journeytools templates')."),
            from_: Path | None = typer.Option(None, "--from",
                                              help="A current-state workshop to copy as its future state."),
            personas_from: Path | None = typer.Option(None, "--personas-from",
                                                      help="A persona library (personas.csv columns) to "
                                                           "start the map's personas from.")) -> None:
        """Create a valid workshop from a starter template, or a future state from a current map."""
        from ..errors import pick
        from ..store.starters import list_starters, new_workshop

        def go() -> int:
            if from_ is not None:
                from ..store.future import new_future

                path = new_future(folder, from_)
                out.print(f"created the future state {esc(str(path))} of {esc(str(from_))}; "
                          f"next: journeytools diff {esc(str(from_))} {esc(str(path))}")
                return 0
            name = pick("template", template, [s.name for s in list_starters()])
            if personas_from is not None:
                from ..store.portfolio import new_from_library

                path = new_from_library(folder, personas_from, name)
                out.print(f"created {esc(str(path))} from template {name!r} with the personas of "
                          f"{esc(str(personas_from))}; next: map their steps in the notebooks")
                return 0
            path = new_workshop(folder, name)
            out.print(f"created {path} from template {name!r}; next: journeytools validate {path}")
            return 0

        run(go)

    @app.command()
    def notebooks(folder: Path = typer.Argument(..., help="Folder to copy them into (created if absent)."),
                  overwrite: bool = typer.Option(False, "--overwrite",
                                                 help="Replace notebooks already there.")) -> None:
        """Copy the guided notebooks (and the worked examples they open) into a folder of yours."""
        from ..store.resources import copy_notebooks

        def go() -> int:
            written = copy_notebooks(folder, overwrite=overwrite)
            for path in written:
                out.print(f"wrote {esc(str(path))}")
            if not written:
                out.print(f"{esc(str(folder))} already holds the notebooks (--overwrite replaces them)")
            out.print(f"open them with: jupyter lab {esc(str(Path(folder) / 'notebooks'))}")
            return 0

        run(go)
