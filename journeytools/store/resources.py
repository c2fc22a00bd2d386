"""The package's own files: starter templates, guided notebooks, the report notebook and
templates, and the worked examples, found with :mod:`importlib.resources`.

They ship inside the wheel (``journeytools/resources/``), so an installed package never needs
the source tree. In a clone, ``resources/`` holds links to the repository's ``notebooks/``,
``templates/`` and ``workshops/``: one copy of each file. ``JOURNEYTOOLS_HOME`` may point at a
folder laid out like the repository (``notebooks/``, ``templates/``, ``workshops/``) to use
other files instead, e.g. a consultancy's own report template.
"""

from __future__ import annotations

import os
import shutil
from importlib.resources import files
from pathlib import Path

from ..errors import JourneyToolsError

HOME_ENV = "JOURNEYTOOLS_HOME"
# Set by `journeytools lab WORKSHOP`: the workshop a guided notebook opens when its `workshop`
# parameter is left blank.
WORKSHOP_ENV = "JOURNEYTOOLS_WORKSHOP"
DEFAULT_EXAMPLE = "../workshops/luggage-store"  # relative to the notebooks folder
# Where each kind lives: inside the package, and in a JOURNEYTOOLS_HOME (the repository layout).
_KINDS = {
    "notebooks": ("notebooks", "notebooks"),
    "starters": ("starters", "templates/starters"),
    "report": ("report", "templates/report"),
    "workshops": ("workshops", "workshops"),
}
REPORT_NOTEBOOK = "persona_report.ipynb"
# Never copied to a user's folder: the learner's own map and editor leftovers.
_SKIP = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", ".journeytools.lock",
                               ".journeytools.journal", "*.tmp", "my-first-map")


class ResourceError(JourneyToolsError):
    """A packaged resource is missing: the installation is incomplete."""


def resource_dir(kind: str) -> Path:
    """The folder of one kind of resource: ``notebooks``, ``starters``, ``report`` or ``workshops``.

    >>> (resource_dir("report") / "report.css").is_file()
    True
    """
    if kind not in _KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; kinds: {', '.join(_KINDS)}")
    packaged, in_home = _KINDS[kind]
    home = os.environ.get(HOME_ENV, "").strip()
    if home:
        path = Path(home).expanduser() / in_home
    else:
        # Wheels install as plain files, so the traversable is a real folder.
        path = Path(str(files("journeytools") / "resources" / packaged))
    if not path.is_dir():
        where = f"{HOME_ENV}={home}" if home else "the installed journeytools package"
        raise ResourceError(f"{kind} not found in {where} (looked for {path}); "
                            "reinstall journeytools or fix " + HOME_ENV)
    return path


def report_notebook() -> Path:
    """The parameterised notebook that ``journeytools report`` runs once per persona."""
    return resource_dir("notebooks") / REPORT_NOTEBOOK


def guided_notebooks() -> list[Path]:
    """The guided workshop notebooks, in the order a room works through them."""
    return sorted(p for p in resource_dir("notebooks").glob("[0-9]*.ipynb"))


def copy_notebooks(target: str | os.PathLike, overwrite: bool = False) -> list[Path]:
    """Copy the guided notebooks into ``target/notebooks`` and the worked examples they open
    into ``target/workshops``, mirroring the repository so every default path works.

    Existing files are kept unless ``overwrite``; returns the files written.
    """
    root = Path(target).expanduser()
    if root.exists() and not root.is_dir():
        raise JourneyToolsError(f"{root} is a file; give a folder for the notebooks")
    written: list[Path] = []
    books = root / "notebooks"
    books.mkdir(parents=True, exist_ok=True)
    for src in [*guided_notebooks(), report_notebook()]:
        dst = books / src.name
        if overwrite or not dst.exists():
            shutil.copyfile(src, dst)
            written.append(dst)
    examples = resource_dir("workshops")
    # workshops, and portfolios of them (whose journeys point at sibling examples, copied too)
    for example in sorted(p for p in examples.iterdir()
                          if (p / "workshop.yml").is_file() or (p / "portfolio.yml").is_file()):
        if example.name == "my-first-map":
            continue
        dst = root / "workshops" / example.name
        if dst.exists() and not overwrite:
            continue
        shutil.copytree(example, dst, ignore=_SKIP, dirs_exist_ok=True)
        written.append(dst)
    return written
