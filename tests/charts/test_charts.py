"""Charts: what is drawn equals the scores, texts fit, empty and huge maps render, output is
byte-for-byte reproducible."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Text

import journeytools as jt
from journeytools import scoring
from journeytools.charts import (
    Theme,
    alt_text,
    channel_coverage,
    compare_states,
    emotion_curves,
    funnel,
    journey_map,
    opportunity_ranking,
    pain_heatmap,
    priority_matrix,
    save_figure,
    score_distribution,
    theme_for,
)
from journeytools.charts._text import ELLIPSIS, shorten, wrap
from journeytools.charts.export import figure_bytes, png_bytes
from journeytools.charts.heatmaps import pain_matrix
from journeytools.charts.theme import EMOTION_COLORS, OKABE_ITO, QUADRANT_COLORS
from journeytools.vocab import number

LOW_DPI = 40  # enough to run every draw step, cheap


# -- helpers ---------------------------------------------------------------------------------
def draw(fig: Figure) -> Figure:
    """Run every draw step (layouts are measured at the figure's own dpi, so keep it)."""
    fig.canvas.draw()
    return fig


def texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def by_gid(fig: Figure, prefix: str) -> list:
    return [a for a in fig.findobj(lambda a: str(a.get_gid() or "").startswith(prefix))]


def cards(fig: Figure, prefix: str) -> list:
    """Card patches 'prefix:<id>' (their texts have a further ':body' / ':head' / ':chip')."""
    return [a for a in by_gid(fig, prefix + ":") if a.get_gid().count(":") == 1]


def one(fig: Figure, gid: str):
    found = [a for a in fig.findobj(lambda a: a.get_gid() == gid)]
    assert len(found) == 1, (gid, found)
    return found[0]


def flat(text: str) -> str:
    return " ".join(text.split())


def synthetic(n_stages: int = 20, n_personas: int = 50, steps_per_stage: int = 1,
              long_text: str | None = None) -> jt.Workshop:
    """An in-memory workshop: every persona visits every stage; pains and opportunities spread."""
    stages = [{"id": f"s{i:02d}", "name": f"Stage number {i} with a longish name",
               "goal": "A goal that needs a couple of lines to say properly in the header"}
              for i in range(n_stages)]
    channels = ["web", "app", "store", "phone", "email", "social", "chat"]
    tps = pd.DataFrame([{"id": f"t{i:02d}-{k}", "stage": s["id"], "name": f"Touchpoint {i}.{k}",
                         "channel": channels[(i + k) % len(channels)], "owner": "Team"}
                        for i, s in enumerate(stages) for k in range(max(steps_per_stage, 1))])
    personas = pd.DataFrame([{"id": f"p{j:02d}", "name": f"Persona {j}", "weight": 1 + (j % 3) * 0.5,
                              "channels": "web;app;fax"} for j in range(n_personas)])
    rows = []
    for j in range(n_personas):
        for i, tp in enumerate(tps["id"]):
            rows.append({"persona": f"p{j:02d}", "touchpoint": tp, "order": i + 1,
                         "action": long_text or f"Does thing {i}", "thought": f"Thinks {i}",
                         "emotion": 1 + (i * 7 + j) % 5, "feeling": "Mixed feelings"})
    steps = pd.DataFrame(rows)
    pains = pd.DataFrame([{"id": f"pain-{i}", "persona": "*" if i % 4 == 0 else f"p{i % n_personas:02d}",
                           "touchpoint": tps["id"].iloc[i % len(tps)],
                           "description": long_text or f"Pain {i}", "severity": 1 + i % 5,
                           "frequency": 1 + (i * 3) % 5} for i in range(min(60, 3 * n_stages))])
    opps = pd.DataFrame([{"id": f"opp-{i}", "title": f"Opportunity {i}",
                          "addresses": f"pain-{i};pain-{(i + 1) % len(pains)}", "reach": 100 * (i + 1),
                          "impact": [0.25, 0.5, 1, 2, 3][i % 5], "confidence": 0.5 + (i % 5) / 10,
                          "effort": 0.5 + (i % 7) / 2} for i in range(30)])
    meta = {"title": "Synthetic", "stages": stages,
            "branding": {"company": "Synth", "primary_color": "#3949AB"}}
    return jt.Workshop(meta, {"personas": personas, "touchpoints": tps, "steps": steps,
                              "pain_points": pains, "opportunities": opps})


def empty_workshop() -> jt.Workshop:
    return jt.Workshop({"title": "Empty", "stages": [{"id": "only", "name": "Only stage"}]}, {})


@pytest.fixture(scope="module")
def lug() -> jt.Workshop:
    return jt.load(Path(__file__).resolve().parents[2] / "workshops" / "luggage-store")


# -- theme and text --------------------------------------------------------------------------
def test_theme_takes_brand_colour_and_colour_blind_palette(lug):
    th = theme_for(lug)
    assert th.accent == lug.branding["primary_color"] == "#C2185B"
    assert th.palette == OKABE_ITO and th.font_family == "DejaVu Sans"
    bad = lug.copy()
    bad.meta["branding"] = {"primary_color": "pink"}
    assert theme_for(bad).accent == Theme().accent


def test_shorten_and_wrap():
    assert shorten("x" * 200, 50).endswith(ELLIPSIS) and len(shorten("x" * 200, 50)) == 50
    assert shorten("a short text", 50) == "a short text"
    lines = wrap("word " * 80, 100, 8, max_lines=3)
    assert len(lines) == 3 and lines[-1].endswith(ELLIPSIS)


# -- journey map -----------------------------------------------------------------------------
def test_journey_map_draws_every_stage_step_pain_and_opportunity(lug):
    fig = draw(journey_map(lug, "mia"))
    stages = by_gid(fig, "stage:")
    assert [p.get_gid() for p in stages] == [f"stage:{s}" for s in lug.stage_ids]
    names = [flat(t.get_text()) for t in by_gid(fig, "stage-name:")]
    assert names == [s.name for s in lug.stages]
    j = scoring.journey(lug, "mia")
    assert len(cards(fig, "doing")) == len(j)
    assert len([a for a in by_gid(fig, "doing:") if str(a.get_gid()).endswith(":body")]) == len(j)
    tp_texts = [flat(one(fig, f"touchpoint:{k}:body").get_text()) for k in range(1, len(j) + 1)]
    assert tp_texts == j["touchpoint_name"].tolist()
    chips = [one(fig, f"touchpoint:{k}:chip").get_text() for k in range(1, len(j) + 1)]
    assert chips == j["channel"].tolist()
    # stage columns line up: each step's card lies in its stage's header column
    xs = {s: one(fig, f"stage:{s}").get_x() for s in lug.stage_ids}
    for k, st in enumerate(j["stage"], start=1):
        card = one(fig, f"doing:{k}")
        assert xs[st] <= card.get_x() < xs[st] + one(fig, f"stage:{st}").get_width()
    # pain cards: the persona's pain points, labelled with their weighted pain, darker = worse
    pains = scoring.pain_table(lug, "mia")
    pcards = {a.get_gid()[5:]: a for a in cards(fig, "pain")}
    assert set(pcards) == set(pains["id"])
    for r in pains.itertuples():
        head = flat(one(fig, f"pain:{r.id}:head").get_text())
        assert head.startswith(f"Pain {r.weighted_pain:g}".replace(".0 ", " "))
    lum = [np.mean(pcards[i].get_facecolor()[:3]) for i in pains["id"]]  # worst first
    assert lum == sorted(lum)
    opps = scoring.opportunity_table(lug, "mia")
    ocards = {a.get_gid()[12:] for a in cards(fig, "opportunity")}
    assert ocards == set(opps["id"])
    for r in opps[opps["scored"]].itertuples():
        assert r.quadrant in one(fig, f"opportunity:{r.id}:head").get_text()


def test_journey_map_emotion_faces_follow_the_curve(lug):
    fig = journey_map(lug, "mia")
    curve = scoring.emotion_curve(lug, "mia")
    faces = one(fig, "emotion")
    y = faces.get_offsets()[:, 1]
    assert len(y) == len(curve)
    slope, icpt = np.polyfit(curve["emotion"].astype(float), y, 1)
    assert slope < 0  # y grows downwards: happier is higher on the page
    assert np.allclose(y, slope * curve["emotion"].astype(float) + icpt)
    colors = [to_hex(c).upper() for c in faces.get_facecolors()]
    assert colors == [EMOTION_COLORS[int(e) - 1] for e in curve["emotion"]]
    rings = one(fig, "moments-of-truth").get_offsets()
    assert len(rings) == int(curve["moment_of_truth"].sum())
    assert "Add to cart" in alt_text(fig) and "Mia" in alt_text(fig)


def assert_cards_hold_their_text(fig: Figure, lane: str = "doing") -> int:
    """Every card's body text lies inside its card; nothing is drawn off the figure."""
    renderer = fig.canvas.get_renderer()
    bodies = [a for a in by_gid(fig, lane + ":") if str(a.get_gid()).endswith(":body")]
    for body in bodies:
        outer = one(fig, body.get_gid()[: -len(":body")]).get_window_extent(renderer)
        inner = body.get_window_extent(renderer)
        assert outer.x0 - 1 <= inner.x0 and inner.x1 <= outer.x1 + 1, body.get_gid()
        assert outer.y0 - 1 <= inner.y0 and inner.y1 <= outer.y1 + 1, body.get_gid()
    fb = fig.bbox
    for t in texts(fig):
        bb = t.get_window_extent(renderer)
        assert fb.x0 - 1 <= bb.x0 and bb.x1 <= fb.x1 + 1 and fb.y0 - 1 <= bb.y0 and bb.y1 <= fb.y1 + 1
    return len(bodies)


def test_journey_map_shows_long_text_in_full_inside_growing_cards(lug):
    ws = lug.copy()
    st = ws.steps.copy()
    long = "Supercalifragilistic " + "very long words " * 40
    st.loc[st["persona"] == "mia", "action"] = long
    ws.steps = st
    fig = draw(journey_map(ws, "mia"))
    bodies = [a for a in by_gid(fig, "doing:") if str(a.get_gid()).endswith(":body")]
    assert len(bodies) == len(scoring.journey(ws, "mia"))
    for body in bodies:  # every word, no '…': the card grows instead
        assert flat(body.get_text()) == flat(long)
    assert assert_cards_hold_their_text(fig) == len(bodies)
    for lane in ("thinking", "touchpoint", "pain", "opportunity"):
        assert_cards_hold_their_text(fig, lane)
    # a thumbnail may still ask for cut texts
    cut = draw(journey_map(ws, "mia", max_chars=60))
    for body in [a for a in by_gid(cut, "doing:") if str(a.get_gid()).endswith(":body")]:
        text = flat(body.get_text())
        assert text.endswith(ELLIPSIS) and len(text) <= 60


def test_journey_map_scales_to_20_stages_and_8_steps_per_stage():
    small, big = synthetic(3, 2, 1), synthetic(20, 2, 8)
    f_small, f_big = journey_map(small, "p00"), journey_map(big, "p00")
    assert len(by_gid(f_big, "stage:")) == 20 and len(cards(f_big, "doing")) == 160
    assert f_big.get_figwidth() > 5 * f_small.get_figwidth()
    # eight long steps in a stage still fit their column
    crowded = synthetic(3, 1, 8, long_text="Compares every option twice, " * 6)
    fig = draw(journey_map(crowded, "p00"))
    assert assert_cards_hold_their_text(fig) == 24
    assert_cards_hold_their_text(fig, "pain")


def test_journey_map_of_persona_without_steps_or_unknown(lug):
    ws = lug.copy()
    ws.steps = ws.steps[ws.steps["persona"] != "greta"]
    fig = draw(journey_map(ws, "greta"))
    assert "No steps" in one(fig, "empty-note").get_text()
    assert len(by_gid(fig, "stage:")) == len(ws.stages)
    fig = draw(journey_map(ws, "nobody"))
    assert "Unknown persona" in one(fig, "empty-note").get_text()


# -- emotion curves --------------------------------------------------------------------------
def test_emotion_curves_plot_the_scores_and_label_moments_of_truth(lug):
    fig = draw(emotion_curves(lug))
    for pid in lug.personas["id"]:
        curve = scoring.emotion_curve(lug, pid)
        line = one(fig, f"curve:{pid}")
        assert list(line.get_ydata()) == curve["emotion"].astype(float).tolist()
        # each point sits inside its stage's band
        idx = {s: i for i, s in enumerate(lug.stage_ids)}
        assert [int(x) for x in line.get_xdata()] == [idx[s] for s in curve["stage"]]
    labels = {flat(a.get_text()) for a in by_gid(fig, "mot-label:")}
    mots = pd.concat([scoring.emotion_curve(lug, p) for p in lug.personas["id"]])
    mots = mots[mots["moment_of_truth"]]
    assert labels == set(mots["touchpoint_name"])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [s.name for s in lug.stages]


def test_emotion_curve_single_persona_and_no_emotions(lug):
    fig = draw(emotion_curves(lug, "mia"))
    assert "Mia" in fig.axes[0].get_title(loc="left")
    ws = lug.copy()
    st = ws.steps.copy()
    st["emotion"] = pd.array([None] * len(st), dtype="Int64")
    ws.steps = st
    fig = draw(emotion_curves(ws, ["mia", "andy"]))
    assert "No emotions" in one(fig, "empty-note").get_text()


def test_emotion_curves_of_many_personas_are_small_multiples():
    ws = synthetic(5, 9, 2)
    fig = draw(emotion_curves(ws))
    ids = [str(p) for p in ws.personas["id"]]
    assert list(fig._jt_facets) == ids
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 9 and len(fig.axes) == 10  # 5 columns, 2 rows, one spare hidden
    for pid in ids:
        ax = fig._jt_facets[pid]
        assert ax.get_title(loc="left") == ws.persona_name(pid)
        assert ax.get_xlim() == (0, 5) and ax.get_ylim() == (0.4, 5.6)  # same scales everywhere
        curve = scoring.emotion_curve(ws, pid)
        line = one(fig, f"curve:{pid}")
        assert line.axes is ax
        assert list(line.get_ydata()) == curve["emotion"].astype(float).tolist()
        assert [int(x) for x in line.get_xdata()] == [ws.stage_ids.index(s) for s in curve["stage"]]
        mots = curve[curve["moment_of_truth"]]
        rings = by_gid(fig, f"mot:{pid}")
        assert (len(rings[0].get_offsets()) if rings else 0) == len(mots)
    assert len(fig._jt_data) == sum(len(scoring.emotion_curve(ws, p)) for p in ids)
    assert "Persona 3" in alt_text(fig)
    # six personas or fewer: one shared axis as before
    assert len(emotion_curves(ws, ids[:6]).axes) == 1


def test_emotion_small_multiples_for_50_personas_and_persona_without_emotions():
    ws = synthetic(8, 50, 1)
    st = ws.steps.copy()
    st.loc[st["persona"] == "p03", "emotion"] = None
    ws.steps = st
    fig = emotion_curves(ws)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 50
    assert one(fig, "empty:p03").axes is fig._jt_facets["p03"]
    assert not by_gid(fig, "curve:p03")
    key = fig._supxlabel.get_text()
    assert key.startswith("Stages:") and "8 Stage number 7" in flat(key)
    a, b = figure_bytes(fig, "png", dpi=LOW_DPI), figure_bytes(emotion_curves(ws), "png", dpi=LOW_DPI)
    assert a == b


def test_compare_states_shows_both_curves_and_stage_change(lug):
    fut = lug.copy()
    st = fut.steps.copy()
    st["emotion"] = (st["emotion"] + 1).clip(upper=5)
    fut.steps = st
    fig = draw(compare_states(lug, fut, "mia"))
    cur, new = one(fig, "curve:current"), one(fig, "curve:future")
    assert list(cur.get_ydata()) == scoring.emotion_curve(lug, "mia")["emotion"].astype(float).tolist()
    assert list(new.get_ydata()) == scoring.emotion_curve(fut, "mia")["emotion"].astype(float).tolist()
    deltas = fig._jt_deltas.set_index("stage")
    for sid in lug.stage_ids:
        d = deltas.loc[sid, "delta"]
        if pd.notna(d):
            want = "Δ 0" if abs(d) < 0.05 else f"Δ {'+' if d > 0 else '−'}{number(abs(d))}"
            assert one(fig, f"delta:{sid}").get_text() == want
    assert (deltas["delta"].dropna() >= 0).all() and (deltas["delta"].dropna() > 0).any()


# -- heatmaps --------------------------------------------------------------------------------
def test_pain_heatmap_cells_equal_weighted_pain_and_columns_sum_to_stage_pain(lug):
    fig = draw(pain_heatmap(lug))
    m = pain_matrix(lug)
    assert np.allclose(m.sum(axis=0).to_numpy(), scoring.stage_pain(lug)["pain"].to_numpy())
    # a persona's own pain point counts fully; '*' pain is shared by weight
    w = scoring.persona_weights(lug)
    pains = scoring.pain_table(lug)
    own = pains[(pains["persona"] == "mia") & (pains["stage"] == "purchase")]["weighted_pain"].sum()
    star = pains[(pains["persona"] == "*") & (pains["stage"] == "purchase")]
    shared = (star["weighted_pain"] * w["mia"] / w.sum()).sum()
    assert m.loc["mia", "purchase"] == pytest.approx(own + shared)
    # drawn by seaborn: one QuadMesh of the cells (zero cells masked), a colour bar
    mesh = one(fig, "pain-cells")
    assert np.allclose(np.ma.filled(mesh.get_array(), 0.0).reshape(m.shape), m.to_numpy())
    assert fig.axes[0].collections[0].colorbar is not None
    for p in m.index:
        for s in m.columns:
            t = one(fig, f"cell:{p}:{s}").get_text()
            v = m.loc[p, s]
            assert (float(t.replace(",", "")) == pytest.approx(v, abs=0.05)) if v > 0 else t == "–"
    tick = [flat(t.get_text()) for t in fig.axes[0].get_yticklabels()]
    assert [x.split(" ×")[0] for x in tick] == [lug.persona_name(p) for p in m.index]
    hot = scoring.hottest_stage(lug)
    assert hot in alt_text(fig).lower() or dict((s.id, s.name) for s in lug.stages)[hot] in alt_text(fig)
    # the "All personas" row: stage totals with the same number format, hottest outlined
    sp = scoring.stage_pain(lug)
    for r in sp.itertuples():
        t = one(fig, f"total:{r.id}").get_text()
        assert float(t.replace(",", "")) == pytest.approx(r.pain, abs=0.05)
    assert [t.get_text() for t in fig.axes[1].get_yticklabels()] == ["All personas"]
    box = one(fig, "hottest")
    assert int(box.get_x()) == lug.stage_ids.index(hot)
    # one label per cell, none duplicated by seaborn
    assert len(by_gid(fig, "cell:")) == m.size


def test_pain_heatmap_with_light_brand_colour_keeps_outline_readable(lug):
    ws = lug.copy()
    ws.meta["branding"] = {"primary_color": "#FFE082"}
    fig = pain_heatmap(ws)
    from journeytools.charts.theme import contrast

    assert contrast(to_hex(one(fig, "hottest").get_edgecolor()), "#FFFFFF") >= 3.0
    assert contrast(fig._suptitle.get_color(), "#FFFFFF") >= 3.0


def test_score_distribution_shows_every_pain_point_by_stage(lug):
    fig = draw(score_distribution(lug))
    pains = scoring.pain_table(lug)
    data = fig._jt_data
    assert sorted(data["id"]) == sorted(pains["id"])
    sp = scoring.stage_pain(lug).set_index("id")
    summary = fig._jt_summary.set_index("stage")
    assert np.allclose(summary["total"].to_numpy(), sp["pain"].to_numpy())
    for i, sid in enumerate(lug.stage_ids):
        here = pains[pains["stage"] == sid]["weighted_pain"].astype(float)
        dots = by_gid(fig, f"pains:{sid}")
        if len(here):
            (dots,) = dots
            offsets = dots.get_offsets()
            assert sorted(offsets[:, 1]) == sorted(here)
            assert np.all(np.abs(offsets[:, 0] - i) < 0.3)  # jittered inside the stage's slot
            label = one(fig, f"total:{sid}").get_text()
            assert label.startswith(f"{len(here)} pain point")
            assert float(label.split("total ")[1].replace(",", "")) == pytest.approx(here.sum())
        else:
            assert not dots and one(fig, f"total:{sid}").get_text() == "no pain points"
    hot = scoring.hottest_stage(lug)
    assert one(fig, f"total:{hot}").get_weight() == "bold"
    assert [flat(t.get_text()) for t in fig.axes[0].get_xticklabels()] == [s.name for s in lug.stages]
    top = pains.loc[pains["weighted_pain"].astype(float).idxmax()]
    assert top["description"][:40] in alt_text(fig) and top["id"] not in alt_text(fig)  # names, not ids
    # reproducible although seaborn jitters at random; numpy's global generator left alone
    np.random.seed(5)
    before = np.random.random()
    np.random.seed(5)
    a = figure_bytes(score_distribution(lug), "png", dpi=LOW_DPI)
    assert np.random.random() == before
    assert a == figure_bytes(score_distribution(lug), "png", dpi=LOW_DPI)
    empty = score_distribution(empty_workshop())
    assert "No pain points" in one(empty, "empty-note").get_text()


def test_channel_coverage_counts_touchpoints_and_highlights_gaps():
    ws = synthetic(4, 2, 2)
    tp = ws.touchpoints
    ws.touchpoints = tp[tp["stage"] != "s02"].reset_index(drop=True)
    ws.steps = ws.steps[ws.steps["touchpoint"].isin(ws.touchpoints["id"])]
    ws.pain_points = ws.pain_points[ws.pain_points["touchpoint"].isin(ws.touchpoints["id"])]
    fig = draw(channel_coverage(ws))
    m = fig._jt_data
    assert int(m.to_numpy().sum()) == len(ws.touchpoints)
    drawn = sum(int(t.get_text()) for t in by_gid(fig, "cell:"))
    assert drawn == len(ws.touchpoints)
    assert [a.get_gid() for a in by_gid(fig, "gap-stage:")] == ["gap-stage:s02"]
    assert "gap-channel:fax" in {a.get_gid() for a in by_gid(fig, "gap-channel:")}
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("fax — not served" in flat(x) for x in labels)


# -- priorities ------------------------------------------------------------------------------
@pytest.mark.parametrize("persona", [None, "mia", "andy"])
def test_priority_matrix_points_and_colours_match_scoring(lug, persona):
    fig = draw(priority_matrix(lug, persona))
    opps = scoring.opportunity_table(lug, persona)
    scored = opps[opps["scored"]]
    assert sorted(fig._jt_data["id"]) == sorted(scored["id"])
    scored = scored.set_index("id").loc[fig._jt_data["id"]].reset_index()  # drawn big-first
    sc = one(fig, "opportunities")
    assert np.allclose(sc.get_offsets(), scored[["effort", "value"]].to_numpy(float))
    colors = [to_hex(c[:3]).upper() for c in sc.get_facecolors()]
    assert colors == [QUADRANT_COLORS[q] for q in scored["quadrant"]]
    # split lines at the map's medians
    mv, me = scoring.medians(scoring.opportunity_table(lug))
    assert one(fig, "median-effort").get_xdata()[0] == pytest.approx(me)
    assert one(fig, "median-value").get_ydata()[0] == pytest.approx(mv)
    # each point on the right side of the lines for its quadrant
    for r in scored.itertuples():
        high_v, high_e = r.value >= mv, r.effort >= me
        assert r.quadrant == {(True, False): "quick win", (True, True): "big bet",
                              (False, False): "fill-in", (False, True): "money pit"}[(high_v, high_e)]
    assert {a.get_text() for a in by_gid(fig, "quadrant:")} == {q.upper() for q in scoring.QUADRANTS}
    # sizes grow with pain relieved
    order = np.argsort(scored["pain_relieved"].to_numpy(), kind="stable")
    assert np.all(np.diff(sc.get_sizes()[order]) >= 0)
    # labels: one per point, none overlapping
    renderer = fig.canvas.get_renderer()
    labels = by_gid(fig, "label:")
    assert {a.get_gid()[6:] for a in labels} == set(scored["id"])
    boxes = [Text.get_window_extent(a, renderer) for a in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)
    unscored = opps[~opps["scored"]]
    if len(unscored):
        assert any("Unscored" in t.get_text() for t in fig.texts)


def test_opportunity_ranking_bars_are_rice_in_rank_order(lug):
    fig = draw(opportunity_ranking(lug, top=5))
    opps = scoring.opportunity_table(lug)
    top = opps[opps["scored"]].head(5)
    bars = by_gid(fig, "bar:")
    assert [b.get_gid()[4:] for b in bars] == top["id"].tolist()
    assert np.allclose([b.get_width() for b in bars], top["rice"].to_numpy())
    ticks = [flat(t.get_text()) for t in fig.axes[0].get_yticklabels()]
    assert ticks == [f"#{r.rank} {r.title}" for r in top.itertuples()]
    assert [b.get_facecolor()[:3] for b in bars] == [
        pytest.approx(tuple(int(QUADRANT_COLORS[q][i:i + 2], 16) / 255 for i in (1, 3, 5)))
        for q in top["quadrant"]]


# -- funnel ----------------------------------------------------------------------------------
def test_funnel_bars_and_drop_off():
    frame = pd.DataFrame({"touchpoint": ["a", "b", "c"], "users": [1000, 600, 540]})
    fig = draw(funnel(frame))
    bars = by_gid(fig, "bar:")
    assert [b.get_height() for b in bars] == [1000, 600, 540]
    assert [one(fig, f"drop:{i}").get_text() for i in (1, 2)] == ["−400", "−60"]
    assert [one(fig, f"conversion:{i}").get_text() for i in (1, 2)] == ["→ 60%", "→ 90%"]
    seg = pd.concat([frame.assign(segment="ios"), frame.assign(segment="web", users=[10, 5, 1])])
    fig = draw(funnel(seg))
    assert len(fig.axes) == 2 and [a.get_title(loc="left") for a in fig.axes] == ["ios", "web"]
    draw(funnel(pd.DataFrame()))


# -- robustness, determinism, export ---------------------------------------------------------
ALL = [
    lambda ws, p: journey_map(ws, p),
    lambda ws, p: emotion_curves(ws),
    lambda ws, p: emotion_curves(ws, p),
    lambda ws, p: compare_states(ws, ws, p),
    lambda ws, p: pain_heatmap(ws),
    lambda ws, p: score_distribution(ws),
    lambda ws, p: channel_coverage(ws),
    lambda ws, p: priority_matrix(ws),
    lambda ws, p: priority_matrix(ws, p),
    lambda ws, p: opportunity_ranking(ws, p),
]


def test_empty_workshop_renders_every_chart():
    ws = empty_workshop()
    for make in ALL:
        fig = make(ws, "nobody")
        figure_bytes(fig, "png", dpi=LOW_DPI)
        assert alt_text(fig)


def test_workshop_without_opportunities_or_pains(lug):
    ws = lug.copy()
    ws.opportunities = ws.opportunities.iloc[0:0]
    ws.pain_points = ws.pain_points.iloc[0:0]
    ws.votes = ws.votes.iloc[0:0]
    for make in ALL:
        figure_bytes(make(ws, "mia"), "png", dpi=LOW_DPI)


def render_all(folder: Path) -> None:
    ws = jt.load(folder)
    pid = str(ws.personas["id"].iloc[0])
    for make in ALL:
        fig = make(ws, pid)
        figure_bytes(fig, "png", dpi=LOW_DPI)
        assert alt_text(fig)


def test_every_chart_renders_for_worked_examples(example):
    render_all(example)


def test_every_chart_renders_for_starters(starter):
    render_all(starter)


def test_large_synthetic_workshop_renders_in_reasonable_time():
    ws = synthetic(20, 50, 1)
    t = time.perf_counter()
    for fig in (pain_heatmap(ws), emotion_curves(ws), channel_coverage(ws), priority_matrix(ws),
                opportunity_ranking(ws), journey_map(ws, "p07")):
        figure_bytes(fig, "png", dpi=LOW_DPI)
    assert time.perf_counter() - t < 60  # ~5 s on a quiet 2-core machine
    fig = pain_heatmap(ws)
    assert fig._jt_data.shape == (50, 20)
    assert len(by_gid(fig, "cell:")) == 1000


def test_output_is_byte_identical(lug, tmp_path):
    for make in (lambda: journey_map(lug, "andy"), lambda: priority_matrix(lug),
                 lambda: pain_heatmap(lug), lambda: score_distribution(lug),
                 lambda: emotion_curves(synthetic(4, 8, 1))):
        a = save_figure(make(), tmp_path / "a" / "chart", dpi=LOW_DPI)
        b = save_figure(make(), tmp_path / "b" / "chart", dpi=LOW_DPI)
        assert [p.suffix for p in a] == [".png", ".svg"]
        for x, y in zip(a, b):
            assert x.read_bytes() == y.read_bytes(), x.suffix
    assert b"Date" not in (tmp_path / "a" / "chart.svg").read_bytes()


def test_save_figure_replaces_suffix_and_figures_stay_out_of_pyplot(lug, tmp_path):
    import matplotlib.pyplot as plt

    fig = opportunity_ranking(lug)
    files = save_figure(fig, tmp_path / "rank.png", formats=("png",), dpi=LOW_DPI)
    assert files == [tmp_path / "rank.png"] and files[0].read_bytes()[:4] == b"\x89PNG"
    assert plt.get_fignums() == []


def test_png_bytes_is_the_one_figure_to_png(lug, tmp_path):
    """png_bytes is what notebooks, reports and the room show; save_figure writes the same."""
    fig = priority_matrix(lug)
    png = png_bytes(fig, dpi=LOW_DPI)
    assert png[:4] == b"\x89PNG" and b"Software" not in png
    assert png == figure_bytes(fig, "png", dpi=LOW_DPI) == png_bytes(fig, dpi=LOW_DPI)
    (file,) = save_figure(fig, tmp_path / "m", formats=("png",), dpi=LOW_DPI)
    assert file.read_bytes() == png
    fast = png_bytes(fig, dpi=LOW_DPI, compress_level=1)
    assert fast[:4] == b"\x89PNG" and fast != png and fast == png_bytes(fig, dpi=LOW_DPI, compress_level=1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.png"]  # no temp file left behind


def test_import_journeytools_does_not_import_matplotlib():
    code = "import sys, journeytools; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_assumed_vs_measured_plots_stage_values(luggage):
    import pandas as pd

    from journeytools import charts

    stages = pd.DataFrame({"stage": ["a", "b", "c"], "name": ["Aware", "Buy", "Use"], "segment": ["", "", ""],
                           "assumed_emotion": [3.0, 2.0, 4.5], "measured_satisfaction": [None, 3.5, 4.0]})
    fig = charts.assumed_vs_measured(stages)
    ax = fig.axes[0]
    lines = {line.get_gid(): line for line in ax.get_lines() if line.get_gid()}
    assert list(lines["assumed"].get_ydata()) == [3.0, 2.0, 4.5]
    measured = lines["measured"].get_ydata()
    assert measured[1] == 3.5 and measured[2] == 4.0
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Aware", "Buy", "Use"]
    assert "+1.5" in [t.get_text() for t in ax.texts]  # the gap at Buy is annotated
    assert "Buy: assumed 2, measured 3.5" in charts.alt_text(fig)
    empty = charts.assumed_vs_measured(stages.iloc[0:0])
    assert any(t.get_gid() == "empty-note" for t in empty.axes[0].texts)


def test_kpi_progress_bars_match_status(luggage):
    import journeytools as jt
    from journeytools import charts
    from journeytools.evidence import kpi_status

    status = kpi_status(jt.load(luggage).kpis)
    fig = charts.kpi_progress(status)
    bars = [p for p in fig.axes[0].patches]
    assert [round(b.get_width(), 6) for b in bars] == [round(p * 100, 6) for p in status["progress"]]
    ticks = sorted(zip(fig.axes[0].get_yticks(), (t.get_text() for t in fig.axes[0].get_yticklabels())), reverse=True)
    assert [" ".join(label.split()) for _, label in ticks] == [  # first KPI on top, by name
        "Conversion · cart", "Conversion · camera-page", "CSAT · delivery", "NPS · advocacy"]
    named = charts.kpi_progress(status, ws=jt.load(luggage))
    labels = [" ".join(t.get_text().split()) for t in named.axes[0].get_yticklabels()]
    assert "Conversion · Add to cart and cart page" in labels and "NPS · Sharing & loyalty" in labels
    assert "cart-conversion" not in charts.alt_text(named)
