"""Benchmark: journeytools evidence (DuckDB) vs a plain pandas implementation of the same metrics.

    python benchmarks/evidence_bench.py generate --events 10000000 --out /tmp/ev10m.parquet
    python benchmarks/evidence_bench.py compare --file /tmp/ev10m.parquet --repeat 3

``compare`` runs each implementation as a whole subprocess (interpreter start, imports, reading,
computing, writing the CSV) ``--repeat`` times and reports the best wall time and the peak RSS
(``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` measured by a fresh wrapper per run).
Both compute, on a GA4-shaped log: rows per event name, time range, users per touchpoint
overall and per segment, conversion, drop-off and the median seconds to the next funnel step
(with the returning-visitor rule of journeytools.evidence.funnel). journeytools additionally
computes the stage roll-up, issue counts per month and privacy suppression.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKSHOP = ROOT / "tests" / "evidence" / "fixtures" / "shop"
FUNNEL = ["product-page", "cart", "checkout", "order-confirmation"]
TOUCHPOINTS = {"home": ["page_view"], "product-page": ["view_item", "view_item_list"],
               "cart": ["add_to_cart", "view_cart"], "checkout": ["begin_checkout", "add_payment_info"],
               "order-confirmation": ["purchase"]}
MAPPING = f"""\
preset: ga4
columns: {{segment: device_category}}
touchpoints: {json.dumps(TOUCHPOINTS)}
funnel: {json.dumps(FUNNEL)}
issues: {{checkout: [checkout_error]}}
"""


# -- data ----------------------------------------------------------------------------------
def generate(n_events: int, out: Path, seed: int = 20261122) -> int:
    """A GA4-shaped Parquet log of about ``n_events`` rows (vectorised, reproducible)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    steps = [["page_view", "session_start", "scroll"], ["view_item", "view_item_list"],
             ["add_to_cart", "view_cart"], ["begin_checkout", "add_payment_info"], ["purchase"]]
    n_users = int(n_events / 4.2) + 1
    mobile = rng.random(n_users) < 0.6
    # depth: how many funnel steps each user reaches (page_view always)
    cont = np.array([0.75, 0.35, 0.7, 0.8])
    depth = np.ones(n_users, dtype=np.int64)
    alive = np.ones(n_users, dtype=bool)
    for i, p in enumerate(cont):
        q = np.where(mobile, p * (0.55 if i == 3 else 1.0), p)
        alive &= rng.random(n_users) < q
        depth += alive
    start = (1_788_220_800 + rng.integers(0, 90 * 86400, n_users)) * 1_000_000  # from 2026-09-01
    user_idx = np.repeat(np.arange(n_users), depth)
    step = np.arange(len(user_idx)) - np.repeat(np.cumsum(depth) - depth, depth)
    gap = rng.exponential(120e6, len(step)).astype(np.int64)
    # time of each step: user start + gaps of the steps so far
    first = np.repeat(np.cumsum(gap)[np.cumsum(depth) - depth] - gap[np.cumsum(depth) - depth], depth)
    t_step = start[user_idx] + (np.cumsum(gap) - first)
    returning = rng.random(len(step)) < 0.03  # some come back days later / earlier
    t_step = t_step + np.where(returning, rng.integers(-3, 4, len(step)) * 86400_000_000, 0)
    reps = 1 + rng.poisson(0.9, len(step))  # events per reached step
    ev_user = np.repeat(user_idx, reps)
    ev_step = np.repeat(step, reps)
    ev_t = np.repeat(t_step, reps) + rng.integers(0, 300_000_000, len(ev_user))
    names = np.empty(len(ev_step), dtype=object)
    for s, alts in enumerate(steps):
        mask = ev_step == s
        names[mask] = np.array(alts, dtype=object)[rng.integers(0, len(alts), int(mask.sum()))]
    err = (ev_step == 3) & mobile[ev_user] & (rng.random(len(ev_step)) < 0.25)
    names[err] = "checkout_error"
    if len(ev_user) > n_events:
        ev_user, ev_t, names = ev_user[:n_events], ev_t[:n_events], names[:n_events]
    order = rng.permutation(len(ev_user))  # exports are not sorted by user
    ids = pc.binary_join_element_wise(
        pc.cast(pa.array(ev_user[order] * 7919 + 1_000_003), pa.string()),
        pc.cast(pa.array(1_700_000_000 + ev_user[order] % 86400), pa.string()), ".")
    table = pa.table({"user_pseudo_id": ids,
                      "event_name": pa.array(names[order].tolist(), pa.string()),
                      "event_timestamp": pa.array(ev_t[order], pa.int64()),
                      "device_category": pa.array(np.where(mobile[ev_user[order]], "mobile", "desktop"))})
    pq.write_table(table, out, row_group_size=1_000_000)
    return table.num_rows


