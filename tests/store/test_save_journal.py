"""A multi-table save is all-or-nothing across crashes: a crash at any rename leaves a folder
that loads as wholly old or wholly new, and no temp file survives the next load or save."""

from __future__ import annotations

import errno
import json
import multiprocessing as mp
import os
import random
import shutil
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import journeytools as jt
from journeytools import fsutil
from journeytools.store import folder as folder_mod
from journeytools.store.folder import JOURNAL_FILE, folder_lock

from helpers import write_workshop

CTX = mp.get_context("fork")
FILES = ("workshop.yml", "personas.csv", "touchpoints.csv", "steps.csv", "pain_points.csv",
         "opportunities.csv", "votes.csv", "kpis.csv")


def snapshot(folder: Path) -> dict[str, bytes | None]:
    return {n: (folder / n).read_bytes() if (folder / n).exists() else None for n in FILES}


def leftovers(folder: Path) -> list[str]:
    """Temp files and journals: what must not survive a load or save."""
    return sorted(p.name for p in folder.iterdir()
                  if p.name.endswith(".tmp") or p.name.startswith(JOURNAL_FILE))


def edit(ws: jt.Workshop, version: int = 1) -> jt.Workshop:
    """Change four files at once: three tables and workshop.yml."""
    ws.pain_points.loc[0, "severity"] = 1 + version % 5
    ws.opportunities.loc[0, "title"] = f"Express slots v{version}"
    ws.personas.loc[0, "name"] = f"Carla v{version}"
    ws.meta["title"] = f"Bike shop v{version}"
    return ws


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, dict[str, bytes | None], dict[str, bytes | None]]:
    """A workshop folder, its files, and its files after the edit saved completely."""
    folder = write_workshop(tmp_path / "ws")
    old = snapshot(folder)
    done = tmp_path / "done"
    shutil.copytree(folder, done)
    jt.save(edit(jt.load(done)))
    new = snapshot(done)
    assert [n for n in FILES if old[n] != new[n]] == ["workshop.yml", "personas.csv", "pain_points.csv",
                                                     "opportunities.csv"]
    return folder, old, new


def fresh(src: Path, dst: Path) -> Path:
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    return dst


class Dead(BaseException):
    """The process 'dies': from here on nothing more is renamed."""


@pytest.fixture
def die_at(monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """die_at(k): the k-th rename (0-based) and every one after it fail."""
    real = fsutil._rename
    state = {"n": 0, "at": None}

    def rename(src, dst):
        n = state["n"]
        state["n"] += 1
        if state["at"] is not None and n >= state["at"]:
            raise Dead(f"killed at rename {n}")
        real(src, dst)

    def arm(k: int | None) -> None:
        state["n"], state["at"] = 0, k

    monkeypatch.setattr(fsutil, "_rename", rename)
    yield arm
    arm(None)


def test_a_save_of_four_files_has_five_renames(versions, tmp_path, die_at) -> None:
    src, old, new = versions
    folder = fresh(src, tmp_path / "count")
    seen: list[str] = []
    real = fsutil._rename

    def rename(a, b):
        seen.append(Path(b).name)
        real(a, b)

    fsutil._rename = rename  # monkeypatched back by the die_at fixture
    jt.save(edit(jt.load(folder)))
    assert seen == [JOURNAL_FILE, "personas.csv", "pain_points.csv", "opportunities.csv", "workshop.yml"]
    assert snapshot(folder) == new and leftovers(folder) == []


@pytest.mark.parametrize("k", range(5))
def test_a_crash_at_each_rename_loads_wholly_old_or_wholly_new(versions, tmp_path, die_at, k) -> None:
    src, old, new = versions
    folder = fresh(src, tmp_path / f"crash{k}")
    ws = edit(jt.load(folder))
    die_at(k)
    with pytest.raises(Dead):
        jt.save(ws)
    die_at(None)
    on_disk = snapshot(folder)
    if 1 < k < 5:
        assert on_disk not in (old, new)  # the crash really left the targets half done
    # past the commit point the journal and the temp files stay for the recovery (before it,
    # an exception removes the temp files; a real crash leaves them: see the next test)
    assert bool(leftovers(folder)) == (k > 0)
    loaded = jt.load(folder)
    expected = old if k == 0 else new  # rename 0 is the journal's: the commit point
    assert snapshot(folder) == expected
    assert loaded == (jt.load(src) if k == 0 else edit(jt.load(src)))
    assert leftovers(folder) == []
    assert not (folder / ".journeytools.lock").exists()


def _save_and_exit_at(folder: str, k: int) -> None:
    count = {"n": 0}
    real = fsutil._rename

    def rename(a, b):
        if count["n"] == k:
            os._exit(3)  # no cleanup, no finally: as a kill would
        count["n"] += 1
        real(a, b)

    fsutil._rename = rename
    jt.save(edit(jt.load(folder)))
    os._exit(0)


@pytest.mark.parametrize("k", range(6))
def test_a_process_exiting_at_each_rename_leaves_a_recoverable_folder(versions, tmp_path, k) -> None:
    src, old, new = versions
    folder = fresh(src, tmp_path / f"exit{k}")
    proc = CTX.Process(target=_save_and_exit_at, args=(str(folder), k))
    proc.start()
    proc.join(60)
    assert proc.exitcode == (3 if k < 5 else 0)
    if k == 5:  # no crash
        assert snapshot(folder) == new and leftovers(folder) == []
        return
    assert (folder / ".journeytools.lock").exists()  # left by the dead process: harmless
    assert leftovers(folder)
    assert jt.validate(folder).ok
    assert snapshot(folder) == (old if k == 0 else new)
    assert leftovers(folder) == []


@pytest.mark.parametrize("k", [0, 2])
def test_the_next_save_recovers_first(versions, tmp_path, die_at, k) -> None:
    src, old, new = versions
    folder = fresh(src, tmp_path / f"next{k}")
    die_at(k)
    with pytest.raises(Dead):
        jt.save(edit(jt.load(folder)))
    die_at(None)
    # another writer comes along before anyone loads: it finishes (or undoes) the save first
    jt.add_vote(folder, voter="ana", item="no-same-day")
    after = snapshot(folder)
    expected = old if k == 0 else new
    assert {n: after[n] for n in FILES if n != "votes.csv"} == {n: expected[n] for n in FILES
                                                                  if n != "votes.csv"}
    assert len(jt.load(folder).votes) == 1
    assert leftovers(folder) == []


def test_a_failed_rename_is_retried_and_the_save_completes(versions, tmp_path, monkeypatch) -> None:
    src, old, new = versions
    folder = fresh(src, tmp_path / "retry")
    real = fsutil._rename
    calls = {"n": 0}

    def flaky(a, b):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.EIO, "I/O error")
        real(a, b)

    monkeypatch.setattr(fsutil, "_rename", flaky)
    ws = edit(jt.load(folder))
    jt.save(ws)
    assert snapshot(folder) == new and leftovers(folder) == []
    assert ws.changed_tables() == []


