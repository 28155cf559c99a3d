"""A lead table that stays fast at a million rows, and never waits for the database.

Shaped like Toolong's LogLines: a ScrollView whose virtual height is the row count and which
renders only the visible lines. A line whose rows are not here yet renders as a placeholder and
asks for its page (PageWanted); the screen fetches it in a worker and hands it over (put_page),
and the lines repaint. A small page cache keeps a few pages; the table never holds the whole list.
Cells are drawn as plain Segments of cleaned text: lead data is never parsed as markup and never
carries a control character to the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from leadtui.domain import LeadRow, SortKey
from leadtui.ui.columns import Column, layout
from leadtui.ui.keys import LIST_KEYS
from leadtui.ui.safe import one_line

PAGE_SIZE = 100
CACHED_PAGES = 12
MARK = "●"
PLACEHOLDER = "…"


def _fit(text: str, width: int, right: bool = False) -> str:
    """A cell of exactly `width` cells: one line, no control characters, cut with an ellipsis."""
    text = one_line(text)
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else text[:width]
    return text.rjust(width) if right else set_cell_size(text, width)


class PageCache:
    """The rows of one list that are here, a page at a time, a few pages kept."""

    def __init__(self, generation: int, count: int, first_page: list[LeadRow] | None = None):
        self.generation = generation
        self.count = count
        self._pages: LRUCache[int, list[LeadRow]] = LRUCache(CACHED_PAGES)
        self.requested: set[int] = set()
        if first_page is not None:
            self.put(0, first_page)

    def row(self, index: int) -> LeadRow | None:
        page = self._pages.get(index // PAGE_SIZE)  # (and the page is the most recently used)
        if page is None or not 0 <= index < self.count:
            return None
        offset = index % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def has_page(self, page_no: int) -> bool:
        return page_no in self._pages

    def put(self, page_no: int, rows: list[LeadRow]) -> None:
        self._pages.set(page_no, rows)  # the least recently used page goes when it is full
        self.requested.discard(page_no)


class LeadHeader(Widget):
    """The column titles above the table; clicking one sorts by it."""

    DEFAULT_CSS = """
    LeadHeader { height: 1; background: $panel; color: $text; text-style: bold; padding-right: 2; }
    """

    @dataclass
    class SortClicked(Message):
        column: Column

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.columns: list[Column] = []
        self.sort_key: SortKey | None = None
        self.descending = True

    def show(self, columns: list[Column], sort_key: SortKey, descending: bool) -> None:
        self.columns, self.sort_key, self.descending = columns, sort_key, descending
        self.refresh()

    def render_line(self, y: int) -> Strip:
        style = self.rich_style
        segments = [Segment("  ", style)]
        for column, width in zip(self.columns, layout(self.columns, self.size.width), strict=True):
            arrow = ("↓" if self.descending else "↑") if column.sort is self.sort_key and column.sort else ""
            segments.append(Segment(" " + _fit(f"{column.label}{arrow}", width, column.align_right), style))
        return Strip(segments).adjust_cell_length(self.size.width, style)

    def on_click(self, event: events.Click) -> None:
        x = 2
        for column, width in zip(self.columns, layout(self.columns, self.size.width), strict=True):
            if x <= event.x < x + width + 1:
                if column.sort:
                    self.post_message(self.SortClicked(column))
                return
            x += width + 1


class LeadTable(ScrollView, can_focus=True, inherit_bindings=False):
    """The rows of the current list; posts Highlighted/Selected/PageWanted and keeps the marked
    rows (by row key: the offer for lead offers, the lead otherwise)."""

    BINDING_GROUP_TITLE = "Liste"
    COMPONENT_CLASSES = {
        "lead-table--cursor",
        "lead-table--marked",
        "lead-table--inactive",
        "lead-table--waiting",
        "lead-table--empty",
        "lead-table--alarm",
    }
    DEFAULT_CSS = """
    LeadTable { background: $surface; overflow-x: hidden; scrollbar-gutter: stable; }
    LeadTable > .lead-table--empty { color: $text-muted; text-style: italic; }
    LeadTable > .lead-table--cursor { background: $accent 40%; text-style: bold; }
    LeadTable:focus > .lead-table--cursor { background: $accent; color: $text; }
    LeadTable > .lead-table--marked { color: $warning; }
    LeadTable > .lead-table--inactive { color: $text-muted; }
    LeadTable > .lead-table--waiting { color: $text-disabled; }
    LeadTable > .lead-table--alarm { color: $error; text-style: bold; }
    """
    BINDINGS = [
        *LIST_KEYS,
        Binding("enter", "select", "Öffnen", tooltip="Den Lead mit allen Daten und dem Journal zeigen", id="open"),
        # x as in Gmail and mutt
        Binding("space,x", "mark", "Markieren", tooltip="Für a, i, w oder d auf mehrere Leads", id="mark"),
    ]

    cursor = reactive(0, always_update=True)

    @dataclass
    class Highlighted(Message):
        row: LeadRow | None

    @dataclass
    class Selected(Message):
        row: LeadRow

    @dataclass
    class MarksChanged(Message):
        count: int

    @dataclass
    class PageWanted(Message):
        """A line to draw has no row yet: fetch its page (of this list generation)."""

        generation: int
        page_no: int

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.columns: list[Column] = []
        self.cache = PageCache(0, 0)
        self.marked: dict[int, LeadRow] = {}  # row key -> the row as it was marked
        # Rows as a write under way will leave them, painted at once (row key -> row); `pending`
        # are those whose write is not confirmed yet, drawn as waiting. A confirmed one is shown
        # until the list is read again; a refused one goes at once (the reload shows the truth).
        self.expected: dict[int, LeadRow] = {}
        self.pending: set[int] = set()
        self._follow: int | None = None
        self._styles: tuple[Style, Style, Style, Style, Style, Style] | None = None
        self._layout: tuple[tuple[int, int], list[int]] = ((0, 0), [])
        # What an empty list means, drawn in the table itself: the table stays where the focus
        # is, so the keys after an empty list act on the row the user sees, never on a hidden one.
        self.empty_text = ""

    @property
    def count(self) -> int:
        return self.cache.count

    @property
    def generation(self) -> int:
        return self.cache.generation

    @property
    def current(self) -> LeadRow | None:
        return self.cache.row(self.cursor)

    def load(
        self,
        count: int,
        columns: list[Column],
        keep_marks: bool = False,
        first_page: list[LeadRow] | None = None,
        follow: int | None = None,
        empty_text: str = "",
    ) -> int:
        """Show a (new or reloaded) list; returns its generation, which its pages must name.
        The cursor keeps its index where it still exists; with `follow` (a row key) it moves to
        that row when the row's page arrives nearby (a colleague's change moved the rows)."""
        self._follow = follow
        self.empty_text = empty_text
        was_empty = self.count == 0
        self.cache = PageCache(self.cache.generation + 1, count, first_page)
        self.expected = {key: row for key, row in self.expected.items() if key in self.pending}
        self._emptiness_changed(was_empty)
        self.columns = columns
        if not keep_marks and self.marked:
            self.clear_marks()
        self.virtual_size = Size(self.size.width, count)
        self.cursor = min(self.cursor, max(count - 1, 0))
        self._scroll_cursor_into_view()
        if first_page is not None:
            self._find_followed(0, first_page)
        self.refresh()
        return self.cache.generation

    def show_columns(self, columns: list[Column]) -> None:
        """Other columns for the rows already here (the saved choice arrived after the rows)."""
        self.columns = columns
        self.refresh()

    def _find_followed(self, page_no: int, rows: list[LeadRow]) -> None:
        if self._follow is None:
            return
        for offset, row in enumerate(rows):
            if row.key == self._follow:
                self._follow = None
                index = page_no * PAGE_SIZE + offset
                if index != self.cursor:
                    self.cursor = index
                return

    def set_count(self, generation: int, count: int) -> None:
        """The exact count of a list shown before it was counted (a search's first matches)."""
        if generation == self.cache.generation:
            was_empty = self.count == 0
            self.cache.count = count
            self._emptiness_changed(was_empty)
            self.virtual_size = Size(self.size.width, count)
            self.refresh()

    def put_page(self, generation: int, page_no: int, rows: list[LeadRow]) -> None:
        """Rows arrived: paint them (unless the list changed meanwhile)."""
        if generation != self.cache.generation:
            return
        self.cache.put(page_no, rows)
        self._find_followed(page_no, rows)
        self.refresh()
        if self.cursor // PAGE_SIZE == page_no:
            self.post_message(self.Highlighted(self.current))

    def expect(self, rows: list[LeadRow]) -> None:
        """Paint these rows as a write under way will leave them, marked as waiting for it."""
        for row in rows:
            self.expected[row.key] = row
            self.pending.add(row.key)
        self.refresh()

    def settle(self, keys: list[int], confirmed: bool) -> None:
        """The write for these rows ended: confirmed, they stay as expected until the list is read
        again; refused, they show as before at once."""
        for key in keys:
            self.pending.discard(key)
            if not confirmed:
                self.expected.pop(key, None)
        self.refresh()

    def title_cut(self) -> bool:
        """Whether the highlighted row's title is cut (or not shown) in its column."""
        row = self.current
        if row is None:
            return False
        widths = self._widths(self.scrollable_content_region.width)
        for column, width in zip(self.columns, widths, strict=True):
            if column.key == "title":
                return cell_len(one_line(row.title)) > width
        return True

    def mark_rows(self, rows: list[LeadRow]) -> None:
        """Mark these rows (all of a list: `*`), as they are now."""
        for row in rows:
            self.marked[row.key] = row
        self.post_message(self.MarksChanged(len(self.marked)))
        self.refresh()

    def clear_marks(self) -> None:
        self.marked.clear()
        self.post_message(self.MarksChanged(0))
        self.refresh()

    def watch_cursor(self, previous: int, cursor: int) -> None:
        top = round(self.scroll_offset.y)
        self._scroll_cursor_into_view()
        if round(self.scroll_offset.y) == top:
            # Only the lines that lose and gain the cursor change.
            self.refresh_line(previous - top)
            self.refresh_line(cursor - top)
        else:
            self.refresh()
        self.post_message(self.Highlighted(self.current))

    def _scroll_cursor_into_view(self) -> None:
        height = max(self.scrollable_content_region.height, 1)
        top = round(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.count)
        self._scroll_cursor_into_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None

    def _line_styles(self) -> tuple[Style, Style, Style, Style, Style, Style]:
        """Base, cursor, marked, muted, waiting and alarm styles, looked up once per style change."""
        if self._styles is None:
            self._styles = (
                self.rich_style,
                self.get_component_rich_style("lead-table--cursor"),
                self.get_component_rich_style("lead-table--marked"),
                self.get_component_rich_style("lead-table--inactive"),
                self.get_component_rich_style("lead-table--waiting"),
                self.get_component_rich_style("lead-table--alarm"),
            )
        return self._styles

    def _widths(self, width: int) -> list[int]:
        if self._layout[0] != (id(self.columns), width):
            self._layout = ((id(self.columns), width), layout(self.columns, width))
        return self._layout[1]

    def row_at(self, index: int) -> LeadRow | None:
        """The row at `index`, if its page is here (else it is asked for)."""
        row = self.cache.row(index)
        if row is None:
            self._want(index)
        return row

    def _want(self, index: int) -> None:
        page_no = index // PAGE_SIZE
        if page_no not in self.cache.requested and not self.cache.has_page(page_no):
            self.cache.requested.add(page_no)
            self.post_message(self.PageWanted(self.cache.generation, page_no))

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        base, cursor, marked_style, muted, waiting, alarm = self._line_styles()
        if not 0 <= index < self.count:
            if not self.count and y == self.scrollable_content_region.height // 2:
                return self._empty_line(width)
            return Strip.blank(width, base)
        row = self.cache.row(index)
        if row is None:  # not here yet: a placeholder now, the row when its page arrives
            self._want(index)
            style = base + (cursor if index == self.cursor else waiting)
            return Strip([Segment(f"  {PLACEHOLDER}", style)]).adjust_cell_length(width, style)
        row = self.expected.get(row.key, row)
        style = base + waiting if row.key in self.pending else base
        marked = row.key in self.marked
        if marked:
            style += marked_style
        if index == self.cursor:
            style += cursor
        # Plain text runs between the cells styled apart (an inactive Kollege muted, a running-out
        # deadline red): few segments per line.
        segments: list[Segment] = []
        text = (MARK if marked else " ") + " "
        for column, cell_width in zip(self.columns, self._widths(width), strict=True):
            value = column.cell(row)
            if column.short is not None and cell_len(value) > cell_width:
                value = column.short(row, cell_width)
            cell = " " + _fit(value, cell_width, column.align_right)
            apart = None
            if column.key == "colleague" and index != self.cursor and (row.assignee is None or not row.assignee.active):
                apart = muted
            elif column.alarm is not None and column.alarm(row):
                apart = alarm
            if apart is not None:
                segments += [Segment(text, style), Segment(cell, style + apart)]
                text = ""
            else:
                text += cell
        segments.append(Segment(text, style))
        return Strip(segments).adjust_cell_length(width, style)

    def _empty_line(self, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("lead-table--empty")
        text = _fit(self.empty_text, width)
        return Strip([Segment(text.strip().center(width), style)]).adjust_cell_length(width, self.rich_style)

    # --- keys and mouse ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """An empty list has nothing to open or mark: the Footer leaves those keys out."""
        if action in ("select", "mark"):
            return self.count > 0
        return True

    def _emptiness_changed(self, was_empty: bool) -> None:
        if was_empty != (self.count == 0):
            self.refresh_bindings()

    def action_cursor(self, delta: int) -> None:
        if self.count:
            self.cursor = max(0, min(self.count - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(self.scrollable_content_region.height - 1, 1))

    def action_half_page(self, direction: int) -> None:
        self.action_cursor(direction * max(self.scrollable_content_region.height // 2, 1))

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(self.count - 1, 0)

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Selected(row))

    def action_mark(self) -> None:
        row = self.current
        if row is None:
            return
        if row.key in self.marked:
            del self.marked[row.key]
        else:
            self.marked[row.key] = row
        self.post_message(self.MarksChanged(len(self.marked)))
        self.action_cursor(1)
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_offset.y) + event.y
        if 0 <= index < self.count:
            self.cursor = index
            if event.chain >= 2:
                self.action_select()
