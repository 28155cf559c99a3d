"""The columns a lead list can show, and how each cell of a LeadRow reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from leadtui.domain import LeadRow, LeadStatus, ListKind, SortKey, format_euro, status_label
from leadtui.domain.dates import format_moment
from leadtui.domain.values import shown_name

UNASSIGNED_CELL = "—"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    cell: Callable[[LeadRow], str]
    min_width: int
    weight: int  # share of the space beyond every column's minimum; 0 = fixed at min_width
    max_width: int
    sort: SortKey | None = None
    align_right: bool = False
    short: Callable[[LeadRow], str] | None = None  # a reading for when the cell is too narrow


def short_name(name: str) -> str:
    """ "Sophie Wagner" -> "S. Wagner": the last name whole, what tells colleagues apart."""
    first, _, rest = name.partition(" ")
    return f"{first[:1]}. {rest}" if rest else name


def _colleague(row: LeadRow) -> str:
    return row.assignee.display_name if row.assignee else UNASSIGNED_CELL


def _colleague_short(row: LeadRow) -> str:
    if row.assignee is None:
        return UNASSIGNED_CELL
    return shown_name(short_name(row.assignee.name), row.assignee.active)


def _status_short(row: LeadRow) -> str:
    if row.status is None:
        return "unbekannt"
    return "in Bearb." if row.status is LeadStatus.IN_PROGRESS else row.status.value


COLUMNS: dict[str, Column] = {
    column.key: column
    for column in (
        # The title takes most of the spare width; a status reads whole ("in Bearbeitung") at 120.
        Column("title", "Titel", lambda r: r.title, 8, 6, 200, SortKey.TITLE),
        Column("prospect", "Firma", lambda r: r.prospect, 8, 3, 60, SortKey.PROSPECT),
        Column("city", "Ort", lambda r: r.city, 5, 1, 16, SortKey.CITY),
        Column("status", "Status", lambda r: status_label(r.status), 8, 3, 14, SortKey.STATUS, short=_status_short),
        Column("value", "Wert", lambda r: format_euro(r.value), 11, 0, 11, SortKey.VALUE, align_right=True),
        Column("created", "Angelegt", lambda r: format_moment(r.created_at), 10, 0, 10, SortKey.CREATED),
        Column("colleague", "Kollege", _colleague, 10, 2, 20, SortKey.COLLEAGUE, short=_colleague_short),
        # the next open task's due date: read per shown row, so not a sort key
        Column("due", "Fällig", lambda r: format_moment(r.next_due) if r.next_due else "", 10, 0, 10),
    )
}
# What the column chooser offers, in display order; "Kollege" is hidden until chosen.
CHOOSABLE = tuple(COLUMNS)
DEFAULT_VISIBLE = ("title", "prospect", "city", "status", "value", "created")

_PARTNER = Column("partner", "An", lambda r: r.partner_name or "", 8, 2, 24)
_PRINCIPAL = Column("principal", "Von", lambda r: r.partner_name or "", 8, 2, 24)
_SHARE_STATUS = Column("share", "Angebot", lambda r: r.share_status.value if r.share_status else "", 9, 0, 10)


def columns_for(kind: ListKind, visible: tuple[str, ...]) -> list[Column]:
    """The columns of one list: the chosen ones, plus what only that list has.

    Offers are not ours yet, so they have no Kollege; passed-on leads say to whom and how."""
    chosen = [COLUMNS[key] for key in CHOOSABLE if key in visible]
    if kind is ListKind.OFFERS:
        return [c for c in chosen if c.key != "colleague"] + [_PRINCIPAL]
    if kind is ListKind.PASSED_ON:
        return [*chosen, _PARTNER, _SHARE_STATUS]
    return chosen


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
