"""Plain values shared by every layer: what the repository returns and the UI shows.

All values are frozen so a screen can never mutate what it was handed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TypeVar

from leadtui.domain.errors import InvalidInput
from leadtui.domain.fields import EMAIL_RE, LEAD_FIELDS, checked

UNKNOWN = "unbekannt"
UNKNOWN_STATUS = "unbekannter Status"
E = TypeVar("E", bound=enum.Enum)


def decoded(kind: type[E], stored: object) -> E | None:
    """A stored value as `kind`, or None when it is none of them (an old version, a bug or a
    person with SQL wrote it): one such row shows as a placeholder, never breaks a list."""
    try:
        return kind(stored)
    except ValueError:
        return None


class LeadStatus(str, enum.Enum):
    NEW = "neu"
    IN_PROGRESS = "in Bearbeitung"
    WON = "gewonnen"
    LOST = "verloren"


def status_label(status: LeadStatus | None) -> str:
    return UNKNOWN_STATUS if status is None else status.value


class ShareStatus(str, enum.Enum):
    OFFERED = "angeboten"
    ACCEPTED = "angenommen"
    DECLINED = "abgelehnt"
    WITHDRAWN = "zurückgezogen"  # by the principal while it was pending (rule 22)
    EXPIRED = "abgelaufen"  # its response window ended undecided (rule 24)

    @property
    def open_again(self) -> bool:
        """Whether the principal may offer the lead to that partner again."""
        return self in (ShareStatus.DECLINED, ShareStatus.WITHDRAWN, ShareStatus.EXPIRED)


class DeclineReason(str, enum.Enum):
    """Why a partner declined a lead offer (rule 23): its principal learns it, nobody else. The
    order is the order of the keys 1-5 in the dialog."""

    NO_CAPACITY = "keine_kapazitaet"
    OUTSIDE_AREA = "ausserhalb_gebiet"
    NO_NEED = "kein_bedarf"
    DUPLICATE = "dublette"
    OTHER = "sonstiges"  # with a short text

    @property
    def label(self) -> str:
        return {
            "keine_kapazitaet": "keine Kapazität",
            "ausserhalb_gebiet": "außerhalb unseres Gebiets",
            "kein_bedarf": "kein Bedarf beim Kunden",
            "dublette": "Dublette",
            "sonstiges": "Sonstiges",
        }[self.value]


@dataclass(frozen=True)
class Decline:
    """A partner's reason for declining, as the principal reads it: "Sonstiges" with its text."""

    reason: DeclineReason
    text: str = ""

    @property
    def label(self) -> str:
        return f"{self.reason.label}: {self.text}" if self.text else self.reason.label


def stored_decline(reason: object, text: object) -> Decline | None:
    """A declined offer's stored reason; one we cannot read shows as "Sonstiges: unbekannt"."""
    if reason is None:
        return None
    known = decoded(DeclineReason, reason)
    if known is None:
        return Decline(DeclineReason.OTHER, UNKNOWN)
    return Decline(known, str(text) if text is not None else "")


class AssignmentReason(str, enum.Enum):
    """Why an assignment changed; kept in the company's private history."""

    MANUAL = "manual"
    CREATED = "created"
    OFFER_ACCEPTED = "offer_accepted"
    BULK = "bulk"
    HANDOVER = "handover"
    UNDO = "undo"
    IMPORTED = "imported"

    @property
    def label(self) -> str:
        return {
            "manual": "zugewiesen",
            "created": "bei Anlage",
            "offer_accepted": "Leadangebot angenommen",
            "bulk": "Sammelzuweisung",
            "handover": "Übergabe (deaktiviert)",
            "undo": "rückgängig gemacht",
            "imported": "beim Import",
        }[self.value]


class ListKind(str, enum.Enum):
    """The lead lists of the navigation, in their order (keys 1-7)."""

    ALL = "all"
    MINE = "mine"
    UNASSIGNED = "unassigned"
    ORPHANED = "orphaned"
    PASSED_ON = "passed_on"
    OFFERS = "offers"
    DUE = "due"  # my leads with an open task due today or before

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
    ListKind.DUE: "Fällige Aufgaben",
}

