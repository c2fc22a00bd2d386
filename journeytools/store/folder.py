"""Loading, validating and saving a workshop folder (SPEC §2, §7)."""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from ..errors import ConflictError, Problem, UsageError, ValidationError
from ..fsutil import digest, file_digest, write_atomic
from ..model import csvio
from ..model.checks import cross_check, warnings_for
from ..model.meta import dump_meta, load_meta
from ..model.schema import LOCK_FILE, TABLE_NAMES, TABLES, WORKSHOP_FILE
from ..model.tables import to_frame, to_rows
from ..model.workshop import Workshop

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_TIMEOUT_S = 60
_LOCK_POLL_S = 0.05  # longest wait between two attempts at a busy lock

TableSource = bytes | str | csvio.RawTable | None
"""One table as :func:`parse_tables` takes it: CSV bytes or text, rows already split, absent."""
MetaSource = bytes | str | Mapping[str, Any] | None
"""``workshop.yml`` as :func:`parse_tables` takes it: its bytes or text, a mapping, absent."""


@dataclass
class Report:
    """The outcome of validating a folder: errors, warnings, and the workshop when readable."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    workshop: Workshop | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


# -- the folder lock ------------------------------------------------------------------------


@contextmanager
def folder_lock(folder: Path | str, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the workshop folder's lock, which every writer (``save``, the ``add_*`` functions,
    the live room) takes, in whatever thread or process.

    The lock is the file ``.journeytools.lock`` in the folder, and it is there only while held:
    the holder removes it before letting go, so a save leaves nothing behind to commit. Raises
    ``filelock.Timeout`` (a ``TimeoutError``) after ``timeout`` seconds (negative: no limit).
    Not re-entrant: do not call :func:`save` while holding it (use :func:`save_changes`).
    """
    path = Path(folder) / LOCK_FILE
    if fcntl is None:  # pragma: no cover - Windows, where filelock removes the file on release
        with FileLock(str(path), timeout=timeout):
            yield
        return
    fd = _lock_file(path, timeout)
    try:
        yield
    finally:
        try:
            # Removed while still held: whoever was waiting on this file and gets it next sees
            # that it is no longer the lock (see _lock_file) and locks the current one instead.
            os.unlink(path)
        except OSError:
            pass  # a lock file left behind is harmless: the next holder removes it
        finally:
            os.close(fd)  # lets go of the lock


def _lock_file(path: Path, timeout: float) -> int:
    """An open descriptor holding an exclusive ``flock`` on the file at ``path``."""
    assert fcntl is not None
    deadline = time.monotonic() + timeout
    delay = 0.001
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    while True:
        fd = os.open(path, flags, 0o666)  # the umask decides, as for the workshop's files
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            if 0 <= timeout and time.monotonic() >= deadline:
                raise Timeout(str(path)) from None
            time.sleep(delay)
            delay = min(delay * 2, _LOCK_POLL_S)
            continue
        except BaseException:
            os.close(fd)
            raise
        try:
            held = os.fstat(fd)
            if held.st_nlink and os.path.samestat(held, os.stat(path)):
                return fd
        except FileNotFoundError:
            pass
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)  # the previous holder removed this file as it let go: try the current one


# -- parsing --------------------------------------------------------------------------------


def _text(source: bytes | str, file: str) -> tuple[bytes, str | None, list[Problem]]:
    if isinstance(source, str):
        return source.encode("utf-8"), source, []
    text, problems = csvio.decode(source, file)
    return source, text, problems


