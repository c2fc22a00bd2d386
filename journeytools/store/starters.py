"""Starter templates: complete, valid example maps per industry to begin a workshop from."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import NotFound, UsageError
from .folder import load, save
from .resources import resource_dir


@dataclass(frozen=True)
class Starter:
    name: str
    title: str
    description: str
    path: Path


class UnknownTemplate(NotFound):
    """No starter template has that name."""


class FolderNotEmpty(UsageError):
    """A new workshop must go into an empty or absent folder."""


def starters_dir() -> Path:
    """The starter templates shipped with the package (``templates/starters`` in a clone)."""
    return resource_dir("starters")


def list_starters() -> list[Starter]:
    """Every starter template, in the order of ``templates/starters/index.yml``."""
    root = starters_dir()
    index = root / "index.yml"
    entries = yaml.safe_load(index.read_text(encoding="utf-8")) if index.is_file() else []
    listed = {e["name"]: e for e in entries or []}
    names = [e["name"] for e in entries or []] + sorted(
        p.name for p in root.glob("*") if p.is_dir() and p.name not in listed)
    out = []
    for name in names:
        if not (root / name / "workshop.yml").is_file():
            continue
        e = listed.get(name, {})
        out.append(Starter(name, str(e.get("title", name)), str(e.get("description", "")),
                           root / name))
    return out


def new_workshop(target: str | os.PathLike, template: str = "retail-ecommerce") -> Path:
    """Create a workshop in ``target`` (which must be empty or absent) from a starter."""
    target = Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FolderNotEmpty(f"{target} is not empty; choose a new folder for the workshop")
    starters = {s.name: s for s in list_starters()}
    if template not in starters:
        raise UnknownTemplate(f"unknown template {template!r}; available: {', '.join(starters) or 'none'}")
    ws = load(starters[template].path)
    save(ws, target)
    readme = starters[template].path / "README.md"
    if readme.is_file():
        shutil.copy2(readme, target / "README.md")
    return target
