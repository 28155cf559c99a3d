"""The "Kollege" tile at the top of the lead detail: shows the assignee, edits it in place.

View mode: the name (or "Nicht zugewiesen") and a pencil. Edit mode: a colleague picker, a red
trash (remove the assignment) and a grey X (cancel). The tile only reports what the user wants;
the screen does the saving.
"""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Static

from leadtui.domain import Assignment, Colleague
from leadtui.ui.widgets.colleague_picker import ColleaguePicker

NOT_ASSIGNED = "Nicht zugewiesen"


class KollegeTile(Vertical, can_focus=True):
    editing: reactive[bool] = reactive(False)

    class EditRequested(Message):
        pass

    class RemoveRequested(Message):
        pass

    class CancelRequested(Message):
        pass

    def __init__(self, assignment: Assignment, **kwargs) -> None:
        super().__init__(**kwargs)
        self.assignment = assignment
        self.border_title = "Kollege"

    def compose(self) -> ComposeResult:
        with Horizontal(id="tile-view"):
            yield Static(self._name_text(), id="assignee")
            yield Button("✎", id="edit", tooltip="Kollegen zuweisen (k)", compact=True)
        with Horizontal(id="tile-edit"):
            yield Vertical(id="picker-slot")
            yield Button(
                "🗑 Entfernen", id="remove", variant="error", tooltip="Zuweisung entfernen (Entf)", compact=True
            )
            yield Button("✕ Abbrechen", id="cancel", tooltip="Bearbeiten abbrechen (Esc)", compact=True)

    def _name_text(self) -> Text:
        assignee = self.assignment.assignee
        if assignee is None:
            return Text(NOT_ASSIGNED, style="italic")
        return Text(assignee.display_name, style="bold" if assignee.active else "dim")

    def show(self, assignment: Assignment) -> None:
        self.assignment = assignment
        self.query_one("#assignee", Static).update(self._name_text())

    def start_edit(self, colleagues: list[Colleague], me_id: int) -> None:
        current = self.assignment.assignee.id if self.assignment.assignee else None
        slot = self.query_one("#picker-slot")
        slot.remove_children()
        picker = ColleaguePicker(colleagues, me_id, current)
        slot.mount(picker)
        self.editing = True
        self.call_after_refresh(picker.focus_filter)

    def stop_edit(self) -> None:
        self.editing = False
        self.query_one("#picker-slot").remove_children()
        self.focus()

    def watch_editing(self, editing: bool) -> None:
        self.set_class(editing, "-editing")

    def on_click(self, event: events.Click) -> None:
        if not self.editing:
            self.post_message(self.EditRequested())

    def key_enter(self) -> None:
        if not self.editing:
            self.post_message(self.EditRequested())

    @on(Button.Pressed, "#edit")
    def _edit(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.EditRequested())

    @on(Button.Pressed, "#remove")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.RemoveRequested())

    @on(Button.Pressed, "#cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.CancelRequested())
