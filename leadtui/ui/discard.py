"""Nothing typed is lost unasked: esc on a form with something typed asks "Verwerfen?" first (one
key: j/y discards, esc/n goes back to the form); on an untouched form it simply closes."""

from __future__ import annotations

from typing import Any

from leadtui.ui.safe import line
from leadtui.ui.screens.base import LeadtuiModal
from leadtui.ui.screens.dialogs import Confirm
from leadtui.ui.work import opened

QUESTION = "Das Eingegebene verwerfen?"


async def discard(form: LeadtuiModal[Any], typed: bool) -> None:
    """Close `form` with no answer - after a yes when `typed`."""
    if typed and not await opened(form.leadtui_app, Confirm(line((QUESTION, "bold")))):
        return
    form.dismiss(None)
