"""Kernels started ahead: each persona gets a fresh kernel process that has already
imported the heavy libraries, so kernel start and imports overlap with other work.

Every kernel a ``KernelPool`` starts can be stopped at once from any thread
(``close(kill=True)``), whether it is starting, waiting or running a notebook; that is how a
stopped report (Ctrl-C, SIGTERM, an error) leaves no kernel behind.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from jupyter_client.manager import KernelManager

from ..errors import JourneyToolsError

PRELOAD = (
    "import matplotlib\nmatplotlib.use('Agg')\n"
    "import pandas, matplotlib.pyplot\n"
    "import journeytools.report.sections, journeytools.charts\n"
)


class KernelError(JourneyToolsError, RuntimeError):
    """A kernel started but could not run the imports a report needs (e.g. journeytools or
    matplotlib missing from the kernel's environment), or the report was stopped."""


def new_kernel_manager(kernel_name: str = "python3") -> KernelManager:
    """A kernel manager (not started) as papermill drives them: asynchronous client."""
    return KernelManager(kernel_name=kernel_name,
                         client_class="jupyter_client.asynchronous.AsyncKernelClient")


def start_warm_kernel(kernel_name: str = "python3", preload: str = PRELOAD,
                      cwd: str | None = None, timeout: float = 60,
                      track: Callable[[KernelManager], None] | None = None) -> KernelManager:
    """Start a kernel and run ``preload`` in it; the caller owns (and shuts down) it.

    ``track`` is called with the kernel manager before the kernel starts (to stop it from
    another thread, see ``kill_kernel``)."""
    km = new_kernel_manager(kernel_name)
    if track is not None:
        track(km)
    # The kernel's own stderr (e.g. ipykernel's TCP notice) is noise in a report run; cell
    # errors still reach the executed notebook through the messaging protocol.
    kwargs: dict[str, Any] = {"stderr": subprocess.DEVNULL}
    if cwd:
        kwargs["cwd"] = cwd
    km.start_kernel(**kwargs)
    return wait_ready(km, preload, timeout)


def wait_ready(km: KernelManager, preload: str = "", timeout: float = 60) -> KernelManager:
    """Wait until a started kernel answers and run ``preload``; shut it down on failure."""
    kc = km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        if preload:
            reply = kc.execute_interactive(preload, timeout=timeout, output_hook=lambda msg: None)
            if reply["content"].get("status") != "ok":
                content = reply["content"]
                raise KernelError(f"kernel preload failed: {content.get('ename', 'error')}: "
                                  f"{content.get('evalue')}")
    except BaseException:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise
    kc.stop_channels()
    return km


def kill_kernel(km: KernelManager) -> None:
    """SIGKILL a kernel's process group now, without waiting: safe from any thread, a no-op for
    a kernel not started yet or already stopped. ``shutdown`` still cleans up after it."""
    prov = getattr(km, "provisioner", None)
    proc = getattr(prov, "process", None)
    pid = getattr(prov, "pid", None)
    if proc is None or not pid:
        return
    try:
        if proc.poll() is not None:  # gone (and reaped: its pid may belong to someone else now)
            return
    except Exception:
        pass
    pgid = getattr(prov, "pgid", None)
    for kill, target in ((os.killpg, pgid), (os.kill, pid)):
        if target:
            try:
                kill(target, signal.SIGKILL)
            except OSError:
                pass


KERNEL_MODES = ("fork", "warm", "fresh")


class KernelPool:
    """Keeps up to ``size`` kernels booting ahead of demand.

    ``get()`` hands out a kernel (never reused: isolation equals a fresh kernel) and
    immediately starts its replacement while the caller runs its notebook. ``mode``:
    ``fork`` forks each kernel from a warm parent that has imported the libraries (falls back
    to ``warm`` where fork is unavailable or the parent fails), ``warm`` starts a new kernel
    process and runs the imports in it.

    ``close()`` shuts down the kernels never handed out; ``close(kill=True)`` kills every
    kernel the pool started, handed out or not, and the warm parent, without waiting for
    anything (a report being stopped).
    """

    def __init__(self, size: int, needed: int, kernel_name: str = "python3",
                 cwd: str | None = None, preload: str = PRELOAD, mode: str = "fork") -> None:
        self._name, self._cwd, self._preload = kernel_name, cwd, preload
        self._lock = threading.Lock()
        self._kms: list[KernelManager] = []  # every kernel manager made, to kill on close(kill=True)
        self._futures: list[Future[KernelManager]] = []
        self._stopped = False
        self._zygote = None
        if mode == "fork" and hasattr(os, "fork") and sys.platform.startswith("linux"):
            from .forking import Zygote

            try:
                self._zygote = Zygote()
            except Exception:  # e.g. a restricted system: start kernels the usual way
                self._zygote = None
        self.mode = "fork" if self._zygote is not None else "warm"
        self._remaining = needed
        self._starter = ThreadPoolExecutor(max_workers=max(1, size), thread_name_prefix="jt-kernel")
        self._ready: queue.Queue[Future[KernelManager]] = queue.Queue()
        try:
            for _ in range(min(size, needed)):
                self._launch()
        except BaseException:
            self.close(kill=True)
            raise

    def _track(self, km: KernelManager) -> None:
        with self._lock:
            if self._stopped:
                raise KernelError("the report was stopped")
            self._kms.append(km)

    def _start(self) -> KernelManager:
        if self._zygote is not None:
            from .forking import start_forked_kernel

            km = start_forked_kernel(self._zygote, self._cwd or os.getcwd(), self._name, track=self._track)
        else:
            km = start_warm_kernel(self._name, self._preload, self._cwd, track=self._track)
        with self._lock:
            stopped = self._stopped
        if stopped:  # stopped while this one started: it must not run anything
            kill_kernel(km)
            shutdown(km)
            raise KernelError("the report was stopped")
        return km

    def _launch(self) -> None:
        with self._lock:
            if self._remaining <= 0 or self._stopped:
                return
            self._remaining -= 1
            future = self._starter.submit(self._start)
            self._futures.append(future)
        self._ready.put(future)

    def get(self) -> KernelManager:
        while True:  # polls: a stopped pool hands out nothing and must not leave a caller waiting
            with self._lock:
                if self._stopped:
                    raise KernelError("the report was stopped")
            try:
                future = self._ready.get(timeout=0.1)
                break
            except queue.Empty:
                continue
        self._launch()
        return future.result()

    def close(self, kill: bool = False, wait: float = 5.0) -> None:
        """Shut down kernels started but never handed out, then the warm parent.

        ``kill``: kill every kernel this pool started (also those handed out and those still
        starting) and the warm parent now; kernels that finish starting afterwards are killed
        as they appear, for up to ``wait`` seconds.
        """
        if kill:
            self._kill(wait)
            return
        self._starter.shutdown(wait=True)
        while not self._ready.empty():
            future = self._ready.get_nowait()
            try:
                shutdown(future.result())
            except Exception:
                pass
        if self._zygote is not None:
            self._zygote.close()

    def _kill(self, wait: float) -> None:
        with self._lock:
            self._stopped = True
            futures = list(self._futures)
        self._starter.shutdown(wait=False, cancel_futures=True)
        if self._zygote is not None:
            self._zygote.close(kill=True)  # forked kernels die with it (and fail to start)
        deadline = time.monotonic() + wait
        while True:
            with self._lock:
                kms = list(self._kms)
            for km in kms:
                kill_kernel(km)
            if all(f.done() for f in futures) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        while not self._ready.empty():  # never handed out: clean up their connection files
            future = self._ready.get_nowait()
            if future.done() and not future.cancelled() and future.exception() is None:
                try:
                    shutdown(future.result())
                except Exception:
                    pass

    def __enter__(self) -> KernelPool:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close(kill=exc[0] is not None)


def shutdown(km: KernelManager) -> None:
    try:
        km.shutdown_kernel(now=True)
    finally:
        try:
            km.cleanup_resources()
        except Exception:
            pass
