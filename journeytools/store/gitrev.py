"""A workshop folder as it was at a git revision, read with ``git show`` (nothing is checked out).

>>> from journeytools.store.gitrev import load_at_revision
>>> old = load_at_revision("workshops/luggage-store", "HEAD~1")    # doctest: +SKIP
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from pathlib import Path, PurePosixPath

from ..errors import JourneyToolsError, ValidationError
from ..model.schema import TABLE_NAMES, TABLES, WORKSHOP_FILE
from ..model.workshop import Workshop
from .folder import TableSource, parse_tables

GIT_TIMEOUT_S = 60


class GitRevisionError(JourneyToolsError, ValueError):
    """The folder cannot be read at that revision (no git, not a repository, unknown revision,
    or the folder did not exist then)."""


def _git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    try:
        proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True,
                              timeout=GIT_TIMEOUT_S, env={**os.environ, "GIT_TERMINAL_PROMPT": "0",
                                                          "LC_ALL": "C"})
    except FileNotFoundError:
        raise GitRevisionError("git is not installed (or not on PATH); it is needed for --rev") from None
    except subprocess.TimeoutExpired:
        raise GitRevisionError(f"git {' '.join(args)} did not finish in {GIT_TIMEOUT_S} s") from None
    if check and proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitRevisionError(f"git {' '.join(args)} failed: {msg[-1] if msg else proc.returncode}")
    return proc


def _locate(folder: Path) -> tuple[Path, str]:
    """The repository's top level and the folder's path inside it (posix, '' for the top)."""
    path = folder.absolute()
    missing: list[str] = []
    while not path.is_dir():  # the folder may be gone from the working tree but not from history
        if path.parent == path:
            break
        missing.insert(0, path.name)
        path = path.parent
    proc = _git(path, "rev-parse", "--show-toplevel", check=False)
    if proc.returncode != 0:
        raise GitRevisionError(f"{folder} is not inside a git repository; --rev needs one "
                               "(compare two folders instead: journeytools diff OLD NEW)")
    top = Path(proc.stdout.decode("utf-8").strip()).resolve()
    here = path.resolve()
    try:
        rel = here.relative_to(top)
    except ValueError:
        raise GitRevisionError(f"{folder} is not inside the git repository at {top}") from None
    parts = [*rel.parts, *missing]
    return top, str(PurePosixPath(*parts)) if parts else ""


def load_at_revision(folder: str | os.PathLike, rev: str) -> Workshop:
    """Load the workshop in ``folder`` as committed at ``rev`` (any git revision: ``HEAD~1``,
    a tag, a branch, a commit id).

    The working tree is not touched. Raises ``GitRevisionError`` (a ``ValueError``) when the
    folder is not in a git repository, the revision is unknown or the folder did not exist at
    that revision, and ``ValidationError`` when the old version is not a valid workshop (file
    names in the problems read ``REV:path/file``). The result has no ``path``, so it cannot be
    saved over the current folder by mistake.
    """
    folder = Path(folder)
    rev = str(rev).strip()
    if not rev or rev.startswith("-"):
        raise GitRevisionError(f"{rev!r} is not a git revision")
    top, rel = _locate(folder)
    proc = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}",
                check=False)
    if proc.returncode != 0:
        raise GitRevisionError(f"unknown git revision {rev!r} in {top}")
    commit = proc.stdout.decode().strip()
    listing = _git(top, "ls-tree", "-z", "--name-only", commit, "--", f"{rel}/" if rel else ".")
    present = {PurePosixPath(p).name for p in listing.stdout.decode("utf-8", "replace").split("\0") if p}
    if not present:
        raise GitRevisionError(f"{rel or '.'} does not exist at revision {rev!r}")
    names = [WORKSHOP_FILE] + [TABLES[n].file for n in TABLE_NAMES]
    if WORKSHOP_FILE not in present and not present & set(names):
        raise GitRevisionError(f"{rel or '.'} at revision {rev!r} is not a workshop folder "
                               "(no workshop.yml and no tables)")

    def blob(name: str) -> bytes | None:
        if name not in present:
            return None
        spec = f"{commit}:{rel}/{name}" if rel else f"{commit}:{name}"
        return _git(top, "cat-file", "blob", spec).stdout

    tables: dict[str, TableSource] = {n: blob(TABLES[n].file) for n in TABLE_NAMES}
    report = parse_tables(tables, blob(WORKSHOP_FILE))
    if report.errors:
        where = f"{rev}:{rel}/" if rel else f"{rev}:"
        raise ValidationError([replace(p, file=where + p.file) for p in report.errors],
                              report.warnings)
    assert report.workshop is not None
    return report.workshop
