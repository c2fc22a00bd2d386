"""Reading CSV the way Excel writes it, and writing it back deterministically.

Python's ``csv`` module is used rather than ``pandas.read_csv`` because validation needs the
physical line each record starts on (quoted cells may span lines) and free text must be kept
exactly as typed, with no type inference.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..errors import Problem, quote

BOM = "\ufeff"


@dataclass(frozen=True)
class Dialect:
    """How a CSV file was written, so a save writes it back the same way."""

    delimiter: str = ","
    bom: bool = False
    newline: str = "\n"


DEFAULT_DIALECT = Dialect()


@dataclass
class RawTable:
    """A CSV file read as text: header, rows of strings and the line each row starts on."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    dialect: Dialect


def decode(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text from bytes (BOM allowed), or a problem naming the line of the bad bytes."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 4]
        return None, [
            Problem(file, line, None, bad.hex(" "),
                    f"bytes {bad!r} at character {col} are not UTF-8 text; expected a UTF-8 CSV "
                    "(in Excel: Save As → 'CSV UTF-8')")
        ]


def sniff_delimiter(text: str) -> str:
    """`;`, tab or `,`, whichever separates the header line (outside quotes) most."""
    first = text.split("\n", 1)[0]
    counts = {",": 0, ";": 0, "\t": 0}
    inside = False
    for ch in first:
        if ch == '"':
            inside = not inside
        elif not inside and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def parse(text: str, file: str) -> tuple[RawTable | None, list[Problem]]:
    """Parse CSV text; problems for unclosed quotes and rows wider than the header."""
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    first_end = text.find("\n")
    newline = "\r\n" if first_end > 0 and text[first_end - 1] == "\r" else "\n"
    delimiter = sniff_delimiter(text)
    dialect = Dialect(delimiter, bom, newline)
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        for record in reader:
            if header is None:
                header = record
            elif any(record):  # skip blank lines and rows of empty cells
                rows.append(record)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(file, start, None, None,
                                f"cannot read the record starting here ({exc}); "
                                "probably a quote (\") that is never closed"))
    if header is None:
        problems.append(Problem(file, 1, None, None, "the file is empty; expected a header row"))
        return None, problems
    width = len(header)
    for row, line in zip(rows, lines):
        if len(row) > width:
            extra = row[width:]
            if any(cell.strip() for cell in extra):
                problems.append(Problem(file, line, None, quote(row[width]),
                                        f"row has {len(row)} cells but the header has {width}"))
            del row[width:]
        elif len(row) < width:
            row.extend([""] * (width - len(row)))
    return RawTable(header, rows, lines, dialect), problems


_SPECIAL = (",", ";", "\t", '"', "\n", "\r")


def _cell(cell: str, delimiter: str) -> str:
    # Quote any would-be delimiter, not only this file's: reading sniffs the delimiter, and a
    # one-column file must not be split on a comma. (The csv module would also leave a lone
    # "\r" unquoted, which splits the record on reading.)
    if any(ch in cell for ch in _SPECIAL):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write(header: list[str], rows: list[list[str]], dialect: Dialect = DEFAULT_DIALECT) -> bytes:
    """CSV bytes in the given dialect; the same input always gives the same bytes."""
    d, nl = dialect.delimiter, dialect.newline
    lines = [d.join(_cell(c, d) for c in header)]
    lines.extend(d.join(_cell(c, d) for c in row) for row in rows)
    text = nl.join(lines) + nl
    return ((BOM if dialect.bom else "") + text).encode("utf-8")
