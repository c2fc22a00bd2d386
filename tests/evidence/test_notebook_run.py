"""notebooks/06_evidence.ipynb runs headless with its default parameters."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_evidence_notebook_defaults(tmp_path):
    import papermill as pm

    ws = ROOT / "workshops" / "luggage-store"
    before = _digest(ws)
    nb = pm.execute_notebook(str(ROOT / "notebooks" / "06_evidence.ipynb"), str(tmp_path / "06.ipynb"),
                             kernel_name="python3", progress_bar=False, cwd=str(ROOT / "notebooks"))
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "product-page" in html and "checkout" in html      # the funnel table
    assert "drop_off_rate" in html and "status" in html        # suggestions and KPIs
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    html_imgs = html.count("data:image/png;base64,")
    assert len(pngs) + html_imgs >= 3  # funnel, KPI progress, assumed vs measured
    assert _digest(ws) == before  # write=False by default: nothing changes on disk
