"""A realistic generated log with a planted story (checkout errors on mobile) is found."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from journeytools.evidence import compute_evidence, write_evidence

from shoplog import generate, write_csv

MAPPING = """\
preset: ga4
columns: {segment: device_category}
touchpoints:
  home: page_view
  product-page: [view_item, scroll]
  cart: add_to_cart
  checkout: begin_checkout
  order-confirmation: purchase
issues:
  checkout: checkout_error
"""


@pytest.fixture(scope="module")
def rows():
    return generate()


def test_story_found_in_csv(shop, rows):
    write_csv(shop / "ga4.csv", rows)
    (shop / "ga4.yml").write_text(MAPPING)
    r = compute_evidence(shop, shop / "ga4.csv", shop / "ga4.yml")
    top = r.suggestions.iloc[0]
    assert top["touchpoint"] == "checkout" and top["next_touchpoint"] == "order-confirmation"
    assert top["worst_segment"] == "mobile" and top["worst_segment_rate"] > 0.4
    assert top["issue_events"] > 100
    assert "product-page" not in set(r.suggestions["touchpoint"])  # a pain point is logged there
    f = r.funnel.set_index(["segment", "touchpoint"])
    assert f.loc[("mobile", "order-confirmation"), "drop_off_rate"] > \
        2 * f.loc[("desktop", "order-confirmation"), "drop_off_rate"]
    i = r.issues
    mobile = i[(i["segment"] == "mobile")]["issue_events"].sum()
    desktop = i[(i["segment"] == "desktop")]["issue_events"].sum()
    assert mobile > 100 and desktop == 0
    assert list(i[i["segment"] == ""]["month"]) == ["2026-09", "2026-10"]
    assert r.summary["unmapped_events"] == {"session_start": len(set(x[0] for x in rows))}
    paths = write_evidence(r)
    assert [p.name for p in paths] == ["funnel.csv", "issues.csv", "stages.csv", "summary.yml"]
    assert "checkout" in (shop / "evidence" / "summary.yml").read_text()


def test_same_numbers_from_parquet_with_epoch_micros(shop, rows, tmp_path):
    """GA4 exports event_timestamp as integer microseconds; csv.gz and Parquet agree."""
    import gzip
    from datetime import datetime

    micros = [int(datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp() * 1_000_000)
              for _, _, t, _ in rows]
    table = pa.table({"user_pseudo_id": [r[0] for r in rows], "event_name": [r[1] for r in rows],
                      "event_timestamp": pa.array(micros, pa.int64()),
                      "device_category": [r[3] for r in rows]})
    pq.write_table(table, tmp_path / "ga4.parquet")
    write_csv(tmp_path / "ga4.csv", rows)
    with open(tmp_path / "ga4.csv", "rb") as src, gzip.open(tmp_path / "ga4.csv.gz", "wb") as dst:
        dst.write(src.read())
    (shop / "ga4.yml").write_text(MAPPING)
    a = compute_evidence(shop, tmp_path / "ga4.parquet", shop / "ga4.yml")
    b = compute_evidence(shop, tmp_path / "ga4.csv.gz", shop / "ga4.yml")
    assert a.summary["source"]["format"] == "parquet" and b.summary["source"]["format"] == "csv.gz"
    cols = ["touchpoint", "segment", "users", "drop_off", "median_seconds_to_next"]
    assert a.funnel[cols].round(3).equals(b.funnel[cols].round(3))
    assert a.summary["time_range"] == b.summary["time_range"]
