"""Engine setup for SQLite and PostgreSQL, and schema migration at start.

SQLite gets WAL, foreign keys, a busy timeout and transactions that really begin (the pysqlite
driver otherwise defers BEGIN and never issues it before SELECTs). Writers ask for
`BEGIN IMMEDIATE` through the `immediate` execution option so two writers queue instead of
failing on a lock upgrade. PostgreSQL gets the same bound on every wait: a lock, a statement, a
connection attempt; past it the caller gets `Busy`, never a frozen screen.

A new SQLite file is created only when the caller says so (`create`): a typo in a path must not
leave an empty database behind. Migrations run under a lock, so several first starts at once all
succeed, and a database newer than this leadtui is refused in one line.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, NoSuchModuleError, ProgrammingError, SQLAlchemyError

from leadtui.db import revisions
from leadtui.db.errors import NOT_LEADTUIS_LOGIN, describe_error, storage_error
from leadtui.db.row_security import OWNER_ROLE
from leadtui.domain import AccessDenied, LeadtuiError, StorageError

if TYPE_CHECKING:
    from alembic.config import Config

LOCK_TIMEOUT_MS = 5_000
STATEMENT_TIMEOUT_MS = 60_000
CONNECT_TIMEOUT_S = 5
IDLE_PING_S = 20  # a pooled connection idle this long is tested before use (a restart meanwhile)
MIGRATION_LOCK = 7_141_815_923  # pg_advisory_xact_lock key: one migration at a time


def unusable(error: SQLAlchemyError) -> LeadtuiError:
    """Why a database cannot be opened, in one line (a deactivated login says so)."""
    mapped = storage_error(error)
    if isinstance(mapped, AccessDenied):
        return mapped
    return StorageError(f"Datenbank nicht nutzbar: {describe_error(error)}")


def _alembic_config() -> Config:
    from alembic.config import Config  # only migrating needs Alembic: not on the start path

    config = Config()
    config.set_main_option("script_location", "leadtui.db:migrations")
    return config


def _setup_sqlite(engine: Engine, lock_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(lock_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        # 32 MB of page cache (SQLite's default is 2 MB): an import's inserts land on random
        # pages of the million-entry indexes; with the default cache they took 1.8 times as long.
        cursor.execute("PRAGMA cache_size = -32768")
        if engine.url.database not in (None, "", ":memory:"):
            _use_wal(cursor, lock_timeout_ms)
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _use_wal(cursor: Any, lock_timeout_ms: int) -> None:
    """Switch a new database to WAL (it stays so). Changing the journal mode does not wait for a
    lock the way statements do, so several first starts at once retry until the busy timeout."""
    deadline = time.monotonic() + lock_timeout_ms / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def sqlite_path(url: URL) -> Path | None:
    """The file of an SQLite URL, or None for memory and URI databases."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def _prepare_sqlite_file(path: Path, create: bool) -> None:
    if path.is_dir():
        raise StorageError(f"{path} ist ein Ordner, keine Datenbankdatei.")
    if path.exists():
        return
    if not create:
        raise StorageError(f"Datenbank nicht gefunden: {path} (neu anlegen mit --create)")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Readable by its owner only: lead data is personal data.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as error:
        raise StorageError(f"Datenbank nicht anlegbar: {error.strerror or error}: {path}") from None


def database_url(given: str) -> str:
    """`given` as a database URL: a URL as it is, a plain path ("leads.db", "~/firma/leads.db")
    as the SQLite file there - what a person types first."""
    if "://" in given or not given.strip():
        return given
    return f"sqlite:///{Path(given).expanduser().resolve()}"


def make_engine(url: str, *, create: bool = False, lock_timeout_ms: int = LOCK_TIMEOUT_MS) -> Engine:
    """An engine for `url` (or a plain SQLite path); StorageError with a user-fit message on a
    bad URL or a missing file."""
    url = database_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(f"Ungültige Datenbank-URL: {url!r}") from None
    backend = parsed.get_backend_name()
    path = sqlite_path(parsed)
    if path is not None:
        _prepare_sqlite_file(path, create)
    connect_args: dict[str, Any] = {}
    dialect_args: dict[str, Any] = {}
    if backend == "postgresql":
        dialect_args = {"use_native_hstore": False}  # no hstore here: one round trip less per start
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        # No JIT: leadtui's statements read a window of 50 rows by index, but the planner's cost
        # of a list window (the open-task subquery, estimated per row) crosses jit_above_cost at
        # some table sizes, and compiling then took 18 of a window's 39 ms at 100,000 leads -
        # why a smaller database listed slower than a larger one.
        connect_args = {
            "connect_timeout": CONNECT_TIMEOUT_S,
            "options": f"-c lock_timeout={int(lock_timeout_ms)} -c statement_timeout={STATEMENT_TIMEOUT_MS}"
            f" -c idle_in_transaction_session_timeout={STATEMENT_TIMEOUT_MS} -c jit=off",
        }
    try:
        # The most recently used connection first, so a working session keeps its connections warm.
        engine = create_engine(parsed, pool_use_lifo=True, connect_args=connect_args, **dialect_args)
    except NoSuchModuleError:
        raise StorageError(f"Datenbanktyp nicht unterstützt: {parsed.drivername}") from None
    except ImportError as error:
        raise StorageError(
            f"Datenbanktreiber fehlt ({error.name}); für PostgreSQL: pip install 'leadtui[postgres]'"
        ) from None
    except ArgumentError as error:
        raise StorageError(f"Ungültige Datenbank-URL: {error}") from None
    if backend == "sqlite":
        _setup_sqlite(engine, lock_timeout_ms)
    else:
        _ping_after_idle(engine)
        _read_every_date(engine)
    return engine


