"""The base classes of leadtui's screens and dialogs: the typed app, the repository, and
database work off the UI thread (see ui/work.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen, Screen

from leadtui.domain.interface import LeadRepository
from leadtui.ui.work import DatabaseWork

if TYPE_CHECKING:
    from leadtui.ui.app import LeadtuiApp

R = TypeVar("R")


class KeysMayGo(Message, bubble=False):
    """To the app: a screen of ours is up and focused; the keys typed while it was being built
    may go on (LeadtuiApp.on_event holds them)."""


class LeadtuiScreen(DatabaseWork, Screen[R]):
    # Textual's Screen keys, said in German (its own: "Focus Next", "Copy selected text").
    BINDINGS = [
        Binding("tab", "app.focus_next", "Nächstes Feld", show=False),
        Binding("shift+tab", "app.focus_previous", "Voriges Feld", show=False),
        Binding("ctrl+c,super+c", "screen.copy_text", "Markierten Text kopieren", show=False),
    ]

    @property
    def app(self) -> LeadtuiApp:  # type: ignore[override]
        return cast("LeadtuiApp", super().app)

    keys_ready = False  # focused and taking keys: until then the app holds what is typed

    def typed(self) -> bool:
        """Whether something typed here would be lost if the screen went (a form says so)."""
        return False

    def on_mount(self) -> None:
        """After the screen's own on_mount (Textual calls a base class's handler after the
        subclass's) asked for its first field's focus: Textual gives it in a callback on the
        app's queue; queued after it, the screen takes keys, and those the app held meanwhile go
        on."""

        def ready() -> None:
            self.keys_ready = True
            self.app.post_message(KeysMayGo())

        self.app.call_later(ready)

    @property
    def leadtui_app(self) -> LeadtuiApp:
        return self.app

    @property
    def repository(self) -> LeadRepository:
        return self.app.repository


class LeadtuiModal(LeadtuiScreen[R], ModalScreen[R]):
    """A dialog: a leadtui screen over the one below."""
