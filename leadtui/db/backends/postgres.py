"""PostgreSQL: trigram search through the planner, LISTEN as the change feed; and a colleague's
own login under row-level security, which hands what it may not do to SECURITY DEFINER
functions (db/row_security.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from sqlalchemy import Connection, Engine, Integer, String, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.sql import ColumnElement

from leadtui.db.backends.base import Backend, DeliveryCall, LeadEdit
from leadtui.db.search_index import like_pattern


def like_patterns(words: list[str]) -> Any:
    return literal([like_pattern(word) for word in words], ARRAY(String()))


class Postgres(Backend):
    """PostgreSQL as its owner connects: the administrator's `--user` mode and the maintenance."""

    name: ClassVar[str] = "postgresql"
    read_options: ClassVar[dict[str, Any]] = {"isolation_level": "AUTOCOMMIT"}

    def acting_login(self) -> ColumnElement[Any]:
        return func.leadtui_me()

    def for_login(self) -> Backend:
        return PostgresLogin()

    def insert(self, table: Any) -> Any:
        return pg_insert(table)

    def touch(self, conn: Connection, company_ids: list[int]) -> None:
        # A function: a login may move only its own and related companies' counters.
        conn.execute(select(func.leadtui_touch(array(company_ids, type_=Integer))))

    def listen(self, engine: Engine, channel: str, poll_s: float) -> Listen:
        return Listen(engine, channel)

    def driver_errors(self) -> tuple[type[Exception], ...]:
        import psycopg

        return (psycopg.Error,)


class PostgresLogin(Postgres):
    """A colleague's own PostgreSQL login: row-level security shows it its company's rows only.

    Reads need no activity check of their own where they read a table that has rows (the
    policies raise "Ihr Zugang ist deaktiviert" in the same round trip); search, delivery and
    moving other holders' views go through functions, as the login cannot reach those rows."""

    def for_login(self) -> Backend:
        return self

    def checks_reads(self, asked: bool) -> bool:
        return asked

    def text_matches(self, target: Any, words: list[str], walk: bool) -> tuple[list[ColumnElement[bool]], list[str]]:
        # Row-level security keeps PostgreSQL from the trigram index: the function may use it
        # (it returns only leads this login sees).
        if not words:
            return [], []
        return [target.in_(select(func.leadtui_search(like_patterns(words))))], []

    def deliver(self, conn: Connection, call: DeliveryCall, here: Callable[[Connection, DeliveryCall], None]) -> None:
        conn.execute(
            select(
                func.leadtui_deliver(
                    call.lead_id,
                    call.recipient,
                    call.kind,
                    call.count,
                    call.own_text,
                    call.other_text,
                    call.at,
                    call.source,
                )
            ).execution_options(**call.options)
        )

    def move_views(self, conn: Connection, edit: LeadEdit, here: Callable[[Connection, LeadEdit], None]) -> None:
        keys = edit.sort_keys
        sort_keys = (keys["sort_title"], keys["sort_prospect"], keys["sort_city"], keys["sort_value"])
        conn.execute(select(func.leadtui_lead_edited(edit.lead_id, *sort_keys, edit.old_status, edit.new_status)))


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
