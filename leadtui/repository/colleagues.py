"""The own company's colleagues and partner companies."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, select, update

from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import CompanyLeadModel as CL
from leadtui.db.models import CompanyModel as Co
from leadtui.db.models import LeadCountModel as LeadCount
from leadtui.db.models import PartnershipModel as Partnership
from leadtui.db.models import colleague_of
from leadtui.domain import AccessDenied, Colleague, NotAssignable, NotFound, Partner, Workload
from leadtui.repository.assignments import NOT_OURS
from leadtui.repository.journal import open_tasks_due
from leadtui.repository.session import Session

ADMINS_ONLY = "Nur Administratoren Ihrer Firma können Kollegen deaktivieren oder aktivieren."
ADMINS_RECEIVERS = "Nur Administratoren Ihrer Firma legen fest, wer Leadangebote erhält."


class Colleagues:
    """The own company's colleagues, their workload and the company's partners."""

    def __init__(self, session: Session):
        self._session = session

    def colleagues(self, include_inactive: bool = False) -> list[Colleague]:
        """Colleagues of the own company, by name; the choices of the colleague picker."""
        stmt = select(Col).where(Col.company_id == self._session.company_id).order_by(Col.name, Col.id)
        if not include_inactive:
            stmt = stmt.where(Col.active.is_(True))
        with self._session.read() as conn:
            return [colleague_of(r) for r in conn.execute(stmt)]

    def workload(self, include_inactive: bool = False) -> list[Workload]:
        """Every colleague (by name) with their leads, open and new - read from the counters kept
        with every change, whatever the number of leads - and those with an overdue task (found
        from the open tasks, which are few)."""
        yesterday = self._session.today() - timedelta(days=1)
        stmt, overdue_stmt = self._session.built(
            ("workload", include_inactive, yesterday), lambda: self._workload_select(include_inactive, yesterday)
        )
        with self._session.read() as conn:
            overdue = {colleague_id: int(n) for colleague_id, n in conn.execute(overdue_stmt)}
            return [
                Workload(
                    colleague_of(r),
                    r.leads,
                    r.open,
                    r.new,
                    overdue.get(r.id, 0),
                )
                for r in conn.execute(stmt)
            ]

    def _workload_select(self, include_inactive: bool, yesterday: date) -> tuple[Any, Any]:
        """What `workload` runs: the colleagues with their counters, and the overdue tasks'
        assignees (a task is overdue when it was due `yesterday` or before)."""
        counted = and_(LeadCount.company_id == self._session.company_id, LeadCount.slot == Col.id)
        stmt = (
            select(
                Col,
                func.coalesce(LeadCount.n, 0).label("leads"),
                func.coalesce(LeadCount.open_n, 0).label("open"),
                func.coalesce(LeadCount.new_n, 0).label("new"),
            )
            .outerjoin(LeadCount, counted)
            .where(Col.company_id == self._session.company_id)
            .order_by(Col.name, Col.id)
        )
        if not include_inactive:
            stmt = stmt.where(Col.active.is_(True))
        overdue_stmt = (
            select(CL.colleague_id, func.count())
            .where(
                CL.company_id == self._session.company_id,
                CL.lead_id.in_(open_tasks_due(self._session.company_id, yesterday)),
            )
            .group_by(CL.colleague_id)
        )
        return stmt, overdue_stmt

    def partners(self) -> list[Partner]:
        """Partner companies we may pass leads on to, with their default response windows."""
        stmt = (
            select(Co.id, Co.name, Partnership.window_hours)
            .join(Partnership, Partnership.partner_id == Co.id)
            .where(Partnership.principal_id == self._session.company_id)
            .order_by(Co.name)
        )
        with self._session.read(check=True) as conn:
            return [Partner(r.id, r.name, r.window_hours) for r in conn.execute(stmt)]

    def deactivate(self, colleague_id: int) -> None:
        """Deactivate a colleague of the own company (admins only); their assignments stay (and
        show inactive), and in team mode their login is disabled."""
        if colleague_id == self._session.me.id:
            raise NotAssignable("Sie können sich nicht selbst deaktivieren.")
        self._set_active(colleague_id, False)

    def activate(self, colleague_id: int) -> None:
        self._set_active(colleague_id, True)

    def set_offer_receiver(self, colleague_id: int, receives: bool) -> None:
        """Whether a colleague of the own company is told of new lead offers (rule 21): an
        admin's choice, for any colleague (admins are, until an admin says otherwise)."""
        if not self._session.me.is_admin:
            raise AccessDenied(ADMINS_RECEIVERS)
        with self._session.write() as conn:
            changed = conn.execute(
                update(Col)
                .where(Col.id == colleague_id, Col.company_id == self._session.company_id)
                .values(offer_receiver=receives)
            ).rowcount
            if changed != 1:
                raise NotFound(NOT_OURS)
            self._session.changed(conn)

    def _set_active(self, colleague_id: int, active: bool) -> None:
        if not self._session.me.is_admin:
            raise AccessDenied(ADMINS_ONLY)
        with self._session.write() as conn:
            # The row lock (FOR UPDATE, not the weaker lock of a plain UPDATE) makes an assignment
            # to this colleague that is under way wait, and then see the new state.
            found = conn.execute(
                select(Col.id)
                .where(Col.id == colleague_id, Col.company_id == self._session.company_id)
                .with_for_update()
            ).first()
            if found is None:
                raise NotFound(NOT_OURS)
            conn.execute(
                update(Col)
                .where(Col.id == colleague_id, Col.company_id == self._session.company_id)
                .values(active=active)
            )
            self._session.changed(conn)
