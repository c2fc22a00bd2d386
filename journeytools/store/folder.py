"""Loading, validating and saving a workshop folder (SPEC §2, §7)."""

from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pandas as pd
from filelock import FileLock

from ..model import csvio
from ..errors import ConflictError, Problem, ValidationError
from ..fsutil import digest, file_digest, write_atomic
from ..model.meta import dump_meta, load_meta
from ..model.schema import LOCK_FILE, TABLE_NAMES, TABLES, WORKSHOP_FILE
from ..model.tables import to_frame, to_rows
from ..model.checks import cross_check, warnings_for
from ..model.workshop import Baseline, Workshop

LOCK_TIMEOUT_S = 60


@dataclass
class Report:
    """The outcome of validating a folder: errors, warnings, and the workshop when readable."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    workshop: Workshop | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@contextmanager
def folder_lock(folder: Path | str, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the workshop folder's lock (``.journeytools.lock``) for concurrent writers."""
    with FileLock(str(Path(folder) / LOCK_FILE), timeout=timeout):
        yield


def _parse(files: dict[str, bytes | None], folder: Path | None,
           today: dt.date | None = None) -> Report:
    """Parse and check a workshop from file contents (None = file absent)."""
    errors: list[Problem] = []
    meta_bytes = files.get(WORKSHOP_FILE)
    meta: dict | None = None
    meta_text = ""
    if meta_bytes is None:
        errors.append(Problem(WORKSHOP_FILE, None, None, None,
                              "workshop.yml is missing; every workshop folder needs one "
                              "(try 'journeytools new DIR')"))
    else:
        text, probs = csvio.decode(meta_bytes, WORKSHOP_FILE)
        errors += probs
        if text is not None:
            meta_text = text
            meta, probs = load_meta(text.lstrip("\ufeff"))
            errors += probs
    tables: dict[str, pd.DataFrame] = {}
    lines: dict[str, list[int]] = {}
    baselines: dict[str, Baseline] = {}
    broken: set[str] = set()
    for name in TABLE_NAMES:
        spec = TABLES[name]
        data = files.get(spec.file)
        if data is None:
            if spec.must_exist:
                errors.append(Problem(spec.file, None, None, None,
                                      f"{spec.file} is missing; expected a CSV with columns "
                                      f"{', '.join(spec.required)}"))
                broken.add(name)
            baselines[name] = Baseline(None, None)
            continue
        text, probs = csvio.decode(data, spec.file)
        errors += probs
        raw = None
        if text is not None:
            raw, probs = csvio.parse(text, spec.file)
            errors += probs
        if raw is None:
            broken.add(name)
            baselines[name] = Baseline(None, digest(data))
            continue
        frame, probs, row_lines = to_frame(raw, spec)
        errors += probs
        if frame is None:
            broken.add(name)
            baselines[name] = Baseline(None, digest(data), raw.dialect)
            continue
        tables[name] = frame
        lines[name] = row_lines
        baselines[name] = Baseline(frame.copy(), digest(data), raw.dialect)
    if meta is None:
        broken.add("workshop")
    ws = Workshop(meta or {"title": "", "stages": []}, tables, folder)
    ws._baseline = baselines
    ws._meta_baseline = (copy.deepcopy(meta), meta_text) if meta is not None else None
    errors += cross_check(ws, lines, broken)
    warnings = warnings_for(ws, lines, today) if not errors else []
    ws.warnings = warnings
    errors.sort(key=Problem.sort_key)
    warnings.sort(key=Problem.sort_key)
    return Report(errors, warnings, ws if not errors else None)


def _read_folder(folder: Path) -> tuple[dict[str, bytes | None], list[Problem]]:
    names = [WORKSHOP_FILE] + [TABLES[n].file for n in TABLE_NAMES]
    out: dict[str, bytes | None] = {}
    problems: list[Problem] = []
    for name in names:
        try:
            out[name] = (folder / name).read_bytes()
        except FileNotFoundError:
            out[name] = None
        except OSError as exc:  # a folder named like the file, no permission, …
            problems.append(Problem(name, None, None, None,
                                    f"cannot read {name}: {exc.strerror or exc}; expected a readable text file"))
    return out, problems


def validate(path: str | os.PathLike, today: dt.date | None = None) -> Report:
    """Check a workshop folder; never raises for bad content (see ``Report.errors``)."""
    folder = Path(path)
    if not folder.exists():
        return Report([Problem(str(folder), None, None, None,
                               "folder not found; expected a workshop folder with workshop.yml")])
    if not folder.is_dir():
        return Report([Problem(str(folder), None, None, None,
                               "is a file; expected a workshop folder with workshop.yml")])
    files, unreadable = _read_folder(folder)
    if unreadable:
        return Report(unreadable)
    return _parse(files, folder, today)


