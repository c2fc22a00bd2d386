"""A portfolio of journeys (SPEC §10): ``portfolio.yml`` naming workshop folders, and an
optional shared persona library.

Every journey is validated, and every problem of every journey is reported at once, with the
journey's folder in the file name (``returns/steps.csv:4: …``). A persona with the same id in
several journeys is the same person: with a library, each journey's personas must be in it, and
a copy whose name, segment or weight differs from the library gets a warning naming the fields.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import Problem, ValidationError, quote
from ..fsutil import Refused, read_regular
from ..model import csvio
from ..model.meta import MAX_YAML_BYTES, parse_yaml
from ..model.paths import UnsafePath, contained_file, shape_problem, workshop_reference
from ..model.schema import TABLES
from ..model.tables import to_frame
from ..model.workshop import Workshop
from .folder import load, save, validate

PORTFOLIO_FILE = "portfolio.yml"
MAX_LIBRARY_BYTES = 20 * 1024 * 1024
MAX_JOURNEYS = 500
HEX = re.compile(r"#[0-9A-Fa-f]{6}\Z")
DRIFT_FIELDS = ("name", "segment", "weight")


@dataclass
class Portfolio:
    """The journeys of a portfolio (by name, in ``portfolio.yml`` order) and its library."""

    path: Path
    meta: dict[str, Any]
    journeys: dict[str, Workshop]
    library: pd.DataFrame | None = None
    warnings: list[Problem] = field(default_factory=list)
    folders: dict[str, Path] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or self.path.name)

    @property
    def branding(self) -> dict[str, Any]:
        b = self.meta.get("branding") or {}
        return {"company": b.get("company") or self.title, "primary_color": b.get("primary_color") or "#C2185B"}


@dataclass
class PortfolioReport:
    """The outcome of checking a portfolio: errors, warnings, and the portfolio when valid."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    portfolio: Portfolio | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def journey_name(relative: str) -> str:
    """The name a journey is known by (its folder's name as a slug): ``OUT/<name>/``."""
    base = Path(relative.rstrip("/")).name.lower()
    return re.sub(r"[^a-z0-9_-]+", "-", base).strip("-") or "journey"


def _read_meta(folder: Path) -> tuple[Any, dict[tuple, int], list[Problem]]:
    try:
        data = read_regular(contained_file(folder, PORTFOLIO_FILE, kind=PORTFOLIO_FILE),
                            MAX_YAML_BYTES, root=folder)
    except UnsafePath as exc:
        return None, {}, [Problem(PORTFOLIO_FILE, None, None, None,
                                  "not found: a portfolio folder has a portfolio.yml listing its "
                                  "journeys" if exc.missing else str(exc.reason))]
    except (Refused, OSError) as exc:
        return None, {}, [Problem(PORTFOLIO_FILE, None, None, None, f"cannot be read: {exc}")]
    text, problems = csvio.decode(data, PORTFOLIO_FILE)
    if text is None:
        return None, {}, problems
    return parse_yaml(text.lstrip("\ufeff"), PORTFOLIO_FILE)


def _library(folder: Path, relative: Any, line: int | None) -> tuple[pd.DataFrame | None, list[Problem], list[int]]:
    """The persona library: a personas.csv-shaped table inside the portfolio folder."""
    reason = shape_problem(relative, "personas library", example="personas.csv")
    if reason:
        return None, [Problem(PORTFOLIO_FILE, line, "personas", quote(relative), reason)], []
    try:
        path = contained_file(folder, relative, kind="personas library", max_bytes=MAX_LIBRARY_BYTES)
        data = read_regular(path, MAX_LIBRARY_BYTES, root=folder)
    except UnsafePath as exc:
        return None, [Problem(PORTFOLIO_FILE, line, "personas", quote(relative), exc.reason)], []
    except (Refused, OSError) as exc:
        return None, [Problem(PORTFOLIO_FILE, line, "personas", quote(relative), f"cannot be read: {exc}")], []
    name = str(relative)
    text, problems = csvio.decode(data, name)
    if text is None:
        return None, problems, []
    raw, problems = csvio.parse(text, name)
    if raw is None:
        return None, problems, []
    frame, problems, lines = to_frame(raw, TABLES["personas"])
    problems = [Problem(name, p.line, p.column, p.value, p.message, p.level) for p in problems]
    return (frame if not problems else None), problems, lines


