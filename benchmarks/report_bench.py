"""Report benchmark: 12 personas, HTML, `journeytools report` against the naive loop
(for each persona: the `papermill` CLI, then `jupyter nbconvert --to html --no-input`),
same notebook, same run. Also times HTML+PDF per persona, and a big run: 50 personas,
HTML and HTML+PDF (the target is HTML+PDF in at most 60 s on 2 cores).

    .venv/bin/python benchmarks/report_bench.py [--personas 12] [--big 50] [--skip-naive]
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
    if out.exists():
        shutil.rmtree(out)
    t0 = time.perf_counter()
    subprocess.run([str(BIN / "journeytools"), "report", str(ws), "-o", str(out), "--format", fmt,
                    "--kernels", kernels], check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--personas", type=int, default=12)
    ap.add_argument("--big", type=int, default=50, help="personas of the big run (0: skip it)")
    ap.add_argument("--skip-naive", action="store_true", help="only time journeytools")
    args = ap.parse_args()
    work = ROOT / "benchmarks" / "data" / "report"
    ws = make_workshop(work / "workshop", args.personas)
    personas = list(jt.load(ws).personas["id"])
    n = len(personas)
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}, personas: {n}")
    print("| approach | total (s) | s per persona | vs naive |")
    print("|---|---:|---:|---:|")
    t_naive = 0.0 if args.skip_naive else naive(ws, work / "naive", personas)

    def row(label: str, t: float) -> None:
        ratio = f"{t_naive / t:.1f}×" if t_naive else "–"
        print(f"| {label} | {t:.1f} | {t / n:.2f} | {ratio} |", flush=True)

    if t_naive:
        row("naive loop: papermill CLI + jupyter nbconvert --no-input", t_naive)
    row("journeytools report --format html --kernels warm", ours(ws, work / "ours-warm", "html", "warm"))
    row("journeytools report --format html (kernels forked from a warm parent)",
        ours(ws, work / "ours-html", "html"))
    row("journeytools report --format html,pdf", ours(ws, work / "ours-pdf", "html,pdf"))
    if args.big:
        big = make_workshop(work / f"workshop-{args.big}", args.big)
        for fmt in ("html", "html,pdf"):
            t = ours(big, work / f"big-{fmt.replace(',', '-')}", fmt)
            print(f"| {args.big} personas: journeytools report --format {fmt} | {t:.1f} | "
                  f"{t / args.big:.2f} | – |", flush=True)


if __name__ == "__main__":
    main()
