"""Report benchmark: 12 personas, HTML, `journeytools report` against the naive loop
(for each persona: the `papermill` CLI, then `jupyter nbconvert --to html --no-input`),
same notebook, same run. Also times HTML+PDF per persona.

    .venv/bin/python benchmarks/report_bench.py [--personas 12]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

import journeytools as jt  # noqa: E402


def make_workshop(target: Path, n: int) -> Path:
    """The luggage-store map with n personas (clones of the three, with their steps)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT / "workshops" / "luggage-store", target)
    ws = jt.load(target)
    base_p, base_s = ws.personas, ws.steps
    people, steps = [], []
    for i in range(n):
        src = base_p.iloc[i % len(base_p)]
        pid = f"{src['id']}-{i}"
        people.append(src.to_dict() | {"id": pid, "name": f"{src['name']} {i}"})
        for _, s in base_s[base_s["persona"] == src["id"]].iterrows():
            steps.append(s.to_dict() | {"persona": pid})
    ws.personas = pd.DataFrame(people).astype(base_p.dtypes.to_dict())
    ws.steps = pd.DataFrame(steps).astype(base_s.dtypes.to_dict())
    ws.pain_points = ws.pain_points.assign(persona="*")
    ws.votes = ws.votes.iloc[0:0]
    jt.save(ws)
    return target


def naive(ws: Path, out: Path, personas: list[str]) -> float:
    nb = ROOT / "notebooks" / "persona_report.ipynb"
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for pid in personas:
        executed = out / f"{pid}.ipynb"
        subprocess.run([str(BIN / "papermill"), str(nb), str(executed), "-p", "workshop", str(ws),
                        "-p", "persona", pid, "--cwd", str(nb.parent), "--no-progress-bar"],
                       check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                       check=True, capture_output=True)
    return time.perf_counter() - t0


def ours(ws: Path, out: Path, fmt: str, kernels: str = "fork") -> float:
    t0 = time.perf_counter()
    subprocess.run([str(BIN / "journeytools"), "report", str(ws), "-o", str(out), "--format", fmt,
                    "--kernels", kernels], check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--personas", type=int, default=12)
    args = ap.parse_args()
    work = ROOT / "benchmarks" / "data" / "report"
    ws = make_workshop(work / "workshop", args.personas)
    personas = list(jt.load(ws).personas["id"])
    t_naive = naive(ws, work / "naive", personas)
    t_warm = ours(ws, work / "ours-warm", "html", "warm")
    t_html = ours(ws, work / "ours-html", "html")
    t_pdf = ours(ws, work / "ours-pdf", "html,pdf")
    n = len(personas)
    print(f"cores: {os.cpu_count()}, personas: {n}")
    print("| approach | total (s) | s per persona | vs naive |")
    print("|---|---:|---:|---:|")
    print(f"| naive loop: papermill CLI + jupyter nbconvert --no-input | {t_naive:.1f} | {t_naive / n:.2f} | 1.0× |")
    print(f"| journeytools report --format html --kernels warm | {t_warm:.1f} | {t_warm / n:.2f} | {t_naive / t_warm:.1f}× |")
    print(f"| journeytools report --format html (kernels forked from a warm parent) | {t_html:.1f} | {t_html / n:.2f} | {t_naive / t_html:.1f}× |")
    print(f"| journeytools report --format html,pdf | {t_pdf:.1f} | {t_pdf / n:.2f} | {t_naive / t_pdf:.1f}× |")


if __name__ == "__main__":
    main()
