"""Where leadtui keeps its data by default.

The database and the acting colleague come from the command line or the environment (the CLI
reads LEADTUI_DATABASE_URL and LEADTUI_USER through click); without them, an SQLite file in the
platform's user data folder, created on first start.
"""

from __future__ import annotations

import os
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


def default_database_path() -> Path:
    return data_dir() / "leadtui.db"


def demo_database_path() -> Path:
    return data_dir() / "demo.db"
