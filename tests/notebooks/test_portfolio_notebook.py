"""notebooks/07_portfolio.ipynb: committed clean, and run headless with its default parameter
(the worked portfolio), from the repository and from a folder made by ``journeytools notebooks``."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import nbformat
import pytest

from journeytools import journeys as across
from journeytools.store.portfolio import load_portfolio
from journeytools.store.resources import copy_notebooks
from journeytools.vocab import number

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "07_portfolio.ipynb"
PORTFOLIO = ROOT / "workshops" / "luggage-portfolio"
CAPTIONS = ["Valid: 3 journeys", "Problems and warnings, by journey, file and line",
            "Journeys: state, personas, hottest stage and top pain point", "Pain by persona and journey",
            "Opportunities across journeys", "KPIs across journeys", "To review: stale maps first"]


def snapshot(*folders: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for f in folders for p in sorted(f.rglob("*")) if p.is_file()}


def output_text(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o.get("output_type") != "error", f"{o.get('ename')}: {o.get('evalue')}"
            parts += [o.get("text", "")] + [o.get("data", {}).get(m, "") for m in ("text/html", "text/plain")]
    return html.unescape("\n".join(p if isinstance(p, str) else "".join(p) for p in parts))


def execute(notebook: Path, out: Path) -> nbformat.NotebookNode:
    import papermill as pm

    pm.execute_notebook(str(notebook), str(out), kernel_name="python3", progress_bar=False,
                        cwd=str(notebook.parent), request_save_on_cell_execute=False)
    return nbformat.read(out, as_version=4)


def test_committed_clean_with_metadata_and_one_parameter() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    reference = nbformat.read(ROOT / "notebooks" / "05_review.ipynb", as_version=4)
    assert nb.metadata["kernelspec"] == reference.metadata["kernelspec"]
    assert nb.metadata["language_info"]["name"] == "python"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert code[0].metadata.get("tags") == ["parameters"]
    assert sum("parameters" in c.metadata.get("tags", []) for c in nb.cells) == 1
    from papermill.translators import PythonTranslator

    assert [p.name for p in PythonTranslator.inspect(code[0])] == ["portfolio"]
    assert code[0].source.startswith('portfolio = ""')
    for cell in code:  # logic lives in the package: cells stay short
        assert len([ln for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")]) <= 8


@pytest.mark.slow
def test_runs_headless_with_defaults_and_shows_the_portfolio_numbers(tmp_path: Path) -> None:
    before = snapshot(PORTFOLIO, ROOT / "workshops" / "luggage-store")
    text = output_text(execute(NOTEBOOK, tmp_path / "07.ipynb"))
    assert snapshot(PORTFOLIO, ROOT / "workshops" / "luggage-store") == before  # it only reads
    assert not [c for c in CAPTIONS if c not in text]
    pf = load_portfolio(PORTFOLIO)
    for ws in pf.journeys.values():
        assert ws.title in text
    # the matrix shows the journeys' own persona numbers; the shared opportunity its summed pain
    matrix = across.persona_matrix(pf.journeys)
    assert number(matrix.loc["mia", "returns"]) in text
    opps = across.opportunities(pf.journeys).set_index("id")
    shared = opps[opps["journeys"].map(len) > 1]
    assert len(shared) >= 2
    for _, row in shared.iterrows():
        assert row["title"] in text and number(row["pain_relieved"]) in text
    assert "overdue: review it with the team" in text  # the stale wholesale map


@pytest.mark.slow
def test_runs_from_a_copy_made_by_journeytools_notebooks(tmp_path: Path) -> None:
    copy_notebooks(tmp_path / "mine")
    copied = tmp_path / "mine" / "workshops" / "luggage-portfolio"
    assert (copied / "portfolio.yml").is_file() and (tmp_path / "mine" / "workshops" / "luggage-store").is_dir()
    # the copy, not the repository's portfolio, is what the default path opens
    (copied / "returns" / "workshop.yml").write_text(
        (copied / "returns" / "workshop.yml").read_text(encoding="utf-8")
        .replace("returns and exchanges", "returns (my copy)"), encoding="utf-8")
    text = output_text(execute(tmp_path / "mine" / "notebooks" / "07_portfolio.ipynb", tmp_path / "07.ipynb"))
    assert "returns (my copy)" in text and "Valid: 3 journeys" in text
    shutil.rmtree(tmp_path / "mine")
