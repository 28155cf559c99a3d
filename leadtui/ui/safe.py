"""The one way text written by people reaches the screen.

Lead fields, company and colleague names come from other companies too. Textual parses markup
in notify(), Label, Static, Option and Button labels, and passes control characters through to
the terminal. So data is never interpolated into a string for those APIs: it becomes a
`rich.Text` (which is never parsed as markup) through `data` or `line`, with every control
character removed. A test (tests/test_ui_text_safety.py) fails when a call to a markup-parsing
API passes anything but a literal or one of these builders; by convention a variable or method
whose name ends in `_text` holds such a Text.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import App

from leadtui.domain.text import for_display

Part = str | tuple[str, str]


def data(value: str, style: str = "") -> Text:
    """One piece of stored text, shown literally."""
    return Text(for_display(value), style=style, end="")


def line(*parts: Part) -> Text:
    """A line assembled from literal strings and data: ("text", "style") pairs or plain
    strings. Every part is cleaned alike, so literal and data need no different handling."""
    text = Text(end="")
    for part in parts:
        value, style = (part, "") if isinstance(part, str) else part
        text.append(for_display(value), style=style or None)
    return text


def plain(*parts: Part) -> str:
    """The same line as a plain string, for APIs that take markup=False."""
    return line(*parts).plain


def one_line(value: str) -> str:
    """Stored text as one line: no control characters, any run of whitespace (a newline in a
    title) one space - how a list cell and the status line show it."""
    return " ".join(for_display(value).split())


def toast(app: App[Any], *parts: Part, title: str = "", severity: str = "information", timeout: float = 5) -> None:
    """A notification whose message may hold data: never parsed as markup."""
    app.notify(plain(*parts), title=title, severity=severity, timeout=timeout, markup=False)  # type: ignore[arg-type]
