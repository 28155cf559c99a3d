"""Textual's Footer, showing only the keys that fit the terminal's width - the least important
left out first (they stay in `?` and the command palette), never a key cut in half."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer

from leadtui.ui.textual_internals import PALETTE_KEY_CLASS, FooterKey

COMPACT_BELOW = 100  # columns: narrower terminals get the Footer without padding


def key_width(key: FooterKey, compact: bool) -> int:
    """The cells a FooterKey takes, by Textual's Footer CSS: padding around the key and after the
    description unless compact, a cell between keys, and a border before the palette key."""
    described = cell_len(key.description) + 1 if key.description else 0
    padding = 0 if compact or not key.description else 2
    palette = 2 if key.has_class(PALETTE_KEY_CLASS) else 0
    return cell_len(key.key_display) + described + padding + palette + 1


class FittingFooter(Footer):
    """A Footer that leaves out keys which do not fit, in the order of the screen's
    `FOOTER_LEAVE_OUT` (actions, least important first)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._composed_for = 0

    def compose(self) -> ComposeResult:
        width = self.size.width or self.app.size.width
        self._composed_for = width
        self.compact = width < COMPACT_BELOW
        items = list(super().compose())
        yield from self._fitting(items, width)

    def _fitting(self, items: list[Widget], width: int) -> Iterable[Widget]:
        keys = [item for item in items if isinstance(item, FooterKey)]
        used = sum(key_width(key, self.compact) for key in keys)
        leave_out: tuple[str, ...] = getattr(self.screen, "FOOTER_LEAVE_OUT", ())
        dropped: set[int] = set()
        for action in leave_out:
            if used <= width:
                break
            for key in keys:
                if id(key) not in dropped and key.action.rsplit(".", 1)[-1] == action:
                    dropped.add(id(key))
                    used -= key_width(key, self.compact)
        return [item for item in items if id(item) not in dropped]

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._composed_for:
            self.call_after_refresh(self.recompose)