# -- the two implementations, each run in its own subprocess -----------------------------------
def run_tool(file: Path, out: Path) -> None:
    from journeytools.evidence import compute_evidence, write_evidence

    ws = out / "shop"
    shutil.copytree(WORKSHOP, ws)
    (ws / "mapping.yml").write_text(MAPPING)
    kw = {"memory_limit": os.environ["JT_MEM"]} if os.environ.get("JT_MEM") else {}
    result = compute_evidence(ws, file, ws / "mapping.yml", **kw)
    write_evidence(result)
    shutil.copy(ws / "evidence" / "funnel.csv", out / "funnel_tool.csv")


def run_pandas(file: Path, out: Path) -> None:
    import pandas as pd

    df = pd.read_parquet(file, columns=["user_pseudo_id", "event_name", "event_timestamp",
                                        "device_category"])
    df["ts"] = pd.to_datetime(df["event_timestamp"], unit="us")
    per_event = df.groupby("event_name", observed=True).agg(n=("ts", "size"), first=("ts", "min"),
                                                            last=("ts", "max"))
    event_tp = {e: tp for tp, names in TOUCHPOINTS.items() for e in names}
    pos = {tp: i for i, tp in enumerate(FUNNEL)}
    df["tp"] = df["event_name"].map(event_tp)
    ev = df[df["tp"].notna()].copy()
    ev["pos"] = ev["tp"].map(pos).fillna(-1).astype(int)
    del df
    firsts = ev.groupby(["user_pseudo_id", "device_category", "tp"], observed=True,
                        as_index=False).agg(first=("ts", "min"), pos=("pos", "first"))
    rows = []
    for seg in ["", "desktop", "mobile"]:
        f = firsts if seg else firsts.groupby(["user_pseudo_id", "tp"], as_index=False).agg(
            first=("first", "min"), pos=("pos", "first"))
        e = ev if seg else ev.drop(columns="device_category")
        if seg:
            f = f[f["device_category"] == seg]
            e = ev[ev["device_category"] == seg]
        users = f.groupby("tp").size()
        lf = f[f["pos"] >= 0][["user_pseudo_id", "pos", "first"]]
        nxt = lf.assign(pos=lf["pos"] - 1).rename(columns={"first": "t1"})
        pairs = lf.merge(nxt, on=["user_pseudo_id", "pos"])
        ok = pairs[pairs["t1"] >= pairs["first"]]
        late = pairs[pairs["t1"] < pairs["first"]]
        raw = e[["user_pseudo_id", "pos", "ts"]].assign(pos=e["pos"] - 1)
        late = late.merge(raw, on=["user_pseudo_id", "pos"])
        late = late[late["ts"] >= late["first"]].groupby(["user_pseudo_id", "pos"], as_index=False).agg(
            first=("first", "first"), t1=("ts", "min"))
        gaps = pd.concat([ok[["pos", "first", "t1"]], late[["pos", "first", "t1"]]])
        med = ((gaps["t1"] - gaps["first"]).dt.total_seconds()).groupby(gaps["pos"]).median()
        prev = None
        for tp in FUNNEL:
            u = int(users.get(tp, 0))
            rows.append({"touchpoint": tp, "segment": seg, "users": u,
                         "conversion": u / prev if prev else None,
                         "drop_off": max(prev - u, 0) if prev is not None else None,
                         "median_seconds_to_next": med.get(pos[tp])})
            prev = u
    pd.DataFrame(rows).to_csv(out / "funnel_pandas.csv", index=False)
    (out / "stats_pandas.json").write_text(json.dumps({"rows": int(per_event["n"].sum()),
                                                       "from": str(per_event["first"].min())}))


