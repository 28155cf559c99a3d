"""Where leadtui keeps its data and how the database and user are chosen.

Order of precedence: command-line option, then environment variable, then the default: an
SQLite file in the platform's user data folder (created on first start).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

DATABASE_ENV = "LEADTUI_DATABASE_URL"
USER_ENV = "LEADTUI_USER"
DATA_DIR_ENV = "LEADTUI_DATA_DIR"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override).expanduser() if override else user_data_path("leadtui", appauthor=False)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def default_database_url() -> str:
    return sqlite_url(data_dir() / "leadtui.db")


def demo_database_path() -> Path:
    return data_dir() / "demo.db"


@dataclass(frozen=True)
class Settings:
    database_url: str
    user: str | None

    @classmethod
    def resolve(cls, db: str | None, user: str | None) -> Settings:
        return cls(
            database_url=db or os.environ.get(DATABASE_ENV) or default_database_url(),
            user=user or os.environ.get(USER_ENV) or None,
        )
