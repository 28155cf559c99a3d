"""When the app's timed things happen: the few seconds `u` can take a change back, the few seconds
ctrl+o opens a notification's lead, and the moment a burst of colleagues' changes is coalesced
into one refresh. The app asks its `timers` for them, never Textual directly, so that a test can
hand it timers it moves by hand instead of waiting on the wall clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from textual.message_pump import MessagePump


class Timers(Protocol):
    def after(self, owner: MessagePump, delay: float, callback: Callable[[], None]) -> None:
        """Call `callback` on the app's thread `delay` seconds from now (while `owner` lives)."""


class TextualTimers:
    """Textual's own timers: the owner's `set_timer`, stopped with the owner."""

    def after(self, owner: MessagePump, delay: float, callback: Callable[[], None]) -> None:
        owner.set_timer(delay, callback)
