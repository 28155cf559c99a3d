"""Importing a file in the app: its path, then a preview that writes nothing (rule 19).

The path dialog reads the file in a worker and says in its own line what is wrong with it. The
preview asks the repository what an import would do - the same plan the import then writes -
and again whenever the colleague changes a column's field (m) or what duplicates do (1-3);
enter imports, esc leaves everything as it was.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from leadtui.domain import InvalidInput, LeadtuiError
from leadtui.domain.imports import FIELD_LABELS, DuplicatePolicy, ImportFile, ImportOptions, ImportOutcome
from leadtui.domain.money import format_count
from leadtui.ui.safe import data, line
from leadtui.ui.screens.base import LeadtuiModal
from leadtui.ui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from leadtui.sheets import Table

IGNORED = "-"
POLICY_KEYS = {"1": DuplicatePolicy.SKIP, "2": DuplicatePolicy.IMPORT, "3": DuplicatePolicy.FILL}
SHORT = {
    DuplicatePolicy.SKIP: "überspringen",
    DuplicatePolicy.IMPORT: "importieren",
    DuplicatePolicy.FILL: "leere Felder füllen",
}
PREVIEW = "import-preview"  # the worker group of previews: a newer one supersedes the older
FIRST_ROWS = 1000  # a long file's first rows are counted first, so the preview shows at once


class ImportPathDialog(LeadtuiModal["Table | None"]):
    """The file to import; enter reads it (the preview follows), esc cancels."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Abbrechen", tooltip="Ohne Änderung schließen")]

    def __init__(self, proposed: Path) -> None:
        super().__init__()
        self.proposed = proposed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog journal-dialog"):
            yield Label("Importieren", classes="dialog-title")
            yield Label("Leads aus einer CSV- oder xlsx-Datei; erst kommt eine Vorschau.")
            yield TextInput(value=str(self.proposed), id="import-path", compact=True)
            yield Static("", id="import-error", classes="field-error")
            yield Label("Enter: Vorschau · Esc: abbrechen", classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self) -> None:
        typed = self.query_one(Input).value.strip()
        if not typed:
            self._refuse("Bitte eine Datei angeben.")
            return
        from leadtui.sheets import read  # only when a file is imported

        self.query_one("#import-error", Static).update(line("Datei wird gelesen …"))
        path = Path(typed).expanduser()
        self.database(lambda: read(path), self._read, failed=self._refused)

    def _read(self, table: Table) -> None:
        self.dismiss(table)

    def _refused(self, error: LeadtuiError) -> bool:
        if not isinstance(error, InvalidInput):
            return False
        self._refuse(str(error))
        return True

    def _refuse(self, why: str) -> None:
        error = self.query_one("#import-error", Static)
        error.update(data(why))
        error.display = True


