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
        max_participants: int | None = typer.Option(
            None, "--max-participants", min=1,
            help="Most pages open at once (default 25; 4 for --facilitator). Past it, visitors see "
                 "'the room is full'."),
        code: str = typer.Option("", "--code",
                                 help="An access code participants need (letters, digits, - and _); "
                                      "it is part of the printed address."),
    ) -> None:
        """Start the live workshop room (Voilà, code hidden) and print the address to share."""
        from ..room.server import ANY_HOSTS
        from ..room.server import serve as start
        from ..store.folder import load
        from . import common as cli

        def go() -> int:
            title = load(folder).title
            try:
                room = start(folder, port=port, host=host, facilitator=facilitator,
                              max_participants=max_participants, code=code.strip())
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
                if room.code:
                    cli.out.print("Access code is part of the address: people who open the page "
                                  "without it are refused.")
                if host in ANY_HOSTS:
                    cli.err.print(f"[yellow]warning:[/yellow] {ANY_HOST_WARNING}")
                if not facilitator:
                    cli.out.print(f"Facilitator view: journeytools serve {cli.esc(str(folder))} "
                                  f"--facilitator --port {room.port + 1}")
                cli.out.print("Stop the room with Ctrl-C.")
                status = room.wait()
                return 0 if status in (0, -2, -15, 130) else 1
            finally:
                room.stop()

        cli.run(go)
