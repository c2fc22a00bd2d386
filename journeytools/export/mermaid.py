"""Mermaid ``journey`` diagrams: one per persona (SPEC §4, ``export --to mermaid``).

Each stage becomes a ``section``, each step a task scored with its emotion (1–5) and acted
by the persona. Text that would break Mermaid's grammar is written as Mermaid entity codes
(``#58;`` for ``:``), which Mermaid turns back into the character when it renders, so no
user text is ever dropped.

>>> import journeytools as jt
>>> from journeytools.export.mermaid import render
>>> print(render(jt.load("workshops/luggage-store"), "mia"))   # doctest: +SKIP
journey
  title Mia#58; Online luggage store — purchase journey
  section Awareness
    Influencer post featuring Cabin 55 — Curious and inspired: 4: Mia
    ...
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..errors import persona_id
from ..fsutil import write_text_atomic
from ..model.workshop import Workshop
from ..scoring import journey

NEUTRAL = 3
NO_EMOTION = " (no emotion recorded, shown as 3)"
SEPARATOR = "%% ---"  # between diagrams of several personas in one plain file

# Characters with a meaning in the journey grammar (':' splits task/score/actors, '#' and
# '%%' start comments, ';' ends a statement, ',' separates actors, '<' starts the HTML that
# Mermaid rewrites or sanitises) plus every control character and line separator: all are
# written as numeric entity codes. So is whitespace at either end of a label, which the
# lexer would otherwise skip.
_SPECIAL = frozenset(":#;%<")
# Whitespace as JavaScript's \\s sees it (what the lexer skips and trim() removes).
_SPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
          "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")
# Words the journey lexer reads as keywords when a task starts with them.
_KEYWORDS = re.compile(r"(?i)(journey|title|section|acctitle|accdescr)")


def escape(text: object, also: str = "") -> str:
    """Text safe anywhere in a journey diagram: specials as ``#NN;`` entity codes.

    >>> escape("Pay: card #1; done")
    'Pay#58; card #35;1#59; done'
    """
    text = str(text)
    body = text.strip(_SPACE)
    start = len(text) - len(text.lstrip(_SPACE))
    end = start + len(body)
    out = []
    for i, ch in enumerate(text):
        code = ord(ch)
        if (ch in _SPECIAL or ch in also or code < 32 or 0x7F <= code < 0xA0
                or ch in "\u2028\u2029" or not start <= i < end):
            out.append(f"#{code};")
        else:
            out.append(ch)
    value = "".join(out)
    m = _KEYWORDS.match(value)
    if m:  # "Journey planner" would be read as the 'journey' keyword: encode its first letter
        value = f"#{ord(value[0])};" + value[1:]
    return value


def _label(text: object, fallback: str) -> str:
    value = escape(text)
    return value if value.strip() else fallback


def diagram(ws: Workshop, persona: str) -> str:
    """The ``journey`` diagram of one persona, as Mermaid text."""
    name = ws.persona_name(persona)
    steps = journey(ws, persona)
    lines = ["journey", f"  title {_label(f'{name}: {ws.title}', 'Journey')}"]
    actor = escape(name, also=",") if name.strip() else escape(persona)
    missing = 0
    by_id = {s.id: s for s in ws.stages}
    current: str | None = None
    for row in steps.itertuples(index=False):
        if row.stage != current:
            current = row.stage
            stage = by_id.get(row.stage)
            lines.append(f"  section {_label(stage.name if stage else row.stage, escape(row.stage))}")
        task = str(row.touchpoint_name)
        if row.feeling.strip():
            task += f" — {row.feeling}"
        if pd.isna(row.emotion):
            score, note = NEUTRAL, NO_EMOTION
            missing += 1
        else:
            score, note = int(row.emotion), ""
        lines.append(f"    {_label(task, escape(row.touchpoint))}{note}: {score}: {actor}")
    if not len(steps):
        lines.append(f"  section {_label('No steps mapped yet', 'Journey')}")
        lines.append(f"    {escape('Add steps for this persona in steps.csv')}: {NEUTRAL}: {actor}")
    if missing:
        lines.insert(1, f"  %% {missing} step{'s' if missing != 1 else ''} without an emotion "
                        f"shown as neutral ({NEUTRAL})")
    return "\n".join(lines) + "\n"


def _personas(ws: Workshop, persona: str | None) -> list[str]:
    return [persona_id(ws, persona)] if persona is not None else [str(p) for p in ws.personas["id"]]


def render(ws: Workshop, persona: str | None = None, fenced: bool = False) -> str:
    """Diagrams for one persona or all of them.

    Several diagrams in plain text are separated by ``%% ---`` comment lines (split on them
    to paste one into a Mermaid editor); ``fenced=True`` gives Markdown with a heading and a
    fenced ``mermaid`` block per persona, which GitHub and most wikis render.
    """
    ids = _personas(ws, persona)
    if fenced:
        parts = [f"# {ws.title}\n"]
        for pid in ids:
            parts.append(f"## {ws.persona_name(pid)}\n\n```mermaid\n{diagram(ws, pid)}```\n")
        return "\n".join(parts)
    parts = []
    for pid in ids:
        head = f"{SEPARATOR} persona: {pid}\n" if len(ids) > 1 else ""
        parts.append(head + diagram(ws, pid))
    return "\n".join(parts)


def write(ws: Workshop, path: Path, persona: str | None = None) -> Path:
    """Write the diagrams to ``path``; a ``.md`` file gets fenced blocks."""
    fenced = path.suffix.lower() in (".md", ".markdown")
    write_text_atomic(path, render(ws, persona, fenced=fenced))
    return path
