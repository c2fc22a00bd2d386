"""Sliders that save as they move: emotion per journey step, severity and frequency per pain point.

>>> ed = EmotionSliders("workshops/luggage-store", "mia")     # doctest: +SKIP
>>> ed.sliders[4].value = 2                                   # saved to steps.csv at once
"""

from __future__ import annotations

import html
import os
from typing import Any

import ipywidgets as w
import pandas as pd

from ..scoring import journey
from ..vocab import EMOTION_WORDS, FREQUENCY, SEVERITY, face, one_line, shorten
from ._base import ChartFn, Editor, build_table, message

# What a slider's value means, in the words the room and the reports use (``vocab``).
FACES = {v: f"{face(v)} {EMOTION_WORDS[v]}" for v in EMOTION_WORDS}


def _slider(value: int, description: str = "", css: str = "") -> w.IntSlider:
    slider = w.IntSlider(value=value, min=1, max=5, step=1, description=description,
                         continuous_update=False, layout=w.Layout(width="18em"))
    if css:
        slider.add_class(css)
    return slider


def _label(text: str, width: str = "28em") -> w.HTML:
    return w.HTML(html.escape(text), layout=w.Layout(width=width))


class _TableSliders(Editor):
    """Shared saving for sliders that each edit one cell of one table."""

    table = ""

    def _set_cells(self, index: int, values: dict[str, int], done: str) -> bool:
        frame = self.ws.tables[self.table]
        records = [{c: frame[c].iloc[i] for c in frame.columns} for i in range(len(frame))]
        records[index].update(values)
        columns = list(frame.columns) + [c for c in values if c not in frame.columns]
        return self._commit(self.table, build_table(self.table, columns, records), done)


class EmotionSliders(_TableSliders):
    """How the persona feels at each step (1 = very negative … 5 = very positive).

    Moving a slider saves ``steps.csv`` at once and redraws the chart (e.g. the emotion curve).
    ``sliders[i]`` is the slider of the i-th step in journey order.
    """

    table = "steps"

    def __init__(self, folder: str | os.PathLike, persona: str, chart: ChartFn | None = None,
                 **kwargs: Any) -> None:
        super().__init__(folder, chart, **kwargs)
        self.persona = persona
        self._build()

    def _build(self) -> None:
        steps = self.ws.steps
        rows = [i for i in range(len(steps)) if steps["persona"].iloc[i] == self.persona]
        ordered = journey(self.ws, self.persona)  # the persona's steps in journey order
        file_rows = [rows[i] for i in _file_positions(self.ws, self.persona)]
        self.sliders: list[w.IntSlider] = []
        self.messages: list[w.HTML] = []
        self._rows: list[int] = []
        boxes = []
        for k, file_row in enumerate(file_rows):
            step = ordered.iloc[k]
            raw = steps["emotion"].iloc[file_row] if "emotion" in steps.columns else None
            emotion = None if raw is None or pd.isna(raw) else int(raw)
            rated = emotion is not None
            slider = _slider(3 if emotion is None else emotion, css="jt-emotion")
            note = w.HTML(message(FACES[slider.value], "hint") if rated
                          else message("not rated yet: move the slider to rate", "hint"))
            slider.observe(self._on_change(len(self.sliders)), names="value")
            self.sliders.append(slider)
            self.messages.append(note)
            self._rows.append(file_row)
            what = f"{step['stage_name']} · {step['touchpoint_name']}: {shorten(one_line(step['action']), 60)}"
            boxes.append(w.HBox([_label(what), slider, note]).add_class("jt-step-row"))
        title = w.HTML(f"<b>How does {html.escape(self.ws.persona_name(self.persona))} feel at "
                       f"each step?</b> 1 = {EMOTION_WORDS[1]}, 3 = {EMOTION_WORDS[3]}, 5 = {EMOTION_WORDS[5]}")
        if not boxes:
            boxes = [w.HTML(message("No steps for this persona yet: add them in the step grid.",
                                    "hint"))]
        self._layout(title, *boxes)

    def _on_change(self, k: int):
        def handler(change: dict) -> None:
            value = int(change["new"])
            if self._set_cells(self._rows[k], {"emotion": value},
                               f"Saved steps.csv: step {k + 1} feels {FACES[value]}"):
                self.messages[k].value = message(FACES[value], "hint")
        return handler


