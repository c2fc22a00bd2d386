"""Portfolio benchmark (SPEC §10, issue 19): a generated portfolio of 40 journeys × 5 personas,
``build_portfolio(..., formats=("html",))`` timed, with where the time goes (the check, each
journey's reports, the overview), against the naive loop measured in the same run: a fresh
``journeytools report --kernels fresh`` subprocess per journey (on a subset, scaled up).

    .venv/bin/python benchmarks/portfolio_bench.py [--journeys 40] [--personas 5] [--naive 4]

Each journey is generated from a starter template (the five starters in turn, so stages,
touchpoints and pains differ), with the library's personas mapped onto the starter's: persona
k walks the steps and owns the pain points of the starter's persona k mod 3.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

import journeytools as jt  # noqa: E402
from journeytools.report.build import ReportOptions  # noqa: E402
from journeytools.report.portfolio import build_portfolio  # noqa: E402
from journeytools.store.portfolio import check_portfolio  # noqa: E402
from journeytools.store.starters import new_workshop  # noqa: E402

STARTERS = ["retail-ecommerce", "bank-account", "holiday-booking", "b2b-saas", "public-service"]
SEGMENTS = ["First-time buyer", "Loyal customer", "Business customer", "Price-led switcher",
            "Accessibility needs", "Gift buyer", "Returning lapsed customer", "Partner"]
TODAY = "2026-12-01"


def library(n: int) -> pd.DataFrame:
    """The persona library: n personas with names, segments and weights."""
    return pd.DataFrame({
        "id": [f"persona-{k + 1}" for k in range(n)],
        "name": [f"Persona {k + 1}" for k in range(n)],
        "segment": [SEGMENTS[k % len(SEGMENTS)] for k in range(n)],
        "description": [f"Library persona {k + 1}, shared by every journey." for k in range(n)],
        "weight": [(1.5, 1.0, 0.5)[k % 3] for k in range(n)],
    })


def journey(folder: Path, starter: str, people: pd.DataFrame, reviewed: dt.date) -> None:
    """One small, realistic journey from a starter, its personas replaced by the library's."""
    new_workshop(folder, starter)
    ws = jt.load(folder)
    source = list(ws.personas["id"])
    steps, pains = [], []
    for k, pid in enumerate(people["id"]):
        src = source[k % len(source)]
        steps.append(ws.steps[ws.steps["persona"] == src].assign(persona=pid))
        if k < len(source):  # each starter persona's own pains go to one library persona
            pains.append(ws.pain_points[ws.pain_points["persona"] == src].assign(persona=pid))
    pains.append(ws.pain_points[ws.pain_points["persona"] == "*"])
    ws.personas = people.astype(str).assign(weight=people["weight"]).reset_index(drop=True)
    ws.steps = pd.concat(steps, ignore_index=True)
    ws.pain_points = pd.concat(pains, ignore_index=True)
    if "persona" in ws.blueprint.columns:
        ws.blueprint = ws.blueprint[ws.blueprint["persona"].isin(["", "*"])].reset_index(drop=True)
    ws.votes = ws.votes.iloc[0:0]
    ws.meta["reviewed"] = reviewed.isoformat()
    jt.save(ws)


def generate(root: Path, n_journeys: int, n_personas: int) -> Path:
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    people = library(n_personas)
    people.to_csv(root / "personas.csv", index=False)
    names = []
    for i in range(n_journeys):
        name = f"journey-{i + 1:02d}"
        # one journey in eight was last reviewed long ago: the "to review" list has stale maps
        reviewed = dt.date(2025, 1, 15) if i % 8 == 7 else dt.date(2026, 11, 1)
        journey(root / name, STARTERS[i % len(STARTERS)], people, reviewed)
        names.append(name)
    (root / "portfolio.yml").write_text(
        "title: Generated portfolio\njourneys: [" + ", ".join(names) + "]\npersonas: personas.csv\n"
        "branding: {company: Bench Co, primary_color: \"#1F5AA6\"}\n", encoding="utf-8")
    return root


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def ours(root: Path, out: Path) -> dict[str, float]:
    """build_portfolio, HTML, with a timing journey runner (the default one, timed)."""
    if out.exists():
        shutil.rmtree(out)
    per: dict[str, float] = {}

    def timed(work: Callable[[str], object], names: Sequence[str]) -> list:
        results = []
        for name in names:
            t0 = time.perf_counter()
            results.append(work(name))
            per[name] = time.perf_counter() - t0
        return results

    t0 = time.perf_counter()
    result = build_portfolio(root, out, ReportOptions(formats=("html",), today=TODAY), run_journeys=timed)
    total = time.perf_counter() - t0
    assert not result.failures, result.failures
    return {"total": total, "journeys": sum(per.values()), "per_journey_median": statistics.median(per.values()),
            "per_journey_max": max(per.values()), "n": len(per)}


def naive(root: Path, out: Path, names: list[str]) -> float:
    """A fresh `journeytools report --kernels fresh` process per journey."""
    if out.exists():
        shutil.rmtree(out)
    t0 = time.perf_counter()
    for name in names:
        subprocess.run([str(BIN / "journeytools"), "report", str(root / name), "-o", str(out / name),
                        "--format", "html", "--kernels", "fresh", "--today", TODAY],
                       check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--journeys", type=int, default=40)
    ap.add_argument("--personas", type=int, default=5)
    ap.add_argument("--naive", type=int, default=4, help="journeys in the naive run (scaled up; 0: skip)")
    args = ap.parse_args()
    work = ROOT / "benchmarks" / "data" / "portfolio"
    t0 = time.perf_counter()
    root = generate(work / "portfolio", args.journeys, args.personas)
    print(f"generated {args.journeys} journeys × {args.personas} personas in {time.perf_counter() - t0:.1f} s")
    report = check_portfolio(root)
    assert report.ok, [str(p) for p in report.errors[:5]]
    check = best_of(lambda: check_portfolio(root))
    print(f"check alone (best of 3): {check:.2f} s")
    r = ours(root, work / "out")
    overview = r["total"] - r["journeys"] - check
    n_reports = r["n"] * args.personas
    print(f"build_portfolio html: {r['total']:.1f} s for {n_reports} persona reports "
          f"({r['total'] / n_reports:.2f} s each)")
    print(f"  check {check:.2f} s · journeys {r['journeys']:.1f} s (median {r['per_journey_median']:.2f} s, "
          f"max {r['per_journey_max']:.2f} s) · overview {overview:.2f} s")
    if args.naive:
        subset = [f"journey-{i + 1:02d}" for i in range(min(args.naive, args.journeys))]
        t = naive(root, work / "naive", subset)
        scaled = t * args.journeys / len(subset)
        print(f"naive (fresh `journeytools report --kernels fresh` per journey): {t:.1f} s for {len(subset)} "
              f"journeys, {t / len(subset):.1f} s per journey → {scaled:.0f} s scaled to {args.journeys}; "
              f"speed-up {scaled / r['total']:.1f}×")
        per_ours = r["journeys"] / r["n"]
        print(f"  per journey: naive {t / len(subset):.2f} s vs ours {per_ours:.2f} s "
              f"({t / len(subset) / per_ours:.1f}×)")


if __name__ == "__main__":
    main()
