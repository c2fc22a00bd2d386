"""The tutorial teaches the whole method, in order (issue 17), and the scribe notebooks let the
room set what each step decides. Static checks of the committed notebooks: fast."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def cells(name: str) -> list[nbformat.NotebookNode]:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4).cells


def test_tutorial_meets_every_tip_in_order() -> None:
    nb = cells("00_start_here")
    text = "\n".join(c.source for c in nb)
    headings = [m.group(1) for c in nb if c.cell_type == "markdown"
                for m in re.finditer(r"^## \d+\. (.+)$", c.source, re.M)]
    order = ["Choose the personas", "Choose the scope", "Channels and touchpoints",
             "Doing, thinking, feeling", "Goals, expectations and questions", "Pain points",
             "Ideas and opportunities", "cross-functional team", "KPIs per stage",
             "plan per stage", "Ethics and consent", "Recovering drop-offs",
             "Keep the map alive", "Your turn"]
    found = [next(i for i, h in enumerate(headings) if tip.lower() in h.lower()) for tip in order]
    assert found == sorted(found), list(zip(order, found))
    assert [int(n) for n in re.findall(r"^## (\d+)\.", "\n".join(
        c.source for c in nb if c.cell_type == "markdown"), re.M)] == list(range(1, len(headings) + 1))
    for phrase in ("senior manager", "cross-sell", "upsell", "influencers", "buying\ncommittee",
                   "questions", "Consent", "Anonymise quotes", "What not to commit", "Retention",
                   "**campaign**", "segment", "baseline"):
        assert phrase.lower() in text.lower(), phrase
    code = "\n".join(c.source for c in nb if c.cell_type == "code")
    for call in ("view.kpis(ws)", "view.plan(ws)", "view.drop_offs(ws)", "jtw.KpiGrid(mine"):
        assert call in code


def test_scribe_notebooks_set_kpis_kind_and_stage_and_keep_code_hidden() -> None:
    for name in ("04_opportunities", "05_review"):
        code = [c for c in cells(name) if c.cell_type == "code"]
        source = "\n".join(c.source for c in code)
        assert "jtw.KpiGrid(folder" in source and "view.plan(ws)" in source, name
        assert all(c.metadata.get("jupyter", {}).get("source_hidden") for c in code[1:]), name
    assert "view.drop_offs(ws)" in "\n".join(c.source for c in cells("04_opportunities"))


def test_evidence_notebook_names_recall_and_sampling_bias() -> None:
    text = "\n".join(c.source for c in cells("06_evidence") if c.cell_type == "markdown")
    assert "recall bias" in text and "sampling bias" in text
