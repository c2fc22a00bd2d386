"""Helpers shared by the export tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PARSE_SCRIPT = Path(__file__).with_name("mermaid_parse.mjs")
MERMAID = ROOT / "node_modules" / "mermaid"
NO_MERMAID = ("Mermaid's parser is not installed: run 'npm ci' at the repository root "
              "(node_modules/mermaid is absent)")


def need_mermaid() -> str:
    """The node executable, or skip when node_modules/mermaid is absent."""
    if not MERMAID.is_dir():
        pytest.skip(NO_MERMAID)
    node = shutil.which("node")
    if node is None:  # node_modules present but no node: a broken setup, not a skip
        pytest.fail("node_modules/mermaid is installed but 'node' is not on PATH")
    return node


class MermaidParser:
    """One long-lived ``node mermaid_parse.mjs --serve`` process: JSON lines in and out."""

    def __init__(self, node: str) -> None:
        self.proc = subprocess.Popen([node, str(PARSE_SCRIPT), "--serve"], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, encoding="utf-8", bufsize=1)

    def __call__(self, text: str) -> dict[str, Any]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps({"text": text}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the Mermaid parser stopped (exit {self.proc.poll()})")
        return json.loads(line)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


