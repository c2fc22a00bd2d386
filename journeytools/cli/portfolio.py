"""``journeytools portfolio``: check a portfolio of journeys, or report on all of them."""

from __future__ import annotations

from pathlib import Path

import typer

from .common import choice, err, esc, out, print_problems, progress_printer, run


def _formats() -> tuple[str, ...]:
    from ..report.build import FORMATS

    return FORMATS


def register(app: typer.Typer) -> None:
    """Add the ``portfolio`` command to ``app``."""

    @app.command()
    def portfolio(folder: Path = typer.Argument(..., help="Portfolio folder (with portfolio.yml)."),
                  report: Path | None = typer.Option(None, "--report", "-o",
                                                     help="Write the overview and every journey's reports here."),
                  fmt: str = typer.Option("html", "--format", "-f",
                                          callback=choice("format", _formats, many=True),
                                          help="html, pdf or html,pdf (with --report)."),
                  jobs: int | None = typer.Option(None, "--jobs", "-j", min=1,
                                                  help="Parallel kernels per journey (default: CPU count)."),
                  today: str = typer.Option("", "--today", help="Date shown in the reports (ISO; default today).")
                  ) -> None:
        """Check every journey of a portfolio (and its persona library); with --report, report them all."""
        from ..store.portfolio import check_portfolio

        def go() -> int:
            checked = check_portfolio(folder)
            print_problems(checked.warnings, out)
            if checked.portfolio is None:
                print_problems(checked.errors)
                n = len(checked.errors)
                err.print(f"{esc(str(folder))}: {n} problem{'s' if n != 1 else ''} found; nothing was written.")
                return 1
            pf = checked.portfolio
            personas = {p for ws in pf.journeys.values() for p in ws.personas["id"]}
            out.print(f"{esc(str(folder))}: valid — {len(pf.journeys)} journeys, {len(personas)} personas"
                      + (f", a library of {len(pf.library)}" if pf.library is not None else ""))
            if report is None:
                return 0
            from ..report.build import ReportOptions
            from ..report.portfolio import build_portfolio

            result = build_portfolio(folder, report, ReportOptions(formats=tuple(fmt.split(",")), jobs=jobs,
                                                                   today=today),
                                     progress=progress_printer())
            for failure in result.failures:
                err.print(f"[red]failed:[/red] {esc(failure)}")
            out.print(f"portfolio report: {result.index}")
            return 1 if result.failures else 0

        run(go)
