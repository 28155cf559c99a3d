"""The leadtui App: gets its repository in the constructor, owns error reporting."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from leadtui.domain import Company, LeadtuiError
from leadtui.repository import Repository
from leadtui.ui.screens.detail import LeadDetailScreen
from leadtui.ui.screens.leads import LeadsScreen


class LeadtuiApp(App):
    TITLE = "leadtui"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("q", "quit", "Beenden", id="quit"),
        Binding("question_mark", "toggle_help", "Tasten", id="help"),
    ]

    def __init__(self, repository: Repository, **kwargs) -> None:
        super().__init__(**kwargs)
        self.repository = repository
        self.partners: list[Company] = []

    def on_mount(self) -> None:
        me = self.repository.me
        self.sub_title = f"{me.name} · {self.repository.company.name}"
        ok, partners = self.attempt(self.repository.partners)
        self.partners = partners if ok else []
        self.push_screen(LeadsScreen())

    def open_lead(self, lead_id: int) -> None:
        """Show a lead's detail. One detail screen is composed once and reused: composing and
        styling a screen costs more than everything else a key does."""
        if not self.is_screen_installed("detail"):
            self.install_screen(LeadDetailScreen(), "detail")
        self.get_screen("detail").lead_id = lead_id
        self.push_screen("detail")

    def attempt(
        self, call: Callable[..., Any], *args: Any, reraise: tuple[type[Exception], ...] = (), **kwargs: Any
    ) -> tuple[bool, Any]:
        """Run a repository call; a domain or storage error becomes an error toast, not a crash.

        Returns (True, result) or (False, None). Errors listed in `reraise` go to the caller, which
        has something better to do with them (a conflict, a form error)."""
        try:
            return True, call(*args, **kwargs)
        except reraise:
            raise
        except LeadtuiError as error:
            self.notify(str(error), title="Nicht möglich", severity="error", timeout=8)
            return False, None

    def action_toggle_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action the current screen offers right now, then Textual's own commands."""
        seen = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not active.enabled or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.description,
                f"Taste: {self.get_key_display(binding)}",
                partial(self.run_action, binding.action, active.node),
            )
        yield from super().get_system_commands(screen)
