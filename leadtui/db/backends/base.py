"""What differs between the databases leadtui runs on, behind one interface.

The repository and the read model ask a `Backend` wherever SQLite and PostgreSQL differ - the
upsert construct, how text is searched, how open apps are told of a change, what a login under
row-level security may not do itself - instead of asking which database they talk to. The
backend is chosen once, when the repository is built (`leadtui.db.backends.for_engine`).

Rules are not written here: a backend says *how* the database does a thing, the repository says
*what* must happen. Where a colleague's own PostgreSQL login may not do a thing directly, its
backend hands the same step to the SECURITY DEFINER function that does it (`PostgresLogin`);
those functions retire with the colleague logins.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol

from sqlalchemy import Connection, Engine, Integer, Table, literal
from sqlalchemy.sql import ColumnElement


@dataclass(frozen=True)
class DeliveryCall:
    """One delivery of notifications (repository/notifications.py says to whom)."""

    lead_id: int | None
    recipient: int | None
    kind: str
    count: int
    own_text: str
    other_text: str
    at: datetime
    source: int
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LeadEdit:
    """The data of a lead changed: every holder's view must sort and count by the new data."""

    lead_id: int
    sort_keys: Mapping[str, Any]
    old_status: str
    new_status: str


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
    # Execution options of a read (PostgreSQL reads run without a transaction).
    read_options: ClassVar[Mapping[str, Any]] = {}

    def acting_login(self) -> ColumnElement[Any]:
        """The colleague whose own login the connection uses (NULL: no colleague login)."""
        return literal(None, Integer)

    def for_login(self) -> Backend:
        """The backend for a colleague's own database login (only PostgreSQL has them)."""
        raise NotImplementedError(f"{self.name} has no colleague logins")

    def checks_reads(self, asked: bool) -> bool:
        """Whether a read re-checks that the actor is still active (`asked`: the caller wants
        it even where the database would refuse a deactivated login by itself)."""
        return True

    @abstractmethod
    def insert(self, table: Table | Any) -> Any:
        """The database's INSERT construct, with ON CONFLICT (an upsert)."""

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

    def deliver(self, conn: Connection, call: DeliveryCall, here: Callable[[Connection, DeliveryCall], None]) -> None:
        """Deliver notifications; `here` is the repository's delivery, run in this transaction."""
        here(conn, call)

    def move_views(self, conn: Connection, edit: LeadEdit, here: Callable[[Connection, LeadEdit], None]) -> None:
        """Move every holder's view of an edited lead; `here` is the repository's way."""
        here(conn, edit)

    @abstractmethod
    def listen(self, engine: Engine, channel: str, poll_s: float) -> Listener:
        """A listener for the company's change channel, on a connection of its own."""

    @abstractmethod
    def driver_errors(self) -> tuple[type[Exception], ...]:
        """The driver's own errors, which a lost connection raises outside SQLAlchemy."""
