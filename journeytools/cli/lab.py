"""``journeytools lab [WORKSHOP]``: JupyterLab on the guided notebooks, WORKSHOP preselected.

The notebooks come from the user's own folder, never from the installed package: ``./notebooks``
when it holds them (a clone, or a folder made by ``journeytools notebooks .``), else ``--dir``
(default ``./journeytools-notebooks``), filled by ``journeytools notebooks`` on first use.
Every guided notebook reads ``$JOURNEYTOOLS_WORKSHOP`` as its default ``workshop`` parameter.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

from ..procs import wait_or_stop
from ..store.resources import WORKSHOP_ENV
from .common import out, run

__all__ = ["WORKSHOP_ENV", "lab_command", "notebooks_home", "register"]


def notebooks_home(cwd: Path, chosen: Path | None) -> tuple[Path, bool]:
    """The folder whose ``notebooks/`` JupyterLab opens, and whether it must be filled first."""
    if chosen is not None:
        return chosen, not (chosen / "notebooks" / "00_start_here.ipynb").is_file()
    if (cwd / "notebooks" / "00_start_here.ipynb").is_file():
        return cwd, False
    home = cwd / "journeytools-notebooks"
    return home, not (home / "notebooks" / "00_start_here.ipynb").is_file()


# Settings for the back of the room: a light theme with large type, and no news pop-ups.
PROJECTOR_SETTINGS = {
    "@jupyterlab/apputils-extension/themes.jupyterlab-settings": {
        "theme": "JupyterLab Light",
        "overrides": {"code-font-size": "20px", "content-font-size1": "20px", "ui-font-size1": "17px"},
    },
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false"},
}


def projector_settings(folder: Path) -> Path:
    """Write JupyterLab user settings for a projector into ``folder``; returns it (for
    ``$JUPYTERLAB_SETTINGS_DIR``)."""
    import json

    for name, value in PROJECTOR_SETTINGS.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value, indent=2) + "\n", encoding="utf-8")
    return folder


def lab_command(root: Path, port: int | None, browser: bool, as_root: bool) -> list[str]:
    """The ``jupyter lab`` command line for ``root`` (the folder holding ``notebooks/``)."""
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}",
           "--ServerApp.default_url=/lab/tree/notebooks/00_start_here.ipynb"]
    if port is not None:
        cmd += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    if not browser:
        cmd.append("--no-browser")
    if as_root:
        cmd.append("--allow-root")  # containers and CI run as root; Jupyter refuses it otherwise
    return cmd


def register(app: typer.Typer) -> None:
    """Add the ``lab`` command to ``app``."""

    @app.command()
    def lab(workshop: Path | None = typer.Argument(None, help="Workshop folder the notebooks open."),
            folder: Path | None = typer.Option(None, "--dir",
                                               help="Your notebooks folder (default: ./notebooks when it "
                                                    "holds them, else ./journeytools-notebooks)."),
            port: int | None = typer.Option(None, "--port", min=1, max=65535, help="Port for JupyterLab."),
            browser: bool = typer.Option(True, "--browser/--no-browser",
                                         help="Open a browser (default) or only print the address."),
            projector: bool = typer.Option(False, "--projector",
                                           help="Light theme with large fonts for the back of the room "
                                                "(your own JupyterLab settings are left alone).")) -> None:
        """Open JupyterLab on the guided notebooks, with WORKSHOP preselected."""
        import subprocess

        from ..errors import UsageError
        from ..store.folder import validate
        from ..store.resources import copy_notebooks

        def go() -> int:
            env = dict(os.environ)
            if workshop is not None:
                target = workshop.expanduser().resolve()
                if not (target / "workshop.yml").is_file():
                    raise UsageError(f"{workshop} is not a workshop folder (no workshop.yml); "
                                     "create one with 'journeytools new DIR'")
                report = validate(target)
                if report.errors:
                    out.print(f"note: {workshop} has {len(report.errors)} problem(s); "
                              f"'journeytools validate {workshop}' lists them")
                env[WORKSHOP_ENV] = str(target)
            home, fill = notebooks_home(Path.cwd(), folder)
            if fill:
                copy_notebooks(home)
                out.print(f"copied the guided notebooks to {home / 'notebooks'}")
            try:
                import jupyterlab  # noqa: F401
            except ImportError:
                raise UsageError("JupyterLab is not installed: pip install jupyterlab") from None
            if projector:
                env["JUPYTERLAB_SETTINGS_DIR"] = str(projector_settings(home / ".jupyterlab-projector"))
            as_root = hasattr(os, "geteuid") and os.geteuid() == 0
            out.print(f"JupyterLab on {home / 'notebooks'}"
                      + (f", workshop {env[WORKSHOP_ENV]}" if WORKSHOP_ENV in env else "")
                      + "; the address with its token follows. Stop with Ctrl-C.")
            proc = subprocess.Popen(lab_command(home.resolve(), port, browser, as_root), env=env)

            def stop() -> None:  # JupyterLab stops its kernels on SIGTERM
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()

            return wait_or_stop(proc, stop)

        run(go)
