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

from leadtui.ui.keys import OfferedKey, offered_keys
from leadtui.ui.screens.base import LeadtuiModal


class KeyHelp(LeadtuiModal[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss(None)", "Schließen"),
        Binding("j,down", "scroll('down')", "Runter", show=False),
        Binding("k,up", "scroll('up')", "Hoch", show=False),
        Binding("pagedown,space,ctrl+d", "scroll('page_down')", "Seite runter", show=False),
        Binding("pageup,ctrl+u", "scroll('page_up')", "Seite hoch", show=False),
        Binding("g,home", "scroll('home')", "Anfang", show=False),
        Binding("G,end", "scroll('end')", "Ende", show=False),
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

    def action_scroll(self, where: str) -> None:
        box = self.query_one("#key-list", VerticalScroll)
        {
            "down": box.scroll_down,
            "up": box.scroll_up,
            "page_down": box.scroll_page_down,
            "page_up": box.scroll_page_up,
            "home": box.scroll_home,
            "end": box.scroll_end,
        }[where](animate=False)


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
