"""The server helper and the ``serve`` command, without starting Voilà."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import nbformat
import pytest
import typer
from typer.testing import CliRunner

import journeytools as jt
from journeytools.cli import room as cli_room
from journeytools.room import server


def make_app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """Group."""

    cli_room.register(app)
    return app


@pytest.mark.parametrize("facilitator,call", [(False, "participant_room()"),
                                              (True, "facilitator_view()")])
def test_shipped_notebooks_are_clean(facilitator: bool, call: str) -> None:
    path = server.notebook_path(facilitator)
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    assert nb.metadata.language_info.name == "python"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert call in code[-1].source


def test_voila_command_hides_code_and_stays_put() -> None:
    cmd = server.voila_command(Path("/x/participant.ipynb"), 9000, "127.0.0.1")
    assert cmd[1:4] == ["-m", "journeytools.room.launch", "/x/participant.ipynb"]
    for flag in ["--no-browser", "--port=9000", "--Voila.ip=127.0.0.1", "--strip_sources=True",
                 "--Voila.port_retries=0", "--show_tracebacks=False"]:
        assert flag in cmd


def test_share_urls() -> None:
    assert server.share_urls("127.0.0.1", 8866) == ["http://127.0.0.1:8866/"]
    assert server.share_urls("::1", 8866) == ["http://[::1]:8866/"]
    urls = server.share_urls("0.0.0.0", 8866)
    assert urls[-1] == "http://127.0.0.1:8866/"
    assert all(u.startswith("http://") and u.endswith(":8866/") for u in urls)


def test_serve_refuses_broken_folder_and_busy_port(luggage: Path) -> None:
    (luggage / "votes.csv").write_text("voter,item\nann,nothing\n", encoding="utf-8")
    with pytest.raises(jt.ValidationError):
        server.serve(luggage, port=server.free_port())
    (luggage / "votes.csv").unlink()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(OSError, match=f"port {port}.*in use"):
            server.serve(luggage, port=port)


class FakeRoom:
    def __init__(self, folder: Path, port: int, host: str, facilitator: bool, code: str = "") -> None:
        self.port, self.host, self.code = port, host, code
        self.urls = [u + (f"?token={code}" if code else "") for u in server.share_urls(host, port)]
        self.stopped = False

    def wait_ready(self, timeout: float = 30) -> FakeRoom:
        return self

    def wait(self) -> int:
        return 0

    def stop(self) -> None:
        self.stopped = True


@pytest.fixture
def fake_serve(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake(folder: Path, port: int = 8866, host: str = "127.0.0.1",
             facilitator: bool = False, max_participants: int | None = None, code: str = "") -> FakeRoom:
        calls.append({"folder": folder, "port": port, "host": host, "facilitator": facilitator,
                      "max_participants": max_participants, "code": code})
        return FakeRoom(folder, port, host, facilitator, code)

    monkeypatch.setattr(server, "serve", fake)
    return calls


def test_cli_serve_prints_url(luggage: Path, fake_serve: list) -> None:
    result = CliRunner().invoke(make_app(), ["serve", str(luggage), "--port", "8870"])
    assert result.exit_code == 0, result.output
    assert "Share this address: http://127.0.0.1:8870/" in result.output
    assert "anyone on this network" not in result.output
    assert "--facilitator --port 8871" in result.output
    assert fake_serve == [{"folder": luggage, "port": 8870, "host": "127.0.0.1",
                           "facilitator": False, "max_participants": None, "code": ""}]


def test_cli_serve_warns_on_all_interfaces(luggage: Path, fake_serve: list) -> None:
    result = CliRunner().invoke(make_app(), ["serve", str(luggage), "--host", "0.0.0.0",
                                             "--facilitator"])
    assert result.exit_code == 0, result.output
    assert "anyone on this network" in result.output
    assert "facilitator view" in result.output
    assert "http://127.0.0.1:8866/" in result.output
    assert fake_serve[0]["facilitator"] is True


def test_cli_serve_errors_exit_1(luggage: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(make_app(), ["serve", str(tmp_path / "missing")])
    assert result.exit_code == 1
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(make_app(), ["serve", str(luggage), "--port", str(port)])
    assert result.exit_code == 1
    assert "already in use" in result.output


def test_cli_serve_passes_cap_and_code(luggage: Path, fake_serve: list) -> None:
    result = CliRunner().invoke(make_app(), ["serve", str(luggage), "--port", "8870",
                                             "--max-participants", "12", "--code", "blue-fox-42"])
    assert result.exit_code == 0, result.output
    assert fake_serve[-1]["max_participants"] == 12 and fake_serve[-1]["code"] == "blue-fox-42"
    assert "http://127.0.0.1:8870/?token=blue-fox-42" in result.output
    assert "Access code" in result.output


def test_serve_refuses_bad_code_and_cap(luggage: Path) -> None:
    with pytest.raises(jt.JourneyToolsError, match="access code"):
        server.serve(luggage, port=server.free_port(), code="has space")
    with pytest.raises(jt.JourneyToolsError, match="max-participants"):
        server.serve(luggage, port=server.free_port(), max_participants=0)


@pytest.mark.parametrize("colour", ["#FFC107", "#FFFFFF", "#0B0B45", "#C2185B", "#777777"])
def test_page_resources_title_and_readable_brand_colours(tmp_path: Path, colour: str) -> None:
    """The page's <title> is the workshop's; the brand colours reach the page as CSS variables
    in pairs that meet WCAG AA, whatever the brand colour (a light one is darkened for text)."""
    from journeytools.charts.theme import contrast

    from helpers import WORKSHOP_YML, write_workshop

    ws = jt.load(write_workshop(tmp_path / "ws", workshop=WORKSHOP_YML.replace("#2E7D32", colour)))
    res = server.page_resources(ws)
    assert res["metadata"]["name"] == "Bike shop — repair booking journey"
    css = res["jt_room"]["css"]
    assert css["--jt-accent"].upper() == colour
    assert contrast(css["--jt-header"], css["--jt-on-header"]) >= 4.5  # buttons, current stage
    assert contrast(css["--jt-accent-text"], "#FFFFFF") >= 4.5  # outlined button's text
    assert contrast(css["--jt-accent-graphic"], "#FFFFFF") >= 3.0  # borders, focus ring


def test_launch_config_page_and_quiet_log(monkeypatch: pytest.MonkeyPatch) -> None:
    import json
    import logging

    from journeytools.room import launch

    page = {"metadata": {"name": 'Bags & "more" <i>'}, "jt_room": {"css": {"--jt-header": "#123456"}}}
    monkeypatch.setenv(server.PAGE_ENV, json.dumps(page))
    config = launch.room_config()
    assert config.VoilaConfiguration.resources == page
    ws = config.Voila.tornado_settings  # no timeout longer than the interval: tornado warns
    assert 0 < ws["ws_ping_timeout"] <= ws["ws_ping_interval"]
    monkeypatch.delenv(server.PAGE_ENV)
    assert launch.room_config().VoilaConfiguration.resources == {}

    quiet = launch.QuietLog()

    def record(msg: str) -> logging.LogRecord:
        return logging.LogRecord("Voila", logging.WARNING, __file__, 1, msg, ("x.ipynb",), None)

    assert not quiet.filter(record("Notebook %s is not trusted"))
    assert quiet.filter(record("journeytools room: refused a request for host %r"))
    assert launch.encryption_args() in ([], ["--KernelManager.transport_encryption=auto"])
