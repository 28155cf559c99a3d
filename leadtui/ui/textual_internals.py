"""Every name leadtui takes from Textual that Textual does not publish, in one place.

A Textual upgrade may move or rename these; `tests/test_textual_internals.py` fails then, here,
instead of a screen breaking at run time. Textual is pinned exactly in pyproject.toml.
"""

from __future__ import annotations

from textual.widgets._footer import FooterKey

# The id Textual's own palette screen has (App.action_command_palette pushes it with this id);
# ours keeps it, so Textual's CSS and its `CommandPalette.is_open` find it.
PALETTE_ID = "--command-palette"
# The class Textual's Footer gives the key that opens the palette (drawn with a border before it).
PALETTE_KEY_CLASS = "-command-palette"

__all__ = ["PALETTE_ID", "PALETTE_KEY_CLASS", "FooterKey"]
