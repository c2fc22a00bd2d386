"""Voilà for a room of strangers: ``python -m journeytools.room.launch VOILA-ARGS...``.

Three things a plain Voilà does not do, added before it starts:

- **Host check** (DNS rebinding): a request whose ``Host`` is a name not on this machine's list
  (``$JOURNEYTOOLS_ROOM_HOSTS``; IP literals are always fine, that is how the LAN reaches the
  laptop) gets 403, pages and websockets alike.
- **A cap on kernels**: each page load starts a kernel (~150 MB); past ``max_kernels`` the
  visitor gets a polite "room is full" page instead of a new kernel.
- **Culling** of kernels nobody is connected to is switched on by :mod:`.server` with
  jupyter_server's own ``cull_*`` settings of this kernel manager.

And a quiet terminal: warnings printed on every page load that the facilitator can do nothing
about are dropped (:class:`QuietLog`), and kernels talk to Voilà over encrypted ZeroMQ (CurveZMQ)
where jupyter_client and libzmq support it, so no kernel warns that it runs unencrypted.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import re
import sys
from typing import Any

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer
from traitlets.config import Config

from .server import HOSTS_ENV, PAGE_ENV

WS_PING_MS = 30_000  # jupyter_server's default websocket ping interval
FULL_REASON = "The room is full"
FULL_MESSAGE = ("Every seat in this workshop room is taken right now. Ask the facilitator to raise "
                "the limit (journeytools serve --max-participants), or try again in a minute: "
                "seats left by closed pages free up on their own.")


def host_allowed(host_header: str, names: set[str]) -> bool:
    """Whether a ``Host`` header names this machine: any IP literal, or one of ``names``."""
    match = re.match(r"^(.*?)(:\d+)?$", host_header.strip())
    host = (match.group(1) if match else host_header).strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return host in names
    return True


def allowed_names() -> set[str]:
    listed = os.environ.get(HOSTS_ENV, "localhost")
    return {n.strip().lower().rstrip(".") for n in listed.split(",") if n.strip()}


def _check_host(self: JupyterHandler) -> bool:
    allow = host_allowed(self.request.host, allowed_names())
    if not allow:
        self.log.warning("journeytools room: refused a request for host %r (not this machine)",
                         self.request.host)
    return allow


class RoomKernelManager(AsyncMappingKernelManager):
    """Voilà's kernel manager with a ceiling on kernels alive or starting."""

    max_kernels = Integer(25, config=True, help="Most kernels (participants' pages) at once.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._starting = 0  # kernels asked for and not yet listed: parallel page loads count too

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]  # async in practice
        if len(self.list_kernel_ids()) + self._starting >= self.max_kernels:
            self.log.warning("journeytools room: full (%d kernels); refused a page load", self.max_kernels)
            raise web.HTTPError(503, FULL_MESSAGE, reason=FULL_REASON)
        self._starting += 1
        try:
            kernel_id: str = await super().start_kernel(*args, **kwargs)
        finally:
            self._starting -= 1
        return kernel_id


class QuietLog(logging.Filter):
    """Drops the log lines a facilitator cannot act on. "Notebook … is not trusted": the room's
    notebooks are ours and trust only concerns outputs saved in a notebook, which they have none."""

    NOISE = ("Notebook %s is not trusted",)

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg not in self.NOISE


def encryption_args() -> list[str]:
    """``--KernelManager.transport_encryption=auto`` when this jupyter_client can provision
    CurveZMQ keys (8.10 and later) and libzmq has CURVE; nothing otherwise (then the kernel's
    warning about plain TCP stays, since it is true)."""
    import zmq
    from jupyter_client.manager import KernelManager

    if "transport_encryption" in KernelManager.class_trait_names() and zmq.has("curve"):
        return ["--KernelManager.transport_encryption=auto"]
    return []


def room_config() -> Config:
    """Voilà settings not given on its command line: what the page template shows of the
    workshop (``$JOURNEYTOOLS_ROOM_PAGE``, see ``server.page_resources``) and a websocket ping
    timeout tornado accepts (jupyter_server asks for 3 × the interval, which tornado refuses
    with a warning on every page load, then uses the interval, as set here)."""
    config = Config()
    config.VoilaConfiguration.resources = json.loads(os.environ.get(PAGE_ENV) or "{}")
    config.Voila.tornado_settings = {"ws_ping_interval": WS_PING_MS, "ws_ping_timeout": WS_PING_MS}
    return config


def main(argv: list[str] | None = None) -> int:
    JupyterHandler.check_host = _check_host  # type: ignore[method-assign]  # every handler, websockets too
    from voila.app import Voila

    # the app's logger is named after its class; the contents manager logs through it
    logging.getLogger(Voila.__name__).addFilter(QuietLog())
    sys.argv = ["voila", *encryption_args(), *(sys.argv[1:] if argv is None else argv)]
    Voila.launch_instance(config=room_config())
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
