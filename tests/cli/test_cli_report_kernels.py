"""A kernel that cannot start fails its persona's report (listed, exit 1), not the whole run."""

from __future__ import annotations

from typer.testing import CliRunner

import journeytools.report.build as build
from journeytools.cli import app
from journeytools.report.kernels import KernelError

from helpers import write_workshop


class BrokenPool:
    def __init__(self, *args, **kwargs):
        pass

    def get(self):
        raise KernelError("kernel preload failed: ModuleNotFoundError: No module named 'journeytools'")

    def close(self):
        pass


def test_kernel_start_failure_is_per_persona(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "KernelPool", BrokenPool)
    ws = write_workshop(tmp_path / "ws")
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["report", str(ws), "-o", str(out), "--kernels", "Warm", "-j", "1"])
    assert r.exit_code == 1, r.output
    assert "failed: commuter: KernelError: kernel preload failed" in r.output
    assert "failed: racer: KernelError" in r.output and "Traceback" not in r.output
    assert (out / "index.html").is_file()
