"""Atomic writes, journaled multi-file writes, and careful reads.

Writing: every file goes to a temp file next to its target first (``.<name>.<8 hex>.tmp``),
fsynced, then renamed over the target. :func:`write_atomic` does that for any files;
:func:`write_journaled` makes several files in one folder change all together or not at all,
even across a crash, with a journal that :func:`recover` rolls forward (see there).

Reading: :func:`read_regular` reads only regular files, up to a size limit, never blocks on a
named pipe and never follows a link out of the folder it is given.

This module is the only place that renames files into place (``tests/test_vocab.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import stat
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """The sha256 of a regular file's bytes; ``None`` when there is no file. Anything else (a
    folder, a named pipe, a link) gives a string that is no sha256, so it never matches one."""
    try:
        return digest(read_regular(Path(path), limit=1 << 62, root=Path(path).parent))
    except FileNotFoundError:
        return None
    except (Refused, OSError) as exc:
        return f"(unreadable: {exc})"


# -- reading --------------------------------------------------------------------------------

_READ_FLAGS = (os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
               | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))


class Refused(Exception):
    """A file that is deliberately not read. The message follows the word "it":
    ``cannot read personas.csv: it is a named pipe (FIFO), not a regular file; …``."""


def size_text(n: int) -> str:
    """A size in words: ``50 MB``, ``1.5 kB``, ``12 bytes``."""
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _inside(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # another drive
        return False


def _check(st: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise Refused(f"is {_kind(st.st_mode)}, not a regular file; expected a text file")
    if st.st_size > limit:
        raise Refused(f"is {size_text(st.st_size)}, more than the {size_text(limit)} "
                      "journeytools reads from such a file")


def read_regular(path: Path, limit: int, root: Path | None = None) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    Raises ``FileNotFoundError`` when there is no such file, :class:`Refused` (without opening
    it) for a folder, named pipe, socket or device, for a file larger than ``limit`` bytes and
    for a link whose target lies outside ``root`` (or, with no ``root``, for any link), and
    ``OSError`` when it cannot be read. A link to a file inside ``root`` is followed. The file
    is opened non-blocking, so a pipe swapped in after the check cannot hang the read either.
    """
    st = os.lstat(path)
    real = str(path)
    if stat.S_ISLNK(st.st_mode):
        if root is None:
            raise Refused("is a link; expected a regular file")
        real = os.path.realpath(path)
        if not _inside(real, os.path.realpath(root)):
            raise Refused("is a link to a file outside the workshop folder; copy the file in "
                          "instead")
        try:
            st = os.stat(real)
        except FileNotFoundError:
            raise Refused("is a link to a file that does not exist") from None
    _check(st, limit)
    fd = os.open(real, _READ_FLAGS)
    try:
        _check(os.fstat(fd), limit)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # grew since the check
                raise Refused(f"is more than the {size_text(limit)} journeytools reads from "
                              "such a file")
        return b"".join(chunks)
    finally:
        os.close(fd)


def copy_regular(src: Path, dst: Path) -> bool:
    """Copy the regular file ``src`` to ``dst`` atomically, never following a link and never
    opening anything but a regular file; returns whether it was copied (``False``: ``src`` is
    absent, a link, a folder, a pipe, …). The copy gets the umask's permissions."""
    try:
        st = os.lstat(src)
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(st.st_mode):
        return False
    try:
        fd = os.open(src, _READ_FLAGS)
    except OSError:  # swapped for a link since (ELOOP), or gone
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False

        def produce(tmp: Path) -> None:
            with open(tmp, "wb") as out:
                while chunk := os.read(fd, 1 << 20):
                    out.write(chunk)

        write_produced(dst, produce)
        return True
    finally:
        os.close(fd)


# -- writing --------------------------------------------------------------------------------

_TEMP_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0))
TEMP_RE = re.compile(r"^\.(?P<target>.+)\.[0-9a-f]{8}\.tmp$")
"""The names of the temp files made here: ``.<target name>.<8 hex digits>.tmp``."""


def temp_target(name: str) -> str | None:
    """The name of the file a temp file of ours is for, or ``None`` when ``name`` is not one."""
    m = TEMP_RE.match(name)
    return m.group("target") if m else None


def _rename(src: str | Path, dst: str | Path) -> None:
    """Rename ``src`` over ``dst`` (every rename into place goes through here)."""
    os.replace(src, dst)


