"""The guided workshop notebooks: committed clean, and run headless end to end with papermill.

Each notebook runs once per worked example (a private copy) with ``interactive=False``; the
one run is then checked: no errors, no widget output, the expected tables and charts, values
that match the package's own scores, and the workshop folder left byte for byte unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

import journeytools as jt
from journeytools import scoring

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
TEMPLATES = sorted(p.name for p in (ROOT / "templates" / "starters").iterdir() if (p / "workshop.yml").is_file())
GUIDED = ["00_start_here", "01_scope_and_personas", "02_touchpoints_and_journey",
          "03_pain_points", "04_opportunities", "05_review"]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# captions (or notes) each headless run must show, and the least number of charts
EXPECT: dict[str, tuple[list[str], int]] = {
    "00_start_here": (["The map at a glance", "Personas and the evidence behind them",
                       "Scope:", "Stages, in journey order", "Touchpoints by stage",
                       "journey: doing, thinking, feeling", "Moments of truth",
                       "Goals, expectations and questions", "Pain points, most painful first",
                       "Opportunities ranked by RICE", "Ideas not scored yet",
                       "Who owns the touchpoints", "Gaps in the map",
                       "How will we know it worked? KPIs per stage", "The plan per stage",
                       "Drop-offs to recover", "Starter templates",
                       "Your workshop folder", "Valid:"], 5),
    "01_scope_and_personas": (["The map at a glance", "Scope:", "Stages, in journey order",
                               "Personas and the evidence behind them", "Valid:"], 1),
    "02_touchpoints_and_journey": (["Touchpoints by stage", "journey: doing, thinking, feeling",
                                    "Goals, expectations and questions", "Moments of truth"], 3),
    "03_pain_points": (["Pain points, most painful first", "Hottest stage:",
                        "Stages, in journey order", "Dot votes received"], 1),
    "04_opportunities": (["Pain points, most painful first", "Drop-offs to recover",
                          "Opportunities ranked by RICE", "Ideas not scored yet",
                          "The plan per stage", "How will we know it worked? KPIs per stage"], 2),
    "05_review": (["last reviewed on", "Stages, in journey order",
                   "Pain points, most painful first", "Opportunities ranked by RICE",
                   "The plan per stage", "How will we know it worked? KPIs per stage",
                   "Gaps in the map", "Journey map changes", "What to do next"], 1),
}


def load_notebook(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones included) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def texts(nb: nbformat.NotebookNode) -> list[str]:
    """The text of every output of every code cell, one string per output."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                out.append(o.get("text", ""))
            for mime in ("text/html", "text/markdown", "text/plain"):
                value = o.get("data", {}).get(mime)
                if value:
                    out.append(value if isinstance(value, str) else "".join(value))
    return out


# -- committed notebooks are clean (fast) ---------------------------------------------------
@pytest.mark.parametrize("name", GUIDED)
def test_committed_without_outputs_and_with_metadata(name: str) -> None:
    nb = load_notebook(name)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"] == {"name": "python3", "display_name": "Python 3",
                                         "language": "python"}
    assert nb.metadata["language_info"]["name"] == "python"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert "parameters" in code[0].metadata.get("tags", [])
    assert sum("parameters" in c.metadata.get("tags", []) for c in nb.cells) == 1
    params = code[0].source
    assert "workshop = " in params and "interactive = True" in params
    from papermill.translators import PythonTranslator

    names = [p.name for p in PythonTranslator.inspect(code[0])]  # papermill can read every line
    assert len(names) == len([ln for ln in params.splitlines() if ln.strip()])
    assert {"workshop", "interactive"} <= set(names)


@pytest.mark.parametrize("name", GUIDED)
def test_widgets_only_when_interactive_and_cells_stay_short(name: str) -> None:
    for cell in load_notebook(name).cells:
        if cell.cell_type != "code":
            continue
        lines = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")]
        assert len(lines) <= 8, cell.source
        if "jtw." in cell.source and "import" not in cell.source:
            assert lines[0].startswith("if interactive"), cell.source


# -- headless runs (slow) -----------------------------------------------------------------
def run(name: str, tmp: Path, **parameters: object) -> nbformat.NotebookNode:
    import papermill as pm

    out = tmp / f"{name}.out.ipynb"
    pm.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(out),
                        parameters={"interactive": False, **parameters}, kernel_name="python3",
                        progress_bar=False, cwd=str(NOTEBOOKS),
                        request_save_on_cell_execute=False)
    return nbformat.read(out, as_version=4)


