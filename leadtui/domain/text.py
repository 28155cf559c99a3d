"""Text written by people, on its way in and on its way out.

Lead fields, company and colleague names are written by people at other companies too (a
principal's lead reaches its partner). On the way in, single-line fields turn tabs and line breaks
into spaces and refuse every other control character, NUL and the bidi overrides and isolates
(which make text read differently from what it is). On the way out, `for_display` drops them, so
rows written before these checks still never reach a terminal as escape sequences.
"""

from __future__ import annotations

import re

# Unicode category Cc is exactly C0, DEL and C1; then the bidi embedding, override and isolate
# controls, the invisible direction marks and the Unicode line and paragraph separators.
_CONTROL = "\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
CONTROL_RE = re.compile(f"[{_CONTROL}]")
# What reads as a line or column break: kept as a space in single-line text.
BREAK_RE = re.compile("[\t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def has_control(text: str) -> bool:
    """Whether `text` holds a character that must never reach the terminal."""
    return CONTROL_RE.search(text) is not None


def single_line(text: str) -> str:
    """Breaks become spaces, the ends are trimmed; other control characters stay (to be refused)."""
    return BREAK_RE.sub(" ", text).strip()


def for_display(text: str) -> str:
    """The text as one line with every control character removed: safe to write to a terminal."""
    if CONTROL_RE.search(text) is None:
        return text
    return CONTROL_RE.sub("", BREAK_RE.sub(" ", text))


def multi_line(text: str) -> str:
    """A note: line breaks kept (as "\n"), tabs and other breaks become spaces, each line's end
    and the whole text trimmed; other control characters stay (to be refused)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(single_line(line_text) for line_text in lines).strip("\n ")
