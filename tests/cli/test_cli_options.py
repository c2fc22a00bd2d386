"""One rule for option values: ids in any case, surrounding blanks ignored; an unknown value
names the choices and the one probably meant. Fixed lists (--to, --format, --pdf-engine,
--kernels) are checked by the CLI before any work (exit 2); names from the workshop or the
installation (--persona, --template) by the command (exit 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeytools.report.build as build
from journeytools.cli import app
from journeytools.cli.export import FORMATS
from journeytools.errors import NotFound, pick
from journeytools.export import EXPORTERS

from helpers import write_workshop

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def ws(tmp_path):
    return write_workshop(tmp_path / "ws")


def test_pick():
    assert pick("format", " HTML ", ("html", "pdf")) == "html"
    assert pick("mode", "Fresh", ["fork", "warm", "fresh"]) == "fresh"
    with pytest.raises(NotFound) as info:
        pick("format", "jsn", ("table", "csv", "json"))
    assert str(info.value) == "unknown format 'jsn' (did you mean 'json'?); expected one of: table, csv, json"
    assert info.value.suggestion == "json" and info.value.choices == ["table", "csv", "json"]
    with pytest.raises(NotFound, match=r"unknown persona 'x'; expected one of: \(no personas defined\)"):
        pick("persona", "x", {})


def test_cli_export_formats_are_the_registry():
    assert sorted(FORMATS) == sorted(EXPORTERS)


@pytest.mark.parametrize("to", ["Mermaid", " MARKDOWN ", "mermaid"])
def test_export_to_any_case(ws, to):
    r = invoke("export", str(ws), "--to", to, "--persona", "commuter")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("journey\n") or r.output.startswith("#")


def test_export_to_unknown_is_a_usage_error(ws):
    r = invoke("export", str(ws), "--to", "Mermaids")
    assert r.exit_code == 2
    assert "unknown export format 'Mermaids' (did you mean 'mermaid'?); expected one of: " \
           "mermaid, xlsx, markdown, pptx" in r.output


def test_export_api_any_case(ws, tmp_path):
    from journeytools.export import export

    res = export(ws, " XLSX ", tmp_path / "b.xlsx")
    assert res.format == "xlsx" and res.path.is_file()


@pytest.mark.parametrize("fmt", ["JSON", "Json ", "json"])
def test_score_format_any_case(ws, fmt):
    r = invoke("score", str(ws), "--format", fmt)
    assert r.exit_code == 0, r.output
    assert "pain_points" in json.loads(r.output)


def test_score_format_unknown(ws):
    r = invoke("score", str(ws), "-f", "Jsn")
    assert r.exit_code == 2
    assert "unknown format 'Jsn' (did you mean 'json'?); expected one of: table, csv, json" in r.output


def test_new_template_any_case(tmp_path):
    r = invoke("new", str(tmp_path / "m"), "--template", " Bank-Account ")
    assert r.exit_code == 0, r.output
    assert "from template 'bank-account'" in r.output
    r = invoke("new", str(tmp_path / "n"), "--template", "bank-acount")
    assert r.exit_code == 1 and "(did you mean 'bank-account'?)" in r.output
    assert not (tmp_path / "n").exists()


@pytest.fixture
def captured(monkeypatch):
    """build_reports replaced: the options the CLI passed, no kernels started."""
    seen = {}

    def fake(folder, out, opts, progress=None):
        seen["opts"] = opts
        return build.BuildResult(Path(out) / "index.html", [])

    monkeypatch.setattr(build, "build_reports", fake)
    return seen


def test_report_options_any_case(ws, tmp_path, captured):
    r = invoke("report", str(ws), "-o", str(tmp_path / "out"), "--format", " HTML,Pdf ",
               "--pdf-engine", "WeasyPrint", "--kernels", "FRESH", "-p", "Commuter")
    assert r.exit_code == 0, r.output
    opts = captured["opts"]
    assert opts.formats == ("html", "pdf") and opts.pdf_engine == "weasyprint"
    assert opts.kernels == "fresh" and opts.personas == ("Commuter",)  # resolved by build_reports


def test_report_normalises_options(ws):
    import journeytools as jt

    opts, problems = build._normalise(jt.load(ws), build.ReportOptions(
        formats=("PDF", "html", " pdf"), personas=(" RACER", "commuter"), kernels="Warm",
        pdf_engine="Chromium", today=" 2026-11-25 "))
    assert problems == []
    assert opts.formats == ("pdf", "html") and opts.personas == ("racer", "commuter")
    assert (opts.kernels, opts.pdf_engine, opts.today) == ("warm", "chromium", "2026-11-25")


@pytest.mark.parametrize("args, message", [
    (("--format", "docx"), "unknown format 'docx'; expected one of: html, pdf"),
    (("--format", "html,docx"), "unknown format 'docx'"),
    (("--format", ","), "expected one or more of html, pdf"),
    (("--pdf-engine", "chrome"), "unknown PDF engine 'chrome' (did you mean 'chromium'?)"),
    (("--kernels", "warmer"), "unknown kernel mode 'warmer' (did you mean 'warm'?)"),
])
def test_report_bad_option_creates_nothing(ws, tmp_path, args, message):
    out = tmp_path / "out"
    r = invoke("report", str(ws), "-o", str(out), *args)
    assert r.exit_code == 2 and message in r.output
    assert not out.exists()


@pytest.mark.parametrize("args, message", [
    (("-p", "zed"), "unknown persona 'zed'; expected one of: commuter, racer"),
    (("-p", "Carla the commuter"), "unknown persona 'Carla the commuter' (did you mean 'commuter'?)"),
    (("--today", "tomorrow"), "--today 'tomorrow' is not an ISO date"),
    (("--notebook", "missing.ipynb"), "report notebook not found: missing.ipynb"),
])
def test_report_bad_request_creates_nothing(ws, tmp_path, args, message):
    out = tmp_path / "deep" / "out"
    r = invoke("report", str(ws), "-o", str(out), *args)
    assert r.exit_code == 1 and f"error: {message}" in r.output
    assert "Traceback" not in r.output
    assert not (tmp_path / "deep").exists()


def test_report_every_problem_at_once(ws, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(build.ReportError) as info:
        build.build_reports(ws, blocker / "out", build.ReportOptions(
            formats=("docx",), personas=("zed", "Ravi the racer"), kernels="cold",
            pdf_engine="prince"))
    msg = str(info.value)
    for part in ("unknown format 'docx'", "unknown kernel mode 'cold'", "unknown PDF engine 'prince'",
                 "unknown persona 'zed'", "unknown persona 'Ravi the racer' (did you mean 'racer'?)",
                 f"cannot write to output folder {blocker / 'out'}: {blocker} is not a folder"):
        assert part in msg
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "ws"]


def test_evidence_segment_any_case(tmp_path):
    import shutil

    fixtures = Path(__file__).resolve().parents[1] / "evidence" / "fixtures"
    shop = Path(shutil.copytree(fixtures / "shop", tmp_path / "shop"))
    for name in ("tiny_events.csv", "tiny_mapping.yml"):
        shutil.copy(fixtures / name, shop / name)
    r = invoke("evidence", str(shop), "--events", str(shop / "tiny_events.csv"),
               "--mapping", str(shop / "tiny_mapping.yml"), "--segment", " Platform ",
               "--min-users", "1")
    assert r.exit_code == 0, r.output
    funnel = (shop / "evidence" / "funnel.csv").read_text()
    assert "desktop" in funnel and "mobile" in funnel
