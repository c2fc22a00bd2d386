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


EVIDENCE_README = """\
# evidence/ — what may go here

This folder is committed to git and shared with everyone who gets the map, so treat it as
**public within the project**. It holds what backs the map, not raw personal data.

## What belongs here
- The aggregates `journeytools evidence` writes: `funnel.csv`, `stages.csv`, `issues.csv`,
  `summary.yml` (counts under 5 users are suppressed), and the `mapping.yml` that made them.
- Interview and observation notes **after anonymising**: a participant code and a role
  ("P3, mobile shopper, 30s"), never a name; paraphrase what would identify someone (their
  employer, street, order number, an unusual job).
- Short anonymised quotes cited by pain points, survey results as totals per question or stage,
  support-ticket counts and themes.

## What never goes here
- Raw event logs, survey exports with free-text answers, support-ticket exports, CRM extracts:
  keep them outside the workshop folder, or in `evidence/raw/` (ignored by git through
  `evidence/.gitignore`), and pass them with `journeytools evidence --events FILE`.
- Names, e-mail addresses, phone numbers, postal addresses, card or account numbers, customer
  or order ids, photos, audio or video recordings. `journeytools validate` warns when a file or
  a quote looks like it holds an e-mail address, a phone number or a card number.

## Consent and retention
- Ask for consent before an interview or a recording: what it is for, who will see the notes,
  how long they are kept, and that the person can withdraw. Note the consent in your research
  log, not here.
- Quote a customer in the map only when they agreed to be quoted, and only anonymised.
- Delete raw data when the analysis is done, or at the latest when your organisation's retention
  period ends; check this folder at every review of the map (every six months).
- Something personal was committed by mistake? Deleting the file is not enough: it stays in the
  git history. Ask whoever looks after the repository to remove it from the history, and tell
  your data-protection contact.
"""

EVIDENCE_GITIGNORE = """\
# Raw exports stay on this computer: only anonymised notes and aggregates are shared.
raw/
*.parquet
*.mp3
*.mp4
*.m4a
*.wav
"""


def write_evidence_readme(folder: str | os.PathLike) -> Path:
    """Write ``evidence/README.md`` (what may go there) and ``evidence/.gitignore`` (raw
    exports stay local) into a workshop, keeping files that are already there."""
    evidence = Path(folder) / "evidence"
    evidence.mkdir(parents=True, exist_ok=True)
    for name, text in (("README.md", EVIDENCE_README), (".gitignore", EVIDENCE_GITIGNORE)):
        target = evidence / name
        if not target.exists():
            target.write_text(text, encoding="utf-8")
    return evidence / "README.md"


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
    write_evidence_readme(target)
    return target
