"""Interchange formats (SPEC §4 ``export`` and ``import``): a small registry of exporters.

Text formats (Mermaid, Markdown) can render to a string; every format can write a file.
Heavy libraries (openpyxl, python-pptx, matplotlib) are imported only by the exporter that
needs them, when it runs.

>>> import journeytools as jt
>>> from journeytools.export import EXPORTERS, export
>>> sorted(EXPORTERS)
['markdown', 'mermaid', 'pptx', 'xlsx']
>>> export("workshops/luggage-store", "mermaid", persona="mia").text   # doctest: +SKIP
'journey\\n  title Mia#58; Online luggage store — purchase journey\\n ...'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from ..errors import UsageError, persona_id, pick
from ..model.workshop import Workshop
from ..store.folder import load


@dataclass(frozen=True)
class Exporter:
    """One export format: its name, default file suffix and the functions that produce it.

    ``module`` is imported when the exporter runs; it defines ``write(ws, path, persona)``
    and, for text formats, ``render(ws, persona)``.
    """

    name: str
    suffix: str
    module: str
    description: str
    text: bool = False
    persona_ok: bool = True

    def _mod(self):  # noqa: ANN202 - a module
        return import_module(f"{__name__}.{self.module}")

    def render(self, ws: Workshop, persona: str | None = None) -> str:
        if not self.text:
            raise UsageError(f"{self.name} is a binary format; give an output file with -o")
        return self._mod().render(ws, persona)

    def write(self, ws: Workshop, path: str | os.PathLike, persona: str | None = None) -> Path:
        return self._mod().write(ws, Path(path), persona)


EXPORTERS: dict[str, Exporter] = {
    e.name: e for e in (
        Exporter("mermaid", ".mmd", "mermaid", "Mermaid journey diagrams, one per persona", text=True),
        Exporter("xlsx", ".xlsx", "xlsx", "Excel workbook that imports back losslessly",
                 persona_ok=False),
        Exporter("markdown", ".md", "markdown", "Markdown summary per persona", text=True),
        Exporter("pptx", ".pptx", "pptx", "PowerPoint deck: journey, emotions, pains, opportunities"),
    )
}


@dataclass(frozen=True)
class Exported:
    """What :func:`export` produced: a file, or the text when no file was asked for."""

    format: str
    path: Path | None = None
    text: str | None = None


def default_output(ws: Workshop, exporter: Exporter, persona: str | None = None) -> Path:
    """``<folder name>[-<persona>]<suffix>`` in the current directory."""
    stem = Path(ws.path).name if ws.path is not None else "workshop"
    return Path(f"{stem}-{persona}" if persona else stem).with_suffix(exporter.suffix)


def export(source: Workshop | str | os.PathLike, to: str, output: str | os.PathLike | None = None,
           persona: str | None = None) -> Exported:
    """Export a workshop (a folder or a loaded ``Workshop``) to format ``to``.

    Text formats without ``output`` return their text; other formats default to
    ``<folder name><suffix>`` in the current directory. ``to`` and ``persona`` are ids in any
    case. Raises ``NotFound`` (a ``UsageError``, a ``ValueError``) for an unknown format or
    persona, ``UsageError`` for ``persona`` with xlsx and ``ValidationError`` for an invalid
    workshop.
    """
    exporter = EXPORTERS[pick("export format", to, list(EXPORTERS))]
    ws = source if isinstance(source, Workshop) else load(source)
    if persona is not None:
        persona = persona_id(ws, persona)
        if not exporter.persona_ok:
            raise UsageError(f"--persona does not apply to {exporter.name}: the workbook holds the "
                             "whole workshop so that it can be imported back")
    if output is None and exporter.text:
        return Exported(exporter.name, text=exporter.render(ws, persona))
    path = Path(output) if output is not None else default_output(ws, exporter, persona)
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name for the {exporter.name} export")
    blocker = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise UsageError(f"cannot write {path}: {blocker} is a file, not a folder")
    path.parent.mkdir(parents=True, exist_ok=True)
    return Exported(exporter.name, path=exporter.write(ws, path, persona))


def import_xlsx(file: str | os.PathLike, folder: str | os.PathLike, force: bool = False) -> Path:
    """Read a workbook written by ``export --to xlsx`` back into a workshop folder.

    See :func:`journeytools.export.xlsx.import_xlsx`. A file that is not an .xlsx workbook
    (missing, a folder, CSV, a Word document, …) raises ``UsageError`` before anything is done.
    """
    from .xlsx import import_xlsx as run

    check_workbook(Path(file))
    return run(file, folder, force=force)


def check_workbook(path: Path) -> None:
    """Raise ``UsageError`` unless ``path`` is a readable .xlsx (a ZIP with a workbook part)."""
    import zipfile

    why = None
    try:
        with zipfile.ZipFile(path) as book:
            names = set(book.namelist())
        if "xl/workbook.xml" not in names:
            why = "it is a ZIP file without a workbook in it (a Word or PowerPoint file?)"
    except FileNotFoundError:
        raise UsageError(f"{path}: workbook not found") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a folder; expected an Excel workbook (.xlsx)") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    except zipfile.BadZipFile:
        why = "it is not an .xlsx file (an .xls or CSV file? save it as .xlsx in Excel)"
    if why:
        raise UsageError(f"{path}: cannot read it as an Excel workbook (.xlsx): {why}")


__all__ = ["EXPORTERS", "Exported", "Exporter", "check_workbook", "export", "import_xlsx"]
