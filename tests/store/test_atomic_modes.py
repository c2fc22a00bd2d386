"""Atomic writes give new files the umask's permissions and keep an existing file's."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import journeytools as jt
from journeytools.fsutil import write_atomic, write_text_atomic

from helpers import write_workshop


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_new_files_follow_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        write_atomic({tmp_path / "a.csv": b"x\n", tmp_path / "sub" / "b.csv": b"y\n"})
        write_text_atomic(tmp_path / "c.md", "z")
        (tmp_path / "plain.txt").write_text("p")  # what an ordinary write gives
    finally:
        os.umask(old)
    expected = 0o666 & ~umask
    assert mode(tmp_path / "plain.txt") == expected
    for name in ("a.csv", "sub/b.csv", "c.md"):
        assert mode(tmp_path / name) == expected, name
    assert not list(tmp_path.rglob("*.tmp"))


def test_replaced_files_keep_their_permissions(tmp_path: Path) -> None:
    target = tmp_path / "a.csv"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_atomic({target: b"new"})
    assert target.read_bytes() == b"new" and mode(target) == 0o600


def test_saved_workshop_files_follow_the_umask(tmp_path: Path) -> None:
    ws = jt.load(write_workshop(tmp_path / "ws"))
    old = os.umask(0o007)
    try:
        out = jt.save(ws, tmp_path / "copy")
    finally:
        os.umask(old)
    assert {mode(p) for p in out.iterdir() if p.is_file()} == {0o660}
