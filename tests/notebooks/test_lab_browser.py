"""End to end: the guided notebooks in JupyterLab, driven in Debian's chromium as a scribe would.

One ``journeytools lab`` (JupyterLab) on a private copy of the luggage-store example serves the
whole module. Each test opens a notebook, runs all cells from the Run menu, checks that every
editor rendered (no "Error displaying widget", nothing on stderr), then types into the editors,
presses their buttons and checks the workshop folder on disk: the CSV holds what was typed and
``jt.validate`` still passes. A screenshot of each notebook after saving lands in the module's
tmp folder (``lab-screens``), printed with ``-s``.

The editors carry stable ``jt-*`` CSS classes (``journeytools/widgets/_base.py``) and their
labels are real ``<label>``s of their inputs, so the test finds an editor by class and its fields
by role and label; sliders are moved with the keyboard. What a scribe does next is tested too:
a pain point or idea added with a form shows up in the sliders, grid and voting below it.
Each test reads the folder before it starts, so the tests do not depend on each other's order.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

import journeytools as jt
from journeytools.cli.lab import WORKSHOP_ENV

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
STDERR = '.jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]'

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium at /usr/bin/chromium "
                              "(apt-get install -y chromium); no browser is downloaded"),
]

# JupyterLab, isolated and quiet: no news or update checks (no network), no "get the news?" toast.
SERVER_CONFIG = {"LabApp": {"news_url": None,
                            "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}}
USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}


@dataclass
class Lab:
    """The running JupyterLab: where it listens, its token, the workshop it edits."""

    port: int
    token: str
    workshop: Path
    screens: Path

    def url(self, notebook: str) -> str:
        # reset: a fresh workspace, not the previous test's notebook restored in another tab
        return (f"http://127.0.0.1:{self.port}/lab/tree/notebooks/{notebook}.ipynb"
                f"?reset&token={self.token}")

    def api(self, path: str, method: str = "GET") -> Any:
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=20) as resp:
            body = resp.read()
        return json.loads(body) if body else None


def isolated_env(tmp: Path) -> dict[str, str]:
    """Environment for JupyterLab and its kernels with every Jupyter folder under ``tmp``."""
    config = tmp / "jupyter-config"
    (config / "labconfig").mkdir(parents=True)
    for name in ("jupyter_server_config.json", "jupyter_lab_config.json"):
        (config / name).write_text(json.dumps(SERVER_CONFIG), encoding="utf-8")
    settings = tmp / "lab-settings"
    for rel, values in USER_SETTINGS.items():
        (settings / rel).parent.mkdir(parents=True, exist_ok=True)
        (settings / rel).write_text(json.dumps(values), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != WORKSHOP_ENV}
    env.update(JUPYTER_CONFIG_DIR=str(config), JUPYTER_RUNTIME_DIR=str(tmp / "jupyter-runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "lab-workspaces"),
               IPYTHONDIR=str(tmp / "ipython"), MPLCONFIGDIR=str(tmp / "matplotlib"))
    return env


def wait_for_token(proc: subprocess.Popen, log: Path, port: int, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    pattern = re.compile(rf"http://127\.0\.0\.1:{port}/lab\?token=(\w+)")
    while time.monotonic() < deadline:
        found = pattern.search(log.read_text(errors="replace"))
        if found:
            return found.group(1)
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    pytest.fail(f"journeytools lab printed no address (exit {proc.poll()}):\n"
                f"{log.read_text(errors='replace')[-4000:]}")


def stop_lab(proc: subprocess.Popen) -> list[str]:
    """SIGTERM ``journeytools lab`` (it stops JupyterLab, which stops its kernels); returns the
    processes that outlived it (then killed), so the caller can fail on them."""
    import psutil

    try:
        family = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        family = []
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        pass
    _, alive = psutil.wait_procs(family, timeout=20)
    survivors = []
    for p in alive:
        try:
            survivors.append(" ".join(p.cmdline()[:4]))
            p.kill()  # by pid: only what this test started
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=10)
    if proc.poll() is None:
        proc.kill()
    proc.wait(timeout=10)
    return survivors


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """``journeytools lab`` on a copy of luggage-store, the notebooks copied to ``nbhome``."""
    from journeytools.room.server import free_port

    tmp = tmp_path_factory.mktemp("lab")
    workshop = tmp / "luggage-store"
    shutil.copytree(ROOT / "workshops" / "luggage-store", workshop,
                    ignore=shutil.ignore_patterns(".journeytools.lock", "*.tmp"))
    assert jt.validate(workshop).ok
    port = free_port()
    log = tmp / "lab.log"
    proc = subprocess.Popen([sys.executable, "-m", "journeytools", "lab", str(workshop),
                             "--no-browser", "--port", str(port), "--dir", str(tmp / "nbhome")],
                            cwd=tmp, env=isolated_env(tmp), stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    survivors: list[str] = []
    try:
        token = wait_for_token(proc, log, port)
        (tmp / "lab-screens").mkdir()
        yield Lab(port, token, workshop, tmp / "lab-screens")
    finally:
        survivors = stop_lab(proc)
    assert not survivors, f"still running after journeytools lab stopped: {survivors}"
    text = log.read_text(errors="replace")
    assert str(workshop) in text  # the preset workshop was named
    ours = [t for t in tracebacks(text) if "journeytools" in t]  # e.g. a failing on_click
    assert not ours, "\n\n".join(ours)[-4000:]


def tracebacks(log: str) -> list[str]:
    """The Python tracebacks in a server log (kernels log theirs there too, e.g. from widget
    callbacks), each up to the next log line. ipykernel's own noise when a kernel is shut down
    mid-message ("zmq gc socket requested during shutdown") is not ours and is left alone."""
    out = []
    for part in log.split("Traceback (most recent call last):")[1:]:
        end = re.search(r"^(\[[A-Z] |[A-Z]+:)", part, flags=re.M)
        out.append(part[:end.start()] if end else part)
    return out


@pytest.fixture(scope="module")
def browser(lab: Lab) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Notebook:
    """One notebook open in JupyterLab in its own browser page."""

    def __init__(self, lab: Lab, browser: Any, name: str) -> None:
        import nbformat

        self.lab, self.name = lab, name
        nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        self.code_cells = sum(c.cell_type == "code" for c in nb.cells)
        self.external: list[str] = []
        self.context = browser.new_context(viewport={"width": 1500, "height": 1000})
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.page.on("request", self._watch)

    def _watch(self, request: Any) -> None:  # the lab must not reach beyond this machine
        if not request.url.startswith(LOCAL):
            self.external.append(request.url)

    def open_and_run_all(self) -> None:
        page = self.page
        page.goto(self.lab.url(self.name))
        page.locator(".jp-NotebookPanel .jp-Notebook .jp-CodeCell").first.wait_for(timeout=90_000)
        assert page.locator(".jp-NotebookPanel").count() == 1  # only this notebook is open
        # the kernel must be up: "Run All Cells" does nothing while the status bar says No Kernel
        page.wait_for_function("""() => {
            const bar = document.querySelector('#jp-main-statusbar');
            return bar && /Python 3 \\(ipykernel\\) \\| Idle/.test(bar.textContent);
        }""", timeout=90_000)
        # the scribe's notebooks open with their Python collapsed; the prompts this test waits
        # for are part of the input, so show it (View → Expand All Code), as a curious scribe would
        page.get_by_role("menuitem", name="View", exact=True).click()
        page.get_by_role("menuitem", name=re.compile(r"^Expand All Code")).click()
        for attempt in range(2):  # once more only if the first click started nothing at all
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
            try:  # queued cells show [*]: at once
                page.wait_for_function(
                    """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                              .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))""", timeout=15_000)
                break
            except PlaywrightTimeout:
                if attempt:
                    raise
        # every code cell numbered ([n]:, none [*]:) and the kernel idle again
        try:
            page.wait_for_function(
                """(n) => {
                    const prompts = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')];
                    return prompts.length === n && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
                }""", arg=self.code_cells, timeout=150_000)
        except PlaywrightTimeout:
            self.page.screenshot(path=str(self.lab.screens / f"{self.name}-stuck.png"))
            prompts = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").all_text_contents()
            status = page.locator("#jp-main-statusbar").text_content()
            pytest.fail(f"Run All Cells did not finish in {self.name}: prompts {prompts}, "
                        f"status bar {status!r}")
        page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for(timeout=60_000)

    def check_rendered(self, editors: list[str]) -> None:
        """Every editor shown once; no widget error, no traceback, nothing on stderr."""
        page = self.page
        for css in editors:
            page.locator(f".{css}").first.wait_for(state="attached", timeout=30_000)
            assert page.locator(f".{css}").count() == 1, css
        outputs = page.evaluate("""() => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')]
                                      .map(o => o.textContent).join('\\n')""")
        stderr = page.locator(f".jp-Notebook {STDERR}").all_text_contents()
        assert not stderr, "\n".join(stderr)[-3000:]
        for bad in ("Error displaying widget", "Traceback", "Loading widget..."):
            assert bad not in outputs, f"{bad!r} in the outputs of {self.name}"
        assert page.locator(".jp-Notebook .jupyter-widgets").count() > 10

    def editor(self, css: str) -> Any:
        return self.page.locator(f".jp-Notebook .{css}")

    def screenshot(self, editor: Any) -> Path:
        path = self.lab.screens / f"{self.name}.png"
        editor.scroll_into_view_if_needed()
        self.page.screenshot(path=str(path))
        print(f"screenshot: {path}")
        return path

    def close(self) -> None:
        try:
            for session in self.lab.api("/api/sessions"):  # stop the kernel: the next needs the CPU
                if session.get("path", "").endswith(f"{self.name}.ipynb"):
                    self.lab.api(f"/api/sessions/{session['id']}", method="DELETE")
        finally:
            self.context.close()


@pytest.fixture
def notebook(lab: Lab, browser: Any, request: pytest.FixtureRequest) -> Iterator[Notebook]:
    nb = Notebook(lab, browser, request.param)
    try:
        yield nb
    finally:
        nb.close()
    assert nb.external == [], nb.external


def typed(field: Any, text: str) -> None:
    """Type into a text field as a person would, then leave it (the widgets sync on change)."""
    field.fill(text)
    field.press("Tab")


def wait_status(editor: Any, *parts: str, timeout: float = 30_000) -> str:
    """Wait until the editor's status line shows every one of ``parts``; returns its text."""
    status = editor.locator(".jt-status").first
    for part in parts:
        status.filter(has_text=part).wait_for(timeout=timeout)
    return str(status.inner_text())


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def by_id(path: Path, ident: str) -> dict[str, str]:
    found = [r for r in rows(path) if r["id"] == ident]
    assert len(found) == 1, (ident, [r["id"] for r in rows(path)])
    return found[0]


