"""Administration without SQL: companies, colleagues, partnerships.

These operations are deliberately not scoped to an acting colleague: they are what the `leadtui
company|colleague|partner` commands do for whoever runs them on the database. The UI never uses
this module; it works through the scoped Repository.
"""

from __future__ import annotations

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from leadtui.db.engine import describe_error
from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import CompanyModel as Co
from leadtui.db.models import PartnershipModel as Partnership
from leadtui.domain import EMAIL_RE, Colleague, Company, InvalidInput, NotFound, StorageError


class Admin:
    def __init__(self, engine: Engine):
        self._engine = engine

    def _company(self, conn, name: str) -> Company:
        row = conn.execute(select(Co.id, Co.name).where(func.lower(Co.name) == name.strip().lower())).first()
        if row is None:
            raise NotFound(f"Firma nicht gefunden: {name}")
        return Company(row.id, row.name)

    def add_company(self, name: str) -> Company:
        name = name.strip()
        if not name:
            raise InvalidInput({"name": "Der Firmenname darf nicht leer sein."})
        try:
            with self._engine.begin() as conn:
                if conn.execute(select(Co.id).where(func.lower(Co.name) == name.lower())).first():
                    raise InvalidInput({"name": f"Firma gibt es schon: {name}"})
                company_id = conn.execute(insert(Co).values(name=name).returning(Co.id)).scalar_one()
        except IntegrityError:
            raise InvalidInput({"name": f"Firma gibt es schon: {name}"}) from None
        except SQLAlchemyError as error:
            raise StorageError(describe_error(error)) from None
        return Company(company_id, name)

    def companies(self) -> list[Company]:
        with self._engine.connect() as conn:
            return [Company(r.id, r.name) for r in conn.execute(select(Co.id, Co.name).order_by(Co.name))]

    def add_colleague(self, company_name: str, name: str, email: str) -> Colleague:
        email = email.strip().lower()
        if not name.strip():
            raise InvalidInput({"name": "Der Name darf nicht leer sein."})
        if not EMAIL_RE.fullmatch(email):
            raise InvalidInput({"email": f"Keine gültige E-Mail-Adresse: {email}"})
        try:
            with self._engine.begin() as conn:
                company = self._company(conn, company_name)
                if conn.execute(select(Col.id).where(func.lower(Col.email) == email)).first():
                    raise InvalidInput({"email": f"E-Mail-Adresse ist schon vergeben: {email}"})
                colleague_id = conn.execute(
                    insert(Col)
                    .values(company_id=company.id, name=name.strip(), email=email, active=True)
                    .returning(Col.id)
                ).scalar_one()
        except IntegrityError:
            raise InvalidInput({"email": f"E-Mail-Adresse ist schon vergeben: {email}"}) from None
        except SQLAlchemyError as error:
            raise StorageError(describe_error(error)) from None
        return Colleague(colleague_id, company.id, name.strip(), email, True)

    def colleagues(self, company_name: str | None = None) -> list[tuple[Colleague, str]]:
        """All colleagues with their company's name, by company and name."""
        stmt = select(Col, Co.name.label("company_name")).join(Co, Co.id == Col.company_id)
        with self._engine.connect() as conn:
            if company_name:
                stmt = stmt.where(Col.company_id == self._company(conn, company_name).id)
            rows = conn.execute(stmt.order_by(Co.name, Col.name))
            return [(Colleague(r.id, r.company_id, r.name, r.email, r.active), r.company_name) for r in rows]

    def colleague(self, email: str) -> Colleague:
        with self._engine.connect() as conn:
            r = conn.execute(select(Col).where(func.lower(Col.email) == email.strip().lower())).first()
        if r is None:
            raise NotFound(f"Unbekannter Benutzer: {email}")
        return Colleague(r.id, r.company_id, r.name, r.email, r.active)

    def set_active(self, email: str, active: bool) -> Colleague:
        colleague = self.colleague(email)
        with self._engine.begin() as conn:
            conn.execute(update(Col).where(Col.id == colleague.id).values(active=active))
        return Colleague(colleague.id, colleague.company_id, colleague.name, colleague.email, active)

    def add_partnership(self, principal_name: str, partner_name: str) -> tuple[Company, Company]:
        try:
            with self._engine.begin() as conn:
                principal = self._company(conn, principal_name)
                partner = self._company(conn, partner_name)
                if principal.id == partner.id:
                    raise InvalidInput({"partner": "Eine Firma kann nicht ihr eigener Partner sein."})
                known = conn.execute(
                    select(Partnership).where(
                        Partnership.principal_id == principal.id, Partnership.partner_id == partner.id
                    )
                ).first()
                if known:
                    raise InvalidInput({"partner": f"{partner.name} ist bereits Partner von {principal.name}."})
                conn.execute(insert(Partnership).values(principal_id=principal.id, partner_id=partner.id))
        except SQLAlchemyError as error:
            raise StorageError(describe_error(error)) from None
        return principal, partner

    def default_user(self) -> Colleague:
        """The only active colleague, when there is exactly one; else NotFound explaining why."""
        with self._engine.connect() as conn:
            rows = conn.execute(select(Col).where(Col.active.is_(True)).limit(2)).all()
        if not rows:
            raise NotFound("Keine aktiven Kollegen in der Datenbank; anlegen mit: leadtui colleague add")
        if len(rows) > 1:
            raise NotFound("Mehrere Kollegen vorhanden: bitte mit --user E-MAIL (oder LEADTUI_USER) wählen.")
        r = rows[0]
        return Colleague(r.id, r.company_id, r.name, r.email, r.active)