LIST_EMPTY_TEXTS = {
    ListKind.ALL: "Noch keine Leads – mit n legen Sie einen an.",
    ListKind.MINE: "Keine Leads zugewiesen.",
    ListKind.UNASSIGNED: "Alle Leads sind zugewiesen.",
    ListKind.ORPHANED: "Keine verwaisten Leads – kein Lead ist einem inaktiven Kollegen zugewiesen.",
    ListKind.PASSED_ON: "Keine Leads weitergegeben.",
    ListKind.OFFERS: "Keine offenen Leadangebote.",
    ListKind.DUE: "Keine fälligen Aufgaben – bei Ihren Leads ist heute nichts offen.",
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
    ARRIVED = "arrived"  # when a lead offer came in (Leadangebote; the other lists have none)
    DEADLINE = "deadline"  # when an offer's response window ends (Leadangebote, Weitergegeben)
    DUE = "due"  # the next open task's due date (Fällige Aufgaben: the most overdue first)


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
class Partner:
    """A partner company the own company may pass leads on to, with the response window its
    offers get unless the colleague passing one on chooses another (rule 24; None: no deadline)."""

    id: int
    name: str
    window_hours: int | None = None


def shown_name(name: str, active: bool) -> str:
    """A colleague's name as lists and tiles show it: a deactivated one is marked."""
    return name if active else f"{name} (inaktiv)"


@dataclass(frozen=True)
class Colleague:
    id: int
    company_id: int
    name: str
    email: str
    active: bool
    is_admin: bool = False  # may invite, deactivate and reactivate colleagues
    receives_offers: bool = False  # is told of the company's new lead offers (rule 21)

    @property
    def display_name(self) -> str:
        return shown_name(self.name, self.active)


@dataclass(frozen=True)
class Workload:
    """A colleague's share of the company's leads: all, open (neu or in Bearbeitung), new, and
    those with an overdue task."""

    colleague: Colleague
    leads: int
    open: int
    new: int
    overdue: int = 0  # leads with an open task due before today


@dataclass(frozen=True)
class Assignee:
    """The colleague a lead is assigned to, as seen inside the acting company."""

    id: int
    name: str
    active: bool

    @property
    def display_name(self) -> str:
        return shown_name(self.name, self.active)


@dataclass(frozen=True)
class Assignment:
    """The acting company's assignment of one lead; `version` guards against lost updates."""

    lead_id: int
    assignee: Assignee | None
    version: int


@dataclass(frozen=True)
class LeadRow:
    """One line of a lead list. For offers `share_id`/`partner_name` describe the offer; `key`
    is what identifies the line in its list (the offer for lead offers, else the lead)."""

    key: int
    id: int
    title: str
    prospect: str
    city: str
    status: LeadStatus | None  # None: a stored status this leadtui cannot read (see `decoded`)
    value: int | None
    created_at: datetime | None
    assignee: Assignee | None
    version: int
    share_id: int | None = None
    partner_name: str | None = None
    share_status: ShareStatus | None = None
    next_due: date | None = None  # the earliest due date of the lead's open tasks
    offered_at: datetime | None = None  # offers and passed-on leads: when it was offered
    declined_because: Decline | None = None  # passed-on leads: the partner's reason (rule 23)
    deadline: datetime | None = None  # offers and passed-on leads: the end of the response window


@dataclass(frozen=True)
class ShareInfo:
    """How a lead travelled between companies, from the acting company's point of view."""

    share_id: int
    principal_name: str
    partner_name: str
    status: ShareStatus | None
    outgoing: bool
    partner_id: int
    declined_because: Decline | None = None  # the partner's reason, on the principal's side only
    deadline: datetime | None = None  # the end of the response window (rule 24)
    then: tuple[str, ...] = ()  # the principal's ladder after this offer (rule 25): partner names
    escalated: bool = False  # a ladder's step made this offer

    @property
    def label(self) -> str:
        window = ""
        if self.deadline is not None and self.status is ShareStatus.OFFERED:
            window = f", {'Frist' if self.outgoing else 'annehmbar'} bis {self.deadline:%d.%m.%Y %H:%M}"
        if self.outgoing:
            status = self.status.value if self.status else UNKNOWN
            reason = f": {self.declined_because.label}" if self.declined_because else ""
            then = f", danach {', '.join(self.then)}" if self.then else ""
            step = " (Eskalation)" if self.escalated else ""
            return f"Weitergegeben an {self.partner_name}{step} – {status}{reason}{window}{then}"
        return f"Von {self.principal_name}{window}"


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime | None
    from_name: str | None
    to_name: str | None
    by_name: str
    reason: AssignmentReason | None


class JournalKind(str, enum.Enum):
    NOTE = "note"
    TASK = "task"
    EVENT = "event"


@dataclass(frozen=True)
class JournalEntry:
    """A journal line as the acting company sees it: `author` is a colleague's name for the own
    company's entries and only the company's name for another company's (`own` says which)."""

    id: int
    kind: JournalKind | None
    at: datetime | None
    author: str
    own: bool
    text: str
    due: date | None = None
    done: bool = False
    done_by: str | None = None

    def overdue(self, today: date) -> bool:
        return self.kind is JournalKind.TASK and not self.done and self.due is not None and self.due <= today


class NotificationKind(str, enum.Enum):
    """What a colleague can be notified of; each can be turned off (rule 16)."""

    ASSIGNED = "assigned"
    NOTE = "note"
    TASK = "task"
    CHANGE = "change"
    OFFER = "offer"  # to the colleagues who receive the company's lead offers (rule 21)
    DECLINED = "declined"  # to the colleague who passed a lead on: the partner's reason (rule 23), an expiry (24)

    @property
    def label(self) -> str:
        return {
            "assigned": "Leads, die mir zugewiesen werden",
            "note": "Notizen anderer zu meinen Leads",
            "task": "Aufgaben anderer zu meinen Leads (neu und erledigt)",
            "change": "Status- und Datenänderungen anderer an meinen Leads",
            "offer": "Neue Leadangebote und Fristerinnerungen",
            "declined": "Ablehnungen und Fristabläufe meiner Leadangebote",
        }[self.value]


@dataclass(frozen=True)
class Notification:
    id: int
    kind: NotificationKind | None
    text: str
    lead_id: int | None
    count: int
    at: datetime | None
    read: bool


# What a company that holds a lead it does not own (a partner) may change: it works the lead's
# status and contact; its origin (title, firm, city, value, source) is the owner's (rule 12).
PARTNER_EDITABLE = frozenset({"status", "contact", "email", "phone"})
EDITABLE_FIELDS = ("title", "prospect", "contact", "email", "phone", "city", "status", "value")  # form order
OWNER_EDITABLE = frozenset(EDITABLE_FIELDS)


@dataclass(frozen=True)
class LeadDetail:
    id: int
    title: str
    prospect: str
    contact: str
    email: str
    phone: str
    city: str
    status: LeadStatus | None
    value: int | None
    source: str
    created_at: datetime | None
    updated_at: datetime | None
    owner_name: str
    visible: bool
    assignment: Assignment | None
    shares: tuple[ShareInfo, ...] = ()
    history: tuple[HistoryEntry, ...] = ()
    pending_offer_id: int | None = None
    offer_deadline: datetime | None = None  # a pending offer: until when it can be accepted (rule 24)
    contact_hidden: bool = False  # a pending offer: contact, e-mail and phone come with acceptance (rule 26)
    version: int = 1
    owned: bool = True  # the own company owns the lead (else it holds it as a partner)
    journal: tuple[JournalEntry, ...] = ()

    @property
    def editable(self) -> frozenset[str]:
        if not self.visible:
            return frozenset()
        return OWNER_EDITABLE if self.owned else PARTNER_EDITABLE


@dataclass(frozen=True)
class NewLead:
    """A lead as typed into the form; `checked` cleans it or says what is wrong, by field."""

    title: str
    prospect: str = ""
    contact: str = ""
    email: str = ""
    phone: str = ""
    city: str = ""
    status: LeadStatus = LeadStatus.NEW
    value: int | None = None
    source: str = "manuell"

    @classmethod
    def of(cls, lead: LeadDetail) -> NewLead:
        """A lead's data as the lead form holds it (what an edit starts from and is checked
        against)."""
        data = {key: getattr(lead, key) for key in (*LEAD_FIELDS, "value")}
        # A status this leadtui cannot read opens as "neu" and stays stored until one is chosen.
        return cls(**data, status=lead.status or LeadStatus.NEW)

    def checked(self) -> NewLead:
        """A copy with every text field cleaned; InvalidInput naming each bad field."""
        texts = {key: getattr(self, key) for key in LEAD_FIELDS}
        errors: dict[str, str] = {}
        try:
            texts = checked(texts, LEAD_FIELDS)
        except InvalidInput as invalid:
            errors.update(invalid.errors)
        if "email" not in errors and texts["email"] and not EMAIL_RE.fullmatch(texts["email"]):
            errors["email"] = "Keine gültige E-Mail-Adresse."
        if self.value is not None and not (0 <= self.value <= MAX_VALUE):
            errors["value"] = "Wert muss zwischen 0 und 1.000.000.000 liegen."
        if errors:
            raise InvalidInput(errors)
        return replace(self, **texts)


MAX_VALUE = 1_000_000_000


@dataclass(frozen=True)
class ListWindow:
    """What showing a list takes: every list's count (the navigation), the shown list's count
    (None while a search or filter is still to be counted) and its first rows."""

    counts: dict[ListKind, int]
    total: int | None
    first: list[LeadRow]


@dataclass(frozen=True)
class PassedOn:
    """Leads passed on to one partner at once: those offered now, and those skipped (offered to
    that partner already, or gone)."""

    partner: str
    offered: tuple[int, ...]
    skipped: tuple[int, ...] = ()
    shares: tuple[int, ...] = ()  # the offers made now (what withdrawing them, as an undo, takes)
    deadline: datetime | None = None  # when they stop being open (rule 24)


@dataclass(frozen=True)
class PartnerNumbers:
    """How one partner answered the own company's lead offers: company figures, never a
    colleague of the partner. `declined_by`: (reason, count), in the order of the reasons."""

    partner: str
    offered: int
    pending: int
    accepted: int
    declined: int
    expired: int
    withdrawn: int
    declined_by: tuple[tuple[str, int], ...] = ()
    median_accept_s: float | None = None  # the median time from offer to acceptance


@dataclass(frozen=True)
class DecidedOffers:
    """Offers settled in one go: the ones settled now (their share ids), and how many a
    colleague had settled first."""

    shares: tuple[int, ...]
    skipped: int


@dataclass(frozen=True)
class BulkResult:
    assigned: int
    conflicts: tuple[int, ...] = field(default_factory=tuple)
    # An undo leaves a lead where it is when its earlier colleague was deactivated since: the
    # leads, and those colleagues' names.
    kept: tuple[int, ...] = ()
    inactive: tuple[str, ...] = ()
    # What moved, as undo_assignments takes it back: (lead, the version it now has, assignee before).
    moved: tuple[tuple[int, int, int | None], ...] = ()

    def undo_targets(self) -> dict[int, tuple[int, int | None]]:
        return {lead_id: (version, before) for lead_id, version, before in self.moved}


@dataclass(frozen=True)
class Invitation:
    """What an admin hands a colleague so they can sign in to the server the first time: the
    code is shown this once (only its hash is kept) and works once, until `expires_at`."""

    colleague: Colleague
    code: str
    expires_at: datetime


@dataclass(frozen=True)
class SignedIn:
    """A session at a server: the token is shown this once (only its hash is kept)."""

    token: str
    colleague: Colleague
    company: Company
    expires_at: datetime
