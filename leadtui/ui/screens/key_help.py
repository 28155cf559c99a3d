"""`?`: the keys of the view below and what they do, in German, scrollable by keyboard.

A dialog over the view (as lazygit's and k9s' `?` are), not Textual's side panel: the panel
listed Textual's English keys ("Focus Next", "Quit the app and return to the command prompt."),
and at 80x24 its lower half could not be reached without a mouse."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from leadtui.ui.keys import LIST_KEYS, OfferedKey, offered_keys
from leadtui.ui.screens.base import LeadtuiModal


class KeyHelp(LeadtuiModal[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss(None)", "Schließen", tooltip="Zurück zur Ansicht"),
        *LIST_KEYS,
    ]

    def __init__(self, below: Screen[object]) -> None:
        super().__init__()
        self.offered = offered_keys(below)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="key-help"):
            yield Label("Tasten dieser Ansicht", classes="dialog-title")
            with VerticalScroll(id="key-list", can_focus=False):
                yield Static(key_table(self.offered), id="key-table", markup=False)
            yield Label("j/k, Bild↑/↓: blättern · Esc/?/F1: schließen", classes="hint")

    @property
    def _keys(self) -> VerticalScroll:
        return self.query_one("#key-list", VerticalScroll)

    def action_cursor(self, step: int) -> None:
        self._keys.scroll_down(animate=False) if step > 0 else self._keys.scroll_up(animate=False)

    def action_page(self, step: int) -> None:
        self._keys.scroll_page_down(animate=False) if step > 0 else self._keys.scroll_page_up(animate=False)

    def action_half_page(self, step: int) -> None:
        self._keys.scroll_relative(y=step * max(self._keys.size.height // 2, 1), animate=False)

    def action_first(self) -> None:
        self._keys.scroll_home(animate=False)

    def action_last(self) -> None:
        self._keys.scroll_end(animate=False)


def key_table(offered: list[OfferedKey]) -> Table:
    """Keys right-aligned beside what they do, under the heading of where they work."""
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="bold")
    table.add_column()
    groups: dict[str, list[OfferedKey]] = {}
    for key in offered:
        groups.setdefault(key.group, []).append(key)
    for index, (group, keys) in enumerate(groups.items()):
        if index:
            table.add_row("", "")
        table.add_row("", Text(group, style="bold underline"))
        for key in keys:
            table.add_row(Text(key.keys), Text(key.binding.description))
    return table