def _read_every_date(engine: Engine) -> None:
    """PostgreSQL holds years up to 294276, Python's dates end with 9999: psycopg would fail the
    whole result over one such row. Such a date reads as None, shown as a placeholder (the CHECKs
    of db/integrity.py keep them out; this holds if one got in anyway)."""
    import psycopg
    from psycopg.types.datetime import DateLoader, TimestampLoader

    def lenient(loader: type[Any]) -> type[Any]:
        class Lenient(loader):  # type: ignore[misc]
            def load(self, data: Any) -> Any:
                try:
                    return super().load(data)
                except psycopg.DataError:
                    return None

        return Lenient

    timestamp, day = lenient(TimestampLoader), lenient(DateLoader)

    @event.listens_for(engine, "connect")
    def connected(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.adapters.register_loader("timestamp", timestamp)
        dbapi_connection.adapters.register_loader("date", day)


def _ping_after_idle(engine: Engine) -> None:
    """Test a pooled connection before use only when it sat idle (the server may have restarted
    meanwhile): a ping before every use would cost a round trip on every key across a network.
    A connection that breaks in use anyway raises Unreachable, and the pool connects anew."""

    @event.listens_for(engine, "checkin")
    def returned(dbapi_connection: Any, record: Any) -> None:
        record.info["leadtui_returned"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def taken(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        returned_at = record.info.get("leadtui_returned")
        if returned_at is not None and time.monotonic() - returned_at > IDLE_PING_S:
            try:
                engine.dialect.do_ping(dbapi_connection)
                dbapi_connection.rollback()  # the ping's transaction: the connection starts clean
            except Exception as error:
                raise DisconnectionError from error


def _revision(connection: Connection) -> str | None:
    if connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        # One round trip instead of two; outside a transaction a failure costs nothing.
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except ProgrammingError as error:
            if getattr(error.orig, "sqlstate", None) == "42501":  # a login that is not leadtui's
                raise StorageError(NOT_LEADTUIS_LOGIN) from None
            return None
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def head_revision() -> str:
    return revisions.head()


@contextmanager
def migration_lock(engine: Engine) -> Iterator[Connection]:
    """A transaction that only one process holds at a time: SQLite's write lock (others wait
    for the busy timeout), PostgreSQL's advisory lock (others wait for it to commit)."""
    with engine.execution_options(immediate=True).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            _act_as_owner(connection)
        yield connection


def _act_as_owner(connection: Connection) -> None:
    """Team mode: an administrator's login migrates as leadtui_owner, so that every object it
    creates belongs to the owner role (a superuser migrates as itself; 0004 hands ownership on)."""
    member = connection.execute(
        text(
            "SELECT NOT rolsuper AND pg_has_role(current_user, :owner, 'MEMBER') FROM pg_roles"
            " WHERE rolname = current_user AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :owner)"
        ),
        {"owner": OWNER_ROLE},
    ).scalar()
    if member:
        connection.execute(text(f"SET LOCAL ROLE {OWNER_ROLE}"))


def check_revision(connection: Connection) -> str | None:
    """The schema revision; StorageError for a database newer than this leadtui or not ours."""
    revision = _revision(connection)
    if revision is not None and revision not in revisions.known():
        raise StorageError(
            f"Die Datenbank ist neuer als diese leadtui-Version (Schema {revision}); bitte leadtui aktualisieren."
        )
    if (
        revision is None
        and connection.dialect.name == "sqlite"
        and set(inspect(connection).get_table_names()) - {"alembic_version"}
    ):
        raise StorageError("Die Datei ist keine leadtui-Datenbank (fremde Tabellen, kein leadtui-Schema).")
    return revision


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the newest revision; returns whether anything was migrated."""
    try:
        with engine.connect() as connection:
            if check_revision(connection) == head_revision():
                return False
        with migration_lock(engine) as connection:
            if check_revision(connection) == head_revision():
                return False  # another start migrated it while we waited
            from alembic import command

            config = _alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            return True
    except SQLAlchemyError as error:
        raise unusable(error) from error


def require_current(engine: Engine) -> None:
    """StorageError unless the schema is exactly this leadtui's (PostgreSQL migrates only when an
    administrator says so: `leadtui db upgrade`)."""
    try:
        # Without a transaction: no BEGIN and ROLLBACK round trips across a network.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            revision = check_revision(connection)
    except SQLAlchemyError as error:
        raise unusable(error) from error
    if revision != head_revision():
        found = revision or "leer"
        raise StorageError(
            f"Das Datenbankschema ist nicht aktuell (Schema {found}, diese Version braucht {head_revision()});"
            " ein Administrator führt 'leadtui db upgrade' aus."
        )


def open_database(
    url: str, *, create: bool = False, migrate: bool | None = None, lock_timeout_ms: int = LOCK_TIMEOUT_MS
) -> Engine:
    """An engine on `url` with the schema current; StorageError if that is not possible.

    SQLite (one person, one machine) migrates at start; PostgreSQL (a team) only with
    `migrate=True`, which `leadtui db upgrade` passes for the administrator."""
    engine = make_engine(url, create=create, lock_timeout_ms=lock_timeout_ms)
    try:
        if migrate if migrate is not None else engine.dialect.name == "sqlite":
            upgrade(engine)
        else:
            require_current(engine)
    except StorageError:
        engine.dispose()
        raise
    return engine
