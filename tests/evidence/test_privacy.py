"""k-anonymity: rows with fewer than k users are suppressed and marked; comments per flag."""

from __future__ import annotations

import pandas as pd
import yaml

from journeytools.evidence import compute_evidence, write_evidence


def test_default_k_is_5_and_suppresses(shop):
    text = (shop / "tiny_mapping.yml").read_text().replace("privacy: {min_users: 1}\n", "")
    (shop / "m.yml").write_text(text)
    r = compute_evidence(shop, shop / "tiny_events.csv", shop / "m.yml", segment="platform")
    assert r.mapping.privacy.min_users == 5
    f = r.funnel.set_index(["segment", "touchpoint"])
    # 6 and 5 users stay; 4 and 3 are hidden, as is the conversion into a row after a hidden one
    assert f.loc[("", "product-page"), "users"] == 6 and f.loc[("", "cart"), "users"] == 5
    assert f.loc[("", "checkout"), "suppressed"] and pd.isna(f.loc[("", "checkout"), "users"])
    assert pd.isna(f.loc[("", "cart"), "conversion_to_next"])
    assert "fewer than 5 users" in f.loc[("", "checkout"), "note"]
    assert f.loc[("", "order-confirmation"), "suppressed"]
    # the median for cart needs 5 users reaching checkout after it: only 4 did
    assert pd.isna(f.loc[("", "cart"), "median_seconds_to_next"])
    seg = r.funnel[r.funnel["segment"] != ""]
    assert seg["suppressed"].all() or (seg["users"].fillna(0) == 0).any()
    assert not (seg["users"].dropna().between(1, 4)).any()
    assert r.issues["suppressed"].all()


def test_written_files_hold_no_small_counts_and_record_rules(shop):
    r = compute_evidence(shop, shop / "tiny_events.csv", shop / "tiny_mapping.yml",
                         segment="platform", min_users=3)
    write_evidence(r)
    ev = shop / "evidence"
    funnel = pd.read_csv(ev / "funnel.csv", dtype=str, keep_default_na=False)
    users = pd.to_numeric(funnel["users"], errors="coerce")
    assert not users.between(1, 2).any()
    assert (funnel.loc[users.isna(), "suppressed"] == "true").all()
    assert "user" not in " ".join(funnel.columns).replace("users", "")
    text = (ev / "funnel.csv").read_text() + (ev / "stages.csv").read_text()
    assert "u1" not in text and "u6" not in text
    summary = yaml.safe_load((ev / "summary.yml").read_text())
    assert summary["privacy"]["min_users"] == 3
    assert summary["privacy"]["rows_suppressed"] > 0
    assert any("fewer than 3 users" in rule for rule in summary["privacy"]["rules"])
    assert summary["privacy"]["keep_comments"] is False
