"""The facilitator's screen: live totals, pain heatmap and rankings, re-read every few seconds.

A background thread looks at the folder's files (size and modification time) every
``interval`` seconds and re-renders only when something changed, so a quiet room costs nothing.
Rendering never writes to the folder. All text shown is escaped (see ``render``).

>>> view = FacilitatorView("workshops/luggage-store", interval=3)   # doctest: +SKIP
>>> view.start()                                                    # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..model.workshop import Workshop
from ..store.folder import load
from . import _data as data
from .render import (
    header_html,
    heatmap_table_html,
    idea_ranking_html,
    message_html,
    pain_ranking_html,
    stage_bars_html,
    totals_html,
)

DEFAULT_INTERVAL_S = 3.0


def heatmap_png(ws: Workshop) -> bytes | None:
    """PNG of ``journeytools.charts.pain_heatmap(ws)``; None when the chart is unavailable."""
    try:
        from ..charts import pain_heatmap, png_bytes
    except Exception:  # charts not installed or broken: the HTML table stands in
        return None
    fig = pain_heatmap(ws)
    try:
        return png_bytes(fig, dpi=96)
    finally:
        pyplot = sys.modules.get("matplotlib.pyplot")  # close it if pyplot made it
        if pyplot is not None:
            pyplot.close(fig)


class FacilitatorView:
    """Live totals, heatmap and rankings of one workshop folder.

    ``heatmap`` renders the chart (a callable returning PNG bytes or None); the default uses
    ``journeytools.charts.pain_heatmap`` and falls back to an HTML table.
    """

    def __init__(self, folder: str | os.PathLike, interval: float = DEFAULT_INTERVAL_S,
                 heatmap: Callable[[Workshop], bytes | None] = heatmap_png, top: int = 10) -> None:
        self.folder = Path(folder)
        self.interval = float(interval)
        self.top = top
        self._heatmap = heatmap
        self._signature: tuple | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.ws: Workshop | None = None
        self.refreshes = 0

        self.header = w.HTML()
        self.status = w.HTML()
        self.totals = w.HTML()
        self.stage_bars = w.HTML()
        self.heatmap_image = w.Image(format="png", layout=w.Layout(max_width="100%",
                                                                   display="none"))
        self.heatmap_table = w.HTML()
        self.pains = w.HTML()
        self.ideas = w.HTML()
        self.live = w.Checkbox(value=False, description=f"refresh every {self.interval:g} s",
                               indent=False)
        self.refresh_button = w.Button(description="Refresh now")
        self.refresh_button.on_click(lambda _: self.refresh(force=True))
        self.live.observe(self._on_live, names="value")
        for cls, widget in [("jt-fac-totals", self.totals), ("jt-fac-pains", self.pains),
                            ("jt-fac-ideas", self.ideas), ("jt-fac-status", self.status)]:
            widget.add_class(cls)
        self.widget = w.VBox([
            self.header,
            w.HBox([self.live, self.refresh_button, self.status]),
            self.totals,
            w.HBox([w.VBox([self.heatmap_image, self.heatmap_table],
                           layout=w.Layout(width="55%")),
                    w.VBox([self.stage_bars], layout=w.Layout(width="45%"))]),
            self.pains,
            self.ideas,
        ], layout=w.Layout(padding="0 8px"))
        self.widget.add_class("jt-facilitator")
        self.refresh(force=True)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    # -- refreshing -----------------------------------------------------------------------------
    def refresh(self, force: bool = False) -> bool:
        """Re-read and re-render when the folder changed (always with ``force``).

        Returns True when the view was re-rendered. A folder caught mid-save (invalid for a
        moment) keeps the last good view and is retried on the next tick.
        """
        with self._lock:
            signature = data.folder_signature(self.folder)
            if not force and signature == self._signature:
                return False
            try:
                ws = load(self.folder)
            except Exception as exc:
                self.status.value = message_html(f"could not read the folder: {exc}", "error")
                return False
            self._signature = signature
            self.ws = ws
            self._render(ws)
            self.refreshes += 1
            return True

    def _render(self, ws: Workshop) -> None:
        self.header.value = header_html(ws, "Facilitator view — live totals")
        self.totals.value = totals_html(ws, dt.datetime.now())
        self.stage_bars.value = stage_bars_html(ws)
        png, problem = None, ""
        try:
            png = self._heatmap(ws)
        except Exception as exc:  # a broken chart must not stop the totals
            problem = f"heatmap unavailable: {exc}"
        if png:
            self.heatmap_image.value = png
            self.heatmap_image.layout.display = None
            self.heatmap_table.value = ""
        else:
            self.heatmap_image.layout.display = "none"
            self.heatmap_table.value = heatmap_table_html(ws)
        self.pains.value = pain_ranking_html(ws, self.top)
        self.ideas.value = idea_ranking_html(ws, self.top)
        self.status.value = message_html(problem, "error")

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.refresh()
            except Exception as exc:  # keep polling; show what went wrong
                self.status.value = message_html(f"refresh failed: {exc}", "error")

    def start(self) -> FacilitatorView:
        """Start re-reading the folder every ``interval`` seconds (a daemon thread)."""
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="journeytools-room-poll",
                                            daemon=True)
            self._thread.start()
        self.live.value = True
        return self

    def stop(self) -> None:
        """Stop polling (the view keeps its last state)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)
        self._thread = None
        self.live.value = False

    def _on_live(self, change: dict) -> None:
        if change["new"]:
            self.start()
        else:
            self.stop()


def facilitator_view(folder: str | os.PathLike | None = None,
                     interval: float = DEFAULT_INTERVAL_S) -> FacilitatorView:
    """The live facilitator view of ``folder`` (default ``$JOURNEYTOOLS_ROOM_DIR``), polling."""
    return FacilitatorView(data.room_folder(folder), interval=interval).start()
