"""Textual's OptionList and DataTable with the lead list's keys: `j`/`k`, `g`/`G`, `ctrl+d`/
`ctrl+u` half pages, PgUp/PgDn - so Team-Auslastung, the inbox and the journal move as the lists
do, and `?` says so in German (Textual's own descriptions are English)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable, OptionList

MOVES = [
    Binding("up,k", "cursor_up", "Hoch", show=False),
    Binding("down,j", "cursor_down", "Runter", show=False),
    Binding("pageup", "page_up", "Seite hoch", show=False),
    Binding("pagedown", "page_down", "Seite runter", show=False),
    Binding("ctrl+u", "half_page(-1)", "Halbe Seite hoch", show=False),
    Binding("ctrl+d", "half_page(1)", "Halbe Seite runter", show=False),
]


class KeyedOptionList(OptionList):
    BINDINGS = [
        *MOVES,
        Binding("g,home", "first", "Anfang", show=False),
        Binding("G,end", "last", "Ende", show=False),
    ]

    def action_half_page(self, direction: int) -> None:
        if self.option_count:
            step = max(self.scrollable_content_region.height // 2, 1)
            self.highlighted = min(max((self.highlighted or 0) + direction * step, 0), self.option_count - 1)


class KeyedDataTable(DataTable[object]):
    BINDINGS = [
        *MOVES,
        Binding("g,home", "first", "Anfang", show=False),
        Binding("G,end", "last", "Ende", show=False),
    ]

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=max(self.row_count - 1, 0))

    def action_half_page(self, direction: int) -> None:
        if self.row_count:
            step = max(self.scrollable_content_region.height // 2, 1)
            self.move_cursor(row=min(max(self.cursor_row + direction * step, 0), self.row_count - 1))
