"""Report sections without a kernel: stale warnings, empty states, escaping."""

from __future__ import annotations

import pytest
from helpers import write_workshop

import journeytools as jt
from journeytools.report import sections as S


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
