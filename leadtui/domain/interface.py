"""The repository interface the UI holds: the local repository or the remote one.

The UI does not know which it has. The local `leadtui.repository.Repository` works on the
database directly; `leadtui.remote.RemoteRepository` asks a `leadtui serve` over HTTPS and serves
the same operations with the same domain values and errors. The server publishes exactly the
operations `OPERATIONS` lists, with the signatures below: this protocol is the one list of them,
read by the server to build its routes and by the remote repository to build its calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Protocol

from leadtui.domain.imports import ImportBatch, ImportFile, ImportOptions, ImportOutcome, ImportProgress, UndoneImport
from leadtui.domain.ingest import ApiKey, IngestAnswer, IngestLine, NewApiKey
from leadtui.domain.values import (
    Assignment,
    BulkResult,
    Colleague,
    Company,
    DecidedOffers,
    Decline,
    Invitation,
    JournalEntry,
    LeadDetail,
    LeadRow,
    ListKind,
    ListQuery,
    ListWindow,
    NewLead,
    Notification,
    NotificationKind,
    Partner,
    PartnerNumbers,
    PassedOn,
    ShareInfo,
    Workload,
)
from leadtui.domain.windows import Window


class Feed(Protocol):
    """What the app watches: `wait` says within `timeout` seconds whether anything changed."""

    def wait(self, timeout: float) -> bool: ...

    def close(self) -> None: ...


MAX_WINDOW = 5000  # the most rows one read returns; an export reads pages of this size


class Operations(Protocol):
    """Everything a colleague does with lead data; each is one request to a server."""

    # Lists
    def count(self, query: ListQuery) -> int: ...

    def counts(self) -> dict[ListKind, int]: ...

    def rows(self, query: ListQuery, offset: int, limit: int, total: int | None = None) -> list[LeadRow]:
        """At most MAX_WINDOW rows, whatever `limit` asks (one request must stay one bounded
        read for the server)."""
        ...

    def first_window(self, query: ListQuery, limit: int) -> ListWindow: ...

    # Leads and their journal
    def lead(self, lead_id: int) -> LeadDetail: ...

    def create_lead(
        self, new: NewLead, *, for_colleague: int | None = None, unassigned: bool = False
    ) -> LeadDetail: ...

    def edit_lead(self, lead_id: int, edited: NewLead, expected_version: int, seen: NewLead) -> int: ...

    def add_note(self, lead_id: int, text: str) -> JournalEntry: ...

    def add_task(self, lead_id: int, title: str, due: date | None) -> JournalEntry: ...

    def complete_task(self, entry_id: int, done: bool = True) -> None: ...

    # Assignments
    def assignment(self, lead_id: int) -> Assignment: ...

    def assign(self, lead_id: int, colleague_id: int | None, expected_version: int) -> Assignment: ...

    def assign_many(self, versions: Mapping[int, int], colleague_id: int | None) -> BulkResult: ...

    def undo_assignments(self, previous: Mapping[int, tuple[int, int | None]]) -> BulkResult: ...

    def orphaned_count(self, colleague_id: int) -> int: ...

    def hand_over(self, from_colleague_id: int, to_colleague_id: int) -> int: ...

    # Lead offers
    def offer(
        self, lead_id: int, partner_company_id: int, window: Window | None = None, then: tuple[int, ...] = ()
    ) -> ShareInfo:
        """`window` None: the partnership's default response window (rule 24); `then`: the
        partners the lead goes to next if the offer is declined or expires (rule 25)."""
        ...

    def offer_many(
        self,
        lead_ids: tuple[int, ...],
        partner_company_id: int,
        window: Window | None = None,
        then: tuple[int, ...] = (),
    ) -> PassedOn: ...

    def withdraw_offers(self, share_ids: tuple[int, ...]) -> BulkResult: ...

    def accept_offer(self, share_id: int) -> Assignment: ...

    def decline_offer(self, share_id: int, decline: Decline) -> None: ...

    def decide_offers(
        self, share_ids: tuple[int, ...], accept: bool, decline: Decline | None = None
    ) -> DecidedOffers: ...

    def reopen_offer(self, share_id: int) -> None: ...

    def reopen_offers(self, share_ids: tuple[int, ...]) -> BulkResult: ...

    # Imports
    def import_leads(self, file: ImportFile, options: ImportOptions, dry_run: bool = True) -> ImportOutcome: ...

    def import_progress(self) -> ImportProgress | None:
        """How far the acting colleague's import under way is (None: none is, or it runs in
        another server process). Asked while `import_leads` writes, from another thread."""
        ...

    def import_batches(self) -> list[ImportBatch]: ...

    def ingest_leads(self, lines: list[IngestLine], options: ImportOptions) -> list[IngestAnswer]:
        """At most MAX_LINES lines (domain/ingest.py), one answer each."""
        ...

    def undo_import(self, batch_id: int) -> UndoneImport: ...

    def create_api_key(self, name: str) -> NewApiKey: ...

    def api_keys(self) -> list[ApiKey]: ...

    def revoke_api_key(self, key_id: int) -> None: ...

    # Colleagues and partners
    def colleagues(self, include_inactive: bool = False) -> list[Colleague]: ...

    def workload(self, include_inactive: bool = False) -> list[Workload]: ...

    def partners(self) -> list[Partner]: ...

    def partner_numbers(self) -> list[PartnerNumbers]:
        """How each partner answered the own company's offers (company figures only)."""
        ...

    def set_partner_window(self, partner_company_id: int, hours: int | None) -> None:
        """(Admins) the response window the own company's offers to a partner get by default."""
        ...

    def set_offer_receiver(self, colleague_id: int, receives: bool) -> None:
        """(Admins) whether a colleague of the own company is told of new lead offers."""
        ...

    def deactivate(self, colleague_id: int) -> None: ...

    def activate(self, colleague_id: int) -> None: ...

    def invite(self, name: str, email: str, admin: bool = False) -> Invitation: ...

    # Settings and notifications
    def setting(self, key: str, default: str | None = None) -> str | None: ...

    def save_setting(self, key: str, value: str) -> None: ...

    def notifications(self, offset: int = 0, limit: int = 200) -> list[Notification]: ...

    def unread_count(self) -> int: ...

    def digest_leads(self, notification_id: int) -> list[int]:
        """The leads a digest of assignments to me was about that are still mine."""
        ...

    def mark_read(self, notification_ids: list[int], read: bool = True) -> None: ...

    def mark_all_read(self) -> int: ...

    def notification_preferences(self) -> dict[NotificationKind, bool]: ...

    def save_notification_preferences(self, wanted: dict[NotificationKind, bool]) -> None: ...


