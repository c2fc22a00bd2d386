"""The export registry: formats, options, defaults and a bare workshop in every format."""

from __future__ import annotations

from pathlib import Path

import pytest

import journeytools as jt
from journeytools.errors import NotFound, UsageError
from journeytools.export import EXPORTERS, export, import_xlsx
from journeytools.export.pptx import export_pptx, slide_titles


def test_registry_lists_the_four_formats() -> None:
    assert sorted(EXPORTERS) == ["markdown", "mermaid", "pptx", "xlsx"]
    assert EXPORTERS["mermaid"].text and EXPORTERS["markdown"].text
    assert not EXPORTERS["xlsx"].text and not EXPORTERS["pptx"].text


def test_unknown_format_and_persona(luggage: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format 'docx'; expected one of: "
                                         "mermaid, xlsx, markdown, pptx"):
        export(luggage, "docx")
    with pytest.raises(ValueError, match="unknown persona 'bob'; expected one of: mia, andy, greta"):
        export(luggage, "mermaid", persona="bob")
    assert export(luggage, "mermaid", persona=" MIA ").text.startswith("journey\n")
    assert export(luggage, " Mermaid ", persona="mia").format == "mermaid"
    with pytest.raises(NotFound) as info:
        export(luggage, "mermiad")
    assert info.value.suggestion == "mermaid" and "(did you mean 'mermaid'?)" in str(info.value)
    with pytest.raises(UsageError, match="--persona does not apply to xlsx"):
        export(luggage, "xlsx", persona="mia")
    with pytest.raises(UsageError, match="pptx is a binary format"):
        EXPORTERS["pptx"].render(jt.load(luggage))


def test_output_paths_that_cannot_be_written(luggage: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is a folder; give a file name for the markdown export"):
        export(luggage, "markdown", tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError, match="file is a file, not a folder"):
        export(luggage, "markdown", tmp_path / "file" / "sub" / "out.md")


def test_import_refuses_what_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    with pytest.raises(UsageError, match="workbook not found"):
        import_xlsx(tmp_path / "none.xlsx", tmp_path / "out")
    with pytest.raises(UsageError, match="is a folder; expected an Excel workbook"):
        import_xlsx(tmp_path, tmp_path / "out")
    with zipfile.ZipFile(tmp_path / "deck.xlsx", "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(UsageError, match="a ZIP file without a workbook in it"):
        import_xlsx(tmp_path / "deck.xlsx", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_binary_formats_default_to_a_file_named_after_the_folder(
        luggage: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = export(luggage, "xlsx")
    assert result.path == Path("luggage-store.xlsx") and (tmp_path / "luggage-store.xlsx").is_file()


def test_invalid_workshop_is_a_validation_error(luggage: Path) -> None:
    (luggage / "personas.csv").write_text("id,name\nMia Rossi!,Mia\n", encoding="utf-8")
    with pytest.raises(jt.ValidationError):
        export(luggage, "markdown")


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """One stage, one persona, nothing else."""
    folder = tmp_path / "bare"
    folder.mkdir()
    (folder / "workshop.yml").write_text("title: Bare\nstages: [{id: one}]\n", encoding="utf-8")
    (folder / "personas.csv").write_text("id,name\nbob,Bob\n", encoding="utf-8")
    (folder / "touchpoints.csv").write_text("id,stage,name\n", encoding="utf-8")
    return folder


def test_a_bare_workshop_in_every_format(bare: Path, tmp_path: Path, fake_charts,
                                         mermaid_parse) -> None:
    ws = jt.load(bare)
    md = export(ws, "markdown").text
    assert md is not None and "_No steps mapped yet._" in md and "_No pain points recorded._" in md
    diagram = export(ws, "mermaid").text
    assert diagram is not None and mermaid_parse(diagram)["ok"]
    deck = export_pptx(ws, tmp_path / "bare.pptx", charts=fake_charts)
    assert slide_titles(deck) == ["Bare", "Where it hurts, persona by stage", "Bob: at a glance",
                                  "Bob: journey map", "Bob: emotion curve", "Bob: top pain points",
                                  "Bob: top opportunities", "Plan per stage",
                                  "Where to start: impact and effort", "Next steps"]
    book = export(ws, "xlsx", tmp_path / "bare.xlsx").path
    assert jt.load(import_xlsx(book, tmp_path / "back")).equals(ws)
    assert sorted(p.name for p in (tmp_path / "back").glob("*.csv")) == ["personas.csv",
                                                                        "touchpoints.csv"]


def test_every_exporter_checks_the_persona(luggage: Path) -> None:
    from journeytools.export import markdown, mermaid, pptx

    ws = jt.load(luggage)
    for entry in (markdown.render, mermaid.render, pptx.build):
        with pytest.raises(NotFound, match=r"unknown persona 'Greta the flyer' \(did you mean 'greta'\?\)"):
            entry(ws, "Greta the flyer")
    assert markdown.render(ws, " GRETA ") == markdown.render(ws, "greta")
