"""Layers are imported one way only: model & I/O → logic → presentation → shells."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "journeytools"

LAYERS = {
    0: {"errors", "vocab", "fsutil", "model", "store"},
    1: {"scoring", "diff", "evidence"},
    2: {"charts", "report", "export", "views"},
    3: {"cli", "widgets", "room", "__main__"},
}
LEVEL = {name: level for level, names in LAYERS.items() for name in names}


def _top(module: Path) -> str:
    rel = module.relative_to(PKG)
    return rel.parts[0].removesuffix(".py")


def _imports(module: Path) -> set[str]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    depth = len(module.relative_to(PKG).parts) - 1  # folders below the package
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve to a top-level name of the package
                up = node.level - 1
                if up > depth:
                    continue
                base = list(module.relative_to(PKG).parts[:-1])[: depth - up]
                parts = base + (node.module.split(".") if node.module else [])
                names = parts[:1] if parts else [a.name for a in node.names]
                found.update(names)
            elif node.module and node.module.startswith("journeytools."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("journeytools."):
                    found.add(a.name.split(".")[1])
    return found


def test_every_module_has_a_layer():
    tops = {_top(p) for p in PKG.rglob("*.py")} - {"__init__"}
    assert tops <= set(LEVEL), tops - set(LEVEL)


def test_lower_layers_never_import_upper():
    bad = []
    for module in PKG.rglob("*.py"):
        top = _top(module)
        if top == "__init__":
            continue
        for name in _imports(module):
            if name in LEVEL and LEVEL[name] > LEVEL[top]:
                bad.append(f"{module.relative_to(PKG)} imports {name}")
    assert not bad, bad