class LeadRepository(Operations, Protocol):
    """Lead data as one colleague of one company sees and changes it, wherever it is stored."""

    me: Colleague
    company: Company

    def today(self) -> date:
        """The day as the data's clock has it (what "due" and "overdue" count from)."""
        ...

    def now(self) -> datetime:
        """The moment as the data's clock has it (what response windows count down on)."""
        ...

    def run_due_work(self) -> None:
        """Carry out what is due by now - expiries and reminders of lead offers (rule 24) - where
        the data is: the local repository does it; for a remote one the server does."""
        ...

    def feed(self) -> Feed:
        """A feed of the own company's changes (close it)."""
        ...


# The operations in the order above, which is also the order of the server's routes.
OPERATIONS: tuple[str, ...] = tuple(name for name in Operations.__dict__ if not name.startswith("_"))
# Those that only read: asked again once when the connection broke under them (a server process
# that ended, a proxy that restarted); a write is never sent twice.
READS = frozenset(
    {
        "count",
        "counts",
        "rows",
        "first_window",
        "lead",
        "assignment",
        "orphaned_count",
        "import_progress",
        "import_batches",
        "api_keys",
        "colleagues",
        "workload",
        "partners",
        "partner_numbers",
        "setting",
        "notifications",
        "unread_count",
        "digest_leads",
        "notification_preferences",
    }
)
