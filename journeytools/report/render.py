"""Executed notebook → self-contained HTML (nbconvert template) → PDF (registry of engines)."""

from __future__ import annotations

import base64
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..fsutil import write_produced
from ..model.paths import LOGO_MAX_BYTES, UnsafePath, read_image
from ..model.workshop import Workshop
from ..store.resources import resource_dir

TEMPLATE_NAME = "report"


def templates_dir() -> Path:
    """The folder holding the nbconvert template folder ``report/`` (package data)."""
    return resource_dir("report").parent


# Stylesheets of the report template, concatenated in this order (later rules win).
CSS_FILES = ("report.css", "map.css", "a11y.css", "print.css")


def report_css() -> str:
    """The report's CSS: each part of the template's look in its own file."""
    folder = resource_dir("report")
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in CSS_FILES)


def logo_data_uri(ws: Workshop) -> str:
    """The workshop logo inlined as a data URI ('' when there is none, or none that may be
    shown).

    Defence in depth: loading the folder refused an unsafe logo already, but the folder may
    have changed since, so the rule is applied again on the bytes read: an image by content
    (PNG, JPEG, GIF, WebP, script-free SVG), at most 2 MB, a regular file inside the
    workshop folder (see :func:`journeytools.model.paths.read_image`).
    """
    logo = ws.branding.get("logo")
    if not logo or ws.path is None:
        return ""
    try:
        mime, data = read_image(ws.path, logo, kind="logo", max_bytes=LOGO_MAX_BYTES)
    except (UnsafePath, OSError):
        return ""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def brand_of(company: str, primary_color: str, logo: str = "") -> dict[str, str]:
    """Company, logo, stylesheet and ``colors``: the CSS custom properties derived from
    ``primary_color`` (``charts.theme.brand_colors``), for a workshop's pages or a portfolio's."""
    from ..charts.theme import brand_colors  # matplotlib's colour maths, only when building

    colors = brand_colors(str(primary_color).strip())
    return {"company": company, "accent": colors.accent,
            "colors": " ".join(f"{k}: {v};" for k, v in colors.css_variables().items()),
            "logo": logo, "css": report_css()}


def branding(ws: Workshop) -> dict[str, str]:
    """What the report templates brand a page with: company, logo, the stylesheet, and
    ``colors``, the CSS custom properties derived from ``primary_color`` so that every colour
    pair on the page meets WCAG AA whatever the brand (``charts.theme.brand_colors``)."""
    b = ws.branding
    return brand_of(str(b.get("company") or ws.title), str(b["primary_color"]), logo_data_uri(ws))


class HtmlRenderer:
    """One nbconvert exporter for a whole batch (creating one is the slow part)."""

    def __init__(self) -> None:
        from nbconvert import HTMLExporter

        self._exporter = HTMLExporter(extra_template_basedirs=[str(templates_dir())],
                                      template_name=TEMPLATE_NAME, exclude_input=True,
                                      exclude_output_prompt=True, exclude_markdown=True,
                                      exclude_raw=True)
        self._lock = threading.Lock()

    def render(self, nb: Any, title: str, brand: dict[str, str]) -> str:
        """HTML of an executed notebook: stderr, warnings and code hidden, brand applied."""
        import copy

        nb = copy.deepcopy(nb)
        nb.metadata["title"] = title
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"cell-{i}"  # papermill's injected cell gets a random id: keep reruns identical
            if cell.get("cell_type") == "code":
                cell["outputs"] = [o for o in cell.get("outputs", [])
                                   if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
        with self._lock:
            body, _ = self._exporter.from_notebook_node(nb, resources={"jt": brand})
        return body


# Tagged PDF (PDF/UA-1): a structure tree with headings, tables, lists and figures with their
# alt text, in reading order, the document's title and language; costs no measurable time.
PDF_VARIANT = "pdf/ua-1"


def _weasyprint(html: str, out: Path, base: Path) -> None:
    """Print with WeasyPrint, tagged (``PDF_VARIANT``).

    No base URL: a report is self-contained (images and CSS inlined), so nothing needs
    resolving, and its links to the other reports (``index.html``, ``mia.pdf``) stay
    relative in the PDF, as in the HTML, so the folder can move (``base`` is unused).
    """
    import logging

    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    HTML(string=html).write_pdf(str(out), pdf_variant=PDF_VARIANT)


def _chromium(html: str, out: Path, base: Path) -> None:
    exe = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not exe:
        raise RuntimeError("the chromium PDF engine needs Debian's chromium (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
               f"--print-to-pdf={out}", page.as_uri()]
        # its own process group, killed whole on any way out (timeout, a stopped report run)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        try:
            _, stderr = proc.communicate(timeout=120)
        except BaseException:
            _kill_group(proc)
            raise
        if proc.returncode != 0 or not out.is_file():
            raise RuntimeError(f"chromium could not print {out.name}: {(stderr or '').strip()[-300:]}")


def _kill_group(proc: subprocess.Popen[str]) -> None:
    import os
    import signal

    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


PDF_ENGINES: dict[str, Callable[[str, Path, Path], None]] = {
    "weasyprint": _weasyprint,
    "chromium": _chromium,
}


def write_pdf(html: str, out: Path, engine: str = "weasyprint") -> None:
    """Print report HTML to an A4 PDF with the named engine (see ``PDF_ENGINES``; WeasyPrint's
    PDFs are tagged, see ``PDF_VARIANT``); atomic:
    a failed print leaves no half-written PDF behind, and the PDF's permissions follow the
    umask like every file journeytools writes."""
    print_pdf = PDF_ENGINES[engine]
    out = Path(out)
    write_produced(out, lambda tmp: print_pdf(html, tmp, out.parent))
