"""Working a lead: editing its data and status, and its journal of notes, tasks and events.

The lead's data is shared by every company that holds it, so an edit is versioned on the lead
(a stale one is refused, naming what changed) and moves every holder's sort keys and counters.
Who may change what (rule 12): the owner everything; a partner holding it its status and contact.

The journal is shared with the companies that hold the lead directly with the author's company
(the own one, a direct principal or partner whose offer was accepted) and never along a chain;
an entry of another company names that company, never its person.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, or_, select, update
from sqlalchemy.orm import aliased

from leadtui.db import read_model
from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import CompanyLeadModel as CL
from leadtui.db.models import CompanyModel as Co
from leadtui.db.models import JournalEntryModel as Entry
from leadtui.db.models import LeadModel as Lead
from leadtui.db.models import LeadShareModel as Share
from leadtui.domain import (
    AccessDenied,
    Decline,
    EditConflict,
    InvalidInput,
    JournalEntry,
    JournalKind,
    NewLead,
    NotFound,
    NotificationKind,
    ShareStatus,
    decoded,
    format_euro,
    stored_decline,
)
from leadtui.domain.dates import OUT_OF_RANGE, due_error
from leadtui.domain.fields import LEAD_FIELDS, NOTE, TASK
from leadtui.domain.values import EDITABLE_FIELDS, OWNER_EDITABLE, PARTNER_EDITABLE
from leadtui.repository.assignments import LEAD_NOT_FOUND
from leadtui.repository.notifications import DELIVERY, Delivery, cut
from leadtui.repository.session import Session
from leadtui.repository.sharing import direct_partners, shares_directly, shown_status

AUTHOR = aliased(Col, name="author")
DONE_BY = aliased(Col, name="done_by")
AUTHOR_COMPANY = aliased(Co, name="author_company")
DONE_COMPANY = aliased(Co, name="done_company")
LABELS = {**{key: field.label for key, field in LEAD_FIELDS.items()}, "status": "Status", "value": "Wert"}
EVENT_LIMIT = 2000


def _shown(key: str, value: Any) -> str:
    if key == "value":
        return format_euro(value) or "–"
    if key == "status":
        return str(value)
    return cut(str(value), 60) if value else "–"


def open_tasks_due(company_id: int, by: date) -> Any:
    """The leads with an open task due on `by` or before that `company_id` may read."""
    return select(Entry.lead_id).where(
        Entry.kind == JournalKind.TASK.value,
        Entry.done_at.is_(None),
        Entry.due <= by,
        shares_directly(Entry.company_id, Entry.lead_id, company_id),
    )


def next_due(company_id: int, lead: Any) -> Any:
    """The earliest due date of `lead`'s open tasks that `company_id` may read (a column)."""
    return (
        select(func.min(Entry.due))
        .where(
            Entry.lead_id == lead,
            Entry.kind == JournalKind.TASK.value,
            Entry.done_at.is_(None),
            shares_directly(Entry.company_id, lead, company_id),
        )
        .scalar_subquery()
    )


ESCALATED = "Leadangebot weitergegeben – nächste Stufe der Eskalation"


def _line(line_id: int, at: datetime | None, partner: str, text: str) -> JournalEntry:
    """A line of the principal's journal read from an offer (the partner's name as author)."""
    return JournalEntry(id=line_id, kind=JournalKind.EVENT, at=at, author=partner, own=False, text=text)


def _outcome(status: str, reason: Decline | None) -> str:
    if status == ShareStatus.EXPIRED.value:
        return "Leadangebot abgelaufen – nicht innerhalb der Frist angenommen"
    return "Leadangebot abgelehnt" + (f" – Grund: {reason.label}" if reason else "")


