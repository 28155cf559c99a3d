"""SQLAlchemy models: the schema the migrations create.

Every table says in its `info` whose rows it holds: a `scope` (the columns naming the owning
company or colleague) or `shared` (readable once reached through a scoped row). The repository's
scope guard refuses any statement that reaches a scoped table without the acting scope.

The heart is `company_leads`: one row per (company, lead) the company can see. Its existence is
visibility, its `colleague_id` is that company's private assignment. The composite foreign key
(colleague_id, company_id) -> colleagues(id, company_id) makes a cross-company assignment
impossible to write, whatever the code above does.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    case,
    false,
    literal_column,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from leadtui.domain.fields import COLLEAGUE_NAME, COMPANY_NAME, EMAIL, LEAD_FIELDS, NOTE, TASK
from leadtui.domain.values import Colleague

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class _Readable(TypeDecorator[Any]):
    """A date type whose stored value may be unreadable: SQLite keeps dates as text, and one
    row's "2026-02-30" or "garbage" must not fail the whole list - it reads as None, which the
    screens show as a placeholder (db/integrity.py keeps such values out in the first place;
    engine.py does the same for PostgreSQL's years past 9999)."""

    def result_processor(self, dialect: Dialect, coltype: Any) -> Any:
        inner = super().result_processor(dialect, coltype)
        if inner is None:
            return None

        def process(value: Any) -> Any:
            try:
                return inner(value)
            except (ValueError, TypeError, OverflowError):
                return None

        return process


class Moment(_Readable):
    impl = DateTime
    cache_ok = True


class Day(_Readable):
    impl = Date
    cache_ok = True


class CompanyModel(Base):
    __tablename__ = "companies"
    __table_args__ = ({"info": {"shared": True}},)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(COMPANY_NAME.limit), unique=True)


class ColleagueModel(Base):
    """A colleague of one company. `role` is "admin" (may invite, deactivate and reactivate
    colleagues) or "member"."""

    __tablename__ = "colleagues"
    __table_args__ = (
        UniqueConstraint("id", "company_id"),
        {"info": {"scope": {"company_id": "company"}}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(COLLEAGUE_NAME.limit))
    email: Mapped[str] = mapped_column(String(EMAIL.limit), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    role: Mapped[str] = mapped_column(String(10), default="member", server_default="member")
    # Told of the company's new lead offers: an admin's choice, or (NULL) as the company's
    # default has it - its admins (rule 21).
    offer_receiver: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


def colleague_of(row: Any) -> Colleague:
    """The domain value of a row of `colleagues` (any row with its columns)."""
    admin = row.role == "admin"
    receives = admin if row.offer_receiver is None else bool(row.offer_receiver)
    return Colleague(row.id, row.company_id, row.name, row.email, row.active, admin, receives)


class PartnershipModel(Base):
    __tablename__ = "partnerships"
    __table_args__ = (
        CheckConstraint("principal_id <> partner_id", name="not_self"),
        {"info": {"scope": {"principal_id": "company", "partner_id": "company"}}},
    )

    principal_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True, index=True)
    # The response window the principal's offers to this partner get by default (rule 24), in
    # hours; None: no deadline.
    window_hours: Mapped[int | None] = mapped_column(Integer, nullable=True)


MATCH_LIMIT = 700  # firm and city normalised: up to twice their 300 characters (ä → ae)


class LeadModel(Base):
    __tablename__ = "leads"
    __table_args__ = (
        Index("ix_leads_match_email", "match_email"),
        Index("ix_leads_match_phone", "match_phone"),
        Index("ix_leads_match_firm", "match_firm"),
        {"info": {"shared": True}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), index=True)
    title: Mapped[str] = mapped_column(String(LEAD_FIELDS["title"].limit))
    prospect: Mapped[str] = mapped_column(String(LEAD_FIELDS["prospect"].limit), default="")
    contact: Mapped[str] = mapped_column(String(LEAD_FIELDS["contact"].limit), default="")
    email: Mapped[str] = mapped_column(String(LEAD_FIELDS["email"].limit), default="")
    phone: Mapped[str] = mapped_column(String(LEAD_FIELDS["phone"].limit), default="")
    city: Mapped[str] = mapped_column(String(LEAD_FIELDS["city"].limit), default="")
    status: Mapped[str] = mapped_column(String(20), default="neu")
    value: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str] = mapped_column(String(LEAD_FIELDS["source"].limit), default="")
    # Case-folded title, prospect, contact and city: what "/" searches (see read_model.py).
    search_text: Mapped[str] = mapped_column(Text, default="")
    # What an import finds a duplicate by (domain/imports.py, rule 19): the e-mail, the phone
    # number in E.164 and firm with city, normalised; NULL where the lead has none.
    match_email: Mapped[str | None] = mapped_column(String(MATCH_LIMIT), nullable=True)
    match_phone: Mapped[str | None] = mapped_column(String(MATCH_LIMIT), nullable=True)
    match_firm: Mapped[str | None] = mapped_column(String(MATCH_LIMIT), nullable=True)
    created_at: Mapped[datetime] = mapped_column(Moment, index=True)
    updated_at: Mapped[datetime] = mapped_column(Moment)
    # Moves with every edit of the lead's data or status: a stale edit is refused, not applied.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


