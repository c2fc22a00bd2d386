"""Dot voting: each participant spends a small budget of dots on pain points and ideas.

>>> board = DotVoting("workshops/luggage-store")        # doctest: +SKIP
>>> board.voter.value = "ana"; board.item.value = "cart-error"; board.votes.value = 2
>>> board.vote()                                        # doctest: +SKIP
True
"""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as w

from ..model.checks import dots_spent
from ..store.append import add_vote
from ..vocab import one_line, shorten
from ._base import ChartFn, Editor, field_row, message


class DotVoting(Editor):
    """Vote with dots (``jt.add_vote``: locked, re-read, budget checked, appended).

    ``what`` limits the items to ``"pain_points"`` or ``"opportunities"`` (default both).
    """

    def __init__(self, folder: str | os.PathLike, what: str = "both", chart: ChartFn | None = None,
                 **kwargs: Any) -> None:
        super().__init__(folder, chart, **kwargs)
        self.what = what
        self._build()

    def _options(self) -> list[tuple[str, str]]:
        ws = self.ws
        out: list[tuple[str, str]] = []
        if self.what in ("both", "pain_points"):
            out += [(f"Pain · {i}: {shorten(one_line(d), 50)}", i)
                    for i, d in zip(ws.pain_points["id"], ws.pain_points["description"])]
        if self.what in ("both", "opportunities"):
            out += [(f"Idea · {shorten(one_line(t), 60)}", i)
                    for i, t in zip(ws.opportunities["id"], ws.opportunities["title"])]
        return out

    def _build(self) -> None:
        budget = self.ws.dots_per_voter
        self.voter = w.Text(placeholder="your name", continuous_update=False)
        self.item = w.Dropdown(options=self._options(), layout=w.Layout(width="34em"))
        self.votes = w.IntSlider(1, min=1, max=budget, continuous_update=False)
        self.voter_note, self.item_note, self.votes_note = w.HTML(), w.HTML(), w.HTML()
        self.voter.observe(lambda _c: self.check(), names="value")
        self.votes.observe(lambda _c: self.check(), names="value")
        button = w.Button(description="Vote", icon="check", button_style="primary").add_class("jt-vote")
        button.on_click(lambda _b: self.vote())
        intro = w.HTML(f"<b>Dot voting</b>: {budget} dots each. Put them on what matters most to "
                       "customers; several dots on one item is fine.")
        self._layout(intro, field_row("Your name", self.voter, self.voter_note, name="voter"),
                     field_row("Vote for", self.item, self.item_note, name="item"),
                     field_row("Dots", self.votes, self.votes_note, name="votes"), button)

    def dots_left(self, voter: str | None = None) -> int:
        """Dots the voter has left, read from the folder (other voters may have voted)."""
        from ..store.folder import load

        self.ws = load(self.folder)
        voter = self.voter.value if voter is None else voter
        return self.ws.dots_per_voter - dots_spent(self.ws.votes, voter)

    def check(self) -> str | None:
        """Check the voter and dots; show messages next to them; returns the error or None."""
        self.voter_note.value = self.votes_note.value = ""
        if not self.voter.value.strip():
            err = "enter your name first"
            self.voter_note.value = message(err)
            return err
        left = self.dots_left()
        self.voter_note.value = message(f"{left} of {self.ws.dots_per_voter} dots left", "hint")
        if self.votes.value > left:
            err = (f"only {left} dot{'s' if left != 1 else ''} left"
                   if left else "no dots left: thank you for voting")
            self.votes_note.value = message(err)
            return err
        return None

    def vote(self) -> bool:
        """Spend the dots; returns whether the vote was recorded."""
        if not self.item.value:
            self.item_note.value = message("nothing to vote on yet")
            return False
        err = self.check()
        if err:
            self._set_status(f"Not counted: {err}")
            return False
        try:
            left = add_vote(self.folder, self.voter.value, self.item.value, int(self.votes.value))
        except ValueError as exc:
            self.votes_note.value = message(str(exc))
            self._set_status(f"Not counted: {exc}")
            return False
        self.voter_note.value = message(f"{left} of {self.ws.dots_per_voter} dots left", "hint")
        self._saved(f"{self.voter.value}: {self.votes.value} dot(s) on {self.item.value}; "
                    f"{left} left (saved to votes.csv)", reload=True)
        return True
