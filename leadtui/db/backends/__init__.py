"""One backend per database (see `base.py`); `for_engine` is the one place that asks which.

A backend's module is imported when its database is first used: the one-person app on SQLite
never loads SQLAlchemy's PostgreSQL dialect (nor PostgreSQL's the SQLite one).
"""

from __future__ import annotations

from importlib import import_module

from sqlalchemy import Connection, Engine

from leadtui.db.backends.base import Backend, Listener

BACKENDS: dict[str, tuple[str, str]] = {
    "sqlite": ("leadtui.db.backends.sqlite", "Sqlite"),
    "postgresql": ("leadtui.db.backends.postgres", "Postgres"),
}


def for_engine(engine: Engine | Connection) -> Backend:
    """The backend of the engine's database."""
    name = engine.dialect.name
    if name not in BACKENDS:
        raise ValueError(f"leadtui runs on SQLite or PostgreSQL, not {name}")
    module, cls = BACKENDS[name]
    backend: Backend = getattr(import_module(module), cls)()
    return backend


__all__ = ["BACKENDS", "Backend", "Listener", "for_engine"]