def _prefixed(journey: str, problems: list[Problem]) -> list[Problem]:
    return [Problem(f"{journey}/{p.file}", p.line, p.column, p.value, p.message, p.level) for p in problems]


def _same(a: Any, b: Any) -> bool:
    blank_a, blank_b = a is None or a != a or a == "", b is None or b != b or b == ""
    if blank_a or blank_b:
        return blank_a and blank_b
    try:
        return abs(float(a) - float(b)) < 1e-12
    except (TypeError, ValueError):
        return str(a).strip() == str(b).strip()


def check_portfolio(path: str | os.PathLike) -> PortfolioReport:
    """Check a portfolio folder; never raises for bad content (see ``errors``)."""
    folder = Path(path)
    if not folder.is_dir():
        return PortfolioReport([Problem(str(folder), None, None, None,
                                        "folder not found; expected a portfolio folder with portfolio.yml")])
    meta, lines, problems = _read_meta(folder)
    if problems:
        return PortfolioReport(problems)
    if not isinstance(meta, dict):
        return PortfolioReport([Problem(PORTFOLIO_FILE, 1, None, None,
                                        "expected a mapping with title, journeys (a list of workshop "
                                        "folders), and optionally personas and branding")])
    errors: list[Problem] = []
    warnings: list[Problem] = []
    journeys = meta.get("journeys")
    if not isinstance(journeys, list) or not journeys:
        errors.append(Problem(PORTFOLIO_FILE, lines.get(("journeys",)), "journeys", None,
                              "expected a list of workshop folders, e.g. 'journeys: [purchase, returns]'"))
        journeys = []
    if len(journeys) > MAX_JOURNEYS:
        errors.append(Problem(PORTFOLIO_FILE, lines.get(("journeys",)), "journeys", None,
                              f"{len(journeys)} journeys; at most {MAX_JOURNEYS} in one portfolio"))
        journeys = journeys[:MAX_JOURNEYS]
    branding = meta.get("branding")
    if branding is not None:
        color = branding.get("primary_color") if isinstance(branding, dict) else None
        if not isinstance(branding, dict) or (color is not None and not HEX.match(str(color))):
            errors.append(Problem(PORTFOLIO_FILE, lines.get(("branding", "primary_color"))
                                  or lines.get(("branding",)), "branding", None,
                                  "expected a mapping with company and primary_color (\"#RRGGBB\")"))
    library: pd.DataFrame | None = None
    if meta.get("personas") not in (None, ""):
        library, found, _ = _library(folder, meta["personas"], lines.get(("personas",)))
        errors += found
    loaded: dict[str, Workshop] = {}
    folders: dict[str, Path] = {}
    for i, rel in enumerate(journeys):
        line = lines.get(("journeys", i)) or lines.get(("journeys",))
        try:
            target = workshop_reference(folder, rel, kind="journey")
        except UnsafePath as exc:
            errors.append(Problem(PORTFOLIO_FILE, line, "journeys", quote(rel), exc.reason))
            continue
        name = journey_name(str(rel))
        if name in loaded or name in folders:
            errors.append(Problem(PORTFOLIO_FILE, line, "journeys", quote(rel),
                                  f"two journeys are named {name!r}; journey folders need different names"))
            continue
        folders[name] = target
        report = validate(target)
        errors += _prefixed(name, report.errors)
        warnings += _prefixed(name, report.warnings)
        if report.workshop is not None:
            loaded[name] = report.workshop
    if library is not None:
        errors_, warnings_ = _library_checks(library, loaded)
        errors += errors_
        warnings += warnings_
    if errors:
        return PortfolioReport(errors, warnings)
    return PortfolioReport([], warnings, Portfolio(folder, meta, loaded, library, warnings, folders))