def _file_positions(ws: Any, persona: str) -> list[int]:
    """For each step of ``persona`` in journey order, its position among the persona's rows."""
    import numpy as np

    steps = ws.steps
    mine = steps[steps["persona"] == persona].reset_index(drop=True)
    if not len(mine):
        return []
    stage_of = dict(zip(ws.touchpoints["id"], ws.touchpoints["stage"]))
    order_of = {s: i for i, s in enumerate(ws.stage_ids)}
    pos = [order_of.get(stage_of.get(t, ""), len(order_of)) for t in mine["touchpoint"]]
    has = mine["order"].notna().to_numpy() if "order" in mine else np.zeros(len(mine), bool)
    key = mine["order"].astype("float64").fillna(0.0).to_numpy() if "order" in mine \
        else np.zeros(len(mine))
    frame = pd.DataFrame({"pos": pos, "has": has, "key": key, "file": range(len(mine))})
    frame = frame.sort_values(["pos", "has", "key", "file"], ascending=[True, False, True, True],
                              kind="mergesort")
    return list(frame["file"])


class PainScoreSliders(_TableSliders):
    """Severity and frequency (1–5) of each pain point, most painful first; saves as they move.

    ``severity[i]`` and ``frequency[i]`` are the sliders of ``ids[i]``.
    """

    table = "pain_points"

    def __init__(self, folder: str | os.PathLike, persona: str | None = None,
                 chart: ChartFn | None = None, **kwargs: Any) -> None:
        super().__init__(folder, chart, **kwargs)
        self.persona = persona
        self._build()

    def _build(self) -> None:
        pp = self.ws.pain_points
        keep = [i for i in range(len(pp))
                if self.persona is None or pp["persona"].iloc[i] in (self.persona, "*")]
        self.ids = [str(pp["id"].iloc[i]) for i in keep]
        self.severity: list[w.IntSlider] = []
        self.frequency: list[w.IntSlider] = []
        self.scores: list[w.HTML] = []
        self._rows = keep
        boxes = []
        for k, i in enumerate(keep):
            sev = _slider(int(pp["severity"].iloc[i]), "severity", "jt-severity")
            freq = _slider(int(pp["frequency"].iloc[i]), "frequency", "jt-frequency")
            score = w.HTML(self._score_text(sev.value, freq.value)).add_class("jt-score")
            sev.observe(self._on_change(k), names="value")
            freq.observe(self._on_change(k), names="value")
            self.severity.append(sev)
            self.frequency.append(freq)
            self.scores.append(score)
            label = _label(f"{pp['id'].iloc[i]}: {shorten(one_line(pp['description'].iloc[i]), 70)}")
            boxes.append(w.HBox([label, w.VBox([sev, freq]), score]).add_class("jt-pain-row"))
        title = w.HTML("<b>Severity</b> (how bad, 1–5) × <b>frequency</b> (how often, 1–5) = "
                       "pain score (1–25)")
        if not boxes:
            boxes = [w.HTML(message("No pain points yet: add one with the form.", "hint"))]
        self._layout(title, *boxes)

    @staticmethod
    def _score_text(sev: int, freq: int) -> str:
        return message(f"{sev} × {freq} = {sev * freq}  ({SEVERITY[sev]}, {FREQUENCY[freq]})",
                       "hint")

    def _on_change(self, k: int):
        def handler(_change: dict) -> None:
            sev, freq = int(self.severity[k].value), int(self.frequency[k].value)
            if self._set_cells(self._rows[k], {"severity": sev, "frequency": freq},
                               f"Saved pain_points.csv: {self.ids[k]} scores {sev} × {freq} = "
                               f"{sev * freq}"):
                self.scores[k].value = self._score_text(sev, freq)
        return handler
