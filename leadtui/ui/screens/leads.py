"""The lead list screen: navigation with counts, the windowed table, search, sort and columns;
triage (assign, accept and decline without opening a lead) is in triage.py.

What the list shows is one reactive `query`; its watcher resets the cursor and reloads. Counts,
windows and writes run in workers: the screen never waits for the database.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Button, Header, Input, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from leadtui.domain import (
    LeadDetail,
    LeadRow,
    LeadtuiError,
    ListKind,
    ListQuery,
    ListWindow,
    SortKey,
)
from leadtui.domain.columns import COLUMNS_SETTING, ListColumn, chosen_columns, list_columns
from leadtui.domain.imports import ImportProgress
from leadtui.domain.money import format_count
from leadtui.exports import export, format_of
from leadtui.ui.columns import CHOOSABLE, DEFAULT_VISIBLE, columns_for
from leadtui.ui.safe import line, one_line, toast
from leadtui.ui.screens.base import LeadtuiScreen
from leadtui.ui.screens.copy_contact import COPY_KEY, copy_contact
from leadtui.ui.screens.dialogs import ColumnChooser
from leadtui.ui.screens.export_dialog import ExportDialog
from leadtui.ui.screens.import_dialog import ImportPathDialog, ImportPreview
from leadtui.ui.screens.new_lead import NewLeadScreen, created_for
from leadtui.ui.screens.triage import Triage
from leadtui.ui.undo import UNDO_HINT, UNDO_S, OffersUndo, undone_import
from leadtui.ui.widgets.fitting_footer import FittingFooter
from leadtui.ui.widgets.lead_preview import LeadPreview
from leadtui.ui.widgets.lead_table import PAGE_SIZE, LeadHeader, LeadTable
from leadtui.ui.widgets.text_input import TextInput
from leadtui.ui.work import WRITE, DataChanged, flow, opened

if TYPE_CHECKING:
    from leadtui.sheets import Table

T = TypeVar("T")
LIST_ORDER = list(ListKind)
PROGRESS_S = 0.5  # how often an import under way is asked how far it is
NEWEST_FIRST = (SortKey.CREATED, SortKey.VALUE, SortKey.ARRIVED)  # sorts that start descending
# The lists with an order of their own, as they open: (sort, descending)
OWN_SORTS = {ListKind.OFFERS: (SortKey.ARRIVED, True), ListKind.DUE: (SortKey.DUE, False)}
IMPORT_PROGRESS = "import-progress"  # the worker group of those asks
SPLIT_FROM = 140  # columns from which the highlighted lead shows beside the list
PREVIEW_REST_S = 0.15  # how long the cursor rests before the preview reads its lead
MARK_ALL_MOST = 1000  # `*` marks at most this many leads (a longer list is narrowed first)


def empty_text(query: ListQuery) -> str:
    """What the table says when the list is empty."""
    return f"Keine Treffer für „{query.search}“." if query.search else query.kind.empty_text


class LeadsScreen(Triage, OffersUndo, LeadtuiScreen[None]):
    # Below 110 columns the navigation folds away; from 140 the highlighted lead shows beside the list.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide"), (SPLIT_FROM, "-split")]
    BINDINGS = [
        *(
            Binding(
                str(i + 1),
                f"show_list('{kind.value}')",
                kind.label,
                tooltip=f"Die Liste „{kind.label}“ zeigen",
                show=False,
                id=f"list-{kind.value}",
            )
            for i, kind in enumerate(LIST_ORDER)
        ),
        Binding("n", "new_lead", "Neuer Lead", tooltip="Einen Lead anlegen, Ihnen zugewiesen", id="new-lead"),
        Binding("slash", "search", "Suchen", tooltip="Titel, Firma, Ort oder Kollege suchen", id="search"),
        Binding("a", "accept", "Annehmen", tooltip="Das Leadangebot annehmen (es wird Ihnen zugewiesen)", id="accept"),
        Binding("d", "decline", "Ablehnen", tooltip="Das Leadangebot mit Begründung ablehnen", id="decline"),
        Binding("a", "assign", "Zuweisen", tooltip="Einem Kollegen Ihrer Firma zuweisen", id="assign"),
        Binding("i", "assign_me", "Mir zuweisen", tooltip="Den Lead sich selbst zuweisen", id="assign-me"),
        COPY_KEY,
        Binding(
            "asterisk,ctrl+a",
            "mark_all",
            "Alle markieren",
            tooltip="Alle Leads der Liste markieren, noch einmal: keinen",
            show=False,
            id="mark-all",
        ),
        Binding(
            "w",
            "pass_on",
            "Weitergeben",
            tooltip="Als Leadangebot an einen Vertriebspartner weitergeben",
            show=False,
            id="pass-on",
        ),
        Binding(
            "z",
            "withdraw",
            "Angebot zurückziehen",
            tooltip="Ein offenes Leadangebot zurückziehen",
            show=False,
            id="withdraw",
        ),
        Binding(
            "p",
            "partner_numbers",
            "Partnerzahlen",
            tooltip="Angenommen, abgelehnt, abgelaufen je Partner",
            show=False,
            id="partner-numbers",
        ),
        Binding("s", "cycle_sort", "Sortieren", tooltip="Nach der nächsten Spalte sortieren", id="sort"),
        Binding(
            "S", "reverse_sort", "Richtung", tooltip="Auf- oder absteigend sortieren", show=False, id="reverse-sort"
        ),
        Binding("c", "choose_columns", "Spalten", tooltip="Spalten der Listen wählen", id="columns"),
        Binding(
            "f",
            "filter_colleague",
            "Kollege filtern",
            tooltip="Nur die Leads eines Kollegen zeigen",
            id="filter-colleague",
        ),
        Binding("h", "hand_over", "Übergeben", tooltip="Leads eines deaktivierten Kollegen übergeben", id="hand-over"),
        Binding("t", "workload", "Team", tooltip="Team-Auslastung: offene Leads je Kollege", id="workload"),
        Binding("r", "reload", "Neu laden", tooltip="Die Liste neu lesen", id="reload"),
        Binding("u", "undo", "Rückgängig", tooltip="Die eigene letzte Änderung zurücknehmen", id="undo"),
        Binding(
            "E", "export", "Exportieren …", tooltip="Die Liste als CSV oder xlsx speichern", show=False, id="export"
        ),
        Binding(
            "I", "import_file", "Importieren …", tooltip="Leads aus CSV oder xlsx übernehmen", show=False, id="import"
        ),
        Binding(
            "escape", "clear", "Zurücksetzen", tooltip="Markierung, Suche oder Filter aufheben", show=False, id="clear"
        ),
    ]

    # What the Footer leaves out first when the terminal is narrow (all of it is in `?` and ctrl+p).
    FOOTER_LEAVE_OUT = (
        "reload",
        "workload",
        "choose_columns",
        "filter_colleague",
        "new_lead",
        "select",
        "cycle_sort",
        "mark",
        "assign_me",
        "hand_over",
    )

    list_query: reactive[ListQuery] = reactive(ListQuery, init=False)
    on_offers: reactive[bool] = reactive(False, bindings=True)
    has_target: reactive[bool] = reactive(False, bindings=True)
    saving: reactive[int] = reactive(0)
    exporting: reactive[str] = reactive("")  # how far an export under way is, for the status line
    importing: reactive[str] = reactive("")  # an import under way, for the status line
    _import_phase: tuple[str, float, int] = ("", 0.0, 0)  # the phase shown, since when, and how far then

    table = getters.query_one("#table", LeadTable)
    nav = getters.query_one("#lists", OptionList)
    search_box = getters.query_one("#search", Input)

    def __init__(self, *, first_list_coming: bool = False) -> None:
        """`first_list_coming`: the app fetches the first list itself (`first_list_loaded`),
        started before this screen is built, so the two overlap."""
        super().__init__()
        self._first_coming = first_list_coming
        self._first: ListWindow | None = None
        self._ready = False
        self.filter_name = ""  # the name of the colleague the list is filtered by
        self.visible_columns: tuple[str, ...] = DEFAULT_VISIBLE
        self.counts: dict[ListKind, int] = {}
        self.shown: ListQuery | None = None  # the query whose rows the table holds
        self.counted = False
        # rows to mark once this list is shown (a digest's leads, `mark_when_shown`)
        self.marks_when_shown: tuple[ListQuery, list[LeadRow]] | None = None
        self._previewed: int | None = None  # the lead the preview beside the list shows
        self._preview_turn = 0  # counts highlights: only the one the cursor rests on is read
        self._status_wrapped = False  # the status line took more than one line

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="nav"):
                yield Button(
                    "+ Neuer Lead (n)", id="new-lead", variant="primary", compact=True, action="screen.new_lead"
                )
                yield OptionList(id="lists")
                yield Button("Team-Auslastung (t)", id="workload", compact=True, action="screen.workload")
                yield Button("Benachrichtigungen (b)", id="inbox", compact=True, action="app.inbox")
            with Vertical(id="main"):
                with Horizontal(id="toolbar"):
                    yield Label(id="list-title")
                    yield TextInput(placeholder="Suchen: Titel, Firma, Ort, Kollege …", id="search")
                    yield Button(
                        "☰ Spalten",
                        id="columns",
                        tooltip="Spalten wählen (c)",
                        compact=True,
                        action="screen.choose_columns",
                    )
                yield LeadHeader(id="lead-header")
                yield LeadTable(id="table")
                yield ProgressBar(id="import-progress", show_eta=False)
                yield Static(id="status-line")
            yield LeadPreview(id="preview")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.search_box.display = False
        self.query_one("#import-progress", ProgressBar).display = False
        self.table.focus()
        # Both at once: across a network, waiting for the saved columns would delay the first rows.
        self.database(lambda: self.repository.setting(COLUMNS_SETTING), self._settings_loaded)
        self._ready = True
        if self._first is not None:
            self._show(ListQuery(), self._first, keep_marks=False)
        elif not self._first_coming:
            self.reload()

    def first_list_loaded(self, loaded: ListWindow) -> None:
        """The first list, fetched by the app while this screen was still being built."""
        self._first_coming = False
        if self._ready:
            self._show(ListQuery(), loaded, keep_marks=False)
        else:
            self._first = loaded

    def first_list_failed(self, _: LeadtuiError) -> bool:
        """The first fetch failed: the screen loads on its own, and says what is wrong if it is."""
        self._first_coming = False
        if self._ready:
            self.reload()
        return True

    def _settings_loaded(self, saved: str | None) -> None:
        chosen = chosen_columns(saved)
        if chosen == self.visible_columns:
            return
        self.visible_columns = chosen
        if self.shown is not None:  # the rows came first: show them in the saved columns
            columns = columns_for(self.shown.kind, chosen, self.repository.now)
            self.query_one(LeadHeader).show(columns, self.shown.sort, self.shown.descending)
            self.table.show_columns(columns)

    def on_resize(self) -> None:
        if self.counts:
            self.call_after_refresh(self._fill_nav)
        self.call_after_refresh(self._preview_soon)  # wide enough now for the preview, perhaps

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.counts:
            self.reload(keep_marks=True)

    # --- loading ---------------------------------------------------------------------------------

    def watch_list_query(self, old: ListQuery, new: ListQuery) -> None:
        """Any change of what the list shows: a new list, search or order starts at the top;
        marks stay while the same leads are shown, only ordered differently."""
        self.on_offers = new.kind is ListKind.OFFERS
        if (old.kind, old.search, old.colleague_id, old.sort, old.descending) != (
            new.kind,
            new.search,
            new.colleague_id,
            new.sort,
            new.descending,
        ):
            self.table.cursor = 0
        self.reload(keep_marks=(old.kind, old.search) == (new.kind, new.search))

    def reload(self, keep_marks: bool = False, follow: bool = False) -> None:
        """Fetch the counts and the list's first rows; a search shows its first matches before
        its exact count, which follows. With `follow`, the cursor stays on its lead."""
        query = self.list_query

        def show(loaded: ListWindow) -> None:
            # the lead under the cursor when the rows arrive: keys pressed meanwhile moved it
            current = self.table.current if follow else None
            self._show(query, loaded, keep_marks, current.key if current else None)

        self.database(lambda: self.repository.first_window(query, PAGE_SIZE), show, group="list", exclusive=True)

    @on(DataChanged)
    def _data_changed(self) -> None:
        """A colleague (or this app) changed the company's data: show it where the user is."""
        if self.counts:
            self.reload(keep_marks=True, follow=True)

    def _show(self, query: ListQuery, loaded: ListWindow, keep_marks: bool, follow: int | None = None) -> None:
        if query != self.list_query:
            return  # the user moved on meanwhile: a newer load will answer
        self.counts = loaded.counts
        self._fill_nav()
        if self.shown is None:
            self.app.settle_memory()  # the first list is up: what the app built to show it stays
        self.shown, self.counted = query, loaded.total is not None
        total = loaded.total if loaded.total is not None else len(loaded.first)
        columns = columns_for(query.kind, self.visible_columns, self.repository.now)
        self.query_one(LeadHeader).show(columns, query.sort, query.descending)
        generation = self.table.load(total, columns, keep_marks, loaded.first, follow, empty_text(query))
        self._previewed = None  # the list was read again: so is the highlighted lead
        self._preview_soon()
        if self.marks_when_shown is not None and self.marks_when_shown[0] == query:
            self.table.mark_rows(self.marks_when_shown[1])
            self.marks_when_shown = None
        self._show_size(query, total)
        if loaded.total is None:
            self.database(
                lambda: self.repository.count(query),
                lambda exact: self._counted(query, generation, exact),
                group="count",
                exclusive=True,
            )

    def _counted(self, query: ListQuery, generation: int, total: int) -> None:
        if query == self.shown:
            self.counted = True
            self.table.set_count(generation, total)
            self._show_size(query, total)

    def _show_size(self, query: ListQuery, total: int) -> None:
        if total == 0:
            self.table.refresh()  # a search's first matches may have been counted to none
        label = f"{query.kind.label} von {self.filter_name}" if query.colleague_id else query.kind.label
        title = f"{label} · {total}" if self.counted else f"{label} · {total}+"
        if self.has_class("-narrow"):
            title = f"{LIST_ORDER.index(query.kind) + 1}/{len(LIST_ORDER)} {title}"
        if query.search:
            title += " Treffer"  # the term stands in the search box beside the title
        # Fixed-size lines: repaint them, no need to lay the screen out again.
        self.query_one("#list-title", Label).update(line(title), layout=False)
        self._update_status()
        self.has_target = self._has_target()

    @on(LeadTable.PageWanted)
    def _page_wanted(self, event: LeadTable.PageWanted) -> None:
        query, total = self.shown, self.table.count if self.counted else None
        if query is None:
            return
        generation, page_no = event.generation, event.page_no
        self.database(
            lambda: self.repository.rows(query, page_no * PAGE_SIZE, PAGE_SIZE, total),
            lambda rows: self.table.put_page(generation, page_no, rows),
            group="pages",
        )

    def _fill_nav(self) -> None:
        """Show the lists with their counts; prompts change in place, the options stay. Each
        label reads whole: the key digits in front go when a count leaves no room for them."""
        nav = self.nav
        width = max(nav.scrollable_content_region.width - 1, 20)
        counts = [str(self.counts.get(kind, 0)) for kind in LIST_ORDER]
        keyed = all(
            len(f"{i + 1} {kind.label} {count}") <= width
            for i, (kind, count) in enumerate(zip(LIST_ORDER, counts, strict=True))
        )
        for i, (kind, count) in enumerate(zip(LIST_ORDER, counts, strict=True)):
            name = f"{i + 1} {kind.label}" if keyed else kind.label
            name = name[: max(width - len(count) - 1, 3)]
            label_text = Text(name.ljust(width - len(count)), no_wrap=True, overflow="ellipsis")
            label_text.append(count, style="dim")
            if i >= nav.option_count:
                nav.add_option(Option(label_text, id=kind.value))
            elif nav.get_option_at_index(i).prompt != label_text:
                nav.replace_option_prompt_at_index(i, label_text)
        nav.highlighted = LIST_ORDER.index(self.list_query.kind)

    def _update_status(self) -> None:
        parts = []
        marked = len(self.table.marked)
        if marked:
            verbs = "a nimmt alle an, d lehnt alle ab" if self.on_offers else "a/i weist alle zu"
            parts.append(f"{marked} markiert – {verbs}, Esc hebt auf")
        if self.saving:
            parts.append("wird gespeichert …")
        parts.extend(under_way for under_way in (self.exporting, self.importing) if under_way)
        sorts = [c for kind in (ListKind.ALL, ListKind.OFFERS, ListKind.DUE) for c in list_columns(kind, CHOOSABLE)]
        sort_label = next(c.label for c in sorts if c.sort is self.list_query.sort)
        direction = "absteigend" if self.list_query.descending else "aufsteigend"
        sorted_by = f"Sortiert nach {sort_label} {direction}"
        current = self.table.current
        if current is not None and not self.has_class("-split") and self.table.title_cut():
            # The highlighted lead's whole title, where the table cuts it; the sort, which the
            # column header's arrow also says, gives way when both do not fit.
            parts.insert(0, f"▸ {one_line(current.title)}")
            if cell_len(" · ".join([*parts, sorted_by])) <= self.size.width - 2:
                parts.append(sorted_by)
        else:
            parts.append(sorted_by)
        text = " · ".join(parts)
        # One line is repainted in place; only a line that wraps (or did) lays the screen out.
        wraps = cell_len(text) > self.size.width - 2
        self.query_one("#status-line", Static).update(line(text), layout=wraps or self._status_wrapped)
        self._status_wrapped = wraps

    def watch_saving(self) -> None:
        if self.is_mounted:
            self._update_status()

    def watch_exporting(self) -> None:
        if self.is_mounted:
            self._update_status()

    def watch_importing(self) -> None:
        if self.is_mounted:
            self._update_status()

    # --- switching lists, search, sort, columns ---------------------------------------------------

    def action_show_list(self, kind: str) -> None:
        """Show another list. Leadangebote opens newest offer first (rule 21), Fällige Aufgaben
        the most overdue first; leaving them, their own orders, which no other list has,
        become the newest created first."""
        query = replace(self.list_query, kind=ListKind(kind))
        own = OWN_SORTS.get(query.kind)
        if own is not None and self.list_query.kind is not query.kind:
            query = replace(query, sort=own[0], descending=own[1])
        elif query.sort not in {c.sort for c in columns_for(query.kind, self.visible_columns, self.repository.now)}:
            query = replace(query, sort=SortKey.CREATED, descending=True)
        self.list_query = query

    @on(OptionList.OptionSelected, "#lists")
    def _list_clicked(self, event: OptionList.OptionSelected) -> None:
        self.action_show_list(LIST_ORDER[event.option_index].value)
        self.table.focus()

    def action_search(self) -> None:
        self.search_box.display = True
        self.search_box.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.list_query = replace(self.list_query, search=event.value.strip())

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.table.focus()

    def action_clear(self) -> None:
        if self.table.marked:
            self.table.clear_marks()
            return
        if self.search_box.display:
            self.search_box.value = ""
            self.search_box.display = False
            self.table.focus()
            return
        if self.list_query.colleague_id is not None:
            self.list_query = replace(self.list_query, colleague_id=None)

    def action_cycle_sort(self) -> None:
        keys = [c.sort for c in columns_for(self.list_query.kind, self.visible_columns, self.repository.now) if c.sort]
        current = self.list_query.sort
        following = keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0]
        self._sort(following, descending=following in NEWEST_FIRST)

    def action_reverse_sort(self) -> None:
        self._sort(self.list_query.sort, not self.list_query.descending)

    @on(LeadHeader.SortClicked)
    def _header_clicked(self, event: LeadHeader.SortClicked) -> None:
        key = event.column.sort
        if key is None:
            return
        if key is self.list_query.sort:
            self._sort(key, not self.list_query.descending)
        else:
            self._sort(key, descending=key in NEWEST_FIRST)

    def _sort(self, key: SortKey, descending: bool) -> None:
        self.list_query = replace(self.list_query, sort=key, descending=descending)

    def action_choose_columns(self) -> None:
        def chosen(columns: tuple[str, ...] | None) -> None:
            if columns is None:
                return
            self.visible_columns = columns
            self.database(lambda: self.repository.save_setting(COLUMNS_SETTING, ",".join(columns)), group=WRITE)
            if self.list_query.sort not in {
                c.sort for c in columns_for(self.list_query.kind, columns, self.repository.now)
            }:
                self.list_query = replace(self.list_query, sort=SortKey.CREATED, descending=True)
            else:
                self.reload(keep_marks=True)

        self.app.push_screen(ColumnChooser(self.visible_columns), chosen)

    # --- export -----------------------------------------------------------------------------------

    def action_export(self) -> None:
        """The list as it is shown - its filter, search, sort and columns - into a file."""
        query = self.list_query
        slug = query.kind.label.lower().replace(" ", "-")
        proposed = Path("~") / f"leadtui-{slug}-{self.repository.today():%Y-%m-%d}.csv"
        asked = opened(self.leadtui_app, ExportDialog(query.kind.label, self.table.count, proposed))
        self._exporting(query, list_columns(query.kind, self.visible_columns), asked)

    @flow
    async def _exporting(self, query: ListQuery, columns: list[ListColumn], asked: Awaitable[Path | None]) -> None:
        path = await asked
        if path is None:
            return
        toast(self.leadtui_app, "Export läuft: ", str(path), title="Export", timeout=3)
        repository = self.repository
        app = self.leadtui_app

        def progress(done: int, total: int) -> None:  # in the export's worker thread
            app.call_from_thread(self._export_progress, done, total)

        self._export_progress(0, self.table.count)
        try:
            written = await self.awaited(
                lambda: export(repository, query, columns, path, format_of(path, None), progress)
            )
        finally:
            self.exporting = ""
        toast(self.leadtui_app, f"{written} Leads exportiert nach ", str(path), title="Export")

    def _export_progress(self, done: int, total: int) -> None:
        self.exporting = f"Export: {done:,} von {total:,} Leads …".replace(",", ".")

    # --- import -----------------------------------------------------------------------------------

    def action_import_file(self) -> None:
        """Leads from a file, after a preview; `u` takes the whole import back while its toast is up."""
        asked = opened(self.leadtui_app, ImportPathDialog(Path("~")))
        self._importing(asked)

    @flow
    async def _importing(self, asked: Awaitable[Table | None]) -> None:
        table = await asked
        if table is None:
            return
        chosen = await opened(self.leadtui_app, ImportPreview(table))
        if chosen is None:
            return
        file, options = chosen
        repository = self.repository
        self.importing = f"Import: {format_count(len(file.rows))} Zeilen …"
        started = time.perf_counter()
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self._import_phase = ("", started, 0)
        self._ask_import_progress()
        try:
            outcome = await self.awaited(lambda: repository.import_leads(file, options, dry_run=False), write=True)
        finally:
            self.importing = ""
            bar.display = False
        seconds = max(time.perf_counter() - started, 0.001)
        batch = outcome.batch_id
        assert batch is not None
        filled = f", {format_count(outcome.filled)} ergänzt" if outcome.filled else ""
        leads = "1 Lead" if outcome.new == 1 else f"{format_count(outcome.new)} Leads"
        toast(
            self.leadtui_app,
            f"{leads} importiert{filled} ({seconds:.1f} s, ".replace(".", ",", 1)
            + f"{format_count(round(outcome.rows / seconds))} Zeilen/s){UNDO_HINT}",
            title="Import",
            timeout=UNDO_S,
        )
        self.offer_undo(lambda: undone_import(repository.undo_import(batch)), f"Import von {leads}")
        self.reload(keep_marks=False)

    def _ask_import_progress(self) -> None:
        """While an import runs: how far it is, asked every PROGRESS_S (one request through a
        server; a server process other than the importing one knows nothing, and the bar waits)."""
        if not self.importing:
            return
        self.database(
            self.repository.import_progress,
            self._show_import_progress,
            group=IMPORT_PROGRESS,
            exclusive=True,
        )
        self.leadtui_app.timers.after(self, PROGRESS_S, self._ask_import_progress)

    def _show_import_progress(self, progress: ImportProgress | None) -> None:
        """The bar and the status line: the phase, how far, and rows a second within the phase
        (from the first time it was seen: checking and writing go at different speeds)."""
        if not self.importing or progress is None or not progress.total:
            return
        now = time.perf_counter()
        phase, since, first = self._import_phase
        if phase != progress.phase:
            self._import_phase = phase, since, first = progress.phase, now, progress.done
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=progress.total, progress=progress.done)
        text = f"Import: {progress.phase} {format_count(progress.done)} von {format_count(progress.total)} Zeilen"
        if now > since and progress.done > first:
            text += f" · {format_count(round((progress.done - first) / (now - since)))} Zeilen/s"
        self.importing = text

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
            self.has_target = self._has_target()

    @on(LeadTable.Highlighted)
    def _highlighted(self) -> None:
        self.has_target = self._has_target()
        self._update_status()
        self._preview_soon()

    def _preview_soon(self) -> None:
        """On a wide terminal: the highlighted row's title beside the list at once, the rest of
        its lead once the cursor has rested PREVIEW_REST_S (holding j reads no lead per row)."""
        if not self.has_class("-split"):
            return
        row = self.table.current
        preview = self.query_one(LeadPreview)
        if row is not None and row.id == self._previewed:
            return
        preview.show_row(row)
        self._previewed = row.id if row is not None else None
        self._preview_turn += 1
        if row is None:
            return
        wanted, turn = row.id, self._preview_turn

        def rested() -> None:
            if self._preview_turn == turn and self.has_class("-split"):
                self.database(
                    lambda: self.repository.lead(wanted),
                    lambda lead: preview.show_lead(lead) if self._preview_turn == turn else None,
                    group="preview",
                    exclusive=True,
                    failed=lambda _: True,  # gone meanwhile: the next highlight shows the next
                )

        self.app.timers.after(self, PREVIEW_REST_S, rested)

    @flow
    async def mark_when_shown(self, which: Callable[[], list[int]]) -> None:
        """Mark the leads `which` names (read in a worker) in the list being shown - once it is
        shown, since showing another list starts without marks."""
        query = self.list_query
        wanted = set(await self.awaited(which))
        rows = await self.awaited(lambda: self.repository.rows(query, 0, MARK_ALL_MOST))
        marked = [row for row in rows if row.id in wanted]
        if query != self.list_query or not marked:
            return
        if self.shown == query:
            self.table.mark_rows(marked)
        else:
            self.marks_when_shown = (query, marked)

    @flow
    async def action_mark_all(self) -> None:
        """`*` or ctrl+a: mark every lead of the list as it is shown (its filter and search) - or,
        when all are marked, none. A list longer than MARK_ALL_MOST is narrowed first: a bulk
        change of thousands of leads is not a keystroke."""
        table, query = self.table, self.list_query
        if table.count and len(table.marked) >= table.count:
            table.clear_marks()
            return
        if table.count > MARK_ALL_MOST:
            toast(
                self.leadtui_app,
                f"{format_count(table.count)} Leads sind zu viele, um sie alle zu markieren (höchstens "
                f"{format_count(MARK_ALL_MOST)}) – grenzen Sie die Liste mit / oder f ein.",
                title="Alle markieren",
                severity="warning",
            )
            return
        rows = await self.awaited(lambda: self.repository.rows(query, 0, MARK_ALL_MOST))
        if query == self.list_query:  # still the list that was asked for
            table.mark_rows(rows)

    @flow
    async def action_copy_contact(self) -> None:
        """`y`: the highlighted lead's e-mail or phone to the clipboard."""
        row = self.table.current
        if row is not None:
            lead_id = row.id
            await copy_contact(self, await self.awaited(lambda: self.repository.lead(lead_id)))

    def action_new_lead(self) -> None:
        def created(lead: LeadDetail | None) -> None:
            if lead is not None:
                toast(self.app, *created_for(lead, self.repository.me.id), lead.title, title="Neuer Lead")
                self.app.open_lead(lead.id)

        self.app.push_screen(NewLeadScreen(), created)

    # --- triage ------------------------------------------------------------------------------------

    def step_from(self, lead_id: int, step: int) -> int | str:
        """For the detail's J/K: the lead `step` rows from `lead_id`'s, with the cursor moved
        there - or why there is none (German, for a toast)."""
        table = self.table
        current = table.current
        if current is None or current.id != lead_id:
            return "Dieser Lead steht nicht mehr an seiner Stelle in der Liste."
        index = table.cursor + step
        if not 0 <= index < table.count:
            return "Das Ende der Liste ist erreicht." if step > 0 else "Der Anfang der Liste ist erreicht."
        row = table.row_at(index)
        if row is None:
            return "Der Lead wird noch geladen – gleich noch einmal."
        table.cursor = index
        return row.id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept", "decline"):
            return self.on_offers and self.has_target
        if action in ("assign", "assign_me"):
            return not self.on_offers and self.has_target
        if action == "pass_on":
            return not self.on_offers and self.has_target and bool(self.leadtui_app.partners)
        if action == "withdraw":
            return self.list_query.kind is ListKind.PASSED_ON and self.has_target
        if action == "partner_numbers":
            return self.list_query.kind is ListKind.PASSED_ON
        if action == "hand_over":
            return self.list_query.kind is ListKind.ORPHANED and self.has_target
        if action == "undo":
            return self.can_undo
        return True

    def _has_target(self) -> bool:
        """Whether a/i/d have something to act on. A row whose page is on its way counts: the keys
        (and the Footer, which is costly to rebuild) stay put while it loads."""
        return self.table.count > 0 or bool(self.table.marked)

    def _targets(self) -> list[LeadRow]:
        """What a/i/d act on: the marked rows (as the status line says), else the highlighted."""
        if self.table.marked:
            return list(self.table.marked.values())
        row = self.table.current
        return [row] if row else []

    async def _written(self, call: Callable[[], T], lead: int | None = None, expected: Iterable[LeadRow] = ()) -> T:
        """In a flow: a write, the status line saying it is pending until it is done. The rows
        it will change are painted as `expected` at once, marked as waiting; refused, they show
        as they were and the list is read again (marks kept), the error goes back to the flow."""
        rows = list(expected)
        keys = [row.key for row in rows]
        self.table.expect(rows)
        self.saving += 1
        try:
            result = await self.awaited(call, write=True, lead=lead)
        except LeadtuiError:
            self.table.settle(keys, confirmed=False)
            self.reload(keep_marks=True)
            raise
        except BaseException:
            self.table.settle(keys, confirmed=False)
            raise
        finally:
            self.saving -= 1
        self.table.settle(keys, confirmed=True)
        return result