# -- 03 · pain points -------------------------------------------------------------------------
@pytest.mark.parametrize("notebook", ["03_pain_points"], indirect=True)
def test_pain_points_notebook_in_jupyterlab(notebook: Notebook, lab: Lab) -> None:
    nb, page, csv_path = notebook, notebook.page, lab.workshop / "pain_points.csv"
    nb.open_and_run_all()
    nb.check_rendered(["jt-pain-point-form", "jt-pain-score-sliders", "jt-dot-voting"])
    before = {r["id"]: r for r in rows(csv_path)}

    # 1. move a severity slider with the keyboard: chat-queue-wait 3 -> 4, saved at once
    sliders = nb.editor("jt-pain-score-sliders")
    chat = sliders.locator(".jt-pain-row").filter(has_text="chat-queue-wait:")
    assert before["chat-queue-wait"]["severity"] == "3"
    chat.locator(".jt-severity .noUi-handle").press("ArrowRight")
    wait_status(sliders, "Saved pain_points.csv", "chat-queue-wait scores 4 × 2 = 8")
    assert by_id(csv_path, "chat-queue-wait")["severity"] == "4"
    assert jt.validate(lab.workshop).ok

    # 2. type a new pain point into the form and add it
    form = nb.editor("jt-pain-point-form")
    description = 'Courier leaves a "sorry we missed you" card, no redelivery slot; café pickup only'
    form.get_by_role("combobox", name="Who").select_option("Greta")
    form.get_by_role("combobox", name="Where").select_option("Delivery · Courier delivery")
    typed(form.get_by_role("textbox", name="What goes wrong"), description)
    form.locator(".jt-field-severity .noUi-handle").press("ArrowRight")  # 3 -> 4
    form.locator(".jt-field-severity .widget-readout").filter(has_text=re.compile(r"^4$")).wait_for()
    form.get_by_role("combobox", name="Source").select_option("interview")
    typed(form.get_by_role("textbox", name="Evidence"), "Interview G-02, 14 Nov")
    form.get_by_role("button", name="Add pain point").click()
    status = wait_status(form, "Added pain point", "to pain_points.csv", "(pain score 12)")
    new_id = re.search(r"Added pain point (\S+) to", status).group(1)  # type: ignore[union-attr]
    added = by_id(csv_path, new_id)
    assert (added["persona"], added["touchpoint"], added["description"], added["severity"],
            added["frequency"], added["source"], added["evidence"]) == \
        ("greta", "courier-delivery", description, "4", "3", "interview", "Interview G-02, 14 Nov")
    expect(form.get_by_role("textbox", name="What goes wrong")).to_have_value("")  # ready for the next
    assert jt.validate(lab.workshop).ok

    # 3. the new pain point shows up in the sliders and the dot voting; score it there
    mine = sliders.locator(".jt-pain-row").filter(has_text=f"{new_id}:")
    mine.wait_for()
    mine.locator(".jt-frequency .noUi-handle").press("ArrowLeft")  # 3 -> 2
    wait_status(sliders, f"Saved pain_points.csv: {new_id} scores 4 × 2 = 8")
    assert by_id(csv_path, new_id)["frequency"] == "2"
    voting = nb.editor("jt-dot-voting")
    vote_for = voting.get_by_role("combobox", name="Vote for")
    vote_for.locator(f'option[value^="Pain · {new_id}:"]').wait_for(state="attached")  # votable now

    after = {r["id"]: r for r in rows(csv_path)}
    assert set(after) == set(before) | {new_id}
    assert all(after[k] == v for k, v in before.items() if k != "chat-queue-wait")  # nothing else moved
    assert jt.validate(lab.workshop).ok
    nb.screenshot(form)
    assert "Traceback" not in page.locator(".jp-Notebook").inner_text()


