"""Euro amounts as typed into the form (domain/money.py): whole euros, nothing cut off."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadtui.domain.money import format_euro, parse_euro


@given(st.integers(min_value=0, max_value=10**12))
def test_an_amount_written_as_shown_reads_back(euros):
    shown = format_euro(euros)
    assert parse_euro(shown) == euros
    assert parse_euro(shown.replace(" €", ",00")) == euros
    assert parse_euro(shown.replace(".", "")) == euros


@pytest.mark.parametrize(("typed", "euros"), [("12.500,-", 12500), ("EUR 3.000", 3000), ("12 500", 12500)])
def test_ways_offices_write_whole_euros(typed, euros):
    assert parse_euro(typed) == euros


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("1.234.567,89", "Der Wert ist in ganzen Euro – ohne Cent, z. B. 1.234.568."),
        ("12,4", "Der Wert ist in ganzen Euro – ohne Cent, z. B. 12."),
        ("12.5", "Bitte einen Betrag in Euro eingeben, z. B. 12.500."),  # not 125 €
        ("1,234", "Bitte einen Betrag in Euro eingeben, z. B. 12.500."),  # not 1 €
        ("1.2345", "Bitte einen Betrag in Euro eingeben, z. B. 12.500."),
        ("viel", "Bitte einen Betrag in Euro eingeben, z. B. 12.500."),
    ],
)
def test_cents_and_misplaced_dots_are_refused_never_cut(typed, said):
    """Issue 22: "1.234.567,89" was silently saved as 1.234.567 €."""
    with pytest.raises(ValueError) as refused:
        parse_euro(typed)
    assert str(refused.value) == said
