"""German dates as people type them (domain/dates.py): property tests over every day we accept."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadtui.domain.dates import EARLIEST_DAY, LATEST_DAY, format_moment, parse_due

DAYS = st.dates(min_value=EARLIEST_DAY, max_value=LATEST_DAY)
OUTSIDE = st.one_of(
    st.dates(max_value=EARLIEST_DAY - timedelta(days=1)), st.dates(min_value=LATEST_DAY + timedelta(days=1))
)


@given(day=DAYS, today=DAYS)
def test_a_day_written_as_shown_reads_back(day, today):
    assert parse_due(format_moment(day), today) == day
    assert parse_due(f"  {day:%d.%m.%Y} ", today) == day


@given(day=DAYS)
def test_a_day_without_its_year_is_this_year(day):
    today = date(day.year, 1, 1)
    assert parse_due(f"{day:%d.%m.}", today) == day


@given(today=DAYS)
def test_heute_morgen_and_nothing(today):
    assert parse_due("Heute", today) == today
    if today < LATEST_DAY:
        assert parse_due("morgen", today) == today + timedelta(days=1)
    assert parse_due("", today) is None


@given(day=OUTSIDE, today=DAYS)
def test_a_day_outside_2000_to_2100_is_refused_saying_the_range(day, today):
    with pytest.raises(ValueError, match="zwischen"):
        parse_due(f"{day.day:02d}.{day.month:02d}.{day.year:04d}", today)


@given(
    typed=st.text(alphabet="abcxyz .-/!", min_size=1).filter(
        lambda t: t.strip() and t.strip().lower() not in ("heute", "morgen")
    )
)
def test_anything_else_is_refused_saying_what_works(typed):
    with pytest.raises(ValueError, match="heute"):
        parse_due(typed, date(2026, 11, 2))


MONDAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("übermorgen", date(2026, 12, 9)),
        ("nächste Woche", date(2026, 12, 14)),  # its Monday
        ("Freitag", date(2026, 12, 11)),
        ("fr", date(2026, 12, 11)),
        ("Montag", MONDAY),  # today is that day
        ("So.", date(2026, 12, 13)),
        ("in 3 Tagen", date(2026, 12, 10)),
        ("in  zwei  Wochen", date(2026, 12, 21)),
        ("in 1 Woche", date(2026, 12, 14)),
        ("29.02.2028", date(2028, 2, 29)),
    ],
)
def test_days_as_a_salesperson_says_them(typed, due):
    """Issue 22: weekdays, "nächste Woche" and "in 3 Tagen" are due dates too."""
    assert parse_due(typed, MONDAY) == due


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("31.02.2026", "Den 31.02.2026 gibt es nicht – der Februar 2026 hat 28 Tage."),
        ("31.04.", "Den 31.04.2026 gibt es nicht – der April 2026 hat 30 Tage."),
        ("29.02.27", "Den 29.02.2027 gibt es nicht – der Februar 2027 hat 28 Tage."),
    ],
)
def test_a_day_that_does_not_exist_is_named(typed, said):
    with pytest.raises(ValueError) as refused:
        parse_due(typed, MONDAY)
    assert str(refused.value) == said


def test_what_is_not_a_day_is_answered_with_what_works():
    for typed in ("irgendwann", "13.13.2026", "in vielen Tagen"):
        with pytest.raises(ValueError, match="„nächste Woche“ oder „in 3 Tagen“"):
            parse_due(typed, MONDAY)
