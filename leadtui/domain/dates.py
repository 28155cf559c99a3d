"""Dates as Germans read them, and the days a date of ours may fall on."""

from __future__ import annotations

from datetime import date, datetime

# Outside these days is a typo ("01.01.0001") or a value nobody wrote through leadtui.
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
UNKNOWN_DATE = "Datum unbekannt"


def format_moment(value: date | datetime | None, pattern: str = "%d.%m.%Y") -> str:
    """`value` in `pattern`; a stored date that could not be read (None) as a placeholder."""
    return UNKNOWN_DATE if value is None else value.strftime(pattern)


def in_range(day: date) -> bool:
    return EARLIEST_DAY <= day <= LATEST_DAY
