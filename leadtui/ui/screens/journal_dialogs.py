"""Writing to a lead's journal: a note (several lines) and a task (a title and a due date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static, TextArea

from leadtui.domain.dates import due_error
from leadtui.domain.fields import NOTE, TASK
from leadtui.ui.safe import data
from leadtui.ui.screens.base import LeadtuiModal
from leadtui.ui.widgets.text_input import TextInput


def parse_due(typed: str, today: date) -> date | None:
    """ "10.11.2026", "10.11.26", "10.11." (this year), "heute", "morgen", or nothing; else
    ValueError with a German message (also for a day outside 2000-2100, a typo like 01.01.0001)."""
    text = typed.strip().lower()
    if not text:
        return None
    day = _read_day(text, today)
    if day is None:
        raise ValueError("Fällig: ein Datum wie 10.11.2026, „heute“ oder „morgen“ – oder leer.")
    error = due_error(day)
    if error:
        raise ValueError(error)
    return day


def _read_day(text: str, today: date) -> date | None:
    if text == "heute":
        return today
    if text == "morgen":
        return date.fromordinal(today.toordinal() + 1)
    for typed, pattern in ((text, "%d.%m.%Y"), (text, "%d.%m.%y"), (f"{text.rstrip('.')}.{today.year}", "%d.%m.%Y")):
        try:
            return datetime.strptime(typed, pattern).date()
        except ValueError:
            pass
    return None


class NoteDialog(LeadtuiModal[str | None]):
    """A note of several lines; ctrl+s saves, esc cancels. Returns the text."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Speichern", priority=True),
        Binding("escape", "dismiss(None)", "Abbrechen"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog journal-dialog"):
            yield Label("Notiz", classes="dialog-title")
            yield TextArea(id="note-text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
            yield Static("", id="note-error", classes="field-error")
            yield Label("Enter: neue Zeile · Strg+S: speichern · Esc: abbrechen", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Speichern (Strg+S)", variant="primary", id="save", action="screen.save")
                yield Button("Abbrechen (Esc)", id="cancel", action="screen.dismiss(None)")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

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
        Binding("ctrl+s", "save", "Speichern", priority=True),
        Binding("escape", "dismiss(None)", "Abbrechen"),
    ]

    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog journal-dialog"):
            yield Label("Aufgabe", classes="dialog-title")
            yield TextInput(placeholder="Was ist zu tun?", id="task-title", compact=True)
            yield TextInput(placeholder="Fällig: TT.MM.JJJJ, heute, morgen (leer: ohne)", id="task-due", compact=True)
            yield Static("", id="task-error", classes="field-error")
            yield Label("Enter/Strg+S: speichern · Esc: abbrechen", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#task-title", Input).focus()

    def on_input_submitted(self) -> None:
        self.action_save()

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
