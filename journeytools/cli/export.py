"""``journeytools export`` and ``journeytools import``: thin shells over ``journeytools.export``.

``journeytools.cli`` calls :func:`register` to add the two commands to its Typer app.
"""

from __future__ import annotations

from pathlib import Path

import typer

from .common import choice

FORMATS = ("mermaid", "xlsx", "markdown", "pptx")  # journeytools.export.EXPORTERS, without importing it


def register(app: typer.Typer) -> None:
    """Add the ``export`` and ``import`` commands to ``app``."""

    @app.command("export")
    def export_cmd(
        folder: Path = typer.Argument(..., help="Workshop folder."),
        to: str = typer.Option(..., "--to", callback=choice("export format", FORMATS),
                               help="Format: " + ", ".join(FORMATS) + "."),
        persona: str | None = typer.Option(None, "--persona", help="Only this persona."),
        output: Path | None = typer.Option(
            None, "--output", "-o",
            help="File to write. Text formats print to standard output without it; "
                 "xlsx and pptx default to <folder name>.<format> here."),
    ) -> None:
        """Export to an interchange format (Mermaid: one diagram per persona)."""
        from ..export import export
        from .common import out, run

        def go() -> int:
            result = export(folder, to, output, persona)
            if result.text is not None:
                typer.echo(result.text, nl=False)
            else:
                out.print(f"wrote {result.path}")
            return 0

        run(go)

    @app.command("import")
    def import_cmd(
        file: Path = typer.Argument(..., help="Workbook written by 'export --to xlsx'."),
        folder: Path = typer.Argument(..., help="Workshop folder to write (new or empty)."),
        force: bool = typer.Option(False, "--force",
                                   help="Write into a non-empty folder, replacing its workshop files."),
    ) -> None:
        """Read an exported (and edited) Excel workbook back into a workshop folder."""
        from ..export import import_xlsx
        from .common import out, run

        def go() -> int:
            path = import_xlsx(file, folder, force=force)
            out.print(f"imported {file} into {path}; next: journeytools validate {path}")
            return 0

        run(go)
