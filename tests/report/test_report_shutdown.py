"""``journeytools report`` stops every process it started on every exit path: a signal to the CLI
(SIGTERM, SIGHUP, Ctrl-C to its process group) and the CLI itself dying (SIGKILL).

Each test runs the real CLI on a copy of the luggage-store example with a notebook that keeps
every persona but one busy, waits until the zygote, forked (or warm) kernels and a PDF worker
are running, notes every descendant of the CLI, stops it and checks none of them survives.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from journeytools.report.build import report_notebook

from helpers import ctrl_c_works

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="process tree checks on Linux")]

TODAY = "2026-11-25"
BUSY = "import time\nif persona != 'mia':\n    time.sleep(600)\n"
GONE_WITHIN = 10.0  # seconds


def _busy_notebook(tmp_path: Path) -> Path:
    nb = nbformat.read(report_notebook(), as_version=4)
    cell = nbformat.v4.new_code_cell(BUSY)
    if nb.nbformat_minor < 5:  # cell ids came with nbformat 4.5
        cell.pop("id", None)
    nb.cells.insert(3, cell)
    path = tmp_path / "busy_report.ipynb"
    nbformat.write(nb, path)
    return path


def _start(tmp_path: Path, luggage: Path, kernels: str = "fork") -> tuple[subprocess.Popen[bytes], Path]:
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "journeytools", "report", str(luggage), "-o", str(out),
           "--notebook", str(_busy_notebook(tmp_path)), "--format", "html,pdf", "--jobs", "2",
           "--today", TODAY, "--kernels", kernels]
    proc = subprocess.Popen(preexec_fn=ctrl_c_works, args=cmd, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=open(tmp_path / "stderr.txt", "wb"))  # noqa: SIM115
    return proc, out


def _is_kernel(p: psutil.Process) -> bool:
    """A warm kernel (``ipykernel_launcher``) or one forked from the zygote (a child of the
    zygote, so it shows the zygote's command line)."""
    if "ipykernel" in " ".join(p.cmdline()):
        return True
    parent = p.parent()
    return parent is not None and "journeytools.report.zygote" in " ".join(parent.cmdline())


def _running(tree: list[psutil.Process]) -> dict[str, list[psutil.Process]]:
    kinds: dict[str, list[psutil.Process]] = {"kernel": [], "pdf": [], "other": []}
    for p in tree:
        try:
            cmd = " ".join(p.cmdline())
            kind = "kernel" if _is_kernel(p) else "pdf" if "multiprocessing" in cmd else "other"
        except psutil.Error:
            continue
        kinds[kind].append(p)
    return kinds


def _wait_until_busy(proc: subprocess.Popen[bytes], out: Path, tmp_path: Path) -> list[psutil.Process]:
    """Every descendant of the CLI once kernels and a PDF worker are running (mia's PDF printed,
    the other personas' kernels busy or started ahead)."""
    cli = psutil.Process(proc.pid)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, (tmp_path / "stderr.txt").read_text()
        if (out / "mia.pdf").is_file():
            tree = cli.children(recursive=True)
            kinds = _running(tree)
            if kinds["kernel"] and kinds["pdf"]:
                return tree
        time.sleep(0.2)
    raise AssertionError("the report never got busy: " + (tmp_path / "stderr.txt").read_text())


def _survivors(tree: list[psutil.Process], timeout: float = GONE_WITHIN) -> list[str]:
    """Processes of ``tree`` still running after ``timeout`` s (zombies count as stopped: they
    wait for a parent that may no longer exist to reap them)."""
    deadline = time.monotonic() + timeout
    while True:
        alive = []
        for p in tree:
            try:
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(f"{p.pid} {' '.join(p.cmdline())[:120]}")
            except psutil.Error:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def _cleanup(tree: list[psutil.Process]) -> None:
    for p in tree:
        try:
            p.kill()
        except psutil.Error:
            pass


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_signal_to_cli_stops_everything(tmp_path, luggage, signum):
    proc, out = _start(tmp_path, luggage)
    tree = []
    try:
        tree = _wait_until_busy(proc, out, tmp_path)
        os.kill(proc.pid, signum)
        assert proc.wait(timeout=GONE_WITHIN) == 128 + signum, (tmp_path / "stderr.txt").read_text()
        assert _survivors(tree) == []
        assert "stopped by" in (tmp_path / "stderr.txt").read_text()
    finally:
        proc.kill()
        _cleanup(tree)


def test_ctrl_c_stops_everything(tmp_path, luggage):
    """Ctrl-C sends SIGINT to the terminal's foreground process group: the CLI, the zygote and
    the PDF workers (kernels have sessions of their own)."""
    proc, out = _start(tmp_path, luggage)
    tree = []
    try:
        tree = _wait_until_busy(proc, out, tmp_path)
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=GONE_WITHIN) == 130, (tmp_path / "stderr.txt").read_text()
        assert _survivors(tree) == []
    finally:
        proc.kill()
        _cleanup(tree)


