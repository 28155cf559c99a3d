"""What a colleague sees once their access was deactivated while the app was open: no data."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Label

from leadtui.ui.safe import data
from leadtui.ui.widgets.fitting_footer import FittingFooter


class LockedScreen(Screen[None]):
    BINDINGS = [Binding("q", "app.quit", "Beenden", tooltip="leadtui beenden", priority=True)]
    DEFAULT_CSS = """
    LockedScreen { align: center middle; }
    LockedScreen Label { width: auto; padding: 1 4; border: thick $error; }
    """

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Label(data(f"{self.message} leadtui zeigt keine Daten mehr. Beenden mit q."), id="locked")
        yield FittingFooter()
