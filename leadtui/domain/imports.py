"""Leads from a file: which column holds which field, what a cell means, and when two leads are
one (docs/rules.md, rule 19).

Plain Python, shared by both sides of an import: the client reads the file and maps its columns
(`leadtui.imports`), the repository parses each row with `parse_row` - the one place that
decides what "1.234,50 €" or "31.12.2026" means - checks it as the new-lead form does (rule 11)
and looks for duplicates by `match_keys`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from leadtui.domain.errors import InvalidInput
from leadtui.domain.fields import LEAD_FIELDS, NOTE
from leadtui.domain.values import MAX_VALUE, LeadStatus, NewLead

# The fields a column can fill, their German names (as the preview and --map name them) and the
# headers that mean them, as sales people write them - compared by `header_key`.
FIELD_LABELS = {
    "title": "Titel",
    "prospect": "Firma",
    "contact": "Ansprechpartner",
    "email": "E-Mail",
    "phone": "Telefon",
    "zip": "PLZ",
    "city": "Ort",
    "value": "Wert",
    "status": "Status",
    "source": "Quelle",
    "colleague": "Kollege",
    "note": "Notiz",
    "created": "Angelegt",
}
HEADERS = {
    "title": ("titel", "title", "betreff", "subject", "leadname", "leadtitel", "bezeichnung"),
    "prospect": ("firma", "unternehmen", "company", "firmenname", "organisation", "organization", "account"),
    "contact": ("ansprechpartner", "kontakt", "contact", "kontaktperson", "contactname", "person"),
    "email": ("email", "mail", "emailadresse", "emailaddress", "mailadresse"),
    "phone": ("telefon", "tel", "phone", "telefonnummer", "phonenumber", "mobil", "mobile", "handy"),
    "zip": ("plz", "postleitzahl", "zip", "zipcode", "postalcode", "postcode"),
    "city": ("ort", "stadt", "city", "wohnort", "town"),
    "value": ("wert", "betrag", "auftragswert", "value", "amount", "volumen", "dealvalue"),
    "status": ("status", "phase", "stage"),
    "source": ("quelle", "source", "leadquelle", "leadsource", "herkunft"),
    "colleague": ("kollege", "zustandig", "zustaendig", "owner", "bearbeiter", "verantwortlich", "assignee"),
    "note": ("notiz", "bemerkung", "notizen", "bemerkungen", "note", "notes", "kommentar", "comment"),
    "created": ("angelegt", "erstellt", "created", "createdat", "erstelltam", "angelegtam", "datum", "date"),
}
FIELD_BY_LABEL = {header_word: key for key, words in HEADERS.items() for header_word in words}
NOBODY = "niemand"  # --kollege niemand: the imported leads stay in "Nicht zugewiesen"
MAX_COLUMNS = 200  # more columns than any lead export has; 10,000 of them is not a lead list
MAX_ROWS = 200_000  # one batch; a bigger file is split
MAX_REPORTED = 100  # invalid rows and duplicates the outcome lists one by one (the counts are all)
DEFAULT_SOURCE = "Import"


def header_key(header: str) -> str:
    """A header as compared: case, umlauts, spaces and punctuation do not count."""
    folded = header.casefold().translate(_UMLAUTS)
    return "".join(ch for ch in folded if ch.isalnum())


def field_for(header: str) -> str | None:
    """The field a header means, or None (the column is ignored)."""
    return FIELD_BY_LABEL.get(header_key(header))


def field_named(name: str) -> str | None:
    """The field a person names in --map or the preview: "titel", "Firma", "email" …"""
    key = header_key(name)
    for field_key, label in FIELD_LABELS.items():
        if key in (header_key(field_key), header_key(label)):
            return field_key
    return field_for(name)


class DuplicatePolicy(str, enum.Enum):
    """What an import does with a row that matches a lead the company holds (or an earlier row)."""

    SKIP = "skip"
    IMPORT = "import"
    FILL = "fill"  # fill the existing lead's empty fields

    @property
    def label(self) -> str:
        return {
            "skip": "überspringen",
            "import": "trotzdem importieren",
            "fill": "leere Felder des vorhandenen Leads füllen",
        }[self.value]


@dataclass(frozen=True)
class ImportFile:
    """The mapped columns of a file: the field each holds, and the rows' cells as text, with the
    row numbers the file gives them (the header is row 1)."""

    name: str
    fields: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class ImportOptions:
    duplicates: DuplicatePolicy = DuplicatePolicy.SKIP
    # Who gets the rows without a Kollege: "" the importing colleague (as rule 5 does for a lead
    # typed in), an own active colleague's e-mail, or NOBODY.
    colleague: str = ""


@dataclass(frozen=True)
class RowProblem:
    """Why a row is not imported, in German, naming the field."""

    row: int
    field: str
    message: str


@dataclass(frozen=True)
class DuplicateRow:
    """A row that matches a lead the company holds (`lead_id`) or an earlier row (`other_row`)."""

    row: int
    rule: str  # what matched, in German: "E-Mail", "Telefon", "Firma und Ort"
    lead_id: int | None
    title: str  # the matched lead's or row's title
    other_row: int | None = None


@dataclass(frozen=True)
class ImportOutcome:
    """What an import does (a preview: would do) with a file."""

    rows: int
    new: int
    duplicates: int
    invalid: int
    filled: int = 0  # existing leads whose empty fields were filled
    rounded: int = 0  # values with cents, kept as whole euros
    assigned: tuple[tuple[str, int], ...] = ()  # (colleague's name, or "" for nobody; leads)
    problems: tuple[RowProblem, ...] = ()
    duplicate_rows: tuple[DuplicateRow, ...] = ()
    batch_id: int | None = None  # None: a preview, nothing written


@dataclass(frozen=True)
class ImportProgress:
    """How far an import under way is: its rows checked ("prüfen"), then its new leads
    written ("schreiben"), `done` of `total`."""

    phase: str
    done: int
    total: int


@dataclass(frozen=True)
class ImportBatch:
    id: int
    name: str
    at: datetime | None
    by_name: str
    leads: int
    filled: int
    undone_at: datetime | None


@dataclass(frozen=True)
class UndoneImport:
    """An undo: leads removed, existing leads whose filled fields were emptied again, and the
    leads left as they are because someone worked them since (id, title)."""

    removed: int
    reverted: int
    touched: tuple[tuple[int, str], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Candidate:
    """One row, parsed and checked: the lead, who should have it and what else it brings."""

    row: int
    lead: NewLead
    colleague: str = ""  # the Kollege cell: an e-mail or a name
    note: str = ""
    created: datetime | None = None
    rounded: bool = False


def parse_row(fields: Sequence[str], cells: Sequence[str], row: int) -> Candidate | list[RowProblem]:
    """A row as a lead, or what is wrong with it, each problem naming its field."""
    data = dict(zip(fields, cells, strict=False))
    problems: list[RowProblem] = []
    texts = {key: data.get(key, "") for key in LEAD_FIELDS}
    city, zip_code = texts["city"].strip(), data.get("zip", "").strip()
    texts["city"] = f"{zip_code} {city}".strip()
    if not texts["source"].strip():
        texts["source"] = DEFAULT_SOURCE
    value, rounded = None, False
    if data.get("value", "").strip():
        try:
            value, rounded = parse_value(data["value"])
        except ValueError as error:
            problems.append(RowProblem(row, "value", f"Wert: {error}"))
    status = LeadStatus.NEW
    if data.get("status", "").strip():
        try:
            status = parse_status(data["status"])
        except ValueError as error:
            problems.append(RowProblem(row, "status", f"Status: {error}"))
    created = None
    if data.get("created", "").strip():
        try:
            created = parse_moment(data["created"])
        except ValueError as error:
            problems.append(RowProblem(row, "created", f"Angelegt: {error}"))
    note, note_error = NOTE.check(data.get("note", ""))
    if note and note_error:
        problems.append(RowProblem(row, "note", note_error))
    lead = NewLead(**texts, status=status, value=value)
    try:
        lead = lead.checked()
    except InvalidInput as invalid:
        for key, message in invalid.errors.items():
            label = FIELD_LABELS.get(key, key)
            problems.append(RowProblem(row, key, message if message.startswith(label) else f"{label}: {message}"))
    if problems:
        return problems
    return Candidate(row, lead, data.get("colleague", "").strip(), note, created, rounded)


STATUS_WORDS = {
    **{status.value.casefold(): status for status in LeadStatus},
    "new": LeadStatus.NEW,
    "offen": LeadStatus.NEW,
    "open": LeadStatus.NEW,
    "inbearbeitung": LeadStatus.IN_PROGRESS,
    "in progress": LeadStatus.IN_PROGRESS,
    "in arbeit": LeadStatus.IN_PROGRESS,
    "won": LeadStatus.WON,
    "lost": LeadStatus.LOST,
}


def parse_status(text: str) -> LeadStatus:
    status = STATUS_WORDS.get(" ".join(text.casefold().split()))
    if status is None:
        words = ", ".join(s.value for s in LeadStatus)
        raise ValueError(f"„{text.strip()[:40]}“ ist kein Status (erlaubt: {words}).")
    return status


_MONEY = re.compile(r"^[+]?[\d.,' ]+$")


def parse_value(text: str) -> tuple[int, bool]:
    """A value as German offices write it - "1.234,50 €", "1234.5", "EUR 12 000" - in whole euros,
    and whether cents were rounded away (the outcome counts those: never silently)."""
    cleaned = text.replace("€", "").replace("EUR", "").replace("\u00a0", " ").strip()
    if not cleaned or not _MONEY.match(cleaned) or not any(ch.isdigit() for ch in cleaned):
        raise ValueError(f"„{text.strip()[:40]}“ ist kein Betrag (z. B. 1.234,50 €).")
    digits = cleaned.replace(" ", "").replace("'", "")
    comma, dot = digits.rfind(","), digits.rfind(".")
    if comma >= 0 and dot >= 0:  # the later one separates the cents
        thousands, decimal = (".", ",") if comma > dot else (",", ".")
    elif comma >= 0:
        thousands, decimal = ("", ",") if digits.count(",") == 1 else (",", "")
    elif dot >= 0:
        # "1.234" and "1.234.567" are German thousands; "1234.5" and "12.50" are decimals.
        single_group = digits.count(".") == 1 and len(digits) - dot - 1 != 3
        thousands, decimal = ("", ".") if single_group else (".", "")
    else:
        thousands, decimal = "", ""
    if thousands:
        digits = digits.replace(thousands, "")
    if decimal:
        if digits.count(decimal) > 1:
            raise ValueError(f"„{text.strip()[:40]}“ ist kein Betrag (z. B. 1.234,50 €).")
        digits = digits.replace(decimal, ".")
    try:
        amount = Decimal(digits)
    except InvalidOperation:
        raise ValueError(f"„{text.strip()[:40]}“ ist kein Betrag (z. B. 1.234,50 €).") from None
    whole = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if not 0 <= whole <= MAX_VALUE:
        raise ValueError("muss zwischen 0 und 1.000.000.000 liegen.")
    return whole, whole != amount


_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?:[ ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def parse_moment(text: str) -> datetime:
    """A date or moment as "31.12.2026", "31.12.26 14:30", "2026-12-31" or ISO with a time."""
    cleaned = text.strip()
    german = _GERMAN_DATE.match(cleaned)
    try:
        if german:
            day, month, year, hour, minute, second = german.groups()
            full_year = int(year) + 2000 if len(year) == 2 else int(year)
            return datetime(full_year, int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"„{cleaned[:40]}“ ist kein Datum (z. B. 31.12.2026 oder 2026-12-31).") from None
    if moment.tzinfo is not None:  # stored as UTC without a zone, as every moment is
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def day_start(day: date) -> datetime:
    return datetime.combine(day, time())


# Two leads are one when one of these keys matches (rule 19), checked in this order.
RULES = {"email": "E-Mail", "phone": "Telefon", "firm": "Firma und Ort"}
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "á": "a", "à": "a"})


def email_key(email: str) -> str:
    return email.strip().casefold()


_SEPARATORS = re.compile(r"[ ./-]")
GERMAN_PREFIXES = ("+49", "0049", "0")


def phone_key(phone: str) -> str:
    """A phone number in E.164, German numbers without a country code as +49: "0711 123-45",
    "+49 711 12345" and "0049711 12345" are one number. "" when it is none.

    The German numbers most files hold are read directly - what phonenumbers makes of them
    (tests/test_import.py compares both), at a tenth of its time; every other one it parses."""
    digits = _SEPARATORS.sub("", phone.strip())
    for prefix in GERMAN_PREFIXES:
        if digits.startswith(prefix):
            national = digits[len(prefix) :]
            if national.isascii() and national.isdigit() and national[:1] != "0" and 5 <= len(national) <= 13:
                return f"+49{national}"
            break
    return _parsed_phone_key(phone)


def _parsed_phone_key(phone: str) -> str:
    if sum(ch.isdigit() for ch in phone) < 5:
        return ""
    import phonenumbers  # 23 ms; the app's start needs none of it

    try:
        number = phonenumbers.parse(phone, "DE")
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def name_key(text: str) -> str:
    return "".join(ch for ch in text.casefold().translate(_UMLAUTS) if ch.isalnum())


def firm_key(prospect: str, city: str) -> str:
    """Firm and city as compared: "Müller GmbH, 70173 Stuttgart" = "mueller gmbh, Stuttgart"."""
    firm = name_key(prospect)
    place = name_key(city.lstrip("0123456789 "))
    return f"{firm}|{place}" if firm and place else ""


def match_keys(email: str, phone: str, prospect: str, city: str) -> dict[str, str]:
    """The keys a lead is found by (empty ones left out)."""
    keys = {"email": email_key(email), "phone": phone_key(phone), "firm": firm_key(prospect, city)}
    return {rule: key for rule, key in keys.items() if key}
