"""Survey merge: CSAT/NPS on the 1–5 scale per stage, against the assumed emotion curve."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from journeytools import load
from journeytools.errors import ValidationError
from journeytools.evidence import Privacy, assumed_vs_measured, compute_evidence, read_survey, write_evidence
from journeytools.evidence.survey import to_five

SURVEY = Path(__file__).parent / "fixtures" / "shop_survey.csv"


def test_scales():
    assert to_five(0, "nps") == 1 and to_five(5, "nps") == 3 and to_five(10, "nps") == 5
    assert to_five(2, "csat") == 2


def test_per_stage_and_assumed(shop):
    ws = load(shop)
    s = read_survey(SURVEY, ws, privacy=Privacy(min_users=5))
    st = s.stages.set_index("stage")
    assert st.loc["buy", "measured_satisfaction"] == pytest.approx((5 + 4 + 4 + 2 + 5 + 3) / 6, abs=0.01)
    assert st.loc["buy", "csat_pct"] == pytest.approx(100 * 4 / 6, abs=0.1)
    nps_five = [1 + x * 0.4 for x in (10, 9, 7, 6, 3, 10)]
    assert st.loc["receive", "measured_satisfaction"] == pytest.approx(sum(nps_five) / 6, abs=0.01)
    assert st.loc["receive", "nps"] == pytest.approx(100 * (3 / 6 - 2 / 6), abs=0.1)
    assert st.loc["decide", "suppressed"] and pd.isna(st.loc["decide", "measured_satisfaction"])
    assert len(s.comments) == 0  # dropped by default
    avm = assumed_vs_measured(ws, s).set_index("stage")
    # steps at buy-stage touchpoints: cart 4, checkout 4, checkout 3
    assert avm.loc["buy", "assumed_emotion"] == pytest.approx(11 / 3, abs=0.01)
    assert avm.loc["buy", "difference"] == pytest.approx(3.83 - 3.67, abs=0.02)


def test_comments_kept_only_when_flagged(shop):
    ws = load(shop)
    kept = read_survey(SURVEY, ws, privacy=Privacy(min_users=5, keep_comments=True)).comments
    assert "Courier never rang the bell" in set(kept["comment"])
    assert "No waterproof rating" not in set(kept["comment"])  # stage under k respondents
    assert "respondent" not in kept.columns


def test_survey_into_evidence_files(shop):
    r = compute_evidence(shop, shop / "tiny_events.csv", shop / "tiny_mapping.yml",
                         survey=SURVEY, keep_comments=True)
    write_evidence(r)
    stages = pd.read_csv(shop / "evidence" / "stages.csv")
    assert {"assumed_emotion", "measured_satisfaction"} <= set(stages.columns)
    assert (shop / "evidence" / "comments.csv").exists()
    k = r.kpis.set_index("id")
    assert k.loc["buy-csat", "measured"] == pytest.approx(66.7, abs=0.1)
    assert k.loc["receive-nps", "measured"] == pytest.approx(16.7, abs=0.1)
    r2 = compute_evidence(shop, shop / "tiny_events.csv", shop / "tiny_mapping.yml", survey=SURVEY)
    write_evidence(r2)
    assert not (shop / "evidence" / "comments.csv").exists()


def test_bad_survey_rows_named(shop, tmp_path):
    bad = tmp_path / "s.csv"
    bad.write_text("respondent,touchpoint,score\nr1,checkout,7\nr2,checkuot,4\n")
    with pytest.raises(ValidationError) as e:
        read_survey(bad, load(shop))
    text = str(e.value)
    assert "s.csv:2: score:" in text and "CSAT score from 1 to 5" in text
    assert "s.csv:3: touchpoint:" in text and "'checkuot'" in text
