"""Current vs future state (SPEC §9): the comparison a future-state report shows."""

from __future__ import annotations

import pytest

import journeytools as jt
from journeytools import compare
from journeytools.store.future import new_future

from helpers import write_workshop


@pytest.fixture
def pair(tmp_path):
    current = jt.load(write_workshop(tmp_path / "current"))
    future = jt.load(new_future(tmp_path / "future", tmp_path / "current"))
    pp = future.pain_points
    future.pain_points = pp[pp["id"] != "no-same-day"].reset_index(drop=True)   # removed
    future.pain_points.loc[future.pain_points["id"] == "phone-wait", "severity"] = 1  # lowered
    st = future.steps
    st.loc[(st["persona"] == "commuter") & (st["touchpoint"] == "flat-tyre"), "emotion"] = 3
    future.steps = st
    op = future.opportunities
    op.loc[op["id"] == "express-slots", "status"] = "done"
    future.opportunities = op
    return current, future


def test_persona_comparison(pair):
    current, future = pair
    c = compare.compare_persona(current, future, "commuter")
    assert set(c.curves["state"]) == {"current", "future"}
    first = c.curves[c.curves["touchpoint"] == "flat-tyre"].set_index("state")["emotion"]
    assert (first["current"], first["future"]) == (2, 3)
    status = dict(zip(c.pains["id"], c.pains["status"]))
    assert status == {"no-same-day": "removed", "phone-wait": "changed"}
    booking = c.stages.set_index("id").loc["booking"]
    assert booking["current"] > booking["future"] and booking["change"] == booking["future"] - booking["current"]


def test_delivered_heatmap_and_kpis(pair):
    current, future = pair
    done = compare.delivered(current, future)
    assert done["id"].tolist() == ["express-slots"]
    assert done["pain_relieved_now"].iloc[0] == 4 * 3 * 2  # no-same-day on the current map
    change = compare.heatmap_change(current, future)
    stages = compare.stage_change(current, future)
    assert change.sum(axis=0).to_numpy() == pytest.approx(stages.set_index("id")["change"][change.columns].to_numpy())
    assert compare.kpi_targets(current, future).empty
