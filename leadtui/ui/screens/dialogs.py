"""Small dialogs: column chooser, colleague choice for the list, confirmation, passing on, the
reason to decline a lead offer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from leadtui.domain import Colleague, Decline, DeclineReason, Partner, Workload
from leadtui.domain.fields import DECLINE_TEXT
from leadtui.domain.windows import InvalidWindow, Window, deadline_label, hours_label, parse_window
from leadtui.ui.columns import CHOOSABLE, COLUMNS
from leadtui.ui.safe import data, line
from leadtui.ui.screens.base import LeadtuiModal
from leadtui.ui.widgets.colleague_picker import ColleaguePicker, choices
from leadtui.ui.widgets.text_input import TextInput


@dataclass(frozen=True)
class Nobody:
    """The colleague dialog's answer "remove the assignment"."""


NOBODY = Nobody()
Choice = Colleague | Nobody


class ColumnChooser(LeadtuiModal[tuple[str, ...] | None]):
    """One checkbox per column; applies to every lead list."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Abbrechen", tooltip="Ohne Änderung schließen"),
        Binding("enter,ctrl+s", "apply", "Übernehmen", tooltip="Die Auswahl übernehmen", priority=True),
    ]

    def __init__(self, visible: tuple[str, ...]) -> None:
        super().__init__()
        self.chosen_columns = visible

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Spalten auswählen", classes="dialog-title")
            yield SelectionList[str](
                *(Selection(line(COLUMNS[key].label), key, key in self.chosen_columns) for key in CHOOSABLE),
                id="column-choices",
            )
            yield Label("Leertaste: an/aus · Enter/Strg+S: übernehmen · Esc: abbrechen", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Übernehmen", variant="primary", id="apply", action="screen.apply")
                yield Button("Abbrechen", id="cancel", action="screen.dismiss(None)")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_apply(self) -> None:
        chosen = tuple(key for key in CHOOSABLE if key in self.query_one(SelectionList).selected)
        if not chosen:
            self.notify("Mindestens eine Spalte muss sichtbar bleiben.", severity="warning")
            return
        self.dismiss(chosen)


class PickColleague(LeadtuiModal[Choice | None]):
    """Choose whom the highlighted (or marked) leads go to: a colleague, NOBODY, or None.

    It opens at once and reads the colleagues (with their open leads) itself, so that keys typed
    right after the one that opened it filter and choose here, not in the list below."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Abbrechen", tooltip="Ohne Änderung schließen"),
        Binding("delete", "unassign", "Zuweisung entfernen", tooltip="Den Lead niemandem zuweisen", priority=True),
    ]

    def __init__(
        self,
        title: Text,
        workload: Callable[[], list[Workload]],
        me_id: int,
        current_id: int | None,
        hint: str = "Enter: zuweisen · Entf: Zuweisung entfernen · Esc: abbrechen",
    ) -> None:
        """`workload`: the repository call giving the colleagues to choose from and their open
        leads; `hint`: what enter and delete mean here (the picker also chooses a filter)."""
        super().__init__()
        self.title_text = title
        self.workload = workload
        self.me_id, self.current_id = me_id, current_id
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield ColleaguePicker(None, self.me_id, self.current_id)
            yield Label(line(self.hint), classes="hint")

    def on_mount(self) -> None:
        self.query_one(ColleaguePicker).focus_filter()
        self.database(self.workload, self._read, group="colleagues", failed=self._unreadable)

    def _read(self, workloads: list[Workload]) -> None:
        self.query_one(ColleaguePicker).show(*choices(workloads))

    def _unreadable(self, _: object) -> bool:
        """The colleagues could not be read: the dialog closes, and the error is told as usual."""
        self.dismiss(None)
        return False

    @on(ColleaguePicker.Picked)
    def _picked(self, event: ColleaguePicker.Picked) -> None:
        self.dismiss(event.colleague)

    def action_unassign(self) -> None:
        self.dismiss(NOBODY)


class Confirm(LeadtuiModal[bool]):
    """A yes/no question before what is hard to take back or changes several leads at once.

    The same answers on every question, said on its buttons: enter (on the focused yes), `j` or
    `y` is yes; esc or `n` is no."""

    BINDINGS = [
        Binding("escape,n", "dismiss(False)", "Nein", tooltip="Nichts tun"),
        Binding("y,j", "dismiss(True)", "Ja", tooltip="Bestätigen"),
    ]

    def __init__(self, question_text: Text) -> None:
        super().__init__()
        self.question_text = question_text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question_text, classes="dialog-title")
            with Horizontal(classes="buttons"):
                yield Button("Ja (Enter/j)", variant="primary", id="yes", action="screen.dismiss(True)")
                yield Button("Nein (Esc/n)", id="no", action="screen.dismiss(False)")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()


def _partner_line(partner: Partner) -> str:
    """The partner, and the response window its offers get by default, if any (rule 24)."""
    return f"{partner.name} · Frist {hours_label(partner.window_hours)}" if partner.window_hours else partner.name


