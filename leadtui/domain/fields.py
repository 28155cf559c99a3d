"""The single-line text fields people fill in, with their German labels and length limits.

The limits are the database column sizes (models.py uses them), checked here with a German
message, so SQLite (which does not enforce VARCHAR sizes) and PostgreSQL refuse the same input the
same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from leadtui.domain.errors import InvalidInput
from leadtui.domain.text import has_control, multi_line, single_line

EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class TextField:
    label: str
    limit: int
    required: bool = False
    lines: bool = False  # a note keeps its line breaks

    def check(self, text: str) -> tuple[str, str | None]:
        """The cleaned text and what is wrong with it (None when nothing is)."""
        cleaned = multi_line(text) if self.lines else single_line(text)
        if has_control(cleaned.replace("\n", " ") if self.lines else cleaned):
            return cleaned, f"{self.label} enthält Steuerzeichen; die sind nicht erlaubt."
        if self.required and not cleaned:
            return cleaned, f"{self.label} ist erforderlich."
        if len(cleaned) > self.limit:
            return cleaned, f"{self.label} ist zu lang (höchstens {self.limit} Zeichen)."
        return cleaned, None


LEAD_FIELDS = {
    "title": TextField("Titel", 200, required=True),
    "prospect": TextField("Firma", 200),
    "contact": TextField("Ansprechpartner", 200),
    "email": TextField("E-Mail", 320),
    "phone": TextField("Telefon", 50),
    "city": TextField("Ort", 100),
    "source": TextField("Quelle", 100),
}
COMPANY_NAME = TextField("Firma", 200, required=True)
COLLEAGUE_NAME = TextField("Name", 200, required=True)
EMAIL = TextField("E-Mail", 320, required=True)
NOTE = TextField("Notiz", 4000, required=True, lines=True)
TASK = TextField("Aufgabe", 200, required=True)
DECLINE_TEXT = TextField("Begründung", 200)  # "Sonstiges" as a reason to decline (rule 23)


def checked(values: dict[str, str], fields: dict[str, TextField]) -> dict[str, str]:
    """Clean every value by its field's rule; raise InvalidInput naming every bad field."""
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, value in values.items():
        cleaned[key], error = fields[key].check(value)
        if error:
            errors[key] = error
    if errors:
        raise InvalidInput(errors)
    return cleaned


def checked_email(email: str) -> str:
    """A lower-cased e-mail address, or InvalidInput."""
    cleaned = checked({"email": email}, {"email": EMAIL})["email"].lower()
    if not EMAIL_RE.fullmatch(cleaned):
        raise InvalidInput({"email": f"Keine gültige E-Mail-Adresse: {cleaned}"})
    return cleaned
