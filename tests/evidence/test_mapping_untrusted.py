"""A mapping file from outside: no YAML bombs, and the files it names stay in the workshop."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import journeytools as jt
from journeytools.evidence import compute_evidence
from journeytools.evidence.mapping import parse_mapping

BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
    for p, c in zip("abcdefgh", "bcdefghi")) + "touchpoints: {cart: add_to_cart}\n"


def test_yaml_bomb_is_refused_fast() -> None:
    t0 = time.perf_counter()
    with pytest.raises(jt.ValidationError) as err:
        parse_mapping(BOMB, file="mapping.yml")
    assert time.perf_counter() - t0 < 1
    assert any(p.line and ("alias" in p.message.lower() or "anchor" in p.message.lower())
               for p in err.value.problems), err.value.problems


@pytest.mark.parametrize("events", ["/etc/passwd", "../../secret.csv", "../events.csv"])
def test_events_path_must_stay_inside(events: str) -> None:
    text = f"events: {events}\ncolumns: {{user: u, event: e, timestamp: t}}\ntouchpoints: {{cart: add}}\n"
    with pytest.raises(jt.ValidationError) as err:
        parse_mapping(text, file="mapping.yml")
    (problem,) = [p for p in err.value.problems if p.column == "events"]
    assert problem.line == 1 and problem.file == "mapping.yml"


def test_symlinked_event_log_leaving_the_folder_is_refused(luggage: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("user_id,event,timestamp\nalice@example.com,purchase,2026-01-01\n", encoding="utf-8")
    link = luggage / "evidence" / "linked.csv"
    os.symlink(secret, link)
    mapping = luggage / "evidence" / "mapping.yml"
    text = mapping.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith("events:")]
    mapping.write_text("events: linked.csv\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(jt.ValidationError) as err:
        compute_evidence(luggage)
    message = " ".join(str(p) for p in err.value.problems)
    assert "outside" in message and "alice" not in message