@pytest.mark.parametrize("kernels", ["fork", "warm"])
def test_cli_killed_stops_everything(tmp_path, luggage, kernels):
    """SIGKILL runs no code in the CLI: the zygote, kernels and PDF workers notice their parent
    is gone and stop themselves."""
    proc, out = _start(tmp_path, luggage, kernels)
    tree = []
    try:
        tree = _wait_until_busy(proc, out, tmp_path)
        proc.kill()
        proc.wait(timeout=GONE_WITHIN)
        assert _survivors(tree) == []
    finally:
        _cleanup(tree)


def _sample(procs: list[psutil.Process], seen: dict[int, tuple[psutil.Process, str]]) -> None:
    """Note each new process of ``procs`` with its kind (kernel, pdf, tracker or its command
    line), while it runs."""
    for p in procs:
        if p.pid not in seen:
            try:
                cmd = " ".join(p.cmdline())
                kind = ("kernel" if _is_kernel(p) else "tracker" if "resource_tracker" in cmd
                        else "pdf" if "multiprocessing" in cmd else cmd)
                seen[p.pid] = (p, kind)
            except psutil.Error:
                pass


def test_normal_end_leaves_nothing_running(tmp_path, luggage):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "journeytools", "report", str(luggage), "-o", str(out),
           "--format", "html,pdf", "--jobs", "2", "--today", TODAY]
    proc = subprocess.Popen(preexec_fn=ctrl_c_works, args=cmd, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    cli, seen = psutil.Process(proc.pid), {}
    try:
        while proc.poll() is None:  # every process the run starts, noted as it runs
            try:
                _sample(cli.children(recursive=True), seen)
            except psutil.Error:
                pass
            time.sleep(0.05)
        assert proc.returncode == 0
        kinds = [kind for _, kind in seen.values()]
        assert kinds.count("kernel") >= 3 and "pdf" in kinds
        assert _survivors([p for p, _ in seen.values()]) == []
    finally:
        proc.kill()
        _cleanup([p for p, _ in seen.values()])


def test_error_mid_run_stops_everything(tmp_path, luggage):
    """An exception in the caller's code (here the progress callback, as when stdout is a
    closed pipe) while kernels are busy: raised at once, with every process stopped."""
    from journeytools.report.build import ReportOptions, build_reports

    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    seen: dict[int, tuple[psutil.Process, str]] = {}

    def progress(label: str, done: int, total: int) -> None:
        _sample([p for p in me.children(recursive=True) if p.pid not in before], seen)
        raise BrokenPipeError("stdout closed")

    t = time.monotonic()
    with pytest.raises(BrokenPipeError):
        build_reports(luggage, tmp_path / "out", ReportOptions(formats=("html", "pdf"), jobs=2, today=TODAY,
                                                               notebook=_busy_notebook(tmp_path)),
                      progress=progress)
    assert time.monotonic() - t < 60  # the other personas sleep for 600 s
    # multiprocessing's resource tracker serves this (test) process until it exits
    started = [(p, kind) for p, kind in seen.values() if kind != "tracker"]
    assert "kernel" in [kind for _, kind in started]
    assert _survivors([p for p, _ in started]) == []
