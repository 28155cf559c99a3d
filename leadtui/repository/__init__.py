"""The one way in and out of lead data, bound to one acting colleague.

`Repository` is the facade the UI and the CLI hold (and the server will serve): one object bound
to one colleague. Behind it, small services share one `Session` (who acts, the backend, the
transactions) and call each other's public methods: lists, assignments, journal, leads, offers,
colleagues, settings, notifications (with the delivery every write uses). Each public operation
takes ids and values and returns frozen domain values, never ORM objects or anything of the UI.

Every statement is scoped to the acting colleague's company; the scope guard (`guard.py`)
refuses one that is not. Writes are short transactions; assignments carry a version so a stale
write becomes a `Conflict`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import Engine

from leadtui.domain import (
    Assignment,
    AssignmentReason,
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
from leadtui.domain.imports import ImportBatch, ImportFile, ImportOptions, ImportOutcome, ImportProgress, UndoneImport
from leadtui.domain.ingest import ApiKey, IngestAnswer, IngestLine, NewApiKey
from leadtui.domain.windows import Window
from leadtui.repository.api_keys import ApiKeys
from leadtui.repository.assignments import Assignments
from leadtui.repository.changes import POLL_S, ChangeFeed
from leadtui.repository.colleagues import Colleagues
from leadtui.repository.due import DueWork
from leadtui.repository.imports import Imports
from leadtui.repository.invitations import Invitations
from leadtui.repository.journal import Journal
from leadtui.repository.leads import Leads
from leadtui.repository.lists import Lists
from leadtui.repository.notifications import Delivery, Notifications
from leadtui.repository.offers import Offers
from leadtui.repository.partner_numbers import PartnerFigures
from leadtui.repository.session import Clock, Session, colleague_for_email, utcnow
from leadtui.repository.settings import Settings


class Repository:
    """Lead data as one colleague of one company sees and changes it."""

    def __init__(self, engine: Engine, colleague_id: int, clock: Clock = utcnow):
        self.session = session = Session(engine, colleague_id, clock)
        self.me: Colleague = session.me
        self.company: Company = session.company
        delivery = Delivery(session)
        self._lists = Lists(session)
        self._assignments = Assignments(session, delivery)
        self._journal = Journal(session, delivery)
        self._leads = Leads(session, self._assignments, self._journal)
        self._offers = Offers(session, self._assignments, delivery)
        self._partner_figures = PartnerFigures(session)
        self._colleagues = Colleagues(session)
        self._settings = Settings(session)
        self._notifications = Notifications(session)
        self._invitations = Invitations(session)
        self._imports = Imports(session, self._assignments, self._journal, delivery)
        self._api_keys = ApiKeys(session)

    @classmethod
    def for_email(cls, engine: Engine, email: str, clock: Clock = utcnow) -> Repository:
        return cls(engine, colleague_for_email(engine, email), clock)

    @property
    def company_id(self) -> int:
        return self.company.id

    def today(self) -> date:
        return self.session.today()

    def now(self) -> datetime:
        return self.session.clock()

    def run_due_work(self) -> None:
        DueWork(self.session.engine, self.session.clock).run()

    def feed(self, poll_s: float = POLL_S) -> ChangeFeed:
        """A feed of the own company's changes, on a connection of its own (close it)."""
        return ChangeFeed(self.session, poll_s)

    # Lists
    def count(self, query: ListQuery) -> int:
        return self._lists.count(query)

    def counts(self) -> dict[ListKind, int]:
        return self._lists.counts()

    def rows(self, query: ListQuery, offset: int, limit: int, total: int | None = None) -> list[LeadRow]:
        return self._lists.rows(query, offset, limit, total)

    def first_window(self, query: ListQuery, limit: int) -> ListWindow:
        return self._lists.first_window(query, limit)

    # Leads and their journal
    def lead(self, lead_id: int) -> LeadDetail:
        return self._leads.lead(lead_id)

    def create_lead(self, new: NewLead, *, for_colleague: int | None = None, unassigned: bool = False) -> LeadDetail:
        return self._leads.create_lead(new, for_colleague=for_colleague, unassigned=unassigned)

    def edit_lead(self, lead_id: int, edited: NewLead, expected_version: int, seen: NewLead) -> int:
        return self._journal.edit_lead(lead_id, edited, expected_version, seen)

    def add_note(self, lead_id: int, text: str) -> JournalEntry:
        return self._journal.add_note(lead_id, text)

    def add_task(self, lead_id: int, title: str, due: date | None) -> JournalEntry:
        return self._journal.add_task(lead_id, title, due)

    def complete_task(self, entry_id: int, done: bool = True) -> None:
        self._journal.complete_task(entry_id, done)

    # Assignments
    def assignment(self, lead_id: int) -> Assignment:
        return self._assignments.assignment(lead_id)

    def assign(
        self,
        lead_id: int,
        colleague_id: int | None,
        expected_version: int,
        reason: AssignmentReason = AssignmentReason.MANUAL,
    ) -> Assignment:
        return self._assignments.assign(lead_id, colleague_id, expected_version, reason)

    def assign_many(self, versions: Mapping[int, int], colleague_id: int | None) -> BulkResult:
        return self._assignments.assign_many(versions, colleague_id)

    def undo_assignments(self, previous: Mapping[int, tuple[int, int | None]]) -> BulkResult:
        return self._assignments.undo_assignments(previous)

    def orphaned_count(self, colleague_id: int) -> int:
        return self._assignments.orphaned_count(colleague_id)

    def hand_over(self, from_colleague_id: int, to_colleague_id: int) -> int:
        return self._assignments.hand_over(from_colleague_id, to_colleague_id)

    # Lead offers
    def offer(
        self, lead_id: int, partner_company_id: int, window: Window | None = None, then: tuple[int, ...] = ()
    ) -> ShareInfo:
        return self._offers.offer(lead_id, partner_company_id, window, then)

    def accept_offer(self, share_id: int) -> Assignment:
        return self._offers.accept_offer(share_id)

    def decline_offer(self, share_id: int, decline: Decline) -> None:
        self._offers.decline_offer(share_id, decline)

    def offer_many(
        self,
        lead_ids: tuple[int, ...],
        partner_company_id: int,
        window: Window | None = None,
        then: tuple[int, ...] = (),
    ) -> PassedOn:
        return self._offers.offer_many(lead_ids, partner_company_id, window, then)

    def withdraw_offers(self, share_ids: tuple[int, ...]) -> BulkResult:
        return self._offers.withdraw_offers(share_ids)

    def decide_offers(self, share_ids: tuple[int, ...], accept: bool, decline: Decline | None = None) -> DecidedOffers:
        return self._offers.decide_offers(share_ids, accept, decline)

    def reopen_offer(self, share_id: int) -> None:
        self._offers.reopen_offer(share_id)

    def reopen_offers(self, share_ids: tuple[int, ...]) -> BulkResult:
        return self._offers.reopen_offers(share_ids)

    # Imports
    def import_leads(self, file: ImportFile, options: ImportOptions, dry_run: bool = True) -> ImportOutcome:
        return self._imports.import_leads(file, options, dry_run)

    def import_progress(self) -> ImportProgress | None:
        return self._imports.progress

    def import_batches(self) -> list[ImportBatch]:
        return self._imports.import_batches()

    def ingest_leads(self, lines: list[IngestLine], options: ImportOptions) -> list[IngestAnswer]:
        return self._imports.ingest_leads(lines, options)

    def undo_import(self, batch_id: int) -> UndoneImport:
        return self._imports.undo_import(batch_id)

    def create_api_key(self, name: str) -> NewApiKey:
        return self._api_keys.create_api_key(name)

    def api_keys(self) -> list[ApiKey]:
        return self._api_keys.api_keys()

    def revoke_api_key(self, key_id: int) -> None:
        self._api_keys.revoke_api_key(key_id)

    # Colleagues and partners
    def colleagues(self, include_inactive: bool = False) -> list[Colleague]:
        return self._colleagues.colleagues(include_inactive)

    def workload(self, include_inactive: bool = False) -> list[Workload]:
        return self._colleagues.workload(include_inactive)

    def partner_numbers(self) -> list[PartnerNumbers]:
        return self._partner_figures.partner_numbers()

    def set_partner_window(self, partner_company_id: int, hours: int | None) -> None:
        self._offers.set_partner_window(partner_company_id, hours)

    def partners(self) -> list[Partner]:
        return self._colleagues.partners()

    def set_offer_receiver(self, colleague_id: int, receives: bool) -> None:
        self._colleagues.set_offer_receiver(colleague_id, receives)

    def deactivate(self, colleague_id: int) -> None:
        self._colleagues.deactivate(colleague_id)

    def activate(self, colleague_id: int) -> None:
        self._colleagues.activate(colleague_id)

    def invite(self, name: str, email: str, admin: bool = False) -> Invitation:
        return self._invitations.invite(name, email, admin)

    # Settings and notifications
    def setting(self, key: str, default: str | None = None) -> str | None:
        return self._settings.setting(key, default)

    def save_setting(self, key: str, value: str) -> None:
        self._settings.save_setting(key, value)

    def notifications(self, offset: int = 0, limit: int = 200) -> list[Notification]:
        return self._notifications.notifications(offset, limit)

    def unread_count(self) -> int:
        return self._notifications.unread_count()

    def digest_leads(self, notification_id: int) -> list[int]:
        return self._notifications.digest_leads(notification_id)

    def mark_read(self, notification_ids: list[int], read: bool = True) -> None:
        self._notifications.mark_read(notification_ids, read)

    def mark_all_read(self) -> int:
        return self._notifications.mark_all_read()

    def notification_preferences(self) -> dict[NotificationKind, bool]:
        return self._notifications.notification_preferences()

    def save_notification_preferences(self, wanted: dict[NotificationKind, bool]) -> None:
        self._notifications.save_notification_preferences(wanted)


__all__ = ["Repository", "utcnow"]
