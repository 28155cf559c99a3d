"""Notifications: who is told what (docs/rules.md, rules 14-16), the inbox and preferences.

Delivery happens in the writer's transaction, to recipients whose assignment and preferences
the writer must not read: `Delivery.deliver` finds and writes them with statements the scope
guard lets pass for this, and which the database's row-level security lets pass while the
backend says the step crosses companies. It returns nothing about the recipients to the writer.

- Assigned (rule 14): the colleague a lead is assigned to, unless they assigned it themselves.
- Activity (rule 15): a note, a task, a ticked task, a change of status or data notifies the
  assignee of each company that holds the lead directly with the actor's company (the own one,
  a direct principal or partner with an accepted offer) - the person by name inside the company,
  the company by name across.
- Nobody is told of their own action (rule 15); each kind can be turned off (rule 16).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, func, insert, select, update

from leadtui.db.models import AssignmentHistoryModel as History
from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import ColleagueSettingModel as Setting
from leadtui.db.models import CompanyLeadModel as CL
from leadtui.db.models import NotificationModel as Note
from leadtui.domain import Notification, NotificationKind, decoded
from leadtui.repository import guard
from leadtui.repository.session import Session
from leadtui.repository.sharing import shares_directly

PREFERENCE = "notify."  # + kind: "aus" turns that kind off; anything else (or nothing) is on
OFF = "aus"
BODY_LIMIT = 600
# Delivery reads other colleagues' assignments and preferences; its statements run with this
# option, which the scope guard lets pass (they return nothing to the writer).
DELIVERY = {guard.DELIVERY_OPTION: True}


def cut(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _row(
    colleague_id: int, company_id: int, lead_id: int | None, kind: NotificationKind, count: int, body: str, at: Any
) -> dict[str, Any]:
    """One notification as inserted: composed for its recipient, cut to what the column holds."""
    return dict(
        colleague_id=colleague_id,
        company_id=company_id,
        lead_id=lead_id,
        kind=kind.value,
        count=count,
        body=body[:BODY_LIMIT],
        at=at,
    )


def turned_off(conn: Connection, kind: str) -> set[int]:
    """The colleagues who turned `kind` off (rule 16)."""
    return set(
        conn.execute(
            select(Setting.colleague_id)
            .where(Setting.key == PREFERENCE + kind, Setting.value == OFF)
            .execution_options(**DELIVERY)
        ).scalars()
    )


class Delivery:
    """Telling colleagues of what the acting colleague did (used by the other services)."""

    def __init__(self, session: Session):
        self._session = session

    def deliver(
        self,
        conn: Connection,
        lead_id: int | None,
        kind: NotificationKind,
        own_text: str,
        other_text: str = "",
        *,
        recipient: int | None = None,
        count: int = 1,
        entry_company: int | None = None,
        at: datetime | None = None,
    ) -> None:
        """Tell `recipient` (a colleague of the own company), or with None the assignees of the
        companies holding `lead_id` directly with ours, about what the acting colleague did.
        Activity on a journal entry another company wrote (`entry_company`) is told only to
        companies that may read that entry too (rule 13): never along a chain. `at`: the moment
        the write recorded (a digest of assignments is found again by it: `digest_leads`)."""
        at, own = at or self._session.clock(), self._session.company_id
        source = own if entry_company is None else entry_company
        with self._session.backend.across_companies(conn):
            rows = [
                _row(colleague_id, company_id, lead_id, kind, count, own_text if company_id == own else other_text, at)
                for company_id, colleague_id in self._recipients(conn, lead_id, kind.value, recipient, source)
            ]
            if rows:
                conn.execute(insert(Note), rows)

    def _recipients(
        self, conn: Connection, lead_id: int | None, kind: str, recipient: int | None, source: int
    ) -> list[tuple[int, int]]:
        """(company, colleague) of everyone to tell, less those who turned the kind off and
        the actor."""
        c = self._session.company_id
        stmt: Any
        if recipient is not None:
            stmt = select(Col.company_id, Col.id).where(Col.id == recipient, Col.company_id == c, Col.active)
        else:
            stmt = (
                select(CL.company_id, CL.colleague_id)
                .join(Col, and_(Col.id == CL.colleague_id, Col.company_id == CL.company_id, Col.active))
                .where(
                    CL.lead_id == lead_id,
                    shares_directly(CL.company_id, lead_id, c),
                    shares_directly(CL.company_id, lead_id, source),
                )
            )
        targets = conn.execute(stmt.execution_options(**DELIVERY)).all()
        off = turned_off(conn, kind)
        return [
            (company_id, colleague_id)
            for company_id, colleague_id in targets
            if colleague_id != self._session.me.id and colleague_id not in off
        ]

    def tell_offer_receivers(
        self, conn: Connection, company_id: int, lead_id: int | None, text: str, count: int
    ) -> None:
        """Tell the colleagues of `company_id` who receive its lead offers - its admins, unless
        an admin named others - of new offers from the own company (rule 21): `text` names our
        company, never a person of it; `lead_id` None for a digest of several. The writer
        learns nothing of who they are."""
        at = self._session.clock()
        with self._session.backend.across_companies(conn):
            tell_company(conn, company_id, OFFER_RECEIVERS, lead_id, NotificationKind.OFFER, text, count, at)

    def tell_colleague_of(
        self, conn: Connection, company_id: int, colleague_id: int, lead_id: int, kind: NotificationKind, text: str
    ) -> None:
        """Tell one colleague of another company (the one who passed a lead on to us) - or, once
        deactivated, that company's admins, so the news is not lost. `text` names our company,
        never a person of it."""
        at = self._session.clock()
        with self._session.backend.across_companies(conn):
            whom = colleague_or_admins(conn, company_id, colleague_id)
            tell_company(conn, company_id, whom, lead_id, kind, text, 1, at)


# Who receives a company's lead offers (rule 21): whom an admin named, else its admins.
OFFER_RECEIVERS = func.coalesce(Col.offer_receiver, Col.role == "admin").is_(True)


def colleague_or_admins(conn: Connection, company_id: int, colleague_id: int) -> ColumnElement[bool]:
    """`colleague_id` of `company_id` while active, else that company's admins."""
    active = conn.execute(
        select(Col.active).where(Col.id == colleague_id, Col.company_id == company_id).execution_options(**DELIVERY)
    ).scalar()
    return Col.id == colleague_id if active else Col.role == "admin"