# -- 01 · scope and personas ------------------------------------------------------------------
@pytest.mark.parametrize("notebook", ["01_scope_and_personas"], indirect=True)
def test_scope_and_personas_notebook_in_jupyterlab(notebook: Notebook, lab: Lab) -> None:
    nb, csv_path = notebook, lab.workshop / "personas.csv"
    nb.open_and_run_all()
    nb.check_rendered(["jt-scope-form", "jt-persona-form"])
    before = rows(csv_path)

    form = nb.editor("jt-persona-form")
    form.get_by_role("combobox", name="Persona").select_option("＋ new persona")
    # a blank card (the kernel empties the fields, then frees the id: wait, or it overwrites typing)
    expect(form.get_by_role("textbox", name="Built from")).to_have_value("")
    expect(form.get_by_role("textbox", name="Id", exact=True)).to_be_enabled()
    expect(form.get_by_role("textbox", name="Name", exact=True)).to_have_value("")
    card = {"Name": "Olga", "Segment": "Budget family traveller",
            "Who they are": "39, teacher, two kids; books one summer holiday a year, on a laptop.",
            "Goals": "Four matching suitcases under €300",
            "Channels": "web;email", "In their words": "Cheap, but it has to survive the kids.",
            "Weight": "0.8", "Built from": "Post-visit survey Oct 2026"}
    for label, text in card.items():
        typed(form.get_by_role("textbox", name=label, exact=True), text)
    form.get_by_role("button", name="Save persona").click()
    wait_status(form, "Saved persona Olga (olga) to personas.csv")

    after = rows(csv_path)
    assert after[:len(before)] == before and len(after) == len(before) + 1
    olga = by_id(csv_path, "olga")
    assert (olga["name"], olga["segment"], olga["description"], olga["goals"], olga["channels"],
            olga["quote"], olga["weight"], olga["data_sources"]) == \
        ("Olga", card["Segment"], card["Who they are"], card["Goals"], "web;email",
         card["In their words"], "0.8", card["Built from"])
    assert jt.validate(lab.workshop).ok
    assert "olga" in list(jt.load(lab.workshop).personas["id"])
    # the card now shows the saved persona, its id fixed
    expect(form.get_by_role("combobox", name="Persona")).to_have_value("Olga (olga)")
    expect(form.get_by_role("textbox", name="Id", exact=True)).to_be_disabled()
    expect(form.get_by_role("textbox", name="Id", exact=True)).to_have_value("olga")
    nb.screenshot(form)