def parse_tables(tables: Mapping[str, TableSource], meta: MetaSource, *,
                 unreadable: Iterable[str] = (), folder: Path | None = None,
                 today: dt.date | None = None) -> Report:
    """Type, validate and cross-check a workshop from its parts, wherever they were read from.

    Every workshop is made here: a folder feeds it its files' bytes, a git revision its blobs,
    an Excel workbook the rows of its sheets; all go through the same typing, checks and
    cross-checks.

    ``tables`` maps table names (``personas``, ``pain_points``, …) to:

    * the CSV file's bytes (or text): decoded, parsed, and remembered as what the file holds
      (:meth:`Workshop.mark_saved`: a later save writes back only what changed, the same way);
    * a :class:`~journeytools.model.csvio.RawTable`: rows of cell texts already split, each
      with its line (a sheet's row number), e.g. read from a spreadsheet;
    * ``None``, or no key: no such file (an error for personas and touchpoints).

    ``meta`` is ``workshop.yml`` as bytes or text, or the metadata as a mapping (checked the
    same way, through its YAML dump; not remembered as a file), or ``None`` when there is none.
    ``unreadable`` names the parts (table names; ``"workshop"`` for the metadata) the caller
    could not read and has reported already: they are not reported again, and references into
    them are not checked, so that one bad part does not bury the real problems.

    Problems name the folder's files (``pain_points.csv``, the lines given, the column): a
    caller that read elsewhere translates them (a revision prefix; a sheet and cell). Warnings
    are looked for only when there is no error. ``folder`` becomes the workshop's ``path``;
    ``today`` dates the staleness warning.
    """
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise ValueError(f"unknown table(s) {', '.join(sorted(unknown))}; expected some of "
                         f"{', '.join(TABLE_NAMES)}")
    errors: list[Problem] = []
    broken = set(unreadable)
    files: dict[str, bytes | None] = {}  # what the workshop's files hold, for its baseline
    checked: dict[str, Any] | None = None
    if meta is None:
        if "workshop" not in broken:
            errors.append(Problem(WORKSHOP_FILE, None, None, None,
                                  "workshop.yml is missing; every workshop folder needs one "
                                  "(try 'journeytools new DIR')"))
    elif isinstance(meta, Mapping):
        checked, probs = load_meta(dump_meta(dict(meta)))
        errors += probs
    else:
        meta_bytes, text, probs = _text(meta, WORKSHOP_FILE)
        errors += probs
        if text is not None:
            checked, probs = load_meta(text.lstrip(csvio.BOM))
            errors += probs
            if checked is not None:
                files[WORKSHOP_FILE] = meta_bytes
    frames: dict[str, Any] = {}
    lines: dict[str, list[int]] = {}
    dialects: dict[str, csvio.Dialect] = {}
    for name in TABLE_NAMES:
        spec = TABLES[name]
        source = tables.get(name)
        if name in broken:
            continue
        if source is None:
            if spec.must_exist:
                errors.append(Problem(spec.file, None, None, None,
                                      f"{spec.file} is missing; expected a CSV with columns "
                                      f"{', '.join(spec.required)}"))
                broken.add(name)
            else:
                files[spec.file] = None
            continue
        data: bytes | None = None
        if isinstance(source, csvio.RawTable):
            raw: csvio.RawTable | None = source
        else:
            data, text, probs = _text(source, spec.file)
            errors += probs
            raw = None
            if text is not None:
                raw, probs = csvio.parse(text, spec.file)
                errors += probs
        if raw is None:
            broken.add(name)
            continue
        frame, probs, row_lines = to_frame(raw, spec)
        errors += probs
        if frame is None:
            broken.add(name)
            continue
        frames[name] = frame
        lines[name] = row_lines
        dialects[name] = raw.dialect
        if data is not None:
            files[spec.file] = data
    if checked is None:
        broken.add("workshop")
    ws = Workshop(checked or {"title": "", "stages": []}, frames, folder)
    ws.mark_saved(files, dialects)
    errors += cross_check(ws, lines, broken)
    warnings = warnings_for(ws, lines, today) if not errors else []
    ws.warnings = warnings
    errors.sort(key=Problem.sort_key)
    warnings.sort(key=Problem.sort_key)
    return Report(errors, warnings, ws if not errors else None)


def _parse_files(files: Mapping[str, bytes | None], folder: Path | None,
                 today: dt.date | None = None) -> Report:
    """:func:`parse_tables` of file contents by file name (``None``: the file is absent)."""
    return parse_tables({n: files.get(TABLES[n].file) for n in TABLE_NAMES},
                        files.get(WORKSHOP_FILE), folder=folder, today=today)


def _read_folder(folder: Path) -> tuple[dict[str, bytes | None], list[Problem]]:
    names = [WORKSHOP_FILE] + [TABLES[n].file for n in TABLE_NAMES]
    out: dict[str, bytes | None] = {}
    problems: list[Problem] = []
    for name in names:
        try:
            out[name] = (folder / name).read_bytes()
        except FileNotFoundError:
            out[name] = None
        except OSError as exc:  # a folder named like the file, no permission, …
            problems.append(Problem(name, None, None, None,
                                    f"cannot read {name}: {exc.strerror or exc}; expected a readable text file"))
    return out, problems


def validate(path: str | os.PathLike, today: dt.date | None = None) -> Report:
    """Check a workshop folder; never raises for bad content (see ``Report.errors``)."""
    folder = Path(path)
    if not folder.exists():
        return Report([Problem(str(folder), None, None, None,
                               "folder not found; expected a workshop folder with workshop.yml")])
    if not folder.is_dir():
        return Report([Problem(str(folder), None, None, None,
                               "is a file; expected a workshop folder with workshop.yml")])
    files, unreadable = _read_folder(folder)
    if unreadable:
        return Report(unreadable)
    return _parse_files(files, folder, today)


