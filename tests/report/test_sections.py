"""Report sections without a kernel: stale warnings, empty states, escaping."""

from __future__ import annotations

import pytest

import journeytools as jt
from journeytools.report import sections as S

from helpers import write_workshop


@pytest.fixture
def bike(tmp_path):
    return write_workshop(tmp_path / "ws")


def test_stale_warning_only_when_overdue(bike):
    fresh = S.header(S.context(bike, "commuter", "2027-05-02")).html
    stale = S.header(S.context(bike, "commuter", "2027-05-03")).html
    assert "may be out of date" not in fresh and "next review due 2027-05-02" in fresh
    assert "may be out of date" in stale and "2026-11-02" in stale


def test_empty_persona_sections(tmp_path):
    folder = write_workshop(tmp_path / "ws", steps="persona,touchpoint\nracer,booking-form\n",
                            pain_points=None, opportunities=None)
    ctx = S.context(folder, "commuter", "2026-11-25")
    assert "No emotions were recorded" in S.emotions(ctx).html
    assert "No pain points were recorded" in S.pain_points(ctx).html
    assert "No opportunities address" in S.opportunities(ctx).html
    assert "No analytics funnel or KPIs" in S.evidence(ctx).html


def test_sections_escape_user_text(bike):
    ws = jt.load(bike)
    ws.personas.loc[0, "goals"] = "<img src=x onerror=alert(1)>"
    ws.pain_points.loc[0, "description"] = "Broken <b>form</b> & \"quotes\""
    jt.save(ws)
    ctx = S.context(bike, "commuter", "2026-11-25")
    card = S.persona_card(ctx).html
    pains = S.pain_points(ctx).html
    assert "<img src=x" not in card and "&lt;img src=x onerror=alert(1)&gt;" in card
    assert "<b>form</b>" not in pains and "Broken &lt;b&gt;form&lt;/b&gt; &amp; &#34;quotes&#34;" in pains


def test_unknown_persona(bike):
    with pytest.raises(ValueError, match="unknown persona 'zed'"):
        S.context(bike, "zed")


def test_pain_table_evidence_badges(bike):
    html = S.pain_points(S.context(bike, "commuter", "2026-11-25")).html
    assert "Evidence · support" in html and "Assumption" in html
    assert html.index("no-same-day") < html.index("phone-wait")  # ranked


# -- one way to make a PNG, one way to write a file ------------------------------------------
def test_report_figures_are_charts_png_bytes(bike):
    import base64

    from journeytools.charts import pain_heatmap
    from journeytools.charts.export import png_bytes
    from journeytools.report import html as H

    fig = pain_heatmap(jt.load(bike))
    png = H.figure_png(fig, dpi=40)
    assert png == png_bytes(fig, 40, compress_level=3) and png[:4] == b"\x89PNG"
    assert base64.b64encode(png).decode("ascii") in H.figure(fig, "heatmap", dpi=40)


def test_write_pdf_is_atomic_and_follows_the_umask(tmp_path, monkeypatch):
    import os
    import stat

    from journeytools.report import render as R

    def fake(html, out, base):
        assert out.parent == base and out.name != "r.pdf"  # printed next to the target
        out.write_bytes(b"%PDF " + html.encode())

    def broken(html, out, base):
        out.write_bytes(b"%PDF half")
        raise RuntimeError("engine crashed")

    monkeypatch.setitem(R.PDF_ENGINES, "fake", fake)
    monkeypatch.setitem(R.PDF_ENGINES, "broken", broken)
    target = tmp_path / "r.pdf"
    old = os.umask(0o022)
    try:
        R.write_pdf("one", target, "fake")
    finally:
        os.umask(old)
    assert target.read_bytes() == b"%PDF one"
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o644
    with pytest.raises(RuntimeError, match="engine crashed"):
        R.write_pdf("two", target, "broken")
    assert target.read_bytes() == b"%PDF one"
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]


def test_room_and_report_templates_escape_alike():
    from journeytools.report import html as H
    from journeytools.room import render as room

    a, b = H.environment(), room.environment()
    assert a is not b and a.loader is not b.loader
    for env in (a, b):
        assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
        assert env.undefined is H.environment().undefined and env.trim_blocks and env.lstrip_blocks
