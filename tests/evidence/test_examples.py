"""The luggage-store sample log and the evidence notebook."""

from __future__ import annotations

import json
from pathlib import Path

from journeytools.evidence import compute_evidence

ROOT = Path(__file__).resolve().parents[2]
LUGGAGE = ROOT / "workshops" / "luggage-store"


def test_luggage_store_cart_error_story():
    r = compute_evidence(LUGGAGE)  # mapping from evidence/mapping.yml, events and survey from it
    assert r.summary["source"]["format"] == "csv.gz" and 5_000 <= r.summary["rows_read"] <= 20_000
    i = r.issues[(r.issues["touchpoint"] == "cart") & (r.issues["month"] == "2026-10")].set_index("segment")
    assert i.loc["mobile", "issue_rate"] > 3 * i.loc["desktop", "issue_rate"]
    f = r.funnel.set_index(["segment", "touchpoint"])
    assert f.loc[("mobile", "cart"), "conversion_to_next"] < f.loc[("desktop", "cart"), "conversion_to_next"] - 0.1
    assert "cart" not in set(r.suggestions["touchpoint"])  # already a logged pain point
    assert r.survey is not None and r.summary["survey"]["comments_kept"] == 0
    assert set(r.kpis.dropna(subset=["measured"])["id"]) >= {"cart-conversion", "delivery-csat", "advocacy-nps"}


def test_notebook_committed_clean():
    nb = json.loads((ROOT / "notebooks" / "06_evidence.ipynb").read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3" and "language_info" in nb["metadata"]
    params = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(params) == 1
    src = "".join(params[0]["source"])
    for name in ("workshop", "events", "mapping"):
        assert f"{name} = " in src
    assert all(not c.get("outputs") and not c.get("execution_count") for c in nb["cells"]
               if c["cell_type"] == "code")
