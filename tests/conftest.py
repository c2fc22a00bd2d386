"""Shared fixtures: copies of the worked examples and the starter templates."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
WORKSHOPS = ROOT / "workshops"
STARTERS = ROOT / "templates" / "starters"
# The worked examples the repository ships; a learner's own map (workshops/my-first-map, made by
# 00_start_here) or any other folder someone left there is not one of them.
EXAMPLES = sorted(p.name for p in WORKSHOPS.iterdir()
                  if (p / "workshop.yml").is_file() and (p / "README.md").is_file() and p.name != "my-first-map")
TEMPLATES = sorted(p.name for p in STARTERS.iterdir() if (p / "workshop.yml").is_file()) \
    if STARTERS.is_dir() else []

# Resources are found through the package (journeytools/resources links to the folders above),
# exactly as an installed wheel finds them; no JOURNEYTOOLS_HOME.
os.environ.pop("JOURNEYTOOLS_HOME", None)


def copy_workshop(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".journeytools.lock", ".journeytools.journal", "*.tmp"))
    return dst


@pytest.fixture
def luggage(tmp_path: Path) -> Path:
    """A private copy of the luggage-store worked example."""
    return copy_workshop(WORKSHOPS / "luggage-store", tmp_path / "luggage-store")


@pytest.fixture
def holiday(tmp_path: Path) -> Path:
    """A private copy of the holiday-booking worked example."""
    return copy_workshop(WORKSHOPS / "holiday-booking", tmp_path / "holiday-booking")


@pytest.fixture(params=EXAMPLES)
def example(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A private copy of each worked example in turn."""
    return copy_workshop(WORKSHOPS / request.param, tmp_path / request.param)


@pytest.fixture(params=TEMPLATES)
def starter(request: pytest.FixtureRequest) -> Path:
    """Each starter template folder in turn (read-only: copy before writing)."""
    return STARTERS / request.param
