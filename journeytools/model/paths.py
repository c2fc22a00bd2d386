"""Paths that a workshop folder's own files name: where they may point and what they may be.

Client folders come from outside, so every path written in them (the logo in
``workshop.yml``, the files an evidence mapping names, ``based_on``) is untrusted. One rule,
here, decides what such a path may name (:func:`contained_file`):

* its shape (:func:`shape_problem`, checked without touching the disk): text, relative, no
  ``..`` component, no drive, no ``~``, no URL, no NUL character;
* resolved, symbolic links followed, it is still inside the workshop folder;
* it is a regular file (not a folder, FIFO or device), of at most ``max_bytes``.

A refused path raises :class:`UnsafePath` (a :class:`~journeytools.errors.UsageError`) whose
``reason`` the caller turns into a ``file:line`` problem where the path was written
(:meth:`UnsafePath.problem`). Reading goes through :func:`read_contained`, which checks again
on the open file (no FIFO that would block, no symbolic link swapped in since the check), and
images through :func:`read_image`, which also checks the type by content (PNG, JPEG, GIF,
WebP; SVG only without scripts, event handlers or external references).

``based_on`` (a future state's current-state workshop, e.g. ``../luggage-store-current``) is
the one path allowed to leave the folder (:func:`workshop_reference`). It must be relative and
name a workshop folder (a folder holding a regular ``workshop.yml``), and nothing but a
workshop folder may be read from it: load it with ``journeytools.store.folder.load`` (whose
own checks, these included, then apply to that folder), never open a file of it by a name
given in this one.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path, PurePosixPath, PureWindowsPath

from ..errors import Problem, UsageError, quote
from ..fsutil import Refused, read_regular

LOGO_MAX_BYTES = 2 * 1024 * 1024
"""The largest logo inlined into reports and slides."""

IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WebP",
               "image/svg+xml": "SVG"}

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")  # https:, file:, data: (not C:, a drive)


class UnsafePath(UsageError):
    """A path named in a workshop folder that may not be read: ``reason`` says why.

    ``missing`` is true when the only problem is that nothing is there (callers may treat a
    missing optional file more kindly than one that escapes the folder).
    """

    def __init__(self, value: object, reason: str, *, missing: bool = False) -> None:
        self.value, self.reason, self.missing = value, reason, missing
        super().__init__(f"{quote(value)}: {reason}")

    def problem(self, file: str, line: int | None, column: str | None) -> Problem:
        """The problem to report where the path was written (``workshop.yml:12``)."""
        return Problem(file, line, column, quote(self.value), self.reason)


def shape_problem(value: object, what: str, *, allow_parent: bool = False,
                  example: str | None = None) -> str | None:
    """Why ``value`` cannot name a file inside the workshop folder, judged by its text alone;
    ``None`` when its shape is fine. ``allow_parent`` lets ``..`` through (``based_on``);
    ``example`` is a good value to show in the message.

    >>> shape_problem("logo.png", "logo") is None
    True
    >>> shape_problem("/etc/passwd", "logo")
    "the logo must be a path inside the workshop folder such as 'logo.png', not an absolute path"
    """
    if example is None:
        example = "logo.png" if what == "logo" else "evidence/file.csv"
    inside = "relative to this workshop folder" if allow_parent else "inside the workshop folder"
    if not isinstance(value, str) or not value.strip():
        return f"expected the {what}'s path {inside}, e.g. {example!r}"
    if "\x00" in value:
        return f"the {what}'s path contains a NUL character"
    windows = PureWindowsPath(value)
    if value.startswith(("/", "\\", "~")) or windows.drive or windows.root \
            or PurePosixPath(value).is_absolute():
        return f"the {what} must be a path {inside} such as {example!r}, not an absolute path"
    if _URL.match(value):
        return f"the {what} must be a path {inside} such as {example!r}, not a URL"
    if not allow_parent and ".." in PurePosixPath(value.replace("\\", "/")).parts:
        return (f"the {what} must be inside the workshop folder: '..' (the folder above) is "
                "not allowed")
    return None


def _resolve(folder: str | os.PathLike, relative: object, what: str, *,
             base: str | os.PathLike | None, allow_outside: bool) -> Path:
    reason = shape_problem(relative, what, allow_parent=allow_outside)
    if reason:
        raise UnsafePath(relative, reason)
    assert isinstance(relative, str)
    try:
        root = Path(folder).resolve()
        start = Path(base).resolve() if base is not None else root
        target = (start / relative).resolve()
    except (OSError, RuntimeError) as exc:  # a symbolic link loop (RuntimeError before 3.13)
        raise UnsafePath(relative, f"the {what}'s path cannot be resolved: {exc}") from None
    if not allow_outside and not (target == root or target.is_relative_to(root)):
        raise UnsafePath(relative, f"the {what} must be inside the workshop folder; this path "
                                   "leads outside it (through a symbolic link)")
    return target


def contained_file(folder: str | os.PathLike, relative: object, *, kind: str = "file",
                   max_bytes: int | None = None, allow_outside: bool = False,
                   base: str | os.PathLike | None = None) -> Path:
    """The resolved path of the regular file that ``relative`` names inside ``folder``.

    ``relative`` is resolved against ``base`` (default: ``folder``; e.g. the folder of the
    mapping file that names it) and must end up inside ``folder`` unless ``allow_outside``.
    ``kind`` names the file in messages ("logo", "event log"). Raises :class:`UnsafePath`:
    bad shape, outside the folder, missing (``missing=True``), not a regular file, larger
    than ``max_bytes``.

    >>> contained_file("workshops/luggage-store", "../../etc/passwd", kind="logo")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    journeytools.model.paths.UnsafePath: '../../etc/passwd': the logo must be inside the ...
    """
    target = _resolve(folder, relative, kind, base=base, allow_outside=allow_outside)
    try:
        st = target.stat()
    except FileNotFoundError:
        raise UnsafePath(relative, f"{kind} file not found", missing=True) from None
    except OSError as exc:
        raise UnsafePath(relative, f"cannot read the {kind}: {exc.strerror or exc}") from None
    _check_stat(st, relative, kind, max_bytes)
    return target


def _check_stat(st: os.stat_result, relative: object, kind: str, max_bytes: int | None) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise UnsafePath(relative, f"is a folder; expected the {kind} file")
    if not stat.S_ISREG(st.st_mode):
        raise UnsafePath(relative, f"is not a regular file (a pipe or a device?); expected the "
                                   f"{kind} file")
    if max_bytes is not None and st.st_size > max_bytes:
        raise UnsafePath(relative, f"the {kind} is {_size(st.st_size)}; the limit is "
                                   f"{_size(max_bytes)}")


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def read_contained(folder: str | os.PathLike, relative: object, *, kind: str = "file",
                   max_bytes: int, base: str | os.PathLike | None = None) -> bytes:
    """The bytes of the file :func:`contained_file` allows, checked again on the open file:
    no symbolic link swapped in since the check, no FIFO (which would block), at most
    ``max_bytes`` read whatever the file grew to. Raises :class:`UnsafePath`."""
    target = contained_file(folder, relative, kind=kind, max_bytes=max_bytes, base=base)
    try:  # the one guarded read: regular files only, non-blocking, bounded, re-checked when open
        return read_regular(target, max_bytes, root=Path(folder))
    except Refused as exc:
        raise UnsafePath(relative, f"the {kind} {exc}") from None
    except OSError as exc:
        raise UnsafePath(relative, f"cannot read the {kind}: {exc.strerror or exc}") from None


# -- images ---------------------------------------------------------------------------------

_SVG_START = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                        rb"(?:<!DOCTYPE[^>]*>\s*)?(?:<!--.*?-->\s*)*<svg[\s>/]", re.S | re.I)
_SVG_REFUSED: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"<!(?:doctype|entity)"), "a DOCTYPE or entity declaration"),
    (re.compile(r"<\s*(?:[\w.-]+:)?(?:script|foreignobject|iframe|object|embed|handler|listener)\b"),
     "scripts or embedded documents"),
    (re.compile(r"[\s\"'/]on[a-z]+\s*="), "event handler attributes (such as onload=)"),
    (re.compile(r"javascript:|vbscript:"), "script links (javascript:)"),
    (re.compile(r"(?:href|src)\s*=\s*(?![\"']#|#)"), "links to other files or sites"),
    (re.compile(r"url\s*\(\s*(?![\"']?#)"), "references to other files or sites (url(…))"),
    (re.compile(r"@import|<\?xml-stylesheet"), "style sheets from other files"),
)


def image_type(data: bytes) -> str | None:
    """The MIME type of an image by its first bytes (PNG, JPEG, GIF, WebP, SVG), else ``None``."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if _SVG_START.match(data[:4096]):
        return "image/svg+xml"
    return None


