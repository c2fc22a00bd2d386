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


# -- channels: one vocabulary, two levels ---------------------------------------------------
# A channel and the platforms on it. Personas and touchpoints may use either level: a persona
# on "instagram" is reached by a touchpoint on "social", and one on "social" by a touchpoint on
# "instagram". A platform may sit under more than one channel (YouTube is social and video).
CHANNELS: dict[str, tuple[str, ...]] = {
    "social": ("instagram", "tiktok", "facebook", "pinterest", "linkedin", "x", "twitter",
               "snapchat", "threads", "youtube", "reddit", "paid-social", "influencer"),
    "video": ("youtube", "vimeo", "tiktok", "twitch", "tv"),
    "search": ("google", "google-search", "bing", "search-ads", "seo"),
    "ads": ("search-ads", "display-ads", "paid-social", "retargeting", "tv", "radio", "billboard",
            "print-ads"),
    "messaging": ("whatsapp", "messenger", "sms", "imessage", "wechat", "telegram", "signal"),
    "chat": ("live-chat", "chatbot"),
    "review-site": ("trustpilot", "google-reviews", "tripadvisor", "yelp", "feefo"),
    "email": ("newsletter",),
    "web": ("website", "web-shop", "price-comparison"),
    "app": ("mobile-app",),
    "store": ("shop", "in-store", "pop-up", "branch"),
    "phone": ("call-centre", "hotline", "helpline"),
    "print": ("letter", "brochure", "catalogue", "print-ads", "magazine"),
    "forum": ("reddit", "community"),
}
CHANNEL_NAMES = {  # how people write them (anything else: first letter capitalised)
    "tiktok": "TikTok", "youtube": "YouTube", "linkedin": "LinkedIn", "whatsapp": "WhatsApp",
    "x": "X", "sms": "SMS", "seo": "SEO", "tv": "TV", "imessage": "iMessage", "wechat": "WeChat",
    "social": "social media", "web": "the web", "ads": "advertising", "app": "an app",
    "store": "a shop", "phone": "the phone", "review-site": "review sites", "search": "search engines",
    "google-search": "Google search", "search-ads": "search ads", "paid-social": "paid social ads",
}


def channel_key(value: object) -> str:
    """A channel or platform as compared: trimmed, lower case, spaces as hyphens."""
    return "-".join(str(value).strip().lower().split())


def channel_families(channel: str) -> set[str]:
    """The channels a word names: itself when it is a channel, else the channels it is on."""
    key = channel_key(channel)
    return {key} if key in CHANNELS else {c for c, platforms in CHANNELS.items() if key in platforms}


def channel_reaches(served: str, used: str) -> bool:
    """Whether a touchpoint on ``served`` reaches a persona who uses ``used``: the same word,
    or one is a channel and the other a platform on it."""
    a, b = channel_key(served), channel_key(used)
    return a == b or b in CHANNELS.get(a, ()) or a in CHANNELS.get(b, ())


def channel_name(channel: str) -> str:
    """A channel in the words a persona would use ("Instagram", "social media")."""
    key = channel_key(channel)
    return CHANNEL_NAMES.get(key, key.replace("-", " ").capitalize() if key not in CHANNELS else key)
