"""`y`: copy the highlighted lead's e-mail or phone number to the clipboard, as mutt's and
k9s' yank does - one key when the lead has one of them, a small choice when it has both.

The copy goes through Textual's clipboard support (the terminal's OSC 52, which most terminals
and tmux pass on), so it works over SSH as well."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from leadtui.domain import LeadDetail
from leadtui.ui.safe import line, toast
from leadtui.ui.screens.base import LeadtuiModal, LeadtuiScreen
from leadtui.ui.work import opened

# `y` in the lists and the detail: the screen's action copy_contact.
COPY_KEY = Binding(
    "y",
    "copy_contact",
    "E-Mail/Telefon kopieren",
    tooltip="E-Mail oder Telefon in die Zwischenablage",
    show=False,
    id="copy-contact",
)


class CopyContact(LeadtuiModal[str | None]):
    """Which of a lead's contact data to copy; answers the value, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Abbrechen", tooltip="Ohne Änderung schließen"),
        Binding("1", "choose(0)", "Erstes kopieren", show=False),
        Binding("2", "choose(1)", "Zweites kopieren", show=False),
    ]

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        """`choices`: (what it is, its value), e.g. ("E-Mail", "info@firma.de")."""
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Kopieren", classes="dialog-title")
            yield OptionList(
                *(
                    Option(line(f"{n}  ", (f"{label:<8}", "bold"), value))
                    for n, (label, value) in enumerate(self.choices, start=1)
                ),
                id="copy-choices",
            )
            yield Label(line(f"Enter oder 1–{len(self.choices)}: kopieren · Esc: abbrechen"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_choose(self, index: int) -> None:
        if index < len(self.choices):
            self.dismiss(self.choices[index][1])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose(event.option_index)


async def copy_contact(screen: LeadtuiScreen[Any], lead: LeadDetail) -> None:
    """In a flow: copy `lead`'s e-mail or phone (asking which when it has both), and say so."""
    app = screen.leadtui_app
    if lead.contact_hidden:
        toast(app, "E-Mail und Telefon sind nach Annahme des Leadangebots sichtbar.", title="Kopieren")
        return
    choices = [(label, value) for label, value in (("E-Mail", lead.email), ("Telefon", lead.phone)) if value]
    if not choices:
        toast(app, "Für diesen Lead sind weder E-Mail noch Telefon hinterlegt.", title="Kopieren")
        return
    value = choices[0][1] if len(choices) == 1 else await opened(app, CopyContact(choices))
    if value:
        app.copy_to_clipboard(value)
        toast(app, "In die Zwischenablage kopiert: ", value, title="Kopieren")
