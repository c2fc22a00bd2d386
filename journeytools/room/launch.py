"""Voilà for a room of strangers: ``python -m journeytools.room.launch VOILA-ARGS...``.

Three things a plain Voilà does not do, added before it starts:

- **Host check** (DNS rebinding): a request whose ``Host`` is a name not on this machine's list
  (``$JOURNEYTOOLS_ROOM_HOSTS``; IP literals are always fine, that is how the LAN reaches the
  laptop) gets 403, pages and websockets alike.
- **A cap on kernels**: each page load starts a kernel (~150 MB); past ``max_kernels`` the
  visitor gets a polite "room is full" page instead of a new kernel.
- **Culling** of kernels nobody is connected to is switched on by :mod:`.server` with
  jupyter_server's own ``cull_*`` settings of this kernel manager.
"""

from __future__ import annotations

import ipaddress
import os
import re
import sys
from typing import Any

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer

from .server import HOSTS_ENV

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


def main(argv: list[str] | None = None) -> int:
    JupyterHandler.check_host = _check_host  # type: ignore[method-assign]  # every handler, websockets too
    from voila.app import main as voila_main

    sys.argv = ["voila", *(sys.argv[1:] if argv is None else argv)]
    voila_main()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
