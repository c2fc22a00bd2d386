"""Forms: the scope, a persona card, a new pain point, a new opportunity idea.

Each field is checked when it changes and its message appears next to it; ``save()`` (or the
button) writes the folder only when every field is valid.

>>> form = PainPointForm("workshops/luggage-store")               # doctest: +SKIP
>>> form.description.value = ""                                   # message: required
>>> form.save()                                                   # doctest: +SKIP
False
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from typing import Any

import ipywidgets as w

from ..model.schema import OPPORTUNITY_KINDS, SOURCES, STATES
from ..store.append import add_opportunity, add_pain_point, slugify
from ..vocab import FREQUENCY, IMPACT_VALUES, IMPACT_WORDS, NOT_SURE, SEVERITY, SLUG, labelled, one_line, shorten
from ._base import ChartFn, Editor, build_table, cell_text, check_cell, choices, field_row, message


class _Form(Editor):
    """Fields with a message each; subclasses list ``checks`` as {field: function(value)}."""

    def _field(self, name: str, label: str, widget: w.ValueWidget, hint: str = "") -> w.HBox:
        note = w.HTML(message(hint, "hint"))
        self.notes[name] = note
        self.hints[name] = hint
        self.fields[name] = widget
        widget.observe(lambda _c, n=name: self.check(n), names="value")
        return field_row(label, widget, note, name=name)

    def _start(self) -> None:
        self.fields: dict[str, w.ValueWidget] = {}
        self.notes: dict[str, w.HTML] = {}
        self.hints: dict[str, str] = {}

    def _error(self, name: str) -> str | None:  # pragma: no cover - overridden
        return None

    def check(self, name: str) -> str | None:
        """Check one field and show its message; returns the error or None."""
        err = self._error(name)
        self.notes[name].value = message(err) if err else message(self._hint(name), "hint")
        return err

    def _hint(self, name: str) -> str:
        return self.hints.get(name, "")

    def check_all(self) -> list[str]:
        errors = [e for e in (self.check(n) for n in self.fields) if e]
        if errors:
            self._set_status(f"{len(errors)} field(s) need fixing; nothing saved")
        return errors

    def _buttons(self, label: str) -> w.Button:
        button = w.Button(description=label, icon="save", button_style="primary",
                          layout=w.Layout(width="auto"))  # the whole label, at any font size
        button.add_class("jt-save")
        button.on_click(lambda _b: self.save())
        return button

    def save(self) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError


def _text(value: str = "", placeholder: str = "", width: str = "28em") -> w.Text:
    return w.Text(value, placeholder=placeholder, continuous_update=False,
                  layout=w.Layout(width=width))


def _area(value: str = "", placeholder: str = "", rows: int = 2) -> w.Textarea:
    return w.Textarea(value, placeholder=placeholder, continuous_update=False, rows=rows,
                      layout=w.Layout(width="28em"))


# -- personas ---------------------------------------------------------------------------------
NEW = "__new__"
PERSONA_FIELDS = (
    ("name", "Name", "text", "e.g. Mia"),
    ("id", "Id", "text", "short slug used in the files, e.g. mia"),
    ("segment", "Segment", "text", "e.g. Style-led first-time buyer"),
    ("description", "Who they are", "area", "age, job, habits, in two sentences"),
    ("goals", "Goals", "area", "what they want to achieve"),
    ("needs", "Needs", "area", "what they need from us"),
    ("frustrations", "Frustrations", "area", "what gets in their way"),
    ("channels", "Channels", "text", "separated by ';' e.g. instagram;web;chat"),
    ("influencers", "Who shapes it", "text",
     "people besides our touchpoints, ';'-separated: partner; installer"),
    ("quote", "In their words", "text", "a real quote if you have one"),
    ("weight", "Weight", "text", "importance, > 0 (default 1)"),
    ("data_sources", "Built from", "area", "surveys, analytics, interviews — blank = assumption"),
)


class PersonaForm(_Form):
    """Create a persona or edit one: a card of fields, evidence marked as such.

    Choose the persona in ``persona`` (a dropdown; ``"__new__"`` for a new one), edit the
    fields, then ``save()``.
    """

    def __init__(self, folder: str | os.PathLike, persona: str | None = None,
                 chart: ChartFn | None = None, **kwargs: Any) -> None:
        super().__init__(folder, chart, **kwargs)
        self._initial = persona
        self._build()

    def _build(self) -> None:
        self._start()
        ids = list(self.ws.personas["id"])
        options = [(f"{self.ws.persona_name(p)} ({p})", p) for p in ids] + [("＋ new persona", NEW)]
        first = self._initial if self._initial in ids else (ids[0] if ids else NEW)
        self.persona = w.Dropdown(options=options, value=first, description="Persona")
        self.persona.observe(lambda _c: self._fill(), names="value")
        rows = []
        for name, label, kind, hint in PERSONA_FIELDS:
            widget = _text(placeholder=hint) if kind == "text" else _area(placeholder=hint)
            rows.append(self._field(name, label, widget,
                                    "" if name != "data_sources" else "evidence or assumption?"))
        self._layout(self.persona, *rows, self._buttons("Save persona"))
        self._fill()

    def _fill(self) -> None:
        frame = self.ws.personas
        pid = self.persona.value
        idx = list(frame["id"]).index(pid) if pid != NEW else None
        for name, field in self.fields.items():
            value = cell_text(frame[name].iloc[idx]) if idx is not None and name in frame else ""
            field.value = value
        self.fields["id"].disabled = idx is not None
        for name in self.fields:
            self.check(name)
        self.status.value = ""

    def _hint(self, name: str) -> str:
        if name == "data_sources" and not self.fields["data_sources"].value.strip():
            return "no data source: this persona is an assumption until backed by research"
        if name == "data_sources":
            return "evidence"
        return ""

    def _error(self, name: str) -> str | None:
        value = self.fields[name].value
        if name == "id":
            if self.persona.value != NEW:
                return None
            text = value.strip().lower() or slugify(self.fields["name"].value)
            if not SLUG.match(text):
                return f"id {value!r} is not a slug: use lower-case letters, digits, '-' or '_'"
            if text in set(self.ws.personas["id"]):
                return f"id {text!r} is already used by another persona"
            return None
        _v, err = check_cell("personas", name, value)
        return err

    def save(self) -> bool:
        """Write ``personas.csv`` when every field is valid."""
        if self.check_all():
            return False
        frame = self.ws.personas
        values = {n: check_cell("personas", n, f.value)[0] for n, f in self.fields.items()}
        # an optional column the file lacks is added only when something is typed into it
        values = {n: v for n, v in values.items() if n in frame.columns or v not in ("", None)}
        pid = self.persona.value
        records = [{c: frame[c].iloc[i] for c in frame.columns} for i in range(len(frame))]
        if pid == NEW:
            values["id"] = self.fields["id"].value.strip().lower() or slugify(values["name"])
            records.append(values)
        else:
            values["id"] = pid
            records[list(frame["id"]).index(pid)].update(values)
        columns = list(frame.columns) + [c for c in values if c not in frame.columns]
        done = f"Saved persona {values['name']!s} ({values['id']}) to personas.csv"
        if not self._commit("personas", build_table("personas", columns, records), done):
            return False
        self._initial = values["id"]
        self._build()
        self._set_status(done, "ok")
        return True


# -- scope and stages ---------------------------------------------------------------------
class ScopeForm(_Form):
    """Title, scope and state of the map, and its stages (one per line: ``id | Name | goal``)."""

    def __init__(self, folder: str | os.PathLike, chart: ChartFn | None = None,
                 **kwargs: Any) -> None:
        super().__init__(folder, chart, **kwargs)
        self._build()

    def _build(self) -> None:
        self._start()
        meta = self.ws.meta
        lines = "\n".join(" | ".join([s.id, s.name, s.goal]).rstrip(" |") for s in self.ws.stages)
        rows = [
            self._field("title", "Title", _text(str(meta.get("title") or ""))),
            self._field("scope", "Scope", _area(str(meta.get("scope") or ""),
                                                "end to end, or which part of the journey?", 3)),
            self._field("state", "State", w.Dropdown(options=list(STATES),
                                                     value=str(meta.get("state") or "current"))),
            self._field("stages", "Stages", w.Textarea(lines, rows=max(4, len(self.ws.stages) + 1),
                                                       continuous_update=False,
                                                       layout=w.Layout(width="28em")),
                        "one per line: id | Name | customer goal"),
        ]
        self._layout(*rows, self._buttons("Save scope"))

    def parse_stages(self) -> tuple[list[dict[str, str]], str | None]:
        """The stages typed in, and the first problem with them (or None)."""
        out: list[dict[str, str]] = []
        seen: set[str] = set()
        old = {s.id: s for s in self.ws.stages}
        for n, line in enumerate(self.fields["stages"].value.splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            sid = parts[0].lower()
            name = parts[1] if len(parts) > 1 and parts[1] else ""
            if not SLUG.match(sid):
                sid = slugify(parts[0]) if not name else sid
                if not SLUG.match(sid):
                    return out, f"line {n}: stage id {parts[0]!r} is not a slug (e.g. 'awareness')"
                name = name or parts[0]
            if sid in seen:
                return out, f"line {n}: stage id {sid!r} appears twice"
            seen.add(sid)
            item: dict[str, str] = dict(old[sid].extra) if sid in old else {}
            item.update({"id": sid, "name": name or sid.replace("-", " ").capitalize()})
            if len(parts) > 2 and parts[2]:
                item["goal"] = " | ".join(parts[2:])
            out.append(item)
        if not out:
            return out, "at least one stage is required"
        used = set(self.ws.touchpoints["stage"])
        dropped = sorted(used - seen)
        if dropped:
            return out, (f"stage(s) {', '.join(dropped)} still have touchpoints: move them first")
        return out, None

    def _error(self, name: str) -> str | None:
        value = self.fields[name].value
        if name == "title" and not value.strip():
            return "a title is required, e.g. 'Online store — purchase journey'"
        if name == "stages":
            return self.parse_stages()[1]
        return None

    def save(self) -> bool:
        """Write ``workshop.yml`` when every field is valid."""
        if self.check_all():
            return False
        meta = copy.deepcopy(self.ws.meta)
        meta["title"] = self.fields["title"].value
        scope = self.fields["scope"].value
        if scope.strip() or "scope" in meta:
            meta["scope"] = scope
        meta["state"] = self.fields["state"].value
        meta["stages"] = self.parse_stages()[0]
        return self._commit(None, None, "Saved workshop.yml", meta=meta)


# -- pain points --------------------------------------------------------------------------
class PainPointForm(_Form):
    """Add a pain point: who, where, what goes wrong, how bad and how often, and the evidence."""

    def __init__(self, folder: str | os.PathLike, chart: ChartFn | None = None,
                 **kwargs: Any) -> None:
        super().__init__(folder, chart, **kwargs)
        self.added: list[str] = []
        self._build()

    def _build(self) -> None:
        self._start()
        ws = self.ws
        persons = [(f"{ws.persona_name(p)}", p) for p in ws.personas["id"]] + [("all personas", "*")]
        names = {s.id: s.name for s in ws.stages}
        tps = [(f"{names.get(s, s)} · {n}", t) for t, s, n in
               zip(ws.touchpoints["id"], ws.touchpoints["stage"], ws.touchpoints["name"])]
        self.persona = w.Dropdown(options=persons)
        self.touchpoint = w.Dropdown(options=tps)
        self.description = _area(placeholder="what goes wrong for the customer?")
        self.severity = w.IntSlider(3, min=1, max=5, continuous_update=False)
        self.frequency = w.IntSlider(3, min=1, max=5, continuous_update=False)
        self.source = w.Dropdown(options=list(SOURCES), value="assumption")
        self.evidence = _text(placeholder="figure, ticket count, interview id or link")
        rows = [
            self._field("persona", "Who", self.persona),
            self._field("touchpoint", "Where", self.touchpoint),
            self._field("description", "What goes wrong", self.description),
            self._field("severity", "Severity", self.severity),
            self._field("frequency", "Frequency", self.frequency),
            self._field("source", "Source", self.source),
            self._field("evidence", "Evidence", self.evidence),
        ]
        for name in ("severity", "frequency", "source", "evidence"):
            self.check(name)
        self._layout(*rows, self._buttons("Add pain point"))

    def _hint(self, name: str) -> str:
        if name == "severity":
            return labelled(SEVERITY, self.severity.value)
        if name == "frequency":
            f = self.frequency.value
            return f"{labelled(FREQUENCY, f)} — pain score {self.severity.value * f}"
        if name == "source" and self.source.value == "assumption":
            return "an assumption until data backs it"
        if name == "evidence" and self.source.value != "assumption" \
                and not self.evidence.value.strip():
            return f"say where the {self.source.value} data is"
        return ""

    def _error(self, name: str) -> str | None:
        if name == "description" and not self.description.value.strip():
            return "describe what goes wrong for the customer"
        if name == "touchpoint" and not self.touchpoint.value:
            return "choose a touchpoint (add touchpoints first)"
        if name == "persona" and not self.persona.value:
            return "choose a persona"
        if name == "severity":
            self.check("frequency")
        if name == "source":
            self.notes["evidence"].value = message(self._hint("evidence"), "hint")
        return None

    def save(self) -> bool:
        """Append the pain point (``jt.add_pain_point``) when the form is valid."""
        if self.check_all():
            return False
        try:
            new_id = add_pain_point(self.folder, self.persona.value, self.touchpoint.value,
                                    self.description.value, self.severity.value,
                                    self.frequency.value, self.evidence.value, self.source.value)
        except ValueError as exc:
            self._set_status(f"Not saved: {exc}")
            return False
        self.added.append(new_id)
        self.description.value = ""
        self.evidence.value = ""
        self.notes["description"].value = ""
        self._saved(f"Added pain point {new_id} to pain_points.csv (pain score "
                    f"{self.severity.value * self.frequency.value})", reload=True)
        return True


# -- opportunities -----------------------------------------------------------------------
# What each kind of idea means in the plan per stage (education early, offers late).
KIND_HINTS = {
    "fix": "repair what is broken (a bug, a wrong price, a dead end)",
    "content": "FAQ posts, guides, videos, comparison pages: teach and reassure",
    "campaign": "ads, emails, retargeting, offers: reach people, bring them back",
    "personalisation": "show each segment what fits it (recommendations, tailored pages)",
    "process": "change how a team works (hand-offs, service levels, training)",
    "product": "a new feature, service or range",
}


def kind_options() -> list[tuple[str, str]]:
    """Dropdown options for an opportunity's kind, blank first."""
    return choices([(f"{k} — {KIND_HINTS[k]}", k) for k in OPPORTUNITY_KINDS], "— not decided —")