class PassOn(LeadtuiModal[tuple[Partner, ...] | None]):
    """Choose the partner company a lead is offered to - enter on it - or, with space, several
    in order: the first gets the offer, each next one if it is declined or expires (rule 25)."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Abbrechen", tooltip="Ohne Änderung schließen"),
        Binding("space", "climb", "Eskalation", tooltip="Mehrere Partner in Reihenfolge wählen"),
    ]

    def __init__(self, partners: list[Partner]) -> None:
        super().__init__()
        self.partners = partners
        self.ladder: list[Partner] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Weitergeben an Vertriebspartner", classes="dialog-title")
            yield OptionList(*(Option(data(self._prompt(p)), id=str(p.id)) for p in self.partners), id="partners")
            yield Label("Enter: als Leadangebot weitergeben · Esc: abbrechen", classes="hint")
            yield Label("Leertaste: mehrere in Reihenfolge (Eskalation)", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def _prompt(self, partner: Partner) -> str:
        """The partner, with its place on the ladder once there is one."""
        if not self.ladder:
            return _partner_line(partner)
        place = f"{self.ladder.index(partner) + 1}. " if partner in self.ladder else "   "
        return place + _partner_line(partner)

    def action_climb(self) -> None:
        """Put the highlighted partner next on the ladder, or take it off."""
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        partner = self.partners[options.highlighted]
        if partner in self.ladder:
            self.ladder.remove(partner)
        else:
            self.ladder.append(partner)
        for i, each in enumerate(self.partners):
            options.replace_option_prompt_at_index(i, data(self._prompt(each)))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(tuple(self.ladder) or (self.partners[event.option_index],))


class PassOnDialog(LeadtuiModal[Window | None]):
    """The yes to passing leads on (rule 22), with their response window (rule 24): the
    partnership's default, typed over to change it ("24 Std.", "3 Tage", "15.12.2026",
    "keine"). Enter passes on, esc nothing; a window that cannot be is refused in place."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Abbrechen", tooltip="Ohne Änderung schließen")]

    def __init__(self, question_text: Text, default: Window, now: datetime) -> None:
        super().__init__()
        self.question_text = question_text
        self.default = default
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pass-on-dialog"):
            yield Label(self.question_text, classes="dialog-title")
            with Horizontal(classes="field-row"):
                yield Label("Frist: ", classes="field-label")
                yield TextInput(self.default.label, id="window", compact=True, max_length=30)
            yield Static("", id="window-until", classes="hint")
            yield Static("", id="window-error", classes="field-error")
            yield Label("Enter: weitergeben · Esc: abbrechen", classes="hint")
            yield Label("Frist z. B. 24 Std., 3 Tage, 15.12.2026, keine", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#window-error").display = False
        self._show(self.query_one("#window", Input).value)
        self.query_one("#window", Input).focus()

    def _read(self, typed: str) -> tuple[Window | None, str]:
        """The window typed and what it means, or None and what is wrong."""
        try:
            window = parse_window(typed, self.now.date())
            deadline = window.deadline(self.now)
        except InvalidWindow as error:
            return None, str(error)
        if deadline is None:
            return window, "ohne Frist: bis der Partner entscheidet"
        return window, f"annehmbar bis {deadline_label(deadline)}"

    def _show(self, typed: str) -> None:
        """What the window typed means, as it is typed - or what is wrong with it."""
        _, meaning = self._read(typed)
        self.query_one("#window-until", Static).update(data(meaning))

    @on(Input.Changed, "#window")
    def _changed(self, event: Input.Changed) -> None:
        self.query_one("#window-error").display = False
        self._show(event.value)

    @on(Input.Submitted, "#window")
    def _submitted(self, event: Input.Submitted) -> None:
        window, meaning = self._read(event.value)
        if window is None:
            self.query_one("#window-error", Static).update(data(meaning))
            self.query_one("#window-error").display = True
            return
        self.dismiss(window)


REASONS = tuple(DeclineReason)  # the keys 1-5, in this order


class DeclineDialog(LeadtuiModal[Decline | None]):
    """Why the offer is declined, with one key (rule 23): 1-5, or a line and enter. "Sonstiges"
    asks for a short text first. Choosing the reason is the yes; esc declines nothing."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Abbrechen", tooltip="Ohne Änderung schließen"),
        *(Binding(str(n), f"choose({n - 1})", reason.label, show=False) for n, reason in enumerate(REASONS, 1)),
    ]

    def __init__(self, question_text: Text) -> None:
        super().__init__()
        self.question_text = question_text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog journal-dialog", id="decline-dialog"):
            yield Label(self.question_text, classes="dialog-title")
            yield OptionList(
                *(Option(data(f"{n}  {reason.label}"), id=reason.value) for n, reason in enumerate(REASONS, 1)),
                id="reasons",
            )
            yield TextInput(
                placeholder="Kurz begründen (Sonstiges)", id="decline-text", compact=True, max_length=DECLINE_TEXT.limit
            )
            yield Static("", id="decline-error", classes="field-error")
            yield Label("1–5: Grund wählen und ablehnen · Esc: abbrechen", classes="hint", id="decline-hint")
            yield Label("Den Grund erfährt nur der Auftraggeber.", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#decline-text").display = False
        self.query_one(OptionList).focus()

    def action_choose(self, index: int) -> None:
        if self.query_one("#decline-text").display:
            return  # typing the text of "Sonstiges": the digits are text
        reason = REASONS[index]
        if reason is not DeclineReason.OTHER:
            self.dismiss(Decline(reason))
            return
        self.query_one(OptionList).highlighted = index
        self.query_one("#decline-text").display = True
        self.query_one("#decline-hint", Label).update("Enter: mit dieser Begründung ablehnen · Esc: abbrechen")
        self.query_one("#decline-text", Input).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_choose(event.option_index)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        text = self.query_one("#decline-text", Input).value.strip()
        if not text:
            self.query_one("#decline-error", Static).update("Bei „Sonstiges“ bitte kurz begründen.")
            self.query_one("#decline-error").display = True
            return
        self.dismiss(Decline(DeclineReason.OTHER, text))
