"""Kernels forked from a warm parent (see ``zygote``): a fresh process per persona with
near-zero start-up, driven by an ordinary ``KernelManager`` so papermill needs no changes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

from jupyter_client.manager import KernelManager


class Zygote:
    """The warm parent process; ``fork(conn, cwd)`` returns the new kernel's pid.

    The zygote and every kernel it forks stop when ``close()`` is called, when this process
    dies (however it dies) and on SIGTERM to the zygote (see ``journeytools.report.zygote``).
    """

    def __init__(self, timeout: float = 60) -> None:
        from .zygote import PARENT_ENV

        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MPLBACKEND="Agg")
        env[PARENT_ENV] = str(os.getpid())
        self._proc = subprocess.Popen([sys.executable, "-m", "journeytools.report.zygote"],
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL, text=True, env=env)
        self._lock = threading.Lock()
        try:
            ready = self._read(timeout)
            if not ready.get("ready"):
                raise RuntimeError("the kernel zygote did not start")
        except BaseException:  # also Ctrl-C or a stop signal while it starts
            self.close(kill=True)
            raise

    @property
    def pid(self) -> int:
        return self._proc.pid

    def _read(self, timeout: float) -> dict[str, Any]:
        stdout = self._proc.stdout
        assert stdout is not None
        result: dict[str, Any] = {}

        def read() -> None:
            line = stdout.readline()
            if line:
                result.update(json.loads(line))

        t = threading.Thread(target=read, daemon=True)
        t.start()
        t.join(timeout)
        if not result:
            raise RuntimeError("the kernel zygote stopped answering")
        return result

    def fork(self, connection_file: str, cwd: str) -> int:
        with self._lock:
            assert self._proc.stdin is not None
            self._proc.stdin.write(json.dumps({"conn": connection_file, "cwd": cwd}) + "\n")
            self._proc.stdin.flush()
            return int(self._read(30)["pid"])

    def close(self, kill: bool = False) -> None:
        """Stop the zygote and with it every kernel it forked that still runs.

        ``kill``: don't let it finish what it is doing (a report is being stopped); SIGTERM,
        then SIGKILL if it has not gone within a second.
        """
        if self._proc.poll() is None:
            try:
                if kill:
                    self._proc.terminate()
                    self._proc.wait(timeout=1)
                else:
                    assert self._proc.stdin is not None
                    self._proc.stdin.close()
                    self._proc.wait(timeout=5)
            except BaseException:
                self._proc.kill()
                self._proc.wait()


class _ForkedProcess:
    """What ``LocalProvisioner`` expects of a ``Popen``, for a process that is not our child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def poll(self) -> int | None:
        try:
            with open(f"/proc/{self.pid}/stat", "rb") as fh:
                state = fh.read().rsplit(b")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            return 0
        return 0 if state in (b"Z", b"X") else None

    def wait(self, timeout: float | None = None) -> int:
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return 0

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkedKernelManager(KernelManager):
    """A KernelManager whose kernel process is forked by a ``Zygote``."""

    def __init__(self, zygote: Zygote, cwd: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._zygote = zygote
        self._cwd = cwd

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        prov = self.provisioner
        assert prov is not None  # pre_launch has written the connection file
        pid = self._zygote.fork(self.connection_file, self._cwd)
        prov.process = _ForkedProcess(pid)  # type: ignore[attr-defined]  # a LocalProvisioner attribute
        prov.pid = pid  # type: ignore[attr-defined]  # a LocalProvisioner attribute
        prov.pgid = pid  # type: ignore[attr-defined]  # a LocalProvisioner attribute
        self._reconcile_connection_info(prov.connection_info)


def start_forked_kernel(zygote: Zygote, cwd: str, kernel_name: str = "python3",
                        timeout: float = 60,
                        track: Callable[[KernelManager], None] | None = None) -> KernelManager:
    """A running kernel forked from ``zygote``; the caller shuts it down. ``track`` is called
    with the kernel manager before the kernel starts (to stop it from another thread)."""
    km = ForkedKernelManager(zygote, cwd, kernel_name=kernel_name,
                             client_class="jupyter_client.asynchronous.AsyncKernelClient")
    if track is not None:
        track(km)
    km.start_kernel()
    from .kernels import wait_ready

    return wait_ready(km, "", timeout)