def stage_options(ws: Any) -> list[tuple[str, str]]:
    """Dropdown options for an opportunity's stage; blank = the stage of its pain points."""
    return choices([(s.name, s.id) for s in ws.stages], "— from the pain points it relieves —")


class OpportunityForm(_Form):
    """Add an idea: a title, what it is, which pain points it relieves, its likely impact, its
    kind (fix, content, campaign, …) and the stage of the plan it belongs to."""

    def __init__(self, folder: str | os.PathLike, chart: ChartFn | None = None,
                 **kwargs: Any) -> None:
        super().__init__(folder, chart, **kwargs)
        self.added: list[str] = []
        self._build()

    def _build(self) -> None:
        self._start()
        pp = self.ws.pain_points
        self.title = _text(placeholder="e.g. Fix the add-to-cart error")
        self.description = _area(placeholder="what would we do?")
        self.addresses = w.SelectMultiple(
            options=[(f"{i}: {shorten(one_line(d), 50)}", i) for i, d in zip(pp["id"], pp["description"])],
            rows=min(6, max(2, len(pp))), layout=w.Layout(width="28em"))
        self.impact = w.Dropdown(options=choices([(labelled(IMPACT_WORDS, v), v)
                                                  for v in IMPACT_VALUES], NOT_SURE),
                                 value="")
        self.owner = _text(placeholder="team that would own it")
        self.kind = w.Dropdown(options=kind_options(), value="")
        self.stage = w.Dropdown(options=stage_options(self.ws), value="")
        rows = [self._field("title", "Idea", self.title),
                self._field("description", "What we'd do", self.description),
                self._field("addresses", "Relieves", self.addresses,
                            "the pain points it addresses (ctrl/cmd-click for several)"),
                self._field("kind", "Kind", self.kind),
                self._field("stage", "Stage", self.stage),
                self._field("impact", "Impact", self.impact),
                self._field("owner", "Owner", self.owner)]
        self.addresses.observe(lambda _c: self.check("stage"), names="value")
        for name in ("kind", "stage"):
            self.check(name)
        self._layout(*rows, self._buttons("Add idea"))

    def _error(self, name: str) -> str | None:
        if name == "title" and not self.title.value.strip():
            return "name the idea"
        return None

    def _hint(self, name: str) -> str:
        if name == "addresses" and not self.addresses.value:
            return "addresses no pain point yet: which pain does it relieve?"
        if name == "kind" and not self.kind.value:
            return "which part of the plan: a fix, content, a campaign…?"
        if name == "stage" and not self.stage.value:
            stages = self._stages_of_pains()
            return (f"blank: {', '.join(stages)}, from the pain points it relieves" if stages
                    else "blank: no stage until it relieves a pain point")
        return super()._hint(name)

    def _stages_of_pains(self) -> list[str]:
        """Names of the stages of the chosen pain points, in journey order."""
        ws = self.ws
        pp = ws.pain_points
        tp_stage = dict(zip(ws.touchpoints["id"], ws.touchpoints["stage"]))
        chosen = {tp_stage.get(t) for i, t in zip(pp["id"], pp["touchpoint"])
                  if i in set(self.addresses.value)}
        return [s.name for s in ws.stages if s.id in chosen]

    def save(self) -> bool:
        """Append the idea (``jt.add_opportunity``, status ``idea``) when the form is valid."""
        if self.check_all():
            return False
        impact = self.impact.value if self.impact.value != "" else None
        try:
            new_id = add_opportunity(self.folder, self.title.value, self.description.value,
                                     ";".join(self.addresses.value), impact,
                                     owner=self.owner.value, kind=self.kind.value,
                                     stage=self.stage.value)
        except ValueError as exc:
            self._set_status(f"Not saved: {exc}")
            return False
        self.added.append(new_id)
        self.title.value = ""
        self.description.value = ""
        self.kind.value = self.stage.value = ""
        self.notes["title"].value = ""
        self._saved(f"Added idea {new_id} to opportunities.csv: score it in the opportunity grid",
                    reload=True)
        return True