class Journal:
    """Notes, tasks and edits of a lead, as the companies holding it directly share them."""

    def __init__(self, session: Session, delivery: Delivery):
        self._session = session
        self._delivery = delivery

    # --- reading ---------------------------------------------------------------------------

    def entries(self, conn: Connection, lead_id: int) -> tuple[JournalEntry, ...]:
        """The lead's journal as the own company may see it, newest first."""
        c = self._session.company_id
        stmt = (
            select(
                Entry.id,
                Entry.kind,
                Entry.at,
                Entry.body,
                Entry.due,
                Entry.done_at,
                Entry.company_id,
                Entry.done_company_id,
                AUTHOR.name.label("author_name"),
                AUTHOR_COMPANY.name.label("author_company"),
                DONE_BY.name.label("done_by_name"),
                DONE_COMPANY.name.label("done_company"),
            )
            .join(AUTHOR_COMPANY, AUTHOR_COMPANY.id == Entry.company_id)
            # a colleague's name only for the own company's entries: another's never leaves it
            .outerjoin(AUTHOR, and_(AUTHOR.id == Entry.author_id, AUTHOR.company_id == c, Entry.company_id == c))
            .outerjoin(DONE_COMPANY, DONE_COMPANY.id == Entry.done_company_id)
            .outerjoin(
                DONE_BY, and_(DONE_BY.id == Entry.done_by_id, DONE_BY.company_id == c, Entry.done_company_id == c)
            )
            .where(
                Entry.lead_id == lead_id,
                shares_directly(Entry.company_id, lead_id, c),
            )
            .order_by(Entry.id.desc())
        )
        entries = [
            JournalEntry(
                id=r.id,
                kind=decoded(JournalKind, r.kind),
                at=r.at,
                author=r.author_name if r.company_id == c else r.author_company,
                own=r.company_id == c,
                text=r.body,
                due=r.due,
                done=r.done_at is not None,
                done_by=(r.done_by_name if r.done_company_id == c else r.done_company) if r.done_at else None,
            )
            for r in conn.execute(stmt)
        ]
        declines = self._declines(conn, lead_id)
        if declines:  # kept on the offers, in time among the entries
            entries = sorted([*entries, *declines], key=lambda e: e.at or datetime.min, reverse=True)
        return tuple(entries)

    def _declines(self, conn: Connection, lead_id: int) -> list[JournalEntry]:
        """The own company's offers of the lead that partners declined, with their reasons (rule
        23), or let expire (rule 24), and those an escalation ladder made (rule 25): read from
        the offers, so no other company holding the lead reads them. A line's id is negative
        (it is no journal row) and made of the offer's."""
        status = shown_status(self._session.now_sql)
        rows = conn.execute(
            select(
                Share.id,
                status.label("status"),
                func.coalesce(Share.decided_at, Share.deadline).label("at"),
                Share.offered_at,
                Share.escalated,
                Share.decline_reason,
                Share.decline_text,
                Co.name,
            )
            .join(Co, Co.id == Share.partner_company_id)
            .where(
                Share.lead_id == lead_id,
                Share.principal_company_id == self._session.company_id,
                or_(status.in_((ShareStatus.DECLINED.value, ShareStatus.EXPIRED.value)), Share.escalated.is_(True)),
            )
        )
        lines = []
        for r in rows:  # ids apart: the step -2n, the outcome -2n-1
            if r.escalated:
                lines.append(_line(-2 * r.id, r.offered_at, r.name, ESCALATED))
            if r.status in (ShareStatus.DECLINED.value, ShareStatus.EXPIRED.value):
                outcome = _outcome(r.status, stored_decline(r.decline_reason, r.decline_text))
                lines.append(_line(-2 * r.id - 1, r.at, r.name, outcome))
        return lines

    def holding_in(self, conn: Connection, lead_id: int, lock: bool = False) -> dict[str, Any]:
        """The lead, if the own company holds it (it is in its lists); NotFound otherwise."""
        stmt = (
            select(Lead)
            .join(CL, and_(CL.lead_id == Lead.id, CL.company_id == self._session.company_id))
            .where(Lead.id == lead_id)
        )
        if lock:
            stmt = stmt.with_for_update(of=Lead)
        row = conn.execute(stmt).first()
        if row is None:
            raise NotFound(LEAD_NOT_FOUND)
        return dict(row._mapping)

    def _tell(
        self,
        conn: Connection,
        lead: dict[str, Any],
        kind: NotificationKind,
        what: str,
        entry_company: int | None = None,
    ) -> None:
        """Rule 15: `what` happened ("hat eine Notiz … geschrieben"), told to the assignees of
        the holding companies - by the actor's name inside the company, the company's across.
        About an entry of another company (`entry_company`), only to those who read it."""
        title = cut(lead["title"])
        self._delivery.deliver(
            conn,
            lead["id"],
            kind,
            f"{self._session.me.name} {what.format(title=title)}",
            f"{self._session.company.name} {what.format(title=title)}",
            entry_company=entry_company,
        )

    def _write_entry(
        self, conn: Connection, lead_id: int, kind: JournalKind, body: str, now: datetime, due: date | None = None
    ) -> int:
        return int(
            conn.execute(
                insert(Entry)
                .values(
                    lead_id=lead_id,
                    company_id=self._session.company_id,
                    author_id=self._session.me.id,
                    at=now,
                    kind=kind.value,
                    body=body,
                    due=due,
                )
                .returning(Entry.id)
            ).scalar_one()
        )

    def _touch_holders(self, conn: Connection, lead_id: int) -> None:
        """The journal shows in the detail of every company that reads it: their apps refresh."""
        self._session.changed(conn, *conn.execute(direct_partners(lead_id, self._session.company_id)).scalars())

    # --- journal ---------------------------------------------------------------------------

    def add_note(self, lead_id: int, text: str) -> JournalEntry:
        cleaned, error = NOTE.check(text)
        if error:
            raise InvalidInput({"note": error})
        now = self._session.clock()
        with self._session.write() as conn:
            lead = self.holding_in(conn, lead_id)
            entry_id = self._write_entry(conn, lead_id, JournalKind.NOTE, cleaned, now)
            self._tell(conn, lead, NotificationKind.NOTE, "hat eine Notiz zu „{title}“ geschrieben: " + cut(cleaned))
            self._touch_holders(conn, lead_id)
        return JournalEntry(entry_id, JournalKind.NOTE, now, self._session.me.name, True, cleaned)

    def add_task(self, lead_id: int, title: str, due: date | None) -> JournalEntry:
        cleaned, error = TASK.check(title)
        if error:
            raise InvalidInput({"task": error})
        if due_error(due):
            raise InvalidInput({"due": OUT_OF_RANGE})
        now = self._session.clock()
        with self._session.write() as conn:
            lead = self.holding_in(conn, lead_id)
            entry_id = self._write_entry(conn, lead_id, JournalKind.TASK, cleaned, now, due)
            when = f" (fällig {due:%d.%m.%Y})" if due else ""
            self._tell(
                conn, lead, NotificationKind.TASK, "hat eine Aufgabe zu „{title}“ angelegt: " + cut(cleaned) + when
            )
            self._touch_holders(conn, lead_id)
        return JournalEntry(entry_id, JournalKind.TASK, now, self._session.me.name, True, cleaned, due)

    def complete_task(self, entry_id: int, done: bool = True) -> None:
        """Tick a task done (or open again): anyone who reads it may, as in a shared to-do list."""
        with self._session.write() as conn:
            task = conn.execute(
                select(Entry.lead_id, Entry.body, Entry.done_at, Entry.company_id)
                .join(CL, and_(CL.lead_id == Entry.lead_id, CL.company_id == self._session.company_id))
                .where(
                    Entry.id == entry_id,
                    Entry.kind == JournalKind.TASK.value,
                    shares_directly(Entry.company_id, Entry.lead_id, self._session.company_id),
                )
            ).first()
            if task is None:
                raise NotFound("Aufgabe nicht gefunden.")
            if (task.done_at is not None) == done:
                return
            values = (
                dict(
                    done_at=self._session.clock(),
                    done_company_id=self._session.company_id,
                    done_by_id=self._session.me.id,
                )
                if done
                else dict(done_at=None, done_company_id=None, done_by_id=None)
            )
            conn.execute(
                update(Entry).where(Entry.id == entry_id, Entry.kind == JournalKind.TASK.value).values(**values)
            )
            lead = self.holding_in(conn, task.lead_id)
            verb = "erledigt" if done else "wieder geöffnet"
            self._tell(
                conn,
                lead,
                NotificationKind.TASK,
                f"hat eine Aufgabe zu „{{title}}“ {verb}: {cut(task.body)}",
                entry_company=task.company_id,
            )
            self._touch_holders(conn, task.lead_id)

    # --- editing ---------------------------------------------------------------------------

    def edit_lead(self, lead_id: int, edited: NewLead, expected_version: int, seen: NewLead) -> int:
        """Change the lead's data and status as typed, if nobody changed it since
        `expected_version` (else EditConflict naming the fields that differ from `seen`); returns
        the new version. Only what the own company may change (rule 12) may differ from `seen`."""
        edited = edited.checked()
        now = self._session.clock()
        with self._session.write() as conn:
            lead = self.holding_in(conn, lead_id, lock=True)
            owned = lead["owner_company_id"] == self._session.company_id
            allowed = OWNER_EDITABLE if owned else PARTNER_EDITABLE
            wanted = {key: getattr(edited, key) for key in EDITABLE_FIELDS}
            wanted["status"] = edited.status.value
            before = {key: getattr(seen, key) for key in EDITABLE_FIELDS}
            before["status"] = seen.status.value
            changes = {key: value for key, value in wanted.items() if value != before[key]}
            if not changes:
                return int(lead["version"])
            forbidden = [LABELS[key] for key in changes if key not in allowed]
            if forbidden:
                raise AccessDenied(
                    f"{', '.join(forbidden)}: nur die Firma, der der Lead gehört, ändert das "
                    "(Sie arbeiten Status und Kontakt)."
                )
            if lead["version"] != expected_version:
                raise EditConflict([LABELS[key] for key in EDITABLE_FIELDS if lead[key] != before[key]])
            return self.change_in(conn, lead, changes, now)

    def change_in(self, conn: Connection, lead: dict[str, Any], changes: dict[str, Any], now: datetime) -> int:
        """Write `changes` to the locked `lead` (as `holding_in` read it) in the caller's
        transaction: the read model of every holder, a journal event, the holders' assignees
        told (rule 15). Returns the lead's new version. The caller checked rule 12."""
        new = {**lead, **changes}
        new_version = int(lead["version"]) + 1
        conn.execute(
            update(Lead)
            .where(Lead.id == lead["id"], Lead.version == lead["version"])
            .values(**changes, **read_model.derived(new), updated_at=now, version=new_version)
        )
        self._move_read_model(conn, lead, new)
        event = "; ".join(
            f"{LABELS[key]}: {_shown(key, lead[key])} → {_shown(key, value)}" for key, value in changes.items()
        )[:EVENT_LIMIT]
        self._write_entry(conn, lead["id"], JournalKind.EVENT, event, now)
        self._tell(conn, new, NotificationKind.CHANGE, "hat „{title}“ geändert: " + cut(event, 200))
        self._touch_holders(conn, lead["id"])
        return new_version

    def _move_read_model(self, conn: Connection, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Every holder's view of the lead sorts and counts by its new data (other holders'
        rows too: a step across companies, see Backend.across_companies)."""
        lead_id, keys = new["id"], read_model.view_sort_keys(new, None)
        with self._session.backend.across_companies(conn):
            views = conn.execute(
                select(CL.company_id, CL.colleague_id).where(CL.lead_id == lead_id).execution_options(**DELIVERY)
            ).all()
            conn.execute(
                update(CL)
                .where(CL.lead_id == lead_id)
                .values(
                    sort_title=keys["sort_title"],
                    sort_prospect=keys["sort_prospect"],
                    sort_city=keys["sort_city"],
                    sort_status=keys["sort_status"],
                    sort_value=keys["sort_value"],
                )
                .execution_options(**DELIVERY)
            )
            moved = read_model.tally(new["status"]) - read_model.tally(old["status"])
            for company_id, colleague_id in views:
                if moved:
                    read_model.change_counts(conn, company_id, {colleague_id: moved}, DELIVERY)
        self._session.changed(conn, *(company_id for company_id, _ in views))
