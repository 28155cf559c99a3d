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
