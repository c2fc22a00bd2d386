"""Kernels started ahead: each persona gets a fresh kernel process that has already
imported the heavy libraries, so kernel start and imports overlap with other work."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
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
    matplotlib missing from the kernel's environment)."""


def start_warm_kernel(kernel_name: str = "python3", preload: str = PRELOAD,
                      cwd: str | None = None, timeout: float = 60) -> KernelManager:
    """Start a kernel and run ``preload`` in it; the caller owns (and shuts down) it."""
    km = KernelManager(kernel_name=kernel_name,
                       client_class="jupyter_client.asynchronous.AsyncKernelClient")
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


KERNEL_MODES = ("fork", "warm", "fresh")


class KernelPool:
    """Keeps up to ``size`` kernels booting ahead of demand.

    ``get()`` hands out a kernel (never reused: isolation equals a fresh kernel) and
    immediately starts its replacement while the caller runs its notebook. ``mode``:
    ``fork`` forks each kernel from a warm parent that has imported the libraries (falls back
    to ``warm`` where fork is unavailable or the parent fails), ``warm`` starts a new kernel
    process and runs the imports in it.
    """

    def __init__(self, size: int, needed: int, kernel_name: str = "python3",
                 cwd: str | None = None, preload: str = PRELOAD, mode: str = "fork") -> None:
        self._name, self._cwd, self._preload = kernel_name, cwd, preload
        self._zygote = None
        if mode == "fork" and hasattr(os, "fork") and sys.platform.startswith("linux"):
            from .forking import Zygote

            try:
                self._zygote = Zygote()
            except Exception:  # e.g. a restricted system: start kernels the usual way
                self._zygote = None
        self.mode = "fork" if self._zygote is not None else "warm"
        self._remaining = needed
        self._lock = threading.Lock()
        self._starter = ThreadPoolExecutor(max_workers=max(1, size), thread_name_prefix="jt-kernel")
        self._ready: queue.Queue[Future[KernelManager]] = queue.Queue()
        for _ in range(min(size, needed)):
            self._launch()

    def _launch(self) -> None:
        with self._lock:
            if self._remaining <= 0:
                return
            self._remaining -= 1
        if self._zygote is not None:
            from .forking import start_forked_kernel

            future = self._starter.submit(start_forked_kernel, self._zygote, self._cwd or os.getcwd(),
                                          self._name)
        else:
            future = self._starter.submit(start_warm_kernel, self._name, self._preload, self._cwd)
        self._ready.put(future)

    def get(self) -> KernelManager:
        future = self._ready.get()
        self._launch()
        return future.result()

    def close(self) -> None:
        """Shut down kernels started but never handed out."""
        self._starter.shutdown(wait=True)
        while not self._ready.empty():
            future = self._ready.get_nowait()
            try:
                shutdown(future.result())
            except Exception:
                pass
        if self._zygote is not None:
            self._zygote.close()

    def __enter__(self) -> "KernelPool":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def shutdown(km: KernelManager) -> None:
    try:
        km.shutdown_kernel(now=True)
    finally:
        try:
            km.cleanup_resources()
        except Exception:
            pass
