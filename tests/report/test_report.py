"""Per-persona reports (SPEC §5): content, self-containment, escaping, PDF, faults, reruns."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

import journeytools as jt
from journeytools.cli import app
from journeytools.report.build import ReportError, ReportOptions, build_reports, report_notebook
from journeytools.scoring import score

ROOT = Path(__file__).resolve().parents[2]


def copy_workshop(src: Path, dst: Path) -> Path:
    return Path(shutil.copytree(src, dst))

pytestmark = pytest.mark.slow
TODAY = "2026-11-25"
EXTERNAL = re.compile(r"""<(?:img|script|link|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def luggage_reports(tmp_path_factory):
    base = tmp_path_factory.mktemp("lug")
    ws_dir = copy_workshop(ROOT / "workshops" / "luggage-store", base / "luggage-store")
    out = base / "out"
    result = build_reports(ws_dir, out, ReportOptions(formats=("html", "pdf"), jobs=2, today=TODAY))
    return ws_dir, out, result


def test_layout_and_index(luggage_reports):
    ws_dir, out, result = luggage_reports
    ws = jt.load(ws_dir)
    assert not result.failures
    for pid in ws.personas["id"]:
        assert (out / f"{pid}.html").stat().st_size > 10_000
        assert (out / f"{pid}.pdf").read_bytes().startswith(b"%PDF")
        executed = nbformat.read(out / "notebooks" / f"{pid}.ipynb", as_version=4)
        assert executed.metadata.papermill.parameters["persona"] == pid
    index = (out / "index.html").read_text(encoding="utf-8")
    for pid, name in zip(ws.personas["id"], ws.personas["name"]):
        assert f'href="{pid}.html"' in index and f'href="{pid}.pdf"' in index
        assert name in index
    top = score(ws).opportunities.iloc[0]["title"]
    from html import unescape
    assert top in unescape(index)  # however quotes are escaped (test_user_text_is_escaped)
    assert "data:image/png;base64," in index  # the heatmap, inlined
    assert not EXTERNAL.search(index)


def test_persona_html_content(luggage_reports):
    ws_dir, out, _ = luggage_reports
    ws = jt.load(ws_dir)
    html = (out / "mia.html").read_text(encoding="utf-8")
    assert "Mia — customer journey report" in html
    for stage in ws.stages:
        assert jt_escape(stage.name) in html
    s = score(ws, "mia")
    assert jt_escape(s.pain_points.iloc[0]["description"]) in html
    assert jt_escape(s.opportunities.iloc[0]["title"]) in html
    assert "Evidence · analytics" in html and "Assumption" in html
    assert "Moments of truth" in html
    # evidence/: the persona's part here (Greta reaches the checkout the funnel flags), the
    # map's funnel, assumed-vs-measured and KPIs once, in the overview
    assert 'href="index.html#evidence"' in html and "Mia's touchpoints in the analytics funnel" in html
    assert "Funnel from analytics" not in html and "better than baseline" not in html
    assert "Possible pain point at" in (out / "greta.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Funnel from analytics" in index and "Possible pain point at" in index
    assert "better than baseline" in index  # KPIs against baseline and target
    assert "Assumed vs measured" in index  # KPIs by name, not id (issue 16 §5)
    assert 'alt="KPI progress from baseline (0%) to target (100%): Conversion · Add to cart and cart page 25%' in index
    # no code, no prompts, no network
    assert "S.header" not in html and "ctx = S.context" not in html
    assert "class=\"jp-InputArea" not in html and "jp-OutputPrompt\">Out[" not in html
    assert not EXTERNAL.search(html)
    assert "<script" not in html
    assert 'aria-label="Journey map of Mia' in html and "<svg" in html  # the map, inline SVG


def test_pdf_first_page_names_persona(luggage_reports):
    from pypdf import PdfReader

    _, out, _ = luggage_reports
    reader = PdfReader(str(out / "andy.pdf"))
    first = reader.pages[0].extract_text()
    assert "Andy" in first and "customer journey report" in first
    assert len(reader.pages) >= 3
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) < 3 and abs(float(box.height) - 842) < 3  # A4


def jt_escape(text: str) -> str:
    """User text as it appears in the page (nbconvert re-serialises text, leaving quotes bare)."""
    from html import escape
    return escape(text, quote=False)


def test_user_text_is_escaped(tmp_path, luggage):
    ws = jt.load(luggage)
    ws.personas.loc[ws.personas["id"] == "mia", "name"] = 'Mia <script>alert("x")</script>'
    ws.personas.loc[ws.personas["id"] == "mia", "quote"] = "<b>bold</b> & <img src=x onerror=alert(1)>"
    jt.save(ws)
    out = tmp_path / "out"
    result = build_reports(luggage, out, ReportOptions(personas=("mia",), jobs=1, today=TODAY))
    assert not result.failures, result.failures
    html = (out / "mia.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in index
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "mia.html", "notebooks"]


def test_failure_is_isolated(tmp_path, luggage):
    nb = nbformat.read(report_notebook(), as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell('if persona == "andy":\n    raise RuntimeError("broken on purpose")'))
    broken = tmp_path / "broken_report.ipynb"
    nbformat.write(nb, broken)
    out = tmp_path / "out"
    r = CliRunner().invoke(app, ["report", str(luggage), "-o", str(out), "--notebook", str(broken),
                                 "--today", TODAY, "--jobs", "2"])
    assert r.exit_code == 1
    # cell 5 of the executed notebook: papermill inserts the injected-parameters cell
    assert "andy: cell 5 failed: RuntimeError: broken on purpose" in r.output
    assert (out / "mia.html").is_file() and (out / "greta.html").is_file()
    assert not (out / "andy.html").exists()
    partial = nbformat.read(out / "notebooks" / "andy.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in partial.cells for o in c.get("outputs", []))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "report failed" in index and "notebooks/andy.ipynb" in index


def test_bad_requests_fail_before_work(tmp_path, luggage):
    with pytest.raises(ReportError, match="unknown persona 'zed'"):
        build_reports(luggage, tmp_path / "o1", ReportOptions(personas=("zed",)))
    with pytest.raises(ReportError, match="unknown format"):
        build_reports(luggage, tmp_path / "o2", ReportOptions(formats=("docx",)))
    for bad in ({"pdf_engine": "prince"}, {"kernels": "cold"}, {"today": "someday"}):
        with pytest.raises(ReportError):
            build_reports(luggage, tmp_path / "o4", ReportOptions(**bad))
    for args in (["--format", "docx"], ["--pdf-engine", "prince"], ["--kernels", "cold"],
                 ["-p", "Greta the frequent flyer"]):
        r = CliRunner().invoke(app, ["report", str(luggage), "-o", str(tmp_path / "o5"), *args])
        assert r.exit_code in (1, 2) and "Traceback" not in r.output, r.output
    assert "(did you mean 'greta'?)" in r.output
    assert not any((tmp_path / name).exists() for name in ("o1", "o2", "o4", "o5"))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReportError, match="cannot write to output folder"):
        build_reports(luggage, blocker / "sub", ReportOptions())
    (luggage / "personas.csv").write_text("id,name\nmia,Mia\nmia,Again\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["report", str(luggage), "-o", str(tmp_path / "o3")])
    assert r.exit_code == 1 and "duplicate id 'mia'" in r.output
    assert not (tmp_path / "o3").exists()


def test_relative_output_folder(tmp_path, luggage, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(app, ["report", str(luggage), "-o", "rel/out", "-p", "greta", "-j", "1"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "rel" / "out" / "greta.html").is_file()
    assert (tmp_path / "rel" / "out" / "notebooks" / "greta.ipynb").is_file()


def test_rerun_is_reproducible(tmp_path, luggage):
    a = build_reports(luggage, tmp_path / "a", ReportOptions(personas=("greta",), jobs=1, today=TODAY))
    b = build_reports(luggage, tmp_path / "b", ReportOptions(personas=("greta",), jobs=1, today=TODAY))
    assert not a.failures and not b.failures
    assert (tmp_path / "a" / "greta.html").read_bytes() == (tmp_path / "b" / "greta.html").read_bytes()
    assert (tmp_path / "a" / "index.html").read_bytes() == (tmp_path / "b" / "index.html").read_bytes()


def test_every_example_and_template_reports(tmp_path, example):
    out = tmp_path / "out"
    result = build_reports(example, out, ReportOptions(jobs=2, today=TODAY))
    assert not result.failures, result.failures
    ws = jt.load(example)
    for pid, name in zip(ws.personas["id"], ws.personas["name"]):
        html = (out / f"{pid}.html").read_text(encoding="utf-8")
        assert jt_escape(name) in html
        assert all(jt_escape(s.name) in html for s in ws.stages)


def test_templates_report(tmp_path, starter):
    out = tmp_path / "out"
    result = build_reports(starter, out, ReportOptions(jobs=2, today=TODAY))
    assert not result.failures, result.failures
    ws = jt.load(starter)
    top = score(ws).pain_points.iloc[0]
    persona = top["persona"] if top["persona"] != "*" else ws.personas["id"].iloc[0]
    assert jt_escape(top["description"]) in (out / f"{persona}.html").read_text(encoding="utf-8")


def test_report_notebook_runs_with_defaults(tmp_path):
    import papermill as pm

    out = tmp_path / "default.ipynb"
    nb = pm.execute_notebook(str(report_notebook()), str(out), kernel_name="python3",
                             progress_bar=False, cwd=str(report_notebook().parent))
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", []))
    assert "Mia — customer journey report" in html
