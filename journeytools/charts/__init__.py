"""Charts: the visual language of journeytools (matplotlib and seaborn, imported only from here).

Every function returns a :class:`matplotlib.figure.Figure` (never shown, never registered with
pyplot) with alt text (:func:`alt_text`) and the plotted data in ``fig._jt_data``.

>>> import journeytools as jt                                     # doctest: +SKIP
>>> from journeytools import charts                               # doctest: +SKIP
>>> ws = jt.load("workshops/luggage-store")                       # doctest: +SKIP
>>> charts.save_figure(charts.journey_map(ws, "mia"), "out/mia")  # doctest: +SKIP
"""

from __future__ import annotations

from .distribution import score_distribution
from .emotion import compare_states, emotion_curves
from .evidence import assumed_vs_measured, kpi_progress
from .export import alt_text, figure_bytes, png_bytes, save_figure
from .funnel import funnel
from .heatmaps import channel_coverage, pain_heatmap
from .journey_map import journey_map
from .priority import opportunity_ranking, priority_matrix
from .theme import Theme, theme_for

__all__ = [
    "Theme",
    "alt_text",
    "channel_coverage",
    "compare_states",
    "emotion_curves",
    "figure_bytes",
    "funnel",
    "assumed_vs_measured",
    "kpi_progress",
    "journey_map",
    "opportunity_ranking",
    "pain_heatmap",
    "png_bytes",
    "priority_matrix",
    "save_figure",
    "score_distribution",
    "theme_for",
]
