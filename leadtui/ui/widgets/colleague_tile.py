"""The "Kollege" tile at the top of the lead detail: shows the assignee, edits it in place.

View mode: the name (or "Nicht zugewiesen") and a pencil. Edit mode: a colleague picker, a red
trash (remove the assignment) and a grey X (cancel). While a change is saved the tile says so.
The tile only reports what the user wants; the screen does the saving.
"""

from __future__ import annotations

from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Static

from leadtui.domain import Assignment, Workload
from leadtui.ui.safe import data, line
from leadtui.ui.widgets.colleague_picker import ColleaguePicker, choices

NOT_ASSIGNED = "Nicht zugewiesen"
SAVING = "  · wird gespeichert …"


class ColleagueTile(Vertical, can_focus=True):
    DEFAULT_CSS = """
    ColleagueTile {
        height: auto;
        border: round $accent;
        border-title-color: $accent;
        border-title-style: bold;
        padding: 0 1;
        margin: 1 0;
    }
    ColleagueTile:focus { border: round $accent-lighten-2; background: $boost; }
    ColleagueTile #tile-view { height: 1; }
    ColleagueTile #assignee { width: 1fr; }
    ColleagueTile #tile-edit { display: none; height: auto; }
    ColleagueTile.-editing #tile-view { display: none; }
    ColleagueTile.-editing #tile-edit { display: block; }
    ColleagueTile #picker-slot { width: 1fr; height: auto; }
    ColleagueTile #remove { margin: 0 1; }
    ColleagueTile #cancel { color: $text-muted; background: $panel; }
    """

    editing: reactive[bool] = reactive(False)
    saving: reactive[bool] = reactive(False)

    class EditRequested(Message):
        pass

    class RemoveRequested(Message):
        pass

    class CancelRequested(Message):
        pass

    def __init__(self, assignment: Assignment, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.assignment = assignment
        # What the open picker edits: a save names its version, so a change made meanwhile (by a
        # colleague, shown live) is a conflict, never silently overwritten.
        self.edited = assignment
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

    def _name_text(self) -> Any:
        assignee = self.assignment.assignee
        if assignee is None:
            text = line((NOT_ASSIGNED, "italic"))
        else:
            text = data(assignee.display_name, "bold" if assignee.active else "dim")
        if self.saving:
            text.append(SAVING, style="dim italic")
        return text

    def show(self, assignment: Assignment) -> None:
        self.assignment = assignment
        self.query_one("#assignee", Static).update(self._name_text())

    def watch_saving(self) -> None:
        if self.is_mounted:
            self.query_one("#assignee", Static).update(self._name_text())

    def start_edit(self, workloads: list[Workload], me_id: int) -> None:
        self.edited = self.assignment
        current = self.assignment.assignee.id if self.assignment.assignee else None
        slot = self.query_one("#picker-slot")
        slot.remove_children()
        colleagues, open_leads = choices(workloads)
        picker = ColleaguePicker(colleagues, me_id, current, open_leads)
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
