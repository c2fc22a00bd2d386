"""``journeytools lab``: the user's notebooks folder, the preset workshop, flags passed through."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from journeytools.cli.lab import WORKSHOP_ENV, lab_command, notebooks_home


def test_notebooks_home_prefers_the_users_folder(tmp_path: Path) -> None:
    assert notebooks_home(tmp_path, None) == (tmp_path / "journeytools-notebooks", True)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "00_start_here.ipynb").write_text("{}", encoding="utf-8")
    assert notebooks_home(tmp_path, None) == (tmp_path, False)  # a clone or `journeytools notebooks .`
    assert notebooks_home(tmp_path, tmp_path / "mine") == (tmp_path / "mine", True)


def test_lab_command_flags(tmp_path: Path) -> None:
    cmd = lab_command(tmp_path, 9999, browser=False, as_root=True)
    assert cmd[1:3] == ["-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path}" in cmd and "--no-browser" in cmd and "--allow-root" in cmd
    assert "--ServerApp.port=9999" in cmd
    plain = lab_command(tmp_path, None, browser=True, as_root=False)
    assert "--no-browser" not in plain and "--allow-root" not in plain
    assert not any(a.startswith("--ServerApp.port=") for a in plain)


@pytest.mark.slow
def test_lab_starts_on_a_copy_and_prints_a_token_url(tmp_path: Path, luggage: Path) -> None:
    from journeytools.room.server import free_port

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != WORKSHOP_ENV}
    env["JUPYTER_RUNTIME_DIR"] = str(tmp_path / "runtime")
    proc = subprocess.Popen([sys.executable, "-m", "journeytools", "lab", str(luggage), "--no-browser",
                             "--port", str(port)], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = ""
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and proc.stdout is not None:
            line = proc.stdout.readline()
            seen += line
            if re.search(rf"http://127\.0\.0\.1:{port}/lab\?token=\w+", seen) or proc.poll() is not None:
                break
        assert re.search(rf"http://127\.0\.0\.1:{port}/lab\?token=\w+", seen), seen[-3000:]
        books = tmp_path / "journeytools-notebooks" / "notebooks"
        assert (books / "03_pain_points.ipynb").is_file()  # the user's copy, not the package
        assert str(luggage) in seen  # the preset workshop is named
        import psutil

        children = psutil.Process(proc.pid).children(recursive=True)
        assert children  # JupyterLab runs
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    _, alive = psutil.wait_procs(children, timeout=20)
    assert not alive  # SIGTERM to journeytools stops JupyterLab as well


def test_projector_settings_are_large_and_light(tmp_path: Path) -> None:
    import json

    from journeytools.cli.lab import projector_settings

    folder = projector_settings(tmp_path / "settings")
    theme = json.loads((folder / "@jupyterlab/apputils-extension/themes.jupyterlab-settings").read_text())
    assert theme["theme"] == "JupyterLab Light"
    assert all(int(v.removesuffix("px")) >= 17 for v in theme["overrides"].values())


def test_scribe_notebooks_show_forms_not_python() -> None:
    import json

    root = Path(__file__).resolve().parents[2] / "notebooks"
    for name in ("01_scope_and_personas", "02_touchpoints_and_journey", "03_pain_points",
                 "04_opportunities", "05_review"):
        cells = [c for c in json.loads((root / f"{name}.ipynb").read_text())["cells"] if c["cell_type"] == "code"]
        assert "parameters" in cells[0]["metadata"]["tags"]
        assert not cells[0]["metadata"].get("jupyter", {}).get("source_hidden")  # the one cell to edit
        assert all(c["metadata"].get("jupyter", {}).get("source_hidden") for c in cells[1:]), name
