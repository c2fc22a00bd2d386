"""End to end: the room served by Voilà, driven in Debian's chromium with Playwright.

Voilà answers 200 even when a cell fails, so the test looks for the widgets on the page and
then for the rows on disk.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import journeytools as jt
from journeytools.room.server import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium at /usr/bin/chromium "
                              "(apt-get install -y chromium); no browser is downloaded"),
]


def serve_command() -> list[str]:
    """``journeytools serve`` once the main CLI has it, else the room's own entry point."""
    from journeytools import cli

    names = {c.name or (c.callback.__name__ if c.callback else "") for c in cli.app.registered_commands}
    module = "journeytools" if "serve" in names else "journeytools.room"
    return [sys.executable, "-m", module, "serve"]


def wait_listening(proc: subprocess.Popen, port: int, log: Path, timeout: float = 45) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"serve exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"serve did not listen on {port}:\n{log.read_text(errors='replace')}")


def stop(procs: list[subprocess.Popen]) -> None:
    """Ctrl-C each command (it stops Voilà and its kernels itself), all at once, then wait."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture
def rooms(luggage: Path, tmp_path: Path) -> Iterator[tuple[int, int]]:
    """The participant page and the facilitator view on two free localhost ports."""
    procs = []
    ports = []
    try:
        for extra in ([], ["--facilitator"]):
            port = free_port()
            log = tmp_path / f"serve-{port}.log"
            proc = subprocess.Popen([*serve_command(), str(luggage), "--port", str(port), *extra],
                                    stdout=log.open("wb"), stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
            procs.append((proc, port, log))
            ports.append(port)
        for _proc, port, log in procs:
            wait_listening(proc, port, log)
        yield ports[0], ports[1]
    finally:
        stop([proc for proc, _, _ in procs])
    for _proc, port, log in procs:
        text = log.read_text(errors="replace")
        assert f"http://127.0.0.1:{port}/" in text, text  # the address to share was printed
        with pytest.raises(OSError):  # and nothing listens any more
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()


def test_participant_adds_pain_point_and_vote_in_browser(luggage: Path,
                                                         rooms: tuple[int, int]) -> None:
    from playwright.sync_api import sync_playwright

    participant_port, facilitator_port = rooms
    description = "Gift <em>wrap</em> option hidden & easy to miss"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            external: list[str] = []

            def watch(request) -> None:  # the room must not reach beyond this machine
                if not request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
                    external.append(request.url)

            board = browser.new_page()
            board.on("request", watch)
            board.goto(f"http://127.0.0.1:{facilitator_port}/")
            board.wait_for_selector(".jt-fac-pains table", timeout=60_000)
            assert "Online luggage store" in board.inner_text(".jt-facilitator")

            page = browser.new_page()
            page.on("request", watch)
            page.goto(f"http://127.0.0.1:{participant_port}/")
            page.wait_for_selector(".jt-participant .jt-name input", timeout=60_000)
            page.fill(".jt-name input", "Bea Browser")
            page.locator(".jt-stage select").select_option(label="Purchase")
            page.locator(".jt-touchpoint select").select_option(label="Checkout and payment")
            page.fill(".jt-pain-description textarea", description)
            page.locator(".jt-severity select").select_option(label="5 · stops them completely")
            page.locator(".jt-frequency select").select_option(label="4 · most of the time")
            page.click("button.jt-add-pain")
            page.wait_for_selector(".jt-msg-ok", timeout=20_000)
            assert "added pain point" in page.inner_text(".jt-participant")

            page.locator(".jt-vote-item select").select_option(label=f"Pain · {description}")
            page.fill(".jt-dots input", "2")
            page.click("button.jt-vote")
            page.wait_for_function(
                "() => document.querySelector('.jt-participant').innerText.includes('3 left')",
                timeout=20_000)
            assert "3 of 5 dots left" in page.inner_text(".jt-budget")

            # both reached the folder on disk
            ws = jt.load(luggage)
            pains = ws.pain_points[ws.pain_points["description"] == description]
            assert len(pains) == 1
            pid = pains["id"].iloc[0]
            assert (pains["touchpoint"].iloc[0], int(pains["severity"].iloc[0]),
                    int(pains["frequency"].iloc[0])) == ("checkout", 5, 4)
            mine = ws.votes[ws.votes["voter"] == "Bea Browser"]
            assert mine[["item", "votes"]].values.tolist() == [[pid, 2]]

            # the facilitator's screen catches up by itself and shows the text, not the markup
            board.wait_for_function(
                "(t) => document.querySelector('.jt-fac-pains').innerText.includes(t)",
                arg=description, timeout=20_000)
            assert board.locator(".jt-fac-pains em").count() == 0
            assert "Traceback" not in page.content() and "Traceback" not in board.content()
            assert "cdn.jsdelivr.net" not in page.content()
            assert external == []
        finally:
            browser.close()
