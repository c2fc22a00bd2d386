"""Text fitting: shorten with an ellipsis, wrap to a width in points, measured with the
pinned font (no renderer needed, so layouts are computed before anything is drawn)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from ..vocab import ELLIPSIS, number
from ..vocab import one_line as clean  # a cell as display text: NaN/None → '', one line
from .theme import FONT_FAMILY

_TTP = TextToPath()
SAFETY = 1.06  # Agg renders a hair wider than the outline metrics

FontStyle = Literal["normal", "italic", "oblique"]


def shorten(text: object, max_chars: int) -> str:
    """``text`` on one line, cut to at most ``max_chars`` characters, ending with '…' when cut.

    Unlike ``vocab.shorten`` (a plain cut, for pickers and tables), a chart label is cut at a
    word boundary when one is near the limit, and trailing punctuation goes.

    >>> shorten("Scrolls Instagram in the evening", 20)
    'Scrolls Instagram…'
    >>> shorten("short", 20)
    'short'
    """
    s = clean(text)
    max_chars = max(int(max_chars), 1)
    if len(s) <= max_chars:
        return s
    if max_chars == 1:
        return ELLIPSIS
    cut = s[: max_chars - 1]
    space = cut.rfind(" ")
    if space >= max_chars * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS


@lru_cache(maxsize=1 << 16)
def text_width(text: str, size: float, weight: str = "normal", style: FontStyle = "normal") -> float:
    """Width of one line of ``text`` in points."""
    if not text:
        return 0.0
    prop = FontProperties(family=FONT_FAMILY, size=size, weight=weight, style=style)
    w, _, _ = _TTP.get_text_width_height_descent(text.replace("$", "S"), prop, ismath=False)
    return float(w) * SAFETY


def _break_word(word: str, width: float, size: float, weight: str, style: FontStyle) -> list[str]:
    """Split a word longer than ``width`` into pieces that fit: after its hyphens or slashes
    ("instagram-" / "post"), and between letters only where a part is still too long."""
    if text_width(word, size, weight, style) <= width:
        return [word]
    parts = re.findall(r"[^-/]*[-/]+|[^-/]+", word)
    if len(parts) > 1:
        joined, run = [], ""
        for part in parts:
            if run and text_width(run + part, size, weight, style) > width:
                joined.append(run)
                run = part
            else:
                run += part
        return [q for piece in [*joined, run] for q in _break_word(piece, width, size, weight, style)]
    pieces, cur = [], ""
    for ch in word:
        if cur and text_width(cur + ch, size, weight, style) > width:
            pieces.append(cur)
            cur = ch
        else:
            cur += ch
    return pieces + [cur] if cur else pieces


def wrap(text: object, width_pt: float, size: float, *, weight: str = "normal",
         style: FontStyle = "normal", max_lines: int | None = None) -> list[str]:
    """Lines of ``text`` no wider than ``width_pt`` points; with ``max_lines``, the last line
    ends with '…' when text was left out."""
    s = clean(text)
    if not s:
        return []
    width_pt = max(width_pt, size)
    space = text_width(" ", size, weight, style) or size * 0.3
    lines: list[str] = []
    cur, cur_w = "", 0.0
    for word in s.split(" "):
        w = text_width(word, size, weight, style)
        if w > width_pt:
            parts = _break_word(word, width_pt, size, weight, style)
        else:
            parts = [word]
        for part in parts:
            pw = text_width(part, size, weight, style)
            if cur and cur_w + space + pw <= width_pt:
                cur, cur_w = cur + " " + part, cur_w + space + pw
            else:
                if cur:
                    lines.append(cur)
                cur, cur_w = part, pw
    if cur:
        lines.append(cur)
    if max_lines is not None and len(lines) > max_lines:
        keep = lines[: max(max_lines, 1)]
        last = keep[-1]
        while last and text_width(last + ELLIPSIS, size, weight, style) > width_pt:
            last = last[:-1]
        keep[-1] = last.rstrip(" ,;:.-–—") + ELLIPSIS
        return keep
    return lines


def fit(text: object, width_pt: float, size: float, *, max_chars: int | None = None,
        max_lines: int | None = None, weight: str = "normal", style: FontStyle = "normal") -> str:
    """Shorten to ``max_chars``, then wrap to ``width_pt``: the text, joined with newlines."""
    s = shorten(text, max_chars) if max_chars else clean(text)
    return "\n".join(wrap(s, width_pt, size, weight=weight, style=style, max_lines=max_lines))


def fmt_number(x: float) -> str:
    """Numbers on charts: the same format as everywhere else (``vocab.number``)."""
    return number(x)


def fmt_percent(share: float, digits: int = 0) -> str:
    """A share (0.49) as a percentage on a chart ("49%", "−9%"), digits as ``vocab.number``."""
    text = number(share * 100, digits=digits)
    return ("−" + text[1:] if text.startswith("-") else text) + ("" if text == "–" else "%")


def fmt_signed(x: float) -> str:
    """A change on a chart: "+0.5", "−1.2" (a true minus sign), "0"."""
    text = number(x)
    return text if text in ("0", "–") else ("−" + text[1:] if text.startswith("-") else "+" + text)
