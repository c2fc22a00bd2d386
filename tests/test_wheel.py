"""The wheel is complete on its own (SPEC §11): built from this tree, installed in a fresh venv,
and used from an empty folder with no source tree in reach."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

# Package resource folder → the repository folder it links to.
RESOURCES = {"notebooks": "notebooks", "starters": "templates/starters",
             "report": "templates/report", "workshops": "workshops"}


def _tracked(folder: str) -> set[str]:
    out = subprocess.run(["git", "ls-files", folder], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip("not a git checkout")
    return {str(Path(p).relative_to(folder)) for p in out.stdout.split("\n") if p}


def _clean_copy(dst: Path) -> Path:
    """The tracked files as they are now (no build/ leftovers, which setuptools never prunes)."""
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for rel in filter(None, out.decode().split("\0")):
        src, target = ROOT / rel, dst / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            target.symlink_to(os.readlink(src))
        elif src.is_file():
            shutil.copy2(src, target)
    return dst


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    dist = tmp_path_factory.mktemp("dist")
    tree = _clean_copy(tmp_path_factory.mktemp("tree"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(tree)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-3000:]
    (found,) = dist.glob("journeytools-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    env_dir = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    pip = subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet",
                          "--disable-pip-version-check", str(wheel)], capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr[-3000:]
    return env_dir


def test_wheel_holds_every_resource_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for packaged, folder in RESOURCES.items():
        prefix = f"journeytools/resources/{packaged}/"
        shipped = {n.removeprefix(prefix) for n in names if n.startswith(prefix)}
        assert shipped == _tracked(folder), (packaged, shipped ^ _tracked(folder))
    assert "journeytools/py.typed" in names
    assert not [n for n in names if "my-first-map" in n or ".journeytools.lock" in n]


def test_installed_wheel_works_from_an_empty_folder(venv: Path, tmp_path: Path) -> None:
    work = tmp_path / "empty"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JOURNEYTOOLS_HOME", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"

    def jt(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(venv / "bin" / "journeytools"), *args], cwd=work, env=env,
                              capture_output=True, text=True, timeout=600)
        if ok:
            assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-3000:])
        return done

    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import journeytools; print(journeytools.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(venv), where  # the installed copy, not this tree

    listed = [line.split()[0] for line in jt("templates").stdout.splitlines() if line.strip()]
    starters = {p.split("/")[0] for p in _tracked("templates/starters") if p.endswith("/workshop.yml")}
    assert set(listed) == starters
    for name in listed:
        jt("new", name, "--template", name)
        assert "valid" in jt("validate", name).stdout

    scores = json.loads(jt("score", "retail-ecommerce", "--format", "json").stdout)
    assert scores["pain_points"] and scores["stages"] and scores["pain_points"][0]["rank"] == 1

    jt("report", "retail-ecommerce", "-o", "out", "--format", "html,pdf", "--jobs", "2")
    personas = {line.split(",")[0] for line in (work / "retail-ecommerce" / "personas.csv").read_text(
        encoding="utf-8-sig").splitlines()[1:] if line.strip()}
    for p in personas:
        assert (work / "out" / f"{p}.html").stat().st_size > 10_000
        assert (work / "out" / f"{p}.pdf").read_bytes().startswith(b"%PDF")
    assert "<html" in (work / "out" / "index.html").read_text(encoding="utf-8").lower()

    jt("export", "retail-ecommerce", "--to", "mermaid", "-o", "map.mmd")
    jt("export", "retail-ecommerce", "--to", "markdown", "-o", "map.md")
    jt("export", "retail-ecommerce", "--to", "pptx", "-o", "map.pptx")
    jt("export", "retail-ecommerce", "--to", "xlsx", "-o", "map.xlsx")
    assert "journey" in (work / "map.mmd").read_text(encoding="utf-8")
    assert zipfile.is_zipfile(work / "map.pptx") and zipfile.is_zipfile(work / "map.xlsx")
    jt("import", "map.xlsx", "back")
    assert "valid" in jt("validate", "back").stdout
    assert jt("diff", "retail-ecommerce", "back").returncode == 0

    jt("notebooks", "mine")
    books = sorted(p.name for p in (work / "mine" / "notebooks").glob("*.ipynb"))
    assert "persona_report.ipynb" in books and "03_pain_points.ipynb" in books
    assert (work / "mine" / "workshops" / "luggage-store" / "workshop.yml").is_file()
