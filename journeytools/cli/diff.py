"""``journeytools diff``: what changed between two versions of a workshop."""

from __future__ import annotations

import enum
from dataclasses import replace
from pathlib import Path

import typer

DIFF_HELP = """What changed between two versions of a workshop: rows added, removed and changed,
workshop.yml and stage edits, emotion changes, pain point rank moves, opportunity quadrant
changes and KPI moves.

\b
  journeytools diff OLD NEW          two folders on disk
  journeytools diff OLD              OLD against the current folder (.)
  journeytools diff DIR --rev REV    DIR as committed at git revision REV against DIR now
  journeytools diff --rev HEAD~1     the same for the current folder
  journeytools diff OLD NEW --rev R  OLD as committed at R against NEW on disk

The first line, on stderr, says what is compared (naming the current folder in full when
it is one side), so redirected output stays clean.

Exits 0 when both versions load (differences or not), 1 when one is invalid or cannot be
read, 2 on a usage error.
"""


class DiffFormat(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


def _load(path: Path, rev: str | None):  # -> Workshop
    """Load one side, naming the folder (and revision) in every problem reported."""
    from ..errors import ValidationError
    from ..store.folder import load
    from ..store.gitrev import load_at_revision

    if rev is not None:
        return load_at_revision(path, rev)
    try:
        return load(path)
    except ValidationError as exc:
        raise ValidationError([p if p.file == str(path) else replace(p, file=str(path / p.file))
                               for p in exc.problems], exc.warnings) from None


def resolve_sides(old: Path | None, new: Path | None, rev: str | None,
                  ctx: typer.Context | None = None) -> tuple[Path, str | None, Path]:
    """(old folder, old revision or None, new folder) from the command's arguments."""
    if rev is not None:
        if old is not None and new is not None:
            return old, rev, new
        folder = old if old is not None else Path(".")
        return folder, rev, folder
    if old is None:
        raise typer.BadParameter("give the OLD folder to compare (and NEW, default '.'), "
                                 "or --rev REV to compare with a git revision",
                                 ctx=ctx, param_hint="'OLD'")
    return old, None, new if new is not None else Path(".")


def describe_sides(old_dir: Path, old_rev: str | None, new_dir: Path) -> str:
    """``comparing OLD → NEW`` in words: the current folder named in full, revisions spelled out.

    >>> describe_sides(Path("v1"), None, Path("v2"))
    'comparing v1 → v2'
    """
    def name(folder: Path) -> str:
        return f"the current folder ({Path.cwd()})" if str(folder) == "." else str(folder)

    if old_rev is None:
        return f"comparing {name(old_dir)} → {name(new_dir)}"
    return f"comparing {name(old_dir)} as committed at {old_rev} → {name(new_dir)} on disk"


def diff_command(
    ctx: typer.Context,
    old: Path | None = typer.Argument(
        None, show_default=False, metavar="[OLD]",
        help="The earlier version's folder; with --rev alone, the folder to compare (default .)."),
    new: Path | None = typer.Argument(
        None, show_default=False, metavar="[NEW]", help="The later version's folder (default: the current folder)."),
    rev: str | None = typer.Option(
        None, "--rev", "-r", metavar="REV",
        help="Read the old version from git at this revision (HEAD, HEAD~1, a tag, a commit)."),
    fmt: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f", case_sensitive=False,
                                   help="text, markdown (for a pull request) or json."),
) -> None:
    from .common import err, out, run

    old_dir, old_rev, new_dir = resolve_sides(old, new, rev, ctx)

    def go() -> int:
        from ..diff import diff, to_json, to_markdown, to_text

        err.print(describe_sides(old_dir, old_rev, new_dir), markup=False, highlight=False,
                  emoji=False)
        if old_rev is None and (old_dir / "portfolio.yml").is_file() and (new_dir / "portfolio.yml").is_file():
            from ..diff.portfolio import portfolio_diff, to_json_portfolio, to_text_portfolio
            from ..store.portfolio import load_portfolio

            changes = portfolio_diff(load_portfolio(old_dir).journeys, load_portfolio(new_dir).journeys)
            text = to_json_portfolio(changes) if fmt == DiffFormat.json else \
                to_text_portfolio(changes, markdown=fmt == DiffFormat.markdown)
            out.print(text, end="", markup=False, highlight=False, emoji=False)
            return 0
        before = _load(old_dir, old_rev)
        after = _load(new_dir, None)
        old_label = f"{old_dir} at {old_rev}" if old_rev else str(old_dir)
        result = diff(before, after, old_label=old_label, new_label=str(new_dir))
        rendered = {DiffFormat.text: to_text, DiffFormat.markdown: to_markdown,
                    DiffFormat.json: lambda d: to_json(d) + "\n"}[fmt](result)
        out.print(rendered, end="", markup=False, highlight=False, emoji=False)
        return 0

    run(go)


diff_command.__doc__ = DIFF_HELP


def register(app: typer.Typer) -> None:
    """Add the ``diff`` command to ``app`` (once: calling again is harmless)."""
    if any(c.name == "diff" for c in app.registered_commands):
        return
    app.command(name="diff", help=DIFF_HELP)(diff_command)