def test_busy_lock_or_read_only_folder_loads_what_the_completed_save_gives(
        versions, tmp_path, die_at, monkeypatch) -> None:
    src, old, new = versions
    folder = fresh(src, tmp_path / "ro")
    die_at(2)
    with pytest.raises(Dead):
        jt.save(edit(jt.load(folder)))
    die_at(None)
    half = snapshot(folder)
    left = leftovers(folder)
    expected = edit(jt.load(src))
    with folder_lock(folder):  # a save under way elsewhere: nothing is touched
        assert jt.load(folder) == expected
    assert snapshot(folder) == half and leftovers(folder) == left

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(folder_mod, "recover", read_only)
    report = jt.validate(folder)
    assert report.ok and report.workshop == expected
    assert snapshot(folder) == half and leftovers(folder) == left
    monkeypatch.undo()
    assert jt.load(folder) == expected and snapshot(folder) == new and leftovers(folder) == []


def test_stray_temp_files_are_removed_by_the_next_load_and_only_ours(tmp_path) -> None:
    folder = write_workshop(tmp_path / "ws")
    ours = [".personas.csv.0123abcd.tmp", ".kpis.csv.deadbeef.tmp", f".{JOURNAL_FILE}.89abcdef.tmp"]
    theirs = [".notes.tmp", ".report.md.0123abcd.tmp", "personas.csv.0123abcd.tmp", f"{JOURNAL_FILE}.89abcdef.tmp",
              ".personas.csv.xyz.tmp", "evidence"]
    for name in ours + theirs[:-1]:
        (folder / name).write_bytes(b"half written")
    (folder / "evidence").mkdir()
    (folder / "evidence" / ".funnel.csv.0123abcd.tmp").write_bytes(b"")
    before = snapshot(folder)
    jt.load(folder)
    names = {p.name for p in folder.iterdir()}
    assert not names & set(ours)
    assert set(theirs) <= names and (folder / "evidence" / ".funnel.csv.0123abcd.tmp").exists()
    assert snapshot(folder) == before


def test_stray_temp_files_are_removed_by_the_next_save(tmp_path) -> None:
    folder = write_workshop(tmp_path / "ws")
    ws = jt.load(folder)
    (folder / ".steps.csv.0123abcd.tmp").write_bytes(b"x")
    ws.personas.loc[0, "name"] = "Carla"
    jt.save(ws)
    assert leftovers(folder) == []


