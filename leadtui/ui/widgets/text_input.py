"""An input for one line of text whose value never holds a control character.

Textual's Input shows its value as it is; a pasted escape sequence would reach the terminal. What
is typed or pasted is cleaned as it arrives: breaks become spaces, control characters go.
"""

from __future__ import annotations

from textual.widgets import Input

from leadtui.domain.text import for_display


class TextInput(Input):
    def validate_value(self, value: str) -> str:
        return for_display(value)
