"""How the own company's partners answer its lead offers: one paragraph per partner, opened with
`p` from Weitergegeben. Company figures only - a partner's colleagues are never named."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from leadtui.domain import PartnerNumbers
from leadtui.domain.windows import duration_label
from leadtui.ui.safe import data, line
from leadtui.ui.screens.base import LeadtuiModal


def figures(numbers: PartnerNumbers) -> str:
    """The partner's answers in one line, as the screen and `leadtui partner stats` say them."""
    median = f" (Median {duration_label(numbers.median_accept_s)})" if numbers.median_accept_s is not None else ""
    return (
        f"{numbers.offered} angeboten · {numbers.pending} offen · {numbers.accepted} angenommen{median} · "
        f"{numbers.declined} abgelehnt · {numbers.expired} abgelaufen · {numbers.withdrawn} zurückgezogen"
    )


def reasons(numbers: PartnerNumbers) -> str:
    return ", ".join(f"{reason} {n}" for reason, n in numbers.declined_by)


class PartnerNumbersScreen(LeadtuiModal[None]):
    """Per partner: offered, open, accepted (with the median time to accept), declined (and why),
    expired, withdrawn."""

    BINDINGS = [
        Binding("escape,q,p", "dismiss(None)", "Schließen", tooltip="Zurück zur Ansicht"),
        Binding("j,down", "scroll('down')", "Ab", show=False),
        Binding("k,up", "scroll('up')", "Auf", show=False),
    ]

    def __init__(self, numbers: list[PartnerNumbers]) -> None:
        super().__init__()
        self.numbers = numbers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="partner-numbers"):
            yield Label("Partnerzahlen: Antworten auf Ihre Leadangebote", classes="dialog-title")
            with VerticalScroll(id="partner-figures"):
                if not self.numbers:
                    yield Static("Ihre Firma hat keine Vertriebspartner.")
                for numbers in self.numbers:
                    yield Static(line((numbers.partner, "bold")), classes="partner-name")
                    yield Static(data(figures(numbers)), classes="partner-figures")
                    if numbers.declined_by:
                        yield Static(data(f"Ablehnungen: {reasons(numbers)}"), classes="partner-figures")
            yield Label("Je Lead sein letztes Ergebnis · Esc: schließen", classes="hint")

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#partner-figures", VerticalScroll)
        (scroll.scroll_down if direction == "down" else scroll.scroll_up)(animate=False)
