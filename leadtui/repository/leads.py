"""One lead as the own company sees it, and creating leads."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select
from sqlalchemy.orm import aliased

from leadtui.db import read_model
from leadtui.db.models import OFFERED_LEADS as OFFERED
from leadtui.db.models import AssignmentHistoryModel as History
from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import CompanyModel as Co
from leadtui.db.models import LeadModel as Lead
from leadtui.db.models import LeadShareModel as Share
from leadtui.db.models import PartnershipModel as Partnership
from leadtui.domain import (
    AssignmentReason,
    HistoryEntry,
    LeadDetail,
    LeadStatus,
    NewLead,
    NotFound,
    ShareInfo,
    ShareStatus,
    decoded,
    stored_decline,
)
from leadtui.repository.assignments import LEAD_NOT_FOUND, Assignments
from leadtui.repository.journal import Journal
from leadtui.repository.offers import ladder_of
from leadtui.repository.session import Session
from leadtui.repository.sharing import is_open, shown_status

PRINCIPAL = aliased(Co, name="principal")
PARTNER = aliased(Co, name="partner")
FROM, TO, BY = (aliased(Col, name=name) for name in ("from_colleague", "to_colleague", "by_colleague"))


def lead_columns(
    new: NewLead, company_id: int, created: datetime, now: datetime, keys: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The row of a new lead the company owns, with its derived columns (`keys`: its match
    keys, when they were computed already)."""
    lead: dict[str, Any] = dict(
        owner_company_id=company_id,
        title=new.title,
        prospect=new.prospect,
        contact=new.contact,
        email=new.email,
        phone=new.phone,
        city=new.city,
        status=new.status.value,
        value=new.value,
        source=new.source,
        created_at=created,
        updated_at=now,
    )
    lead.update(read_model.derived(lead, keys))
    return lead


class Leads:
    """One lead as the own company sees it, and creating leads."""

    def __init__(self, session: Session, assignments: Assignments, journal: Journal):
        self._session = session
        self._assignments = assignments
        self._journal = journal

    def lead(self, lead_id: int) -> LeadDetail:
        """A lead as the own company sees it; a lead only offered to us shows without assignment."""
        with self._session.read() as conn:
            assignment = self._assignments.assignment_in(conn, lead_id)
            pending_offer = offer_deadline = None
            if assignment is None:
                pending = conn.execute(
                    select(Share.id, Share.deadline)
                    .where(
                        Share.lead_id == lead_id,
                        Share.partner_company_id == self._session.company_id,
                        is_open(self._session.now_sql),
                    )
                    .order_by(Share.id)
                ).first()
                if pending is None:
                    raise NotFound(LEAD_NOT_FOUND)
                pending_offer, offer_deadline = pending
            # An offer not accepted yet is read through the view without its contact data (rule 26).
            table: Any = Lead.__table__ if assignment else OFFERED
            lead = conn.execute(
                select(table, Co.name.label("owner_name"))
                .join(Co, Co.id == table.c.owner_company_id)
                .where(table.c.id == lead_id)
            ).one()
            contact, email, phone = (lead.contact, lead.email, lead.phone) if assignment else ("", "", "")
            shares = self._shares(conn, lead_id) if assignment else ()
            history = self._history(conn, lead_id) if assignment else ()
            journal = self._journal.entries(conn, lead_id) if assignment else ()
        return LeadDetail(
            id=lead.id,
            title=lead.title,
            prospect=lead.prospect,
            contact=contact,
            email=email,
            phone=phone,
            contact_hidden=assignment is None,
            city=lead.city,
            status=decoded(LeadStatus, lead.status),
            value=lead.value,
            source=lead.source,
            created_at=lead.created_at,
            updated_at=lead.updated_at,
            owner_name=lead.owner_name,
            visible=assignment is not None,
            assignment=assignment,
            shares=shares,
            history=history,
            pending_offer_id=pending_offer,
            offer_deadline=offer_deadline,
            version=lead.version,
            owned=lead.owner_company_id == self._session.company_id,
            journal=journal,
        )

    def _shares(self, conn: Connection, lead_id: int) -> tuple[ShareInfo, ...]:
        """The offers of this lead the own company is party to: its own, and those it accepted."""
        stmt = (
            select(
                Share.id,
                shown_status(self._session.now_sql),
                Share.principal_company_id,
                PRINCIPAL.name,
                PARTNER.name,
                PARTNER.id,
                Share.decline_reason,
                Share.decline_text,
                Share.deadline,
                Share.ladder,
                Share.escalated,
            )
            .join(PRINCIPAL, PRINCIPAL.id == Share.principal_company_id)
            .join(PARTNER, PARTNER.id == Share.partner_company_id)
            .where(
                Share.lead_id == lead_id,
                or_(
                    Share.principal_company_id == self._session.company_id,
                    and_(
                        Share.partner_company_id == self._session.company_id,
                        Share.status == ShareStatus.ACCEPTED.value,
                    ),
                ),
            )
            .order_by(Share.id)
        )
        own = self._session.company_id
        rows = conn.execute(stmt).all()
        partners = self._partner_names(conn) if any(r[9] for r in rows if r[2] == own) else {}
        return tuple(
            ShareInfo(
                r[0],
                r[3],
                r[4],
                decoded(ShareStatus, r[1]),
                True,
                r[5],
                stored_decline(r[6], r[7]),
                r[8],
                tuple(partners[i] for i in ladder_of(r[9]) if i in partners),
                bool(r[10]),
            )
            if r[2] == own  # the reason, the window and the ladder are the principal's to read
            else ShareInfo(r[0], r[3], r[4], decoded(ShareStatus, r[1]), False, r[5])
            for r in rows
        )

    def _partner_names(self, conn: Connection) -> dict[int, str]:
        """The own company's partners by id (what a ladder names)."""
        stmt = (
            select(Partnership.partner_id, PARTNER.name)
            .join(PARTNER, PARTNER.id == Partnership.partner_id)
            .where(Partnership.principal_id == self._session.company_id)
        )
        return {int(i): str(name) for i, name in conn.execute(stmt)}

    def _history(self, conn: Connection, lead_id: int) -> tuple[HistoryEntry, ...]:
        same_company = History.company_id
        stmt = (
            select(History.at, FROM.name, TO.name, BY.name, History.reason)
            .outerjoin(FROM, and_(FROM.id == History.from_id, FROM.company_id == same_company))
            .outerjoin(TO, and_(TO.id == History.to_id, TO.company_id == same_company))
            .join(BY, and_(BY.id == History.by_id, BY.company_id == same_company))
            .where(History.company_id == self._session.company_id, History.lead_id == lead_id)
            .order_by(History.at.desc(), History.id.desc())
        )
        return tuple(HistoryEntry(r[0], r[1], r[2], r[3], decoded(AssignmentReason, r[4])) for r in conn.execute(stmt))

    def create_lead(self, new: NewLead, *, for_colleague: int | None = None, unassigned: bool = False) -> LeadDetail:
        """Create a lead owned by the own company, assigned to its creator at once (rule 5) - or
        created for a colleague of the company (`for_colleague`), or for nobody (`unassigned`)."""
        new = new.checked()
        now = self._session.clock()
        lead = lead_columns(new, self._session.company_id, now, now)
        with self._session.write() as conn:
            lead_id = conn.execute(insert(Lead).values(**lead).returning(Lead.id)).scalar_one()
            self._assignments.take_on(
                conn, dict(lead, id=lead_id), "own", AssignmentReason.CREATED, now, for_colleague, unassigned
            )
        return self.lead(lead_id)