def test_a_damaged_or_foreign_journal_is_a_problem_and_nothing_is_renamed(tmp_path) -> None:
    folder = write_workshop(tmp_path / "ws")
    before = snapshot(folder)
    (folder / JOURNAL_FILE).write_text("{not json", encoding="utf-8")
    report = jt.validate(folder)
    assert [(p.file, "not valid JSON" in p.message) for p in report.errors] == [(JOURNAL_FILE, True)]
    outside = tmp_path / "victim.txt"
    outside.write_text("keep me", encoding="utf-8")
    (folder / ".personas.csv.0123abcd.tmp").write_text("id,name\n", encoding="utf-8")
    for target, temp in [("../victim.txt", ".personas.csv.0123abcd.tmp"),
                         ("personas.csv", "../victim.txt"),
                         ("personas.csv", ".workshop.yml.0123abcd.tmp")]:
        doc = {"kind": "journeytools save journal", "version": 1,
               "files": [{"temp": temp, "target": target, "sha256": "0" * 64}]}
        (folder / JOURNAL_FILE).write_text(json.dumps(doc), encoding="utf-8")
        errors = jt.validate(folder).errors
        assert len(errors) == 1 and errors[0].file == JOURNAL_FILE, errors
        ws = jt.load(write_workshop(tmp_path / "other"))
        with pytest.raises(jt.ValidationError, match="journal"):
            jt.save(ws, folder)
    assert snapshot(folder) == before and outside.read_text(encoding="utf-8") == "keep me"


def test_a_journal_whose_temp_file_changed_is_not_rolled_forward(versions, tmp_path, die_at) -> None:
    src, old, new = versions
    folder = fresh(src, tmp_path / "tampered")
    die_at(1)
    with pytest.raises(Dead):
        jt.save(edit(jt.load(folder)))
    die_at(None)
    journal = json.loads((folder / JOURNAL_FILE).read_text(encoding="utf-8"))
    (folder / journal["files"][0]["temp"]).write_bytes(b"id,name\nsomeone,Else\n")
    errors = jt.validate(folder).errors
    assert errors and "does not hold what was saved" in errors[0].message
    assert snapshot(folder) == old


def _save_forever(folder: str) -> None:
    version = 0
    while True:
        version += 1
        jt.save(edit(jt.load(folder), version % 2))


@pytest.mark.slow
def test_kill_9_during_saves_never_leaves_a_mixed_folder(versions, tmp_path) -> None:
    src, old, _ = versions
    expected = {}
    for v in (0, 1):
        done = fresh(src, tmp_path / f"v{v}")
        jt.save(edit(jt.load(done), v))
        expected[v] = snapshot(done)
    folder = fresh(src, tmp_path / "killed")
    rng = random.Random(7)
    mixed = interrupted = 0
    for _ in range(30):
        proc = CTX.Process(target=_save_forever, args=(str(folder),))
        proc.start()
        time.sleep(0.05 + rng.random() * 0.25)
        assert proc.pid is not None
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(30)
        on_disk = snapshot(folder)
        mixed += on_disk not in (old, expected[0], expected[1])
        interrupted += bool(leftovers(folder))
        assert jt.validate(folder).ok
        assert snapshot(folder) in (old, expected[0], expected[1])
        assert leftovers(folder) == []
    print(f"of 30 kills, {interrupted} interrupted a save, {mixed} during its renames")


def _save_versions(folder: str, n: int) -> None:
    for version in range(n):
        jt.save(edit(jt.load(folder), version % 2))
    os._exit(0)


def versions_seen(ws: jt.Workshop) -> set[str]:
    """Which edit each of the four files shows (``old``: none)."""
    def v(text: str) -> str:
        return text.rsplit(" v", 1)[1] if " v" in text else "old"

    return {v(ws.meta["title"]), v(ws.personas["name"].iloc[0]), v(ws.opportunities["title"].iloc[0])}


@pytest.mark.slow
def test_readers_never_see_a_save_half_done(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws")
    proc = CTX.Process(target=_save_versions, args=(str(folder), 40))
    proc.start()
    loads = 0
    while proc.is_alive() or not loads:
        seen = versions_seen(jt.load(folder))
        assert len(seen) == 1, seen
        loads += 1
    proc.join(60)
    assert proc.exitcode == 0 and loads > 1


def test_journaled_writes_are_for_files_directly_in_the_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="directly in the folder"):
        fsutil.write_journaled(tmp_path, {"a.csv": b"", "sub/b.csv": b""}, JOURNAL_FILE)
    assert list(tmp_path.iterdir()) == []
