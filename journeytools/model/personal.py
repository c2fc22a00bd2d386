"""Personal data where it should not be: e-mail addresses, phone numbers and card numbers in
the workshop's text and in its ``evidence/`` files (issue 17, ethics).

Workshop folders are committed to git and shared, so interview notes, quotes and support
tickets must be anonymised. These checks only *warn*, and they never repeat what they found:
a warning names the file, line and column and the kind of data, not the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import Problem
from ..fsutil import Refused, read_regular

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# an international (+44 …, 0044 …) or national (07…, 020 …) number of 9–15 digits
PHONE = re.compile(r"(?<![\w.,/-])(?:\+|00|0)\d(?:[ ().-]?\d){7,13}(?![\w/-])")
CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

EVIDENCE_DIR = "evidence"
TEXT_SUFFIXES = (".csv", ".tsv", ".md", ".txt", ".yml", ".yaml", ".json")
MAX_SCAN_BYTES = 8 * 1024 * 1024  # evidence files larger than this are event logs, not notes
MAX_SCAN_FILES = 200
WORDS = {"email": "an e-mail address", "phone": "a phone number", "card": "a payment card number"}


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def personal_data(text: str) -> list[str]:
    """The kinds of personal data ``text`` seems to hold ("email", "phone", "card"), each once."""
    found: list[str] = []
    if "@" in text and EMAIL.search(text):
        found.append("email")
    cards = [m for m in CARD.finditer(text) if _luhn(re.sub(r"\D", "", m.group()))]
    if cards:
        found.append("card")
    for m in PHONE.finditer(text):
        if ISO_DATE.fullmatch(m.group()) or any(c.start() <= m.start() < c.end() for c in cards):
            continue
        if 9 <= len(re.sub(r"\D", "", m.group())) <= 15:
            found.append("phone")
            break
    return found


def message(kinds: list[str]) -> str:
    """The warning's sentence: what seems to be there, never the value itself."""
    what = " and ".join(WORDS[k] for k in kinds)
    return (f"this looks like {what} (not shown here): anonymise it before the folder is "
            "shared or committed, or keep it out of the workshop folder")


def scan_cells(file: str, column: str, values: list[object], lines: list[int | None]) -> Iterator[Problem]:
    """A warning per cell of one text column that seems to hold personal data."""
    for value, line in zip(values, lines):
        if isinstance(value, str) and len(value) > 5:
            kinds = personal_data(value)
            if kinds:
                yield Problem(file, line, column, None, message(kinds), "warning")


def scan_evidence(folder: Path) -> Iterator[Problem]:
    """Warnings for the text files in ``folder/evidence`` (links and huge files skipped: the
    same guarded read as every other file of a workshop)."""
    root = folder / EVIDENCE_DIR
    if not root.is_dir() or root.is_symlink():
        return
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in TEXT_SUFFIXES)[:MAX_SCAN_FILES]
    for path in files:
        try:
            data = read_regular(path, MAX_SCAN_BYTES, root=folder)
        except (Refused, OSError):
            continue
        name = path.relative_to(folder).as_posix()
        for n, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
            kinds = personal_data(line)
            if kinds:
                yield Problem(name, n, None, None, message(kinds), "warning")
