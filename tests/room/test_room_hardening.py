"""The room among strangers: a cap on kernels, idle kernels culled, foreign Host headers refused,
an optional access code, and no tracebacks on participants' pages."""

from __future__ import annotations

import http.client
import subprocess
import time
from pathlib import Path

import pytest

from journeytools.room.guard import APOLOGY, quiet_tracebacks
from journeytools.room.launch import host_allowed
from journeytools.room.server import kernel_count, serve

from helpers import ctrl_c_works


def _get(port: int, path: str = "/", host: str | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
    conn.request("GET", path, headers={**({"Host": host} if host else {}), **(headers or {})})
    resp = conn.getresponse()
    body = resp.read().decode("utf-8", errors="replace")
    conn.close()
    return resp.status, body


def _kernels(parent: int) -> int:
    out = subprocess.run(["pgrep", "-P", str(parent), "-f", "ipykernel"], capture_output=True, text=True)
    return len(out.stdout.split())


@pytest.mark.parametrize(("header", "ok"), [
    ("localhost:8866", True), ("127.0.0.1:8866", True), ("192.168.1.23:8866", True), ("[::1]:8866", True),
    ("LAPTOP.local", True), ("attacker.example", False), ("attacker.example:8866", False),
    ("localhost.attacker.example", False), ("", False),
])
def test_host_header_rules(header: str, ok: bool) -> None:
    assert host_allowed(header, {"localhost", "laptop.local"}) is ok


def test_tracebacks_become_an_apology(capsys: pytest.CaptureFixture[str]) -> None:
    class Shell:
        def showtraceback(self) -> None:  # pragma: no cover - replaced
            raise AssertionError

    shell = Shell()
    assert quiet_tracebacks(shell)
    try:
        raise KeyError("/home/facilitator/secret/path.csv")
    except KeyError:
        shell.showtraceback()
    err = capsys.readouterr().err
    assert APOLOGY in err
    # the page gets the apology; the full traceback goes to the real stderr (the server's log)


@pytest.mark.slow
def test_flood_is_capped_culled_and_foreign_hosts_refused(luggage: Path, tmp_path: Path) -> None:
    log = (tmp_path / "voila.log").open("w")
    # culling after 30 s: longer than three page loads take on a busy 2-core machine (~7 s each),
    # so the fourth load finds the room full rather than a seat just culled
    room = serve(luggage, port=0, max_participants=3, cull_seconds=30, log=log)
    try:
        room.wait_ready(60)
        pid = room.process.pid
        # DNS rebinding: pages, the kernel API and websockets with a foreign Host are refused
        assert _get(room.port, host="attacker.example")[0] == 403
        assert _get(room.port, "/api/kernels", host="attacker.example:80")[0] == 403
        upgrade = {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
                   "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
        assert _get(room.port, "/api/kernels/00000000-0000-0000-0000-000000000000/channels",
                    host="attacker.example", headers=upgrade)[0] == 403

        statuses = []
        for _ in range(50):  # page loads that never open a websocket
            status, body = _get(room.port)
            statuses.append(status)
            if status == 503:
                assert "The room is full" in body and "Traceback" not in body and str(luggage) not in body
            assert _kernels(pid) <= 3
        # three seats, then "full" until the culler frees seats of pages nobody connected to
        assert statuses[:4] == [200, 200, 200, 503] and statuses.count(503) >= 30

        deadline = time.monotonic() + 90
        while _kernels(pid) and time.monotonic() < deadline:
            time.sleep(1)
        assert _kernels(pid) == 0  # nobody connected: every kernel culled
        while _get(room.port)[0] != 200 and time.monotonic() < deadline + 10:
            time.sleep(1)  # the manager forgets a culled kernel just after its process ends
        assert _kernels(pid) == 1  # the seats are free again: this load got one
        assert kernel_count(room) == 1
    finally:
        room.stop()
        log.close()
    assert room.process.poll() is not None and not _kernels(pid)
    alive = subprocess.run(["pgrep", "-f", str(luggage)], capture_output=True, text=True).stdout.split()
    assert not alive  # no kernel outlived the room


@pytest.mark.slow
def test_access_code(luggage: Path, tmp_path: Path) -> None:
    with (tmp_path / "voila.log").open("w") as log:
        room = serve(luggage, port=0, code="blue-fox-42", log=log)
        try:
            room.wait_ready(60)
            assert all(u.endswith("?token=blue-fox-42") for u in room.urls)
            assert _get(room.port)[0] in (302, 403)
            assert _get(room.port, "/?token=wrong")[0] in (302, 403)
            assert _get(room.port, "/?token=blue-fox-42")[0] == 200
        finally:
            room.stop()


CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="needs Debian's chromium at /usr/bin/chromium")


@pytest.mark.slow
@needs_chromium
def test_thirty_page_loads_leave_only_the_live_participants_kernels(luggage: Path,
                                                                   tmp_path: Path) -> None:
    """Two participants keep their pages open; 30 more page loads come and go (closed tabs,
    reloads, a script). Once the culler has run, only the two live kernels are left, and the
    live pages still work."""
    from playwright.sync_api import sync_playwright

    log = (tmp_path / "voila.log").open("w")
    room = serve(luggage, port=0, max_participants=6, cull_seconds=30, log=log)  # see above
    try:
        room.wait_ready(60)
        pid = room.process.pid
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM),
                                         args=["--no-sandbox", "--disable-gpu"])
            try:
                live = []
                for _ in range(2):
                    page = browser.new_page()
                    page.goto(room.local_url)
                    page.wait_for_selector(".jt-participant .jt-name input", timeout=60_000)
                    live.append(page)
                assert _kernels(pid) == 2
                statuses = []
                for _ in range(30):  # loads that never open a websocket
                    statuses.append(_get(room.port)[0])
                    assert _kernels(pid) <= 6
                # four seats next to the two live pages, then "the room is full"
                assert statuses[:4] == [200] * 4 and statuses.count(503) >= 20, statuses

                deadline = time.monotonic() + 90
                while _kernels(pid) > 2 and time.monotonic() < deadline:
                    time.sleep(1)
                assert _kernels(pid) == 2  # the 30 loads' kernels are gone ...
                time.sleep(12)  # ... the live ones survive more culling rounds (idle, connected)
                assert _kernels(pid) == 2 and kernel_count(room) == 2
                for page in live:
                    page.click("button.jt-refresh")
                    page.wait_for_function(
                        "() => document.querySelector('.jt-refresh-msg').innerText.includes('Up to date')",
                        timeout=20_000)
            finally:
                browser.close()
    finally:
        room.stop()
        log.close()
    assert not _kernels(pid)


