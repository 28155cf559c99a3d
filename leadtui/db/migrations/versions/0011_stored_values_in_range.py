"""Every status, kind, date, counter and version column refuses values outside its range

Rows that break a rule (written by an old version, a bug or a person with SQL) are reported on
stderr and repaired first; then PostgreSQL gets CHECK constraints and SQLite the same conditions
as triggers (it cannot add a constraint to a table). See db/integrity.py.

Revision ID: 0011
Revises: 0010
"""

import sys
from datetime import UTC, datetime

from alembic import op

from leadtui.db import integrity

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    broken = integrity.invalid_rows(conn)
    for rule, n in broken:
        print(f"Repariert: {n} Zeilen in {rule.table}.{rule.column} ({rule.what}).", file=sys.stderr)
    integrity.repair(conn, broken, datetime.now(UTC).replace(tzinfo=None))
    for ddl in integrity.enforcement(conn.dialect.name).values():
        op.execute(ddl)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "sqlite":
        for name in integrity.sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for rule in integrity.RULES:
            op.execute(f"ALTER TABLE {rule.table} DROP CONSTRAINT IF EXISTS {rule.name}")
