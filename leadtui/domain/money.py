"""Euro amounts as Germans type and read them."""

from __future__ import annotations


def parse_euro(text: str) -> int:
    """Parse a German money amount ("12.500", "12500 €", "12.500,00") into whole euros."""
    cleaned = text.strip().replace("€", "").replace(" ", "")
    if not cleaned:
        raise ValueError("leer")
    if "," in cleaned:
        whole, _, cents = cleaned.partition(",")
        if not cents.isdigit() or len(cents) > 2:
            raise ValueError(text)
        cleaned = whole
    cleaned = cleaned.replace(".", "")
    if not cleaned.isdigit():
        raise ValueError(text)
    return int(cleaned)


def format_euro(value: int | None) -> str:
    if value is None:
        return ""
    return f"{value:,} €".replace(",", ".")


def format_count(n: int) -> str:
    """A count as Germans read it: 12.500."""
    return f"{n:,}".replace(",", ".")
