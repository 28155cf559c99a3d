"""Textual's OptionList and DataTable with the lead list's keys (ui/keys.py LIST_KEYS): `j`/`k`,
`g`/`G`, `ctrl+d`/`ctrl+u` half pages, PgUp/PgDn - so Team-Auslastung, the inbox and the journal
move as the lists do, and `?` says so in German (Textual's own descriptions are English)."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList

from leadtui.ui.keys import LIST_KEYS


class KeyedOptionList(OptionList):
    BINDINGS = LIST_KEYS

    def action_cursor(self, step: int) -> None:
        self.action_cursor_down() if step > 0 else self.action_cursor_up()

    def action_page(self, step: int) -> None:
        self._move(step * max(self.scrollable_content_region.height - 1, 1))

    def action_half_page(self, step: int) -> None:
        self._move(step * max(self.scrollable_content_region.height // 2, 1))

    def _move(self, options: int) -> None:
        if self.option_count:
            self.highlighted = min(max((self.highlighted or 0) + options, 0), self.option_count - 1)


class KeyedDataTable(DataTable[object]):
    BINDINGS = LIST_KEYS

    def action_cursor(self, step: int) -> None:
        self._move(step)

    def action_page(self, step: int) -> None:
        self._move(step * max(self.scrollable_content_region.height - 1, 1))

    def action_half_page(self, step: int) -> None:
        self._move(step * max(self.scrollable_content_region.height // 2, 1))

    def _move(self, rows: int) -> None:
        if self.row_count:
            self.move_cursor(row=min(max(self.cursor_row + rows, 0), self.row_count - 1))

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=max(self.row_count - 1, 0))
