"""The Typer app and what every command shares: consoles, error mapping, progress."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, Optional

import typer
from rich.console import Console

from ..errors import JourneyToolsError, Problem, ValidationError

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
        console.print(f"[{style}]{prefix}[/{style}]{esc(str(p))}" if prefix else esc(str(p)))


def esc(text: str) -> str:
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
        err.print(f"error: {esc(str(msg))}")
        code = 1
    raise typer.Exit(code)


def progress_printer() -> Callable[[str, int, int], None]:
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


