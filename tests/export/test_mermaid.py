"""Mermaid export: every diagram is accepted by Mermaid's own parser and keeps every text."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journeytools as jt
from journeytools.export import export
from journeytools.export.mermaid import NEUTRAL, NO_EMOTION, SEPARATOR, diagram, escape, render
from journeytools.scoring import journey

from export_helpers import PARSE_SCRIPT, ROOT, need_mermaid


def expected(ws: jt.Workshop, persona: str) -> dict:
    """What Mermaid should understand from the diagram of ``persona``, text for text."""
    name = ws.persona_name(persona)
    steps = journey(ws, persona)
    stages = {s.id: s.name for s in ws.stages}
    tasks, sections = [], []
    for r in steps.itertuples(index=False):
        section = stages[r.stage]
        if not sections or sections[-1] != section:
            sections.append(section)
        task = r.touchpoint_name + (f" — {r.feeling}" if r.feeling.strip() else "")
        scored = not pd.isna(r.emotion)
        tasks.append({"section": section, "task": task + ("" if scored else NO_EMOTION),
                      "score": int(r.emotion) if scored else NEUTRAL, "people": [name]})
    return {"title": f"{name}: {ws.title}", "sections": sections, "tasks": tasks}


def check_persona(parse, ws: jt.Workshop, persona: str) -> None:
    result = parse(diagram(ws, persona))
    assert result["ok"], result.get("error")
    assert result["type"] == "journey"
    assert result["journey"] == expected(ws, persona)


def test_every_example_parses_and_keeps_its_text(example: Path, mermaid_parse) -> None:
    ws = jt.load(example)
    for persona in ws.personas["id"]:
        check_persona(mermaid_parse, ws, persona)


def test_luggage_diagram_reads_well(luggage: Path) -> None:
    text = export(luggage, "mermaid", persona="mia").text
    assert text is not None
    lines = text.splitlines()
    assert lines[0] == "journey"
    assert lines[1] == "  title Mia#58; Online luggage store — purchase journey"
    assert "  section Sharing & loyalty" in lines
    assert "    Add to cart and cart page — Frustrated and suspicious: 1: Mia" in lines


def test_steps_without_emotion_are_neutral_and_noted(luggage: Path, mermaid_parse) -> None:
    ws = jt.load(luggage)
    first = ws.steps.index[ws.steps["persona"] == "mia"][0]
    ws.steps.loc[first, "emotion"] = pd.NA
    text = diagram(ws, "mia")
    assert f"{NO_EMOTION}: {NEUTRAL}: Mia" in text
    assert "%% 1 step without an emotion shown as neutral (3)" in text
    check_persona(mermaid_parse, ws, "mia")


def test_escape_uses_entity_codes_and_drops_nothing() -> None:
    assert escape("Pay: card #1; 50% off") == "Pay#58; card #35;1#59; 50#37; off"
    assert escape("line\nbreak") == "line#10;break"
    assert escape("Smith, Jo", also=",") == "Smith#44; Jo"
    assert escape("Journey planner") == "#74;ourney planner"  # not the 'journey' keyword
    assert escape(" padded ") == "#32;padded#32;"


def test_all_personas_in_one_file_and_the_script_checks_them(luggage: Path, tmp_path: Path) -> None:
    node = need_mermaid()
    out = export(luggage, "mermaid", tmp_path / "all.mmd").path
    assert out is not None
    assert out.read_text(encoding="utf-8").count(SEPARATOR) == 3
    done = subprocess.run([node, str(PARSE_SCRIPT), str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count('"ok":true') == 3
    md = export(luggage, "mermaid", tmp_path / "all.md").path
    assert md is not None and md.read_text(encoding="utf-8").count("```mermaid") == 3
    done = subprocess.run([node, str(PARSE_SCRIPT), str(md)], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stdout


def test_the_script_fails_on_a_broken_diagram(tmp_path: Path) -> None:
    node = need_mermaid()
    bad = tmp_path / "bad.mmd"
    bad.write_text("journey\n  title x\n  section s\n    Pay; now: 5: a\n")
    unscored = tmp_path / "unscored.mmd"
    unscored.write_text("journey\n  title x\n  section s\n    Pay: now: 5: a\n")
    for path in (bad, unscored):
        done = subprocess.run([node, str(PARSE_SCRIPT), str(path)], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode != 0, path.read_text()
        assert '"ok":false' in done.stdout


# Text built to break the journey grammar: its separators, comment starters, keywords,
# HTML, entity look-alikes, control characters and edge whitespace, mixed with anything.
NASTY = st.sampled_from([
    ":", "#", ";", "%%", "%", ",", "\n", "\r\n", "\t", " ", "journey", "title ", "section ",
    "accTitle: x", "accDescr {", "#58;", "&amp;", "<br>", "<b x=\"y\">", "}", "{", "\\",
    "style a:#f00;", "---", "\u2028", "\x0b", "\ufeff", "\u00a0", "'", '"', "`", "|", "-->",
])
TEXT = st.lists(st.one_of(NASTY, st.text(st.characters(blacklist_categories=("Cs",)),
                                         max_size=6)), min_size=1, max_size=6).map("".join)
LABEL = TEXT.filter(lambda s: s.strip() != "")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(persona=LABEL, title=LABEL, stage=LABEL, touchpoint=LABEL, feeling=TEXT,
       emotion=st.one_of(st.none(), st.integers(1, 5)))
def test_adversarial_text_survives_the_parser(base_ws: jt.Workshop, mermaid_parse, persona: str,
                                              title: str, stage: str, touchpoint: str,
                                              feeling: str, emotion: int | None) -> None:
    ws = base_ws.copy()
    ws.meta["title"] = title
    ws.meta["stages"][0]["name"] = stage
    ws.personas.loc[0, "name"] = persona
    ws.touchpoints.loc[0, "name"] = touchpoint
    ws.steps.loc[0, "feeling"] = feeling
    ws.steps["emotion"] = ws.steps["emotion"].astype("Int64")
    ws.steps.loc[0, "emotion"] = pd.NA if emotion is None else emotion
    check_persona(mermaid_parse, ws, str(ws.personas["id"][0]))


@pytest.fixture(scope="module")
def base_ws() -> jt.Workshop:
    """A tiny workshop whose texts the adversarial test replaces."""
    return jt.Workshop(
        {"title": "t", "stages": [{"id": "one", "name": "One"}, {"id": "two", "name": "Two"}]},
        {"personas": pd.DataFrame({"id": ["p"], "name": ["P"]}, dtype="str"),
         "touchpoints": pd.DataFrame({"id": ["a", "b"], "stage": ["one", "two"],
                                      "name": ["A", "B"], "channel": ["web", "web"]}, dtype="str"),
         "steps": pd.DataFrame({"persona": ["p", "p"], "touchpoint": ["a", "b"],
                                "emotion": pd.array([4, 2], dtype="Int64"),
                                "feeling": ["ok", "meh"]})})


def test_render_fenced_has_a_block_per_persona(luggage: Path) -> None:
    ws = jt.load(luggage)
    md = render(ws, fenced=True)
    assert md.count("```mermaid") == len(ws.personas)
    assert "## Mia" in md
