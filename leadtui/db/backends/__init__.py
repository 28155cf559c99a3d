"""One backend per database (see `base.py`); `for_engine` is the one place that asks which."""

from __future__ import annotations

from sqlalchemy import Connection, Engine

from leadtui.db.backends.base import Backend, DeliveryCall, LeadEdit, Listener
from leadtui.db.backends.postgres import Postgres, PostgresLogin
from leadtui.db.backends.sqlite import Sqlite

BACKENDS: dict[str, type[Backend]] = {"sqlite": Sqlite, "postgresql": Postgres}


def for_engine(engine: Engine | Connection) -> Backend:
    """The backend of the engine's database (as its owner connects; see `Backend.for_login`)."""
    name = engine.dialect.name
    if name not in BACKENDS:
        raise ValueError(f"leadtui runs on SQLite or PostgreSQL, not {name}")
    return BACKENDS[name]()


__all__ = [
    "BACKENDS",
    "Backend",
    "DeliveryCall",
    "LeadEdit",
    "Listener",
    "Postgres",
    "PostgresLogin",
    "Sqlite",
    "for_engine",
]
