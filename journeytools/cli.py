"""The ``journeytools`` command line: each command parses options and makes one call."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, Optional

import typer
from rich.console import Console

from .errors import JourneyToolsError, Problem, ValidationError

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Customer journey maps as plain files: validate, score, report, export.")
# Piped output (CI logs, files) gets a fixed, wide layout instead of rich's 80 columns.
_WIDTH = None if sys.stdout.isatty() else 140
out = Console(highlight=False, soft_wrap=True, width=_WIDTH)
err = Console(stderr=True, highlight=False, soft_wrap=True)
STATE = {"debug": False}


@app.callback()
def _root(debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors.")) -> None:
    STATE["debug"] = debug


def print_problems(problems: list[Problem], console: Console = err) -> None:
    for p in problems:
        style = "yellow" if p.level == "warning" else "red"
        prefix = "warning: " if p.level == "warning" else ""
        console.print(f"[{style}]{prefix}[/{style}]{_esc(str(p))}" if prefix else _esc(str(p)))


def _esc(text: str) -> str:
    from rich.markup import escape
    return escape(text)


def run(fn: Callable[[], int | None]) -> None:
    """Call ``fn`` and map known errors to exit codes (1: bad input or failed work)."""
    try:
        code = fn() or 0
    except ValidationError as exc:
        if STATE["debug"]:
            raise
        print_problems(exc.problems)
        n = len(exc.problems)
        err.print(f"{n} problem{'s' if n != 1 else ''} found.")
        code = 1
    except (JourneyToolsError, FileExistsError, FileNotFoundError, KeyError,
            ValueError, PermissionError, NotADirectoryError) as exc:
        if STATE["debug"]:
            raise
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        err.print(f"error: {_esc(str(msg))}")
        code = 1
    raise typer.Exit(code)


@app.command()
def validate(folder: Path = typer.Argument(..., help="Workshop folder.")) -> None:
    """Check a workshop folder; exit 1 listing every problem."""
    from .folder import validate as check

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
    from .starters import list_starters

    def go() -> int:
        for s in list_starters():
            out.print(f"{s.name:<18} {_esc(s.title)}" + (f" — {_esc(s.description)}" if s.description else ""))
        return 0

    run(go)


@app.command()
def new(folder: Path = typer.Argument(..., help="Folder to create (must be empty or absent)."),
        template: str = typer.Option("retail-ecommerce", "--template", "-t",
                                     help="Starter template (see 'journeytools templates').")) -> None:
    """Create a valid workshop from a starter template."""
    from .starters import new_workshop

    def go() -> int:
        path = new_workshop(folder, template)
        out.print(f"created {path} from template {template!r}; next: journeytools validate {path}")
        return 0

    run(go)


@app.command()
def score(folder: Path = typer.Argument(..., help="Workshop folder."),
          persona: Optional[str] = typer.Option(None, "--persona", "-p", help="Only this persona's view."),
          top: Optional[int] = typer.Option(None, "--top", "-n", min=1, help="Show the top N rows."),
          fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json.")) -> None:
    """Ranked pain points, stage pain, ranked opportunities with quadrant, and gaps."""
    from . import score_view
    from .folder import load
    from .scoring import score as compute

    if fmt not in score_view.FORMATS:
        err.print(f"error: --format must be one of {', '.join(score_view.FORMATS)}, got {fmt!r}")
        raise typer.Exit(2)

    def go() -> int:
        ws = load(folder)
        if persona is not None and persona.strip().lower() not in set(ws.personas["id"]):
            raise ValueError(f"unknown persona {persona!r}; personas: {', '.join(ws.personas['id'])}")
        scores = compute(ws, persona.strip().lower() if persona else None)
        if fmt == "table":
            score_view.print_tables(out, ws, scores, top)
        else:
            extra = score_view.evidence_dict(ws) if fmt == "json" else None
            sys.stdout.write(score_view.render(scores, fmt, top, extra))
        return 0

    run(go)


@app.command()
def report(folder: Path = typer.Argument(..., help="Workshop folder."),
           output: Path = typer.Option(Path("reports"), "--output", "-o", help="Output folder."),
           persona: list[str] = typer.Option([], "--persona", "-p",
                                             help="Persona id (repeat for several; default: all)."),
           fmt: str = typer.Option("html", "--format", "-f", help="html, pdf or html,pdf."),
           jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1,
                                              help="Parallel kernels (default: CPU count)."),
           pdf_engine: str = typer.Option("weasyprint", "--pdf-engine",
                                          help="weasyprint (default) or chromium."),
           notebook: Optional[Path] = typer.Option(None, "--notebook",
                                                   help="A custom report notebook (parameters: "
                                                        "workshop, persona, today)."),
           today: str = typer.Option("", "--today", help="Date shown in the reports (ISO; default today)."),
           kernels: str = typer.Option("fork", "--kernels",
                                       help="fork: each persona's kernel is forked from a warm parent "
                                            "(fastest); warm: a new kernel process started ahead; "
                                            "fresh: plain papermill start-up.")
           ) -> None:
    """Per-persona client reports (HTML/PDF) via papermill, plus an index."""
    from .report.build import ReportOptions, build_reports

    def go() -> int:
        formats = tuple(f.strip().lower() for f in fmt.split(",") if f.strip())
        opts = ReportOptions(formats=formats, jobs=jobs, pdf_engine=pdf_engine,
                             personas=tuple(p.strip().lower() for p in persona),
                             notebook=notebook, today=today, kernels=kernels)
        result = build_reports(folder, output, opts, progress=_progress_printer())
        for failure in result.failures:
            err.print(f"[red]failed:[/red] {_esc(failure)}")
        out.print(f"reports: {result.index}")
        return 1 if result.failures else 0

    run(go)


def _progress_printer() -> Callable[[str, int, int], None]:
    """A progress bar on a terminal, plain lines otherwise."""
    if out.is_terminal:
        from rich.progress import Progress

        bar = Progress(console=err, transient=True)
        task = {"id": None}

        def tick(label: str, done: int, total: int) -> None:
            if task["id"] is None:
                bar.start()
                task["id"] = bar.add_task("reports", total=total)
            bar.update(task["id"], completed=done, description=label)
            if done >= total:
                bar.stop()

        return tick

    def line(label: str, done: int, total: int) -> None:
        print(f"[{done}/{total}] {label}", file=sys.stderr, flush=True)

    return line


def _register_extensions() -> None:
    """Commands that live beside their feature (diff, export, evidence, serve)."""
    import importlib

    for name in ("cli_diff", "cli_export", "cli_evidence", "cli_room"):
        try:
            module = importlib.import_module(f"{__package__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{name}":
                raise
            continue
        module.register(app)


_register_extensions()


def main() -> None:
    """Entry point of the console script and ``python -m journeytools``."""
    try:
        app(standalone_mode=True)
    except SystemExit as exc:
        raise SystemExit(exc.code) from None


if __name__ == "__main__":  # pragma: no cover
    main()
