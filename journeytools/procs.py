"""Child processes that a command runs in the foreground (Voilà, JupyterLab): wait for them, and
when the command is told to stop (Ctrl-C, SIGTERM), stop them too."""

from __future__ import annotations

import signal
import subprocess
import threading
from collections.abc import Callable
from typing import Any


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def wait_or_stop(process: subprocess.Popen[Any], stop: Callable[[], None]) -> int:
    """``process``'s exit code; on Ctrl-C or SIGTERM, ``stop()`` it and return 0. SIGTERM is
    handled only while waiting (and only on the main thread, where Python can handle it)."""
    previous = None
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGTERM"):
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        return process.wait()
    except KeyboardInterrupt:
        stop()
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