@pytest.mark.slow
def test_ctrl_c_on_serve_stops_voila_and_its_kernels(luggage: Path, tmp_path: Path) -> None:
    """``journeytools serve`` in a terminal, a page loaded (a kernel started), then Ctrl-C:
    the command exits 0 and no process it started survives."""
    import signal
    import socket
    import sys

    import psutil

    from journeytools.room.server import free_port

    port = free_port()
    out = tmp_path / "serve.log"
    proc = subprocess.Popen(preexec_fn=ctrl_c_works, args=[sys.executable, "-m", "journeytools", "serve", str(luggage),
                             "--port", str(port)], stdout=out.open("wb"), stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert proc.poll() is None, out.read_text(errors="replace")
                time.sleep(0.2)
        assert _get(port)[0] == 200
        started = psutil.Process(proc.pid).children(recursive=True)
        kinds = [" ".join(p.cmdline()) for p in started]
        assert any("journeytools.room.launch" in k for k in kinds), kinds  # Voilà
        assert any("ipykernel" in k for k in kinds), kinds  # the page's kernel

        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert proc.wait(timeout=30) == 0, out.read_text(errors="replace")
        _, alive = psutil.wait_procs(started, timeout=10)
        assert alive == [], [p.cmdline() for p in alive]
        with pytest.raises(OSError):  # and nothing listens any more
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
