"""Opening the database for a command: which one, whether it may be created, and what to do
about a bulk load that is running or was killed.

SQLAlchemy and the database layer are imported when a command opens a database, not when the
command line starts: `leadtui --server …` never needs them (a fifth of its start-up)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from leadtui.config import default_database_path, demo_database_path, sqlite_url
from leadtui.domain import LeadtuiError

if TYPE_CHECKING:
    from sqlalchemy import Engine


class UserError(Exception):
    """A problem to report as one line on stderr, with exit code 2."""


def say(message: str) -> None:
    print(f"leadtui: {message}", file=sys.stderr)


def open_for(db: str | None, *, create: bool, writes: bool, repair: bool = True, migrate: bool | None = None) -> Engine:
    """The engine of `db` (default: the SQLite file in the data folder).

    A new SQLite file is created only by a command that writes, at the default place or with
    --create, and the user is told. SQLite migrates at start; PostgreSQL only with `migrate`
    (`leadtui db upgrade`). A bulk load still running refuses the command; one that was killed is
    repaired first (unless the command is `db check`, which reports it)."""
    from leadtui.db.engine import open_database

    path = default_database_path() if db is None else None
    may_create = writes and (create or db is None)
    url = db if db is not None else sqlite_url(path or default_database_path())
    fresh = path is not None and may_create and not path.exists()
    engine = open_database(url, create=may_create, migrate=migrate)
    _close_with_command(engine)
    if fresh:
        say(f"neue Datenbank angelegt: {path}")
    if repair:
        _settle_bulk_load(engine)
    return engine


def _close_with_command(engine: Engine) -> None:
    """Close the engine's connections when the command ends (they would linger in-process)."""
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(engine.dispose)


def _settle_bulk_load(engine: Engine) -> None:
    from leadtui.admin import Admin
    from leadtui.db.maintenance import bulk_load_state, check

    interrupted, running = bulk_load_state(engine)
    if interrupted is None:
        return
    if running:
        engine.dispose()
        raise UserError("In dieser Datenbank läuft gerade eine Massenanlage (leadtui seed); bitte warten.")
    if not Admin(engine).is_administrator():
        raise UserError(
            "Eine Massenanlage wurde unterbrochen; ein Administrator repariert mit 'leadtui db check --repair'."
        )
    say("eine unterbrochene Massenanlage wird repariert …")
    check(engine, repair=True)


def open_demo(reset: bool) -> Engine:
    """The demo database, built aside and moved into place so a killed build leaves none."""
    from leadtui.db.engine import open_database
    from leadtui.seed import build_demo

    path = demo_database_path()
    if reset:
        _remove(path)
    if not path.exists():
        staging = path.with_name("demo-building.db")
        _remove(staging)
        engine = open_database(sqlite_url(staging), create=True)
        try:
            build_demo(engine)
        finally:
            engine.dispose()
        os.replace(staging, path)
    try:
        return open_database(sqlite_url(path))
    except LeadtuiError as error:
        raise UserError(f"{error} (mit --demo --reset neu anlegen)") from None


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
