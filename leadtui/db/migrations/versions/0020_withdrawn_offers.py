"""A principal withdraws a pending lead offer (issue 21)

- lead_shares.status gains 'zurückgezogen' (a withdrawn offer: the partner no longer sees it,
  the principal may offer it again), and the column is widened to 20 characters for it.
- SQLite keeps a table's CHECK in the table itself: the table is rebuilt (Alembic's batch),
  and its triggers of rule 17 made anew.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# Frozen when written: this revision's own SQL.
BEFORE = "('angeboten', 'angenommen', 'abgelehnt')"
AFTER = "('angeboten', 'angenommen', 'abgelehnt', 'zurückgezogen')"
SHARE_MOMENTS = (
    "(typeof(NEW.offered_at) = 'text' AND NEW.offered_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
    "AND date(NEW.offered_at, '+0 days') = substr(NEW.offered_at, 1, 10) AND NEW.offered_at >= '2000-01-01' "
    "AND NEW.offered_at < '2101-01-01') AND (NEW.decided_at IS NULL OR (typeof(NEW.decided_at) = 'text' AND "
    "NEW.decided_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.decided_at, '+0 days') = "
    "substr(NEW.decided_at, 1, 10) AND NEW.decided_at >= '2000-01-01' AND NEW.decided_at < '2101-01-01'))"
)


def _postgres(statuses: str, width: int) -> list[str]:
    return [
        "ALTER TABLE lead_shares DROP CONSTRAINT ck_lead_shares_status",
        "ALTER TABLE lead_shares DROP CONSTRAINT ck_lead_shares_status_valid",
        f"ALTER TABLE lead_shares ALTER COLUMN status TYPE VARCHAR({width})",
        f"ALTER TABLE lead_shares ADD CONSTRAINT ck_lead_shares_status CHECK (status IN {statuses})",
        f"ALTER TABLE lead_shares ADD CONSTRAINT ck_lead_shares_status_valid CHECK (status IN {statuses})",
    ]


def _sqlite(statuses: str, width: int) -> None:
    for event in ("insert", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS ck_lead_shares_{event}_valid")
    with op.batch_alter_table("lead_shares", recreate="always") as table:
        table.drop_constraint(op.f("ck_lead_shares_status"), type_="check")
        table.alter_column("status", type_=sa.String(width), existing_nullable=False)
        table.create_check_constraint("status", f"status IN {statuses}")
    for event in ("insert", "update"):
        op.execute(
            f"CREATE TRIGGER ck_lead_shares_{event}_valid BEFORE {event.upper()} ON lead_shares WHEN NOT "
            f"(NEW.status IN {statuses} AND {SHARE_MOMENTS}) BEGIN SELECT RAISE(ABORT, 'CHECK constraint "
            "failed: lead_shares'); END"
        )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _sqlite(AFTER, 20)
    else:
        for statement in _postgres(AFTER, 20):
            op.execute(statement)


def downgrade() -> None:
    # A withdrawn offer was, before, what a declined one is: the principal may offer it again.
    op.execute("UPDATE lead_shares SET status = 'abgelehnt' WHERE status = 'zurückgezogen'")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite(BEFORE, 12)
    else:
        for statement in _postgres(BEFORE, 12):
            op.execute(statement)
