"""``journeytools report``: per-persona client reports and an index."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import choice, err, esc, out, progress_printer, run


def _formats() -> tuple[str, ...]:
    from ..report.build import FORMATS

    return FORMATS


def _engines() -> list[str]:
    from ..report.render import PDF_ENGINES

    return list(PDF_ENGINES)


def _kernel_modes() -> tuple[str, ...]:
    from ..report.kernels import KERNEL_MODES

    return KERNEL_MODES


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to ``app``."""

    @app.command()
    def report(folder: Path = typer.Argument(..., help="Workshop folder."),
               output: Path = typer.Option(Path("reports"), "--output", "-o", help="Output folder."),
               persona: list[str] = typer.Option([], "--persona", "-p",
                                                 help="Persona id (repeat for several; default: all)."),
               fmt: str = typer.Option("html", "--format", "-f", callback=choice("format", _formats, many=True),
                                       help="html, pdf or html,pdf."),
               jobs: int | None = typer.Option(None, "--jobs", "-j", min=1,
                                                  help="Parallel kernels (default: CPU count)."),
               pdf_engine: str = typer.Option("weasyprint", "--pdf-engine",
                                              callback=choice("PDF engine", _engines),
                                              help="weasyprint (default) or chromium."),
               notebook: Path | None = typer.Option(None, "--notebook",
                                                       help="A custom report notebook (parameters: "
                                                            "workshop, persona, today)."),
               today: str = typer.Option("", "--today", help="Date shown in the reports (ISO; default today)."),
               compare: Path | None = typer.Option(None, "--compare",
                                                   help="A future-state map of this one: add current vs "
                                                        "future to every persona's report."),
               kernels: str = typer.Option("fork", "--kernels", callback=choice("kernel mode", _kernel_modes),
                                           help="fork: each persona's kernel is forked from a warm parent "
                                                "(fastest); warm: a new kernel process started ahead; "
                                                "fresh: plain papermill start-up.")
               ) -> None:
        """Per-persona client reports (HTML/PDF) via papermill, plus an index."""
        from ..report.build import ReportOptions, ReportStopped, build_reports

        def go() -> int:
            # Personas (by id, any case) and the output folder are checked by build_reports
            # before it creates anything.
            opts = ReportOptions(formats=tuple(fmt.split(",")), jobs=jobs, pdf_engine=pdf_engine,
                                 personas=tuple(persona), notebook=notebook, today=today,
                                 kernels=kernels, compare=compare)
            # Ctrl-C, SIGTERM and SIGHUP stop every kernel and worker before we get here.
            try:
                result = build_reports(folder, output, opts, progress=progress_printer())
            except ReportStopped as exc:
                err.print(f"stopped by {exc.name}: kernels and workers stopped; the reports are incomplete")
                return 128 + exc.signum
            except KeyboardInterrupt:
                err.print("interrupted: kernels and workers stopped; the reports are incomplete")
                return 130
            for failure in result.failures:
                err.print(f"[red]failed:[/red] {esc(failure)}")
            out.print(f"reports: {result.index}")
            return 1 if result.failures else 0

        run(go)
