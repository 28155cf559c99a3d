"""What every leadtui screen shares: the repository, and a Footer refreshed only when needed."""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import Screen


class LeadtuiScreen(Screen):
    """A screen whose keys depend on a little state; `key_state` says which."""

    def __init__(self) -> None:
        super().__init__()
        self._key_state: Hashable = None

    @property
    def repository(self):
        return self.app.repository

    def key_state(self) -> Hashable:
        """What decides which keys work here; the Footer is rebuilt when it changes."""
        return None

    def refresh_keys(self) -> None:
        """Refresh the Footer only when `key_state` changed: each refresh rebuilds it, which
        costs more than the key that caused it."""
        state = self.key_state()
        if state != self._key_state:
            self._key_state = state
            self.refresh_bindings()
