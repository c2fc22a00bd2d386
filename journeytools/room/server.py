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

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..errors import JourneyToolsError
from ..model.workshop import Workshop
from ..procs import wait_or_stop
from ..store.folder import load
from ._data import ROOM_DIR_ENV

HOSTS_ENV = "JOURNEYTOOLS_ROOM_HOSTS"  # read by .launch (kept free of its Voilà imports here)
PAGE_ENV = "JOURNEYTOOLS_ROOM_PAGE"  # JSON of page_resources(), read by .launch

DEFAULT_PORT = 8866
DEFAULT_HOST = "127.0.0.1"
# A workshop room: 25 participants' pages (~150 MB of kernel each), a few for the projector.
DEFAULT_MAX_PARTICIPANTS = 25
FACILITATOR_MAX = 4
# A page that nobody is connected to (closed tab, a script loading pages) loses its kernel after this.
CULL_IDLE_SECONDS = 60
NOTEBOOKS = {False: "participant.ipynb", True: "facilitator.ipynb"}
ANY_HOSTS = ("0.0.0.0", "::", "")


def notebook_path(facilitator: bool = False) -> Path:
    """The participant (or facilitator) notebook inside the installed package."""
    return Path(__file__).with_name(NOTEBOOKS[bool(facilitator)])


# Our page template (no CDN stylesheets) lives in the package; JUPYTER_PATH makes Voilà find it.
TEMPLATE = "jt-room"
JUPYTER_DIR = Path(__file__).with_name("jupyter")


def page_resources(ws: Workshop) -> dict[str, Any]:
    """What the page template (``jt-room``) shows of the workshop: its title as the page's title,
    and the brand colours (``charts.theme.brand_colors``, every text pair WCAG AA) as CSS
    variables. Read once when the room starts; :mod:`.launch` hands them to Voilà."""
    from ..charts.theme import brand_colors  # matplotlib and jinja: only when a room starts
    from .render import primary

    colours = brand_colors(primary(ws)).css_variables()
    return {"metadata": {"name": ws.title}, "jt_room": {"css": colours}}


def voila_command(notebook: Path, port: int, host: str, max_kernels: int = DEFAULT_MAX_PARTICIPANTS,
                  code: str = "", cull_seconds: int = CULL_IDLE_SECONDS) -> list[str]:
    """The Voilà command line (through :mod:`.launch`, which adds the Host check and the cap):
    no browser, code hidden, no tracebacks, no port hopping, idle kernels culled, quiet logs."""
    manager = "RoomKernelManager"
    return [sys.executable, "-m", "journeytools.room.launch", str(notebook),
            "--no-browser", f"--port={int(port)}", f"--Voila.ip={host}",
            "--Voila.port_retries=0", "--strip_sources=True", "--show_tracebacks=False",
            "--theme=light", "--Voila.log_level=WARN", f"--template={TEMPLATE}",
            f"--VoilaConfiguration.multi_kernel_manager_class=journeytools.room.launch.{manager}",
            f"--{manager}.max_kernels={int(max_kernels)}",
            f"--{manager}.cull_idle_timeout={int(cull_seconds)}",
            f"--{manager}.cull_interval={max(1, min(10, int(cull_seconds) // 2))}",
            f"--{manager}.cull_connected=False", f"--{manager}.cull_busy=False",
            f"--Voila.token={code}"]


def host_names() -> list[str]:
    """Names by which this machine may be asked for (the Host check accepts any IP address)."""
    names = ["localhost"]
    for name in (socket.gethostname(), socket.getfqdn()):
        for n in (name, f"{name}.local", f"{name.split('.')[0]}.local"):
            if n and n.lower() not in names:
                names.append(n.lower())
    return names


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


def _descendants(pid: int) -> list[Any]:
    """Processes started by ``pid`` (kernels), as psutil handles; [] when it is gone."""
    import psutil  # comes with ipykernel

    try:
        return list(psutil.Process(pid).children(recursive=True))
    except psutil.Error:
        return []


