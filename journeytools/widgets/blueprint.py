"""The blueprint form: add what the organisation does under a touchpoint (``blueprint.csv``).

One row per process (SPEC §8): the touchpoint it sits under, its lane (physical evidence,
frontstage, backstage or support), what happens, the team that owns it and the system it runs
on, how long it takes, whether it is a known failure point, how we know (observed, assumed,
proposed), the pain points it causes and the persona it concerns (all by default). Every field
is checked as it changes; ``save()`` appends the row and writes blueprint.csv atomically
(creating it when the workshop has none), only when every field is valid.

>>> form = BlueprintForm("workshops/luggage-store")                # doctest: +SKIP
>>> form.touchpoint.value, form.lane.value = "add-to-cart", "backstage"
>>> form.text.value = "Stock sync job runs every 15 minutes"
>>> form.causes.value = ("cart-error",)
>>> form.save()                                                    # doctest: +SKIP
True
"""

from __future__ import annotations

import os
from typing import Any

import ipywidgets as w

from ..model.schema import BLUEPRINT_STATUSES, LANES, formula_lead
from ..vocab import one_line, shorten
from ._base import ChartFn, Editor, build_table, check_cell, field_row, message

# What each lane holds, shown next to the lane as the question to ask (SPEC §8).
LANE_HELP = {
    "evidence": "what the customer sees or holds here (a screen, an email, a receipt, a parcel)",
    "frontstage": "who or what the customer meets: staff and systems in view",
    "backstage": "what happens that the customer does not see (staff, jobs, hand-offs)",
    "support": "the internal process or system that makes it possible (IT, suppliers, policies)",
}
LANE_LABELS = {"evidence": "Physical evidence", "frontstage": "Frontstage",
               "backstage": "Backstage", "support": "Support process"}
STATUS_HELP = {"observed": "seen or measured in the real service",
               "assumed": "what we believe happens: check it with the owner",
               "proposed": "a process we would add or change (future state)"}
TEXT_FIELDS = (("text", "what happens"), ("owner", "the owner"), ("system", "the system"))


def _text(placeholder: str, width: str = "28em") -> w.Text:
    return w.Text("", placeholder=placeholder, continuous_update=False, layout=w.Layout(width=width))


def _area(placeholder: str) -> w.Textarea:
    return w.Textarea("", placeholder=placeholder, continuous_update=False, rows=2,
                      layout=w.Layout(width="28em"))


def touchpoint_options(ws: Any) -> list[tuple[str, str]]:
    """Touchpoints as ``Stage · Touchpoint`` in journey order (stage, then file order)."""
    names = {s.id: s.name for s in ws.stages}
    order = {sid: i for i, sid in enumerate(ws.stage_ids)}
    tp = ws.touchpoints
    items = sorted(enumerate(zip(tp["id"], tp["stage"], tp["name"])),
                   key=lambda item: (order.get(item[1][1], len(order)), item[0]))
    return [(f"{names.get(st, st)} · {name}", tid) for _i, (tid, st, name) in items]


