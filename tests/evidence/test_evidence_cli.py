"""The `evidence` command: thin, exit 1 with file/column on bad input."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from journeytools.cli.evidence import register


def app() -> typer.Typer:
    from journeytools.cli import app as main_app

    if not any(c.name == "evidence" or (c.callback and c.callback.__name__ == "evidence")
               for c in main_app.registered_commands):
        register(main_app)
    return main_app


def test_cli_writes_and_prints(shop):
    res = CliRunner().invoke(app(), ["evidence", str(shop), "--events", str(shop / "tiny_events.csv"),
                                     "--mapping", str(shop / "tiny_mapping.yml"),
                                     "--segment", "platform", "--min-users", "2"])
    assert res.exit_code == 0, res.output
    assert "Funnel" in res.output and "possible pain point at checkout" in res.output
    assert (shop / "evidence" / "funnel.csv").exists()


def test_cli_bad_input_exit_1(shop):
    (shop / "e.csv").write_text("uid,event,timestamp\nu1,view_item,2026-10-01\n")
    res = CliRunner().invoke(app(), ["evidence", str(shop), "--events", str(shop / "e.csv"),
                                     "--mapping", str(shop / "tiny_mapping.yml")])
    assert res.exit_code == 1
    assert "user_id" in res.output and "e.csv" in res.output
    assert not (shop / "evidence").exists()


def test_cli_unusable_paths_are_clean_errors(shop):
    (shop / "logs").mkdir()
    for events, message in ((shop / "logs", "is a folder; expected the event log file"),
                            (shop / "nope.csv", "event log not found"),
                            ("s3://bucket/events.csv", "must be a local file, not a URL")):
        res = CliRunner().invoke(app(), ["evidence", str(shop), "--events", str(events),
                                         "--mapping", str(shop / "tiny_mapping.yml")])
        assert res.exit_code == 1, res.output
        assert message in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(app(), ["evidence", str(shop), "--events", str(shop / "tiny_events.csv"),
                                     "--mapping", str(shop / "tiny_mapping.yml"),
                                     "--survey", str(shop / "logs")])
    assert res.exit_code == 1 and "expected the survey CSV file" in res.output
    assert not (shop / "evidence").exists()
