"""Markdown summary: one readable section per persona, tables that stay tables."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

import journeytools as jt
from journeytools.cli.export import register
from journeytools.export import export
from journeytools.export.markdown import cell, render, table
from journeytools.scoring import opportunity_table


def test_luggage_summary(luggage: Path) -> None:
    text = export(luggage, "markdown").text
    assert text is not None
    assert text.startswith("# Online luggage store — purchase journey\n")
    assert "**Stages:** Awareness → Consideration → Purchase → Delivery → Sharing & loyalty" in text
    for name in ("Mia", "Andy", "Greta"):
        assert f"\n## {name}\n" in text
    mia = text.split("\n## Mia\n")[1].split("\n## Andy\n")[0]
    for heading in ("### Journey", "### Top pain points", "### Top opportunities", "### Gaps"):
        assert heading in mia
    assert "| Purchase | Add to cart and cart page |" in mia
    # top pain first, with its evidence and source
    pains = mia.split("### Top pain points")[1].split("###")[0]
    first = [line for line in pains.splitlines() if line.startswith("| 1 |")][0]
    assert "(cart-error)" in first and "5 × 4 = 20" in first and "[analytics]" in first
    # the weighted pain says how it is made (Mia weighs 1.5; the votes count too)
    assert "| 35 = 5 sev × 4 freq × 1.5 weight + 5 votes |" in first
    opps = mia.split("### Top opportunities")[1].split("###")[0]
    assert "| 1 | Fix the add-to-cart 'Unknown error' |" in opps
    assert "quick win" in opps
    assert "- Mia uses" not in mia  # Instagram is reached by the 'social' touchpoints: no false gap
    assert "```mermaid\njourney\n" in mia


def test_every_example_renders_every_persona(example: Path) -> None:
    ws = jt.load(example)
    text = render(ws)
    assert text.count("\n## ") >= len(ws.personas)
    for name in ws.personas["name"]:
        assert f"\n## {name}\n" in text


def test_tables_escape_pipes_and_line_breaks(luggage: Path) -> None:
    ws = jt.load(luggage)
    ws.steps.loc[ws.steps.index[0], "action"] = "Compares A | B\nthen <script>x</script>"
    text = render(ws, "mia")
    row = [line for line in text.splitlines() if "Compares A" in line][0]
    assert "Compares A \\| B<br>then &lt;script>x&lt;/script>" in row
    # the row still has exactly the table's 6 columns (7 unescaped pipes)
    assert row.replace("\\|", "").count("|") == 7
    assert cell("a|b") == "a\\|b"
    assert table(["x", "y"], [["1", "a|b"]], "rl").splitlines() == [
        "| x | y |", "| ---: | --- |", "| 1 | a\\|b |"]


def test_one_persona_to_a_file_from_the_cli(luggage: Path, tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)
    out = tmp_path / "andy.md"
    res = CliRunner().invoke(app, ["export", str(luggage), "--to", "markdown", "--persona", "andy",
                                   "-o", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert "\n## Andy\n" in text and "\n## Mia\n" not in text
    res = CliRunner().invoke(app, ["export", str(luggage), "--to", "markdown"])
    assert res.exit_code == 0 and "\n## Greta\n" in res.output


def _plan(text: str) -> dict[str, list[list[str]]]:
    """The plan section's tables: stage name → rows (cells), kind carried down blank cells."""
    section = text.split("\n## Plan per stage")[1]
    out: dict[str, list[list[str]]] = {}
    for block in section.split("\n### ")[1:]:
        name, _, body = block.partition("\n")
        rows = [[c.strip() for c in line.strip("|").split(" | ")] for line in body.splitlines()
                if line.startswith("| ") and not line.startswith(("| Kind", "| ---"))]
        kind = ""
        for row in rows:
            kind = row[0] = row[0] or kind
        out[name] = rows
    return out


def test_plan_per_stage_groups_kinds_in_stage_order(luggage: Path) -> None:
    text = render(jt.load(luggage))
    assert text.rstrip().endswith("_Nothing planned yet._")  # the plan closes the summary
    plan = _plan(text)
    assert list(plan) == ["Awareness", "Consideration", "Purchase", "Delivery", "Sharing & loyalty"]
    assert [r[0] for r in plan["Consideration"]] == ["Content", "Campaign", "Product", "Product", "Product"]
    assert plan["Purchase"][0] == ["Fix", "Fix the add-to-cart 'Unknown error'", "E-commerce engineering",
                                   "in-progress", "1"]
    assert plan["Consideration"][-1][1:] == ["Limited pink Cabin 55 colourway", "Merchandising", "idea", "–"]
    assert [r[:4] for r in plan["Delivery"]] == [["Fix", "Choose the day or a parcel locker", "Logistics",
                                                  "planned"]]


def test_plan_of_one_persona_and_without_dropped_ones(luggage: Path) -> None:
    opps = luggage / "opportunities.csv"
    opps.write_text(opps.read_text(encoding="utf-8").replace(",Social media,idea,campaign",
                                                             ",Social media,dropped,campaign"),
                    encoding="utf-8")
    ws = jt.load(luggage)
    text = render(ws, "andy")
    assert "\n## Plan per stage for Andy\n" in text
    titles = {r[1] for rows in _plan(text).values() for r in rows}
    mine = set(opportunity_table(ws, "andy")["title"]) - {"Customer posts in paid social"}
    assert titles == mine and "Customer posts in paid social" not in text.split("## Plan per stage")[1]
    assert "1 dropped opportunity is left out of the plan." in render(ws)


def test_blueprint_table_and_root_causes_per_persona(luggage: Path) -> None:
    text = render(jt.load(luggage), "mia")
    bp = text.split("### Service blueprint")[1].split("### Gaps")[0]
    assert "| Add to cart and cart page | Support processes | Hourly stock-sync job" in bp
    assert "E-commerce engineering" in bp and "⚠ yes" in bp
    causes = [line for line in bp.splitlines() if line.startswith("- ")]
    assert causes and all(" ← " in line for line in causes)
    assert any("stock-sync job" in line and "e-commerce engineering" not in line.lower().split("←")[0]
               for line in causes)
    # a map without a blueprint has no such section
    (luggage / "blueprint.csv").unlink()
    assert "### Service blueprint" not in render(jt.load(luggage), "mia")
