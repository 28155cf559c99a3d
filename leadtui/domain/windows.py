"""Response windows of lead offers (rule 24): how long a partner has to decide an offer, as the
principal types it, and how much of it is left, as lists show it.

A window counts in calendar hours on the database's clock (UTC, as every moment leadtui keeps):
"48 Std." from passing on is 48 hours later, whatever day of the week; "bis 15.12.2026" ends
at 23:59 of that day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from leadtui.domain.errors import InvalidInput

MAX_HOURS = 24 * 365  # a window longer than a year is a typo
REMIND_AT = 0.75  # the offer receivers are reminded once three quarters of the window have passed
ALARM_AT = 0.75  # the countdown turns red for the last quarter


@dataclass(frozen=True)
class Window:
    """A response window as the principal chooses it: `hours` from passing on, or until the end
    of the day `until`; neither is no deadline at all."""

    hours: int | None = None
    until: date | None = None

    @property
    def label(self) -> str:
        if self.until is not None:
            return f"bis {self.until:%d.%m.%Y}"
        if self.hours is None:
            return "keine Frist"
        return hours_label(self.hours)

    def deadline(self, now: datetime) -> datetime | None:
        """When an offer made `now` stops being open; InvalidWindow for one that is over
        already or longer than a year."""
        if self.hours is None and self.until is None:
            return None
        if self.until is not None:
            end = datetime.combine(self.until, time(23, 59))
        else:
            assert self.hours is not None
            check_hours(self.hours)
            end = now + timedelta(hours=self.hours)
        if end <= now:
            raise InvalidWindow("Die Frist liegt in der Vergangenheit – bitte ein späteres Datum.")
        if end - now > timedelta(hours=MAX_HOURS):
            raise InvalidWindow("Eine Frist reicht höchstens ein Jahr weit.")
        return end


NO_WINDOW = Window()


class InvalidWindow(InvalidInput):
    """A response window that cannot be: bad input of the field "window" (German, for the user)."""

    def __init__(self, message: str):
        super().__init__({"window": message})


def check_hours(hours: int) -> int:
    if hours < 1:
        raise InvalidWindow("Eine Frist dauert mindestens 1 Stunde.")
    if hours > MAX_HOURS:
        raise InvalidWindow("Eine Frist reicht höchstens ein Jahr weit (8760 Std.).")
    return hours


def hours_label(hours: int) -> str:
    """48 -> "48 Std.", 72 -> "3 Tage" (whole days read as days)."""
    if hours % 24 == 0:
        days = hours // 24
        return "1 Tag" if days == 1 else f"{days} Tage"
    return f"{hours} Std."


_AMOUNT = re.compile(r"^(\d{1,5})\s*(std\.?|stunden?|h|tage?n?|t|d|wochen?|w)?$")  # a bare number: hours
HINT = "Frist: z. B. „24 Std.“, „3 Tage“, „1 Woche“, „15.12.2026“ oder „keine“."


def parse_window(typed: str, today: date) -> Window:
    """A window as typed: "24 Std." (or "24"), "3 Tage", "1 Woche", "15.12.2026" (until the end
    of that day), "keine"; else InvalidWindow saying what works."""
    text = " ".join(typed.strip().lower().split())
    if text in ("keine", "ohne", "keine frist", "-"):
        return NO_WINDOW
    amount = _AMOUNT.match(text)
    if amount:
        n, unit = int(amount.group(1)), amount.group(2) or "h"
        per = 24 if unit[0] in "td" else 168 if unit[0] == "w" else 1
        return Window(hours=check_hours(n * per))
    for pattern in ("%d.%m.%Y", "%d.%m.%y"):
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if day < today:
            raise InvalidWindow("Die Frist liegt in der Vergangenheit – bitte ein späteres Datum.")
        return Window(until=day)
    raise InvalidWindow(HINT)


def default_window(typed: str) -> Window:
    """A partnership's default window as typed: a duration ("48", "48 Std.", "3 Tage") or
    "keine" - a day would pass for every later offer."""
    window = parse_window(typed, date.min)
    if window.until is not None:
        raise InvalidWindow("Eine Standardfrist ist eine Dauer: z. B. „48 Std.“, „3 Tage“ oder „keine“.")
    return window


def time_left(deadline: datetime, now: datetime) -> str:
    """What the countdown column reads: "noch 40 Min.", "noch 5 Std.", "noch 2 Tage", or
    "abgelaufen" (rounded down: "noch 1 Std." means at least one hour)."""
    left = deadline - now
    if left <= timedelta(0):
        return "abgelaufen"
    return f"noch {duration_label(left.total_seconds())}"


def running_out(offered_at: datetime | None, deadline: datetime, now: datetime) -> bool:
    """Whether the last quarter of the window has begun (the countdown reads red)."""
    if offered_at is None or deadline <= offered_at:
        return now >= deadline
    return now >= offered_at + (deadline - offered_at) * ALARM_AT


def remind_at(offered_at: datetime, deadline: datetime | None) -> datetime | None:
    """When the offer receivers are reminded of an offer still open (three quarters in)."""
    if deadline is None:
        return None
    return (offered_at + (deadline - offered_at) * REMIND_AT).replace(microsecond=0)


def duration_label(seconds: float) -> str:
    """How long something took, as a salesperson says it: "40 Min.", "5 Std.", "2 Tage"."""
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{max(minutes, 1)} Min."
    if minutes < 48 * 60:
        return f"{minutes // 60} Std."
    return f"{minutes // (24 * 60)} Tage"


def deadline_label(deadline: datetime) -> str:
    return f"{deadline:%d.%m.%Y %H:%M}"
