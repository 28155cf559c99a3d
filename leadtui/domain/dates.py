"""Dates as Germans read them, and the days a date of ours may fall on."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

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


WHAT_WORKS = (
    "Fällig: ein Datum wie 10.11.2026 oder 10.11., „heute“, „morgen“, „Freitag“, „nächste Woche“ "
    "oder „in 3 Tagen“ – oder leer."
)
WEEKDAYS = ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag")
_NUMBERS = {"einem": 1, "einer": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7}
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})?")
_IN = re.compile(r"in (\d{1,3}|\w+) (tag|tagen|woche|wochen)")


def parse_due(typed: str, today: date) -> date | None:
    """A task's due date as a salesperson types it: "10.11.2026", "10.11.26", "10.11." (this
    year), "heute", "morgen", "übermorgen", a weekday ("Freitag", "fr": the next one, today if it
    is that day), "nächste Woche" (its Monday), "in 3 Tagen", "in 2 Wochen" - or nothing. Else
    ValueError with a German message saying what is wrong and what works: a day that does not
    exist ("31.02.2026") or lies outside 2000-2100 (a typo like 01.01.0001) is named as such."""
    text = " ".join(typed.strip().lower().split())
    if not text:
        return None
    day = _read_day(text, today)
    error = due_error(day)
    if error:
        raise ValueError(error)
    return day


def _read_day(text: str, today: date) -> date:
    named = {"heute": 0, "morgen": 1, "übermorgen": 2}
    if text in named:
        return today + timedelta(days=named[text])
    if text in ("nächste woche", "naechste woche"):
        return today + timedelta(days=7 - today.weekday())
    weekday = next((i for i, name in enumerate(WEEKDAYS) if text.rstrip(".") in (name, name[:2])), None)
    if weekday is not None:
        return today + timedelta(days=(weekday - today.weekday()) % 7)
    ahead = _IN.fullmatch(text)
    if ahead:
        count = int(ahead.group(1)) if ahead.group(1).isdigit() else _NUMBERS.get(ahead.group(1))
        if count is not None:
            return today + timedelta(days=count * (7 if ahead.group(2).startswith("woche") else 1))
    dotted = _DOTTED.fullmatch(text)
    if dotted:
        day, month, year = int(dotted.group(1)), int(dotted.group(2)), dotted.group(3)
        full_year = today.year if year is None else int(year) + (2000 if len(year) == 2 else 0)
        try:
            return date(full_year, month, day)
        except ValueError:
            raise ValueError(_no_such_day(day, month, full_year)) from None
    raise ValueError(WHAT_WORKS)


def _no_such_day(day: int, month: int, year: int) -> str:
    """Why day.month.year is no date: "Den 31.02.2026 gibt es nicht – der Februar 2026 hat 28 Tage." """
    written = f"{day:02d}.{month:02d}.{year}"
    if not 1 <= month <= 12:
        return f"Den {written} gibt es nicht – ein Monat ist 1 bis 12. " + WHAT_WORKS
    if not EARLIEST_DAY.year <= year <= LATEST_DAY.year:
        return OUT_OF_RANGE
    last = calendar.monthrange(year, month)[1]
    return f"Den {written} gibt es nicht – der {MONTHS[month - 1]} {year} hat {last} Tage."


def day_label(day: date) -> str:
    """ "Fr, 11.12.2026": a date with its weekday, to confirm a "Freitag" or "in 3 Tagen"."""
    return f"{WEEKDAYS[day.weekday()][:2].capitalize()}, {day:%d.%m.%Y}"


MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
