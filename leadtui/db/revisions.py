"""The schema revisions this leadtui knows, read from the names of its migration files.

A start compares the database's revision with these without importing Alembic, which only
migrating needs (its import and reading every revision script cost a start about 0.1 s).
tests/test_migrations.py holds them equal to what Alembic reads from the scripts.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"


@cache
def known() -> frozenset[str]:
    """Every revision: the four digits each migration's file name starts with ("0011_…")."""
    return frozenset(path.name.split("_", 1)[0] for path in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


def head() -> str:
    return max(known())
