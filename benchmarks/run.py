"""Benchmarks: each as a ratio against a naive baseline measured in the same run.

    .venv/bin/python benchmarks/run.py [--only load,score]

Results go to stdout as a Markdown table (copied into benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from generate import generate  # noqa: E402
from naive import naive_load, naive_score  # noqa: E402

import journeytools as jt  # noqa: E402
from journeytools import scoring  # noqa: E402


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="load,score,table")
    args = ap.parse_args()
    which = set(args.only.split(","))
    data = ROOT / "data" / "big-workshop"
    if not (data / "workshop.yml").exists():
        generate(data)
    rows = []
    if "load" in which:
        ours = best_of(lambda: jt.load(data))
        naive = best_of(lambda: naive_load(data), 2)
        rows.append(("load + validate (200 personas, 2k touchpoints, 20k pain points, 5k opps)", ours, naive))
    if "score" in which:
        ws = jt.load(data)
        ours = best_of(lambda: scoring.score(ws))
        naive = best_of(lambda: naive_score(data), 1)
        rows.append(("score (pain ranking, stage pain, RICE/ICE, quadrants, gaps)", ours, naive))
    if "table" in which:
        import io

        from rich.console import Console

        from journeytools.views.score import print_tables

        ws = jt.load(data)
        scores = scoring.score(ws)

        def table(top: int | None) -> None:
            print_tables(Console(file=io.StringIO(), width=140), ws, scores, top)

        ours = best_of(lambda: table(None), 3)  # the default: top 50 rows and a count of the rest
        naive = best_of(lambda: table(len(ws.pain_points)), 1)  # every row, as before
        rows.append(("score --format table (20k pain points: top rows + count vs every row)", ours, naive))
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, pandas {__import__('pandas').__version__}")
    print("| benchmark | journeytools (s, best) | naive baseline (s, best) | speed-up |")
    print("|---|---:|---:|---:|")
    for name, ours, naive in rows:
        print(f"| {name} | {ours:.3f} | {naive:.3f} | {naive / ours:.1f}× |")


if __name__ == "__main__":
    main()