class BlueprintForm(Editor):
    """Add a blueprint row under a touchpoint: lane, what happens, owner, system, minutes,
    failure point, status, the pain points it causes, and the persona (or all).

    Fields and messages work as in the other forms (``widgets.forms``): each field is checked
    when it changes, its message next to it; nothing is written while one is wrong.
    """

    def __init__(self, folder: str | os.PathLike, touchpoint: str = "", persona: str = "*",
                 chart: ChartFn | None = None, **kwargs: Any) -> None:
        super().__init__(folder, chart, **kwargs)
        self.added: list[dict[str, str]] = []
        self._initial = (touchpoint, persona)
        self._build()

    # -- fields and their messages (as widgets.forms) -----------------------------------------
    def _field(self, name: str, label: str, widget: w.ValueWidget) -> w.HBox:
        note = w.HTML()
        self.notes[name] = note
        self.fields[name] = widget
        widget.observe(lambda _c, n=name: self.check(n), names="value")
        return field_row(label, widget, note, name=name)

    def check(self, name: str) -> str | None:
        """Check one field and show its message; returns the error or None."""
        err = self._error(name)
        self.notes[name].value = message(err) if err else message(self._hint(name), "hint")
        return err

    def check_all(self) -> list[str]:
        """Check every field; the errors (and a status line saying nothing was saved)."""
        errors = [e for e in (self.check(n) for n in self.fields) if e]
        if errors:
            self._set_status(f"{len(errors)} field(s) need fixing; nothing saved")
        return errors

    def _build(self) -> None:
        self.fields: dict[str, w.ValueWidget] = {}
        self.notes: dict[str, w.HTML] = {}
        ws = self.ws
        tps = touchpoint_options(ws)
        first_tp = self._initial[0] if self._initial[0] in {t for _n, t in tps} else \
            (tps[0][1] if tps else "")
        self.touchpoint = w.Dropdown(options=tps, value=first_tp or None,
                                     layout=w.Layout(width="28em"))
        self.lane = w.Dropdown(options=[(LANE_LABELS[lane], lane) for lane in LANES],
                               value="backstage")
        self.text = _area(placeholder="what happens here, e.g. 'Stock sync job runs every 15 min'")
        self.owner = _text(placeholder="the team that owns it, e.g. E-commerce engineering")
        self.system = _text(placeholder="the system it runs on, e.g. Stock API")
        self.minutes = _text(placeholder="e.g. 15", width="10em")
        self.fails = w.Checkbox(False)  # indented: its label in the column of labels
        self.row_status = w.Dropdown(options=list(BLUEPRINT_STATUSES), value="assumed")
        pp = ws.pain_points
        self.causes = w.SelectMultiple(
            options=[(f"{i}: {shorten(one_line(d), 60)}", i) for i, d in zip(pp["id"], pp["description"])],
            rows=min(6, max(2, len(pp))), layout=w.Layout(width="28em"))
        persons = [("all personas", "*")] + [(ws.persona_name(p), p) for p in ws.personas["id"]]
        self.persona = w.Dropdown(options=persons, value=self._initial[1]
                                  if self._initial[1] in {p for _n, p in persons} else "*")
        rows = [
            self._field("touchpoint", "Under touchpoint", self.touchpoint),
            self._field("lane", "Lane", self.lane),
            self._field("text", "What happens", self.text),
            self._field("owner", "Owner (team)", self.owner),
            self._field("system", "System", self.system),
            self._field("minutes", "Minutes", self.minutes),
            self._field("fails", "Fails here", self.fails),
            self._field("status", "How we know", self.row_status),
            self._field("causes", "Causes pain", self.causes),
            self._field("persona", "For", self.persona),
        ]
        self.lane.observe(lambda _c: self.check("fails"), names="value")
        for name in self.fields:
            if name != "text":  # no "required" message before anything was typed
                self.check(name)
        button = w.Button(description="Add to blueprint", icon="save", button_style="primary",
                          layout=w.Layout(width="auto"))
        button.add_class("jt-save")
        button.on_click(lambda _b: self.save())
        self._layout(*rows, button)

    def _hint(self, name: str) -> str:
        if name == "lane":
            return LANE_HELP[self.lane.value]
        if name == "status":
            return STATUS_HELP.get(self.row_status.value, "")
        if name == "fails":
            return "a known failure point: marked ⚠ in the blueprint"
        if name == "causes":
            return ("the pain points this process produces (ctrl/cmd-click for several): "
                    "the report's root causes") if not self.causes.value else \
                f"causes {len(self.causes.value)} pain point(s)"
        if name == "owner" and not self.owner.value.strip():
            return "no owner: the report lists it as a gap"
        if name == "minutes" and not self.minutes.value.strip():
            return "how long it takes; blank if unknown"
        if name == "persona" and self.persona.value == "*":
            return "shown under every persona who visits this touchpoint"
        return ""

    def _error(self, name: str) -> str | None:
        if name == "touchpoint" and not self.touchpoint.value:
            return "choose a touchpoint (add touchpoints first)"
        if name == "text" and not self.text.value.strip():
            return "describe what happens, e.g. 'Stock sync job runs every 15 minutes'"
        for field, what in TEXT_FIELDS:
            if name == field:
                lead = formula_lead(self.fields[field].value)
                if lead:
                    return (f"{what} cannot start with {lead!r}: a spreadsheet would run it as a "
                            "formula; start it with a word instead")
        if name == "minutes":
            _v, err = check_cell("blueprint", "minutes", self.minutes.value.strip())
            return err
        return None

    def row(self) -> dict[str, Any]:
        """The row the form would append (valid fields assumed)."""
        minutes, _err = check_cell("blueprint", "minutes", self.minutes.value.strip())
        return {"touchpoint": self.touchpoint.value, "lane": self.lane.value,
                "text": one_line(self.text.value).strip(), "persona": self.persona.value,
                "owner": self.owner.value.strip(), "system": self.system.value.strip(),
                "minutes": minutes, "fails": "true" if self.fails.value else "false",
                "status": self.row_status.value, "causes": ";".join(self.causes.value)}

    def save(self) -> bool:
        """Append the row to blueprint.csv (created when absent) when every field is valid."""
        if self.check_all():
            return False
        frame = self.ws.blueprint
        new = self.row()
        records = [{c: frame[c].iloc[i] for c in frame.columns} for i in range(len(frame))]
        records.append(new)
        columns = list(frame.columns) + [c for c in new if c not in frame.columns]
        lane = LANE_LABELS[new["lane"]].lower()
        done = (f"Added a {lane} row under {self.touchpoint.label.split(' · ', 1)[-1]} to "
                "blueprint.csv" + (f", causing {new['causes'].replace(';', ', ')}"
                                   if new["causes"] else ""))
        if not self._commit("blueprint", build_table("blueprint", columns, records), done):
            return False
        self.added.append(new)
        self.text.value = ""
        self.minutes.value = ""
        self.fails.value = False
        self.causes.value = ()
        self.notes["text"].value = ""
        return True