# -- review ---------------------------------------------------------------------------------
class ReviewForm(_Form):
    """Record a review: the date it happened and how often the map should be reviewed."""

    def __init__(self, folder: str | os.PathLike, today: dt.date | None = None,
                 chart: ChartFn | None = None, **kwargs: Any) -> None:
        super().__init__(folder, chart, **kwargs)
        self.today = today or dt.date.today()
        self._build()

    def _build(self) -> None:
        self._start()
        self.reviewed = _text(self.today.isoformat(), "YYYY-MM-DD", "10em")
        self.every = w.IntSlider(self.ws.review_every_months, min=1, max=24,
                                 continuous_update=False)
        rows = [self._field("reviewed", "Reviewed on", self.reviewed,
                            f"last review: {self.ws.reviewed or 'never'}"),
                self._field("every", "Review every", self.every, "months")]
        self._layout(*rows, self._buttons("Mark as reviewed"))

    def _error(self, name: str) -> str | None:
        if name == "reviewed":
            try:
                day = dt.date.fromisoformat(self.reviewed.value.strip())
            except ValueError:
                return f"expected a date like {self.today.isoformat()}"
            if day > self.today:
                return "a review cannot be in the future"
        return None

    def save(self) -> bool:
        """Write ``reviewed`` and ``review_every_months`` into ``workshop.yml``."""
        if self.check_all():
            return False
        meta = copy.deepcopy(self.ws.meta)
        meta["reviewed"] = dt.date.fromisoformat(self.reviewed.value.strip())
        meta["review_every_months"] = int(self.every.value)
        return self._commit(None, None, f"Marked as reviewed on {meta['reviewed']} in workshop.yml",
                            meta=meta)
