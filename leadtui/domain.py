"""Plain values and errors shared by every layer.

Nothing here knows about SQLAlchemy or Textual: the repository returns these values, the UI and
the CLI show them. All values are frozen so a screen can never mutate what it was handed.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime


class LeadStatus(str, enum.Enum):
    NEW = "neu"
    IN_PROGRESS = "in Bearbeitung"
    WON = "gewonnen"
    LOST = "verloren"


class ShareStatus(str, enum.Enum):
    OFFERED = "angeboten"
    ACCEPTED = "angenommen"
    DECLINED = "abgelehnt"


class AssignmentReason(str, enum.Enum):
    """Why an assignment changed; kept in the company's private history."""

    MANUAL = "manual"
    CREATED = "created"
    OFFER_ACCEPTED = "offer_accepted"
    BULK = "bulk"
    HANDOVER = "handover"

    @property
    def label(self) -> str:
        return {
            "manual": "zugewiesen",
            "created": "bei Anlage",
            "offer_accepted": "Leadangebot angenommen",
            "bulk": "Sammelzuweisung",
            "handover": "Übergabe (deaktiviert)",
        }[self.value]


class ListKind(str, enum.Enum):
    """The lead lists of the navigation, in their order (keys 1-6)."""

    ALL = "all"
    MINE = "mine"
    UNASSIGNED = "unassigned"
    ORPHANED = "orphaned"
    PASSED_ON = "passed_on"
    OFFERS = "offers"

    @property
    def label(self) -> str:
        return LIST_LABELS[self]

    @property
    def empty_text(self) -> str:
        return LIST_EMPTY_TEXTS[self]


LIST_LABELS = {
    ListKind.ALL: "Alle Leads",
    ListKind.MINE: "Meine Leads",
    ListKind.UNASSIGNED: "Nicht zugewiesen",
    ListKind.ORPHANED: "Verwaist",
    ListKind.PASSED_ON: "Weitergegeben",
    ListKind.OFFERS: "Leadangebote",
}

LIST_EMPTY_TEXTS = {
    ListKind.ALL: "Noch keine Leads – mit n legen Sie einen an.",
    ListKind.MINE: "Keine Leads zugewiesen.",
    ListKind.UNASSIGNED: "Alle Leads sind zugewiesen.",
    ListKind.ORPHANED: "Keine verwaisten Leads – kein Lead ist einem inaktiven Kollegen zugewiesen.",
    ListKind.PASSED_ON: "Keine Leads weitergegeben.",
    ListKind.OFFERS: "Keine offenen Leadangebote.",
}


class SortKey(str, enum.Enum):
    """Columns a lead list can be sorted by."""

    TITLE = "title"
    PROSPECT = "prospect"
    CITY = "city"
    STATUS = "status"
    VALUE = "value"
    CREATED = "created"
    COLLEAGUE = "colleague"


@dataclass(frozen=True)
class ListQuery:
    """What a lead list shows: a kind, an optional search and colleague filter, a sort."""

    kind: ListKind = ListKind.ALL
    search: str = ""
    colleague_id: int | None = None
    sort: SortKey = SortKey.CREATED
    descending: bool = True


@dataclass(frozen=True)
class Company:
    id: int
    name: str


@dataclass(frozen=True)
class Colleague:
    id: int
    company_id: int
    name: str
    email: str
    active: bool

    @property
    def display_name(self) -> str:
        return self.name if self.active else f"{self.name} (inaktiv)"


@dataclass(frozen=True)
class Assignee:
    """The colleague a lead is assigned to, as seen inside the acting company."""

    id: int
    name: str
    active: bool

    @property
    def display_name(self) -> str:
        return self.name if self.active else f"{self.name} (inaktiv)"


@dataclass(frozen=True)
class Assignment:
    """The acting company's assignment of one lead; `version` guards against lost updates."""

    lead_id: int
    assignee: Assignee | None
    version: int


@dataclass(frozen=True)
class LeadRow:
    """One line of a lead list. For offers `share_id`/`partner_name` describe the offer."""

    id: int
    title: str
    prospect: str
    city: str
    status: LeadStatus
    value: int | None
    created_at: datetime
    assignee: Assignee | None
    version: int
    share_id: int | None = None
    partner_name: str | None = None
    share_status: ShareStatus | None = None


@dataclass(frozen=True)
class ShareInfo:
    """How a lead travelled between companies, from the acting company's point of view."""

    share_id: int
    principal_name: str
    partner_name: str
    status: ShareStatus
    outgoing: bool

    @property
    def label(self) -> str:
        if self.outgoing:
            return f"Weitergegeben an {self.partner_name} – {self.status.value}"
        return f"Von {self.principal_name}"


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    from_name: str | None
    to_name: str | None
    by_name: str
    reason: AssignmentReason


@dataclass(frozen=True)
class LeadDetail:
    id: int
    title: str
    prospect: str
    contact: str
    email: str
    phone: str
    city: str
    status: LeadStatus
    value: int | None
    source: str
    created_at: datetime
    updated_at: datetime
    owner_name: str
    visible: bool
    assignment: Assignment | None
    shares: tuple[ShareInfo, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    pending_offer_id: int | None = None


@dataclass(frozen=True)
class NewLead:
    """A lead as typed into the form; `validate` returns field -> message for what is wrong."""

    title: str
    prospect: str = ""
    contact: str = ""
    email: str = ""
    phone: str = ""
    city: str = ""
    status: LeadStatus = LeadStatus.NEW
    value: int | None = None
    source: str = "manuell"

    def validate(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if not self.title.strip():
            errors["title"] = "Titel ist erforderlich."
        elif len(self.title) > 200:
            errors["title"] = "Titel ist zu lang (höchstens 200 Zeichen)."
        if self.email and not EMAIL_RE.fullmatch(self.email.strip()):
            errors["email"] = "Keine gültige E-Mail-Adresse."
        if self.value is not None and not (0 <= self.value <= 1_000_000_000):
            errors["value"] = "Wert muss zwischen 0 und 1.000.000.000 liegen."
        return errors


EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


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


@dataclass(frozen=True)
class BulkResult:
    assigned: int
    conflicts: tuple[int, ...] = field(default_factory=tuple)


# --- errors -------------------------------------------------------------------------------


class LeadtuiError(Exception):
    """Base of every error a user may see; its message is German and fit for a toast."""


class NotFound(LeadtuiError):
    pass


class NotAssignable(LeadtuiError):
    pass


class Conflict(LeadtuiError):
    """Somebody changed the assignment meanwhile; `current` is the own company's current state."""

    def __init__(self, current: Assignment):
        self.current = current
        who = current.assignee.display_name if current.assignee else "niemandem"
        super().__init__(f"Inzwischen geändert: der Lead ist jetzt {who} zugewiesen.")


class AlreadyDecided(LeadtuiError):
    pass


class InvalidInput(LeadtuiError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


class AccessDenied(LeadtuiError):
    pass


class StorageError(LeadtuiError):
    """The database failed (unreachable, locked, broken); nothing was written."""
