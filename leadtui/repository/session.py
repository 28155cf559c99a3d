"""The session every service of the repository is handed: who acts, for which company, on which
backend, and the only two ways to the database - a read and a short write transaction.

Both carry the acting scope as an execution option, so the scope guard checks every statement;
both re-check that the acting colleague is still active, so a colleague deactivated while their
app is open is refused at their next step, reading or writing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, bindparam, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.sql import ColumnElement

from leadtui.db import backends
from leadtui.db.errors import storage_error
from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import CompanyModel as Co
from leadtui.db.models import Moment, colleague_of
from leadtui.domain import AccessDenied, Company, Deactivated
from leadtui.repository import guard

Clock = Callable[[], datetime]
TOUCHED = "leadtui_touched"  # Connection.info key: the companies a write transaction changed
BUILT_LIMIT = 128  # statements kept per session
T = TypeVar("T")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def deadline_clock(backend: backends.Backend, clock: Clock, default: bool) -> ColumnElement[Any]:
    """What response windows are decided on, in SQL (rule 24): the database's clock where it has
    one its server processes share - unless the clock is not the `default` one (a test injected
    it) - else `clock`, read at every execution."""
    database_clock = backend.clock() if default else None
    if database_clock is not None:
        return database_clock
    return bindparam("leadtui_now", type_=Moment, callable_=clock)


def colleague_for_email(engine: Engine, email: str) -> int:
    """The id of the colleague who signs in with `email`, or AccessDenied."""
    try:
        with engine.connect() as conn:
            colleague_id = conn.execute(select(Col.id).where(func.lower(Col.email) == email.strip().lower())).scalar()
    except SQLAlchemyError as error:
        raise storage_error(error) from None
    if colleague_id is None:
        raise AccessDenied(f"Unbekannter Benutzer: {email}")
    return int(colleague_id)


class Session:
    """One colleague of one company, the backend of their database, and the transactions they
    run. The services of the repository share one session (so one binding and one clock)."""

    def __init__(self, engine: Engine, colleague_id: int, clock: Clock = utcnow):
        self.engine = engine
        self.clock = clock
        guard.install(engine)
        self.backend = backends.for_engine(engine)
        self.now_sql = deadline_clock(self.backend, lambda: self.clock(), clock is utcnow)
        try:  # the one unscoped statement: finding out who acts
            with engine.connect() as conn:
                row = conn.execute(
                    select(Col, Co.name.label("company_name"))
                    .join(Co, Co.id == Col.company_id)
                    .where(Col.id == colleague_id)
                ).first()
        except SQLAlchemyError as error:
            raise storage_error(error) from None
        if row is None:
            raise AccessDenied("Unbekannter Kollege.")
        self.me = colleague_of(row)
        if not self.me.active:
            raise AccessDenied(f"{self.me.name} ist deaktiviert und kann leadtui nicht nutzen.")
        self.company = Company(row.company_id, row.company_name)
        acting = guard.Acting(self.company.id, self.me.id)
        self._reader = engine.execution_options(**{guard.SCOPE_OPTION: acting})
        self._writer = engine.execution_options(immediate=True, **{guard.SCOPE_OPTION: acting})
        self._built: dict[Hashable, Any] = {}
        self._built_lock = threading.Lock()

    def built(self, key: Hashable, build: Callable[[], T]) -> T:
        """The statement `build` makes, built once per session for `key` (the values it depends
        on beyond the session's colleague and company). Statements that run again and again -
        the activity check, a list's windows at every refresh, the counters - cost more to
        build than to run on a small list, and a statement run again is also checked by the
        scope guard and found in SQLAlchemy's compiled cache at once."""
        with self._built_lock:
            if key in self._built:
                return self._built[key]  # type: ignore[no-any-return]
        made = build()
        with self._built_lock:
            if len(self._built) >= BUILT_LIMIT:
                self._built.clear()
            self._built[key] = made
        return made

    def today(self) -> date:
        """The day as the repository's clock has it (what "due" and "overdue" count from)."""
        return self.clock().date()

    @property
    def company_id(self) -> int:
        return self.company.id

    def _begin_as_me(self, conn: Connection, check: bool) -> None:
        """Take on the acting colleague in the transaction; with `check`, refuse a colleague
        deactivated meanwhile (in the same round trip)."""
        if not check:
            self.backend.act(conn, self.me.id)
            return
        active = self.built(
            "active", lambda: select(Col.active).where(Col.id == self.me.id, Col.company_id == self.company_id)
        )
        if not self.backend.act(conn, self.me.id, active):
            raise Deactivated

    @contextmanager
    def read(self, check: bool = False) -> Iterator[Connection]:
        """A read, in a transaction of its own as the acting colleague. Where the database's
        row-level security refuses a deactivated colleague by itself ("Ihr Zugang ist
        deaktiviert", in the same round trip), the read needs no check of its own where the
        statement reads a table that has rows (`check` asks for one anyway, for tables that may
        be empty)."""
        try:
            with self._reader.connect() as conn:
                self._begin_as_me(conn, self.backend.checks_reads(check))
                yield conn
        except SQLAlchemyError as error:
            raise storage_error(error) from None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A short write transaction, refused if the actor was deactivated meanwhile. Before it
        commits, it moves the change counters of the companies `changed` named, last (after
        the lead counters), so concurrent writers take the same locks in the same order."""
        try:
            with self._writer.begin() as conn:
                self._begin_as_me(conn, check=True)
                yield conn
                touched = sorted(conn.info.pop(TOUCHED, ()))
                if touched:
                    self.backend.touch(conn, touched)
        except SQLAlchemyError as error:
            raise storage_error(error) from None

    def changed(self, conn: Connection, *others: int) -> None:
        """This write changes what the own company (and `others`) see: their open apps refresh."""
        conn.info.setdefault(TOUCHED, set()).update((self.company_id, *others))