def load(path: str | os.PathLike) -> Workshop:
    """Load and validate a workshop folder.

    Raises ``ValidationError`` listing every problem (file, line, column, value, message).

    >>> ws = load("workshops/luggage-store")   # doctest: +SKIP
    >>> list(ws.personas["id"])                 # doctest: +SKIP
    ['mia', 'andy']
    """
    report = validate(path)
    if report.errors:
        raise ValidationError(report.errors, report.warnings)
    assert report.workshop is not None
    return report.workshop


def _serialise(ws: Workshop) -> dict[str, bytes]:
    """Bytes of every table that has rows or existed when loaded, plus ``workshop.yml``."""
    files: dict[str, bytes] = {}
    if ws._meta_baseline is not None and ws._meta_baseline[0] == ws.meta:
        files[WORKSHOP_FILE] = ws._meta_baseline[1].encode("utf-8")
    else:
        files[WORKSHOP_FILE] = dump_meta(ws.meta).encode("utf-8")
    for name in TABLE_NAMES:
        base = ws._baseline.get(name)
        frame = ws.tables[name]
        existed = base is not None and base.digest is not None
        if len(frame) or existed or TABLES[name].must_exist:
            header, rows = to_rows(frame)
            dialect = base.dialect if base is not None else csvio.DEFAULT_DIALECT
            files[TABLES[name].file] = csvio.write(header, rows, dialect)
    return files


def save(ws: Workshop, path: str | os.PathLike | None = None) -> Path:
    """Save a workshop atomically; returns the folder written.

    Saving back to the folder it was loaded from writes only the tables changed in memory,
    under the folder lock, and raises ``ConflictError`` when one of them was also changed on
    disk since loading. Saving elsewhere writes the whole workshop. The workshop is checked
    first: an invalid one raises ``ValidationError`` and nothing is written.
    """
    if path is None and ws.path is None:
        raise ValueError("this workshop was not loaded from a folder: pass a path to save it to")
    target = Path(path if path is not None else ws.path)  # type: ignore[arg-type]
    files = _serialise(ws)
    check = _parse(dict(files), target)
    if check.errors:
        raise ValidationError(check.errors)
    same = ws.path is not None and target.exists() and target.resolve() == Path(ws.path).resolve()
    target.mkdir(parents=True, exist_ok=True)
    with folder_lock(target):
        if same:
            _save_changes(ws, target, files)
        else:
            write_atomic({target / name: data for name, data in files.items()})
            _copy_assets(ws, target)
    return target


def _save_changes(ws: Workshop, folder: Path, files: dict[str, bytes]) -> None:
    """Write only what changed in memory; refuse when the same table changed on disk too."""
    changed = ws.changed_tables()
    conflicts = []
    for name in changed:
        base = ws._baseline.get(name)
        if file_digest(folder / TABLES[name].file) != (base.digest if base else None):
            conflicts.append(TABLES[name].file)
    meta_changed = ws.meta_changed()
    if meta_changed and ws._meta_baseline is not None:
        if file_digest(folder / WORKSHOP_FILE) != digest(ws._meta_baseline[1].encode("utf-8")):
            conflicts.append(WORKSHOP_FILE)
    if conflicts:
        raise ConflictError(conflicts, str(folder))
    out = {folder / TABLES[n].file: files[TABLES[n].file] for n in changed}
    if meta_changed:
        out[folder / WORKSHOP_FILE] = files[WORKSHOP_FILE]
    write_atomic(out)
    for name in changed:
        data = files[TABLES[name].file]
        old = ws._baseline.get(name)
        ws._baseline[name] = Baseline(ws.tables[name].copy(), digest(data),
                                      old.dialect if old else csvio.DEFAULT_DIALECT)
    if meta_changed:
        ws._meta_baseline = (copy.deepcopy(ws.meta), files[WORKSHOP_FILE].decode("utf-8"))


def _copy_assets(ws: Workshop, target: Path) -> None:
    """Carry the evidence folder and the logo along when saving to a new folder."""
    if ws.path is None:
        return
    src = Path(ws.path)
    if (src / "evidence").is_dir() and not (target / "evidence").exists():
        shutil.copytree(src / "evidence", target / "evidence")
    logo = ws.branding.get("logo")
    if logo and (src / str(logo)).is_file() and not (target / str(logo)).exists():
        (target / str(logo)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src / str(logo), target / str(logo))
