"""Workshop editors for JupyterLab (ipywidgets): check input on the spot, save atomically.

Each editor takes the workshop folder, keeps its own copy of the map (no globals), shows a
message next to any field that is wrong, writes with ``jt.save`` / ``jt.add_*`` and redraws
its ``chart`` after each save. Under papermill nothing here is displayed: notebooks show
widgets only when ``interactive`` is true and draw tables and charts in ordinary cells.

>>> from journeytools import widgets as jtw, charts
>>> jtw.EmotionSliders("../workshops/luggage-store", "mia",
...                    chart=lambda ws: charts.emotion_curves(ws, ["mia"]))  # doctest: +SKIP
"""

from __future__ import annotations

from ._base import ChartPanel, Editor, check_cell
from .blueprint import BlueprintForm
from .forms import OpportunityForm, PainPointForm, PersonaForm, ReviewForm, ScopeForm
from .grids import GridColumn, OpportunityGrid, StepGrid, TableGrid, TouchpointGrid
from .kpis import KpiGrid
from .sliders import EmotionSliders, PainScoreSliders
from .voting import DotVoting

__all__ = [
    "BlueprintForm",
    "ChartPanel",
    "DotVoting",
    "Editor",
    "EmotionSliders",
    "GridColumn",
    "KpiGrid",
    "OpportunityForm",
    "OpportunityGrid",
    "PainPointForm",
    "PainScoreSliders",
    "PersonaForm",
    "ReviewForm",
    "ScopeForm",
    "StepGrid",
    "TableGrid",
    "TouchpointGrid",
    "check_cell",
]
