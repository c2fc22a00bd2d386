"""Funnel: users reaching each touchpoint, with the drop-off between consecutive steps.

Reads the rows of ``evidence/funnel.csv`` (SPEC §6) or any frame with ``touchpoint`` (or
``label``) and ``users``; ``drop_off`` and ``conversion`` are used when present, else computed the
same way (previous users − users floored at 0; users ÷ previous users). A ``segment`` column with
several values gives one panel per segment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ._draw import empty_axes, note
from ._text import clean, fmt_number, wrap
from .theme import Theme, new_figure, text_on

DROP = "#D55E00"


def funnel_steps(frame: pd.DataFrame) -> pd.DataFrame:
    """The plotted rows: ``segment``, ``label``, ``users``, ``drop_off``, ``conversion``."""
    f = frame.copy() if frame is not None else pd.DataFrame()
    label_col = "label" if "label" in f.columns else ("touchpoint" if "touchpoint" in f.columns else None)
    if label_col is None or "users" not in f.columns or not len(f):
        return pd.DataFrame(columns=["segment", "label", "users", "drop_off", "conversion"])
    out = pd.DataFrame({
        "segment": f["segment"].map(clean) if "segment" in f.columns else "",
        "label": f[label_col].map(clean),
        "users": pd.to_numeric(f["users"], errors="coerce").fillna(0.0).astype(float),
    })
    parts = []
    for _, g in out.groupby("segment", sort=False):
        g = g.copy()
        prev = g["users"].shift(1)
        drop = (prev - g["users"]).clip(lower=0)
        conv = g["users"] / prev.where(prev > 0)
        if "drop_off" in f.columns:
            given = pd.to_numeric(f.loc[g.index, "drop_off"], errors="coerce")
            drop = given.where(given.notna(), drop)
        if "conversion" in f.columns:
            given = pd.to_numeric(f.loc[g.index, "conversion"], errors="coerce")
            conv = given.where(given.notna(), conv)
        g["drop_off"] = drop.astype(float)
        g["conversion"] = conv.astype(float)
        g.iloc[0, g.columns.get_loc("drop_off")] = np.nan
        g.iloc[0, g.columns.get_loc("conversion")] = np.nan
        parts.append(g)
    return pd.concat(parts).reset_index(drop=True)


def _panel(ax: Axes, g: pd.DataFrame, theme: Theme, bar_w_in: float, show_labels: bool) -> None:
    n = len(g)
    users = g["users"].to_numpy(float)
    top = float(users.max()) if n and users.max() > 0 else 1.0
    xs = np.arange(n)
    bars = ax.bar(xs, users, width=0.62, color=theme.accent, zorder=3)
    for b, lab in zip(bars, g["label"]):
        b.set_gid(f"bar:{lab}")
    fg = text_on(theme.accent)
    for i, u in enumerate(users):
        d = g["drop_off"].iloc[i]
        lost = float(d) if pd.notna(d) and d > 0 else 0.0
        inside = u >= top * 0.12
        above = u + (lost if lost < top * 0.1 else 0.0)  # small ghosts: label over the whole stack
        if inside:
            ax.text(i, u - top * 0.02, fmt_number(u), ha="center", va="top", fontsize=8.5,
                    weight="bold", color=fg, zorder=4, gid=f"users:{i}")
        else:
            ax.text(i, above + top * 0.015, fmt_number(u), ha="center", va="bottom", fontsize=8.5,
                    weight="bold", zorder=4, gid=f"users:{i}")
        if lost:
            ghost = ax.bar([i], [lost], bottom=[u], width=0.62, color=DROP, alpha=0.18, zorder=2,
                           hatch="////", edgecolor=DROP, lw=0)
            ghost[0].set_gid(f"lost:{i}")
            y = u + lost + top * (0.075 if not inside and lost < top * 0.1 else 0.015)
            ax.text(i, y, f"−{fmt_number(lost)}", ha="center", va="bottom",
                    fontsize=7.5, color=DROP, zorder=4, gid=f"drop:{i}")
        c = g["conversion"].iloc[i]
        if i and pd.notna(c):
            ax.text(i - 0.5, top * 1.16, f"→ {c * 100:.0f}%", ha="center", va="center", fontsize=8,
                    color=theme.muted, zorder=4, gid=f"conversion:{i}")
    ax.set_ylim(0, top * 1.35)
    ax.set_xlim(-0.6, n - 0.4)
    ax.set_xticks(xs)
    if show_labels:
        ax.set_xticklabels(["\n".join(wrap(lab, bar_w_in * 72 - 4, 8, max_lines=3)) for lab in g["label"]],
                           fontsize=8)
    else:
        ax.tick_params(axis="x", labelbottom=False)
    ax.tick_params(axis="x", length=0)
    ax.yaxis.set_major_formatter(lambda v, _: fmt_number(v))
    ax.grid(axis="y", color=theme.grid, lw=0.6, zorder=0)
    ax.set_ylabel("users (red: lost since the previous step)", fontsize=7.5)


def funnel(frame: pd.DataFrame, *, theme: Theme | None = None, title: str = "Funnel") -> Figure:
    """Users per step with conversion and drop-off between steps (see the module docstring).

    ``fig._jt_data`` holds the plotted rows (:func:`funnel_steps`).

    >>> fig = funnel(pd.read_csv("workshops/luggage-store/evidence/funnel.csv"))   # doctest: +SKIP
    """
    theme = theme or Theme()
    steps = funnel_steps(frame)
    segments = list(dict.fromkeys(steps["segment"])) if len(steps) else []
    with theme.context():
        n = int(steps.groupby("segment").size().max()) if len(steps) else 0
        bar_w = 1.25 if n <= 10 else 0.9
        width = max(7.0, bar_w * n + 1.6)
        rows = max(len(segments), 1)
        fig = new_figure(theme, width, 1.2 + 2.9 * rows, layout="constrained")
        axes = fig.subplots(rows, 1, squeeze=False, sharex=True)[:, 0]
        fig.suptitle("\n".join(wrap(title, (width - 0.5) * 72, theme.font_size + 3, weight="bold",
                                    max_lines=1)), color=theme.accent, x=0.01, ha="left",
                     fontsize=theme.font_size + 3, weight="bold")
        if not len(steps):
            empty_axes(axes[0])
            note(axes[0], "No funnel data", theme, gid="empty-note")
        for k, (ax, seg) in enumerate(zip(axes, segments)):
            g = steps[steps["segment"] == seg]
            _panel(ax, g, theme, bar_w, show_labels=k == len(segments) - 1)
            if len(segments) > 1 or seg:
                ax.set_title(seg or "(no segment)", fontsize=theme.font_size + 1, color=theme.ink)
    fig._jt_data = steps  # type: ignore[attr-defined]  # chart metadata on the Figure
    if len(steps):
        parts = []
        for seg in segments:
            g = steps[steps["segment"] == seg]
            first, last = g["users"].iloc[0], g["users"].iloc[-1]
            worst = g["drop_off"].idxmax() if g["drop_off"].notna().any() else None
            s = (f"{seg + ': ' if seg else ''}{fmt_number(first)} users at {g['label'].iloc[0]}, "
                 f"{fmt_number(last)} at {g['label'].iloc[-1]}")
            if worst is not None and steps.loc[worst, "drop_off"] > 0:
                s += (f"; biggest drop-off before {steps.loc[worst, 'label']} "
                      f"({fmt_number(steps.loc[worst, 'drop_off'])})")
            parts.append(s)
        alt = f"Funnel of {n} steps. " + "; ".join(parts) + "."
    else:
        alt = "Funnel chart with no data."
    fig._jt_alt = alt  # type: ignore[attr-defined]  # chart metadata on the Figure
    return fig
