"""Layers are imported one way only: model & I/O → logic → presentation → shells; no module
imports another's private names; no import cycles between modules."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "journeytools"

LAYERS = {
    0: {"errors", "vocab", "fsutil", "procs", "model", "store"},
    1: {"scoring", "diff", "evidence", "plan", "blueprint", "compare", "journeys"},
    2: {"charts", "report", "export", "views"},
    3: {"cli", "widgets", "room", "__main__"},
}
LEVEL = {name: level for level, names in LAYERS.items() for name in names}
# `import journeytools` runs journeytools/__init__.py, which imports only the model & I/O layer.
ROOT_LEVEL = 0


def _modules() -> Iterator[Path]:
    yield from (p for p in PKG.rglob("*.py") if "resources" not in p.relative_to(PKG).parts)


def _dotted(module: Path) -> str:
    parts = list(module.relative_to(PKG).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["journeytools", *parts])


def _is_pkg(module: Path) -> bool:
    return module.name == "__init__.py"


def _absolute(module: Path, node: ast.ImportFrom) -> str:
    """The absolute dotted name an ImportFrom refers to."""
    if not node.level:
        return node.module or ""
    base = _dotted(module).split(".")
    if not _is_pkg(module):
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _all_modules() -> set[str]:
    return {_dotted(p) for p in _modules()}


def _targets(module: Path) -> Iterator[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every import in a module, including
    imports inside functions, `from journeytools import x` and `jt.x` attribute use."""
    known = _all_modules()
    tree = ast.parse(module.read_text(encoding="utf-8"))
    aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = _absolute(module, node)
            if not base.startswith("journeytools"):
                continue
            for a in node.names:
                sub = f"{base}.{a.name}"
                if sub in known:
                    yield sub, None, node.lineno
                else:
                    yield base, a.name, node.lineno
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "journeytools" or a.name.startswith("journeytools."):
                    yield a.name, None, node.lineno
                    if a.name == "journeytools" and a.asname:
                        aliases.add(a.asname)
                    elif a.name == "journeytools":
                        aliases.add("journeytools")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            sub = f"journeytools.{node.attr}"
            yield (sub, None, node.lineno) if sub in known else ("journeytools", node.attr, node.lineno)


def _top(dotted: str) -> str:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _level(dotted: str) -> int:
    top = _top(dotted)
    return ROOT_LEVEL if top == "__init__" else LEVEL[top]


def test_every_module_has_a_layer() -> None:
    tops = {_top(_dotted(p)) for p in _modules()} - {"__init__"}
    assert tops <= set(LEVEL), tops - set(LEVEL)


def test_lower_layers_never_import_upper() -> None:
    bad = []
    for module in _modules():
        me = _dotted(module)
        if me == "journeytools":
            continue
        for target, _, line in _targets(module):
            if _level(target) > _level(me):
                bad.append(f"{module.relative_to(PKG)}:{line} imports {target}")
    assert not bad, bad


def test_layer_check_sees_every_import_style(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checker itself: `import journeytools as jt; jt.charts`, `from journeytools import x`.

    The probe goes into a copy of the package: other tests read the real one at the same time."""
    import sys

    from helpers import package_copy

    copy = package_copy(PKG, tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "PKG", copy)
    fake = copy / "model" / "_layer_probe.py"
    fake.write_text("import journeytools as jt\nfrom journeytools import report\nfrom ..cli import common\n"
                    "def f():\n    return jt.charts\n", encoding="utf-8")
    try:
        seen = {t for t, _, _ in _targets(fake)}
    finally:
        fake.unlink()
    assert {"journeytools", "journeytools.charts", "journeytools.report", "journeytools.cli.common"} <= seen


def test_no_module_imports_private_names_of_another() -> None:
    bad = []
    for module in _modules():
        for target, name, line in _targets(module):
            if name and name.startswith("_") and not name.startswith("__") and target != _dotted(module):
                bad.append(f"{module.relative_to(PKG)}:{line} imports {name} from {target}")
    assert not bad, bad


def test_no_import_cycles() -> None:
    """Module-level imports (the ones that run at import time) form no cycle."""
    known = _all_modules()
    graph: dict[str, set[str]] = {}
    for module in _modules():
        tree = ast.parse(module.read_text(encoding="utf-8"))
        edges = set()
        for node in tree.body:  # top level only: lazy imports inside functions cannot deadlock
            if isinstance(node, ast.ImportFrom):
                base = _absolute(module, node)
                for a in node.names:
                    sub = f"{base}.{a.name}"
                    edges.add(sub if sub in known else base)
            elif isinstance(node, ast.Import):
                edges |= {a.name for a in node.names if a.name in known}
        me = _dotted(module)
        # a package's __init__ re-exporting its children is not a cycle with them
        graph[me] = {e for e in edges if e in known and e != me and not e.startswith(me + ".")}
        graph[me] -= {p for p in graph[me] if me.startswith(p + ".")}  # importing your parent package
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" → ".join(path[path.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, cycles
