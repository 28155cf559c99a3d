"""The partner is told of a new lead offer (rule 21)

- colleagues.offer_receiver: whether a colleague is told of the company's new lead offers -
  an admin's choice, or NULL for the company's default (its admins).
- notifications.kind gains 'offer' (a new lead offer, or a digest of several).
- lead_shares: an index to list a partner's open offers by their arrival.
- PostgreSQL: leadtui_user reads the column, and an admin of the company changes it (the
  existing policy on colleagues already limits updates to a company's admins).

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# Frozen when written: this revision's own SQL.
KINDS_BEFORE = "('assigned', 'note', 'task', 'change')"
KINDS_AFTER = "('assigned', 'note', 'task', 'change', 'offer')"
POSTGRES_UP = [
    "GRANT SELECT (offer_receiver), UPDATE (offer_receiver) ON colleagues TO leadtui_user",
    "ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind_valid",
    f"ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind_valid CHECK (kind IN {KINDS_AFTER})",
]
POSTGRES_DOWN = [
    "DELETE FROM notifications WHERE kind = 'offer'",
    "ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind_valid",
    f"ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind_valid CHECK (kind IN {KINDS_BEFORE})",
    "REVOKE SELECT (offer_receiver), UPDATE (offer_receiver) ON colleagues FROM leadtui_user",
]
NOTIFICATION_RULES = (
    "(typeof(NEW.count) = 'integer' AND NEW.count BETWEEN 1 AND 2147483647) AND (typeof(NEW.at) = 'text' "
    "AND NEW.at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.at, '+0 days') = "
    "substr(NEW.at, 1, 10) AND NEW.at >= '2000-01-01' AND NEW.at < '2101-01-01') AND (NEW.read_at IS NULL "
    "OR (typeof(NEW.read_at) = 'text' AND NEW.read_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
    "AND date(NEW.read_at, '+0 days') = substr(NEW.read_at, 1, 10) AND NEW.read_at >= '2000-01-01' AND "
    "NEW.read_at < '2101-01-01'))"
)


def _sqlite_triggers(kinds: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS ck_notifications_{event}_valid" for event in ("insert", "update")] + [
        f"CREATE TRIGGER ck_notifications_{event}_valid BEFORE {event.upper()} ON notifications WHEN NOT "
        f"(NEW.kind IN {kinds} AND {NOTIFICATION_RULES}) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: "
        "notifications'); END"
        for event in ("insert", "update")
    ]


def upgrade() -> None:
    op.add_column("colleagues", sa.Column("offer_receiver", sa.Boolean(), nullable=True))
    op.create_index("ix_lead_shares_partner_arrived", "lead_shares", ["partner_company_id", "status", "offered_at"])
    for statement in _sqlite_triggers(KINDS_AFTER) if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DELETE FROM notifications WHERE kind = 'offer'")
        statements = _sqlite_triggers(KINDS_BEFORE)
    else:
        statements = POSTGRES_DOWN
    for statement in statements:
        op.execute(statement)
    op.drop_index("ix_lead_shares_partner_arrived", table_name="lead_shares")
    op.execute("ALTER TABLE colleagues DROP COLUMN offer_receiver")  # SQLite keeps the table's triggers
