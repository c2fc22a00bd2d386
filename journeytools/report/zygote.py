"""A warm parent that forks report kernels (``python -m journeytools.report.zygote``).

It imports pandas, matplotlib, seaborn, ipykernel and journeytools once, then, for each request on
stdin (a JSON line ``{"conn": connection_file, "cwd": folder}``), forks a child that becomes
an ipykernel on that connection file and answers ``{"pid": N}``. Each child is a new process
with the parent's imports already done and nothing else: no kernel, no user code, no state
from other personas has ever run in the parent. The parent stays single-threaded so forking
is safe (OpenBLAS is limited to one thread).

Nothing it starts outlives the report that started it:

* the zygote exits when its stdin closes (the report closed it, or the report process died),
  when its parent changes (checked every second: the report died and something else holds the
  pipe) and on SIGTERM/SIGHUP; it ignores SIGINT (Ctrl-C reaches the whole process group, and
  the report decides what to stop);
* on exit it kills the process group of every kernel it forked that is still running;
* every kernel it forks is killed by the kernel (Linux ``PR_SET_PDEATHSIG``) when the zygote
  dies, however it dies (also SIGKILL).

The helpers ``die_with_parent`` and ``watch_parent`` give other worker processes (the report's
PDF printers) the same guarantee; this module imports nothing heavy, so they cost nothing.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

PARENT_ENV = "JOURNEYTOOLS_ZYGOTE_PARENT"  # the pid the zygote belongs to (set by ``forking.Zygote``)
PR_SET_PDEATHSIG = 1


def die_with_parent(signum: int = signal.SIGKILL) -> bool:
    """Ask Linux to send ``signum`` to this process when the thread that started it exits.

    ``False`` where that is unavailable (not Linux, no libc). The request concerns the parent
    *thread*: only use it in a child of a single-threaded parent, or check the parent as well
    (``watch_parent``). Fork clears it in the child; exec keeps it.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _exit_now() -> None:
    os._exit(1)


def watch_parent(parent: int, interval: float = 0.5, ignore_sigint: bool = True) -> None:
    """Exit this process as soon as its parent is no longer ``parent`` (it died and the process
    was re-parented). Runs a daemon thread; for worker processes (e.g. a ``ProcessPoolExecutor``
    initializer). With ``ignore_sigint`` Ctrl-C is left to the parent, which stops the workers."""
    if ignore_sigint and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if os.getppid() != parent:
        _exit_now()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        _exit_now()

    threading.Thread(target=watch, name="jt-watch-parent", daemon=True).start()


def _child(conn: str, cwd: str, zygote: int) -> None:
    # Killed with the zygote (which is single-threaded, so "the parent thread" is the zygote);
    # checked once more in case the zygote died before the request was set.
    die_with_parent(signal.SIGKILL)
    if os.getppid() != zygote:
        os._exit(1)
    os.setsid()  # own process group: the kernel manager signals the group
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a new python process
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
    # seaborn's first plot loads its own lazily-imported parts (the plotting classes, colour
    # maps): pay that here too
    import pandas as pd
    import seaborn as sns

    fig = Figure(figsize=(3, 2), dpi=72)
    ax = fig.add_subplot()
    frame = pd.DataFrame({"x": [0.0, 1.0, 2.0, 0.0, 1.0, 2.0], "y": [3.0, 2.0, 4.0, 2.5, 3.5, 3.0],
                          "s": ["a", "a", "a", "b", "b", "b"]})
    sns.lineplot(data=frame, x="x", y="y", hue="s", style="s", estimator=None, ax=ax, legend=False)
    sns.heatmap(pd.DataFrame([[1.0, 2.0], [0.0, 3.0]]), annot=True, fmt="", ax=fig.add_subplot(2, 2, 4))


def _is_child(pid: int) -> bool:
    """``pid`` is a running (not zombie) child of this process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return False
    return fields[0] not in (b"Z", b"X") and int(fields[1]) == os.getpid()


def _kill_children(children: list[int]) -> None:
    for pid in children:
        if _is_child(pid):
            for kill, target in ((os.killpg, pid), (os.kill, pid)):  # each kernel leads its group
                try:
                    kill(target, signal.SIGKILL)
                except OSError:
                    pass


class _Stop(Exception):
    pass


def _stop(signum: int, frame: Any) -> None:
    raise _Stop(signum)


def _lines(fd: int, parent: int) -> Iterator[bytes]:
    """Request lines from ``fd`` until it closes or ``parent`` is no longer our parent."""
    buf = b""
    while True:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            if os.getppid() != parent:
                return
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            return
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if line.strip():
                yield line


def main() -> None:
    parent = int(os.environ.get(PARENT_ENV) or os.getppid())
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, _stop)
    children: list[int] = []
    try:
        if os.getppid() != parent:
            return
        os.environ.setdefault("MPLBACKEND", "Agg")
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot  # noqa: F401
        import pandas  # noqa: F401
        import seaborn  # noqa: F401  # ~0.4 s, paid once here, not in every kernel
        from ipykernel import kernelapp  # noqa: F401

        import journeytools.charts  # noqa: F401
        import journeytools.report.sections  # noqa: F401

        _warm_up()
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
        out = sys.stdout
        out.write(json.dumps({"ready": True}) + "\n")
        out.flush()
        me = os.getpid()
        for line in _lines(sys.stdin.fileno(), parent):
            request = json.loads(line)
            pid = os.fork()
            if pid == 0:
                try:
                    _child(request["conn"], request["cwd"], me)
                finally:
                    os._exit(0)
            children = [c for c in children if _is_child(c)] + [pid]
            out.write(json.dumps({"pid": pid}) + "\n")
            out.flush()
    except (_Stop, BrokenPipeError):
        pass
    finally:
        _kill_children(children)


if __name__ == "__main__":
    main()
