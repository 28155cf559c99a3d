"""Text written by people, on its way in and on its way out.

Lead fields, company and colleague names are written by people at other companies too (a
principal's lead reaches its partner). On the way in, single-line fields turn tabs and line breaks
into spaces and refuse every other control character, NUL and the bidi overrides and isolates
(which make text read differently from what it is). On the way out, `for_display` drops them, so
rows written before these checks still never reach a terminal as escape sequences.
"""

from __future__ import annotations

import unicodedata

# Bidi embedding, override and isolate controls, and the invisible direction marks.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# What reads as a line or column break: kept as a space in single-line text.
BREAKS = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


def is_control(char: str) -> bool:
    """A character that must never reach the terminal: C0, DEL, C1 or a bidi control."""
    return char in BIDI_CONTROLS or unicodedata.category(char) == "Cc"


def has_control(text: str) -> bool:
    return any(is_control(char) for char in text)


def single_line(text: str) -> str:
    """Breaks become spaces, the ends are trimmed; other control characters stay (to be refused)."""
    if any(char in BREAKS for char in text):
        text = "".join(" " if char in BREAKS else char for char in text)
    return text.strip()


def for_display(text: str) -> str:
    """The text as one line with every control character removed: safe to write to a terminal."""
    if not any(is_control(char) for char in text):
        return text
    return "".join(" " if char in BREAKS else char for char in text if char in BREAKS or not is_control(char))
