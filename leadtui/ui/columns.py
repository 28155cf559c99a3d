"""The columns a lead list can show, and how each cell of a LeadRow reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from rich.cells import cell_len, set_cell_size

from leadtui.domain import LeadRow, LeadStatus, ListKind, SortKey, format_euro
from leadtui.domain.columns import (
    ARRIVED,
    CHOOSABLE,
    DEFAULT_VISIBLE,
    LIST_COLUMNS,
    PARTNER,
    PRINCIPAL,
    SHARE_STATUS,
    ListColumn,
    list_columns,
)
from leadtui.domain.dates import format_moment
from leadtui.domain.values import shown_name
from leadtui.domain.windows import running_out, time_left

__all__ = ["CHOOSABLE", "COLUMNS", "DEFAULT_VISIBLE", "Column", "columns_for", "layout", "short_name"]

UNASSIGNED_CELL = "—"


@dataclass(frozen=True)
class Column:
    """A list column as the screen draws it: the domain's column (name, value, sort) with how
    its cell reads and how wide it may be."""

    of: ListColumn
    cell: Callable[[LeadRow], str]
    min_width: int
    weight: int  # share of the space beyond every column's minimum; 0 = fixed at min_width
    max_width: int
    align_right: bool = False
    short: Callable[[LeadRow, int], str] | None = None  # a reading for a cell too narrow (row, width)
    alarm: Callable[[LeadRow], bool] | None = None  # whether the cell reads as a warning (red)

    @property
    def key(self) -> str:
        return self.of.key

    @property
    def label(self) -> str:
        return self.of.label

    @property
    def sort(self) -> SortKey | None:
        return self.of.sort


def short_name(name: str) -> str:
    """ "Sophie Wagner" -> "S. Wagner": the last name whole, what tells colleagues apart."""
    first, _, rest = name.partition(" ")
    return f"{first[:1]}. {rest}" if rest else name


def _colleague(row: LeadRow) -> str:
    return row.assignee.display_name if row.assignee else UNASSIGNED_CELL


def _colleague_short(row: LeadRow, width: int) -> str:
    """ "S. Wagner"; an inactive colleague "M. Schulz (inaktiv)" - where even that is too wide,
    the name is cut and "(inaktiv)" stays, as long as a few letters of the name fit."""
    if row.assignee is None:
        return UNASSIGNED_CELL
    name = short_name(row.assignee.name)
    if row.assignee.active:
        return name
    marked = shown_name(name, active=False)
    room = width - (cell_len(marked) - cell_len(name))
    if cell_len(marked) <= width or room < 6:  # "M. Sc…": fewer letters tell nobody apart
        return marked
    return shown_name(set_cell_size(name, room - 1) + "…", active=False)


def _status_short(row: LeadRow, _width: int) -> str:
    if row.status is None:
        return "unbekannt"
    return "in Bearb." if row.status is LeadStatus.IN_PROGRESS else row.status.value


def _text(column: ListColumn) -> Callable[[LeadRow], str]:
    return lambda row: str(column.value(row))


_L = LIST_COLUMNS
COLUMNS: dict[str, Column] = {
    column.key: column
    for column in (
        # The title takes most of the spare width: many titles share their beginning, and the
        # part that tells them apart is at the end. A status takes none: "in Bearb." reads.
        Column(_L["title"], _text(_L["title"]), 8, 6, 200),
        Column(_L["prospect"], _text(_L["prospect"]), 8, 2, 60),
        Column(_L["city"], _text(_L["city"]), 5, 1, 16),
        Column(_L["status"], _text(_L["status"]), 9, 0, 14, short=_status_short),
        Column(_L["value"], lambda r: format_euro(r.value), 11, 0, 11, align_right=True),
        Column(_L["created"], lambda r: format_moment(r.created_at), 10, 0, 10),
        Column(_L["colleague"], _colleague, 10, 2, 20, short=_colleague_short),
        Column(_L["due"], lambda r: format_moment(r.next_due) if r.next_due else "", 10, 0, 10),
    )
}
_EXTRA = {
    column.key: Column(column, _text(column), *widths)
    # "Von" reads as the principal's name at 80 columns: a minimum of 12, and a share as the firm's
    for column, widths in ((PARTNER, (8, 2, 24)), (PRINCIPAL, (12, 3, 24)), (SHARE_STATUS, (9, 0, 10)))
}
# An offer's arrival reads "02.11.26" where the countdown needs the room (80 columns).
_EXTRA[ARRIVED.key] = Column(
    ARRIVED,
    lambda r: format_moment(r.offered_at) if r.offered_at else "",
    8,
    1,
    10,
    short=lambda r, _width: format_moment(r.offered_at, "%d.%m.%y") if r.offered_at else "",
)


def _countdown(column: ListColumn, now: Callable[[], datetime]) -> Column:
    """The response window's countdown (rule 24) on the data's clock: "noch 5 Std.", red in
    its last quarter; an offer without deadline reads nothing."""

    def cell(row: LeadRow) -> str:
        return "" if row.deadline is None else time_left(row.deadline, now())

    def short(row: LeadRow, _width: int) -> str:
        return cell(row).removeprefix("noch ")  # "5 Std.": the title keeps the width

    def alarm(row: LeadRow) -> bool:
        return row.deadline is not None and running_out(row.offered_at, row.deadline, now())

    return Column(column, cell, 8, 1, 12, short=short, alarm=alarm)


def columns_for(kind: ListKind, visible: tuple[str, ...], now: Callable[[], datetime]) -> list[Column]:
    """The screen's columns of one list (which ones: `domain.columns.list_columns`); `now` is
    the data's clock, which countdowns read."""
    return [_screen_column(kind, column, now) for column in list_columns(kind, visible)]


# Verwaist lists the leads of inactive colleagues: its Kollege column has room for "(inaktiv)"
# and a name ("M. Schu… (inaktiv)" at 80 columns with every column shown), what the list is about.
ORPHANED_KOLLEGE_WIDTH = 18


def _screen_column(kind: ListKind, column: ListColumn, now: Callable[[], datetime]) -> Column:
    if column.key == "deadline":
        return _countdown(column, now)
    drawn = COLUMNS.get(column.key) or _EXTRA[column.key]
    if column.key == "colleague" and kind is ListKind.ORPHANED:
        drawn = replace(drawn, min_width=ORPHANED_KOLLEGE_WIDTH)
    # A list's own reading of a column (Fällige Aufgaben's due date, which sorts there) keeps
    # how the column is drawn.
    return drawn if drawn.of is column else replace(drawn, of=column)


def layout(columns: list[Column], width: int) -> list[int]:
    """Cell widths within `width` cells (a mark and a gap per column included): every column
    gets its minimum, the rest is shared by weight up to each maximum, leftovers go to the title."""
    widths = [c.min_width for c in columns]
    rest = width - 2 - len(columns) - sum(widths)
    while rest > 0:
        growable = [i for i, c in enumerate(columns) if c.weight and widths[i] < c.max_width]
        if not growable:
            break
        total = sum(columns[i].weight for i in growable)
        given = 0
        for i in growable:
            share = min(max(rest * columns[i].weight // total, 1), columns[i].max_width - widths[i], rest - given)
            widths[i] += share
            given += share
        rest -= given
        if given == 0:
            break
    return widths