# -- measuring ----------------------------------------------------------------------------------
def measure(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one subprocess, via a fresh wrapper process."""
    wrapper = ("import resource,subprocess,sys,time,json;t=time.perf_counter();"
               "subprocess.run(sys.argv[1:],check=True);w=time.perf_counter()-t;"
               "print(json.dumps([w,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))")
    res = subprocess.run([sys.executable, "-c", wrapper, *cmd], check=True, capture_output=True,
                         text=True)
    wall, kb = json.loads(res.stdout.strip().splitlines()[-1])
    return wall, kb * 1024


def compare(file: Path, repeat: int, impls: list[str]) -> dict:
    out: dict = {"file": str(file), "size_mb": round(file.stat().st_size / 1e6, 1), "runs": {}}
    import pyarrow.parquet as pq

    out["events"] = pq.ParquetFile(file).metadata.num_rows
    for impl in impls:
        walls, peaks = [], []
        for _ in range(repeat):
            with tempfile.TemporaryDirectory() as tmp:
                wall, peak = measure([sys.executable, __file__, "run", impl, str(file), tmp])
            walls.append(wall)
            peaks.append(peak)
            print(f"{impl}: {wall:.2f} s, peak RSS {peak / 2**20:.0f} MiB", file=sys.stderr)
        out["runs"][impl] = {"best_s": round(min(walls), 2), "walls": [round(w, 2) for w in walls],
                             "peak_rss_mib": round(max(peaks) / 2**20)}
    r = out["runs"]
    if "tool" in r and "pandas" in r:
        out["speedup"] = round(r["pandas"]["best_s"] / r["tool"]["best_s"], 2)
        out["memory_ratio"] = round(r["tool"]["peak_rss_mib"] / r["pandas"]["peak_rss_mib"], 2)
    return out


def check_same(file: Path) -> None:
    """Both implementations agree on users, conversion, drop-off and medians."""
    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        run_tool(file, Path(tmp))
        run_pandas(file, Path(tmp))
        a = pd.read_csv(Path(tmp) / "funnel_tool.csv", keep_default_na=False)
        b = pd.read_csv(Path(tmp) / "funnel_pandas.csv", keep_default_na=False)
    a = a[a["step"].astype(str) != ""]
    for col in ("users", "median_seconds_to_next"):
        x = pd.to_numeric(a[col], errors="coerce").round(1).fillna(-1).tolist()
        y = pd.to_numeric(b[col], errors="coerce").round(1).fillna(-1).tolist()
        assert x == y, (col, x, y)
    print("tool and pandas agree", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate")
    g.add_argument("--events", type=int, default=10_000_000)
    g.add_argument("--out", type=Path, required=True)
    g.add_argument("--seed", type=int, default=20261122)
    r = sub.add_parser("run")
    r.add_argument("impl", choices=["tool", "pandas"])
    r.add_argument("file", type=Path)
    r.add_argument("out", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("--file", type=Path, required=True)
    c.add_argument("--repeat", type=int, default=3)
    c.add_argument("--impl", action="append", choices=["tool", "pandas"])
    s = sub.add_parser("check")
    s.add_argument("--file", type=Path, required=True)
    a = ap.parse_args()
    if a.cmd == "generate":
        t = time.perf_counter()
        n = generate(a.events, a.out, a.seed)
        print(f"wrote {n:,} events to {a.out} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    elif a.cmd == "run":
        (run_tool if a.impl == "tool" else run_pandas)(a.file, a.out)
    elif a.cmd == "check":
        check_same(a.file)
    else:
        print(json.dumps(compare(a.file, a.repeat, a.impl or ["tool", "pandas"]), indent=2))


if __name__ == "__main__":
    main()
