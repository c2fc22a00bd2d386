"""Reading CSV the way Excel writes it, and writing it back deterministically.

Python's ``csv`` module is used rather than ``pandas.read_csv`` because validation needs the
physical line each record starts on (quoted cells may span lines) and free text must be kept
exactly as typed, with no type inference.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from ..errors import Problem, quote

BOM = "\ufeff"


@dataclass(frozen=True)
class Dialect:
    """How a CSV file was written, so a save writes it back the same way.

    ``decimal`` is the decimal mark its numbers use: ``","`` (only in a ``;`` file: German
    Excel and friends), ``"."``, or ``None`` when unknown (then ``","`` for a ``;`` file, as
    its locale most likely wants, ``"."`` otherwise); see :attr:`decimal_mark`.
    """

    delimiter: str = ","
    bom: bool = False
    newline: str = "\n"
    decimal: str | None = None

    @property
    def decimal_mark(self) -> str:
        """The decimal mark to write numbers with: ``","`` only in a ``;`` file."""
        if self.delimiter != ";":
            return "."  # a comma would split the cell (and is never read as a decimal mark)
        return self.decimal or ","


DEFAULT_DIALECT = Dialect()


@dataclass
class RawTable:
    """A CSV file read as text: header, rows of strings and the line each row starts on.

    ``texts`` holds each row's record exactly as it stands in the file (without its line
    break) and ``header_text`` the header's, when the table was read from CSV text: a save
    writes an unchanged row back as this very text (``None`` for rows from elsewhere).
    """

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    dialect: Dialect
    texts: list[str] | None = None
    header_text: str | None = None


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


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _body(chunk: str) -> str:
    """A record's text without the line break that ends it."""
    if chunk.endswith("\r\n"):
        return chunk[:-2]
    if chunk.endswith(("\n", "\r")):
        return chunk[:-1]
    return chunk


def _open_quote(chunk: str, delimiter: str) -> tuple[int, int] | None:
    """Where the quoted cell still open at the end of ``chunk`` (the text of a record read so
    far) starts: (offset of its quote, index of the cell); ``None`` when no quote is open.
    Quotes count as the csv module counts them: only at the start of a cell."""
    inside = False
    at_start = True
    opened = (0, 0)
    cell = 0
    i, n = 0, len(chunk)
    while i < n:
        ch = chunk[i]
        if inside:
            if ch == '"':
                if i + 1 < n and chunk[i + 1] == '"':
                    i += 2
                    continue
                inside = False
        elif ch == '"' and at_start:
            inside = True
            opened = (i, cell)
        elif ch == delimiter:
            cell += 1
        elif ch in "\r\n":
            cell = 0
        at_start = not inside and (ch == delimiter or ch in "\r\n")
        i += 1
    return opened if inside else None