def svg_problem(data: bytes) -> str | None:
    """Why an SVG image may not be shown in a report (``None`` when it is plain drawing):
    scripts, event handlers, entity declarations and references to anything outside it are
    refused rather than cleaned out."""
    try:
        text = data.decode("utf-8-sig").lower()
    except UnicodeDecodeError:
        return "the SVG is not UTF-8 text"
    for pattern, what in _SVG_REFUSED:
        if pattern.search(text):
            return f"the SVG contains {what}; save the logo as PNG, or remove them"
    return None


def read_image(folder: str | os.PathLike, relative: object, *, kind: str = "logo",
               max_bytes: int = LOGO_MAX_BYTES) -> tuple[str, bytes]:
    """(MIME type, bytes) of an image file inside ``folder``: :func:`read_contained` plus a
    type check by content. Raises :class:`UnsafePath`."""
    data = read_contained(folder, relative, kind=kind, max_bytes=max_bytes)
    mime = image_type(data)
    if mime is None:
        kinds = ", ".join(IMAGE_TYPES.values())
        raise UnsafePath(relative, f"the {kind} is not an image: its content is none of {kinds} "
                                   "(the type is read from the file, not from its name)")
    if mime == "image/svg+xml":
        reason = svg_problem(data)
        if reason:
            raise UnsafePath(relative, reason)
    return mime, data


# -- based_on: the one reference that may leave the folder ----------------------------------

def workshop_reference(folder: str | os.PathLike, relative: object, *,
                       kind: str = "based_on workshop") -> Path:
    """The workshop folder that ``relative`` (e.g. ``../luggage-store-current``) names; it may
    be outside ``folder`` but must be relative and be a workshop folder. Read nothing from it
    but a workshop (``journeytools.store.folder.load``). Raises :class:`UnsafePath`."""
    target = _resolve(folder, relative, kind, base=None, allow_outside=True)
    if not target.is_dir():
        raise UnsafePath(relative, f"the {kind} folder was not found" if not target.exists()
                         else f"is a file; expected the {kind} folder", missing=not target.exists())
    try:
        contained_file(target, "workshop.yml", kind="workshop.yml")
    except UnsafePath as exc:
        raise UnsafePath(relative, "not a workshop folder (it has no workshop.yml)" if exc.missing
                         else f"not a workshop folder: its workshop.yml {exc.reason}") from None
    return target
