"""Administration without SQL: companies, colleagues, partnerships.

These operations are deliberately not scoped to an acting colleague: they are what the `leadtui
company|colleague|partner` commands do for whoever runs them on the database. The UI never uses
this module; it works through the scoped Repository. Names are checked like every other text
people write (no control characters, the same length limits on every database).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from sqlalchemy import Connection, Engine, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from leadtui.db import read_model
from leadtui.db.errors import REFUSED, storage_error
from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import CompanyModel as Co
from leadtui.db.models import PartnershipModel as Partnership
from leadtui.db.models import colleague_of
from leadtui.domain import AccessDenied, Colleague, Company, InvalidInput, NotFound
from leadtui.domain.fields import COLLEAGUE_NAME, COMPANY_NAME, checked, checked_email
from leadtui.domain.windows import check_hours


class Admin:
    def __init__(self, engine: Engine):
        self._engine = engine

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                yield conn
        except SQLAlchemyError as error:
            raise storage_error(error) from None

    @contextmanager
    def _write(
        self, duplicate: InvalidInput | None = None, refused: AccessDenied | None = None
    ) -> Iterator[Connection]:
        """One transaction: all of a command or nothing. A unique-key race becomes `duplicate`,
        a refusal of the database (row-level security) `refused`, other failures one line."""
        try:
            with self._engine.begin() as conn:
                yield conn
        except IntegrityError as error:
            if duplicate is not None:
                raise duplicate from None
            raise storage_error(error) from None
        except SQLAlchemyError as error:
            mapped = storage_error(error)
            if refused is not None and isinstance(mapped, AccessDenied) and mapped.args[0] == REFUSED:
                raise refused from None
            raise mapped from None

    def _company(self, conn: Connection, name: str) -> Company:
        row = conn.execute(select(Co.id, Co.name).where(func.lower(Co.name) == name.strip().lower())).first()
        if row is None:
            raise NotFound(f"Firma nicht gefunden: {name}")
        return Company(row.id, row.name)

    def add_company(self, name: str) -> Company:
        name = checked({"name": name}, {"name": COMPANY_NAME})["name"]
        exists = InvalidInput({"name": f"Firma gibt es schon: {name}"})
        with self._write(duplicate=exists) as conn:
            if conn.execute(select(Co.id).where(func.lower(Co.name) == name.lower())).first():
                raise exists
            company_id = conn.execute(insert(Co).values(name=name).returning(Co.id)).scalar_one()
            read_model.add_change_row(conn, company_id)
        return Company(company_id, name)

    def companies(self) -> list[Company]:
        with self._read() as conn:
            return [Company(r.id, r.name) for r in conn.execute(select(Co.id, Co.name).order_by(Co.name))]

    def add_colleague(self, company_name: str, name: str, email: str, *, admin: bool = False) -> Colleague:
        """Add a colleague; the first of a company becomes its admin (so somebody is)."""
        name = checked({"name": name}, {"name": COLLEAGUE_NAME})["name"]
        email = checked_email(email)
        taken = InvalidInput({"email": f"E-Mail-Adresse ist schon vergeben: {email}"})
        refused = AccessDenied(
            f"Nur Administratoren von {company_name} legen dort Kollegen an; ein Administrator führt"
            " 'leadtui colleague add' aus."
        )
        with self._write(duplicate=taken, refused=refused) as conn:
            company = self._company(conn, company_name)
            if conn.execute(select(Col.id).where(func.lower(Col.email) == email)).first():
                raise taken
            first = conn.execute(select(Col.id).where(Col.company_id == company.id).limit(1)).first() is None
            role = "admin" if admin or first else "member"
            colleague_id = conn.execute(
                insert(Col)
                .values(company_id=company.id, name=name, email=email, active=True, role=role)
                .returning(Col.id)
            ).scalar_one()
        return Colleague(colleague_id, company.id, name, email, True, role == "admin", role == "admin")

    def is_administrator(self) -> bool:
        """Whether this connection administers the whole database (team mode: a member of
        leadtui_owner, or a superuser); on SQLite whoever opens the file does."""
        if self._engine.dialect.name != "postgresql":
            return True
        with self._read() as conn:
            return bool(
                conn.execute(
                    text("SELECT rolsuper OR leadtui_is_owner() FROM pg_roles WHERE rolname = session_user")
                ).scalar()
            )

    def colleagues(self, company_name: str | None = None) -> list[tuple[Colleague, str]]:
        """All colleagues with their company's name, by company and name."""
        stmt = select(Col, Co.name.label("company_name")).join(Co, Co.id == Col.company_id)
        with self._read() as conn:
            if company_name:
                stmt = stmt.where(Col.company_id == self._company(conn, company_name).id)
            rows = conn.execute(stmt.order_by(Co.name, Col.name))
            return [(colleague_of(r), r.company_name) for r in rows]

    def colleague(self, email: str) -> Colleague:
        with self._read() as conn:
            r = conn.execute(select(Col).where(func.lower(Col.email) == email.strip().lower())).first()
        if r is None:
            raise NotFound(f"Unbekannter Benutzer: {email}")
        return colleague_of(r)

    def set_active(self, email: str, active: bool) -> Colleague:
        """(De)activate a colleague: their server sessions end with their next request."""
        colleague = self.colleague(email)
        with self._write() as conn:
            locked = conn.execute(select(Col.id).where(Col.id == colleague.id).with_for_update()).first()
            changed = conn.execute(update(Col).where(Col.id == colleague.id).values(active=active)).rowcount
            if locked is None or changed != 1:
                raise AccessDenied("Nur Administratoren dieser Firma können Kollegen deaktivieren oder aktivieren.")
            read_model.touch(conn, [colleague.company_id])
        return replace(colleague, active=active)

    def set_offer_receiver(self, email: str, receives: bool) -> Colleague:
        """Whether a colleague is told of their company's new lead offers (rule 21)."""
        colleague = self.colleague(email)
        with self._write() as conn:
            conn.execute(update(Col).where(Col.id == colleague.id).values(offer_receiver=receives))
        return replace(colleague, receives_offers=receives)

    def add_partnership(self, principal_name: str, partner_name: str) -> tuple[Company, Company]:
        with self._write() as conn:
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
        return principal, partner

    def set_partner_window(self, principal_name: str, partner_name: str, hours: int | None) -> tuple[Company, Company]:
        """The response window the principal's offers to the partner get by default (rule 24;
        None: no deadline)."""
        if hours is not None:
            check_hours(hours)
        with self._write() as conn:
            principal = self._company(conn, principal_name)
            partner = self._company(conn, partner_name)
            changed = conn.execute(
                update(Partnership)
                .where(Partnership.principal_id == principal.id, Partnership.partner_id == partner.id)
                .values(window_hours=hours)
            ).rowcount
            if changed != 1:
                raise NotFound(f"{partner.name} ist kein Vertriebspartner von {principal.name}.")
            read_model.touch(conn, [principal.id])
        return principal, partner

    @property
    def engine(self) -> Engine:
        return self._engine

    def admin_of(self, colleague: Colleague) -> Colleague:
        """An active admin of the colleague's company (the colleague, when they are one)."""
        if colleague.is_admin and colleague.active:
            return colleague
        with self._read() as conn:
            r = conn.execute(
                select(Col)
                .where(Col.company_id == colleague.company_id, Col.role == "admin", Col.active.is_(True))
                .order_by(Col.id)
                .limit(1)
            ).first()
        if r is None:
            raise NotFound(
                "Die Firma hat keinen aktiven Administrator; einen mit 'leadtui colleague add --admin' anlegen."
            )
        return colleague_of(r)

    def default_user(self) -> Colleague:
        """The only active colleague, when there is exactly one; else NotFound explaining why."""
        with self._read() as conn:
            rows = conn.execute(select(Col).where(Col.active.is_(True)).limit(2)).all()
        if not rows:
            raise NotFound("Keine aktiven Kollegen in der Datenbank; anlegen mit: leadtui colleague add")
        if len(rows) > 1:
            raise NotFound("Mehrere Kollegen vorhanden: bitte mit --user E-MAIL (oder LEADTUI_USER) wählen.")
        r = rows[0]
        return colleague_of(r)
