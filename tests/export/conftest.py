"""Fixtures for the export tests: Mermaid's own parser (node) and a stand-in charts module."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from export_helpers import MermaidParser, need_mermaid


@pytest.fixture(scope="session")
def mermaid_parse() -> Iterator[Callable[[str], dict[str, Any]]]:
    """``parse(text) -> {"ok", "type", "error", "journey": {...}}`` by Mermaid itself."""
    node = need_mermaid()
    parser = MermaidParser(node)
    try:
        yield parser
    finally:
        parser.close()


def _figure(label: str, w: float, h: float) -> Any:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(w, h))
    ax = fig.add_subplot()
    ax.plot([1, 2, 3], [3, 1, 4])
    ax.set_title(label)
    return fig


@pytest.fixture
def fake_charts() -> types.ModuleType:
    """Stand-in for journeytools.charts: small figures, recording what was asked for."""
    mod = types.ModuleType("fake_charts")
    mod.calls = []  # type: ignore[attr-defined]

    def journey_map(ws: Any, persona: str) -> Any:
        mod.calls.append(("journey_map", persona))  # type: ignore[attr-defined]
        return _figure(f"journey {persona}", 8, 6)

    def emotion_curves(ws: Any, persona: Any = None) -> Any:
        mod.calls.append(("emotion_curves", persona))  # type: ignore[attr-defined]
        return _figure(f"emotions {persona}", 8, 4)

    def priority_matrix(ws: Any, persona: Any = None) -> Any:
        mod.calls.append(("priority_matrix", persona))  # type: ignore[attr-defined]
        return _figure("matrix", 8, 6)

    def pain_heatmap(ws: Any) -> Any:
        mod.calls.append(("pain_heatmap", None))  # type: ignore[attr-defined]
        return _figure("heatmap", 8, 3)

    mod.journey_map, mod.emotion_curves, mod.priority_matrix, mod.pain_heatmap = (  # type: ignore[attr-defined]
        journey_map, emotion_curves, priority_matrix, pain_heatmap)
    return mod
