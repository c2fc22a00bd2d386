"""The complementary-suppression rules on their own (journeytools.evidence.privacy)."""

from __future__ import annotations

import doctest

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from journeytools.evidence import privacy
from journeytools.evidence.privacy import COMPLEMENTARY, PRIMARY, Suppression


def grid(values: list[list[int]], k: int = 5) -> Suppression:
    """A table with row totals, column totals and a grand total, all published."""
    s = Suppression(k)
    rows, cols = len(values), len(values[0])
    for i in range(rows):
        for j in range(cols):
            s.cell((i, j), values[i][j])
        s.cell((i, "all"), sum(values[i]))
        s.relation((i, "all"), [(i, j) for j in range(cols)])
    for j in range(cols):
        s.cell(("all", j), sum(v[j] for v in values))
        s.relation(("all", j), [(i, j) for i in range(rows)])
    s.cell(("all", "all"), sum(map(sum, values)))
    s.relation(("all", "all"), [(i, "all") for i in range(rows)])
    s.relation(("all", "all"), [("all", j) for j in range(cols)])
    return s


def pinned(s: Suppression, hidden: dict) -> list:
    """Independent check: hidden cells whose unit vector is in the row space (matrix_rank)."""
    keys = sorted(hidden, key=str)
    col = {key: i for i, key in enumerate(keys)}
    a = np.zeros((len(s.relations), len(keys)))
    for r, (total, parts) in enumerate(s.relations):
        for key, sign in ((total, 1), *((p, -1) for p in parts)):
            if key in col:
                a[r, col[key]] += sign
    base = np.linalg.matrix_rank(a)
    out = []
    for key, i in col.items():
        unit = np.zeros((1, len(keys)))
        unit[0, i] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == base:
            out.append(key)
    return out


def safe(s: Suppression, hidden: dict) -> None:
    for key, cell in s.cells.items():
        if cell.primary:
            assert hidden.get(key) == PRIMARY
    for total, parts in s.relations:
        members = [total, *parts]
        n = sum(m in hidden for m in members)
        assert n != 1, (total, parts, hidden)
        if total not in hidden:
            rest = sum(s.cells[p].value for p in parts if p in hidden)
            assert not 0 < rest < s.k, (total, rest)
    assert not pinned(s, hidden)


def test_docstring_example():
    assert doctest.testmod(privacy).failed == 0


def test_two_small_cells_need_a_third():
    s = Suppression(5)
    for seg, n in [("all", 100), ("desktop", 60), ("mobile", 36), ("tablet", 3), ("watch", 1)]:
        s.cell(seg, n)
    s.relation("all", ["desktop", "mobile", "tablet", "watch"])
    hidden = s.solve()
    # tablet + watch = 4 would still be a count under k: mobile is hidden too
    assert hidden == {"tablet": PRIMARY, "watch": PRIMARY, "mobile": COMPLEMENTARY}


def test_zero_parts_are_not_used_as_complements():
    s = Suppression(5)
    for seg, n in [("all", 50), ("a", 0), ("b", 3), ("c", 47)]:
        s.cell(seg, n)
    s.relation("all", ["a", "b", "c"])
    assert s.solve() == {"b": PRIMARY, "c": COMPLEMENTARY}


def test_identity_hides_the_total():
    s = Suppression(5)
    s.cell("stage", 9)
    s.cell("touchpoint", 9)
    s.relation("stage", ["touchpoint"])  # a stage with one touchpoint
    s.cell("touchpoint", 9, primary=True)
    assert s.solve() == {"touchpoint": PRIMARY, "stage": COMPLEMENTARY}


def test_bundles_and_follows():
    s = Suppression(5)
    for key, n in [("users", 2), ("events", 9), ("next", 40)]:
        s.cell(key, n)
    s.bundle("users", "events")
    s.follows("users", "next")
    assert s.solve() == {"users": PRIMARY, "events": PRIMARY, "next": "linked"}


def test_grid_where_per_relation_rules_are_not_enough():
    values = [[8, 1, 0], [20, 3, 2], [50, 2, 8], [20, 2, 8], [1, 0, 0]]
    s = grid(values)
    hidden: dict = {}
    for key, cell in s.cells.items():
        if cell.primary:
            hidden[key] = PRIMARY
    s._settle(hidden)  # only the per-relation rules: a hidden cell is still pinned
    assert pinned(s, hidden)
    safe(s, s.solve())


@settings(max_examples=200, deadline=None)
@given(st.integers(2, 6).flatmap(lambda r: st.lists(
    st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 8, 13, 40]), min_size=r, max_size=r),
    min_size=2, max_size=6)), st.integers(2, 6))
def test_random_grids_are_safe(values, k):
    s = grid(values, k)
    safe(s, s.solve())
