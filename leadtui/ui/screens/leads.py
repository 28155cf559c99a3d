"""The lead list screen: navigation with counts, the windowed table, search, sort, columns and
triage (assign without opening a lead)."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from leadtui.domain import Colleague, LeadtuiError, ListKind, ListQuery, SortKey
from leadtui.ui.columns import CHOOSABLE, DEFAULT_VISIBLE, columns_for
from leadtui.ui.screens.base import LeadtuiScreen
from leadtui.ui.screens.modals import ColumnChooser, Confirm, PickColleague
from leadtui.ui.screens.new_lead import NewLeadScreen
from leadtui.ui.widgets.lead_table import PAGE_SIZE, LeadHeader, LeadTable

COLUMNS_SETTING = "lead_list.columns"
LIST_ORDER = list(ListKind)


class LeadsScreen(LeadtuiScreen):
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    BINDINGS = [
        *(
            Binding(str(i + 1), f"show_list('{kind.value}')", kind.label, show=False, id=f"list-{kind.value}")
            for i, kind in enumerate(LIST_ORDER)
        ),
        Binding("n", "new_lead", "Neuer Lead", id="new-lead"),
        Binding("slash", "search", "Suchen", id="search"),
        Binding("a", "accept", "Annehmen", id="accept"),
        Binding("d", "decline", "Ablehnen", id="decline"),
        Binding("a", "assign", "Zuweisen", id="assign"),
        Binding("i", "assign_me", "Mir zuweisen", id="assign-me"),
        Binding("s", "cycle_sort", "Sortieren", id="sort"),
        Binding("S", "reverse_sort", "Richtung", show=False, id="reverse-sort"),
        Binding("c", "choose_columns", "Spalten", id="columns"),
        Binding("r", "reload", "Neu laden", id="reload"),
        Binding("escape", "clear", "Zurücksetzen", show=False, id="clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_state = ListQuery()
        self.visible_columns: tuple[str, ...] = DEFAULT_VISIBLE
        self.counts: dict[ListKind, int] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="nav"):
                yield Button("+ Neuer Lead (n)", id="new-lead", variant="primary", compact=True)
                yield OptionList(id="lists")
            with Vertical(id="main"):
                with Horizontal(id="toolbar"):
                    yield Label(id="list-title")
                    yield Input(placeholder="Suchen: Titel, Firma, Kontakt, Ort …", id="search")
                    yield Button("☰ Spalten", id="columns", tooltip="Spalten wählen (c)", compact=True)
                yield LeadHeader(id="lead-header")
                yield LeadTable(id="table")
                yield Static(id="empty")
                yield Static(id="status-line")
        yield Footer()

    def on_mount(self) -> None:
        saved = self.repository.setting(COLUMNS_SETTING)
        if saved:
            chosen = tuple(key for key in saved.split(",") if key in CHOOSABLE)
            self.visible_columns = chosen or DEFAULT_VISIBLE
        self.query_one("#search", Input).display = False
        self.reload()
        self.query_one(LeadTable).focus()

    def on_resize(self) -> None:
        if self.counts:
            self.call_after_refresh(self.reload, keep_marks=True)

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.counts:
            self.reload(keep_marks=True)

    # --- loading ---------------------------------------------------------------------------------

    def reload(self, keep_marks: bool = False) -> None:
        """Fetch counts and show the current list again; keeps the cursor's index. A search is
        counted in a background thread, so typing never waits for the database."""
        ok, counts = self.app.attempt(self.repository.counts)
        if not ok:
            return
        self.counts = counts
        self._fill_nav()
        query = self.query_state
        if query.search:
            self._search(query, keep_marks)
        else:
            self._show(query, counts[query.kind], None, keep_marks)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: ListQuery, keep_marks: bool) -> None:
        """The first matches show at once; the exact count (the slower query) follows."""
        try:
            first = self.repository.rows(query, 0, PAGE_SIZE)
            total = len(first)
            if total == PAGE_SIZE:
                self.app.call_from_thread(self._search_done, query, None, first, keep_marks)
                total = self.repository.count(query)
        except LeadtuiError as error:
            self.app.call_from_thread(self.notify, str(error), title="Nicht möglich", severity="error")
            return
        self.app.call_from_thread(self._search_done, query, total, first, keep_marks)

    def _search_done(self, query: ListQuery, total: int | None, first: list, keep_marks: bool) -> None:
        if query == self.query_state:  # the user typed on meanwhile: a newer search will answer
            self._show(query, total, first, keep_marks)

    def _show(self, query: ListQuery, total: int | None, first: list | None, keep_marks: bool) -> None:
        """Show a list; `total` None means: still counting, `first` holds the first matches."""
        counted = total is not None
        if total is None:
            total = len(first or ())
        columns = columns_for(query.kind, self.visible_columns)
        self.query_one(LeadHeader).show(columns, query.sort, query.descending)
        table = self.query_one(LeadTable)
        table.load(lambda offset, limit: self._rows(query, offset, limit, total), total, columns, keep_marks, first)
        empty = self.query_one("#empty", Static)
        empty.display = total == 0
        table.display = total > 0
        if total == 0:
            text = f"Keine Treffer für „{query.search}“." if query.search else query.kind.empty_text
            empty.update(Text(text), layout=False)
        title = f"{query.kind.label} · {total}" if counted else f"{query.kind.label} · {total}+"
        if self.has_class("-narrow"):
            title = f"{LIST_ORDER.index(query.kind) + 1}/6 {title}"
        if query.search:
            title += f" Treffer für „{query.search}“"
        # Fixed-size lines: repaint them, no need to lay the screen out again.
        self.query_one("#list-title", Label).update(Text(title), layout=False)
        self._update_status()
        self.refresh_keys()

    def key_state(self) -> tuple[bool, bool]:
        """Offers or our leads, and whether a row is highlighted."""
        return (self.query_state.kind is ListKind.OFFERS, self.query_one(LeadTable).current is not None)

    def _rows(self, query: ListQuery, offset: int, limit: int, total: int):
        ok, rows = self.app.attempt(self.repository.rows, query, offset, limit, total)
        return rows if ok else []

    def _fill_nav(self) -> None:
        """Show the lists with their counts; prompts change in place, the options stay."""
        nav = self.query_one("#lists", OptionList)
        width = max(nav.scrollable_content_region.width - 1, 20)
        for i, kind in enumerate(LIST_ORDER):
            name = f"{i + 1} {kind.label}"
            count = str(self.counts.get(kind, 0))
            name = name[: max(width - len(count) - 1, 3)]
            label = Text(name.ljust(width - len(count)), no_wrap=True, overflow="ellipsis")
            label.append(count, style="dim")
            if i >= nav.option_count:
                nav.add_option(Option(label, id=kind.value))
            elif nav.get_option_at_index(i).prompt != label:
                nav.replace_option_prompt_at_index(i, label)
        nav.highlighted = LIST_ORDER.index(self.query_state.kind)

    def _update_status(self) -> None:
        table = self.query_one(LeadTable)
        parts = []
        if table.marked:
            parts.append(f"{len(table.marked)} markiert – a/i weist alle zu, Esc hebt auf")
        sort = self.query_state.sort
        sort_label = next(c.label for c in columns_for(ListKind.ALL, CHOOSABLE) if c.sort is sort)
        direction = "absteigend" if self.query_state.descending else "aufsteigend"
        parts.append(f"Sortiert nach {sort_label} {direction}")
        self.query_one("#status-line", Static).update(Text(" · ".join(parts)), layout=False)

    # --- switching lists, search, sort, columns ---------------------------------------------------

    def action_show_list(self, kind: str) -> None:
        self.query_state = replace(self.query_state, kind=ListKind(kind))
        self.query_one(LeadTable).cursor = 0
        self.reload()

    @on(OptionList.OptionSelected, "#lists")
    def _list_clicked(self, event: OptionList.OptionSelected) -> None:
        self.action_show_list(event.option.id)
        self.query_one(LeadTable).focus()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.query_state = replace(self.query_state, search=event.value.strip())
        self.query_one(LeadTable).cursor = 0
        if self.query_state.search:
            self._search(self.query_state, keep_marks=False)  # the counts stay what they were
        else:
            self.reload()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one(LeadTable).focus()

    def action_clear(self) -> None:
        table = self.query_one(LeadTable)
        if table.marked:
            table.clear_marks()
            return
        search = self.query_one("#search", Input)
        if search.display:
            search.value = ""
            search.display = False
            table.focus()

    def action_cycle_sort(self) -> None:
        keys = [c.sort for c in columns_for(self.query_state.kind, self.visible_columns) if c.sort]
        current = self.query_state.sort
        following = keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0]
        self._sort(following, descending=following in (SortKey.CREATED, SortKey.VALUE))

    def action_reverse_sort(self) -> None:
        self._sort(self.query_state.sort, not self.query_state.descending)

    @on(LeadHeader.SortClicked)
    def _header_clicked(self, event: LeadHeader.SortClicked) -> None:
        key = event.column.sort
        if key is self.query_state.sort:
            self._sort(key, not self.query_state.descending)
        else:
            self._sort(key, descending=key in (SortKey.CREATED, SortKey.VALUE))

    def _sort(self, key: SortKey, descending: bool) -> None:
        self.query_state = replace(self.query_state, sort=key, descending=descending)
        self.query_one(LeadTable).cursor = 0
        self.reload(keep_marks=True)

    def action_choose_columns(self) -> None:
        def chosen(columns: tuple[str, ...] | None) -> None:
            if columns is None:
                return
            self.visible_columns = columns
            self.app.attempt(self.repository.save_setting, COLUMNS_SETTING, ",".join(columns))
            if self.query_state.sort not in {c.sort for c in columns_for(self.query_state.kind, columns)}:
                self.query_state = replace(self.query_state, sort=SortKey.CREATED, descending=True)
            self.reload(keep_marks=True)

        self.app.push_screen(ColumnChooser(self.visible_columns), chosen)

    @on(Button.Pressed, "#columns")
    def _columns_pressed(self) -> None:
        self.action_choose_columns()

    def action_reload(self) -> None:
        self.reload(keep_marks=True)
        self.notify("Neu geladen.", timeout=2)

    # --- opening, creating ----------------------------------------------------------------------

    @on(LeadTable.Selected)
    def _open(self, event: LeadTable.Selected) -> None:
        self.app.open_lead(event.row.id)

    @on(LeadTable.MarksChanged)
    def _marks_changed(self) -> None:
        if self.is_mounted:
            self._update_status()

    def action_new_lead(self) -> None:
        def created(lead) -> None:
            if lead is not None:
                self.notify(f"Lead angelegt und Ihnen zugewiesen: {lead.title}", title="Neuer Lead")
                self.app.open_lead(lead.id)

        self.app.push_screen(NewLeadScreen(), created)

    @on(Button.Pressed, "#new-lead")
    def _new_pressed(self) -> None:
        self.action_new_lead()

    # --- triage ------------------------------------------------------------------------------------

    @property
    def _on_offers(self) -> bool:
        return self.query_state.kind is ListKind.OFFERS

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        has_row = self.query_one(LeadTable).current is not None if self.is_mounted else False
        if action in ("accept", "decline"):
            return self._on_offers and has_row
        if action in ("assign", "assign_me"):
            return not self._on_offers and has_row
        return True

    def _targets(self) -> dict[int, int]:
        """Lead id -> version of what a/i act on: the marked leads, else the highlighted one."""
        table = self.query_one(LeadTable)
        if table.marked:
            return dict(table.marked)
        row = table.current
        return {row.id: row.version} if row else {}

    def action_assign(self) -> None:
        targets = self._targets()
        if not targets:
            return
        ok, colleagues = self.app.attempt(self.repository.colleagues)
        if not ok:
            return
        row = self.query_one(LeadTable).current
        current = row.assignee.id if row and row.assignee and len(targets) == 1 else None
        title = f"{len(targets)} Leads zuweisen an …" if len(targets) > 1 else f"„{row.title}“ zuweisen an …"
        self.app.push_screen(
            PickColleague(title, colleagues, self.repository.me.id, current),
            lambda choice: self._assign_to(targets, choice),
        )

    def action_assign_me(self) -> None:
        me = self.repository.me
        self._assign_to(self._targets(), me)

    def _assign_to(self, targets: dict[int, int], choice: object) -> None:
        if choice is None or not targets:
            return
        colleague = choice if isinstance(choice, Colleague) else None
        name = colleague.name if colleague else None
        if len(targets) == 1:
            lead_id, version = next(iter(targets.items()))
            ok, _ = self.app.attempt(self.repository.assign, lead_id, colleague.id if colleague else None, version)
            if ok:
                self.notify(f"Zugewiesen: {name}" if name else "Zuweisung entfernt.", title="Kollege")
            self.query_one(LeadTable).clear_marks()
            self.reload()
            return
        to_whom = f"an {name}" if name else "niemandem (Zuweisung entfernen)"

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            ok, result = self.app.attempt(self.repository.assign_many, targets, colleague.id if colleague else None)
            if ok:
                message = f"{result.assigned} Leads {to_whom} zugewiesen."
                if result.conflicts:
                    message += f" {len(result.conflicts)} übersprungen: inzwischen von anderen geändert."
                self.notify(message, title="Sammelzuweisung", severity="warning" if result.conflicts else "information")
                self.query_one(LeadTable).clear_marks()
            self.reload(keep_marks=not ok)

        self.app.push_screen(Confirm(f"{len(targets)} Leads {to_whom} zuweisen?"), confirmed)

    def _decide(self, accept: bool) -> None:
        row = self.query_one(LeadTable).current
        if row is None or row.share_id is None:
            return
        if accept:
            ok, _ = self.app.attempt(self.repository.accept_offer, row.share_id)
            if ok:
                self.notify(f"Angenommen und Ihnen zugewiesen: {row.title}", title="Leadangebot")
        else:
            ok, _ = self.app.attempt(self.repository.decline_offer, row.share_id)
            if ok:
                self.notify(f"Abgelehnt: {row.title}", title="Leadangebot")
        self.reload()

    def action_accept(self) -> None:
        self._decide(True)

    def action_decline(self) -> None:
        self._decide(False)

    @on(LeadTable.Highlighted)
    def _highlighted(self) -> None:
        self.refresh_keys()
