"""Where an export goes: one path, its ending choosing CSV or xlsx."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from leadtui.domain import InvalidInput
from leadtui.exports import checked_target, format_of
from leadtui.ui.safe import data, line
from leadtui.ui.screens.base import LeadtuiModal
from leadtui.ui.widgets.text_input import TextInput


class ExportDialog(LeadtuiModal[Path | None]):
    """The file to export the list to (`proposed` at first); enter exports, esc cancels."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Abbrechen", tooltip="Ohne Änderung schließen")]

    def __init__(self, what: str, count: int, proposed: Path) -> None:
        super().__init__()
        self.what = what
        self.count = count
        self.proposed = proposed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog journal-dialog"):
            yield Label("Exportieren", classes="dialog-title")
            yield Label(line(self.what, f": {self.count} Leads in den gezeigten Spalten"))
            yield TextInput(value=str(self.proposed), id="export-path", compact=True)
            yield Static("", id="export-error", classes="field-error")
            yield Label(".csv (Excel) oder .xlsx · Enter: exportieren · Esc: abbrechen", classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self) -> None:
        typed = self.query_one(Input).value.strip()
        path = Path(typed).expanduser()
        try:
            if not typed:
                raise InvalidInput({"file": "Bitte einen Dateinamen angeben."})
            format_of(path, None)
            checked_target(path)
        except InvalidInput as invalid:
            self._refuse(str(invalid))
            return
        self.dismiss(path)

    def _refuse(self, why: str) -> None:
        error = self.query_one("#export-error", Static)
        error.update(data(why))
        error.display = True
