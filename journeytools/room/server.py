"""Start the live room: Voilà, as a subprocess, on a notebook shipped in this package.

The workshop folder reaches the notebook's kernel through ``$JOURNEYTOOLS_ROOM_DIR`` (Voilà
passes its environment on to kernels). Code cells are hidden (``strip_sources``), Voilà only
relays widget messages from the browser (participants cannot run code), and the server listens
on localhost unless told otherwise.

>>> with serve("workshops/luggage-store", port=8866) as room:   # doctest: +SKIP
...     room.wait_ready()
...     print(room.urls)
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..store.folder import load
from ._data import ROOM_DIR_ENV

DEFAULT_PORT = 8866
DEFAULT_HOST = "127.0.0.1"
NOTEBOOKS = {False: "participant.ipynb", True: "facilitator.ipynb"}
ANY_HOSTS = ("0.0.0.0", "::", "")


def notebook_path(facilitator: bool = False) -> Path:
    """The participant (or facilitator) notebook inside the installed package."""
    return Path(__file__).with_name(NOTEBOOKS[bool(facilitator)])


# Our page template (no CDN stylesheets) lives in the package; JUPYTER_PATH makes Voilà find it.
TEMPLATE = "jt-room"
JUPYTER_DIR = Path(__file__).with_name("jupyter")


def voila_command(notebook: Path, port: int, host: str) -> list[str]:
    """The Voilà command line: no browser, code hidden, no port hopping, quiet logs."""
    return [sys.executable, "-m", "voila", str(notebook),
            "--no-browser", f"--port={int(port)}", f"--Voila.ip={host}",
            "--Voila.port_retries=0", "--strip_sources=True", "--show_tracebacks=False",
            "--theme=light", "--Voila.log_level=WARN", f"--template={TEMPLATE}"]


def lan_addresses() -> list[str]:
    """This machine's likely addresses on the local network (no packet is sent)."""
    found: list[str] = []
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))  # UDP connect only picks a route
        found.append(probe.getsockname()[0])
    except OSError:
        pass
    finally:
        probe.close()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            addr = str(info[4][0])
            if addr not in found:
                found.append(addr)
    except OSError:
        pass
    return [a for a in found if not a.startswith("127.")]


def share_urls(host: str, port: int) -> list[str]:
    """The addresses to give people: the LAN ones when listening on every interface."""
    if host in ANY_HOSTS:
        return [f"http://{a}:{port}/" for a in lan_addresses()] + [f"http://127.0.0.1:{port}/"]
    shown = f"[{host}]" if ":" in host else host
    return [f"http://{shown}:{port}/"]


def port_free(host: str, port: int) -> bool:
    """Whether ``port`` can be bound on ``host`` right now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = DEFAULT_HOST) -> int:
    """A port nobody listens on now (for tests and ``--port 0``)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host if host not in ANY_HOSTS else "", 0))
        return int(s.getsockname()[1])


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


@dataclass
class RoomServer:
    """A running Voilà room. Owns its process: ``stop()`` (or leaving ``with``) ends it."""

    folder: Path
    port: int
    host: str
    facilitator: bool
    process: subprocess.Popen
    urls: list[str] = field(default_factory=list)

    @property
    def local_url(self) -> str:
        host = "127.0.0.1" if self.host in ANY_HOSTS else self.host
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.port}/"

    def wait_ready(self, timeout: float = 30.0) -> "RoomServer":
        """Block until the server accepts connections; RuntimeError if it exits or times out."""
        host = "127.0.0.1" if self.host in ANY_HOSTS else self.host
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                raise RuntimeError(f"the room server stopped with exit code {code} before "
                                   "listening (is Voilà installed? see its messages above)")
            try:
                with socket.create_connection((host, self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"the room server did not listen on {host}:{self.port} "
                           f"within {timeout:g} s")

    def wait(self) -> int:
        """Block until the server exits; Ctrl-C or SIGTERM stop it cleanly (returns 0)."""
        previous = None
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGTERM"):
            previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            return self.process.wait()
        except KeyboardInterrupt:
            self.stop()
            return 0
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop Voilà and the kernels it started (its own process group)."""
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError, AttributeError):
            self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError, AttributeError):
                self.process.kill()
            self.process.wait(timeout=timeout)

    def __enter__(self) -> "RoomServer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def serve(folder: str | os.PathLike, port: int = DEFAULT_PORT, host: str = DEFAULT_HOST,
          facilitator: bool = False, *, log: IO[Any] | None = None,
          env: dict[str, str] | None = None) -> RoomServer:
    """Start the room for ``folder`` and return at once (see ``RoomServer.wait_ready``).

    The folder is validated first (``jt.ValidationError`` when it is not a valid workshop);
    ``OSError`` when the port is taken. ``facilitator`` serves the live totals page instead of
    the participant page; run both (two ports) for a workshop. ``port=0`` picks a free port.
    ``log`` receives Voilà's output (default: this process's stdout/stderr).
    """
    folder = Path(folder).expanduser().resolve()
    load(folder)  # fail early and clearly on a broken folder
    if port == 0:
        port = free_port(host)
    if not port_free(host, port):
        raise OSError(f"port {port} on {host} is already in use; try --port {port + 1}")
    child_env = dict(os.environ if env is None else env)
    child_env[ROOM_DIR_ENV] = str(folder)
    child_env.setdefault("MPLBACKEND", "Agg")
    child_env.setdefault("PYTHONUNBUFFERED", "1")
    child_env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(JUPYTER_DIR), child_env.get("JUPYTER_PATH", "")) if p)
    notebook = notebook_path(facilitator)
    process = subprocess.Popen(voila_command(notebook, port, host),
                               env=child_env, cwd=str(notebook.parent), stdin=subprocess.DEVNULL,
                               stdout=log, stderr=subprocess.STDOUT if log is not None else None,
                               start_new_session=True)
    return RoomServer(folder, port, host, facilitator, process, share_urls(host, port))
