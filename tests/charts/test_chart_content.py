"""What the charts say to a client: the funnel path only, no unexplained conversion above 100 %,
labels wrapped between words, personas told apart without colour, matrix labels that do not
overlap, a key to the quadrants, and names (not ids) in pictures and alt text."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

import journeytools as jt
from journeytools import scoring
from journeytools.charts import (
    alt_text,
    assumed_vs_measured,
    compare_states,
    emotion_curves,
    funnel,
    kpi_progress,
    priority_matrix,
    score_distribution,
)
from journeytools.charts._text import text_width, wrap
from journeytools.charts.gallery import illustrative_future
from journeytools.evidence import kpi_status
from journeytools.vocab import number

ROOT = Path(__file__).resolve().parents[2]
LUGGAGE = ROOT / "workshops" / "luggage-store"
PERCENT = re.compile(r"(\d[\d,]*(?:\.\d+)?)%")


def draw(fig: Figure) -> Figure:
    fig.canvas.draw()
    return fig


def by_gid(fig: Figure, prefix: str) -> list:
    return list(fig.findobj(lambda a: str(a.get_gid() or "").startswith(prefix)))


def flat(text: str) -> str:
    return " ".join(text.split())


def boxes(fig: Figure, artists: list) -> list[Bbox]:
    rend = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    return [Text.get_window_extent(a, rend) for a in artists]


def assert_apart(named: dict[str, Bbox]) -> None:
    items = list(named.items())
    for i, (a, ba) in enumerate(items):
        for b, bb in items[i + 1:]:
            assert not ba.overlaps(bb), f"labels {a!r} and {b!r} overlap"


@pytest.fixture(scope="module")
def lug() -> jt.Workshop:
    return jt.load(LUGGAGE)


@pytest.fixture(scope="module")
def lug_funnel() -> pd.DataFrame:
    return pd.read_csv(LUGGAGE / "evidence" / "funnel.csv", keep_default_na=False, na_values=[""])


# -- funnel ----------------------------------------------------------------------------------
def test_funnel_draws_only_the_funnel_path_by_name(lug, lug_funnel):
    fig = draw(funnel(lug_funnel))
    path = lug_funnel[lug_funnel["step"].notna()]
    segments = list(dict.fromkeys(path["segment"].fillna("")))
    assert len(fig.axes) == len(segments) == 3
    for ax, seg in zip(fig.axes, segments):
        rows = path[path["segment"].fillna("") == seg].sort_values("step")
        bars = [b for b in by_gid(fig, "bar:") if b.axes is ax]
        assert [b.get_gid()[4:] for b in bars] == rows["name"].tolist()  # names, in step order
        assert [b.get_height() for b in bars] == rows["users"].astype(float).tolist()
    off_path = set(lug_funnel.loc[lug_funnel["step"].isna(), "name"])
    drawn = {b.get_gid()[4:] for b in by_gid(fig, "bar:")}
    assert off_path and not drawn & off_path  # "not in funnel" touchpoints are not steps
    ticks = [flat(t.get_text()) for t in fig.axes[-1].get_xticklabels()]
    assert ticks == path[path["segment"].fillna("") == ""].sort_values("step")["name"].tolist()
    assert [ax.get_title(loc="left") for ax in fig.axes] == ["All users", "desktop", "mobile"]
    # every number in the one format
    users = [t.get_text() for t in by_gid(fig, "users:")]
    assert users == [number(u) for seg in segments
                     for u in path[path["segment"].fillna("") == seg].sort_values("step")["users"]]
    alt = alt_text(fig)
    assert "Luggage product page" in alt and "product-page" not in alt and "Live chat" not in alt


def test_funnel_conversions_are_at_most_100_percent_or_explained(lug_funnel):
    fig = draw(funnel(lug_funnel))
    shown = [t.get_text() for t in by_gid(fig, "conversion:")]
    assert shown and all(float(PERCENT.search(s).group(1)) <= 100 for s in shown)  # type: ignore[union-attr]
    assert not by_gid(fig, "conversion-note")
    # a user can reach a later step without the earlier one (SPEC §6): more users than before
    frame = pd.DataFrame({"touchpoint": ["ad", "page", "cart"], "name": ["Paid social ad", "Product page", "Cart"],
                          "step": [1, 2, 3], "users": [500, 1100, 440]})
    fig = draw(funnel(frame))
    for t in by_gid(fig, "conversion:"):
        pct = float(PERCENT.search(t.get_text()).group(1).replace(",", ""))  # type: ignore[union-attr]
        assert pct <= 100 or t.get_text().endswith("*"), t.get_text()
    (note,) = by_gid(fig, "conversion-note")
    assert flat(note.get_text()).startswith("* More users reached Product page than the step before")
    assert "in any order" in flat(note.get_text()) and "in any order" in alt_text(fig)


def test_funnel_hidden_step_is_not_zero_and_legend_matches_the_drawing():
    frame = pd.DataFrame({"touchpoint": ["a", "b", "c"], "users": [900, None, 300],
                          "suppressed": [False, True, False], "step": [1, 2, 3]})
    fig = draw(funnel(frame))
    assert "hidden" in by_gid(fig, "users:1")[0].get_text()
    assert not by_gid(fig, "drop:") and not by_gid(fig, "conversion:")  # nothing next to a hidden count
    assert "b hidden" in alt_text(fig) and " 0" not in alt_text(fig)
    legend = by_gid(fig, "funnel-legend")[0]
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts[1] == "lost since the step before"
    lost = legend.legend_handles[1]
    assert lost.get_hatch() == "////"
    assert not any("red" in t for t in texts)
    assert all("segment" not in ax.get_title(loc="left") for ax in fig.axes)


def test_frame_without_steps_is_all_path_in_file_order():
    frame = pd.DataFrame({"touchpoint": ["a", "b"], "users": [10, 4]})
    fig = draw(funnel(frame))
    assert [b.get_gid() for b in by_gid(fig, "bar:")] == ["bar:a", "bar:b"]
    assert not any(ax.get_title(loc="left") for ax in fig.axes)


# -- wrapping --------------------------------------------------------------------------------
WORDS = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzéß-/ABC"), min_size=1, max_size=18)


@settings(max_examples=80, deadline=None)
@given(words=st.lists(WORDS, min_size=1, max_size=12), width=st.floats(40, 200))
def test_wrap_never_splits_a_word_that_fits(words, width):
    lines = wrap(" ".join(words), width, 8)
    pieces = [p for line in lines for p in line.split(" ")]
    for w in words:
        if text_width(w, 8) <= max(width, 8):
            assert w in pieces, (w, lines)
    assert "".join(pieces) == "".join(words)  # nothing dropped, nothing added


def test_long_ids_break_after_hyphens_not_mid_word():
    assert wrap("instagram-post", 61, 8) == ["instagram-", "post"]
    assert wrap("order-confirmation-email", 61, 8) == ["order-", "confirmation-", "email"]


def test_funnel_tick_labels_break_between_words(lug_funnel):
    fig = draw(funnel(lug_funnel))
    for tick, name in zip(fig.axes[-1].get_xticklabels(), lug_funnel["name"]):
        lines = tick.get_text().split("\n")
        words = [w for line in lines for w in line.split(" ")]
        assert words == name.split(" ")


# -- emotion curves --------------------------------------------------------------------------
def test_emotion_personas_get_distinct_markers_and_names_at_line_ends(lug):
    fig = draw(emotion_curves(lug))
    ids = [str(p) for p in lug.personas["id"]]
    markers = [by_gid(fig, f"points:{p}")[0].get_marker() for p in ids]
    assert len(set(markers)) == len(ids)
    ends = {a.get_gid()[10:]: a for a in by_gid(fig, "end-label:")}
    assert set(ends) == set(ids)
    for pid, ann in ends.items():
        assert flat(ann.get_text()) == lug.persona_name(pid)
        last = scoring.emotion_curve(lug, pid)["emotion"].iloc[-1]
        assert ann.xy[1] == pytest.approx(float(last))  # anchored at the curve's last point
    labels = by_gid(fig, "end-label:") + by_gid(fig, "mot-label:")
    assert_apart({a.get_gid(): b for a, b in zip(labels, boxes(fig, labels))})


def emotion_labels_apart(folder: Path) -> None:
    fig = draw(emotion_curves(jt.load(folder)))
    labels = by_gid(fig, "end-label:") + by_gid(fig, "mot-label:")
    assert labels
    assert_apart({a.get_gid(): b for a, b in zip(labels, boxes(fig, labels))})


def test_emotion_labels_do_not_overlap_in_starters(starter):
    emotion_labels_apart(starter)


def test_emotion_labels_do_not_overlap_in_worked_examples(example):
    emotion_labels_apart(example)


def test_compare_states_legend_entries_differ(lug):
    fig = draw(compare_states(lug, illustrative_future(lug), "mia"))
    entries = [flat(t.get_text()) for t in fig.legends[0].get_texts()][:2]
    assert entries[0] != entries[1]
    assert entries[0] == f"current state: {lug.title}"
    assert entries[1].endswith("(illustrative future)") and "…" not in entries[0]
    same = draw(compare_states(lug, lug, "mia"))
    assert [flat(t.get_text()) for t in same.legends[0].get_texts()][:2] == ["current state", "future state"]


# -- impact / effort matrix ------------------------------------------------------------------
def matrix_labels(fig: Figure) -> dict[str, Bbox]:
    labels = by_gid(fig, "label:")
    return {a.get_gid(): b for a, b in zip(labels, boxes(fig, labels))}


def matrix_labels_apart(folder: Path) -> None:
    ws = jt.load(folder)
    for persona in (None, str(ws.personas["id"].iloc[0])):
        fig = draw(priority_matrix(ws, persona))
        named = matrix_labels(fig)
        assert len(named) == min(len(fig._jt_data), 20)
        assert_apart(named)
        # nor do they cover the quadrant names in the corners
        corners = by_gid(fig, "quadrant:")
        for q, cb in zip(corners, boxes(fig, corners)):
            for gid, lb in named.items():
                assert not cb.overlaps(lb), (gid, q.get_text())


def test_matrix_labels_do_not_overlap_in_starters(starter):
    matrix_labels_apart(starter)


def test_matrix_labels_do_not_overlap_in_worked_examples(example):
    matrix_labels_apart(example)


def test_matrix_explains_quadrants_and_ranks(lug):
    fig = draw(priority_matrix(lug))
    (key,) = by_gid(fig, "quadrant-key")
    text = " ".join(flat(t.get_text()) for t in key.get_texts())
    for q in scoring.QUADRANTS:
        assert q.capitalize() in text
    assert "medians" in text and "a point on a line counts as high" in text
    assert "value ÷ effort" in text  # why a fill-in can be ranked first
    opps = scoring.opportunity_table(lug).set_index("id")
    for ann in by_gid(fig, "label:"):
        oid = ann.get_gid()[6:]
        assert flat(ann.get_text()) == f"{int(opps.loc[oid, 'rank'])}. {opps.loc[oid, 'title']}"
    # the key sits beside the axes, not over the points
    ax_box = fig.axes[0].get_window_extent(fig.canvas.get_renderer())  # type: ignore[attr-defined]
    assert key.get_window_extent().x0 >= ax_box.x1


# -- names, not ids --------------------------------------------------------------------------
def _ids_not_in_names(ws: jt.Workshop) -> set[str]:
    """Ids that would only appear in a text if the id itself were printed."""
    texts = " ".join(str(x) for frame, cols in (
        (ws.touchpoints, ["name"]), (ws.pain_points, ["description"]), (ws.opportunities, ["title"]),
        (ws.personas, ["name"])) for c in cols for x in frame[c]).lower() + " " + ws.title.lower()
    texts += " " + " ".join(s.name.lower() for s in ws.stages)
    ids = set(ws.touchpoints["id"]) | set(ws.pain_points["id"]) | set(ws.opportunities["id"]) | set(ws.kpis["id"])
    return {i for i in ids if "-" in i and i not in texts}


def test_alt_text_names_things_by_name(lug, lug_funnel):
    ids = _ids_not_in_names(lug)
    assert "cart-conversion" in ids and "fix-cart-error" in ids
    figs = {
        "emotion": emotion_curves(lug), "matrix": priority_matrix(lug), "distribution": score_distribution(lug),
        "funnel": funnel(lug_funnel),
        "kpi": kpi_progress(kpi_status(lug.kpis), ws=lug),
        "assumed": assumed_vs_measured(pd.read_csv(LUGGAGE / "evidence" / "stages.csv",
                                                   keep_default_na=False, na_values=[""])),
    }
    for what, fig in figs.items():
        alt = alt_text(fig)
        leaked = {i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", alt)}
        assert not leaked, (what, leaked)
        draw(fig)
        shown = " ".join(t.get_text() for t in fig.findobj(Text) if t.get_visible())
        leaked = {i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", shown)}
        assert not leaked, (what, leaked)
    assert "Conversion · Add to cart and cart page" in alt_text(figs["kpi"])
    assert "Fix the add-to-cart" in alt_text(figs["matrix"])


def test_chart_numbers_use_the_one_format(lug):
    fig = draw(kpi_progress(kpi_status(lug.kpis), ws=lug))
    texts = [t.get_text() for t in by_gid(fig, "kpi-value:")]
    assert texts[0].startswith("25% · 61.5% now; baseline 58%, target 72%")
    assert any(t.startswith("−9%") for t in texts)  # a true minus, no "-9.0%"
    fig = draw(score_distribution(lug))
    totals = [flat(t.get_text()) for t in by_gid(fig, "total:")]
    sp = scoring.stage_pain(lug)
    for text, pain in zip(totals, sp["pain"]):
        assert text == "no pain points" or text.endswith(f"total {number(pain)}")
    assert not any(re.search(r"\d\.0\b", t) for t in totals)


def test_direct_labels_are_readable_on_white(lug):
    from journeytools.charts.theme import contrast

    fig = draw(emotion_curves(lug))
    for ann in by_gid(fig, "end-label:") + by_gid(fig, "mot-label:"):
        from matplotlib.colors import to_hex

        assert contrast(to_hex(ann.get_color()), "#FFFFFF") >= 4.5, ann.get_gid()
    assert np.isfinite([a.xy[0] for a in by_gid(fig, "end-label:")]).all()


def test_emotion_curve_marks_moments_of_delight():
    import journeytools as jt
    from journeytools import charts, scoring

    ws = jt.load(Path(__file__).resolve().parents[2] / "workshops" / "luggage-store")
    fig = charts.emotion_curves(ws, "mia")
    stars = [c for c in fig.axes[0].collections if c.get_gid() == "delight:mia"]
    curve = scoring.emotion_curve(ws, "mia")
    assert len(stars) == 1 and len(stars[0].get_offsets()) == int(curve["delight"].sum()) > 0
    assert "moment of delight" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_journey_map_marks_moments_of_delight():
    import journeytools as jt
    from journeytools import charts, scoring

    ws = jt.load(Path(__file__).resolve().parents[2] / "workshops" / "luggage-store")
    fig = charts.journey_map(ws, "andy")
    stars = [c for c in fig.axes[0].collections if c.get_gid() == "moments-of-delight"]
    assert len(stars) == 1 and len(stars[0].get_offsets()) == int(scoring.emotion_curve(ws, "andy")["delight"].sum())
