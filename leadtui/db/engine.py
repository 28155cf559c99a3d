"""Engine setup for SQLite and PostgreSQL, and schema migration at start.

SQLite gets WAL, foreign keys, a busy timeout and transactions that really begin (the pysqlite
driver otherwise defers BEGIN and never issues it before SELECTs). Writers ask for
`BEGIN IMMEDIATE` through the `immediate` execution option so two writers queue instead of
failing on a lock upgrade.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from leadtui.domain import StorageError

BUSY_TIMEOUT_MS = 5000


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "leadtui.db:migrations")
    return config


def _setup_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        immediate = connection.get_execution_options().get("immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    """Create an engine for `url`; raises StorageError with a user-fit message on a bad URL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(f"Ungültige Datenbank-URL: {url!r}") from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database).expanduser()
            if path.is_dir():
                raise StorageError(f"{path} ist ein Ordner, keine Datenbankdatei.")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StorageError(f"Datenbankordner nicht anlegbar: {error}") from None
    elif parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        engine = create_engine(
            parsed,
            pool_pre_ping=parsed.get_backend_name() != "sqlite",
            connect_args={"connect_timeout": 5} if parsed.get_backend_name() == "postgresql" else {},
        )
    except NoSuchModuleError:
        raise StorageError(f"Datenbanktyp nicht unterstützt: {parsed.drivername}") from None
    except ImportError as error:
        raise StorageError(
            f"Datenbanktreiber fehlt ({error.name}); für PostgreSQL: pip install 'leadtui[postgres]'"
        ) from None
    except ArgumentError as error:
        raise StorageError(f"Ungültige Datenbank-URL: {error}") from None
    if parsed.get_backend_name() == "sqlite":
        _setup_sqlite(engine)
    return engine


def describe_error(error: SQLAlchemyError) -> str:
    """One line for a user, without SQL or a traceback."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
    if "file is not a database" in text:
        return "Die Datei ist keine leadtui-Datenbank (keine SQLite-Datei)."
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return f"Datenbankverbindung verloren: {text}"
    return text


def is_current(engine: Engine) -> bool:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision() == head


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision; a no-op when it is current."""
    try:
        if is_current(engine):
            return
        with engine.begin() as connection:
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as error:
        raise StorageError(f"Datenbank nicht nutzbar: {describe_error(error)}") from None


def open_database(url: str) -> Engine:
    """An engine on `url` with the schema migrated; StorageError if that is not possible."""
    engine = make_engine(url)
    upgrade(engine)
    return engine
