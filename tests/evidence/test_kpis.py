"""KPIs vs baseline and target, `current` filled from the funnel."""

from __future__ import annotations

import pytest

from journeytools.evidence import compute_evidence, fill_current, kpi_status


def test_kpi_status_and_fill(shop):
    r = compute_evidence(shop, shop / "tiny_events.csv", shop / "tiny_mapping.yml")
    k = r.kpis.set_index("id")
    # cart → checkout: 4 of 5 users = 80 %: baseline 70, target 85
    assert k.loc["cart-conversion", "measured"] == 80.0
    assert k.loc["cart-conversion", "progress"] == pytest.approx((80 - 70) / 15, abs=0.001)
    assert k.loc["cart-conversion", "status"] == "better than baseline"
    assert k.loc["checkout-conversion", "status"] == "worse than baseline"  # 75 < 80
    assert k.loc["buy-csat", "status"] == "no data"
    filled = fill_current(r.workshop.kpis, r).set_index("id")
    assert filled.loc["cart-conversion", "current"] == 80.0
    assert filled.loc["cart-conversion", "measured_at"] == "2026-11-02"
    assert "tiny_events.csv" in filled.loc["cart-conversion", "source"]
    assert r.workshop.kpis.set_index("id").loc["cart-conversion", "current"] == 72.0  # not mutated


def test_status_without_evidence(shop):
    from journeytools import load

    k = kpi_status(load(shop).kpis).set_index("id")
    assert k.loc["cart-conversion", "status"] == "better than baseline"  # typed current 72
    assert k.loc["cart-conversion", "value"] == 72.0
