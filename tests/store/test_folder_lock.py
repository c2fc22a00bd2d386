"""The folder lock: writers in other threads and processes wait for each other, and nothing is
left behind in the folder once they are done."""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from pathlib import Path

import pytest
from filelock import Timeout

import journeytools as jt
from journeytools.store import folder as folder_mod
from journeytools.store.folder import folder_lock
from journeytools.store.starters import new_workshop

from helpers import write_workshop

LOCK = ".journeytools.lock"
CTX = mp.get_context("fork")


def _try_lock(folder: str, timeout: float, queue) -> None:
    try:
        with folder_lock(folder, timeout=timeout):
            queue.put(("locked", time.monotonic()))
    except Timeout:
        queue.put(("timeout", time.monotonic()))


def test_new_workshop_leaves_no_lock_file(tmp_path: Path) -> None:
    target = new_workshop(tmp_path / "fresh")
    assert not (target / LOCK).exists()
    assert jt.validate(target).ok


def test_lock_file_exists_only_while_held(tmp_path: Path) -> None:
    with folder_lock(tmp_path):
        assert (tmp_path / LOCK).exists()
    assert not (tmp_path / LOCK).exists()
    with folder_lock(tmp_path):  # and it can be taken again
        pass
    assert list(tmp_path.iterdir()) == []


def test_lock_is_released_and_removed_when_the_body_raises(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError):
        with folder_lock(tmp_path):
            raise RuntimeError("boom")
    assert not (tmp_path / LOCK).exists()
    with folder_lock(tmp_path, timeout=0):
        pass


def test_another_process_waits_for_the_holder(tmp_path: Path) -> None:
    queue = CTX.Queue()
    with folder_lock(tmp_path):
        proc = CTX.Process(target=_try_lock, args=(str(tmp_path), 0.3, queue))
        proc.start()
        assert queue.get(timeout=30)[0] == "timeout"
        proc.join(30)
        proc = CTX.Process(target=_try_lock, args=(str(tmp_path), 30, queue))
        proc.start()
        time.sleep(0.3)
        assert queue.empty()  # still waiting
        released = time.monotonic()
    kind, at = queue.get(timeout=30)
    proc.join(30)
    assert kind == "locked" and at >= released
    assert not (tmp_path / LOCK).exists()


def test_threads_exclude_each_other(tmp_path: Path) -> None:
    inside = []
    overlaps = []

    def work() -> None:
        for _ in range(20):
            with folder_lock(tmp_path):
                inside.append(1)
                if len(inside) > 1:
                    overlaps.append(len(inside))
                time.sleep(0.001)
                inside.pop()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not overlaps
    assert not (tmp_path / LOCK).exists()


def test_a_waiter_holding_a_removed_lock_file_takes_the_current_one(tmp_path, monkeypatch):
    """The race that makes removing a lock file unsafe for naive locks: a writer opens the lock
    file, the holder removes it as it lets go, and the writer then locks the removed file while
    a third writer creates and locks a new one. The writer must notice and lock the new one."""
    import fcntl

    real_flock = fcntl.flock
    opened: list[int] = []
    real_open = os.open

    def spy_open(path, flags, mode=0o777, **kw):
        fd = real_open(path, flags, mode, **kw)
        opened.append(os.fstat(fd).st_ino)
        return fd

    def racing_flock(fd, op):
        if len(opened) == 1:  # the first attempt: its file goes away before the flock
            os.unlink(tmp_path / LOCK)
            (tmp_path / LOCK).write_bytes(b"")  # … and someone else's new lock file appears
        return real_flock(fd, op)

    monkeypatch.setattr(folder_mod.os, "open", spy_open)
    monkeypatch.setattr(folder_mod.fcntl, "flock", racing_flock)
    with folder_lock(tmp_path):
        assert len(opened) == 2 and opened[0] != opened[1]
        assert os.stat(tmp_path / LOCK).st_ino == opened[1]
    assert not (tmp_path / LOCK).exists()


def test_appends_from_many_processes_all_land(tmp_path: Path) -> None:
    src = write_workshop(tmp_path / "ws")
    meta = src / "workshop.yml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("dots_per_voter: 5", "dots_per_voter: 50"),
                    encoding="utf-8")

    def vote(voter: str) -> None:
        for _ in range(5):
            jt.add_vote(src, voter=voter, item="express-slots")

    procs = [CTX.Process(target=vote, args=(f"v{i}",)) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    assert len(jt.load(src).votes) == 20
    assert not (src / LOCK).exists()
