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

from helpers import ctrl_c_works

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


def _still_listening(port: int, grace: float = 10.0) -> bool:
    """Whether the port still accepts connections after ``grace`` seconds (a stopped server's
    socket may take a moment to close on a loaded machine)."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        except OSError:
            return False
        time.sleep(0.2)
    return True


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
            proc = subprocess.Popen(preexec_fn=ctrl_c_works,
                                    args=[*serve_command(), str(luggage), "--port", str(port), *extra],
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
        assert not _still_listening(port)  # and nothing listens any more


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
            assert "is on the map at Purchase, Checkout and payment" in page.inner_text(".jt-pain-msg")

            page.locator(".jt-vote-item select").select_option(label=f"Pain · {description}")
            page.fill(".jt-dots input", "2")
            page.click("button.jt-vote")
            page.wait_for_function(
                "() => document.querySelector('.jt-participant').innerText.includes('3 dots left')",
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


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 2}
LIGHT_BRAND = "#FFC107"  # amber: white text on it would fail WCAG (1.6:1)
NOISE = ("is not trusted", "without encryption", "websocket_ping_timeout", "Traceback")

PHONE_METRICS = """() => {
  const box = (e) => e.getBoundingClientRect();
  const shown = (e) => box(e).width > 0 && box(e).height > 0;
  const all = (sel) => [...document.querySelectorAll(sel)].filter(shown);
  const rgb = (c) => c.match(/\\d+/g).slice(0, 3).map(Number);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    pageWidth: document.querySelector('.jt-participant').scrollWidth,
    beyond: all('.jt-participant *').filter((e) => box(e).right > innerWidth + 0.5)
      .map((e) => e.tagName + '.' + e.className),
    fields: all('.jt-participant input:not([type=checkbox]), .jt-participant select, .jt-participant textarea')
      .map((e) => [e.className || e.tagName, parseFloat(getComputedStyle(e).fontSize)]),
    targets: all('.jt-participant button, .jt-participant .widget-checkbox label')
      .map((e) => [e.innerText, box(e).height]),
    checkboxes: all('.jt-participant input[type=checkbox]').map((e) => box(e).width),
    buttons: all('.jt-participant button.mod-primary')
      .map((e) => [rgb(getComputedStyle(e).backgroundColor), rgb(getComputedStyle(e).color)]),
    h1: [...document.querySelectorAll('h1')].map((e) => e.innerText),
    title: document.title,
  };
}"""


def _hex(rgb: list[int]) -> str:
    return "#" + "".join(f"{c:02X}" for c in rgb)


@pytest.fixture
def light_room(luggage: Path, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """The participant page of the luggage store re-branded with a light amber, and a title
    with markup characters (it becomes the page's <title>: escaped, shown as typed)."""
    meta = luggage / "workshop.yml"
    text = meta.read_text(encoding="utf-8").replace("#C2185B", LIGHT_BRAND).replace(
        "title: Online luggage store — purchase journey", """title: 'Bags & </title><b>more</b> — "on a phone"'""")
    meta.write_text(text, encoding="utf-8")
    port = free_port()
    log = tmp_path / "serve-phone.log"
    proc = subprocess.Popen(preexec_fn=ctrl_c_works, args=[*serve_command(), str(luggage), "--port", str(port)],
                            stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_listening(proc, port, log)
        yield port, log
    finally:
        stop([proc])


def test_participant_page_on_a_phone(luggage: Path, light_room: tuple[int, Path],
                                     tmp_path: Path) -> None:
    """At 390 × 844: nothing wider than the screen, 16 px fields (iOS does not zoom), 44 px
    touch targets, the workshop's title as <title> and h1, brand-coloured buttons with AA text,
    and a confirmation in a live region that speaks words, not ids. The terminal stays quiet."""
    from playwright.sync_api import sync_playwright

    from journeytools.charts.theme import contrast

    port, log = light_room
    title = jt.load(luggage).title
    description = "Gift wrap option hidden & easy to miss"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(**PHONE)
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector(".jt-participant .jt-name input", timeout=60_000)
            page.wait_for_selector(".jt-vote-msg[aria-live=polite]", state="attached")
            page.screenshot(path=str(tmp_path / "phone-top.png"))
            m = page.evaluate(PHONE_METRICS)
            assert m["scrollWidth"] <= 390 and m["pageWidth"] <= 390, m
            assert m["beyond"] == [], m["beyond"]
            assert len(m["fields"]) >= 10 and all(size >= 16 for _, size in m["fields"]), m["fields"]
            assert len(m["targets"]) >= 5 and all(h >= 44 for _, h in m["targets"]), m["targets"]
            assert m["checkboxes"] and all(w >= 20 for w in m["checkboxes"])
            assert title == 'Bags & </title><b>more</b> — "on a phone"'
            assert m["h1"] == [title] and m["title"] == title
            assert page.locator("h1 b").count() == 0 and page.locator("title").count() == 1
            assert len(m["buttons"]) == 3
            for background, text in m["buttons"]:
                assert contrast(_hex(background), _hex(text)) >= 4.5, (background, text)
            assert _hex(m["buttons"][0][0]) == LIGHT_BRAND  # the brand colour, with dark text
            strip = page.inner_text(".jt-journey")
            assert "1. Awareness" in strip and "stage 1 of 5" in strip
            assert page.get_attribute(".jt-journey [aria-current=step]", "aria-current") == "step"

            page.fill(".jt-name input", "Bea Browser")
            page.locator(".jt-stage select").select_option(label="Purchase")
            page.locator(".jt-touchpoint select").select_option(label="Checkout and payment")
            page.fill(".jt-pain-description textarea", description)
            page.click("button.jt-add-pain")
            page.wait_for_selector(".jt-pain-msg .jt-msg-ok", timeout=20_000)
            live = page.inner_text(".jt-pain-msg[aria-live=polite][role=status]")
            assert f"“{description}” is on the map at Purchase, Checkout and payment" in live
            pid = jt.load(luggage).pain_points["id"].iloc[-1]
            assert pid not in live
            assert page.evaluate(PHONE_METRICS)["beyond"] == []  # the message wraps
            height = page.locator("button.jt-add-pain").bounding_box()["height"]
            assert height >= 44 and page.inner_text("button.jt-add-pain") == "Add pain point"
            page.locator(".jt-add-pain").scroll_into_view_if_needed()
            page.screenshot(path=str(tmp_path / "phone-after-add.png"))
        finally:
            browser.close()
    text = log.read_text(errors="replace")
    assert not [n for n in NOISE if n in text], text
