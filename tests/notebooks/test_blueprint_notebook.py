"""03_pain_points' service-blueprint part, run headless on the luggage store: each persona's
blueprint as the report shows it, with root causes and pain by owning team; no widget, and the
folder untouched."""

from __future__ import annotations

import html
from pathlib import Path

import nbformat
import pytest

import journeytools as jt

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "03_pain_points.ipynb"


def test_blueprint_part_is_a_form_and_a_preview() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    heads = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert any(h.startswith("## 4. Root causes: the service blueprint") for h in heads)
    code = [c for c in nb.cells if c.cell_type == "code"]
    form = next(c for c in code if "jtw.BlueprintForm(" in c.source)
    assert form.source.splitlines()[1].startswith("if interactive")
    assert any("bpv.preview(ws, pid)" in c.source and "if interactive" not in c.source for c in code)
    assert all(c.metadata.get("jupyter", {}).get("source_hidden") for c in code[1:])


@pytest.mark.slow
def test_runs_headless_and_shows_the_blueprints(luggage: Path, tmp_path: Path) -> None:
    import papermill as pm

    before = {p: p.read_bytes() for p in sorted(luggage.rglob("*")) if p.is_file()}
    out = tmp_path / "03.out.ipynb"
    pm.execute_notebook(str(NOTEBOOK), str(out), parameters={"interactive": False,
                                                             "workshop": str(luggage)},
                        kernel_name="python3", progress_bar=False, cwd=str(NOTEBOOK.parent))
    assert {p: p.read_bytes() for p in sorted(luggage.rglob("*")) if p.is_file()} == before
    nb = nbformat.read(out, as_version=4)
    cell = next(c for c in nb.cells if "bpv.preview(ws, pid)" in c.source)
    shown = [html.unescape("".join(o["data"]["text/html"])) for o in cell.outputs
             if "text/html" in o.get("data", {})]
    ws = jt.load(luggage)
    assert len(shown) == len(ws.personas)
    mia = next(s for s in shown if "of Mia's journey" in s)
    for words in ("Line of interaction", "Line of visibility", "Line of internal interaction",
                  "Root causes behind the top pain points", "Pain by owning team",
                  "E-commerce engineering"):
        assert words in mia, words
