"""A warm parent that forks report kernels (``python -m journeytools.report.zygote``).

It imports pandas, matplotlib, ipykernel and journeytools once, then, for each request on
stdin (a JSON line ``{"conn": connection_file, "cwd": folder}``), forks a child that becomes
an ipykernel on that connection file and answers ``{"pid": N}``. Each child is a new process
with the parent's imports already done and nothing else: no kernel, no user code, no state
from other personas has ever run in the parent. The parent stays single-threaded so forking
is safe (OpenBLAS is limited to one thread).
"""

from __future__ import annotations

import json
import os
import signal
import sys


def _child(conn: str, cwd: str) -> None:
    os.setsid()  # own process group: the kernel manager signals the group
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.chdir(cwd)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(["-f", conn])
    app.start()


def _warm_up() -> None:
    """Draw a throw-away figure so fonts, glyph caches and the PNG writer are loaded once
    here rather than in every kernel. Synthetic text only: no workshop data enters the parent."""
    import io

    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2), dpi=72)
    ax = fig.add_subplot()
    ax.plot([1, 2, 3], [3, 1, 2])
    ax.set_title("Warm-up 0123 — “quotes” …", fontweight="bold")
    ax.text(0.5, 0.5, "italic text", style="italic")
    ax.scatter([1, 2], [2, 1], s=[40, 80])
    ax.bar([1, 2], [1, 2])
    fig.savefig(io.BytesIO(), format="png", pil_kwargs={"compress_level": 3})


def main() -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401
    import pandas  # noqa: F401
    from ipykernel import kernelapp  # noqa: F401

    import journeytools.charts  # noqa: F401
    import journeytools.report.sections  # noqa: F401

    _warm_up()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    out = sys.stdout
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            try:
                _child(request["conn"], request["cwd"])
            finally:
                os._exit(0)
        out.write(json.dumps({"pid": pid}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
