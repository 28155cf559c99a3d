"""The highlighted lead beside the list on wide terminals (140 columns and more), as mutt's and
aerc's split views show a message: its full title, contact, Kollege and last journal entries,
so a list can be triaged without opening each lead.

The row's title shows at once; the rest comes with the lead's detail, read once the cursor
rests (the list screen asks for it). Text of other companies goes through ui/safe.py."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from leadtui.domain import LeadDetail, LeadRow, format_euro, status_label
from leadtui.domain.dates import format_moment
from leadtui.ui.safe import data, line

JOURNAL_SHOWN = 3  # the newest entries; the detail has the rest
HIDDEN = "nach Annahme sichtbar"  # an offer's contact data before it is accepted (rule 26)


class LeadPreview(Static):
    DEFAULT_CSS = """
    LeadPreview { padding: 0 1; }
    """

    def show_row(self, row: LeadRow | None) -> None:
        """The highlighted row, while its lead is read: the full title at once."""
        self.update(Text("") if row is None else stacked_text(data(row.title, "bold"), line(("Lädt …", "dim"))))

    def show_lead(self, lead: LeadDetail) -> None:
        self.update(preview_text(lead))


def preview_text(lead: LeadDetail) -> RenderableType:
    fields = Table.grid(padding=(0, 1))
    fields.add_column(style="bold", no_wrap=True)
    fields.add_column(overflow="fold")  # a long e-mail folds onto the next line, never cut
    hidden = HIDDEN if lead.contact_hidden else None
    assignee = lead.assignment.assignee if lead.assignment else None
    for label, value in (
        ("Firma", lead.prospect),
        ("Kontakt", hidden or lead.contact),
        ("E-Mail", hidden or lead.email),
        ("Telefon", hidden or lead.phone),
        ("Ort", lead.city),
        ("Status", status_label(lead.status)),
        ("Wert", format_euro(lead.value)),
        ("Kollege", assignee.display_name if assignee else "—"),
    ):
        fields.add_row(label, data(value or "–"))
    parts: list[RenderableType] = [data(lead.title, "bold"), Text(""), fields]
    entries = lead.journal[:JOURNAL_SHOWN]
    if entries:
        parts += [Text(""), line(("Journal", "bold"))]
        for entry in entries:
            parts.append(line((f"{format_moment(entry.at)}  ", "dim"), (entry.author, "dim")))
            parts.append(data(entry.text.splitlines()[0] if entry.text else ""))
    return stacked_text(*parts)


def stacked_text(*parts: RenderableType) -> Group:
    """Parts one below the other (ui/safe.py's texts end without a newline, to sit in a line)."""
    for part in parts:
        if isinstance(part, Text):
            part.end = "\n"
    return Group(*parts)
