"""Toasts that do not pile up: a toast like one still up replaces it and counts ("(3×)"), and no
more than a few are up at a time. Thirteen quick notes queued thirteen toasts, each for five
seconds, over the list the user was working in."""

from __future__ import annotations

import re
from typing import Any

from textual.app import App
from textual.notifications import Notification

from leadtui.ui.textual_internals import take_down, toasts_up

MOST_TOASTS = 4  # beyond this the oldest goes, so the rack never covers the list


def collapse(app: App[Any], new: Notification) -> None:
    """Called as `new` goes up (Textual adds it to the shown ones right after): fold earlier
    toasts with its title and message into it, and take down the oldest beyond MOST_TOASTS."""
    repeats = 1
    for earlier in toasts_up(app):
        if earlier is new or earlier.title != new.title or earlier.severity != new.severity:
            continue
        count = _repeats_of(earlier.message, new.message)
        if count:
            repeats += count
            take_down(app, earlier)
    if repeats > 1:
        new.message = f"{new.message} ({repeats}×)"
    up = [toast for toast in toasts_up(app) if toast is not new]
    for oldest in up[: max(0, len(up) + 1 - MOST_TOASTS)]:
        take_down(app, oldest)


def _repeats_of(shown: str, message: str) -> int:
    """How many toasts `shown` stands for if it says `message` (once, or "(n×)"); else 0."""
    if shown == message:
        return 1
    counted = re.fullmatch(re.escape(message) + r" \((\d+)×\)", shown)
    return int(counted.group(1)) if counted else 0
