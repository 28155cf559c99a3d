"""Euro amounts as Germans type and read them."""

from __future__ import annotations

import re

NOT_AN_AMOUNT = "Bitte einen Betrag in Euro eingeben, z. B. 12.500."
_AMOUNT = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}|-))?")


def parse_euro(text: str) -> int:
    """A German money amount ("12.500", "12500 €", "12.500,00", "12.500,-") in whole euros -
    the unit a lead's value is kept in. Cents are refused with a message, never cut off
    ("1.234.567,89" is not 1.234.567 €), and so are dots that do not group thousands ("12.5"
    is not 125 €). ValueError says what is wrong, in German."""
    cleaned = text.strip().replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
    amount = _AMOUNT.fullmatch(cleaned)
    if amount is None:
        raise ValueError(NOT_AN_AMOUNT)
    euros = int(amount.group(1).replace(".", ""))
    cents = amount.group(2)
    if cents and cents != "-" and int(cents):
        nearest = euros + (int(cents.ljust(2, "0")) >= 50)
        raise ValueError(f"Der Wert ist in ganzen Euro – ohne Cent, z. B. {format_euro(nearest).removesuffix(' €')}.")
    return euros


def format_euro(value: int | None) -> str:
    if value is None:
        return ""
    return f"{value:,} €".replace(",", ".")


def format_count(n: int) -> str:
    """A count as Germans read it: 12.500."""
    return f"{n:,}".replace(",", ".")
