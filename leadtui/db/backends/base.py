"""What differs between the databases leadtui runs on, behind one interface.

The repository and the read model ask a `Backend` wherever SQLite and PostgreSQL differ - the
upsert construct, how text is searched, how open apps are told of a change, how a transaction
takes on the acting colleague for row-level security - instead of asking which database they
talk to. The backend is chosen once, when the repository is built
(`leadtui.db.backends.for_engine`).

Rules are not written here: a backend says *how* the database does a thing, the repository says
*what* must happen, once, in Python.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, Protocol

from sqlalchemy import Connection, Engine, Select, Table
from sqlalchemy.sql import ColumnElement


class Listener(Protocol):
    """Waits until the database may have a change for an open app (then the feed re-reads the
    own company's counter to know)."""

    def wait(self, timeout: float) -> bool: ...

    def also(self, channel: str) -> None:
        """Listen to one more company's channel too (the server watches all its clients')."""
        ...

    def close(self) -> None: ...


class Backend(ABC):
    """One database, as the repository uses it."""

    name: ClassVar[str]

    @abstractmethod
    def act(self, conn: Connection, colleague_id: int, active: Select[Any] | None = None) -> Any:
        """Begin the connection's transaction as `colleague_id` (the database's second wall
        behind the scope guard); with `active`, a query for whether the colleague is still
        active, run in the same round trip where the database can, and its answer returned."""

    def checks_reads(self, asked: bool) -> bool:
        """Whether a read re-checks that the actor is still active (`asked`: the caller wants
        it even where the database would refuse a deactivated login by itself)."""
        return True

    def clock(self) -> ColumnElement[Any] | None:
        """The database's own clock as SQL, where several server processes share one database
        and must decide deadlines alike (None: the process's clock is the data's)."""
        return None

    @abstractmethod
    def insert(self, table: Table | Any) -> Any:
        """The database's INSERT construct, with ON CONFLICT (an upsert)."""

    @abstractmethod
    def new_ids(self, conn: Connection, table: Table | Any, count: int) -> list[int]:
        """`count` ids for rows of `table` the caller is about to insert (a bulk insert with its
        own ids is one statement; asking each row's id back is one round each on SQLite)."""

    @abstractmethod
    def touch(self, conn: Connection, company_ids: list[int]) -> None:
        """Move these companies' change counters (sorted ids, in the caller's transaction)."""

    def match_count(self, words: list[str]) -> Any | None:
        """A statement counting the leads whose text contains all `words`, where the database
        plans by rules and a list must decide from the count how to search (None: it plans by
        its own statistics)."""
        return None

    def text_matches(self, target: Any, words: list[str], walk: bool) -> tuple[list[ColumnElement[bool]], list[str]]:
        """Conditions on `target` (a lead id column) that leads whose text contains `words`
        meet, from the database's search index; and the words it cannot answer, which the
        caller matches with LIKE. With `walk`, the conditions must not drive the query."""
        return [], words

    @contextmanager
    def across_companies(self, conn: Connection) -> Iterator[None]:
        """The repository's steps that write other companies' rows by rule - delivering their
        notifications, moving their views of an edited lead - which the scope guard lets
        through as marked (guard.ACROSS) and the database's wall must let through too."""
        yield

    @abstractmethod
    def listen(self, engine: Engine, channel: str, poll_s: float) -> Listener:
        """A listener for the company's change channel, on a connection of its own."""

    @abstractmethod
    def driver_errors(self) -> tuple[type[Exception], ...]:
        """The driver's own errors, which a lost connection raises outside SQLAlchemy."""
