"""PostgreSQL: the acting colleague in every transaction (row-level security, the second wall
behind the scope guard), the search through a function the wall does not blind, and LISTEN as
the change feed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from sqlalchemy import Connection, DateTime, Engine, Integer, Select, String, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.sql import ColumnElement

from leadtui.db.backends.base import Backend
from leadtui.db.row_security import ACTING_SETTING, USER_ROLE
from leadtui.db.search_index import like_pattern


def like_patterns(words: list[str]) -> Any:
    return literal([like_pattern(word) for word in words], ARRAY(String()))


class Postgres(Backend):
    """PostgreSQL, as the server (or the administrator's `--user` mode) connects: with a login
    that may take the role `leadtui_user`, which each transaction bound to a colleague takes,
    with the colleague as `leadtui.colleague` (db/row_security.py). The role owns nothing and
    row-level security is forced on it, so a statement the scope guard missed still sees and
    writes the acting company's rows only.

    Reads need no activity check of their own where they read a table that has rows: the
    policies raise "Ihr Zugang ist deaktiviert" in the same round trip."""

    name: ClassVar[str] = "postgresql"

    def act(self, conn: Connection, colleague_id: int, active: Select[Any] | None = None) -> Any:
        acting = [func.set_config("role", USER_ROLE, True), func.set_config(ACTING_SETTING, str(colleague_id), True)]
        if active is None:
            conn.execute(select(*acting))
            return None
        # One round trip for both: the check is planned before the role is taken, as the server.
        return conn.execute(select(active.scalar_subquery(), *acting)).scalar()

    def checks_reads(self, asked: bool) -> bool:
        return asked

    @contextmanager
    def across_companies(self, conn: Connection) -> Iterator[None]:
        # Back to the server's own login for the step, then the role again. An error aborts the
        # transaction, and the role ends with it: nothing to restore then.
        conn.execute(select(func.set_config("role", "none", True)))
        yield
        conn.execute(select(func.set_config("role", USER_ROLE, True)))

    def clock(self) -> ColumnElement[Any]:
        # Moments are kept as UTC without a zone; the statement's start, not the transaction's.
        return func.timezone("UTC", func.statement_timestamp(), type_=DateTime())

    def insert(self, table: Any) -> Any:
        return pg_insert(table)

    def new_ids(self, conn: Connection, table: Any, count: int) -> list[int]:
        taken = select(func.nextval(func.pg_get_serial_sequence(table.__tablename__, "id"))).select_from(
            func.generate_series(1, count)
        )
        return list(conn.execute(taken).scalars())

    def touch(self, conn: Connection, company_ids: list[int]) -> None:
        # A function, owned by the owner: the counters are no one company's rows.
        conn.execute(select(func.leadtui_touch(array(company_ids, type_=Integer))))

    def text_matches(self, target: Any, words: list[str], walk: bool) -> tuple[list[ColumnElement[bool]], list[str]]:
        # Row-level security keeps PostgreSQL from the trigram index (LIKE is not leakproof):
        # the function may use it, and returns only leads the acting company sees.
        if not words:
            return [], []
        return [target.in_(select(func.leadtui_search(like_patterns(words))))], []

    def listen(self, engine: Engine, channel: str, poll_s: float) -> Listen:
        return Listen(engine, channel)

    def driver_errors(self) -> tuple[type[Exception], ...]:
        import psycopg

        return (psycopg.Error,)


class Listen:
    """LISTEN on the company's private channel, on a connection never handed back to the pool."""

    def __init__(self, engine: Engine, channel: str):
        raw = engine.raw_connection()
        listener = raw.driver_connection
        raw.detach()
        assert listener is not None
        listener.rollback()
        listener.autocommit = True
        self._conn = listener
        self.also(channel)

    def also(self, channel: str) -> None:
        from psycopg import sql

        # The channel name is stored data: the driver quotes it as an identifier, so a name
        # holding `";` is a strange channel, never a second statement.
        self._conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))

    def wait(self, timeout: float) -> bool:
        return any(True for _ in self._conn.notifies(timeout=timeout, stop_after=1))

    def close(self) -> None:
        self._conn.close()
