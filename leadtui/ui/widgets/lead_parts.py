"""The parts of the lead detail that show one thing of the screen's lead: each is bound to the
screen's `lead` (`data_bind`) and draws itself when it changes, instead of the screen reaching
into every part by id. Text of other companies goes through ui/safe.py, as everywhere."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from leadtui.domain import LeadDetail, format_euro, status_label
from leadtui.domain.dates import format_moment
from leadtui.domain.windows import deadline_label
from leadtui.ui.safe import data, line

MOMENT = "%d.%m.%Y %H:%M"
LOADING = "Lädt …"


class LeadPart(Static):
    """One part of the detail; `lead` is None while the lead loads."""

    lead: reactive[LeadDetail | None] = reactive(None, always_update=True)

    def watch_lead(self, lead: LeadDetail | None) -> None:
        self.update(self.part_text(lead))
        self.display = self.shown(lead)

    def part_text(self, lead: LeadDetail | None) -> RenderableType:
        raise NotImplementedError

    def shown(self, lead: LeadDetail | None) -> bool:
        return True


class OfferBanner(LeadPart):
    """A lead only offered to us: who offered it, not yet accepted, and until when it can be
    (rule 24)."""

    def part_text(self, lead: LeadDetail | None) -> RenderableType:
        if lead is None or lead.visible:
            return ""
        until = f", annehmbar bis {deadline_label(lead.offer_deadline)}" if lead.offer_deadline else ""
        return line(
            ("Leadangebot von ", "bold"), (lead.owner_name, "bold"), (f" – noch nicht angenommen{until}", "bold")
        )

    def shown(self, lead: LeadDetail | None) -> bool:
        return lead is not None and not lead.visible


class LeadTitle(LeadPart):
    def part_text(self, lead: LeadDetail | None) -> RenderableType:
        return data(lead.title, "bold") if lead else line((LOADING, "dim"))


class LeadFields(LeadPart):
    def part_text(self, lead: LeadDetail | None) -> RenderableType:
        if lead is None:
            return ""
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        # An offer not accepted yet comes without its contact data (rule 26): said so, not "–".
        hidden = "nach Annahme sichtbar" if lead.contact_hidden else None
        for label, value in (
            ("Titel", lead.title),
            ("Firma", lead.prospect),
            ("Ansprechpartner", hidden or lead.contact),
            ("E-Mail", hidden or lead.email),
            ("Telefon", hidden or lead.phone),
            ("Ort", lead.city),
            ("Status", status_label(lead.status)),
            ("Wert", format_euro(lead.value)),
            ("Quelle", lead.source),
            ("Eigentümer", lead.owner_name),
            ("Angelegt", format_moment(lead.created_at, MOMENT)),
            ("Geändert", format_moment(lead.updated_at, MOMENT)),
        ):
            table.add_row(label, data(value or "–"))
        return table


class LeadShares(LeadPart):
    """To whom the own company passed the lead on, or who offered it to us."""

    def part_text(self, lead: LeadDetail | None) -> RenderableType:
        return Text("\n").join(data(share.label) for share in lead.shares) if lead else Text()

    def shown(self, lead: LeadDetail | None) -> bool:
        return lead is not None and bool(lead.shares)
