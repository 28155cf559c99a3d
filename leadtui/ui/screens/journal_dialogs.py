"""Writing to a lead's journal: a note (several lines) and a task (a title and a due date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea

from leadtui.domain.dates import day_label, parse_due
from leadtui.domain.fields import NOTE, TASK
from leadtui.ui.discard import discard
from leadtui.ui.safe import data
from leadtui.ui.screens.base import LeadtuiModal
from leadtui.ui.widgets.text_input import TextInput
from leadtui.ui.work import flow


class NoteDialog(LeadtuiModal[str | None]):
    """A note of several lines; ctrl+s saves, esc cancels. Returns the text."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Speichern", tooltip="Speichern und schließen", priority=True),
        Binding("escape", "discard", "Abbrechen", tooltip="Schließen (fragt, wenn etwas eingegeben ist)"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog journal-dialog"):
            yield Label("Notiz", classes="dialog-title")
            yield TextArea(id="note-text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
            yield Static("", id="note-error", classes="field-error")
            yield Label("Enter: neue Zeile · Strg+S: speichern · Esc: abbrechen", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Speichern (Strg+S)", variant="primary", id="save", action="screen.save")
                yield Button("Abbrechen (Esc)", id="cancel", action="screen.discard")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def typed(self) -> bool:
        return bool(self.query_one(TextArea).text.strip())

    @flow
    async def action_discard(self) -> None:
        await discard(self, self.typed())

    def action_save(self) -> None:
        cleaned, error = NOTE.check(self.query_one(TextArea).text)
        if error:
            self.query_one("#note-error", Static).update(data(error))
            self.query_one("#note-error").display = True
            return
        self.dismiss(cleaned)


@dataclass(frozen=True)
class NewTask:
    title: str
    due: date | None


class TaskDialog(LeadtuiModal[NewTask | None]):
    """A task: what to do, and (optionally) by when."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Speichern", tooltip="Speichern und schließen", priority=True),
        Binding("escape", "discard", "Abbrechen", tooltip="Schließen (fragt, wenn etwas eingegeben ist)"),
    ]

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog journal-dialog"):
            yield Label("Aufgabe", classes="dialog-title")
            yield TextInput(placeholder="Was ist zu tun?", id="task-title", compact=True)
            yield TextInput(
                placeholder="Fällig: 10.11., morgen, Freitag, in 3 Tagen (leer: ohne)", id="task-due", compact=True
            )
            yield Static("", id="task-when", classes="hint")
            yield Static("", id="task-error", classes="field-error")
            yield Label("Enter/Strg+S: speichern · Esc: abbrechen", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#task-title", Input).focus()

    def typed(self) -> bool:
        return any(field.value.strip() for field in self.query(Input))

    @flow
    async def action_discard(self) -> None:
        await discard(self, self.typed())

    def on_input_submitted(self) -> None:
        self.action_save()

    @on(Input.Changed, "#task-due")
    def _due_typed(self, event: Input.Changed) -> None:
        """Say what the typed due date means ("fällig Fr, 11.12.2026") as it is typed, so a
        "Freitag" or "in 3 Tagen" is seen before it is saved; what is wrong only on saving."""
        try:
            due = parse_due(event.value, self.today)
        except ValueError:
            due = None
        meaning = f"fällig {day_label(due)}" if due else ""
        self.query_one("#task-when", Static).update(data(meaning))

    def action_save(self) -> None:
        title, error = TASK.check(self.query_one("#task-title", Input).value)
        due = None
        if not error:
            try:
                due = parse_due(self.query_one("#task-due", Input).value, self.today)
            except ValueError as invalid:
                error = str(invalid)
        if error:
            self.query_one("#task-error", Static).update(data(error))
            self.query_one("#task-error").display = True
            return
        self.dismiss(NewTask(title, due))
