"""Small-count suppression that cannot be undone by subtraction (complementary suppression).

Hiding a count under k users is not enough when a total and the other parts are published: all
segments − desktop − mobile gives the hidden tablet count exactly. ``Suppression`` collects the
counts of one output (each a *cell* with its true value), the additive relations an attacker
knows (``total = part + part + …``), which cells are shown or hidden together (``bundle``) and
which hiding forces another (``follows``), then decides what to hide:

1. **Primary**: every cell the caller marks (1 to k−1 users).
2. **Complementary**, repeated until nothing changes, in every relation whose total or parts
   are hidden:

   * never exactly one hidden cell: hide the next-smallest published part (non-zero parts
     first; the total only when no part is left);
   * when the total is published, the hidden parts together hold 0 or at least k (so the
     difference ``total − published parts`` is never itself a small count): hide the next
     smallest part until they do.

3. **Linear check**: relations overlap (a touchpoint's users per segment *and* per month), and
   in such grids a hidden cell can still be pinned by combining several relations. Every hidden
   cell is tested for being a linear combination of published numbers (its unit vector lies in
   the row space of the relations restricted to hidden cells); for each one that is, the
   smallest published part of one of its relations is hidden too, and steps 2–3 repeat.

Hiding a cell hides its bundle and whatever ``follows`` it; the loop ends because each round
hides at least one more cell. Values must be non-negative counts.

>>> s = Suppression(k=5)
>>> for seg, n in [("", 100), ("desktop", 60), ("mobile", 37), ("tablet", 3)]:
...     s.cell(("users", seg), n)
>>> s.relation(("users", ""), [("users", "desktop"), ("users", "mobile"), ("users", "tablet")])
>>> hidden = s.solve()
>>> sorted(key[1] for key in hidden), hidden[("users", "mobile")]
(['mobile', 'tablet'], 'complementary')
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

PRIMARY, COMPLEMENTARY, LINKED = "primary", "complementary", "linked"


@dataclass
class _Cell:
    value: int
    primary: bool
    order: int


class Suppression:
    """Decide which counts to hide so that none of them can be worked out from the others."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.cells: dict[Hashable, _Cell] = {}
        self.relations: list[tuple[Hashable, tuple[Hashable, ...]]] = []
        self._bundle: dict[Hashable, list[Hashable]] = {}
        self._follows: dict[Hashable, list[Hashable]] = {}
        self._member_of: dict[Hashable, list[int]] = {}

    # -- building --------------------------------------------------------------------------
    def cell(self, key: Hashable, value: int, primary: bool | None = None) -> None:
        """A published count; ``primary`` defaults to 1 ≤ value < k."""
        value = int(value)
        if primary is None:
            primary = 0 < value < self.k
        old = self.cells.get(key)
        self.cells[key] = _Cell(value, primary or (old is not None and old.primary),
                                old.order if old else len(self.cells))

    def relation(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        """``total = sum(parts)`` is known to readers (parts missing from the output are 0)."""
        members = tuple(p for p in parts if p in self.cells)
        if total not in self.cells or not members:
            return
        index = len(self.relations)
        self.relations.append((total, members))
        for m in (total, *members):
            self._member_of.setdefault(m, []).append(index)

    def bundle(self, *keys: Hashable) -> None:
        """Cells shown in one row and hidden together (e.g. issue users and issue events)."""
        keys = tuple(k for k in keys if k in self.cells)
        for a in keys:
            self._bundle.setdefault(a, []).extend(b for b in keys if b != a)

    def follows(self, cause: Hashable, effect: Hashable) -> None:
        """Hide ``effect`` whenever ``cause`` is hidden."""
        if cause in self.cells and effect in self.cells:
            self._follows.setdefault(cause, []).append(effect)

    # -- solving ---------------------------------------------------------------------------
    def solve(self) -> dict[Hashable, str]:
        """Hidden cell -> why: ``primary``, ``complementary`` or ``linked`` (bundle/follows)."""
        hidden: dict[Hashable, str] = {}
        for key, c in self.cells.items():
            if c.primary:
                self._hide(key, PRIMARY, hidden)
        for _ in range(len(self.cells) + 1):
            self._settle(hidden)
            pinned = self.pinned(hidden)
            if not pinned or not self._unpin(pinned, hidden):
                break
        return hidden

    def _hide(self, key: Hashable, why: str, hidden: dict[Hashable, str]) -> None:
        todo = [(key, why)]
        while todo:
            k, w = todo.pop()
            if k in hidden:
                if w == PRIMARY:
                    hidden[k] = PRIMARY
                continue
            hidden[k] = w
            todo += [(b, PRIMARY if w == PRIMARY else LINKED) for b in self._bundle.get(k, ())]
            todo += [(b, LINKED) for b in self._follows.get(k, ())]

    def _settle(self, hidden: dict[Hashable, str]) -> None:
        """Apply the two per-relation rules until no relation asks for more."""
        changed = True
        while changed:
            changed = False
            for total, parts in self.relations:
                while True:
                    pick = self._needs(total, parts, hidden)
                    if pick is None:
                        break
                    self._hide(pick, COMPLEMENTARY, hidden)
                    changed = True

    def _needs(self, total: Hashable, parts: Sequence[Hashable],
               hidden: dict[Hashable, str]) -> Hashable | None:
        """The next cell to hide in this relation, or None when it is safe."""
        shown = [p for p in parts if p not in hidden]
        n_hidden = len(parts) - len(shown) + (total in hidden)
        if n_hidden == 0:
            return None
        small = False
        if total not in hidden:
            rest = sum(self.cells[p].value for p in parts if p in hidden)
            small = 0 < rest < self.k
        if n_hidden != 1 and not small:
            return None
        ranked = sorted(shown, key=lambda p: (self.cells[p].value == 0, self.cells[p].value,
                                              self.cells[p].order))
        if ranked:
            return ranked[0]
        return total if total not in hidden else None

    def pinned(self, hidden: dict[Hashable, str]) -> list[Hashable]:
        """Hidden cells that published numbers determine through the relations (linear algebra)."""
        keys = [k for k in hidden if k in self._member_of]
        if not keys:
            return []
        col = {k: i for i, k in enumerate(keys)}
        rows = []
        for total, parts in self.relations:
            row: dict[int, int] = {}
            for m, sign in ((total, 1), *((p, -1) for p in parts)):
                if m in col:
                    row[col[m]] = row.get(col[m], 0) + sign
            row = {i: v for i, v in row.items() if v}
            if row:
                rows.append(row)
        out = []
        for comp_rows, comp_cols in _components(rows):
            if len(comp_rows) < 2:  # one relation with two or more hidden cells pins none
                if len(comp_cols) == 1:
                    out.append(keys[comp_cols[0]])
                continue
            local = {c: j for j, c in enumerate(comp_cols)}
            a = np.zeros((len(comp_rows), len(comp_cols)))
            for r, row in enumerate(comp_rows):
                for c, v in row.items():
                    a[r, local[c]] = v
            reach = _row_space_diagonal(a)
            out += [keys[c] for c, r in zip(comp_cols, reach) if r > 1 - 1e-6]
        return sorted(out, key=lambda k: self.cells[k].order)

    def _unpin(self, pinned: list[Hashable], hidden: dict[Hashable, str]) -> bool:
        """Hide one more published cell next to each pinned cell; False when none is left."""
        done = False
        for key in pinned:
            options = []
            for i in self._member_of.get(key, ()):
                total, parts = self.relations[i]
                options += [(0, self.cells[p].value == 0, self.cells[p].value, self.cells[p].order, p)
                            for p in parts if p not in hidden]
                if total not in hidden:
                    options.append((1, False, self.cells[total].value, self.cells[total].order, total))
            if options:
                self._hide(min(options, key=lambda o: o[:4])[4], COMPLEMENTARY, hidden)
                done = True
        return done


def _row_space_diagonal(a: np.ndarray) -> np.ndarray:
    """For each column i, the squared length of e_i projected on the row space of ``a``:
    1 exactly when e_i is a combination of the rows (the cell is pinned).

    Computed from the eigenvectors of the smaller Gram matrix (integer, so exact in floats),
    much faster than an SVD of a wide relation matrix; eigenvalues under 1e-10 of the largest
    count as zero (the relations are sparse ±1 rows, far from that).
    """
    m, n = a.shape
    if n <= m:
        lam, w = np.linalg.eigh(a.T @ a)
        keep = lam > lam.max() * 1e-10
        return (w[:, keep] ** 2).sum(axis=1)
    lam, u = np.linalg.eigh(a @ a.T)
    keep = lam > lam.max() * 1e-10
    v = a.T @ u[:, keep]
    return (v ** 2 / lam[keep]).sum(axis=1)


def _components(rows: list[dict[int, int]]) -> list[tuple[list[dict[int, int]], list[int]]]:
    """Split the relation rows into groups that share no hidden cell."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in rows:
        cols = list(row)
        for c in cols[1:]:
            parent[find(c)] = find(cols[0])
        find(cols[0])
    groups: dict[int, tuple[list[dict[int, int]], set[int]]] = {}
    for row in rows:
        g = groups.setdefault(find(next(iter(row))), ([], set()))
        g[0].append(row)
        g[1].update(row)
    return [(r, sorted(c)) for r, c in groups.values()]
