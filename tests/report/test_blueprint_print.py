"""The service blueprint on paper: landscape pages of its own, no touchpoint cut off at the
right edge (a table wider than the page loses its last columns silently in a PDF)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import journeytools as jt
from journeytools.views import blueprint as bpv

ROOT = Path(__file__).resolve().parents[2]
A4_LANDSCAPE_PT = (841.9, 595.3)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (pdftotext)")
def test_blueprint_pages_are_landscape_and_hold_every_touchpoint(tmp_path: Path) -> None:
    from weasyprint import HTML

    ws = jt.load(ROOT / "workshops" / "luggage-store")
    pdf = tmp_path / "blueprint.pdf"
    HTML(string=bpv.page(ws, "mia")).write_pdf(pdf)
    subprocess.run(["pdftotext", "-bbox", str(pdf), str(tmp_path / "words.html")], check=True)
    layout = (tmp_path / "words.html").read_text(encoding="utf-8")
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">', layout)
    assert pages and all(abs(float(w) - A4_LANDSCAPE_PT[0]) < 1 and abs(float(h) - A4_LANDSCAPE_PT[1]) < 1
                         for w, h in pages)
    right_edges = [float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', layout)]
    margin_pt = 12 / 25.4 * 72
    assert max(right_edges) <= A4_LANDSCAPE_PT[0] - margin_pt + 1  # nothing runs off the page
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    steps = ws.steps[ws.steps["persona"] == "mia"]
    names = dict(zip(ws.touchpoints["id"], ws.touchpoints["name"]))
    for tid in dict.fromkeys(steps["touchpoint"]):  # the last columns too
        first_word = re.split(r"[\s'-]", names[tid])[0]  # a header may wrap after a hyphen
        assert first_word in flat, names[tid]
    assert "LINE OF INTERNAL INTERACTION" in flat.upper()