def tell_company(
    conn: Connection,
    company_id: int,
    whom: ColumnElement[bool],
    lead_id: int | None,
    kind: NotificationKind,
    text: str,
    count: int,
    at: Any,
) -> None:
    """Notify the active colleagues of `company_id` that `whom` picks, but those who turned
    `kind` off (rule 16) - for a write of another company, or for the due work (rule 24)."""
    targets = (
        conn.execute(
            select(Col.id).where(Col.company_id == company_id, Col.active.is_(True), whom).execution_options(**DELIVERY)
        )
        .scalars()
        .all()
    )
    off = turned_off(conn, kind.value)
    rows = [
        _row(colleague_id, company_id, lead_id, kind, count, text, at)
        for colleague_id in targets
        if colleague_id not in off
    ]
    if rows:
        conn.execute(insert(Note), rows)


class Notifications:
    """The acting colleague's inbox and what they want to be told."""

    def __init__(self, session: Session):
        self._session = session

    def notifications(self, offset: int = 0, limit: int = 200) -> list[Notification]:
        """The own notifications, newest first, one window at a time."""
        stmt = (
            select(Note.id, Note.kind, Note.body, Note.lead_id, Note.count.label("n"), Note.at, Note.read_at)
            .where(Note.colleague_id == self._session.me.id)
            .order_by(Note.id.desc())
            .offset(offset)
            .limit(limit)
        )
        with self._session.read(check=True) as conn:
            return [
                Notification(
                    r.id, decoded(NotificationKind, r.kind), r.body, r.lead_id, r.n, r.at, r.read_at is not None
                )
                for r in conn.execute(stmt)
            ]

    def digest_leads(self, notification_id: int) -> list[int]:
        """The leads a digest of assignments to me (rule 14: "12 Leads wurden Ihnen … zugewiesen")
        was about, as far as they are still mine: the assignment history's entries to me at the
        digest's moment, which the write recorded at one instant with the digest."""
        me, company = self._session.me.id, self._session.company_id
        moment = (
            select(Note.at)
            .where(
                Note.id == notification_id,
                Note.colleague_id == me,
                Note.kind == NotificationKind.ASSIGNED.value,
                Note.lead_id.is_(None),
            )
            .scalar_subquery()
        )
        stmt = (
            select(History.lead_id)
            .join(CL, and_(CL.company_id == History.company_id, CL.lead_id == History.lead_id))
            .where(History.company_id == company, History.to_id == me, History.at == moment, CL.colleague_id == me)
            .order_by(History.lead_id)
        )
        with self._session.read(check=True) as conn:
            return [int(lead_id) for lead_id in conn.execute(stmt).scalars()]

    def unread_count(self) -> int:
        with self._session.read(check=True) as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(Note)
                    .where(Note.colleague_id == self._session.me.id, Note.read_at.is_(None))
                ).scalar_one()
            )

    def mark_read(self, notification_ids: list[int], read: bool = True) -> None:
        with self._session.write() as conn:
            conn.execute(
                update(Note)
                .where(Note.colleague_id == self._session.me.id, Note.id.in_(notification_ids))
                .values(read_at=self._session.clock() if read else None)
            )

    def mark_all_read(self) -> int:
        with self._session.write() as conn:
            return int(
                conn.execute(
                    update(Note)
                    .where(Note.colleague_id == self._session.me.id, Note.read_at.is_(None))
                    .values(read_at=self._session.clock())
                ).rowcount
            )

    def notification_preferences(self) -> dict[NotificationKind, bool]:
        with self._session.read(check=True) as conn:
            off = set(
                conn.execute(
                    select(Setting.key).where(
                        Setting.colleague_id == self._session.me.id,
                        Setting.key.like(PREFERENCE + "%"),
                        Setting.value == OFF,
                    )
                ).scalars()
            )
        return {kind: PREFERENCE + kind.value not in off for kind in NotificationKind}

    def save_notification_preferences(self, wanted: dict[NotificationKind, bool]) -> None:
        with self._session.write() as conn:
            for kind, on in wanted.items():
                key, value = PREFERENCE + kind.value, "an" if on else OFF
                mine = and_(Setting.colleague_id == self._session.me.id, Setting.key == key)
                if conn.execute(update(Setting).where(mine).values(value=value)).rowcount == 0:
                    conn.execute(insert(Setting).values(colleague_id=self._session.me.id, key=key, value=value))
