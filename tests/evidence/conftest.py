from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A fresh copy of the small outdoor-shop workshop (with the tiny log and mapping)."""
    dest = tmp_path / "shop"
    shutil.copytree(FIXTURES / "shop", dest)
    for name in ("tiny_events.csv", "tiny_mapping.yml"):
        shutil.copy(FIXTURES / name, dest / name)
    return dest
