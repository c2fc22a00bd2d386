"""Every persona gets its own kernel process, whichever way kernels are started."""

from __future__ import annotations

import nbformat
import pytest

from journeytools.report.build import ReportOptions, build_reports, report_notebook
from journeytools.report.forking import Zygote, start_forked_kernel
from journeytools.report.kernels import shutdown

pytestmark = pytest.mark.slow

PROBE = """\
import builtins, os, sys
assert not hasattr(builtins, "jt_leak"), "state leaked from another persona's kernel"
builtins.jt_leak = persona
LEAK = persona
print("PID", os.getpid(), "PPID", os.getppid())
"""


def _probe_notebook(tmp_path):
    nb = nbformat.read(report_notebook(), as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(PROBE))
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    return path


def _pids(out, personas):
    pids = {}
    for pid in personas:
        nb = nbformat.read(out / "notebooks" / f"{pid}.ipynb", as_version=4)
        text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
        pids[pid] = int(text.split("PID ", 1)[1].split()[0])
    return pids


@pytest.mark.parametrize("mode", ["fork", "warm", "fresh"])
def test_no_state_leaks_between_personas(tmp_path, luggage, mode):
    out = tmp_path / mode
    result = build_reports(luggage, out, ReportOptions(jobs=1, kernels=mode, notebook=_probe_notebook(tmp_path),
                                                       today="2026-11-25"))
    assert not result.failures, result.failures
    pids = _pids(out, ["mia", "andy", "greta"])
    assert len(set(pids.values())) == 3  # a new process per persona, never reused


def test_modes_render_identical_reports(tmp_path, luggage):
    pages = {}
    for mode in ("fork", "fresh"):
        out = tmp_path / mode
        build_reports(luggage, out, ReportOptions(personas=("andy",), jobs=1, kernels=mode, today="2026-11-25"))
        pages[mode] = (out / "andy.html").read_bytes()
    assert pages["fork"] == pages["fresh"]


def test_forked_kernel_is_fresh_process(tmp_path):
    zygote = Zygote()
    try:
        kms = [start_forked_kernel(zygote, str(tmp_path)) for _ in range(2)]
        try:
            pids = {km.provisioner.pid for km in kms}
            assert len(pids) == 2
            for km in kms:
                assert km.is_alive()
        finally:
            for km in kms:
                shutdown(km)
        assert not any(km.is_alive() for km in kms)
    finally:
        zygote.close()
