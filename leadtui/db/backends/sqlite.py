"""SQLite: FTS5 trigram search, `PRAGMA data_version` as the change feed, one user."""

from __future__ import annotations

import sqlite3
import time
from typing import Any, ClassVar

from sqlalchemy import Connection, Engine, Select, bindparam, func, literal_column, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql import ColumnElement

from leadtui.db.backends.base import Backend
from leadtui.db.engine import sqlite_path
from leadtui.db.models import CompanyChangeModel as CompanyChange
from leadtui.db.search_index import MIN_INDEXED_WORD


def fts_phrase(words: list[str]) -> str:
    """An FTS5 query that all indexable words must match (quoted: user text is no syntax)."""
    indexed = [w for w in words if len(w) >= MIN_INDEXED_WORD]
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in indexed)


def fts_matches(phrase: str) -> Any:
    """The ids of the leads the FTS5 index matches (a bind of its own: one statement may hold
    several of these)."""
    return (
        text("SELECT rowid FROM leads_fts WHERE leads_fts MATCH :phrase")
        .bindparams(bindparam("phrase", phrase, unique=True))
        .columns(literal_column("rowid"))
    )


class Sqlite(Backend):
    name: ClassVar[str] = "sqlite"

    def act(self, conn: Connection, colleague_id: int, active: Select[Any] | None = None) -> Any:
        # No second wall to take on: one file belongs to one person or one server.
        return None if active is None else conn.execute(active).scalar()

    def insert(self, table: Any) -> Any:
        return sqlite_insert(table)

    def new_ids(self, conn: Connection, table: Any, count: int) -> list[int]:
        # A write transaction on SQLite holds the one write lock (BEGIN IMMEDIATE): nobody else
        # takes an id until it commits.
        last = conn.execute(select(func.max(table.id))).scalar() or 0
        return list(range(last + 1, last + 1 + count))

    def touch(self, conn: Connection, company_ids: list[int]) -> None:
        conn.execute(
            update(CompanyChange).where(CompanyChange.company_id.in_(company_ids)).values(seq=CompanyChange.seq + 1)
        )

    def match_count(self, words: list[str]) -> Any | None:
        # SQLite plans by rules, not by counts: a list counts the matches once to choose.
        phrase = fts_phrase(words)
        if not phrase:
            return None
        return text("SELECT count(*) FROM leads_fts WHERE leads_fts MATCH :phrase").bindparams(phrase=phrase)

    def text_matches(self, target: Any, words: list[str], walk: bool) -> tuple[list[ColumnElement[bool]], list[str]]:
        # With `walk`, the test is written so SQLite cannot drive the query from the matches
        # (`lead_id + 0`): it walks the sort index and probes the matches instead - the fast
        # plan when matches are many, as SQLite would otherwise sort them all.
        phrase = fts_phrase(words)
        if not phrase:
            return [], words
        probe = (target + 0) if walk else target
        return [probe.in_(fts_matches(phrase))], [w for w in words if len(w) < MIN_INDEXED_WORD]

    def listen(self, engine: Engine, channel: str, poll_s: float) -> DataVersion:
        return DataVersion(engine, poll_s)

    def driver_errors(self) -> tuple[type[Exception], ...]:
        return (sqlite3.Error,)


class DataVersion:
    """`PRAGMA data_version` tells cheaply that any process committed; polled every `poll_s`
    on a connection of its own (several processes on one machine share the file)."""

    def __init__(self, engine: Engine, poll_s: float):
        path = sqlite_path(engine.url)
        target = str(path) if path is not None else str(engine.url.database)
        self._poll_s = poll_s
        self._conn = sqlite3.connect(target, check_same_thread=False)
        self._version = self._read()

    def _read(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def also(self, channel: str) -> None:
        """Every commit moves the data version, whichever company it changed."""

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            version = self._read()
            if version != self._version:
                self._version = version
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(self._poll_s, max(deadline - time.monotonic(), 0)))

    def close(self) -> None:
        self._conn.close()
