"""The Typer app and what every command shares: consoles, error mapping, option values, progress."""

from __future__ import annotations

import errno
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import Any

import click
import typer
from rich.console import Console

from ..errors import JourneyToolsError, NotFound, Problem, ValidationError, pick

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Customer journey maps as plain files: validate, score, report, export.")
# Piped output (CI logs, files) gets a fixed, wide layout instead of rich's 80 columns.
_WIDTH = None if sys.stdout.isatty() else 140
out = Console(highlight=False, soft_wrap=True, width=_WIDTH)
err = Console(stderr=True, highlight=False, soft_wrap=True)
STATE = {"debug": False}


@app.callback()
def _root(ctx: typer.Context,
          debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors.")) -> None:
    STATE["debug"] = debug
    # Reset when the command ends: a later in-process run (tests, notebooks) starts clean.
    ctx.call_on_close(lambda: STATE.update(debug=False))


def print_problems(problems: list[Problem], console: Console = err) -> None:
    for p in problems:
        style = "yellow" if p.level == "warning" else "red"
        prefix = "warning: " if p.level == "warning" else ""
        console.print(f"[{style}]{prefix}[/{style}]{esc(str(p))}" if prefix else esc(str(p)))


def esc(text: str) -> str:
    from rich.markup import escape
    return escape(text)


# OS errors about the user's own paths are input problems, not bugs: a missing or unreadable
# file, a folder where a file belongs (and back), an output in the way, a full or read-only disk.
USER_OS_ERRORS = (FileNotFoundError, FileExistsError, NotADirectoryError, IsADirectoryError,
                  PermissionError)
USER_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, errno.ENAMETOOLONG, errno.ELOOP,
                         getattr(errno, "EDQUOT", errno.ENOSPC)})


def is_user_error(exc: BaseException) -> bool:
    """journeytools' own errors and OS errors about the user's paths: print the message, exit 1.

    Anything else (``KeyError``, ``ValueError``, ``TypeError``, …) escaping a command is a bug.
    """
    if isinstance(exc, JourneyToolsError):
        return True
    return isinstance(exc, OSError) and (isinstance(exc, USER_OS_ERRORS) or exc.errno in USER_ERRNOS)


def os_message(exc: OSError) -> str:
    """``path: No such file or directory`` rather than ``[Errno 2] No such file …: 'path'``."""
    if exc.filename is None or not exc.strerror:
        return str(exc)
    where = str(exc.filename) + (f" -> {exc.filename2}" if exc.filename2 is not None else "")
    return f"{where}: {exc.strerror}"


def bug_hint() -> str:
    from .. import __version__

    return (f"this is a bug in journeytools {__version__}: please report it with the command "
            "you ran")


def run(fn: Callable[[], int | None]) -> None:
    """Call ``fn`` and exit with its code; map errors to exit 1.

    journeytools' own errors (and OS errors about the user's paths) print ``error: message``;
    anything else is a bug: its traceback is printed with a hint to report it. With
    ``--debug`` every error is re-raised.
    """
    try:
        code = fn() or 0
    except (typer.Exit, typer.Abort, click.ClickException):
        raise
    except ValidationError as exc:
        if STATE["debug"]:
            raise
        print_problems(exc.problems)
        n = len(exc.problems)
        err.print(f"{n} problem{'s' if n != 1 else ''} found.")
        code = 1
    except Exception as exc:
        if STATE["debug"]:
            raise
        if is_user_error(exc):
            msg = os_message(exc) if isinstance(exc, OSError) and not isinstance(
                exc, JourneyToolsError) else str(exc)
            err.print(f"error: {esc(msg)}")
        else:
            sys.stderr.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
            sys.stderr.flush()
            err.print(f"error: {esc(bug_hint())}")
        code = 1
    raise typer.Exit(code)


def choice(kind: str, choices: Callable[[], Iterable[str]] | Iterable[str],
           many: bool = False) -> Callable[[str | None], str | None]:
    """A Typer option callback: the value as one of ``choices``, ignoring case and blanks.

    One rule for every option with a fixed set of values: ``--format HTML`` is ``html``; an
    unknown value is a usage error (exit 2, before any work) naming the choices and the one
    probably meant. ``choices`` may be a function (called only when the option is checked,
    so heavy modules load only for the command that needs them). With ``many``, the value is
    a comma-separated list (``html,pdf``).
    """

    def check(value: str | None) -> str | None:
        if value is None:
            return None
        valid = list(choices() if callable(choices) else choices)
        try:
            if many:
                parts = [p for p in value.split(",") if p.strip()]
                if not parts:
                    raise typer.BadParameter(f"expected one or more of {', '.join(valid)}, "
                                             "separated by commas")
                return ",".join(dict.fromkeys(pick(kind, p, valid) for p in parts))
            return pick(kind, value, valid)
        except NotFound as exc:
            raise typer.BadParameter(str(exc)) from None

    return check


def progress_printer() -> Callable[[str, int, int], None]:
    """A progress bar on a terminal, plain lines otherwise."""
    if out.is_terminal:
        from rich.progress import Progress

        bar = Progress(console=err, transient=True)
        task: dict[str, Any] = {"id": None}

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


