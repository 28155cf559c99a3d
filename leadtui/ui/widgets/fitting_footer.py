"""Textual's Footer, showing only the keys that fit the terminal's width - the least important
left out first (they stay in `?` and the command palette), never a key cut in half."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
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
        self._composed_keys: tuple[Any, ...] | None = None
        self._recompose_pending = False

    @staticmethod
    def _keys(screen: Screen[Any]) -> tuple[Any, ...]:
        """What the footer shows of `screen`'s bindings: key, text, action and whether enabled."""
        return tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip)
            for _, binding, enabled, tooltip in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        """Textual's Footer rebuilds all its keys whenever the screen's bindings are refreshed
        (dozens of times as an app starts, several per key pressed); this one only when what it
        shows changed, and once per refresh however often it is told."""
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if self._recompose_pending or self._keys(screen) == self._composed_keys:
            return
        self._recompose_pending = True
        self.call_after_refresh(self.recompose)

    def compose(self) -> ComposeResult:
        width = self.size.width or self.app.size.width
        self._composed_for = width
        self._recompose_pending = False
        self._composed_keys = self._keys(self.screen) if self._bindings_ready else None
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
        # Still too wide (a screen that names too little to leave out): the last keys go, never
        # the palette's, so no key is cut in half.
        for key in reversed(keys):
            if used <= width:
                break
            if id(key) not in dropped and not key.has_class(PALETTE_KEY_CLASS):
                dropped.add(id(key))
                used -= key_width(key, self.compact)
        return [item for item in items if id(item) not in dropped]

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._composed_for:
            self.call_after_refresh(self.recompose)