SORT_KEYS = ("created", "title", "prospect", "city", "value", "assignee")  # status: by its rank, below
# Statuses sort in the order of the work, not the alphabet: neu, in Bearbeitung, gewonnen,
# verloren, then a value we cannot read. Written with literal values, so the one expression is
# both the index's and the lists' ORDER BY (SQLite uses an expression index only then).
STATUS_WORK_ORDER = ("neu", "in Bearbeitung", "gewonnen", "verloren")


class CompanyLeadModel(Base):
    """A company's view of a lead: visibility, and its private assignment with a version.

    The sort_* columns copy what a lead list sorts by (case-folded text; '' for no assignee, -1
    for no value), so that every sorted window of every list is a walk along one index of this
    table instead of a sort of the company's whole lead set."""

    __tablename__ = "company_leads"
    __table_args__ = (
        ForeignKeyConstraint(
            ["colleague_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_company_leads_assignee_same_company",
        ),
        CheckConstraint("via IN ('own', 'accepted')", name="via"),
        Index("ix_company_leads_company_colleague", "company_id", "colleague_id", "sort_created", "lead_id"),
        *(
            Index(f"ix_company_leads_sort_{key}", "company_id", f"sort_{key}", "lead_id", "colleague_id")
            for key in SORT_KEYS
        ),
        {"info": {"scope": {"company_id": "company"}}},
    )

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), primary_key=True, index=True)
    colleague_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    via: Mapped[str] = mapped_column(String(10))
    sort_created: Mapped[datetime] = mapped_column(Moment)
    sort_title: Mapped[str] = mapped_column(String(200))
    sort_prospect: Mapped[str] = mapped_column(String(200))
    sort_city: Mapped[str] = mapped_column(String(100))
    sort_status: Mapped[str] = mapped_column(String(20))
    sort_value: Mapped[int] = mapped_column(Integer)
    sort_assignee: Mapped[str] = mapped_column(String(200))


def status_rank(status: Any) -> Any:
    """`status` (a column of status text) as its place in the work (STATUS_WORK_ORDER)."""
    whens: list[tuple[Any, Any]] = [
        (literal_column(f"'{name}'"), literal_column(str(rank))) for rank, name in enumerate(STATUS_WORK_ORDER)
    ]
    return case(*whens, value=status, else_=literal_column(str(len(STATUS_WORK_ORDER))))


Index(
    "ix_company_leads_sort_status_rank",
    CompanyLeadModel.company_id,
    status_rank(CompanyLeadModel.sort_status),
    CompanyLeadModel.lead_id,
    CompanyLeadModel.colleague_id,
)


