"""The own company's colleagues and partner companies."""

from __future__ import annotations

from sqlalchemy import select, update

from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import CompanyModel as Co
from leadtui.db.models import PartnershipModel as Partnership
from leadtui.domain import Colleague, Company, NotAssignable, NotFound
from leadtui.repository.assignments import NOT_OURS
from leadtui.repository.scope import Scope


class Colleagues(Scope):
    def colleagues(self, include_inactive: bool = False) -> list[Colleague]:
        """Colleagues of the own company, by name; the choices of the colleague picker."""
        stmt = select(Col).where(Col.company_id == self.company_id).order_by(Col.name, Col.id)
        if not include_inactive:
            stmt = stmt.where(Col.active.is_(True))
        with self._read() as conn:
            return [Colleague(r.id, r.company_id, r.name, r.email, r.active) for r in conn.execute(stmt)]

    def partners(self) -> list[Company]:
        """Partner companies we may pass leads on to."""
        stmt = (
            select(Co.id, Co.name)
            .join(Partnership, Partnership.partner_id == Co.id)
            .where(Partnership.principal_id == self.company_id)
            .order_by(Co.name)
        )
        with self._read() as conn:
            return [Company(r.id, r.name) for r in conn.execute(stmt)]

    def deactivate(self, colleague_id: int) -> None:
        """Deactivate a colleague of the own company; their assignments stay (and show inactive)."""
        if colleague_id == self.me.id:
            raise NotAssignable("Sie können sich nicht selbst deaktivieren.")
        self._set_active(colleague_id, False)

    def activate(self, colleague_id: int) -> None:
        self._set_active(colleague_id, True)

    def _set_active(self, colleague_id: int, active: bool) -> None:
        with self._write() as conn:
            result = conn.execute(
                update(Col).where(Col.id == colleague_id, Col.company_id == self.company_id).values(active=active)
            )
            if result.rowcount != 1:
                raise NotFound(NOT_OURS)
