"""``journeytools serve DIR``: the live workshop room (see ``journeytools.room``)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import JourneyToolsError

ANY_HOST_WARNING = ("listening on every network interface: anyone on this network who knows the "
                    "address can open the room and add to the workshop. Use it on a network you "
                    "trust and stop the room (Ctrl-C) after the session.")


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to ``app``."""

    @app.command("serve")
    def serve(
        folder: Path = typer.Argument(..., help="Workshop folder."),
        port: int = typer.Option(8866, "--port", "-p",
                                 help="Port to listen on (0: any free port)."),
        host: str = typer.Option("127.0.0.1", "--host",
                                 help="Address to listen on; 0.0.0.0 lets other laptops and "
                                      "phones on the network join."),
        facilitator: bool = typer.Option(False, "--facilitator",
                                         help="Serve the facilitator's live totals page instead "
                                              "of the participant page."),
    ) -> None:
        """Start the live workshop room (Voilà, code hidden) and print the address to share."""
        from . import common as cli
        from ..store.folder import load
        from ..room.server import ANY_HOSTS, serve as start

        def go() -> int:
            title = load(folder).title
            try:
                room = start(folder, port=port, host=host, facilitator=facilitator)
            except OSError as exc:
                raise JourneyToolsError(str(exc)) from None
            try:
                try:
                    room.wait_ready()
                except RuntimeError as exc:
                    raise JourneyToolsError(str(exc)) from None
                page = "facilitator view" if facilitator else "participant page"
                cli.out.print(f"Live room for {cli.esc(title)} — {page}")
                label = "Open on the projected screen" if facilitator else "Share this address"
                for url in room.urls:
                    cli.out.print(f"{label}: {url}")
                    label = "  or"
                if host in ANY_HOSTS:
                    cli.err.print(f"[yellow]warning:[/yellow] {ANY_HOST_WARNING}")
                if not facilitator:
                    cli.out.print(f"Facilitator view: journeytools serve {cli.esc(str(folder))} "
                                  f"--facilitator --port {room.port + 1}")
                cli.out.print("Stop the room with Ctrl-C.")
                code = room.wait()
                return 0 if code in (0, -2, -15, 130) else 1
            finally:
                room.stop()

        cli.run(go)