class LeadCountModel(Base):
    """How many leads a company sees per assignee (slot 0: unassigned; slot -1: leads it passed
    on), and how many of them are open and new, kept in the same transaction as every change, so
    the navigation's counts and the workload never scan."""

    __tablename__ = "company_lead_counts"
    __table_args__ = ({"info": {"scope": {"company_id": "company"}}},)

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    slot: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    open_n: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    new_n: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CompanyChangeModel(Base):
    """A company's change counter. Every write moves the counters of the companies whose lists it
    changes, in its own transaction; the company's open apps refresh (PostgreSQL: a trigger
    notifies the company's private channel, which only its colleagues can read; SQLite: apps poll).
    Any company's counter may be moved (offering a lead moves the partner's), only its own read."""

    __tablename__ = "company_changes"
    __table_args__ = ({"info": {"scope": {"company_id": "company"}, "bump": True}},)

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    channel: Mapped[str] = mapped_column(String(40), unique=True)


class LeadShareModel(Base):
    """A lead offer from a principal to a partner company, and its outcome."""

    __tablename__ = "lead_shares"
    __table_args__ = (
        # An offer is a relation of one principal and one partner: a partner may hold offers of
        # the same lead from several principals (forwarding chains), each its own record.
        UniqueConstraint("lead_id", "principal_company_id", "partner_company_id"),
        ForeignKeyConstraint(
            ["principal_company_id", "partner_company_id"],
            ["partnerships.principal_id", "partnerships.partner_id"],
            name="fk_lead_shares_partnership",
        ),
        ForeignKeyConstraint(
            ["offered_by_id", "principal_company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_lead_shares_offered_by_principal",
        ),
        ForeignKeyConstraint(
            ["decided_by_id", "partner_company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_lead_shares_decided_by_partner",
        ),
        CheckConstraint(
            "status IN ('angeboten', 'angenommen', 'abgelehnt', 'zurückgezogen', 'abgelaufen')", name="status"
        ),
        Index("ix_lead_shares_partner_status", "partner_company_id", "status"),
        # The due work finds pending offers whose deadline or reminder has come (rule 24).
        Index("ix_lead_shares_due_deadline", "status", "deadline"),
        Index("ix_lead_shares_due_reminder", "status", "remind_at"),
        Index("ix_lead_shares_due_ladder", "ladder"),  # the few offers with a ladder still to climb
        Index("ix_lead_shares_partner_arrived", "partner_company_id", "status", "offered_at"),
        Index("ix_lead_shares_principal", "principal_company_id", "lead_id"),
        {"info": {"scope": {"principal_company_id": "company", "partner_company_id": "company"}}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"))
    principal_company_id: Mapped[int] = mapped_column(Integer)
    partner_company_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    offered_by_id: Mapped[int] = mapped_column(Integer)
    offered_at: Mapped[datetime] = mapped_column(Moment)
    decided_by_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    # Why the partner declined (rule 23): read by the principal only, never a colleague's name.
    decline_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    decline_text: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # The end of the response window (rule 24; None: no deadline) and, while the partner's offer
    # receivers are still to be reminded, when (cleared once they are).
    deadline: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    remind_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    # The partners the lead goes to next if this offer is declined or expires (rule 25), their
    # ids comma-separated; and whether a ladder's step made this offer.
    ladder: Mapped[str | None] = mapped_column(String(200), nullable=True)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AssignmentHistoryModel(Base):
    """Every change of a company's assignment; private to that company like the assignment."""

    __tablename__ = "assignment_history"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "lead_id"],
            ["company_leads.company_id", "company_leads.lead_id"],
            name="fk_assignment_history_company_lead",
        ),
        ForeignKeyConstraint(
            ["from_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_assignment_history_from_same_company",
        ),
        ForeignKeyConstraint(
            ["to_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_assignment_history_to_same_company",
        ),
        ForeignKeyConstraint(
            ["by_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_assignment_history_by_same_company",
        ),
        Index("ix_assignment_history_company_lead", "company_id", "lead_id"),
        {"info": {"scope": {"company_id": "company"}}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(Integer)
    lead_id: Mapped[int] = mapped_column(Integer)
    from_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    to_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    by_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(Moment)
    reason: Mapped[str] = mapped_column(String(20))


class ColleagueSettingModel(Base):
    """Per-colleague preferences (e.g. the visible lead-list columns)."""

    __tablename__ = "colleague_settings"
    __table_args__ = ({"info": {"scope": {"colleague_id": "colleague"}}},)

    colleague_id: Mapped[int] = mapped_column(ForeignKey("colleagues.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(2000))


class MaintenanceModel(Base):
    """Work in progress that leaves the read model incomplete until it ends (a bulk load with
    its indexes set aside): a killed run is detected and repaired from what is noted here."""

    __tablename__ = "maintenance"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(Moment)
    detail: Mapped[str] = mapped_column(Text)


JOURNAL_KINDS = ("note", "task", "event")


class JournalEntryModel(Base):
    """A note, a task or a change event on a lead, written by a colleague of `company_id`.

    Shared with the companies that hold the lead directly with the author's company - itself and
    a direct principal or partner whose offer was accepted - and never further along a chain. The
    repository names an author of another company by that company only."""

    __tablename__ = "journal_entries"
    __table_args__ = (
        ForeignKeyConstraint(
            ["author_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_journal_entries_author_same_company",
        ),
        CheckConstraint("kind IN ('note', 'task', 'event')", name="kind"),
        CheckConstraint("kind = 'task' OR (due IS NULL AND done_at IS NULL)", name="task_fields"),
        Index("ix_journal_entries_lead", "lead_id", "id"),
        Index("ix_journal_entries_open_tasks", "done_at", "due", "lead_id"),
        {"info": {"shared": True}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"))
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"))
    author_id: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(Moment)
    kind: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(String(max(NOTE.limit, TASK.limit, 2000)))
    due: Mapped[date | None] = mapped_column(Day, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)
    done_company_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    done_by_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class NotificationModel(Base):
    """A notification for one colleague: composed at delivery for that colleague (a person of
    the own company by name, another company by its name only), read or not.

    Delivered by the actor's write, to colleagues whose assignments and preferences the actor must
    not read: SQLite in the repository's delivery, PostgreSQL in a SECURITY DEFINER function;
    `deliver` lets the scope guard pass these inserts, reads stay the recipient's own."""

    __tablename__ = "notifications"
    __table_args__ = (
        ForeignKeyConstraint(
            ["colleague_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_notifications_recipient_same_company",
        ),
        Index("ix_notifications_colleague", "colleague_id", "id"),
        Index("ix_notifications_unread", "colleague_id", "read_at"),
        {"info": {"scope": {"colleague_id": "colleague"}, "deliver": True}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    colleague_id: Mapped[int] = mapped_column(Integer)
    company_id: Mapped[int] = mapped_column(Integer)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(12))
    count: Mapped[int] = mapped_column(Integer, default=1)
    body: Mapped[str] = mapped_column(String(600))
    at: Mapped[datetime] = mapped_column(Moment)
    read_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)


class PasswordModel(Base):
    """A colleague's password for signing in to a server, as an Argon2 hash (never the password)."""

    __tablename__ = "passwords"
    __table_args__ = (
        ForeignKeyConstraint(
            ["colleague_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_passwords_colleague_same_company",
        ),
        {"info": {"scope": {"colleague_id": "colleague"}}},
    )

    colleague_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[datetime] = mapped_column(Moment)


class AccessTokenModel(Base):
    """A signed-in session of a colleague at a server: the token is opaque and random, and only
    its SHA-256 is stored, so a copy of the database signs nobody in. It ends at `expires_at`,
    at sign-out (`revoked_at`), and at once while its colleague is deactivated."""

    __tablename__ = "access_tokens"
    __table_args__ = (
        ForeignKeyConstraint(
            ["colleague_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_access_tokens_colleague_same_company",
        ),
        Index("ix_access_tokens_colleague", "colleague_id"),
        {"info": {"scope": {"company_id": "company"}}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    colleague_id: Mapped[int] = mapped_column(Integer)
    company_id: Mapped[int] = mapped_column(Integer)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(Moment)
    expires_at: Mapped[datetime] = mapped_column(Moment)
    revoked_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)


class InvitationModel(Base):
    """An invitation an admin gave a colleague: its code (stored as SHA-256) lets the colleague
    choose a password once, until it expires."""

    __tablename__ = "invitations"
    __table_args__ = (
        ForeignKeyConstraint(
            ["colleague_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_invitations_colleague_same_company",
        ),
        Index("ix_invitations_colleague", "colleague_id"),
        {"info": {"scope": {"company_id": "company"}}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    colleague_id: Mapped[int] = mapped_column(Integer)
    company_id: Mapped[int] = mapped_column(Integer)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(Moment)
    expires_at: Mapped[datetime] = mapped_column(Moment)
    used_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)


class ImportBatchModel(Base):
    """One import of a file by a colleague: all its leads were written in one transaction, and
    it is undone as a whole (`undone_at`). Private to the importing company."""

    __tablename__ = "import_batches"
    __table_args__ = (
        ForeignKeyConstraint(
            ["colleague_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_import_batches_colleague_same_company",
        ),
        Index("ix_import_batches_company", "company_id", "id"),
        {"info": {"scope": {"company_id": "company"}}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(Integer)
    colleague_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(255))
    at: Mapped[datetime] = mapped_column(Moment)
    leads: Mapped[int] = mapped_column(Integer)
    filled: Mapped[int] = mapped_column(Integer, default=0)
    undone_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)


class ImportBatchLeadModel(Base):
    """A lead an import created (`created`) or whose empty fields it filled (`filled`, the field
    names), with the versions it left, so that an undo knows whether anyone worked it since."""

    __tablename__ = "import_batch_leads"
    __table_args__ = (
        ForeignKeyConstraint(["batch_id"], ["import_batches.id"], name="fk_import_batch_leads_batch"),
        Index("ix_import_batch_leads_lead", "lead_id"),
        {"info": {"scope": {"company_id": "company"}}},
    )

    batch_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[int] = mapped_column(Integer)
    created: Mapped[bool] = mapped_column(Boolean)
    filled: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer)  # the lead's version after the import
    note_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the import's own note


class LeadExternalIdModel(Base):
    """The id another system (a web form, n8n, a CRM) gave a lead it sent to a company: a line
    with the same id updates that lead instead of adding a second. Private to the company."""

    __tablename__ = "lead_external_ids"
    __table_args__ = (
        ForeignKeyConstraint(["lead_id"], ["leads.id"], name="fk_lead_external_ids_lead"),
        Index("ix_lead_external_ids_lead", "lead_id"),
        {"info": {"scope": {"company_id": "company"}}},
    )

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    lead_id: Mapped[int] = mapped_column(Integer)


class ApiKeyModel(Base):
    """A key another system posts leads with (`POST /api/v1/ingest`): made by an admin of the
    company, it acts as that admin and ends when revoked or when the admin is deactivated. Only
    the SHA-256 of the key is kept."""

    __tablename__ = "api_keys"
    __table_args__ = (
        ForeignKeyConstraint(
            ["colleague_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_api_keys_colleague_same_company",
        ),
        Index("ix_api_keys_company", "company_id"),
        {"info": {"scope": {"company_id": "company"}}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(Integer)
    colleague_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(Moment)
    revoked_at: Mapped[datetime | None] = mapped_column(Moment, nullable=True)


# What a partner may read of a lead offered to it and not accepted yet (rule 26): a view
# (migration 0024), never the contact person, e-mail, phone or what is made of them. Its own
# metadata: the schema's tables are the models above; this one the migration makes.
OFFERED_LEADS = Table(
    "offered_leads",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("owner_company_id", Integer),
    Column("title", String(LEAD_FIELDS["title"].limit)),
    Column("prospect", String(LEAD_FIELDS["prospect"].limit)),
    Column("city", String(LEAD_FIELDS["city"].limit)),
    Column("status", String(20)),
    Column("value", Integer),
    Column("source", String(LEAD_FIELDS["source"].limit)),
    Column("created_at", Moment),
    Column("updated_at", Moment),
    Column("version", Integer),
    info={"shared": True},
)
