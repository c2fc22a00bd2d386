"""Loading a workshop as committed at a git revision, and ``diff --rev``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeytools as jt
from journeytools.cli import app
from journeytools.cli.diff import register
from journeytools.diff import diff
from journeytools.store.gitrev import GitRevisionError, load_at_revision

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

register(app)
runner = CliRunner()
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
           "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(repo.parent)}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, env=env).stdout


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def set_severity(folder: Path, pain_id: str, value: int) -> None:
    ws = jt.load(folder)
    ws.pain_points.loc[ws.pain_points["id"] == pain_id, "severity"] = value
    jt.save(ws)


@pytest.fixture
def repo(luggage: Path, tmp_path: Path) -> Path:
    """A git repository holding the luggage workshop at workshops/luggage-store, committed."""
    root = tmp_path / "repo"
    (root / "workshops").mkdir(parents=True)
    shutil.move(str(luggage), root / "workshops" / "luggage-store")
    git(root, "init", "-q")
    commit_all(root, "first map")
    return root


def test_load_at_head_equals_working_tree(repo: Path) -> None:
    folder = repo / "workshops" / "luggage-store"
    old = load_at_revision(folder, "HEAD")
    assert old.path is None
    assert diff(old, jt.load(folder)).is_empty
    assert old.title == "Online luggage store — purchase journey"


def test_edit_then_diff_against_head(repo: Path) -> None:
    folder = repo / "workshops" / "luggage-store"
    set_severity(folder, "no-pink", 5)
    d = diff(load_at_revision(folder, "HEAD"), jt.load(folder))
    (row,) = d.table("pain_points").changed
    assert row.id == "no-pink" and row.change("severity").after == 5
    commit_all(repo, "no-pink is worse")
    set_severity(folder, "no-pink", 2)
    assert diff(load_at_revision(folder, "HEAD~1"), jt.load(folder)).table("pain_points").changed[0] \
        .change("severity").after == 2
    assert load_at_revision(folder, "HEAD").pain_points.set_index("id").loc["no-pink", "severity"] == 5


def test_relative_path_and_repo_root(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "workshops")
    assert load_at_revision("luggage-store", "HEAD").title.startswith("Online luggage")
    # a workshop at the top of its repository
    solo = repo.parent / "solo"
    shutil.copytree(repo / "workshops" / "luggage-store", solo)
    git(solo, "init", "-q")
    commit_all(solo, "map")
    monkeypatch.chdir(solo)
    assert load_at_revision(".", "HEAD").title.startswith("Online luggage")


def test_absent_optional_tables_read_as_empty(repo: Path) -> None:
    folder = repo / "workshops" / "luggage-store"
    (folder / "kpis.csv").unlink()
    commit_all(repo, "no kpis")
    ws = load_at_revision(folder, "HEAD")
    assert len(ws.kpis) == 0
    assert len(load_at_revision(folder, "HEAD~1").kpis) == 4


def test_folder_deleted_from_working_tree(repo: Path) -> None:
    folder = repo / "workshops" / "luggage-store"
    shutil.rmtree(folder)
    assert len(load_at_revision(folder, "HEAD").pain_points) == 10


def test_not_a_repository(luggage: Path) -> None:
    # tmp_path lives outside any repository
    if subprocess.run(["git", "-C", str(luggage), "rev-parse"], capture_output=True).returncode == 0:
        pytest.skip("the temporary directory is inside a git repository")
    with pytest.raises(GitRevisionError, match="not inside a git repository"):
        load_at_revision(luggage, "HEAD")


def test_unknown_revision(repo: Path) -> None:
    with pytest.raises(GitRevisionError, match="unknown git revision 'nope'"):
        load_at_revision(repo / "workshops" / "luggage-store", "nope")
    with pytest.raises(ValueError, match="not a git revision"):
        load_at_revision(repo / "workshops" / "luggage-store", "--output=x")


def test_folder_absent_at_revision(repo: Path) -> None:
    shutil.copytree(repo / "workshops" / "luggage-store", repo / "workshops" / "new-map")
    with pytest.raises(GitRevisionError, match="workshops/new-map does not exist at revision 'HEAD'"):
        load_at_revision(repo / "workshops" / "new-map", "HEAD")


def test_invalid_at_revision_names_the_revision(repo: Path) -> None:
    folder = repo / "workshops" / "luggage-store"
    text = (folder / "pain_points.csv").read_text(encoding="utf-8")
    (folder / "pain_points.csv").write_text(text.replace("no-pink,mia,colour-selector,",
                                                         "no-pink,mia,nowhere,", 1), encoding="utf-8")
    commit_all(repo, "broken")
    with pytest.raises(jt.ValidationError) as info:
        load_at_revision(folder, "HEAD")
    assert info.value.problems[0].file == "HEAD:workshops/luggage-store/pain_points.csv"


# -- command line --------------------------------------------------------------------------
def test_cli_rev_with_folder(repo: Path) -> None:
    folder = repo / "workshops" / "luggage-store"
    set_severity(folder, "no-pink", 5)
    res = runner.invoke(app, ["diff", str(folder), "--rev", "HEAD"])
    assert res.exit_code == 0, res.output
    assert res.stderr.splitlines()[0] == f"comparing {folder} as committed at HEAD → {folder} on disk"
    assert f"Changes from {folder} at HEAD to {folder}" in res.output
    assert "Pain point 'no-pink': severity 3 → 5; rank 4 → 2" in res.output


def test_cli_rev_current_folder_json(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = repo / "workshops" / "luggage-store"
    set_severity(folder, "no-pink", 5)
    monkeypatch.chdir(folder)
    res = runner.invoke(app, ["diff", "--rev", "HEAD", "--format", "json"])
    assert res.exit_code == 0, res.output
    here = f"the current folder ({Path.cwd()})"
    assert res.stderr.splitlines()[0] == f"comparing {here} as committed at HEAD → {here} on disk"
    doc = json.loads(res.stdout)
    assert doc["old"] == ". at HEAD" and doc["new"] == "."
    assert doc["tables"]["pain_points"]["changed"][0]["fields"] == [
        {"field": "severity", "before": 3, "after": 5}]


def test_cli_rev_old_and_new(repo: Path) -> None:
    folder = repo / "workshops" / "luggage-store"
    other = repo.parent / "copy"
    shutil.copytree(folder, other)
    set_severity(other, "cart-error", 1)
    res = runner.invoke(app, ["diff", str(folder), str(other), "--rev", "HEAD", "-f", "markdown"])
    assert res.exit_code == 0, res.output
    assert "| cart-error | changed | severity | 5 | 1 |" in res.output


def test_cli_rev_errors_exit_one(repo: Path) -> None:
    folder = repo / "workshops" / "luggage-store"
    res = runner.invoke(app, ["diff", str(folder), "--rev", "nope"])
    assert res.exit_code == 1
    assert "unknown git revision 'nope'" in res.output
