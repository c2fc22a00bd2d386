"""Client folders come from outside: pipes, links, huge files and huge numbers are problems,
never hangs, leaks or tracebacks; a save into a new folder copies no raw evidence."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import journeytools as jt
from journeytools.store import folder as folder_mod

from helpers import write_workshop

posix_only = pytest.mark.skipif(os.name == "nt", reason="named pipes and symlinks are POSIX here")


def validate_within(folder: Path, seconds: float = 20) -> jt.Report:
    """validate() in a thread, failing (not hanging) when it does not come back."""
    out: list[jt.Report] = []
    worker = threading.Thread(target=lambda: out.append(jt.validate(folder)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "validate hung"
    return out[0]


@posix_only
@pytest.mark.parametrize("name", ["personas.csv", "votes.csv", "workshop.yml"])
def test_a_named_pipe_is_a_problem_not_a_hang(tmp_path: Path, name: str) -> None:
    folder = write_workshop(tmp_path / "ws")
    (folder / name).unlink(missing_ok=True)
    os.mkfifo(folder / name)
    report = validate_within(folder)
    assert [(p.file, p.message) for p in report.errors] == [
        (name, f"cannot read {name}: it is a named pipe (FIFO), not a regular file; expected a text file")]
    with pytest.raises(jt.ValidationError):
        jt.load(folder)


@posix_only
def test_a_link_out_of_the_folder_is_refused_unread(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws")
    secret = tmp_path / "secret.csv"
    secret.write_text("TOP-SECRET-FIRST-LINE,x\n", encoding="utf-8")
    (folder / "personas.csv").unlink()
    (folder / "personas.csv").symlink_to(secret)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    (folder / "kpis.csv").symlink_to(pipe)  # were it opened, the read would hang
    (folder / "votes.csv").symlink_to(folder / ".." / ".." / "nowhere.csv")
    report = validate_within(folder)
    text = "\n".join(str(p) for p in report.errors)
    assert "TOP-SECRET" not in text
    assert {p.file: p.message for p in report.errors} == {
        "personas.csv": "cannot read personas.csv: it is a link to a file outside the workshop folder; "
                        "copy the file in instead",
        "kpis.csv": "cannot read kpis.csv: it is a link to a file outside the workshop folder; "
                    "copy the file in instead",
        "votes.csv": "cannot read votes.csv: it is a link to a file outside the workshop folder; "
                     "copy the file in instead"}


@posix_only
def test_a_link_to_a_file_inside_the_folder_is_read(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws")
    (folder / "data").mkdir()
    (folder / "personas.csv").rename(folder / "data" / "people.csv")
    (folder / "personas.csv").symlink_to(Path("data") / "people.csv")
    (folder / "kpis.csv").symlink_to("missing.csv")
    report = jt.validate(folder)
    assert [p.message for p in report.errors] == [
        "cannot read kpis.csv: it is a link to a file that does not exist"]
    (folder / "kpis.csv").unlink()
    assert list(jt.load(folder).personas["id"]) == ["commuter", "racer"]


def test_files_larger_than_the_limit_are_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_workshop(tmp_path / "ws")
    monkeypatch.setattr(folder_mod, "MAX_TABLE_BYTES", 200)
    monkeypatch.setattr(folder_mod, "MAX_META_BYTES", 100)
    errors = {p.file: p.message for p in jt.validate(folder).errors}
    assert errors["workshop.yml"].startswith("cannot read workshop.yml: it is ")
    assert "more than the 100 bytes journeytools reads" in errors["workshop.yml"]
    assert "more than the 200 bytes" in errors["steps.csv"] and "personas.csv" not in errors
    assert folder_mod.MAX_TABLE_BYTES != 50_000_000  # the real limits:
    monkeypatch.undo()
    assert (folder_mod.MAX_TABLE_BYTES, folder_mod.MAX_META_BYTES) == (50_000_000, 1_000_000)


@pytest.mark.parametrize("column,value,message", [
    ("votes", "1" + "0" * 30,
     "votes must be a whole number from 1 to 9223372036854775807, got '1000000000000000000000000000000'"),
    ("votes", "1e30", "votes must be a whole number from 1 to 9223372036854775807, got '1e30'"),
    ("votes", "9" * 5000, "votes must be a whole number from 1 to 9223372036854775807, got "),
    ("votes", "9223372036854775807", None),
])
def test_integers_too_large_for_int64_are_problems(tmp_path: Path, column: str, value: str,
                                                   message: str | None) -> None:
    folder = write_workshop(tmp_path / "ws")
    (folder / "votes.csv").write_text(f"voter,item,votes\nana,no-same-day,{value}\n", encoding="utf-8")
    report = jt.validate(folder)
    if message is None:
        assert report.ok and report.workshop is not None
        assert int(report.workshop.votes["votes"].iloc[0]) == 2**63 - 1
        return
    assert [(p.file, p.line, p.column) for p in report.errors] == [("votes.csv", 2, column)]
    assert report.errors[0].message.startswith(message)


def test_steps_order_and_scores_too_large(tmp_path: Path) -> None:
    folder = write_workshop(tmp_path / "ws", steps="persona,touchpoint,order,emotion\n"
                            f"commuter,flat-tyre,{10**25},{10**25}\n")
    errors = {p.column: p.message for p in jt.validate(folder).errors}
    assert errors["order"].startswith("order must be a whole number from -9223372036854775807 to 9223372036854775807")
    assert errors["emotion"].startswith("emotion must be a whole number from 1 to 5")


# -- saving into a new folder: aggregates only, no links ----------------------------------------

AGGREGATES = ["funnel.csv", "stages.csv", "issues.csv", "summary.yml", "mapping.yml"]
RAW = ["events.csv.gz", "survey.csv", "comments.csv", "interview-notes.md", "raw/2026-11/events.jsonl"]


def with_evidence(folder: Path, outside: Path) -> Path:
    ev = folder / "evidence"
    for name in AGGREGATES + RAW:
        (ev / name).parent.mkdir(parents=True, exist_ok=True)
        (ev / name).write_text(f"contents of {name}\n", encoding="utf-8")
    outside.write_text("outside\n", encoding="utf-8")
    if os.name != "nt":
        (ev / "linked.csv").symlink_to(outside)
        (ev / "raw" / "dir-link").symlink_to(outside.parent, target_is_directory=True)
        os.mkfifo(ev / "pipe.csv")
    return folder


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def test_save_elsewhere_copies_only_the_evidence_aggregates(tmp_path: Path) -> None:
    src = with_evidence(write_workshop(tmp_path / "ws"), tmp_path / "outside.txt")
    copy = jt.save(jt.load(src), tmp_path / "copy")
    assert files_under(copy / "evidence") == set(AGGREGATES)
    assert (copy / "evidence" / "funnel.csv").read_text(encoding="utf-8") == "contents of funnel.csv\n"


def test_save_elsewhere_copies_raw_evidence_when_asked_but_never_links(tmp_path: Path) -> None:
    src = with_evidence(write_workshop(tmp_path / "ws"), tmp_path / "outside.txt")
    copy = jt.save(jt.load(src), tmp_path / "copy", copy_raw_evidence=True)
    assert files_under(copy / "evidence") == set(AGGREGATES + RAW)
    assert not any(p.is_symlink() for p in (copy / "evidence").rglob("*"))


def test_files_already_in_the_new_folder_are_kept(tmp_path: Path) -> None:
    src = with_evidence(write_workshop(tmp_path / "ws"), tmp_path / "outside.txt")
    (tmp_path / "copy" / "evidence").mkdir(parents=True)
    (tmp_path / "copy" / "evidence" / "funnel.csv").write_text("mine\n", encoding="utf-8")
    jt.save(jt.load(src), tmp_path / "copy")
    assert (tmp_path / "copy" / "evidence" / "funnel.csv").read_text(encoding="utf-8") == "mine\n"
    assert (tmp_path / "copy" / "evidence" / "stages.csv").exists()


@pytest.mark.parametrize("logo,copied", [("logo.png", True), ("img/logo.png", True), ("linked.png", False)])
def test_the_logo_is_copied_only_from_inside_the_folder(tmp_path: Path, logo: str, copied: bool) -> None:
    src = write_workshop(tmp_path / "ws")
    (src / "logo.png").write_bytes(b"\x89PNG")
    (src / "img").mkdir()
    (src / "img" / "logo.png").write_bytes(b"\x89PNG")
    (tmp_path / "outside.png").write_bytes(b"\x89PNG outside")
    if os.name != "nt":
        (src / "linked.png").symlink_to(tmp_path / "outside.png")
    ws = jt.load(src)
    ws.meta["branding"] = {**ws.meta.get("branding", {}), "logo": logo}
    copy = jt.save(ws, tmp_path / "copy")
    target = copy / logo
    if copied:
        assert target.read_bytes() == b"\x89PNG"
    else:
        assert not (copy / "outside.png").exists() and not (copy / "linked.png").exists()
        assert files_under(copy) == {"workshop.yml", "personas.csv", "touchpoints.csv", "steps.csv",
                                     "pain_points.csv", "opportunities.csv"}
