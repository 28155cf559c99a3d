"""Telling an open app that its company's data changed - by a colleague, or by the app itself.

Every write moves the change counters of the companies it changes (see `Scope._changed`). A feed
watches the acting company's counter only, so a partner's app learns nothing - not even that it
should refresh - when a principal reassigns a shared lead:

- PostgreSQL: LISTEN on the company's private channel (a name only the company can read) on a
  connection of its own; a trigger notifies it with the counter, an id and nothing else.
- SQLite (several processes on one machine): `PRAGMA data_version` tells cheaply that anyone
  committed; only then the own counter is read. No busy loop: one check per poll interval.

`wait` blocks its caller (a worker thread) for at most `timeout` and says whether anything
changed. A lost connection is reopened, and reported as a change (something may have been missed).
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from leadtui.db.engine import sqlite_path
from leadtui.db.models import CompanyChangeModel as CompanyChange
from leadtui.repository.scope import Scope

POLL_S = 0.25


class ChangeFeed:
    def __init__(self, scope: Scope, poll_s: float = POLL_S):
        self._scope = scope
        self._engine: Engine = scope._engine
        self._poll_s = poll_s
        self._listener: Any = None
        self._sqlite: sqlite3.Connection | None = None
        self._data_version: int | None = None
        self._seq = self._own_seq()

    def _own_seq(self) -> tuple[int, str]:
        with self._scope._read(check=True) as conn:  # a deactivated colleague's app learns it here
            row = conn.execute(
                select(CompanyChange.seq, CompanyChange.channel).where(
                    CompanyChange.company_id == self._scope.company_id
                )
            ).one()
        return int(row.seq), str(row.channel)

    def wait(self, timeout: float) -> bool:
        """Whether the own company's data changed; returns within `timeout` seconds."""
        try:
            if self._engine.dialect.name == "postgresql":
                return self._wait_postgresql(timeout)
            return self._wait_sqlite(timeout)
        except (SQLAlchemyError, sqlite3.Error, OSError, self._driver_error()):
            self.close()
            time.sleep(min(timeout, 1.0))
            return True  # reconnect at the next wait; refresh, something may have been missed

    def _driver_error(self) -> type[Exception]:
        if self._engine.dialect.name == "postgresql":
            import psycopg

            return psycopg.Error
        return sqlite3.Error

    def _wait_postgresql(self, timeout: float) -> bool:
        if self._listener is None:
            from psycopg import sql

            raw = self._engine.raw_connection()
            listener = raw.driver_connection
            raw.detach()  # its own connection, never handed back to the pool while listening
            assert listener is not None
            listener.rollback()
            listener.autocommit = True
            self._seq = self._own_seq()
            # The channel name is stored data: the driver quotes it as an identifier, so a name
            # holding `";` is a strange channel, never a second statement.
            listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self._seq[1])))
            self._listener = listener
            return True  # (re)connected: refresh once, a change may have come in between
        for _ in self._listener.notifies(timeout=timeout, stop_after=1):
            self._seq = self._own_seq()  # also how a deactivated colleague's app learns it
            return True
        return False

    def _wait_sqlite(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if self._sqlite is None:
            path = sqlite_path(self._engine.url)
            target = str(path) if path is not None else str(self._engine.url.database)
            self._sqlite = sqlite3.connect(target, check_same_thread=False)
            self._data_version = self._sqlite.execute("PRAGMA data_version").fetchone()[0]
        while True:
            version = self._sqlite.execute("PRAGMA data_version").fetchone()[0]
            if version != self._data_version:
                self._data_version = version
                seq = self._own_seq()
                if seq != self._seq:
                    self._seq = seq
                    return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(self._poll_s, max(deadline - time.monotonic(), 0)))

    def close(self) -> None:
        if self._listener is not None:
            try:
                self._listener.close()
            finally:
                self._listener = None
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
