"""The base classes of leadtui's screens and dialogs: the typed app, the repository, and
database work off the UI thread (see ui/work.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import ModalScreen, Screen

from leadtui.domain.interface import LeadRepository
from leadtui.ui.work import DatabaseWork

if TYPE_CHECKING:
    from leadtui.ui.app import LeadtuiApp

R = TypeVar("R")


class LeadtuiScreen(DatabaseWork, Screen[R]):
    @property
    def app(self) -> LeadtuiApp:  # type: ignore[override]
        return cast("LeadtuiApp", super().app)

    @property
    def leadtui_app(self) -> LeadtuiApp:
        return self.app

    @property
    def repository(self) -> LeadRepository:
        return self.app.repository


class LeadtuiModal(LeadtuiScreen[R], ModalScreen[R]):
    """A dialog: a leadtui screen over the one below."""
