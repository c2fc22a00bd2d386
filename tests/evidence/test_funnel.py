"""Hand-checked numbers on the tiny log (tests/evidence/fixtures/tiny_events.csv).

users: product-page u1-u6 = 6, cart u1,u2,u3,u4,u6 = 5, checkout u1,u2,u3,u6 = 4,
order-confirmation u1,u2,u6 = 3. Seconds product-page → cart: 60, 120, 30, 240 and, for u6
who added to cart at 09:00 *before* viewing the item at 15:00, the next cart event after it
(view_cart 15:10) = 600 → median 120. cart → checkout: 120, 120, 270, 22800 → 195.
checkout → order-confirmation: 120, 360, 2745600 → 360.
"""

from __future__ import annotations

import math

import pytest

from journeytools.evidence import compute_evidence


def rows(frame, seg=""):
    f = frame[frame["segment"] == seg]
    return {r["touchpoint" if "touchpoint" in f else "stage"]: r for r in f.to_dict("records")}


@pytest.fixture
def result(shop):
    return compute_evidence(shop, shop / "tiny_events.csv", shop / "tiny_mapping.yml",
                            segment="platform")


def test_overall_funnel_by_hand(result):
    f = rows(result.funnel)
    assert [f[t]["users"] for t in ("product-page", "cart", "checkout", "order-confirmation")] == [6, 5, 4, 3]
    assert math.isnan(f["product-page"]["conversion"])
    assert f["cart"]["conversion"] == pytest.approx(5 / 6)
    assert f["checkout"]["conversion"] == pytest.approx(4 / 5)
    assert f["order-confirmation"]["drop_off"] == 1
    assert f["order-confirmation"]["drop_off_rate"] == pytest.approx(1 / 4)
    assert f["product-page"]["median_seconds_to_next"] == 120
    assert f["cart"]["median_seconds_to_next"] == 195
    assert f["checkout"]["median_seconds_to_next"] == 360
    assert f["home"]["note"] == "not in funnel" and f["home"]["users"] == 1
    order = list(result.funnel[result.funnel["segment"] == ""]["touchpoint"])
    assert order == ["product-page", "cart", "checkout", "order-confirmation", "home"]


def test_segment_split(result):
    desk, mob = rows(result.funnel, "desktop"), rows(result.funnel, "mobile")
    assert [desk[t]["users"] for t in ("product-page", "cart", "checkout", "order-confirmation")] == [2, 2, 2, 2]
    assert [mob[t]["users"] for t in ("product-page", "cart", "checkout", "order-confirmation")] == [4, 3, 2, 1]
    assert mob["checkout"]["conversion"] == pytest.approx(2 / 3)
    assert mob["cart"]["median_seconds_to_next"] == (270 + 22800) / 2
    assert list(dict.fromkeys(result.funnel["segment"])) == ["", "desktop", "mobile"]


def test_stage_rollup(result):
    s = rows(result.stages)
    assert [s[x]["users"] for x in ("discover", "decide", "buy", "receive")] == [1, 6, 5, 3]
    assert s["decide"]["drop_off"] == 0  # floored at 0
    assert s["discover"]["median_seconds_to_next"] == 60
    assert s["decide"]["median_seconds_to_next"] == 120
    assert s["buy"]["median_seconds_to_next"] == 480


def test_issues_per_month(result):
    i = result.issues
    overall = i[i["segment"] == ""].iloc[0]
    assert (overall["touchpoint"], overall["month"], overall["issue_events"],
            overall["issue_users"], overall["touchpoint_users"]) == ("checkout", "2026-10", 2, 2, 4)
    assert i[i["segment"] == "mobile"].iloc[0]["issue_rate"] == 1.0


def test_summary_counts(result):
    s = result.summary
    assert s["rows_read"] == 24 and s["rows_mapped"] == 22 and s["rows_without_user"] == 1
    assert s["unmapped_events"] == {"session_start": 2}
    assert s["time_range"] == {"from": "2026-10-01T09:00:00+00:00", "to": "2026-11-02T10:00:00+00:00"}
    assert s["mapping"]["funnel"] == ["product-page", "cart", "checkout", "order-confirmation"]
    assert s["privacy"]["min_users"] == 1


def test_default_funnel_is_journey_order(shop):
    text = (shop / "tiny_mapping.yml").read_text().replace(
        "funnel: [product-page, cart, checkout, order-confirmation]\n", "")
    (shop / "m2.yml").write_text(text)
    r = compute_evidence(shop, shop / "tiny_events.csv", shop / "m2.yml")
    f = r.funnel
    assert list(f["touchpoint"]) == ["home", "product-page", "cart", "checkout", "order-confirmation"]
    assert list(f["step"]) == [1, 2, 3, 4, 5]
    assert f.iloc[1]["conversion"] == 6.0  # order is not required to reach a touchpoint
