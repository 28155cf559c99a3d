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


OUT_OF_RANGE = f"Fällig: ein Datum zwischen {EARLIEST_DAY:%d.%m.%Y} und {LATEST_DAY:%d.%m.%Y}."


def due_error(day: date | None) -> str | None:
    """Why `day` cannot be a task's due date ("01.01.0001" is a typo), or None."""
    if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
        return OUT_OF_RANGE
    return None


def parse_due(typed: str, today: date) -> date | None:
    """ "10.11.2026", "10.11.26", "10.11." (this year), "heute", "morgen", or nothing; else
    ValueError with a German message (also for a day outside 2000-2100, a typo like 01.01.0001)."""
    text = typed.strip().lower()
    if not text:
        return None
    day = _read_day(text, today)
    if day is None:
        raise ValueError("Fällig: ein Datum wie 10.11.2026, „heute“ oder „morgen“ – oder leer.")
    error = due_error(day)
    if error:
        raise ValueError(error)
    return day


def _read_day(text: str, today: date) -> date | None:
    if text == "heute":
        return today
    if text == "morgen":
        return date.fromordinal(today.toordinal() + 1)
    for typed, pattern in ((text, "%d.%m.%Y"), (text, "%d.%m.%y"), (f"{text.rstrip('.')}.{today.year}", "%d.%m.%Y")):
        try:
            return datetime.strptime(typed, pattern).date()
        except ValueError:
            pass
    return None