def parse(text: str, file: str) -> tuple[RawTable | None, list[Problem]]:
    """Parse CSV text; problems for unclosed quotes and rows wider or shorter than the header.

    A row with fewer cells than the header is an error ("expected N cells, found M": a file
    cut off mid-row must not lose cells silently), except a row that *ends with the
    delimiter* and a line break, like ``conv;Conversion;`` followed by a new line: its last
    cell is deliberately blank, as Excel writes empty trailing cells, and the cells missing
    after it are blank too. A quoted cell still open at the end of the file is an error naming
    the line (and column) where its quote opened.
    """
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    first_end = text.find("\n")
    newline = "\r\n" if first_end > 0 and text[first_end - 1] == "\r" else "\n"
    delimiter = sniff_delimiter(text)
    dialect = Dialect(delimiter, bom, newline)
    problems: list[Problem] = []
    # the physical lines as the csv module splits them (not str.splitlines: no \f, \v, \u2028)
    physical = io.StringIO(text, newline="").readlines()
    reader = csv.reader(physical, delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_text = ""
    rows: list[list[str]] = []
    lines: list[int] = []
    texts: list[str] = []  # each row's record as in the file, with its line break (if any)
    start = 1
    try:
        for record in reader:
            end = reader.line_num
            if header is None:
                header, header_text = record, _body("".join(physical[start - 1:end]))
            elif any(record):  # skip blank lines and rows of empty cells
                rows.append(record)
                lines.append(start)
                texts.append(physical[start - 1] if end == start
                             else "".join(physical[start - 1:end]))
            start = end + 1
    except csv.Error as exc:
        chunk = "".join(physical[start - 1:reader.line_num])
        opened = _open_quote(chunk, delimiter)
        if opened is not None:
            offset, index = opened
            line = start + len(_LINE_BREAK.findall(chunk, 0, offset))
            column = header[index] if header is not None and index < len(header) else None
            runs = ("the cell runs to the end of the file" if "end of data" in str(exc)
                    else f"the cell runs on until the reader gives up ({exc})")
            problems.append(Problem(file, line, column, None,
                                    f"a quote (\") opened on this line is never closed: {runs}; "
                                    "expected a closing quote at the end of the cell"))
        else:
            problems.append(Problem(file, start, None, None,
                                    f"cannot read the record starting here ({exc}); "
                                    "probably a quote (\") that is never closed"))
    if header is None:
        if not problems:
            problems.append(Problem(file, 1, None, None, "the file is empty; expected a header row"))
        return None, problems
    width = len(header)
    for i, (row, line) in enumerate(zip(rows, lines)):
        if len(row) > width:
            extra = row[width:]
            if any(cell.strip() for cell in extra):
                problems.append(Problem(file, line, None, quote(row[width]),
                                        f"row has {len(row)} cells but the header has {width}"))
            del row[width:]
        elif len(row) < width:
            body = _body(texts[i])
            if not (len(body) < len(texts[i]) and body.endswith(delimiter) and row[-1] == ""):
                problems.append(Problem(
                    file, line, header[len(row)], None,
                    f"row has {len(row)} cells but the header has {width}: expected {width} "
                    f"cells, found {len(row)}; was the file cut off? (a row that leaves its "
                    f"last cells blank ends with {delimiter!r})"))
            row.extend([""] * (width - len(row)))
    texts = [t[:-2] if t[-2:] == "\r\n" else t[:-1] if t[-1:] in ("\n", "\r") else t for t in texts]
    return RawTable(header, rows, lines, dialect, texts, header_text), problems


_SPECIAL = (",", ";", "\t", '"', "\n", "\r")


def _cell(cell: str, delimiter: str) -> str:
    # Quote any would-be delimiter, not only this file's: reading sniffs the delimiter, and a
    # one-column file must not be split on a comma. (The csv module would also leave a lone
    # "\r" unquoted, which splits the record on reading.)
    if any(ch in cell for ch in _SPECIAL):
        return '"' + cell.replace('"', '""') + '"'
    return cell


_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]*,[0-9]+(?:[eE][+-]?[0-9]+)?")


def record(cells: list[str], delimiter: str) -> str:
    """One row as CSV text (without a line break).

    A number with a decimal comma (``0,5``) in a ``;`` file of several columns is written
    unquoted, as Excel writes it: the header's ``;`` decides the delimiter on reading.
    """
    if delimiter == ";" and len(cells) > 1:
        return delimiter.join(c if _DECIMAL_COMMA.fullmatch(c) else _cell(c, delimiter)
                              for c in cells)
    return delimiter.join(_cell(c, delimiter) for c in cells)


def assemble(header_text: str, row_texts: list[str], dialect: Dialect = DEFAULT_DIALECT) -> bytes:
    """CSV bytes of a header and rows already rendered as text (:func:`record`, or as they
    stood in the file), ended and joined by the dialect's line break, with its BOM."""
    nl = dialect.newline
    text = nl.join([header_text, *row_texts]) + nl
    return ((BOM if dialect.bom else "") + text).encode("utf-8")


def write(header: list[str], rows: list[list[str]], dialect: Dialect = DEFAULT_DIALECT) -> bytes:
    """CSV bytes in the given dialect; the same input always gives the same bytes."""
    d = dialect.delimiter
    return assemble(record(header, d), [record(row, d) for row in rows], dialect)
