"""Many writer processes at once: nothing lost, budgets held, facilitator saves keep participant rows."""

from __future__ import annotations

import multiprocessing as mp
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import journeytools as jt
from journeytools.model.checks import dots_spent

pytestmark = pytest.mark.slow

CTX = mp.get_context("fork")


def set_budget(folder: Path, dots: int) -> None:
    meta = folder / "workshop.yml"
    text = meta.read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^dots_per_voter:.*$", f"dots_per_voter: {dots}", text)
    meta.write_text(text if n else text + f"\ndots_per_voter: {dots}\n", encoding="utf-8")


def _child(target: Callable[..., Any], go: Any, queue: Any, args: tuple) -> None:
    go.wait(30)
    try:
        queue.put(("ok", target(*args)))
    except BaseException as exc:  # report, never hang the parent
        queue.put(("crash", repr(exc)))


def run_processes(target: Callable[..., Any], arglist: list[tuple], timeout: float = 120) -> list:
    """Start one process per args tuple, release them together, return their results."""
    go, queue = CTX.Event(), CTX.Queue()
    procs = [CTX.Process(target=_child, args=(target, go, queue, args)) for args in arglist]
    for p in procs:
        p.start()
    go.set()
    results = [queue.get(timeout=timeout) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    crashes = [r for kind, r in results if kind == "crash"]
    assert not crashes, crashes
    return [r for _, r in results]


def cast_votes(folder: str, voter: str, items: list[str], n: int) -> list[int]:
    return [jt.add_vote(folder, voter=voter, item=items[i % len(items)], votes=1) for i in range(n)]


def try_votes(folder: str, voter: str, item: str, n: int) -> list[str]:
    out = []
    for _ in range(n):
        try:
            jt.add_vote(folder, voter=voter, item=item, votes=1)
            out.append("ok")
        except ValueError as exc:
            out.append(f"refused: {exc}")
    return out


def add_pains(folder: str, who: int, n: int) -> list[str]:
    # the same descriptions in every process: ids must still come out unique
    return [jt.add_pain_point(folder, persona="*", touchpoint="cart",
                              description=f"Cart times out (report {i})", severity=3, frequency=2,
                              evidence=f"writer {who}")
            for i in range(n)]


def test_20_processes_x_50_votes_all_recorded(luggage: Path) -> None:
    set_budget(luggage, 100)
    ws = jt.load(luggage)
    before = len(ws.votes)
    items = list(ws.pain_points["id"]) + list(ws.opportunities["id"])
    voters = [f"voter-{i:02d}" for i in range(20)]
    results = run_processes(cast_votes, [(str(luggage), v, items, 50) for v in voters])

    for left in results:  # each voter saw its own budget go down one dot at a time
        assert left == list(range(99, 49, -1))
    report = jt.validate(luggage)
    assert report.ok, report.errors
    assert not [w for w in report.warnings if w.file == "votes.csv"]
    votes = report.workshop.votes
    assert len(votes) == before + 1000
    new = votes[votes["voter"].isin(voters)]
    assert int(new["votes"].sum()) == 1000
    assert new.groupby("voter")["votes"].sum().to_dict() == {v: 50 for v in voters}


def test_concurrent_pain_points_all_present(luggage: Path) -> None:
    before = set(jt.load(luggage).pain_points["id"])
    results = run_processes(add_pains, [(str(luggage), who, 5) for who in range(10)])
    ids = [pid for chunk in results for pid in chunk]
    assert len(ids) == 50 and len(set(ids)) == 50
    ws = jt.load(luggage)
    assert set(ws.pain_points["id"]) == before | set(ids)
    mine = ws.pain_points[ws.pain_points["id"].isin(ids)]
    assert sorted(mine["evidence"]) == sorted(f"writer {w}" for w in range(10) for _ in range(5))


def test_budget_enforced_under_concurrency(luggage: Path) -> None:
    # budget 5 (luggage default); 12 processes, 2 tries each, one person typing their name differently
    names = ["Kim", "kim", " KIM ", "Kim"] * 3
    results = run_processes(try_votes, [(str(luggage), name, "cart-error", 2) for name in names])
    outcomes = [o for chunk in results for o in chunk]
    assert outcomes.count("ok") == 5
    refused = [o for o in outcomes if o != "ok"]
    assert len(refused) == 19 and all("0 of 5 dots left" in o for o in refused)
    ws = jt.load(luggage)
    assert dots_spent(ws.votes, "kim") == 5


def test_unknown_item_and_markup_refused(luggage: Path) -> None:
    before = (luggage / "votes.csv").read_bytes()
    for item in ["no-such-thing", "<script>alert(1)</script>", ""]:
        with pytest.raises(ValueError, match="unknown item"):
            jt.add_vote(luggage, voter="ana", item=item)
    with pytest.raises(ValueError):
        jt.add_vote(luggage, voter="ana", item="cart-error", votes=6)
    assert (luggage / "votes.csv").read_bytes() == before


def test_facilitator_save_keeps_participant_rows(luggage: Path) -> None:
    set_budget(luggage, 100)
    # facilitator edits opportunities while participants append votes and pain points
    ws = jt.load(luggage)
    ws.opportunities.loc[ws.opportunities["id"] == "fix-cart-error", "owner"] = "Web team"
    jt.add_vote(luggage, voter="lena", item="no-pink")
    pid = jt.add_pain_point(luggage, persona="mia", touchpoint="cart",
                            description="Cart forgets the colour", severity=2, frequency=2)
    jt.save(ws)  # a different table changed on disk: fine
    after = jt.load(luggage)
    assert pid in set(after.pain_points["id"])
    assert ((after.votes["voter"] == "lena") & (after.votes["item"] == "no-pink")).sum() == 2
    assert after.opportunities.set_index("id").loc["fix-cart-error", "owner"] == "Web team"

    # the same table changed on both sides: refused, nothing dropped
    ws = jt.load(luggage)
    ws.pain_points.loc[ws.pain_points["id"] == "cart-error", "severity"] = 4
    pid2 = jt.add_pain_point(luggage, persona="mia", touchpoint="cart",
                             description="Cart loses the voucher", severity=2, frequency=2)
    with pytest.raises(jt.ConflictError, match="pain_points.csv"):
        jt.save(ws)
    again = jt.load(luggage)
    assert {pid, pid2} <= set(again.pain_points["id"])
    assert int(again.pain_points.set_index("id").loc["cart-error", "severity"]) == 5


def facilitator_saves(folder: str, rounds: int) -> dict[str, int]:
    """Reload, edit an opportunity, save: like a facilitator tidying up during the session."""
    saved = conflicts = 0
    for i in range(rounds):
        ws = jt.load(folder)
        ws.opportunities.loc[ws.opportunities["id"] == "fix-cart-error", "owner"] = f"round {i}"
        try:
            jt.save(ws)
            saved += 1
        except jt.ConflictError:
            conflicts += 1
    return {"saved": saved, "conflicts": conflicts}


def test_facilitator_saving_during_concurrent_appends(luggage: Path) -> None:
    set_budget(luggage, 100)
    ws = jt.load(luggage)
    before_votes, before_pains = len(ws.votes), len(ws.pain_points)
    items = list(ws.pain_points["id"])
    args: list[tuple] = [(str(luggage), f"p{i}", items, 15) for i in range(4)]
    jobs = [(cast_votes, a) for a in args] + [(add_pains, (str(luggage), 99, 10)),
                                              (facilitator_saves, (str(luggage), 25))]
    go, queue = CTX.Event(), CTX.Queue()
    procs = [CTX.Process(target=_child, args=(fn, go, queue, a)) for fn, a in jobs]
    for p in procs:
        p.start()
    go.set()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert all(kind == "ok" for kind, _ in results), results
    fac = next(r for _, r in results if isinstance(r, dict))
    assert fac["saved"] == 25  # opportunities were never touched by participants
    after = jt.load(luggage)
    assert len(after.votes) == before_votes + 60
    assert len(after.pain_points) == before_pains + 10
    assert after.opportunities.set_index("id").loc["fix-cart-error", "owner"] == "round 24"
