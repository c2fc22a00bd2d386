"""Error mapping: journeytools' own errors and OS errors about user paths print ``error: …``
(exit 1, no traceback); anything else is a bug: traceback plus a hint to report it."""

from __future__ import annotations

import errno
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import journeytools as jt
import journeytools.scoring
from journeytools.cli import app
from journeytools.cli.common import is_user_error, os_message
from journeytools.errors import JourneyToolsError, NotFound, UsageError, ValidationError

from helpers import write_workshop

runner = CliRunner()
HINT = f"this is a bug in journeytools {jt.__version__}: please report it with the command you ran"


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def ws(tmp_path):
    return write_workshop(tmp_path / "ws")


def test_own_error_is_one_clean_line(ws):
    r = invoke("export", str(ws), "--to", "xlsx", "--persona", "commuter")
    assert r.exit_code == 1
    assert r.output.startswith("error: --persona does not apply to xlsx")
    assert "Traceback" not in r.output and "bug" not in r.output


@pytest.mark.parametrize("exc", [
    PermissionError(errno.EACCES, "Permission denied", "steps.csv"),
    FileNotFoundError(errno.ENOENT, "No such file or directory", "gone.csv"),
    IsADirectoryError(errno.EISDIR, "Is a directory", "steps.csv"),
    NotADirectoryError(errno.ENOTDIR, "Not a directory", "ws/steps.csv"),
    OSError(errno.ENOSPC, "No space left on device", "out.md"),
])
def test_os_errors_about_user_paths_are_user_errors(ws, monkeypatch, exc):
    def boom(*a, **k):
        raise exc

    monkeypatch.setattr(journeytools.scoring, "score", boom)
    r = invoke("score", str(ws))
    assert r.exit_code == 1
    assert r.output == f"error: {exc.filename}: {exc.strerror}\n"


@pytest.mark.parametrize("exc", [KeyError("stage"), ValueError("could not convert"),
                                 TypeError("unsupported operand"), AttributeError("no attr"),
                                 ConnectionResetError(errno.ECONNRESET, "reset")])
def test_internal_errors_show_traceback_and_hint(ws, monkeypatch, exc):
    def boom(*a, **k):
        raise exc

    monkeypatch.setattr(journeytools.scoring, "score", boom)
    r = invoke("score", str(ws))
    assert r.exit_code == 1
    assert "Traceback (most recent call last)" in r.output
    assert f"{type(exc).__name__}: " in r.output and "in boom" in r.output
    assert r.output.rstrip().splitlines()[-1] == f"error: {HINT}"


def test_debug_reraises_bugs(ws, monkeypatch):
    monkeypatch.setattr(journeytools.scoring, "score",
                        lambda *a, **k: {}["missing"])
    r = invoke("--debug", "score", str(ws))
    assert isinstance(r.exception, KeyError) and HINT not in r.output


def test_bug_in_a_real_process(ws):
    """The console script: traceback and hint on stderr, exit 1."""
    code = ("import sys, journeytools.scoring as s\n"
            "def boom(*a, **k): raise KeyError('boom')\n"
            "s.score = boom\n"
            "from journeytools.cli import main\n"
            f"sys.argv = ['journeytools', 'score', {str(ws)!r}]\n"
            "main()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr and "KeyError: 'boom'" in proc.stderr
    assert proc.stderr.rstrip().endswith(HINT) and proc.stdout == ""


def test_user_error_in_a_real_process(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "journeytools", "export", str(tmp_path / "none"),
                           "--to", "markdown"], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "folder not found" in proc.stderr and "Traceback" not in proc.stderr


def test_classification():
    assert is_user_error(ValidationError([]))
    assert is_user_error(NotFound("unknown persona 'x'"))
    assert is_user_error(UsageError("no"))
    assert is_user_error(JourneyToolsError("no"))
    assert is_user_error(FileExistsError(errno.EEXIST, "File exists", "out"))
    assert is_user_error(OSError(errno.EROFS, "Read-only file system", "out"))
    for bug in (KeyError("x"), ValueError("x"), TypeError("x"), AttributeError("x"),
                RuntimeError("x"), OSError(errno.EPIPE, "Broken pipe")):
        assert not is_user_error(bug), bug
    # journeytools' errors stay catchable as ValueError by library callers
    assert isinstance(UsageError("x"), ValueError) and isinstance(NotFound("x"), UsageError)


def test_os_message():
    assert os_message(PermissionError(13, "Permission denied", "a.csv")) == "a.csv: Permission denied"
    assert os_message(FileExistsError("out is not empty; pass --force")) == \
        "out is not empty; pass --force"


def test_debug_does_not_outlive_its_command(ws, monkeypatch):
    from journeytools.cli.common import STATE

    invoke("--debug", "validate", str(ws))
    assert STATE["debug"] is False