def _kill_all(procs: list[Any], timeout: float) -> None:
    """Terminate, then kill, whatever of ``procs`` still runs."""
    import psutil

    alive = [p for p in procs if p.is_running()]
    for p in alive:
        try:
            p.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(alive, timeout=min(timeout, 5))
    for p in alive:
        try:
            p.kill()
        except psutil.Error:
            pass


def kernel_count(room: RoomServer) -> int:
    """Kernels the room has running now."""
    return sum(1 for p in _descendants(room.process.pid) if "ipykernel" in " ".join(_cmdline(p)))


def _cmdline(proc: Any) -> list[str]:
    try:
        return list(proc.cmdline())
    except Exception:  # noqa: BLE001 - a process that vanished has no command line
        return []


@dataclass
class RoomServer:
    """A running Voilà room. Owns its process: ``stop()`` (or leaving ``with``) ends it."""

    folder: Path
    port: int
    host: str
    facilitator: bool
    process: subprocess.Popen
    urls: list[str] = field(default_factory=list)
    code: str = ""

    @property
    def local_url(self) -> str:
        host = "127.0.0.1" if self.host in ANY_HOSTS else self.host
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.port}/"

    def wait_ready(self, timeout: float = 30.0) -> RoomServer:
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
        return wait_or_stop(self.process, self.stop)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop Voilà and every kernel it started. Kernels run in sessions of their own, so
        they are looked up first and any left after Voilà's own shutdown are killed."""
        if self.process.poll() is not None:
            return
        children = _descendants(self.process.pid)
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
        _kill_all(children + _descendants(self.process.pid), timeout)

    def __enter__(self) -> RoomServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def serve(folder: str | os.PathLike, port: int = DEFAULT_PORT, host: str = DEFAULT_HOST,
          facilitator: bool = False, *, log: IO[Any] | None = None,
          env: dict[str, str] | None = None, max_participants: int | None = None,
          code: str = "", cull_seconds: int = CULL_IDLE_SECONDS) -> RoomServer:
    """Start the room for ``folder`` and return at once (see ``RoomServer.wait_ready``).

    The folder is validated first (``jt.ValidationError`` when it is not a valid workshop);
    ``OSError`` when the port is taken. ``facilitator`` serves the live totals page instead of
    the participant page; run both (two ports) for a workshop. ``port=0`` picks a free port.
    ``log`` receives Voilà's output (default: this process's stdout/stderr).
    ``max_participants`` caps the pages open at once (default 25, 4 for the facilitator view);
    ``code`` is an access code participants need (it is part of the printed addresses).
    """
    if code and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", code):
        raise JourneyToolsError("an access code is 1-64 letters, digits, '-' or '_'")
    cap = max_participants if max_participants is not None else (
        FACILITATOR_MAX if facilitator else DEFAULT_MAX_PARTICIPANTS)
    if cap < 1:
        raise JourneyToolsError("--max-participants must be at least 1")
    folder = Path(folder).expanduser().resolve()
    ws = load(folder)  # fail early and clearly on a broken folder
    if port == 0:
        port = free_port(host)
    if not port_free(host, port):
        raise OSError(f"port {port} on {host} is already in use; try --port {port + 1}")
    child_env = dict(os.environ if env is None else env)
    child_env[ROOM_DIR_ENV] = str(folder)
    child_env.setdefault("MPLBACKEND", "Agg")
    child_env.setdefault("PYTHONUNBUFFERED", "1")
    child_env[HOSTS_ENV] = ",".join(host_names())
    child_env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(JUPYTER_DIR), child_env.get("JUPYTER_PATH", "")) if p)
    notebook = notebook_path(facilitator)
    child_env[PAGE_ENV] = json.dumps(page_resources(ws))
    process = subprocess.Popen(voila_command(notebook, port, host, cap, code, cull_seconds),
                               env=child_env, cwd=str(notebook.parent), stdin=subprocess.DEVNULL,
                               stdout=log, stderr=subprocess.STDOUT if log is not None else None,
                               start_new_session=True)
    urls = [f"{u}?token={code}" if code else u for u in share_urls(host, port)]
    return RoomServer(folder, port, host, facilitator, process, urls, code)