# -- 04 · opportunities -----------------------------------------------------------------------
@pytest.mark.parametrize("notebook", ["04_opportunities"], indirect=True)
def test_opportunities_notebook_in_jupyterlab(notebook: Notebook, lab: Lab) -> None:
    from journeytools import scoring

    nb, csv_path = notebook, lab.workshop / "opportunities.csv"
    nb.open_and_run_all()
    nb.check_rendered(["jt-opportunity-form", "jt-opportunity-grid", "jt-dot-voting"])
    before = {r["id"]: r for r in rows(csv_path)}

    # 1. add an idea with the form: it relieves two pain points
    form = nb.editor("jt-opportunity-form")
    title = "Delivery-slot picker with a 'not home' redirect"
    typed(form.get_by_role("textbox", name="Idea"), title)
    typed(form.get_by_role("textbox", name="What we'd do"),
          "Let customers pick a two-hour slot and redirect to a locker, café or store.")
    relieves = form.get_by_role("listbox", name="Relieves")
    picks = [relieves.locator("option").filter(has_text=re.compile(rf"^{p}:")).get_attribute("value")
             for p in ("missed-delivery", "chat-queue-wait")]
    relieves.select_option(picks)
    impact = form.get_by_role("combobox", name="Impact")
    impact.select_option(impact.locator("option").filter(has_text="high").get_attribute("value"))
    typed(form.get_by_role("textbox", name="Owner"), "Logistics")
    kind = form.get_by_role("combobox", name="Kind")  # its place in the plan per stage
    kind.select_option(kind.locator("option").filter(has_text="product —").get_attribute("value"))
    form.get_by_role("button", name="Add idea").click()
    status = wait_status(form, "Added idea", "to opportunities.csv")
    new_id = re.search(r"Added idea (\S+) to", status).group(1)  # type: ignore[union-attr]
    idea = by_id(csv_path, new_id)
    assert (idea["title"], idea["impact"], idea["owner"], idea["status"], idea["kind"]) == \
        (title, "2", "Logistics", "idea", "product")
    assert sorted(idea["addresses"].split(";")) == ["chat-queue-wait", "missed-delivery"]
    assert jt.validate(lab.workshop).ok

    # 2. score it in the grid (where it has just appeared) and save
    grid = nb.editor("jt-opportunity-grid")
    ids = grid.locator(".jt-grid-row .jt-cell-id input")
    page = nb.page
    page.wait_for_function("""([sel, id]) => [...document.querySelectorAll(sel)]
                                   .some(i => i.value === id)""",
                           arg=[".jt-opportunity-grid .jt-grid-row .jt-cell-id input", new_id])
    row = grid.locator(".jt-grid-row").nth([i.input_value() for i in ids.all()].index(new_id))
    for label, text in {"Reach /qtr": "1200", "Confidence": "0.6", "Effort (p-m)": "1.5",
                        "Ease 1–10": "7"}.items():
        typed(row.get_by_role("textbox", name=label, exact=True), text)
    row.get_by_role("combobox", name="Status").select_option("planned")
    assert row.locator(".jt-row-message").inner_text().strip() == ""  # nothing to fix
    grid.get_by_role("button", name="Save").click()  # (its name starts with the icon glyph)
    wait_status(grid, f"Saved opportunities.csv ({len(before) + 1} rows)")

    scored = by_id(csv_path, new_id)
    assert (scored["reach"], scored["impact"], scored["confidence"], scored["effort"],
            scored["ease"], scored["status"], scored["title"]) == \
        ("1200", "2", "0.6", "1.5", "7", "planned", title)
    after = {r["id"]: r for r in rows(csv_path)}
    assert set(after) == set(before) | {new_id}
    assert all(after[k] == v for k, v in before.items())  # the other ideas untouched
    assert jt.validate(lab.workshop).ok
    ranked = scoring.score(jt.load(lab.workshop)).opportunities.set_index("id")
    assert ranked.loc[new_id, "rice"] == pytest.approx(1200 * 2 * 0.6 / 1.5)
    nb.screenshot(row)