def _library_checks(library: pd.DataFrame, journeys: dict[str, Workshop]) -> tuple[list[Problem], list[Problem]]:
    lib = library.set_index("id")
    errors: list[Problem] = []
    warnings: list[Problem] = []
    for name, ws in journeys.items():
        for n, row in zip(_row_lines(ws, "personas"), ws.personas.itertuples(index=False)):
            pid = str(row.id)
            file = f"{name}/personas.csv"
            if pid not in lib.index:
                errors.append(Problem(file, n, "id", quote(pid),
                                      f"persona {quote(pid)} is not in the persona library; add it there "
                                      "or use a library persona's id"))
                continue
            drift = [f for f in DRIFT_FIELDS
                     if f in ws.personas.columns or f in lib.columns
                     if not _same(getattr(row, f, None), lib[f][pid] if f in lib.columns else None)]
            if drift:
                warnings.append(Problem(file, n, ", ".join(drift), quote(pid),
                                        f"persona {quote(pid)} differs from the library in "
                                        f"{', '.join(drift)}", "warning"))
    return errors, warnings


def _row_lines(ws: Workshop, table: str) -> list[int]:
    """The line each row of ``table`` starts on in its file (quoted cells may span lines)."""
    base = ws.baseline(table)
    n = len(ws.tables[table])
    if base.texts is None or len(base.texts) != n:
        return list(range(2, n + 2))
    line = 2 + (base.header_text or "").count("\n")
    out = []
    for text in base.texts:
        out.append(line)
        line += text.rstrip("\r\n").count("\n") + 1
    return out


def load_portfolio(path: str | os.PathLike) -> Portfolio:
    """Load and check a portfolio; raises ``ValidationError`` listing every problem of every
    journey (file names start with the journey's name)."""
    report = check_portfolio(path)
    if report.portfolio is None:
        raise ValidationError(report.errors, report.warnings)
    return report.portfolio


def read_library(path: str | os.PathLike) -> pd.DataFrame:
    """A persona library file (personas.csv columns); raises ``ValidationError`` naming its lines."""
    file = Path(path)
    library, problems, _ = _library(file.parent, file.name, None)
    if library is None:
        raise ValidationError(problems or [Problem(str(file), None, None, None, "cannot be read")])
    return library


def new_from_library(target: str | os.PathLike, library: str | os.PathLike,
                     template: str = "retail-ecommerce") -> Path:
    """A new workshop from a starter whose personas are the library's: the starter's stages,
    touchpoints, shared (``*``) pain points and their opportunities stay; its own personas,
    their steps and pain points go (the team maps the library personas afresh)."""
    from .starters import new_workshop

    people = read_library(library)
    folder = new_workshop(target, template)
    ws = load(folder)
    ws.personas = people.reset_index(drop=True)
    ws.steps = ws.steps.iloc[0:0]
    pp = ws.pain_points
    ws.pain_points = pp[pp["persona"] == "*"].reset_index(drop=True)
    kept = set(ws.pain_points["id"])
    op = ws.opportunities.copy()
    if "addresses" in op.columns:
        op["addresses"] = [";".join(a for a in str(v or "").split(";") if a in kept) for v in op["addresses"]]
    ws.opportunities = op
    bp = ws.blueprint.copy()
    if "causes" in bp.columns:  # processes stay; links to pain points that went, go
        bp["causes"] = [";".join(a for a in str(v or "").split(";") if a in kept) for v in bp["causes"]]
    if "persona" in bp.columns:
        bp = bp[bp["persona"].isin(["", "*", *people["id"]])].reset_index(drop=True)
    ws.blueprint = bp
    ws.votes = ws.votes.iloc[0:0]
    save(ws)
    return folder

