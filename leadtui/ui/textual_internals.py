"""Every name leadtui takes from Textual that Textual does not publish, in one place.

A Textual upgrade may move or rename these; `tests/test_textual_internals.py` fails then, here,
instead of a screen breaking at run time. Textual is pinned exactly in pyproject.toml.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.notifications import Notification
from textual.widgets._footer import FooterKey

# The id Textual's own palette screen has (App.action_command_palette pushes it with this id);
# ours keeps it, so Textual's CSS and its `CommandPalette.is_open` find it.
PALETTE_ID = "--command-palette"
# The class Textual's Footer gives the key that opens the palette (drawn with a border before it).
PALETTE_KEY_CLASS = "-command-palette"


def toasts_up(app: App[Any]) -> list[Notification]:
    """The notifications shown now, oldest first (Textual keeps them in `App._notifications`)."""
    return list(app._notifications)


def take_down(app: App[Any], notification: Notification) -> None:
    """Remove a toast before its time (Textual's `App._unnotify`)."""
    app._unnotify(notification)


__all__ = ["PALETTE_ID", "PALETTE_KEY_CLASS", "FooterKey", "take_down", "toasts_up"]
