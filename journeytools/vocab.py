"""One vocabulary: the words, faces and patterns every part of journeytools shows or checks.

The room, the notebook widgets, the reports and the exports all read these, so severity 3 means
the same thing on a participant's phone, on the projector and in the client's PDF.

>>> SEVERITY[3], FREQUENCY[5], EMOTION_FACES[5]
('costs time or money', 'every time', '😄')
>>> shorten("a long pain point description", 12)
'a long pain…'

Everything that shows a scale, a face, an id rule or a cut text takes it from here; a test
(``tests/test_vocab.py``) fails when a second copy of the words appears elsewhere.
"""

from __future__ import annotations

import re

# ids: non-empty slugs (SPEC §2), matched after stripping and lower-casing.
SLUG_PATTERN = r"[a-z0-9][a-z0-9_-]*"
SLUG = re.compile(SLUG_PATTERN + r"\Z")

# Pain point scales (1–5). Words describe what it does to the customer, in their terms.
SEVERITY = {1: "a minor annoyance", 2: "irritating", 3: "costs time or money",
            4: "makes them doubt us", 5: "stops them completely"}
FREQUENCY = {1: "rarely", 2: "now and then", 3: "often", 4: "most of the time", 5: "every time"}

# Emotion (1 = very negative … 5 = very positive): one face per value everywhere.
EMOTION_FACES = {1: "😫", 2: "🙁", 3: "😐", 4: "🙂", 5: "😄"}
EMOTION_WORDS = {1: "very negative", 2: "negative", 3: "neutral", 4: "positive", 5: "very positive"}

# RICE impact (Intercom's scale).
IMPACT_VALUES = (0.25, 0.5, 1.0, 2.0, 3.0)
IMPACT_WORDS = {0.25: "minimal", 0.5: "low", 1.0: "medium", 2.0: "high", 3.0: "massive"}
NOT_SURE = "not sure yet"  # a scale left blank on purpose (e.g. an idea's impact)

ELLIPSIS = "…"


def labelled(words: dict, value: object) -> str:
    """``"3 · costs time or money"``: a scale value with its word, as pickers show it."""
    number = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{number} · {words[value]}"


def face(emotion: object) -> str:
    """The face for an emotion value (1–5); '' when blank or off the scale."""
    try:
        return EMOTION_FACES.get(int(emotion), "")  # type: ignore[call-overload]  # any number-like
    except (TypeError, ValueError):
        return ""


def one_line(value: object) -> str:
    """A cell as one line of display text: None and NaN → '', whitespace runs → one space.

    >>> one_line("  lost   luggage ")
    'lost luggage'
    """
    if value is None:
        return ""
    try:
        if value != value:  # NaN
            return ""
    except (TypeError, ValueError):
        pass
    return " ".join(str(value).split())


def shorten(text: object, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in an ellipsis when cut.

    Whitespace is kept (error messages quote values exactly); a label shows
    ``shorten(one_line(text), limit)``.
    """
    value = "" if text is None else str(text)
    if len(value) <= limit:
        return value
    return value[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def number(value: object, digits: int = 1) -> str:
    """The one way a number is shown to people (pages, charts, decks, Markdown, terminal):
    thousands separated, at most ``digits`` decimals, no trailing zeros: ``15,120`` ·
    ``1,213.3`` · ``0.8``; a missing value is "–"."""
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    if x != x:
        return "–"
    text = f"{x:,.{digits}f}"
    if digits:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def pain_formula(severity: int, frequency: int, weight: float = 1.0, votes: int = 0,
                 vote_share: float = 1.0) -> str:
    """How a weighted pain is made, in the words of SPEC §3: "3 sev × 4 freq × 1.5 weight
    + 2 votes" (a part that changes nothing — weight 1, no votes — is left out)."""
    text = f"{int(severity)} sev × {int(frequency)} freq"
    if weight != 1:
        text += f" × {number(weight, 2)} weight"
    if votes:
        text += f" + {int(votes)} vote{'s' if votes != 1 else ''}"
        if vote_share != 1:
            text += f" × {number(vote_share, 2)} share"
    return text
