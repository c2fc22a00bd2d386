"""Words for a :class:`~journeytools.diff.changes.Diff`: plain text and pull-request markdown.

Pure string building, no printing: :func:`to_text` and :func:`to_markdown` (also exported by
:mod:`journeytools.diff`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model.tables import format_float
from ..vocab import ELLIPSIS
from .changes import (
    NOUNS,
    SECTION_ORDER,
    SUMMARY_FIELDS,
    Diff,
    EmotionChange,
    FieldChange,
    KpiMove,
    OpportunityMove,
    PainMove,
    RowChange,
    StageChange,
    same,
)
from .counts import summary

TEXT_LIMIT = 60


def _num(v: float | int) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return str(v)
    return format_float(round(float(v), 6))


def _needs_quotes(s: str) -> bool:
    return (not s or s != s.strip() or any(ch.isspace() for ch in s) or len(s) > 30
            or any(ch in s for ch in "'\"→;,"))


def _clip(s: str, start: int, limit: int) -> str:
    part = s[start:start + limit]
    return (ELLIPSIS if start > 0 else "") + part + (ELLIPSIS if start + limit < len(s) else "")


def show(value: Any, quoted: bool | None = None, start: int = 0, limit: int = TEXT_LIMIT) -> str:
    """A value in words: blank as ``(blank)``, numbers without trailing ``.0``, long text clipped."""
    if value is None:
        return "(blank)"
    if isinstance(value, (int, float)):
        return _num(value)
    if isinstance(value, tuple):
        return ", ".join(show(v, False) for v in value) or "(blank)"
    s = str(value)
    if quoted is None:
        quoted = _needs_quotes(s)
    s = _clip(s, start, limit) if len(s) > limit else s
    return repr(s) if quoted else s


def show_pair(before: Any, after: Any, limit: int = TEXT_LIMIT,
              quoted: bool | None = None) -> tuple[str, str]:
    """Both sides of a change in words; long texts are clipped around their first difference.

    Texts are quoted (``repr``) when either side needs it, unless ``quoted`` says otherwise.
    """
    if isinstance(before, str) and isinstance(after, str):
        if quoted is None:
            quoted = _needs_quotes(before) or _needs_quotes(after)
        start = 0
        if len(before) > limit or len(after) > limit:
            common = len(_common_prefix(before, after))
            if common > limit - 15:
                start = common - 15
        return show(before, quoted, start, limit), show(after, quoted, start, limit)
    return show(before, quoted, limit=limit), show(after, quoted, limit=limit)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return a[:n]


def _arrow(before: Any, after: Any) -> str:
    a, b = show_pair(before, after)
    return f"{a} → {b}"


def _describe(table: str, values: dict[str, Any]) -> str:
    """A few words about an added or removed row."""
    bits = []
    for f in SUMMARY_FIELDS.get(table, ()):
        v = values.get(f)
        if v is None:
            continue
        if f in ("name", "title") and table != "steps":
            bits.append(show(v))
        else:
            bits.append(f"{f} {show(v)}")
    return ", ".join(bits)


def _changes_text(changes: Iterable[FieldChange]) -> list[str]:
    return [f"{c.field} {_arrow(c.before, c.after)}" for c in changes]


def _pain_words(m: PainMove | None) -> list[str]:
    if m is None:
        return []
    if m.rank_before is None:
        return [f"rank {m.rank_after}, weighted pain {show(m.weighted_pain_after)}"]
    if m.rank_after is None:
        return [f"was rank {m.rank_before}, weighted pain {show(m.weighted_pain_before)}"]
    out = []
    if m.rank_before != m.rank_after:
        out.append(f"rank {m.rank_before} → {m.rank_after}")
    if not same(m.weighted_pain_before, m.weighted_pain_after):
        out.append(f"weighted pain {show(m.weighted_pain_before)} → {show(m.weighted_pain_after)}")
    return out


def _opp_words(m: OpportunityMove | None) -> list[str]:
    if m is None:
        return []
    if m.quadrant_before is None:
        return [f"quadrant {m.quadrant_after}" + (f", rank {m.rank_after}" if m.rank_after else "")]
    if m.quadrant_after is None:
        return [f"was {m.quadrant_before}" + (f", rank {m.rank_before}" if m.rank_before else "")]
    out = []
    if m.quadrant_changed:
        out.append(f"quadrant {m.quadrant_before} → {m.quadrant_after}")
    if m.rank_before != m.rank_after:
        out.append(f"rank {show(m.rank_before).replace('(blank)', 'unranked')} → "
                   f"{show(m.rank_after).replace('(blank)', 'unranked')}")
    return out


def _pct(p: float | None) -> str:
    return "n/a" if p is None else f"{round(p * 100):d}%"


def _kpi_words(m: KpiMove | None) -> list[str]:
    if m is None or (m.progress_before is None and m.progress_after is None):
        return []
    return [f"progress {_pct(m.progress_before)} → {_pct(m.progress_after)} of the way from "
            f"baseline {show(m.baseline_after)} to target {show(m.target_after)}"]


def _emotion_words(e: EmotionChange) -> str:
    trend = ""
    if e.before is not None and e.after is not None:
        trend = " (better)" if e.after > e.before else " (worse)"
    where = e.touchpoint_name if e.touchpoint_name and e.touchpoint_name != e.touchpoint else ""
    place = f"'{e.touchpoint}'" + (f" ({where})" if where else "")
    visit = f" (visit {e.occurrence})" if e.occurrence > 1 else ""
    return f"{e.persona_name or e.persona} at {place}{visit}: emotion {show(e.before)} → {show(e.after)}{trend}"


def _row_lines(d: Diff, name: str) -> list[str]:
    """Lines for one table, with score moves folded into the row they belong to."""
    t = d.table(name)
    lines: list[str] = []
    extras: dict[str, list[str]] = {}
    if name == "pain_points":
        extras = {m.id: _pain_words(m) for m in d.pain_moves}
    elif name == "opportunities":
        extras = {m.id: _opp_words(m) for m in d.opportunity_moves}
    elif name == "kpis":
        extras = {m.id: _kpi_words(m) for m in d.kpi_moves}
    done: set[str] = set()
    for r in t.changed:
        changes = [c for c in r.changes if not (name == "steps" and c.field == "emotion")]
        words = _changes_text(changes) + extras.get(r.id, [])
        done.add(r.id)
        if words:
            lines.append(f"- {r.label}: " + "; ".join(words))
    for verb, rows in (("added", t.added), ("removed", t.removed)):
        for r in rows:
            done.add(r.id)
            desc = _describe(name, dict(r.values))
            more = extras.get(r.id, [])
            lines.append(f"- {r.label} {verb}" + (f": {desc}" if desc else "")
                         + (f"; {'; '.join(more)}" if more else ""))
    noun = NOUNS[name][0]
    for item_id, words in extras.items():  # moves caused by other edits
        if item_id not in done and words:
            lines.append(f"- {noun[0].upper()}{noun[1:]} '{item_id}': " + "; ".join(words))
    if t.columns_added:
        lines.append(f"- columns added to {name}.csv: {', '.join(t.columns_added)}")
    if t.columns_removed:
        lines.append(f"- columns removed from {name}.csv: {', '.join(t.columns_removed)}")
    return lines


def _stage_words(s: StageChange) -> str:
    if s.change == "added":
        return f"- Stage '{s.id}' added at position {s.after} ({show(s.name, True)})"
    if s.change == "removed":
        return f"- Stage '{s.id}' removed (was position {s.before}, {show(s.name, True)})"
    if s.change == "renamed":
        a, b = show_pair(s.before, s.after)
        return f"- Stage '{s.id}' renamed: {a} → {b}"
    if s.change == "moved":
        return f"- Stage '{s.id}' moved: position {s.before} → {s.after}"
    return f"- Stage '{s.id}': {s.field} {_arrow(s.before, s.after)}"


def _heading(d: Diff) -> str:
    if d.old_label and d.new_label:
        return f"Changes from {d.old_label} to {d.new_label}"
    return "Changes to the journey map"


def to_text(d: Diff) -> str:
    """Plain words, one line per change, grouped in sections.

    e.g. ``- Pain point 'cart-error': severity 3 → 5; rank 4 → 1; weighted pain 19.5 → 34``
    """
    out = [_heading(d)]
    if d.is_empty:
        out.append("No changes.")
        return "\n".join(out) + "\n"
    out.append(f"In short: {summary(d)}")

    def section(title: str, lines: list[str]) -> None:
        if lines:
            out.extend(["", title, *lines])

    section("Workshop details", [f"- {m.key}: {_arrow(m.before, m.after)}" for m in d.meta])
    stage_lines = [_stage_words(s) for s in d.stages]
    if any(s.change == "moved" for s in d.stages):
        stage_lines.append("- Stage order now: " + " → ".join(d.stage_order))
    section("Stages", stage_lines)
    for name in SECTION_ORDER:
        section(NOUNS[name][2], _row_lines(d, name))
        if name == "steps":
            section("Emotions", [f"- {_emotion_words(e)}" for e in d.emotions])
    return "\n".join(out) + "\n"


# -- markdown ------------------------------------------------------------------------------
_MD_SPECIAL = set("\\`*_[]<>|#~")


def md_escape(text: str) -> str:
    """Text safe inside a markdown table cell: ``|`` and markup escaped, newlines as ``<br>``."""
    s = "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text))
    return s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(md_escape(c) for c in row) + " |" for row in rows]
    return lines


def _md_cell(v: Any, limit: int = 80) -> str:
    return "" if v is None else show(v, quoted=False, limit=limit)


def _md_pair(before: Any, after: Any) -> tuple[str, str]:
    if before is None or after is None:
        return _md_cell(before), _md_cell(after)
    return show_pair(before, after, limit=80, quoted=False)


def _md_moved(before: Any, after: Any) -> str:
    if same(before, after):
        return _md_cell(after)
    return f"{_md_cell(before) or '(blank)'} → {_md_cell(after) or '(blank)'}"


def _key_words(r: RowChange) -> str:
    k = r.key_dict
    if "id" in k:
        return str(k["id"])
    if r.table == "steps":
        visit = f" (visit {k['occurrence']})" if k["occurrence"] > 1 else ""
        return f"{k['persona']} at {k['touchpoint']}{visit}"
    if r.table == "blueprint":  # keyed by touchpoint, lane and persona, like compute._label
        who = f" for {k['persona']}" if k.get("persona") not in (None, "", "*") else ""
        n = f" (#{k['occurrence']})" if k["occurrence"] > 1 else ""
        return f"{k['lane']} at {k['touchpoint']}{who}{n}"
    at = f" at {k['at']}" if k.get("at") else ""
    return f"{k['voter']} for {k['item']}{at}"


def to_markdown(d: Diff) -> str:
    """Markdown for a pull request: a heading, a summary and one table per section."""
    title = "## Journey map changes" + (f": {md_escape(d.title)}" if d.title else "")
    out = [title, ""]
    if d.old_label and d.new_label:
        out += [f"From {md_escape(d.old_label)} to {md_escape(d.new_label)}.", ""]
    if d.is_empty:
        out.append("No changes.")
        return "\n".join(out) + "\n"
    out += [f"**In short:** {md_escape(summary(d))}", ""]

    def section(heading: str, header: list[str], rows: list[list[str]]) -> None:
        if rows:
            out.extend([f"### {heading}", "", *_md_table(header, rows), ""])

    section("Workshop details", ["Field", "Before", "After"],
            [[m.key, *_md_pair(m.before, m.after)] for m in d.meta])
    section("Stages", ["Stage", "Change", "Before", "After"],
            [[f"{s.id}", s.change if s.change != "changed" else f"{s.field} changed",
              *_md_pair(s.before, s.after)] for s in d.stages])
    for name in SECTION_ORDER:
        t = d.table(name)
        rows: list[list[str]] = []
        for r in t.changed:
            for c in r.changes:
                if name == "steps" and c.field == "emotion":
                    continue
                rows.append([_key_words(r), "changed", c.field, *_md_pair(c.before, c.after)])
        for r in t.added:
            rows.append([_key_words(r), "added", "", "", _describe(name, dict(r.values))])
        for r in t.removed:
            rows.append([_key_words(r), "removed", "", _describe(name, dict(r.values)), ""])
        for col in t.columns_added:
            rows.append([f"column {col}", "added", "", "", ""])
        for col in t.columns_removed:
            rows.append([f"column {col}", "removed", "", "", ""])
        section(NOUNS[name][2], [NOUNS[name][0].capitalize() if name != "kpis" else "KPI",
                                 "Change", "Field", "Before", "After"], rows)
        if name == "steps":
            section("Emotions", ["Persona", "Touchpoint", "Before", "After", "Trend"],
                    [[e.persona_name or e.persona,
                      e.touchpoint + (f" (visit {e.occurrence})" if e.occurrence > 1 else ""),
                      _md_cell(e.before), _md_cell(e.after),
                      "" if e.before is None or e.after is None
                      else ("better" if e.after > e.before else "worse")] for e in d.emotions])
    section("Pain point ranking", ["Pain point", "Rank before", "Rank after",
                                   "Weighted pain before", "Weighted pain after"],
            [[m.id, _md_cell(m.rank_before), _md_cell(m.rank_after),
              _md_cell(m.weighted_pain_before), _md_cell(m.weighted_pain_after)]
             for m in d.pain_moves])
    section("Opportunity priority", ["Opportunity", "Quadrant before", "Quadrant after",
                                     "Rank before", "Rank after"],
            [[m.id, m.quadrant_before or "", m.quadrant_after or "",
              _md_cell(m.rank_before), _md_cell(m.rank_after)] for m in d.opportunity_moves])
    section("KPI progress", ["KPI", "Metric", "Baseline", "Target", "Current before",
                             "Current after", "Progress to target"],
            [[m.id, m.metric, _md_moved(m.baseline_before, m.baseline_after),
              _md_moved(m.target_before, m.target_after),
              _md_cell(m.current_before) + (f" {m.unit}" if m.unit and m.current_before is not None else ""),
              _md_cell(m.current_after) + (f" {m.unit}" if m.unit and m.current_after is not None else ""),
              f"{_pct(m.progress_before)} → {_pct(m.progress_after)}"] for m in d.kpi_moves])
    return "\n".join(out).rstrip("\n") + "\n"
