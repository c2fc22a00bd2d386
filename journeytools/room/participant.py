"""The participant's page: name, stage → touchpoint, add pain points and ideas, spend dots.

Every write goes through the concurrent-safe appends (``jt.add_pain_point``, ``jt.add_opportunity``,
``jt.add_vote``): under the folder lock, re-reading before writing, so many browsers can add at
once without losing rows or overspending a budget. Widgets only collect values; every piece of
HTML on the page comes from ``render`` (autoescaped templates), each message under the button
that caused them, in words (names from the map, never ids) and in an area the room's page
announces to screen readers (class ``jt-live``). One column, so a phone shows it all; an empty
list is replaced by a hint saying why and what to do. Participants are not trusted as the
facilitator is: text a spreadsheet would run as a formula (``=…``, ``+…``, ``-…``, ``@…``) is
refused by the appends, and the message says why while the form keeps the text for rewording.

>>> room = ParticipantRoom("workshops/luggage-store")   # doctest: +SKIP
>>> room                                                # in a notebook: shows the page
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..model.workshop import Workshop
from ..store.append import add_opportunity, add_pain_point, add_vote
from ..store.folder import load
from ..vocab import one_line, shorten
from . import _data as data
from .render import (
    Level,
    budget_html,
    header_html,
    hint_html,
    journey_html,
    message_html,
    section_html,
)

_LABEL_STYLE = {"description_width": "7.5em"}  # in Jupyter; the room's page puts labels above


def _wide(height: str | None = None) -> w.Layout:
    """A layout of its own per widget (hiding one must not hide the others)."""
    return w.Layout(width="100%", max_width="40em", height=height)


def _labelled(cls: str, widget: w.Widget) -> w.Widget:
    widget.add_class(cls)
    return widget


def _live(cls: str) -> w.HTML:
    """A message area the page announces to screen readers (see the jt-room template)."""
    return _labelled(cls, _labelled("jt-live", w.HTML()))


def _dots(n: int) -> str:
    return f"{n} dot{'' if n == 1 else 's'}"


class ParticipantRoom:
    """One participant's controls for a workshop folder (one instance per browser page)."""

    def __init__(self, folder: str | os.PathLike) -> None:
        self.folder = Path(folder)
        self.ws: Workshop = load(self.folder)
        ws = self.ws
        stages = data.stage_choices(ws)
        first = stages[0][1] if stages else None

        self.header = w.HTML(header_html(ws, "Live workshop room: add what hurts, suggest ideas, "
                                             "spend your dots."))
        self.name = _labelled("jt-name", w.Text(description="Your name", placeholder="e.g. Lena",
                                                style=_LABEL_STYLE, layout=_wide()))
        self.name_msg = _live("jt-name-msg")
        self.stage = _labelled("jt-stage", w.Dropdown(options=stages, value=first,
                                                      description="Stage", style=_LABEL_STYLE,
                                                      layout=_wide()))
        self.journey = _labelled("jt-journey-box", w.HTML(layout=_wide()))
        self.refresh_button = _labelled("jt-refresh", w.Button(
            description="Show what others added", tooltip="Re-read the map: others' pain points, "
                                                          "ideas and dots appear"))
        self.refresh_msg = _live("jt-refresh-msg")

        # pain point
        self.touchpoint = _labelled("jt-touchpoint", w.Dropdown(
            options=data.touchpoint_choices(ws, first), description="Touchpoint",
            style=_LABEL_STYLE, layout=_wide()))
        self.touchpoint_hint = _labelled("jt-touchpoint-hint", w.HTML())
        self.persona = _labelled("jt-persona", w.Dropdown(
            options=data.persona_choices(ws), value="*", description="Who", style=_LABEL_STYLE,
            layout=_wide()))
        self.description = _labelled("jt-pain-description", w.Textarea(
            description="What hurts", placeholder="What goes wrong for the customer here?",
            rows=4, style=_LABEL_STYLE, layout=_wide()))
        self.severity = _labelled("jt-severity", w.Dropdown(
            options=[(v, k) for k, v in data.SEVERITY_LABELS.items()], value=3,
            description="How bad", style=_LABEL_STYLE, layout=_wide()))
        self.frequency = _labelled("jt-frequency", w.Dropdown(
            options=[(v, k) for k, v in data.FREQUENCY_LABELS.items()], value=3,
            description="How often", style=_LABEL_STYLE, layout=_wide()))
        self.add_pain_button = _labelled("jt-add-pain", w.Button(
            description="Add pain point", button_style="primary"))
        self.pain_msg = _live("jt-pain-msg")

        # opportunity idea
        self.idea_title = _labelled("jt-idea-title", w.Text(
            description="Idea", placeholder="A short name for the fix or improvement",
            style=_LABEL_STYLE, layout=_wide()))
        self.idea_description = _labelled("jt-idea-description", w.Textarea(
            description="Details", rows=3, style=_LABEL_STYLE, layout=_wide()))
        self.idea_addresses = _labelled("jt-idea-addresses", w.SelectMultiple(
            options=data.pain_choices(ws, first), description="Relieves", rows=4,
            style=_LABEL_STYLE, layout=_wide()))
        self.addresses_hint = _labelled("jt-addresses-hint", w.HTML())
        self.idea_impact = _labelled("jt-idea-impact", w.Dropdown(
            options=[(label, value) for value, label in data.IMPACT_LABELS], value="",
            description="Impact", style=_LABEL_STYLE, layout=_wide()))
        self.add_idea_button = _labelled("jt-add-idea", w.Button(
            description="Add idea", button_style="primary"))
        self.idea_msg = _live("jt-idea-msg")

        # dot voting
        self.budget = _labelled("jt-budget-box", w.HTML())
        self.vote_item = _labelled("jt-vote-item", w.Dropdown(
            options=data.vote_choices(ws, first), description="Vote for", style=_LABEL_STYLE,
            layout=_wide()))
        self.vote_hint = _labelled("jt-vote-hint", w.HTML())
        self.all_stages = _labelled("jt-all-stages", w.Checkbox(
            value=False, description="show items of every stage", indent=False))
        self.dots = _labelled("jt-dots", w.BoundedIntText(
            value=1, min=1, max=max(ws.dots_per_voter, 1), description="Dots", style=_LABEL_STYLE,
            layout=w.Layout(width="14em")))
        self.vote_button = _labelled("jt-vote", w.Button(
            description="Spend dots", button_style="primary"))
        self.vote_msg = _live("jt-vote-msg")

        self.stage.observe(self._on_stage, names="value")
        self.persona.observe(lambda _: self._show_journey(), names="value")
        self.all_stages.observe(lambda _: self._refresh_choices(), names="value")
        self.name.observe(lambda _: self._show_budget(), names="value")
        self.refresh_button.on_click(self._on_refresh)
        self.add_pain_button.on_click(lambda b: self._act(b, self.pain_msg, self.add_pain_point))
        self.add_idea_button.on_click(lambda b: self._act(b, self.idea_msg, self.add_idea))
        self.vote_button.on_click(lambda b: self._act(b, self.vote_msg, self.vote))

        def section(title: str, *children: w.Widget) -> w.VBox:
            return w.VBox([w.HTML(section_html(title)), *children], layout=_wide())

        # one column, each message under the button that caused it (never beside it: on a
        # phone the button would be squeezed to "Add pain …")
        self.widget = w.VBox([
            self.header,
            self.name, self.name_msg,
            self.stage, self.journey, self.refresh_button, self.refresh_msg,
            section("Add a pain point", self.touchpoint, self.touchpoint_hint, self.persona,
                    self.description, self.severity, self.frequency, self.add_pain_button,
                    self.pain_msg),
            section("Suggest an idea", self.idea_title, self.idea_description, self.idea_addresses,
                    self.addresses_hint, self.idea_impact, self.add_idea_button, self.idea_msg),
            section("Dot voting", self.budget, self.vote_item, self.vote_hint, self.all_stages,
                    self.dots, self.vote_button, self.vote_msg),
        ], layout=w.Layout(padding="0 8px", max_width="44em"))
        self.widget.add_class("jt-participant")
        self._show_hints()
        self._show_journey()
        self._show_budget()

    # -- display ---------------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    @staticmethod
    def _say(target: w.HTML, text: str, level: Level = "info") -> None:
        target.value = message_html(text, level)

    def _voter(self) -> str:
        return " ".join(self.name.value.split())

    def _show_budget(self) -> None:
        voter = self._voter()
        left = data.dots_left(self.ws, voter)
        self.budget.value = budget_html(left, self.ws.dots_per_voter, voter)
        self.dots.max = max(left, 1)
        self.vote_button.disabled = bool(voter) and left == 0
        self._say(self.name_msg, "")

    def _stage_name(self) -> str:
        return data.item_label(self.stage.options, self.stage.value) if self.stage.value else ""

    def _show_journey(self) -> None:
        steps = data.persona_steps(self.ws, self.persona.value, self.stage.value)
        self.journey.value = journey_html(self.ws, self.stage.value, self.persona.value, steps)

    @staticmethod
    def _show_or_hint(picker: w.Widget, hint: w.HTML, text: str, label: str) -> None:
        """Show ``picker`` when it has options; else hide it and say why (``text``) in ``hint``."""
        empty = not picker.options
        picker.layout.display = "none" if empty else None
        hint.value = hint_html(text, label) if empty else ""

    def _show_hints(self) -> None:
        stage = self._stage_name() or "this stage"
        self._show_or_hint(self.touchpoint, self.touchpoint_hint,
                           f"{stage} has no touchpoints yet, so pain points cannot be added here. "
                           "Pick another stage, or ask the facilitator to add one.", "Touchpoint")
        self._show_or_hint(self.idea_addresses, self.addresses_hint,
                           f"no pain points in {stage} yet. Add one above to link your idea to "
                           "it, or add the idea on its own.", "Relieves")
        where = "yet" if self.all_stages.value else f"in {stage} yet"
        todo = ("Add a pain point or an idea above." if self.all_stages.value else
                "Add a pain point or an idea above, or tick “show items of every stage”.")
        self._show_or_hint(self.vote_item, self.vote_hint, f"nothing to vote for {where}. {todo}",
                           "Vote for")

    def _stage_filter(self) -> str | None:
        return None if self.all_stages.value else self.stage.value

    def _refresh_choices(self) -> None:
        stage = self.stage.value
        keep_tp = self.touchpoint.value
        tps = data.touchpoint_choices(self.ws, stage)
        self.touchpoint.options = tps
        if keep_tp in {v for _, v in tps}:
            self.touchpoint.value = keep_tp
        keep = set(self.idea_addresses.value)
        pains = data.pain_choices(self.ws, stage)
        self.idea_addresses.options = pains
        self.idea_addresses.value = tuple(v for _, v in pains if v in keep)
        keep_item = self.vote_item.value
        items = data.vote_choices(self.ws, self._stage_filter())
        self.vote_item.options = items
        if keep_item in {v for _, v in items}:
            self.vote_item.value = keep_item
        self._show_hints()

    def _on_stage(self, _change: Any) -> None:
        self._refresh_choices()
        self._show_journey()

    def reload(self) -> None:
        """Re-read the folder: other participants' pain points, ideas and votes appear."""
        self.ws = load(self.folder)
        self._refresh_choices()
        self._show_journey()
        self._show_budget()

    # -- actions ---------------------------------------------------------------------------------
    @staticmethod
    def _attempt(fn: Callable[[], Any]) -> tuple[str, Level]:
        """Run ``fn``; its confirmation, or what went wrong, as (text, level)."""
        try:
            text = fn()
        except ValueError as exc:  # includes jt.ValidationError
            return str(exc), "error"
        except Exception as exc:  # a lock timeout, a disk problem: say so, keep the page alive
            return f"could not save ({type(exc).__name__}): {exc}; try again", "error"
        return (text or ""), "ok"

    def _act(self, button: w.Button, target: w.HTML, fn: Callable[[], str]) -> None:
        """Run a button's action, re-read the folder, then show the message (last, so a
        message on screen means the whole page is up to date)."""
        button.disabled = True
        self._say(target, "saving…")
        text, level = self._attempt(fn)
        try:
            self.reload()
        except Exception:  # the message says what happened; keep the old choices
            pass
        finally:
            button.disabled = False
            self._show_budget()
            self._say(target, text, level)

    def _on_refresh(self, _button: w.Button) -> None:
        text, level = self._attempt(self.reload)
        self._say(self.refresh_msg, text if level == "error" else
                  "Up to date: the lists now show everything added so far.", level)

    def add_pain_point(self) -> str:
        """Append the pain point described in the form; returns the confirmation."""
        if not self.touchpoint.value:
            raise ValueError("pick a touchpoint (this stage has none yet)")
        description = data.clean_text("the description", self.description.value)
        add_pain_point(self.folder, persona=self.persona.value, touchpoint=self.touchpoint.value,
                       description=description, severity=self.severity.value,
                       frequency=self.frequency.value)
        self.description.value = ""
        where = data.item_label(self.touchpoint.options, self.touchpoint.value)
        return (f"Thank you! Your pain point “{shorten(one_line(description), 60)}” is "
                f"on the map at {self._stage_name()}, {where}.")

    def add_idea(self) -> str:
        """Append the idea described in the form; returns the confirmation."""
        title = data.clean_text("the idea", self.idea_title.value, limit=120)
        details = self.idea_description.value
        if len(details) > data.MAX_TEXT:
            raise ValueError(f"details are too long; keep them under {data.MAX_TEXT} characters")
        add_opportunity(self.folder, title=title, description=details,
                        addresses=";".join(self.idea_addresses.value),
                        impact=self.idea_impact.value or None)
        self.idea_title.value = ""
        self.idea_description.value = ""
        self.idea_addresses.value = ()
        self.idea_impact.value = ""
        return (f"Thank you! Your idea “{shorten(one_line(title), 60)}” is on the list; "
                "others can now vote for it.")

    def vote(self) -> str:
        """Spend the chosen dots on the chosen item; returns the dots left."""
        voter = data.clean_name(self.name.value)
        if not self.vote_item.value:
            raise ValueError("nothing to vote for in this stage yet")
        n = int(self.dots.value)
        label = shorten(data.item_label(self.vote_item.options, self.vote_item.value), 60)
        left = add_vote(self.folder, voter=voter, item=self.vote_item.value, votes=n)
        self.dots.value = 1
        return f"You put {_dots(n)} on “{label}”. {_dots(left)} left."


def participant_room(folder: str | os.PathLike | None = None) -> ParticipantRoom:
    """The participant page for ``folder`` (default: ``$JOURNEYTOOLS_ROOM_DIR``)."""
    return ParticipantRoom(data.room_folder(folder))
