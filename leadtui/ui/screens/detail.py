"""Lead detail: the Kollege tile first, then the lead's fields, its way between companies and
the own company's assignment history. A lead only offered to us shows accept/decline instead."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Static

from leadtui.domain import Conflict, LeadDetail, format_euro
from leadtui.ui.screens.base import LeadtuiScreen
from leadtui.ui.screens.modals import PassOn
from leadtui.ui.widgets.colleague_picker import ColleaguePicker
from leadtui.ui.widgets.kollege_tile import KollegeTile


def _fields(lead: LeadDetail) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for label, value in (
        ("Titel", lead.title),
        ("Firma", lead.prospect),
        ("Ansprechpartner", lead.contact),
        ("E-Mail", lead.email),
        ("Telefon", lead.phone),
        ("Ort", lead.city),
        ("Status", lead.status.value),
        ("Wert", format_euro(lead.value)),
        ("Quelle", lead.source),
        ("Eigentümer", lead.owner_name),
        ("Angelegt", lead.created_at.strftime("%d.%m.%Y %H:%M")),
        ("Geändert", lead.updated_at.strftime("%d.%m.%Y %H:%M")),
    ):
        table.add_row(label, Text(value or "–"))
    return table


def _history(lead: LeadDetail) -> Text:
    if not lead.history:
        return Text("Noch keine Zuweisungen.", style="dim")
    text = Text()
    for entry in lead.history:
        change = f"{entry.from_name or 'niemand'} → {entry.to_name or 'niemand'}"
        text.append(f"{entry.at:%d.%m.%Y %H:%M}  ", style="dim")
        text.append(change)
        text.append(f"  ({entry.reason.label}, von {entry.by_name})\n", style="dim")
    text.rstrip()
    return text


class LeadDetailScreen(LeadtuiScreen):
    BINDINGS = [
        Binding("k", "edit", "Kollege bearbeiten", id="edit-colleague"),
        Binding("delete", "remove", "Zuweisung entfernen", priority=True, id="remove-colleague"),
        Binding("escape", "cancel_edit", "Abbrechen", priority=True, id="cancel-edit"),
        Binding("escape", "back", "Zurück", id="back"),
        Binding("w", "pass_on", "Weitergeben", id="pass-on"),
        Binding("a", "accept", "Annehmen", id="accept"),
        Binding("d", "decline", "Ablehnen", id="decline"),
        Binding("r", "reload", "Neu laden", show=False),
    ]

    def __init__(self, lead_id: int = 0) -> None:
        super().__init__()
        self.lead_id = lead_id
        self.lead: LeadDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail"):
            yield Static(id="offer-banner")
            with Horizontal(id="offer-buttons"):
                yield Button("Annehmen (a)", id="accept", variant="success")
                yield Button("Ablehnen (d)", id="decline", variant="error")
            yield Static(id="lead-title")
            yield Static(id="fields")
            yield Static(id="shares")
            yield Button("Weitergeben … (w)", id="pass-on")
            yield Static("Zuweisungsverlauf (nur in Ihrer Firma sichtbar)", classes="section")
            yield Static(id="history")
        yield Footer()

    def on_screen_resume(self) -> None:
        # The app keeps one detail screen and shows it for lead after lead: load on every show.
        self.load()

    def load(self) -> bool:
        ok, lead = self.app.attempt(self.repository.lead, self.lead_id)
        if not ok:
            return False
        self.lead = lead
        tiles = self.query(KollegeTile)
        if lead.visible and tiles:
            tiles.first().show(lead.assignment)
        elif lead.visible:
            self.query_one("#detail").mount(KollegeTile(lead.assignment, id="tile"), before=0)
        elif tiles:
            tiles.remove()  # an offer has no assignment of ours yet
        self.query_one("#offer-banner", Static).display = not lead.visible
        self.query_one("#offer-buttons").display = not lead.visible
        if not lead.visible:
            self.query_one("#offer-banner", Static).update(
                Text(f"Leadangebot von {lead.owner_name} – noch nicht angenommen", style="bold")
            )
        self.query_one("#lead-title", Static).update(Text(lead.title, style="bold"))
        self.query_one("#fields", Static).update(_fields(lead))
        shares = "\n".join(share.label for share in lead.shares)
        self.query_one("#shares", Static).update(Text(shares))
        self.query_one("#shares").display = bool(shares)
        self.query_one("#pass-on").display = lead.visible and bool(self.app.partners)
        self.query_one("#history", Static).update(_history(lead))
        self.query_one("#history").display = lead.visible
        self.query(".section").set(display=lead.visible)
        self.sub_title = lead.title
        self.query_one("#detail", VerticalScroll).scroll_home(animate=False)
        if lead.visible:
            self.call_after_refresh(self._focus_tile)
        self.refresh_keys()
        return True

    def key_state(self) -> tuple[bool, bool]:
        """An offer or our lead, and whether the tile is being edited."""
        return (self.lead is not None and self.lead.visible, self.editing)

    def _focus_tile(self) -> None:
        tile = self.query(KollegeTile)
        if tile and not tile.first().editing:
            tile.first().focus()

    @property
    def tile(self) -> KollegeTile | None:
        tiles = self.query(KollegeTile)
        return tiles.first() if tiles else None

    @property
    def editing(self) -> bool:
        return self.tile is not None and self.tile.editing

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        visible = self.lead is not None and self.lead.visible
        if action == "edit":
            return visible and not self.editing
        if action in ("remove", "cancel_edit"):
            return self.editing
        if action == "back":
            return not self.editing
        if action == "pass_on":
            return visible and not self.editing and bool(self.app.partners)
        if action in ("accept", "decline"):
            return self.lead is not None and not self.lead.visible
        return True

    # --- the Kollege tile -------------------------------------------------------------------

    def action_edit(self) -> None:
        if self.tile is None or self.editing:
            return
        ok, colleagues = self.app.attempt(self.repository.colleagues)
        if ok:
            self.tile.start_edit(colleagues, self.repository.me.id)
            self.refresh_keys()

    @on(KollegeTile.EditRequested)
    def _edit_requested(self) -> None:
        self.action_edit()

    def action_cancel_edit(self) -> None:
        if self.tile is not None and self.editing:
            self.tile.stop_edit()
            self.refresh_keys()

    @on(KollegeTile.CancelRequested)
    def _cancel_requested(self) -> None:
        self.action_cancel_edit()

    def action_remove(self) -> None:
        self._save(None)

    @on(KollegeTile.RemoveRequested)
    def _remove_requested(self) -> None:
        self.action_remove()

    @on(ColleaguePicker.Picked)
    def _picked(self, event: ColleaguePicker.Picked) -> None:
        event.stop()
        self._save(event.colleague.id, event.colleague.name)

    def _save(self, colleague_id: int | None, name: str | None = None) -> None:
        tile = self.tile
        if tile is None:
            return
        expected = tile.assignment.version
        try:
            ok, _ = self.app.attempt(self.repository.assign, self.lead_id, colleague_id, expected, reraise=(Conflict,))
        except Conflict as conflict:
            tile.stop_edit()
            tile.show(conflict.current)
            self.notify(str(conflict), title="Nicht gespeichert", severity="warning", timeout=8)
            self.load()
            return
        tile.stop_edit()
        if ok:
            self.notify(f"Zugewiesen: {name}" if name else "Zuweisung entfernt.", title="Kollege")
        self.load()

    # --- back, offers, passing on --------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.load()

    def action_accept(self) -> None:
        if self.lead is None or self.lead.pending_offer_id is None:
            return
        ok, _ = self.app.attempt(self.repository.accept_offer, self.lead.pending_offer_id)
        if ok:
            self.notify("Leadangebot angenommen – der Lead ist Ihnen zugewiesen.", title="Leadangebot")
        if not self.load() and not ok:
            self.app.pop_screen()

    def action_decline(self) -> None:
        if self.lead is None or self.lead.pending_offer_id is None:
            return
        ok, _ = self.app.attempt(self.repository.decline_offer, self.lead.pending_offer_id)
        if ok:
            self.notify("Leadangebot abgelehnt.", title="Leadangebot")
        self.app.pop_screen()

    def action_pass_on(self) -> None:
        def offer(partner) -> None:
            if partner is None:
                return
            ok, _ = self.app.attempt(self.repository.offer, self.lead_id, partner.id)
            if ok:
                self.notify(f"Als Leadangebot an {partner.name} weitergegeben.", title="Weitergegeben")
            self.load()

        self.app.push_screen(PassOn(self.app.partners), offer)

    @on(Button.Pressed, "#accept")
    def _accept_pressed(self) -> None:
        self.action_accept()

    @on(Button.Pressed, "#decline")
    def _decline_pressed(self) -> None:
        self.action_decline()

    @on(Button.Pressed, "#pass-on")
    def _pass_on_pressed(self) -> None:
        self.action_pass_on()