def load(path: str | os.PathLike) -> Workshop:
    """Load and validate a workshop folder.

    Raises ``ValidationError`` listing every problem (file, line, column, value, message).

    >>> ws = load("workshops/luggage-store")   # doctest: +SKIP
    >>> list(ws.personas["id"])                 # doctest: +SKIP
    ['mia', 'andy']
    """
    report = validate(path)
    if report.errors:
        raise ValidationError(report.errors, report.warnings)
    assert report.workshop is not None
    return report.workshop


# -- saving ---------------------------------------------------------------------------------


def _serialise(ws: Workshop) -> dict[str, bytes]:
    """Bytes of every table that has rows or existed when loaded, plus ``workshop.yml``."""
    files: dict[str, bytes] = {WORKSHOP_FILE: ws.meta_text().encode("utf-8")}
    for name in TABLE_NAMES:
        base = ws.baseline(name)
        frame = ws.tables[name]
        if len(frame) or base.existed or TABLES[name].must_exist:
            header, rows = to_rows(frame)
            files[TABLES[name].file] = csvio.write(header, rows, base.dialect)
    return files


def save(ws: Workshop, path: str | os.PathLike | None = None) -> Path:
    """Save a workshop atomically; returns the folder written.

    Saving back to the folder it was loaded from writes only the tables changed in memory,
    under the folder lock, and raises ``ConflictError`` when one of them was also changed on
    disk since loading. Saving elsewhere writes the whole workshop. The workshop is checked
    first: an invalid one raises ``ValidationError`` and nothing is written.
    """
    if path is None and ws.path is None:
        raise UsageError("this workshop was not loaded from a folder: pass a path to save it to")
    target = Path(path if path is not None else ws.path)  # type: ignore[arg-type]
    files = _serialise(ws)
    check = _parse_files(files, target)
    if check.errors:
        raise ValidationError(check.errors)
    same = ws.path is not None and target.exists() and target.resolve() == Path(ws.path).resolve()
    target.mkdir(parents=True, exist_ok=True)
    with folder_lock(target):
        if same:
            _write_changes(ws, target, files)
        else:
            write_atomic({target / name: data for name, data in files.items()})
            _copy_assets(ws, target)
    return target


def save_changes(ws: Workshop, folder: str | os.PathLike | None = None) -> list[str]:
    """Write only what changed in memory since ``ws`` was loaded (or last saved) back to its
    folder; returns the names of the files written.

    Raises ``ConflictError``, writing nothing, when a file to write was also changed on disk
    since. Unlike :func:`save` it neither checks the workshop nor takes the folder lock: the
    caller holds :func:`folder_lock` and has checked what it changed (as the ``add_*``
    functions do, re-reading the folder under the lock).
    """
    target = Path(folder) if folder is not None else ws.path
    if target is None:
        raise UsageError("this workshop was not loaded from a folder: pass the folder")
    return _write_changes(ws, Path(target), _serialise(ws))


def _write_changes(ws: Workshop, folder: Path, files: dict[str, bytes]) -> list[str]:
    """Write only what changed in memory; refuse when the same table changed on disk too."""
    changed = ws.changed_tables()
    conflicts = []
    for name in changed:
        if file_digest(folder / TABLES[name].file) != ws.baseline(name).digest:
            conflicts.append(TABLES[name].file)
    meta_changed = ws.meta_changed()
    saved_meta = ws.saved_meta_text()
    if meta_changed and saved_meta is not None:
        if file_digest(folder / WORKSHOP_FILE) != digest(saved_meta.encode("utf-8")):
            conflicts.append(WORKSHOP_FILE)
    if conflicts:
        raise ConflictError(conflicts, str(folder))
    names = [TABLES[n].file for n in changed] + ([WORKSHOP_FILE] if meta_changed else [])
    out = {name: files[name] for name in names}
    write_atomic({folder / name: data for name, data in out.items()})
    ws.mark_saved(out)
    return names


def _copy_assets(ws: Workshop, target: Path) -> None:
    """Carry the evidence folder and the logo along when saving to a new folder."""
    if ws.path is None:
        return
    src = Path(ws.path)
    if (src / "evidence").is_dir() and not (target / "evidence").exists():
        shutil.copytree(src / "evidence", target / "evidence")
    logo = ws.branding.get("logo")
    if logo and (src / str(logo)).is_file() and not (target / str(logo)).exists():
        (target / str(logo)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / str(logo), target / str(logo))
