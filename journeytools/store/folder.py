"""Loading, validating and saving a workshop folder (SPEC §2, §7)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import os
import stat
import time
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from ..errors import ConflictError, Problem, UsageError, ValidationError
from ..fsutil import (
    JournalError,
    Refused,
    copy_regular,
    digest,
    file_digest,
    pending,
    read_regular,
    recover,
    write_journaled,
)
from ..model import csvio
from ..model.checks import check_files, cross_check, warnings_for
from ..model.meta import dump_meta, load_meta
from ..model.schema import LOCK_FILE, TABLE_NAMES, TABLES, WORKSHOP_FILE
from ..model.tables import decimal_mark, to_frame, to_rows
from ..model.workshop import Baseline, Workshop

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_TIMEOUT_S = 60
_LOCK_POLL_S = 0.05  # longest wait between two attempts at a busy lock

JOURNAL_FILE = ".journeytools.journal"
"""The journal of a multi-file save, there only while one is under way or was interrupted
(see :func:`journeytools.fsutil.write_journaled`); hidden, and no part of the workshop."""
MAX_TABLE_BYTES = 50_000_000
"""The largest table file read (a larger one is a problem, not a memory exhaustion)."""
MAX_META_BYTES = 1_000_000
"""The largest ``workshop.yml`` read."""
EVIDENCE_AGGREGATES = ("funnel.csv", "stages.csv", "issues.csv", "summary.yml", "mapping.yml")
"""The files of ``evidence/`` a save into a new folder copies: the aggregates ``journeytools
evidence`` writes and its mapping; never raw event logs, surveys or verbatim comments unless
asked (``copy_raw_evidence``)."""
_FILES = (WORKSHOP_FILE, *(TABLES[n].file for n in TABLE_NAMES))
_READ_ATTEMPTS = 5

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
    meta: dict[str, Any] | None = field(default=None, repr=False, compare=False)
    """The checked metadata of ``workshop.yml`` when it could be read, even when other parts
    have errors (``None``: it could not)."""

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
    texts: dict[str, tuple[str, list[str]]] = {}
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
        if raw.texts is not None:  # read from CSV text: its cells tell the decimal mark
            dialects[name] = dataclasses.replace(raw.dialect, decimal=decimal_mark(raw, spec))
        else:  # cells from elsewhere (a spreadsheet) are not written as the file was
            dialects[name] = raw.dialect
        if data is not None:
            files[spec.file] = data
            if raw.texts is not None and raw.header_text is not None:
                texts[name] = (raw.header_text, raw.texts)
    if checked is None:
        broken.add("workshop")
    ws = Workshop(checked or {"title": "", "stages": []}, frames, folder)
    ws.mark_saved(files, dialects, texts)
    errors += cross_check(ws, lines, broken)
    warnings = warnings_for(ws, lines, today) if not errors else []
    ws.warnings = warnings
    errors.sort(key=Problem.sort_key)
    warnings.sort(key=Problem.sort_key)
    return Report(errors, warnings, ws if not errors else None, checked)


def _parse_files(files: Mapping[str, bytes | None], folder: Path | None,
                 today: dt.date | None = None) -> Report:
    """:func:`parse_tables` of file contents by file name (``None``: the file is absent)."""
    return parse_tables({n: files.get(TABLES[n].file) for n in TABLE_NAMES},
                        files.get(WORKSHOP_FILE), folder=folder, today=today)


def _stamp(folder: Path) -> int | None:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return None


def _recover_if_free(folder: Path) -> bool:
    """Finish or undo an interrupted save now, if the folder's lock is free and the folder
    writable; whether that was done. Never waits: a lock that is held means a save is under
    way (or the caller holds it, as the ``add_*`` functions do, and will recover when saving)."""
    try:
        with folder_lock(folder, timeout=0):
            recover(folder, JOURNAL_FILE, _FILES)
    except OSError:  # a busy lock (Timeout is one), a read-only folder, a failed rename
        return False
    return True


def _read_file(folder: Path, name: str, overlay: Mapping[str, tuple[str, str]]
               ) -> tuple[bytes | None, Problem | None]:
    limit = MAX_META_BYTES if name == WORKSHOP_FILE else MAX_TABLE_BYTES
    if name in overlay:  # a committed save not completed: read what it wrote
        tmp, sha = overlay[name]
        try:
            data = read_regular(folder / tmp, limit)
        except FileNotFoundError:
            pass  # already renamed into place
        except (Refused, OSError) as exc:
            return None, Problem(name, None, None, None,
                                 f"cannot read {tmp}, the new {name} of an interrupted save: {exc}")
        else:
            if digest(data) == sha:
                return data, None
            return None, Problem(name, None, None, None,
                                 f"{tmp}, the new {name} of an interrupted save, does not hold "
                                 f"what was saved (damaged?); check the files, then delete it "
                                 f"and {JOURNAL_FILE}")
    try:
        return read_regular(folder / name, limit, root=folder), None
    except FileNotFoundError:
        return None, None
    except Refused as exc:
        return None, Problem(name, None, None, None, f"cannot read {name}: it {exc}")
    except OSError as exc:  # no permission, a file where a folder is expected, …
        return None, Problem(name, None, None, None, f"cannot read {name}: {exc.strerror or exc}; "
                                                     "expected a readable text file")


def _read_folder(folder: Path) -> tuple[dict[str, bytes | None], list[Problem]]:
    """The workshop files' bytes (``None``: absent) and the problems reading them.

    Only regular files are read (a named pipe would hang the read), at most
    :data:`MAX_TABLE_BYTES` of a table and :data:`MAX_META_BYTES` of ``workshop.yml``; a link
    is followed only to a file inside the folder. When an interrupted save left a journal or
    temp files, they are dealt with first (see :func:`load`). Should a save change the folder
    while it is read (its modification time changes), it is read again, a few times at most,
    so that a multi-file save is not seen half done.
    """
    out: dict[str, bytes | None] = {}
    problems: list[Problem] = []
    for _ in range(_READ_ATTEMPTS):
        before = _stamp(folder)
        try:
            state = pending(folder, JOURNAL_FILE, _FILES)
            if not state.clean and _recover_if_free(folder):
                state = pending(folder, JOURNAL_FILE, _FILES)
                before = _stamp(folder)
        except JournalError as exc:
            return {}, [Problem(JOURNAL_FILE, None, None, None, str(exc))]
        overlay = state.overlay()
        out, problems = {}, []
        for name in _FILES:
            data, problem = _read_file(folder, name, overlay)
            out[name] = data
            if problem is not None:
                problems.append(problem)
        if _stamp(folder) == before:
            break
    return out, problems


def validate(path: str | os.PathLike, today: dt.date | None = None) -> Report:
    """Check a workshop folder; never raises for bad content (see ``Report.errors``).

    Reads the folder as :func:`load` does, finishing an interrupted save first.
    """
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
    report = _parse_files(files, folder, today)
    if report.meta is not None:  # the files workshop.yml names (logo, based_on), on disk
        meta_bytes = files.get(WORKSHOP_FILE) or b""
        found = check_files(folder, report.meta, meta_bytes.decode("utf-8", "replace").lstrip(csvio.BOM))
        if found:
            errors = sorted(report.errors + found, key=Problem.sort_key)
            return Report(errors, [], None, report.meta)
    if report.workshop is not None and report.meta and report.meta.get("based_on"):
        from .future import based_on_problems  # it loads the other map with this module

        errors, warnings = based_on_problems(report.workshop)
        if errors:
            return Report(sorted(errors, key=Problem.sort_key), report.warnings, None, report.meta)
        report.warnings = sorted(report.warnings + warnings, key=Problem.sort_key)
    return report


def load(path: str | os.PathLike) -> Workshop:
    """Load and validate a workshop folder.

    Raises ``ValidationError`` listing every problem (file, line, column, value, message).

    Every file is treated as untrusted: only regular files are read (a named pipe or a
    device is a problem, never a hang), a link only to a file inside the folder, at most
    :data:`MAX_TABLE_BYTES` per table and :data:`MAX_META_BYTES` of ``workshop.yml``.

    A save that was interrupted (a crash, a kill) is dealt with first, as a database replays
    its journal: if it got past its commit point (its journal, ``.journeytools.journal``, is
    there), its remaining renames are done; otherwise its temp files are removed, and the
    files were never touched. Either way the folder holds wholly the old or wholly the new
    workshop, and no temp file of a workshop file survives. That needs the folder's lock and
    write access. When the lock is busy, or the folder cannot be written (read-only media,
    someone else's folder), nothing is changed: the workshop is read as the completed save
    would leave it (each file from the save's temp file where it is still there) and the
    leftovers stay until a load or save that can write.

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


def _kept_texts(base: Baseline, header: list[str], rows: list[list[str]], decimal: str
                ) -> list[str | None] | None:
    """For each row, its text in the file when the file holds that very row (``None``: a new
    or changed row); ``None`` when the file's texts are unknown or the columns changed."""
    if base.frame is None or base.texts is None or base.header_text is None \
            or len(base.texts) != len(base.frame):
        return None
    old_header, old_rows = to_rows(base.frame, decimal)
    if old_header != header:
        return None
    pool: dict[tuple[str, ...], deque[str]] = {}
    for row, text in zip(old_rows, base.texts):
        pool.setdefault(tuple(row), deque()).append(text)
    out: list[str | None] = []
    for row in rows:
        same = pool.get(tuple(row))
        out.append(same.popleft() if same else None)
    return out


def _serialise(ws: Workshop, only: Collection[str] | None = None
               ) -> tuple[dict[str, bytes], dict[str, tuple[str, list[str]]]]:
    """Bytes of every table that has rows or existed when loaded (of those in ``only``, when
    given), plus ``workshop.yml``; and the header and row texts of each table written.

    A table is written the way its file was: delimiter, BOM, line breaks, decimal mark; a
    row that did not change is written back as the very text it had in the file.
    """
    files: dict[str, bytes] = {WORKSHOP_FILE: ws.meta_text().encode("utf-8")}
    texts: dict[str, tuple[str, list[str]]] = {}
    for name in TABLE_NAMES:
        if only is not None and name not in only:
            continue
        base = ws.baseline(name)
        frame = ws.tables[name]
        if len(frame) or base.existed or TABLES[name].must_exist:
            dialect = base.dialect
            header, rows = to_rows(frame, dialect.decimal_mark)
            kept = _kept_texts(base, header, rows, dialect.decimal_mark)
            d = dialect.delimiter
            header_text = csvio.record(header, d)
            if kept is not None and base.header_text is not None:
                header_text = base.header_text
            row_texts = [text if text is not None else csvio.record(row, d)
                         for row, text in zip(rows, kept or [None] * len(rows))]
            files[TABLES[name].file] = csvio.assemble(header_text, row_texts, dialect)
            texts[name] = (header_text, row_texts)
    return files, texts


def _recover(folder: Path) -> None:
    """Finish or undo an interrupted save; the caller holds the folder's lock."""
    try:
        recover(folder, JOURNAL_FILE, _FILES)
    except JournalError as exc:
        raise ValidationError([Problem(JOURNAL_FILE, None, None, None, str(exc))]) from None


def save(ws: Workshop, path: str | os.PathLike | None = None, *,
         copy_raw_evidence: bool = False) -> Path:
    """Save a workshop atomically; returns the folder written.

    Saving back to the folder it was loaded from writes only the tables changed in memory,
    under the folder lock, and raises ``ConflictError`` when one of them was also changed on
    disk since loading. Saving elsewhere writes the whole workshop. The workshop is checked
    first: an invalid one raises ``ValidationError`` and nothing is written.

    The files change all together or not at all, even if the process is killed midway: they
    are written to temp files, a journal is committed, then they are renamed into place (see
    :func:`journeytools.fsutil.write_journaled`); the next load or save finishes the renames
    of a save killed after its commit point and removes the temp files of one killed before.
    Each table keeps the way its file was written (delimiter, BOM, line breaks, decimal comma)
    and each unchanged row its exact text.

    Saving into a new folder also copies, from the folder ``ws`` was loaded from, the logo
    (``branding.logo``, a file inside that folder) and from ``evidence/`` only what
    :data:`EVIDENCE_AGGREGATES` names: the aggregates ``journeytools evidence`` writes and its
    mapping. Raw event logs, survey answers, verbatim comments, notes and anything else in
    ``evidence/`` stay behind unless ``copy_raw_evidence=True``, which copies all of
    ``evidence/``. Links and special files are never copied (nor followed), and files already
    in the new folder are not replaced.
    """
    if path is None and ws.path is None:
        raise UsageError("this workshop was not loaded from a folder: pass a path to save it to")
    target = Path(path if path is not None else ws.path)  # type: ignore[arg-type]
    files, texts = _serialise(ws)
    check = _parse_files(files, target)
    if check.errors:
        raise ValidationError(check.errors)
    same = ws.path is not None and target.exists() and target.resolve() == Path(ws.path).resolve()
    target.mkdir(parents=True, exist_ok=True)
    with folder_lock(target):
        if same:
            _write_changes(ws, target, files, texts)
        else:
            _recover(target)
            write_journaled(target, files, JOURNAL_FILE)
            _copy_assets(ws, target, copy_raw_evidence)
    return target


def save_changes(ws: Workshop, folder: str | os.PathLike | None = None) -> list[str]:
    """Write only what changed in memory since ``ws`` was loaded (or last saved) back to its
    folder; returns the names of the files written.

    Raises ``ConflictError``, writing nothing, when a file to write was also changed on disk
    since. Unlike :func:`save` it neither checks the workshop nor takes the folder lock: the
    caller holds :func:`folder_lock` and has checked what it changed (as the ``add_*``
    functions do, re-reading the folder under the lock). Like :func:`save` it first finishes
    or undoes an interrupted save, and writes several files all-or-nothing.
    """
    target = Path(folder) if folder is not None else ws.path
    if target is None:
        raise UsageError("this workshop was not loaded from a folder: pass the folder")
    changed = ws.changed_tables()
    return _write_changes(ws, Path(target), *_serialise(ws, changed), changed=changed)


def _write_changes(ws: Workshop, folder: Path, files: dict[str, bytes],
                   texts: Mapping[str, tuple[str, list[str]]],
                   changed: list[str] | None = None) -> list[str]:
    """Write only what changed in memory (``changed``: the tables, when already known);
    refuse when the same table changed on disk too."""
    _recover(folder)
    if changed is None:
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
    write_journaled(folder, out, JOURNAL_FILE)
    ws.mark_saved(out, texts={n: texts[n] for n in changed})
    return names


def _real_dir(path: Path) -> bool:
    """A folder, and not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _copy_tree(src: Path, dst: Path) -> None:
    """Copy the regular files under ``src`` into ``dst``, keeping files already there;
    links, pipes and devices are skipped, never followed."""
    try:
        entries = sorted(os.scandir(src), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        out = dst / entry.name
        if entry.is_dir(follow_symlinks=False):
            if not os.path.lexists(out) or _real_dir(out):
                _copy_tree(Path(entry.path), out)
        elif entry.is_file(follow_symlinks=False) and not os.path.lexists(out):
            copy_regular(Path(entry.path), out)


def _copy_assets(ws: Workshop, target: Path, copy_raw_evidence: bool = False) -> None:
    """Carry the evidence aggregates (all of ``evidence/`` with ``copy_raw_evidence``) and
    the logo along when saving to a new folder (see :func:`save`)."""
    if ws.path is None:
        return
    src = Path(ws.path)
    if src.resolve() == target.resolve():
        return
    evidence, into = src / "evidence", target / "evidence"
    if _real_dir(evidence) and (not os.path.lexists(into) or _real_dir(into)):
        if copy_raw_evidence:
            _copy_tree(evidence, into)
        else:
            for name in EVIDENCE_AGGREGATES:
                if not os.path.lexists(into / name):
                    copy_regular(evidence / name, into / name)
    logo = ws.branding.get("logo")
    if not logo or not isinstance(logo, str):
        return
    rel = Path(logo)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        return  # only a file inside the workshop folder is part of it
    real_src = os.path.realpath(src)
    if os.path.commonpath([os.path.realpath(src / rel), real_src]) != real_src:
        return  # a link on the way leads out of the folder
    dst = target / rel
    if os.path.lexists(dst):
        return
    parent = dst.parent
    while parent != target and not os.path.lexists(parent):
        parent = parent.parent
    if parent == target or _real_dir(parent):
        copy_regular(src / rel, dst)
