"""Property: save → load round-trips arbitrary valid workshops exactly."""

from __future__ import annotations

import string

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeytools as jt
from journeytools.model.schema import IMPACT_VALUES, SOURCES

slug = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=6).map(lambda s: "a" + s)
# Free text: anything a person could type into Excel, including quotes, delimiters,
# line breaks, tabs, leading/trailing spaces and non-Latin scripts (no NUL, no lone surrogates).
text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
nonblank = text.filter(lambda s: s.strip() != "")


@st.composite
def workshops(draw):
    stages = draw(st.lists(slug, min_size=1, max_size=4, unique=True))
    pids = draw(st.lists(slug, min_size=1, max_size=3, unique=True))
    tids = draw(st.lists(slug, min_size=1, max_size=4, unique=True))
    personas = pd.DataFrame({
        "id": pids, "name": [draw(nonblank) for _ in pids],
        "quote": [draw(text) for _ in pids],
        "weight": pd.array([draw(st.one_of(st.none(), st.floats(0.01, 100, allow_nan=False)))
                            for _ in pids], dtype="float64"),
        "Extra Notes": [draw(text) for _ in pids],
    })
    touchpoints = pd.DataFrame({"id": tids, "stage": [draw(st.sampled_from(stages)) for _ in tids],
                                "name": [draw(nonblank) for _ in tids]})
    n_steps = draw(st.integers(0, 5))
    steps = pd.DataFrame({
        "persona": [draw(st.sampled_from(pids)) for _ in range(n_steps)],
        "touchpoint": [draw(st.sampled_from(tids)) for _ in range(n_steps)],
        "order": pd.array([draw(st.one_of(st.none(), st.integers(-5, 50))) for _ in range(n_steps)], dtype="Int64"),
        "action": [draw(text) for _ in range(n_steps)],
        "emotion": pd.array([draw(st.one_of(st.none(), st.integers(1, 5))) for _ in range(n_steps)], dtype="Int64"),
    })
    ppids = draw(st.lists(slug.map(lambda s: "p" + s), max_size=4, unique=True))
    pains = pd.DataFrame({
        "id": ppids, "persona": [draw(st.sampled_from(pids + ["*"])) for _ in ppids],
        "touchpoint": [draw(st.sampled_from(tids)) for _ in ppids],
        "description": [draw(nonblank) for _ in ppids],
        "severity": pd.array([draw(st.integers(1, 5)) for _ in ppids], dtype="Int64"),
        "frequency": pd.array([draw(st.integers(1, 5)) for _ in ppids], dtype="Int64"),
        "source": [draw(st.sampled_from(SOURCES + ("",))) for _ in ppids],
    })
    oids = draw(st.lists(slug.map(lambda s: "o" + s), max_size=3, unique=True))
    opps = pd.DataFrame({
        "id": oids, "title": [draw(nonblank) for _ in oids],
        "addresses": [";".join(draw(st.lists(st.sampled_from(ppids), unique=True, max_size=2))) if ppids else ""
                      for _ in oids],
        "reach": pd.array([draw(st.one_of(st.none(), st.floats(0, 1e7, allow_nan=False))) for _ in oids],
                          dtype="float64"),
        "impact": pd.array([draw(st.one_of(st.none(), st.sampled_from(IMPACT_VALUES))) for _ in oids],
                           dtype="float64"),
        "confidence": pd.array([draw(st.one_of(st.none(), st.floats(0, 1, allow_nan=False))) for _ in oids],
                               dtype="float64"),
        "effort": pd.array([draw(st.one_of(st.none(), st.floats(0.001, 1000, allow_nan=False))) for _ in oids],
                           dtype="float64"),
    })
    meta = {"title": draw(nonblank), "stages": [{"id": s, "name": draw(nonblank)} for s in stages],
            "scope": draw(text)}
    tables = {"personas": personas, "touchpoints": touchpoints, "steps": steps,
              "pain_points": pains, "opportunities": opps}
    for frame in tables.values():
        for col in frame.columns:
            if frame[col].dtype == object:
                frame[col] = frame[col].astype("str")
    return jt.Workshop(meta, tables)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(ws=workshops())
def test_save_load_roundtrip(tmp_path_factory, ws):
    folder = tmp_path_factory.mktemp("ws")
    jt.save(ws, folder)
    loaded = jt.load(folder)
    assert loaded == ws
    # and saving what was loaded writes the same bytes again
    again = tmp_path_factory.mktemp("again")
    jt.save(loaded, again)
    for f in folder.iterdir():
        if f.suffix in (".csv", ".yml"):
            assert (again / f.name).read_bytes() == f.read_bytes(), f.name
