"""Atomic writes: every file goes to a temp file first, then all are renamed into place."""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        return digest(path.read_bytes())
    except FileNotFoundError:
        return None


_TEMP_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0))


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


def write_atomic(files: dict[Path, bytes]) -> None:
    """Write several files so that either all are replaced or none is touched.

    Each file is written and fsynced next to its target, then renamed over it; a failure
    before the renames removes the temp files and leaves the old files intact. A file that
    is replaced keeps its permissions; a new one gets the umask's, like any file written.
    """
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
            except FileNotFoundError:
                pass
            else:
                os.chmod(tmp, mode & 0o777)
    except BaseException:
        for tmp, _ in staged:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        raise
    for tmp, target in staged:
        os.replace(tmp, target)


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
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