def fsync_dir(folder: Path) -> None:
    """Make the renames in ``folder`` durable (where the system allows fsyncing a folder)."""
    if os.name == "nt":  # pragma: no cover - renames are durable there, and folders not openable
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _create_temp(target: Path) -> tuple[int, str]:
    """A new, empty temp file next to ``target``, created with the permissions a plain
    ``open(target, "w")`` would give it: 0666 less the umask (``tempfile.mkstemp`` would
    make it 0600, which the rename would then carry over to the target)."""
    for _ in range(100):
        tmp = str(target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, _TEMP_FLAGS, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name next to {target}")


def _unlink_quietly(path: str | Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _stage(files: Mapping[Path, bytes]) -> list[tuple[str, Path]]:
    """Write each file to a fsynced temp file next to its target; (temp, target) pairs. On any
    failure the temp files are removed again and the error raised."""
    staged: list[tuple[str, Path]] = []
    try:
        for target, data in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = _create_temp(target)
            staged.append((tmp, target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            try:
                mode = target.stat().st_mode
            except (FileNotFoundError, NotADirectoryError):
                pass
            else:
                os.chmod(tmp, mode & 0o777)
    except BaseException:
        for tmp, _ in staged:
            _unlink_quietly(tmp)
        raise
    return staged


def write_atomic(files: dict[Path, bytes]) -> None:
    """Write several files, each atomically: a reader sees each file whole, old or new.

    Each file is written and fsynced next to its target, then renamed over it; a failure
    before the renames removes the temp files and leaves the old files intact. A crash during
    the renames can leave some files new and some old: use :func:`write_journaled` when the
    files must change together. A file that is replaced keeps its permissions; a new one gets
    the umask's, like any file written.
    """
    for tmp, target in _stage(files):
        _rename(tmp, target)


def write_text_atomic(path: Path, text: str) -> None:
    write_atomic({Path(path): text.encode("utf-8")})


def write_produced(target: Path, produce: Callable[[Path], object]) -> None:
    """Atomically put in place a file that ``produce(path)`` writes (a PDF engine, say).

    ``produce`` gets a temp path in ``target``'s folder, already created with the permissions
    any write gets (see ``write_atomic``), and writes the file there; then it is fsynced and
    renamed over ``target``. If ``produce`` fails, the temp file is removed and ``target`` is
    left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temp(target)
    try:
        mode = os.fstat(fd).st_mode & 0o777  # 0666 less the umask
    finally:
        os.close(fd)
    try:
        try:
            mode = target.stat().st_mode & 0o777  # a replaced file keeps its permissions
        except FileNotFoundError:
            pass
        produce(Path(tmp))
        with open(tmp, "r+b") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # not whatever mode the producer (re)created the file with
        _rename(tmp, target)
    except BaseException:
        _unlink_quietly(tmp)
        raise


# -- journaled writes and their recovery -----------------------------------------------------

JOURNAL_KIND = "journeytools save journal"
JOURNAL_VERSION = 1
MAX_JOURNAL_BYTES = 1_000_000


class JournalError(Exception):
    """A journal that cannot be trusted or completed; the message says what to do."""


@dataclass(frozen=True)
class Pending:
    """What interrupted saves left in a folder (see :func:`pending`)."""

    renames: list[tuple[str, str, str]] = field(default_factory=list)
    """(temp, target, sha256) of a committed save, in order (empty: no journal)."""
    journal: bool = False
    """Whether there is a journal file."""
    strays: list[str] = field(default_factory=list)
    """Temp files of ours for the folder's files that no journal names: never committed."""

    @property
    def clean(self) -> bool:
        return not self.journal and not self.strays

    def overlay(self) -> dict[str, tuple[str, str]]:
        """target -> (temp, sha256): what a completed save puts where."""
        return {target: (tmp, sha) for tmp, target, sha in self.renames}


def _parse_journal(data: bytes, journal: str, targets: Collection[str]) -> list[tuple[str, str, str]]:
    def bad(why: str) -> JournalError:
        return JournalError(f"{journal} {why}; it is the record of a save that was interrupted, "
                            "which journeytools cannot finish. If the files look right, delete "
                            f"{journal}")

    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad("is not valid JSON") from None
    if not isinstance(doc, dict) or doc.get("kind") != JOURNAL_KIND:
        raise bad("is not a journeytools save journal")
    if doc.get("version") != JOURNAL_VERSION:
        raise bad(f"has version {doc.get('version')!r}, expected {JOURNAL_VERSION} (written "
                  "by another version of journeytools?)")
    entries = doc.get("files")
    if not isinstance(entries, list):
        raise bad("lists no files")
    out: list[tuple[str, str, str]] = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise bad("has an entry that is not a file")
        tmp, target, sha = entry.get("temp"), entry.get("target"), entry.get("sha256")
        if not (isinstance(target, str) and target in targets):
            raise bad(f"names {target!r}, which is not a file of the workshop")
        if not (isinstance(tmp, str) and temp_target(tmp) == target and "/" not in tmp
                and "\\" not in tmp):
            raise bad(f"names {tmp!r}, which is not a journeytools temp file for {target}")
        if not (isinstance(sha, str) and re.fullmatch(r"[0-9a-f]{64}", sha)):
            raise bad(f"has no valid sha256 for {target}")
        out.append((tmp, target, sha))
    return out


def pending(folder: Path, journal: str, targets: Collection[str]) -> Pending:
    """What an interrupted save left in ``folder``: the journal's renames, if there is one
    (``journal`` is its file name), and the temp files of ours for ``targets`` (file names)
    or the journal that it does not name. Only reads. Raises :class:`JournalError` for a
    journal that is damaged or names anything but ``targets`` and temp files for them.
    """
    folder = Path(folder)
    renames: list[tuple[str, str, str]] = []
    has_journal = False
    try:
        data = read_regular(folder / journal, MAX_JOURNAL_BYTES)
    except FileNotFoundError:
        pass
    except (Refused, OSError) as exc:
        raise JournalError(f"cannot read {journal}: {'it ' if isinstance(exc, Refused) else ''}"
                           f"{exc}") from None
    else:
        has_journal = True
        renames = _parse_journal(data, journal, targets)
    named = {tmp for tmp, _, _ in renames}
    ours = set(targets) | {journal}
    strays: list[str] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name not in named and temp_target(entry.name) in ours:
                    strays.append(entry.name)
    except OSError:
        pass
    return Pending(renames, has_journal, sorted(strays))


def _verify(path: Path, sha: str) -> None:
    try:
        data = read_regular(path, 1 << 62)
    except FileNotFoundError:
        raise
    except (Refused, OSError) as exc:
        raise JournalError(f"cannot finish the interrupted save: {path.name} {exc}") from None
    if digest(data) != sha:
        raise JournalError(f"cannot finish the interrupted save: {path.name} does not hold what "
                           f"was saved (damaged?); check the files, then delete it and the journal")


def recover(folder: Path, journal: str, targets: Collection[str]) -> list[str]:
    """Finish or undo what interrupted saves left in ``folder``; returns the targets renamed.

    Call it holding the folder's lock, so that no save is under way. When there is a journal,
    its save was committed: each temp file it names that is still there (and holds the bytes
    the journal records) is renamed over its target, in the journal's order (the ones already
    renamed before the crash are gone), and the journal is removed. Then every other temp file
    of ours for ``targets`` is removed: it belongs to a save that never reached its commit
    point, whose targets were therefore never touched. Files of any other name are left alone.
    Raises :class:`JournalError` (leaving everything as it is) for a journal that cannot be
    trusted, and ``OSError`` when the folder cannot be changed.
    """
    folder = Path(folder)
    state = pending(folder, journal, targets)
    done: list[str] = []
    if state.journal:
        todo = []
        for tmp, target, sha in state.renames:
            try:
                _verify(folder / tmp, sha)
            except FileNotFoundError:
                continue  # renamed before the crash
            todo.append((tmp, target))
        for tmp, target in todo:
            _rename(folder / tmp, folder / target)
            done.append(target)
        fsync_dir(folder)
        os.unlink(folder / journal)
    for name in state.strays:
        try:
            st = os.lstat(folder / name)
        except FileNotFoundError:
            continue
        if stat.S_ISREG(st.st_mode) or stat.S_ISLNK(st.st_mode):
            os.unlink(folder / name)
    if state.journal or state.strays:
        fsync_dir(folder)
    return done


def write_journaled(folder: Path, files: Mapping[str, bytes], journal: str) -> None:
    """Write several files of one folder all-or-nothing, even if the process dies midway.

    ``files`` maps file names in ``folder`` to their new bytes. The steps:

    1. every file goes to a fsynced temp file next to its target (as :func:`write_atomic`);
    2. the journal, JSON naming each temp file, its target and the sha256 of its bytes, is
       written to a temp file of its own, fsynced and renamed to ``journal``: the commit point.
       A crash before it leaves the targets untouched (the temp files are removed as strays by
       the next :func:`recover`); from here on the save counts as done;
    3. the temp files are renamed over their targets, one by one, and the folder fsynced;
    4. the journal is removed.

    A crash during step 3 leaves some targets new and some old until :func:`recover` (which
    the workshop folder's ``load`` and ``save`` run) completes the remaining renames. One
    file needs no journal: a single rename is atomic. Should a rename fail here (rather than
    the process die), the renames are retried once through :func:`recover`; if that fails too
    the error is raised and the journal stays for the next recovery.
    """
    folder = Path(folder)
    nested = [name for name in files if Path(name).name != name or name in ("", ".", "..")]
    if nested:
        raise ValueError(f"write_journaled writes files directly in the folder, not {nested[0]!r}")
    if len(files) <= 1:
        write_atomic({folder / name: data for name, data in files.items()})
        return
    staged = _stage({folder / name: data for name, data in files.items()})
    doc = {"kind": JOURNAL_KIND, "version": JOURNAL_VERSION,
           "files": [{"temp": Path(tmp).name, "target": target.name, "sha256": digest(files[target.name])}
                     for tmp, target in staged]}
    jtmp: str | None = None
    try:
        fd, jtmp = _create_temp(folder / journal)
        with os.fdopen(fd, "wb") as fh:
            fh.write(json.dumps(doc, indent=1).encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        _rename(jtmp, folder / journal)  # the commit point
    except BaseException:
        for tmp, _ in staged:
            _unlink_quietly(tmp)
        if jtmp is not None:
            _unlink_quietly(jtmp)
        raise
    fsync_dir(folder)  # the journal is on disk before any target changes
    try:
        for tmp, target in staged:
            _rename(tmp, target)
    except OSError:
        recover(folder, journal, list(files))
        return
    fsync_dir(folder)
    os.unlink(folder / journal)
