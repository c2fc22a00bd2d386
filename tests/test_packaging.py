"""Packaging: environment.yml in sync with pyproject.toml, notebooks committed clean, fast import."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec, maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(d) for d in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip", "nodejs"}
    assert listed == wanted


def test_notebooks_committed_without_outputs():
    books = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "journeytools").rglob("*.ipynb"))
    assert books
    for path in books:
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert {"kernelspec", "language_info"} <= set(nb["metadata"]), path.name
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, path.name


def test_import_is_fast_and_lazy():
    code = ("import sys, time; t = time.perf_counter(); import journeytools; "
            "print(time.perf_counter() - t); "
            "print(sorted(m for m in ('matplotlib', 'duckdb', 'weasyprint', 'openpyxl', 'pptx', "
            "'papermill', 'nbconvert', 'seaborn') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[1] == "[]"
