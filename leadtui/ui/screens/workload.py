"""The team's workload: every colleague with their open, new and all leads, read from the
counters kept with every change (one statement at any number of leads).

From here, enter shows a colleague's leads and h hands a deactivated colleague's leads over; the
list screen below does both (it owns lists and writes), so this screen answers with a `Pick`.
An admin names with l who is told of the company's new lead offers ("Angebote" ✓, rule 21).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static
from textual.widgets.data_table import ColumnKey

from leadtui.domain import Colleague, Workload
from leadtui.ui.safe import data, line, toast
from leadtui.ui.screens.base import LeadtuiScreen
from leadtui.ui.widgets.fitting_footer import FittingFooter
from leadtui.ui.widgets.keyed_lists import KeyedDataTable
from leadtui.ui.work import WRITE, DataChanged

COLUMNS = (
    ("Kollege", "name"),
    ("Offen", "open"),
    ("Neu", "new"),
    ("Überfällig", "overdue"),
    ("Alle Leads", "leads"),
    ("Angebote", "offers"),  # ✓: is told of the company's new lead offers (rule 21)
)


@dataclass(frozen=True)
class Pick:
    """What the user chose here: show `colleague`'s leads, or (`hand_over`) hand them over."""

    colleague: Colleague
    hand_over: bool = False


def number(n: int) -> Text:
    return Text(f"{n:,}".replace(",", "."), justify="right")


class WorkloadScreen(LeadtuiScreen[Pick | None]):
    BINDINGS = [
        Binding(
            "enter",
            "show_leads",
            "Leads zeigen",
            tooltip="Die Leads dieses Kollegen zeigen",
            priority=True,
            id="show-leads",
        ),
        Binding("h", "hand_over", "Übergeben", tooltip="Leads eines deaktivierten Kollegen übergeben", id="hand-over"),
        # One key, said as what it does next (the other binding is hidden by check_action).
        Binding("o", "sort_by_open", "Nach Offen", tooltip="Die meisten offenen Leads zuerst", id="sort-open"),
        Binding("o", "sort_by_name", "Nach Name", tooltip="Nach Namen sortieren", id="sort-name"),
        Binding(
            "l",
            "toggle_offers",
            "Leadangebote erhalten",
            tooltip="Ob dieser Kollege von neuen Leadangeboten erfährt",
            id="toggle-offers",
        ),
        Binding("escape", "dismiss(None)", "Zurück", tooltip="Zurück zur Liste", id="back"),
        Binding("r", "reload", "Neu laden", tooltip="Neu lesen", show=False, id="reload"),
    ]
    FOOTER_LEAVE_OUT = ("reload", "toggle_offers", "hand_over", "sort_by_name", "sort_by_open")

    table = getters.query_one("#workload", KeyedDataTable)

    def __init__(self, by_open: bool = False) -> None:
        """`by_open`: the most open leads first (else by name), as the user left it."""
        super().__init__()
        self.workloads: list[Workload] = []
        self.by_open = by_open

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(line(("Team-Auslastung", "bold")), id="workload-title")
        yield KeyedDataTable(id="workload", cursor_type="row", zebra_stripes=True)
        yield Static(
            line(("Offen: neu oder in Bearbeitung · Überfällig: offene Aufgabe vor heute fällig", "dim")),
            id="workload-hint",
        )
        yield FittingFooter()

    def on_mount(self) -> None:
        for label, key in COLUMNS:
            self.table.add_column(line(label), key=key)  # sorted by: an arrow (in _show)
        self.table.focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.database(lambda: self.repository.workload(include_inactive=True), self._show, group="workload")

    @on(DataChanged)
    def _data_changed(self) -> None:
        self.action_reload()

    def _show(self, workloads: list[Workload]) -> None:
        """Active colleagues, and deactivated ones who still have leads (to hand over)."""
        shown = [w for w in workloads if w.colleague.active or w.leads]
        if self.by_open:
            shown.sort(key=lambda w: (-w.open, w.colleague.name.casefold()))
        current = self._current()
        self.workloads = shown
        self.table.clear()
        for w in shown:
            name = data(w.colleague.display_name, "" if w.colleague.active else "dim")
            if w.colleague.id == self.repository.me.id:
                name.append(" (ich)", style="bold")
            offers = Text("✓" if w.colleague.receives_offers else "", justify="center")
            self.table.add_row(
                name,
                number(w.open),
                number(w.new),
                number(w.overdue),
                number(w.leads),
                offers,
                key=str(w.colleague.id),
            )
        order = "die meisten offenen zuerst" if self.by_open else "nach Name"
        self.query_one("#workload-title", Static).update(
            line(("Team-Auslastung", "bold"), f" · {sum(w.open for w in shown)} offene Leads · ", (order, "dim"))
        )
        for label, key in COLUMNS[:2]:
            arrow = (" ↓" if key == "open" else " ↑") if (key == "open") == self.by_open else ""
            self.table.columns[ColumnKey(key)].label = line(label + arrow)
        self.table.refresh()
        if current is not None:
            rows = [w.colleague.id for w in shown]
            if current.colleague.id in rows:
                self.table.move_cursor(row=rows.index(current.colleague.id))

    def _current(self) -> Workload | None:
        row = self.table.cursor_row
        return self.workloads[row] if 0 <= row < len(self.workloads) else None

    def action_show_leads(self) -> None:
        current = self._current()
        if current is not None:
            self.dismiss(Pick(current.colleague))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_show_leads()

    def action_hand_over(self) -> None:
        current = self._current()
        if current is None:
            return
        if current.colleague.active:
            toast(self.app, "Übergeben lassen sich nur die Leads deaktivierter Kollegen.", severity="warning")
        elif not current.leads:
            toast(self.app, current.colleague.name, " hat keine Leads mehr.")
        else:
            self.dismiss(Pick(current.colleague, hand_over=True))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_offers":
            return self.repository.me.is_admin  # an admin names who is told of new lead offers
        if action in ("sort_by_open", "sort_by_name"):
            return (action == "sort_by_open") != self.by_open
        return True

    def action_toggle_offers(self) -> None:
        """(Admins) whether the highlighted colleague is told of the company's new lead offers."""
        current = self._current()
        if current is None or not current.colleague.active:
            return
        colleague, receives = current.colleague, not current.colleague.receives_offers

        def done(_: None) -> None:
            verb = "erhält jetzt" if receives else "erhält keine"
            toast(self.app, colleague.name, f" {verb} Leadangebote.", title="Leadangebote")
            self.action_reload()

        self.database(lambda: self.repository.set_offer_receiver(colleague.id, receives), done, group=WRITE)

    def action_sort_by_open(self) -> None:
        self._sort(by_open=True)

    def action_sort_by_name(self) -> None:
        self._sort(by_open=False)

    def _sort(self, by_open: bool) -> None:
        """Name order, or the most open leads first; the footer then offers the other."""
        self.by_open = by_open
        self._show(sorted(self.workloads, key=lambda w: w.colleague.name.casefold()))
        self.refresh_bindings()
