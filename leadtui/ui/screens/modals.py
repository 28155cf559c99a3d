"""Small dialogs: column chooser, colleague choice for the list, confirmation, passing on."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, SelectionList
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from leadtui.domain import Colleague, Company
from leadtui.ui.columns import CHOOSABLE, COLUMNS
from leadtui.ui.widgets.colleague_picker import ColleaguePicker

UNASSIGN = object()
"""What the colleague dialog returns for "remove the assignment"."""


class ColumnChooser(ModalScreen[tuple[str, ...] | None]):
    """One checkbox per column; applies to every lead list."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Abbrechen"),
        Binding("enter,ctrl+s", "apply", "Übernehmen", priority=True),
    ]

    def __init__(self, visible: tuple[str, ...]) -> None:
        super().__init__()
        self.chosen_columns = visible

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Spalten auswählen", classes="dialog-title")
            yield SelectionList[str](
                *(Selection(COLUMNS[key].label, key, key in self.chosen_columns) for key in CHOOSABLE),
                id="column-choices",
            )
            yield Label("Leertaste: an/aus · Enter/Strg+S: übernehmen · Esc: abbrechen", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Übernehmen", variant="primary", id="apply")
                yield Button("Abbrechen", id="cancel")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_apply(self) -> None:
        chosen = tuple(key for key in CHOOSABLE if key in self.query_one(SelectionList).selected)
        if not chosen:
            self.notify("Mindestens eine Spalte muss sichtbar bleiben.", severity="warning")
            return
        self.dismiss(chosen)

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class PickColleague(ModalScreen[object]):
    """Choose whom the highlighted (or marked) leads go to; returns a Colleague, UNASSIGN or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Abbrechen"),
        Binding("delete", "unassign", "Zuweisung entfernen", priority=True),
    ]

    def __init__(self, title: str, colleagues: list[Colleague], me_id: int, current_id: int | None) -> None:
        super().__init__()
        self.title_text = title
        self.colleagues, self.me_id, self.current_id = colleagues, me_id, current_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield ColleaguePicker(self.colleagues, self.me_id, self.current_id)
            yield Label("Enter: zuweisen · Entf: Zuweisung entfernen · Esc: abbrechen", classes="hint")

    def on_mount(self) -> None:
        self.query_one(ColleaguePicker).focus_filter()

    @on(ColleaguePicker.Picked)
    def _picked(self, event: ColleaguePicker.Picked) -> None:
        self.dismiss(event.colleague)

    def action_unassign(self) -> None:
        self.dismiss(UNASSIGN)


class Confirm(ModalScreen[bool]):
    """A yes/no question for what changes several leads at once."""

    BINDINGS = [
        Binding("escape,n", "dismiss(False)", "Nein"),
        Binding("y,j", "dismiss(True)", "Ja"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title")
            with Horizontal(classes="buttons"):
                yield Button("Ja (j)", variant="primary", id="yes")
                yield Button("Nein (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _answer(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class PassOn(ModalScreen[Company | None]):
    """Choose the partner company a lead is offered to."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Abbrechen")]

    def __init__(self, partners: list[Company]) -> None:
        super().__init__()
        self.partners = partners

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Weitergeben an Vertriebspartner", classes="dialog-title")
            yield OptionList(*(Option(p.name, id=str(p.id)) for p in self.partners), id="partners")
            yield Label("Enter: als Leadangebot weitergeben · Esc: abbrechen", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(p for p in self.partners if str(p.id) == event.option.id))