class FieldPicker(LeadtuiModal[str | None]):
    """The field a column feeds, or none (ignored)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Abbrechen", tooltip="Ohne Änderung schließen")]

    def __init__(self, column: str, current: str | None) -> None:
        super().__init__()
        self.column = column
        self.current = current

    def compose(self) -> ComposeResult:
        choices = [Option(line(label), id=key) for key, label in FIELD_LABELS.items()]
        with Vertical(classes="dialog"):
            yield Label(line("Spalte „", self.column, "“ füllt:"), classes="dialog-title")
            yield OptionList(*choices, Option("nichts (ignorieren)", id=IGNORED), id="fields")
            yield Label("Enter: wählen · Esc: abbrechen", classes="hint")

    def on_mount(self) -> None:
        fields = self.query_one(OptionList)
        fields.highlighted = fields.get_option_index(self.current or IGNORED)
        fields.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class ImportPreview(LeadtuiModal[tuple[ImportFile, ImportOptions] | None]):
    """What importing `table` would do; its answer is what to import, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Abbrechen", tooltip="Ohne Änderung schließen"),
        Binding("enter", "confirm", "Importieren", tooltip="Die Zeilen der Vorschau importieren", priority=True),
        Binding("m", "map_column", "Feld ändern", tooltip="Der markierten Spalte ein anderes Feld geben"),
        *(Binding(key, f"policy('{policy.value}')", policy.label, show=False) for key, policy in POLICY_KEYS.items()),
    ]

    def __init__(self, table: Table) -> None:
        super().__init__()
        self.table = table
        self.overrides: dict[str, str] = {}
        self.options = ImportOptions()
        self.file: ImportFile | None = None
        self.outcome: ImportOutcome | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog import-preview"):
            yield Label(line("Importieren: ", self.table.name), classes="dialog-title")
            yield Label(line(self.table.described, f" – {format_count(len(self.table.rows))} Zeilen"))
            yield Static("", id="import-counts")
            yield Static("", id="import-policy")
            yield OptionList(id="import-columns")
            with VerticalScroll(id="import-report"):
                yield Static("", id="import-findings")
            yield Label("Enter: importieren · m: Feld ändern · 1–3: Dubletten · Esc: abbrechen", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#import-columns", OptionList).focus()
        self.preview()

    def preview(self) -> None:
        """Map the columns as chosen and ask what the import would do."""
        from leadtui.sheets import SheetError, column_map, mapped

        self.outcome = None
        self._policy_line()
        try:
            columns = column_map(self.table, self.overrides)
        except SheetError as error:  # only the colleague's own choices reach here, all valid
            self._counts(Text(error.message, style="red"))
            return
        self._columns(columns.lines())
        try:
            self.file = mapped(self.table, columns)
        except SheetError as error:
            self.file = None
            self._counts(data(error.message))
            self.query_one("#import-findings", Static).update("")
            return
        self._counts(line(f"Prüfe {format_count(len(self.table.rows))} Zeilen …"))
        file, options, repository = self.file, self.options, self.repository
        if len(file.rows) <= FIRST_ROWS:
            self.database(lambda: repository.import_leads(file, options), self._show, group=PREVIEW, exclusive=True)
            return
        first = replace(file, rows=file.rows[:FIRST_ROWS], numbers=file.numbers[:FIRST_ROWS])

        def then_all(outcome: ImportOutcome) -> None:
            self._show(outcome, of_all=False)
            self.database(lambda: repository.import_leads(file, options), self._show, group=PREVIEW, exclusive=True)

        self.database(lambda: repository.import_leads(first, options), then_all, group=PREVIEW, exclusive=True)

    def _columns(self, lines: list[str]) -> None:
        columns = self.query_one("#import-columns", OptionList)
        highlighted = columns.highlighted
        columns.clear_options()
        columns.add_options([Option(line(text)) for text in lines])
        columns.highlighted = highlighted if highlighted is not None else 0

    def _counts(self, counts_text: Text) -> None:
        self.query_one("#import-counts", Static).update(counts_text)

    def _policy_line(self) -> None:
        choices = [
            f"[{key}] {SHORT[policy]}" if policy is not self.options.duplicates else f"‹{key}› {SHORT[policy]}"
            for key, policy in POLICY_KEYS.items()
        ]
        self.query_one("#import-policy", Static).update(line("Dubletten: ", " ".join(choices)))

    def _show(self, outcome: ImportOutcome, of_all: bool = True) -> None:
        """The outcome on screen; of the first rows only (`of_all` False) while all are counted."""
        self.outcome = outcome if of_all else None
        counts = Text(no_wrap=False)
        if not of_all:
            rows = format_count(len(self.table.rows))
            counts.append(f"Erste {format_count(outcome.rows)} Zeilen (alle {rows} werden geprüft …): ", style="italic")
        counts.append(f"Neu: {format_count(outcome.new)}", style="bold")
        counts.append(f" · Dubletten: {format_count(outcome.duplicates)} · Ungültig: {format_count(outcome.invalid)}")
        if outcome.filled:
            counts.append(f" · Ergänzt: {format_count(outcome.filled)}")
        if outcome.assigned:
            counts.append("\nZuweisung: ")
            counts.append(data(", ".join(f"{format_count(n)} an {name or 'niemand'}" for name, n in outcome.assigned)))
        if outcome.rounded:
            counts.append(f"\nGerundet: {format_count(outcome.rounded)} Werte mit Cent auf volle Euro")
        self._counts(counts)
        findings_text = Text()
        for problem in outcome.problems:
            findings_text.append(f"Zeile {problem.row}: ", style="red")
            findings_text.append(data(problem.message))
            findings_text.append("\n")
        for duplicate in outcome.duplicate_rows:
            other = f"Lead {duplicate.lead_id}" if duplicate.lead_id is not None else f"Zeile {duplicate.other_row}"
            findings_text.append(f"Zeile {duplicate.row}: ", style="yellow")
            findings_text.append(data(f"{duplicate.rule} wie {other} „{duplicate.title}“"))
            findings_text.append("\n")
        findings_text.rstrip()
        self.query_one("#import-findings", Static).update(findings_text)

    def action_policy(self, value: str) -> None:
        self.options = ImportOptions(DuplicatePolicy(value), self.options.colleague)
        self.preview()

    def action_map_column(self) -> None:
        index = self.query_one("#import-columns", OptionList).highlighted
        if index is None:
            return
        header = self.table.header[index]
        from leadtui.sheets import column_map

        current = column_map(self.table, self.overrides).columns[index][2]

        def chosen(field: str | None) -> None:
            if field is None:
                return
            self.overrides[header] = "-" if field == IGNORED else FIELD_LABELS[field]
            self.preview()

        self.app.push_screen(FieldPicker(header, current), chosen)

    def action_confirm(self) -> None:
        if self.file is None or self.outcome is None:
            self.notify("Die Vorschau ist noch nicht fertig.", severity="warning", timeout=3)
            return
        if not self.outcome.new and not self.outcome.filled:
            self.notify("Nichts zu importieren.", severity="warning", timeout=3)
            return
        self.dismiss((self.file, self.options))
