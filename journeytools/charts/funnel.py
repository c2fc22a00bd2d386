"""Funnel: users reaching each step of the funnel path, with the drop-off between steps.

Reads the rows of ``evidence/funnel.csv`` (SPEC §6) or any frame with ``touchpoint`` (or
``label``) and ``users``. Only the funnel path is drawn: when the frame has a ``step`` column
(``evidence/funnel.csv`` numbers the steps of the mapping's ``funnel:`` list and leaves the other
touchpoints blank, "not in funnel"), the rows with a step, in step order. Bars are labelled with
the touchpoint's ``name`` when the frame has one. ``drop_off`` and ``conversion`` are used when
present, else computed the same way (previous users − users floored at 0; users ÷ previous
users). A ``segment`` column with several values gives one panel per segment ("All users" for
the rows without one). Suppressed rows (no ``users``) are drawn as "hidden", never as 0.

A user *reaches* a touchpoint with any event of it, in any order (SPEC §6), so a later step
can have more users than the one before: such a conversion (over 100 %) is marked and
explained under the chart rather than shown as if it were a rate.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ._draw import empty_axes, note
from ._text import clean, fmt_number, fmt_percent, text_width, wrap
from .theme import Theme, new_figure, text_on

DROP = "#D55E00"
DROP_TEXT = "#B34700"  # the drop-off orange, dark enough for small text (WCAG AA on white)
OVER = "*"             # marks a conversion above 100 %, explained in a footnote
ALL_USERS = "All users"
LABEL_SIZE = 8.0
LABEL_LINES = 4
COLUMNS = ["segment", "label", "users", "drop_off", "conversion", "hidden"]


def _label_column(f: pd.DataFrame) -> str | None:
    for col in ("label", "name", "touchpoint"):
        if col in f.columns and f[col].map(clean).ne("").any():
            return col
    return None


def _path_rows(f: pd.DataFrame) -> pd.DataFrame:
    """The rows on the funnel path, in step order (all rows when the frame has no steps)."""
    if "step" not in f.columns:
        return f
    step = pd.to_numeric(f["step"], errors="coerce")
    if step.isna().all():  # no path given: every row is a step, in file order
        return f
    return f.assign(_step=step)[step.notna()].sort_values("_step", kind="mergesort").drop(columns="_step")


def funnel_steps(frame: pd.DataFrame | None) -> pd.DataFrame:
    """The plotted rows: ``segment``, ``label``, ``users`` (NaN when hidden), ``drop_off``,
    ``conversion``, ``hidden`` (a suppressed row); path steps only, per segment in step order."""
    f = frame.copy() if frame is not None else pd.DataFrame()
    label_col = _label_column(f)
    if label_col is None or "users" not in f.columns or not len(f):
        return pd.DataFrame(columns=COLUMNS)
    if "segment" not in f.columns:
        f["segment"] = ""
    f["segment"] = f["segment"].map(clean)
    f = pd.concat([_path_rows(g) for _, g in f.groupby("segment", sort=False)])
    labels = f[label_col].map(clean)
    if label_col != "touchpoint" and "touchpoint" in f.columns:  # a blank name: the id, not nothing
        labels = labels.where(labels != "", f["touchpoint"].map(clean))
    users = pd.to_numeric(f["users"], errors="coerce").astype(float)
    hidden = users.isna()
    if "suppressed" in f.columns:
        hidden |= f["suppressed"].astype(str).str.strip().str.lower().isin({"true", "1", "yes"})
    out = pd.DataFrame({"segment": f["segment"], "label": labels, "users": users.where(~hidden),
                        "hidden": hidden})
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
        g["drop_off"] = drop.astype(float).where(~g["hidden"])
        g["conversion"] = conv.astype(float).where(~g["hidden"])
        g.iloc[0, g.columns.get_loc("drop_off")] = np.nan
        g.iloc[0, g.columns.get_loc("conversion")] = np.nan
        parts.append(g)
    return pd.concat(parts).reset_index(drop=True).reindex(columns=COLUMNS)


def over_100(steps: pd.DataFrame) -> pd.DataFrame:
    """The steps whose conversion is above 100 % (more users than the step before)."""
    return steps[steps["conversion"].notna() & (steps["conversion"] > 1)]


def _explain_over(steps: pd.DataFrame) -> str:
    """The footnote for conversions above 100 %, naming the steps ('' when there are none)."""
    over = over_100(steps)
    if not len(over):
        return ""
    names = list(dict.fromkeys(over["label"]))
    where = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return (f"{OVER} More users reached {where} than the step before: a user counts at every step "
            "they have an event of, in any order, so some join the funnel part-way. Read it as "
            "“for every 100 users at the step before, this many here”, not as a rate.")


def _tick_label(label: str, slot_pt: float) -> str:
    return "\n".join(wrap(label, slot_pt, LABEL_SIZE, max_lines=LABEL_LINES))


def slot_width(labels: list[str]) -> float:
    """Inches per bar: wide enough for the longest word of any label (wrapped labels break
    between words, not inside them), at least 1.25 in."""
    words = [w for lab in labels for w in clean(lab).split(" ") if w]
    widest = max((text_width(w, LABEL_SIZE) for w in words), default=0.0)
    return max(1.25, min((widest + 10) / 72, 2.4))


def _conversion_text(c: float) -> str:
    return f"→ {fmt_percent(c)}{OVER if c > 1 else ''}"


def _panel(ax: Axes, g: pd.DataFrame, theme: Theme, slot_in: float, show_labels: bool) -> None:
    n = len(g)
    users = g["users"].to_numpy(float)
    drawn = np.nan_to_num(users, nan=0.0)
    top = float(np.nanmax(users)) if n and np.nanmax(np.append(users, 0)) > 0 else 1.0
    xs = np.arange(n)
    bars = ax.bar(xs, drawn, width=0.62, color=theme.strong, zorder=3)
    for b, lab in zip(bars, g["label"]):
        b.set_gid(f"bar:{lab}")
    fg = text_on(theme.strong)
    for i, u in enumerate(users):
        if g["hidden"].iloc[i]:
            ax.text(i, top * 0.03, "hidden\n(too few users)", ha="center", va="bottom", fontsize=7.5,
                    color=theme.muted, style="italic", zorder=4, gid=f"users:{i}")
            continue
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
                    fontsize=7.5, color=DROP_TEXT, zorder=4, gid=f"drop:{i}")
        c = g["conversion"].iloc[i]
        if i and pd.notna(c):
            ax.text(i - 0.5, top * 1.16, _conversion_text(float(c)), ha="center", va="center", fontsize=8,
                    color=theme.ink if c > 1 else theme.muted, weight="bold" if c > 1 else "normal",
                    zorder=4, gid=f"conversion:{i}")
    ax.set_ylim(0, top * 1.35)
    ax.set_xlim(-0.6, n - 0.4)
    ax.set_xticks(xs)
    if show_labels:
        ax.set_xticklabels([_tick_label(lab, slot_in * 72 - 10) for lab in g["label"]], fontsize=LABEL_SIZE)
    else:
        ax.tick_params(axis="x", labelbottom=False)
    ax.tick_params(axis="x", length=0)
    ax.yaxis.set_major_formatter(lambda v, _: fmt_number(v))
    ax.grid(axis="y", color=theme.grid, lw=0.6, zorder=0)
    ax.set_ylabel("users", fontsize=8)


def _legend_handles(theme: Theme) -> list[Patch]:
    return [Patch(facecolor=theme.strong, label="users who reached the step"),
            Patch(facecolor=to_rgba(DROP, 0.18), edgecolor=DROP, hatch="////", lw=0,
                  label="lost since the step before"),
            Patch(facecolor="none", edgecolor="none", label="→ conversion from the step before")]


def funnel(frame: pd.DataFrame, *, theme: Theme | None = None, title: str = "Funnel") -> Figure:
    """Users per funnel step with conversion and drop-off between steps (see the module
    docstring).

    ``fig._jt_data`` holds the plotted rows (:func:`funnel_steps`).

    >>> fig = funnel(pd.read_csv("workshops/luggage-store/evidence/funnel.csv"))   # doctest: +SKIP
    """
    theme = theme or Theme()
    steps = funnel_steps(frame)
    segments = list(dict.fromkeys(steps["segment"])) if len(steps) else []
    footnote = _explain_over(steps)
    with theme.context():
        n = int(steps.groupby("segment").size().max()) if len(steps) else 0
        slot = slot_width(steps["label"].tolist())
        width = max(7.0, slot * n + 1.6)
        rows = max(len(segments), 1)
        foot_lines = wrap(footnote, (width - 0.4) * 72, 7.5) if footnote else []
        foot_h = 0.14 * len(foot_lines) + 0.06 if foot_lines else 0.0
        height = 1.6 + 2.9 * rows + foot_h
        fig = new_figure(theme, width, height, layout="constrained")
        axes = fig.subplots(rows, 1, squeeze=False, sharex=True)[:, 0]
        fig.suptitle("\n".join(wrap(title, (width - 0.5) * 72, theme.font_size + 3, weight="bold",
                                    max_lines=2)), color=theme.strong, x=0.01, ha="left",
                     fontsize=theme.font_size + 3, weight="bold")
        if not len(steps):
            empty_axes(axes[0])
            note(axes[0], "No funnel data", theme, gid="empty-note")
        for k, (ax, seg) in enumerate(zip(axes, segments)):
            g = steps[steps["segment"] == seg]
            _panel(ax, g, theme, slot, show_labels=k == len(segments) - 1)
            if len(segments) > 1 or seg:
                ax.set_title(seg or ALL_USERS, fontsize=theme.font_size + 1, color=theme.ink)
        if len(steps):
            # above the first panel, right of its title: figure legends and the layout's
            # suptitle/supxlabel do not make room for each other
            leg = axes[0].legend(handles=_legend_handles(theme), loc="lower right", ncol=3,
                                 bbox_to_anchor=(1.0, 1.0), fontsize=7.5, handlelength=1.6,
                                 columnspacing=1.6, borderaxespad=0.3)
            leg.set_gid("funnel-legend")
        if foot_lines:
            # a supxlabel: the layout keeps room for it, under the legend
            fig.supxlabel("\n".join(foot_lines), fontsize=7.5, color=theme.ink, x=0.01, ha="left",
                          gid="conversion-note")
    fig._jt_data = steps  # type: ignore[attr-defined]  # chart metadata on the Figure
    fig._jt_alt = _alt(steps, segments, footnote)  # type: ignore[attr-defined]  # chart metadata on the Figure
    return fig


def _alt(steps: pd.DataFrame, segments: list[str], footnote: str) -> str:
    if not len(steps):
        return "Funnel chart with no data."
    first = steps[steps["segment"] == segments[0]]
    parts = []
    for seg in segments:
        g = steps[steps["segment"] == seg]
        shown = [f"{lab} {'hidden' if h else fmt_number(u)}"
                 + (f" ({fmt_percent(c)} of the step before)" if pd.notna(c) else "")
                 for lab, u, c, h in zip(g["label"], g["users"], g["conversion"], g["hidden"])]
        s = f"{seg or ALL_USERS}: " + ", ".join(shown)
        if g["drop_off"].notna().any() and g["drop_off"].max() > 0:
            worst = g["drop_off"].idxmax()
            s += (f"; biggest drop-off before {steps.loc[worst, 'label']} "
                  f"({fmt_number(steps.loc[worst, 'drop_off'])} users)")
        parts.append(s)
    alt = (f"Funnel of {len(first)} steps, {' → '.join(first['label'])}. Users per step: "
           + "; ".join(parts) + ".")
    return alt + (" " + footnote.lstrip(OVER + " ") if footnote else "")