def check_run(name: str, nb: nbformat.NotebookNode) -> str:
    """Common assertions; returns all output text joined."""
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]
    data = [o.get("data", {}) for c in nb.cells for o in c.get("outputs", [])]
    assert not any(WIDGET_MIME in d for d in data), "widget output in a headless run"
    images = sum("image/png" in d for d in data)
    captions, least_images = EXPECT[name]
    assert images >= least_images
    text = "\n".join(texts(nb))
    missing = [c for c in captions if c not in text]
    assert not missing, missing
    assert "Traceback" not in text
    return text


@pytest.mark.slow
@pytest.mark.parametrize("name", GUIDED)
def test_runs_headless(name: str, example: Path, tmp_path: Path) -> None:
    ws = jt.load(example)
    scores = scoring.score(ws)
    params: dict[str, object] = {"workshop": str(example)}
    if name == "00_start_here":
        params.update(persona=str(ws.personas["id"].iloc[0]), my_workshop=str(tmp_path / "mine"))
    if name == "05_review":
        older = jt.load(example)
        first = older.pain_points["id"].iloc[0]
        older.pain_points.loc[0, "severity"] = 1
        jt.save(older, tmp_path / "previous")
        params["previous"] = str(tmp_path / "previous")
    before = snapshot(example)

    nb = run(name, tmp_path, **params)

    assert snapshot(example) == before, "a headless run changed the workshop folder"
    text = check_run(name, nb)
    top_pain = str(scores.pain_points["id"].iloc[0])
    top_opp = str(scores.opportunities["title"].iloc[0])
    if name == "00_start_here":
        mine = tmp_path / "mine"
        assert (mine / "workshop.yml").is_file() and jt.validate(mine).ok
        assert shown(ws.persona_name(str(params["persona"])), text)
    if name == "01_scope_and_personas":
        assert all(shown(n, text) for n in ws.personas["name"])
        assert all(shown(s.name, text) for s in ws.stages)
    if name == "02_touchpoints_and_journey":
        for pid in ws.personas["id"]:
            assert shown(f"{ws.persona_name(pid)}'s journey", text)
        assert all(shown(n, text) for n in ws.touchpoints["name"].head(5))
    if name in ("03_pain_points", "04_opportunities", "05_review"):
        assert top_pain in text
    if name == "03_pain_points":
        hottest = {s.id: s.name for s in ws.stages}[scores.hottest_stage]
        assert shown(f"Hottest stage: {hottest}", text)
    if name in ("04_opportunities", "05_review"):
        assert shown(top_opp, text)
    if name == "05_review":
        assert first in text and "severity" in text
        assert "Send the reports" in text


def shown(value: str, text: str) -> bool:
    """``value`` appears in the outputs (user text is HTML-escaped there, in several styles)."""
    import html

    return value in text or value in html.unescape(text)


def test_expectations_cover_every_guided_notebook() -> None:
    assert sorted(EXPECT) == GUIDED
    assert json.loads((NOTEBOOKS / "05_review.ipynb").read_text(encoding="utf-8"))["nbformat"] == 4


@pytest.mark.slow
@pytest.mark.parametrize("name", GUIDED)
def test_runs_with_default_parameters(name: str, tmp_path: Path) -> None:
    """Only papermill's `interactive=False`; every other parameter as committed (the repo's
    luggage-store example), which a headless run must leave untouched."""
    example = ROOT / "workshops" / "luggage-store"
    before = snapshot(example)
    learner_map = (ROOT / "workshops" / "my-first-map").exists()  # a learner may have made one
    nb = run(name, tmp_path)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, [f"{e.ename}: {e.evalue}" for e in errors]
    assert "Online luggage store" in "\n".join(texts(nb))
    assert snapshot(example) == before
    assert (ROOT / "workshops" / "my-first-map").exists() == learner_map  # headless: a temp folder


@pytest.mark.slow
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_notebook_runs_on_every_starter_with_only_workshop_set(template: str, tmp_path: Path) -> None:
    """Each guided notebook (evidence included) follows its `workshop` parameter: nothing points
    at the worked example, and a workshop without evidence gets a note, not a traceback."""
    from journeytools.store.starters import new_workshop

    folder = new_workshop(tmp_path / template, template)
    before = snapshot(folder)
    for name in [*GUIDED, "06_evidence"]:
        nb = run(name, tmp_path, workshop=str(folder))
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert not errors, (name, [f"{e.ename}: {e.evalue}" for e in errors])
        text = "\n".join(texts(nb))
        assert "Traceback" not in text, name
        assert "Online luggage store" not in text, (name, "the worked example leaked into a run on a starter")
        if name == "06_evidence":
            assert "has no evidence yet" in text and "mapping.yml" in text
    assert snapshot(folder) == before
