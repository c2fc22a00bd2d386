"""--persona takes an id in any case; a display name (or something close) gets "did you mean"."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import journeytools as jt
from journeytools.cli import app
from journeytools.errors import NotFound, persona_id, suggest
from journeytools.export import export

from helpers import write_workshop

runner = CliRunner()


@pytest.fixture
def ws(tmp_path):
    return write_workshop(tmp_path / "ws")


def test_persona_id_rules(ws):
    w = jt.load(ws)
    assert persona_id(w, " Commuter ") == "commuter"
    for given, meant in (("Carla the commuter", "commuter"), ("carla THE commuter", "commuter"),
                         ("Ravi", "racer"), ("comuter", "commuter"), ("the racer", "racer")):
        with pytest.raises(NotFound) as info:
            persona_id(w, given)
        assert info.value.suggestion == meant, given
        assert f"unknown persona {given.strip()!r} (did you mean {meant!r}?); expected one of: " \
               "commuter, racer" == str(info.value)
    with pytest.raises(NotFound) as info:
        persona_id(w, "zed")
    assert info.value.suggestion is None and "did you mean" not in str(info.value)


def test_suggest_prefers_an_exact_name():
    people = {"mia": "Mia", "greta": "Greta the gift buyer", "andy": "Andy"}
    assert suggest("Greta the gift buyer", people) == "greta"
    assert suggest("GRETA THE GIFT BUYER", people) == "greta"
    assert suggest("gift buyer", people) == "greta"
    assert suggest("the", {"a": "Ann the first", "b": "Bo the second"}) is None  # ambiguous


@pytest.mark.parametrize("command", [["score"], ["export", "--to", "markdown"],
                                     ["export", "--to", "mermaid"]])
def test_display_name_suggests_the_id(ws, command):
    r = runner.invoke(app, [command[0], str(ws), *command[1:], "--persona", "Carla the commuter"])
    assert r.exit_code == 1
    assert r.output == ("error: unknown persona 'Carla the commuter' (did you mean 'commuter'?); "
                        "expected one of: commuter, racer\n")


@pytest.mark.parametrize("command", [["score", "--format", "csv"], ["export", "--to", "mermaid"]])
def test_id_in_any_case(ws, command):
    upper = runner.invoke(app, [command[0], str(ws), *command[1:], "--persona", "RACER"])
    lower = runner.invoke(app, [command[0], str(ws), *command[1:], "--persona", "racer"])
    assert upper.exit_code == 0, upper.output
    assert upper.output == lower.output


def test_export_api_persona(ws):
    assert export(ws, "mermaid", persona=" Racer ").text == export(ws, "mermaid", persona="racer").text
    with pytest.raises(NotFound, match=r"\(did you mean 'racer'\?\)"):
        export(ws, "mermaid", persona="Ravi the racer")
