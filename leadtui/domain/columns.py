"""The columns of a lead list: what each is called, what it holds, which sort it is.

One list of them for every place that shows a list: the screen (leadtui/ui/columns.py adds
widths and readings for narrow cells) and an export, which writes exactly the columns the list
shows, in their order and with their German names, as typed values (numbers, dates).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from leadtui.domain.values import LeadRow, ListKind, SortKey, status_label

Cell = str | int | date | datetime | None


@dataclass(frozen=True)
class ListColumn:
    key: str
    label: str
    value: Callable[[LeadRow], Cell]
    sort: SortKey | None = None


def _colleague(row: LeadRow) -> str:
    return row.assignee.display_name if row.assignee else ""


LIST_COLUMNS: dict[str, ListColumn] = {
    column.key: column
    for column in (
        ListColumn("title", "Titel", lambda r: r.title, SortKey.TITLE),
        ListColumn("prospect", "Firma", lambda r: r.prospect, SortKey.PROSPECT),
        ListColumn("city", "Ort", lambda r: r.city, SortKey.CITY),
        ListColumn("status", "Status", lambda r: status_label(r.status), SortKey.STATUS),
        ListColumn("value", "Wert", lambda r: r.value, SortKey.VALUE),
        ListColumn("created", "Angelegt", lambda r: r.created_at, SortKey.CREATED),
        ListColumn("colleague", "Kollege", _colleague, SortKey.COLLEAGUE),
        # the next open task's due date: read per shown row, so not a sort key
        ListColumn("due", "Fällig", lambda r: r.next_due),
    )
}
# What the column chooser offers, in display order; "Kollege" is hidden until chosen.
CHOOSABLE = tuple(LIST_COLUMNS)
DEFAULT_VISIBLE = ("title", "prospect", "city", "status", "value", "created")
COLUMNS_SETTING = "lead_list.columns"  # a colleague's chosen columns, comma-separated keys

PARTNER = ListColumn("partner", "An", lambda r: r.partner_name or "")
PRINCIPAL = ListColumn("principal", "Von", lambda r: r.partner_name or "")


def _share(row: LeadRow) -> str:
    status = row.share_status.value if row.share_status else ""
    return f"{status}: {row.declined_because.label}" if row.declined_because else status


SHARE_STATUS = ListColumn("share", "Angebot", _share)
ARRIVED = ListColumn("arrived", "Eingang", lambda r: r.offered_at, SortKey.ARRIVED)
# The end of the response window (rule 24): offers sort by it; a passed-on lead's row may stand
# for offers to several partners, so there it reads the first to run out and does not sort.
DEADLINE = ListColumn("deadline", "Frist", lambda r: r.deadline, SortKey.DEADLINE)
PASSED_DEADLINE = ListColumn("deadline", "Frist", lambda r: r.deadline)
# Fällige Aufgaben shows the due date always and sorts by it; elsewhere it is a chosen column
DUE_SORTED = ListColumn("due", "Fällig", lambda r: r.next_due, SortKey.DUE)


def list_columns(kind: ListKind, visible: tuple[str, ...]) -> list[ListColumn]:
    """The columns of one list: the chosen ones, plus what only that list has.

    Offers are not ours yet, so they have no Kollege; who they come from stands next to the
    title, and when they came in where the lead's creation would be (rule 21), and both they
    and passed-on leads (which say to whom and how) end with the response window (rule 24)."""
    chosen = [LIST_COLUMNS[key] for key in CHOOSABLE if key in visible]
    if kind is ListKind.OFFERS:
        offers = [ARRIVED if c.key == "created" else c for c in chosen if c.key != "colleague"]
        if ARRIVED not in offers:
            offers.append(ARRIVED)
        at = 1 if offers and offers[0].key == "title" else 0
        return [*offers[:at], PRINCIPAL, *offers[at:], DEADLINE]
    if kind is ListKind.PASSED_ON:
        return [*chosen, PARTNER, SHARE_STATUS, PASSED_DEADLINE]
    if kind is ListKind.DUE:
        rest = [c for c in chosen if c.key != "due"]
        at = 1 if rest and rest[0].key == "title" else 0
        return [*rest[:at], DUE_SORTED, *rest[at:]]
    return chosen


def chosen_columns(saved: str | None) -> tuple[str, ...]:
    """The visible columns from a colleague's saved choice (unknown keys left out), else the
    default ones."""
    chosen = tuple(key for key in (saved or "").split(",") if key in LIST_COLUMNS)
    return chosen or DEFAULT_VISIBLE
