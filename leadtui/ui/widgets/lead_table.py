"""A lead table that stays fast at a million rows.

Shaped like Toolong's LogLines: a ScrollView whose virtual height is the row count and which
renders only the visible lines. Rows come window by window from the repository query into a small
page cache; the table never holds the whole list. Cells are drawn as plain Segments, so lead data
is never parsed as markup.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from leadtui.domain import LeadRow
from leadtui.ui.columns import Column, layout

PAGE_SIZE = 100
CACHED_PAGES = 12
MARK = "●"

RowSource = Callable[[int, int], list[LeadRow]]


def _fit(text: str, width: int, right: bool = False) -> str:
    text = " ".join(text.split())
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else text[:width]
    return text.rjust(width) if right else set_cell_size(text, width)


class PageCache:
    """The rows of one list, fetched a page at a time and kept for a few pages."""

    def __init__(self, source: RowSource, count: int, first_page: list[LeadRow] | None = None):
        self.source = source
        self.count = count
        self._pages: OrderedDict[int, list[LeadRow]] = OrderedDict()
        if first_page is not None:
            self._pages[0] = first_page

    def row(self, index: int) -> LeadRow | None:
        if not 0 <= index < self.count:
            return None
        page_no = index // PAGE_SIZE
        page = self._pages.get(page_no)
        if page is None:
            page = self.source(page_no * PAGE_SIZE, PAGE_SIZE)
            self._pages[page_no] = page
            if len(self._pages) > CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        offset = index % PAGE_SIZE
        return page[offset] if offset < len(page) else None


class LeadHeader(Widget):
    """The column titles above the table; clicking one sorts by it."""

    DEFAULT_CSS = """
    LeadHeader { height: 1; background: $panel; color: $text; text-style: bold; padding-right: 2; }
    """

    class SortClicked(Message):
        def __init__(self, column: Column) -> None:
            self.column = column
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.columns: list[Column] = []
        self.sort_key = None
        self.descending = True

    def show(self, columns: list[Column], sort_key, descending: bool) -> None:
        self.columns, self.sort_key, self.descending = columns, sort_key, descending
        self.refresh()

    def render_line(self, y: int) -> Strip:
        style = self.rich_style
        segments = [Segment("  ", style)]
        for column, width in zip(self.columns, layout(self.columns, self.size.width), strict=False):
            arrow = ("↓" if self.descending else "↑") if column.sort is self.sort_key and column.sort else ""
            segments.append(Segment(" " + _fit(f"{column.label}{arrow}", width, column.align_right), style))
        return Strip(segments).adjust_cell_length(self.size.width, style)

    def on_click(self, event: events.Click) -> None:
        x = 2
        for column, width in zip(self.columns, layout(self.columns, self.size.width), strict=False):
            if x <= event.x < x + width + 1:
                if column.sort:
                    self.post_message(self.SortClicked(column))
                return
            x += width + 1


class LeadTable(ScrollView, can_focus=True):
    """The rows of the current list; posts Highlighted/Selected and keeps a set of marked leads."""

    COMPONENT_CLASSES = {"lead-table--cursor", "lead-table--marked", "lead-table--inactive"}
    DEFAULT_CSS = """
    LeadTable { background: $surface; overflow-x: hidden; scrollbar-gutter: stable; }
    LeadTable > .lead-table--cursor { background: $accent 40%; text-style: bold; }
    LeadTable:focus > .lead-table--cursor { background: $accent; color: $text; }
    LeadTable > .lead-table--marked { color: $warning; }
    LeadTable > .lead-table--inactive { color: $text-muted; }
    """
    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Hoch", show=False),
        Binding("down,j", "cursor(1)", "Runter", show=False),
        Binding("pageup", "page(-1)", "Seite hoch", show=False),
        Binding("pagedown", "page(1)", "Seite runter", show=False),
        Binding("g,home", "first", "Anfang", show=False),
        Binding("G,end", "last", "Ende", show=False),
        Binding("enter", "select", "Öffnen", id="open"),
        Binding("space", "mark", "Markieren", id="mark"),
    ]

    cursor = reactive(0, always_update=True)

    class Highlighted(Message):
        def __init__(self, row: LeadRow | None) -> None:
            self.row = row
            super().__init__()

    class Selected(Message):
        def __init__(self, row: LeadRow) -> None:
            self.row = row
            super().__init__()

    class MarksChanged(Message):
        def __init__(self, count: int) -> None:
            self.count = count
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.columns: list[Column] = []
        self.cache = PageCache(lambda offset, limit: [], 0)
        self.marked: dict[int, int] = {}  # lead id -> version when marked
        self._styles: tuple[Style, Style, Style, Style] | None = None
        self._layout: tuple[tuple[int, int], list[int]] = ((0, 0), [])

    @property
    def count(self) -> int:
        return self.cache.count

    @property
    def current(self) -> LeadRow | None:
        return self.cache.row(self.cursor)

    def load(
        self,
        source: RowSource,
        count: int,
        columns: list[Column],
        keep_marks: bool = False,
        first_page: list[LeadRow] | None = None,
    ) -> None:
        """Show a (new or reloaded) list; the cursor keeps its index where it still exists."""
        self.cache = PageCache(source, count, first_page)
        self.columns = columns
        if not keep_marks:
            self.marked.clear()
            self.post_message(self.MarksChanged(0))
        self.virtual_size = Size(self.size.width, count)
        self.cursor = min(self.cursor, max(count - 1, 0))
        self._scroll_cursor_into_view()
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

    def _line_styles(self) -> tuple[Style, Style, Style, Style]:
        """Base, cursor, marked and muted styles, looked up once per style change, not per line."""
        if self._styles is None:
            self._styles = (
                self.rich_style,
                self.get_component_rich_style("lead-table--cursor"),
                self.get_component_rich_style("lead-table--marked"),
                self.get_component_rich_style("lead-table--inactive"),
            )
        return self._styles

    def _widths(self, width: int) -> list[int]:
        if self._layout[0] != (id(self.columns), width):
            self._layout = ((id(self.columns), width), layout(self.columns, width))
        return self._layout[1]

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        base, cursor, marked_style, muted = self._line_styles()
        row = self.cache.row(index)
        if row is None:
            return Strip.blank(width, base)
        style = base
        marked = row.id in self.marked
        if marked:
            style += marked_style
        if index == self.cursor:
            style += cursor
        # Plain text runs between the (possibly muted) Kollege cell: few segments per line.
        segments: list[Segment] = []
        text = (MARK if marked else " ") + " "
        for column, cell_width in zip(self.columns, self._widths(width), strict=False):
            cell = " " + _fit(column.cell(row), cell_width, column.align_right)
            if column.key == "colleague" and index != self.cursor and (row.assignee is None or not row.assignee.active):
                segments += [Segment(text, style), Segment(cell, style + muted)]
                text = ""
            else:
                text += cell
        segments.append(Segment(text, style))
        return Strip(segments).adjust_cell_length(width, style)

    # --- keys and mouse ---------------------------------------------------------------------------

    def action_cursor(self, delta: int) -> None:
        if self.count:
            self.cursor = max(0, min(self.count - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(self.scrollable_content_region.height - 1, 1))

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
        if row.id in self.marked:
            del self.marked[row.id]
        else:
            self.marked[row.id] = row.version
        self.post_message(self.MarksChanged(len(self.marked)))
        self.action_cursor(1)
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_offset.y) + event.y
        if 0 <= index < self.count:
            self.cursor = index
            if event.chain >= 2:
                self.action_select()
