"""A partner says why it declines a lead offer (rule 23)

- lead_shares.decline_reason and decline_text: one of five reasons, and a short text with
  "Sonstiges"; only on a declined offer (the database refuses a reason on any other, and a text
  with any other reason). The principal reads them; the partner's colleague is never named.
- notifications.kind gains 'declined' (the colleague who passed the lead on is told the reason).
- SQLite keeps these rules in the triggers of rule 17, which are made anew; PostgreSQL in CHECKs.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

# Frozen when written: this revision's own SQL.
REASONS = "('keine_kapazitaet', 'ausserhalb_gebiet', 'kein_bedarf', 'dublette', 'sonstiges')"
DECLINE = (
    "((decline_reason IS NULL AND decline_text IS NULL) OR (status = 'abgelehnt' AND decline_reason IN "
    f"{REASONS} AND (decline_text IS NULL OR decline_reason = 'sonstiges')))"
)
SHARE_RULES = (
    "NEW.status IN ('angeboten', 'angenommen', 'abgelehnt', 'zurückgezogen') AND (typeof(NEW.offered_at) = 'text' "
    "AND NEW.offered_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.offered_at, '+0 days') = "
    "substr(NEW.offered_at, 1, 10) AND NEW.offered_at >= '2000-01-01' AND NEW.offered_at < '2101-01-01') AND "
    "(NEW.decided_at IS NULL OR (typeof(NEW.decided_at) = 'text' AND NEW.decided_at GLOB "
    "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.decided_at, '+0 days') = "
    "substr(NEW.decided_at, 1, 10) AND NEW.decided_at >= '2000-01-01' AND NEW.decided_at < '2101-01-01'))"
)
SHARE_DECLINE = (
    "((NEW.decline_reason IS NULL AND NEW.decline_text IS NULL) OR (NEW.status = 'abgelehnt' AND "
    f"NEW.decline_reason IN {REASONS} AND (NEW.decline_text IS NULL OR NEW.decline_reason = 'sonstiges')))"
)
KINDS_BEFORE = "('assigned', 'note', 'task', 'change', 'offer')"
KINDS_AFTER = "('assigned', 'note', 'task', 'change', 'offer', 'declined')"
NOTIFICATION_RULES = (
    "(typeof(NEW.count) = 'integer' AND NEW.count BETWEEN 1 AND 2147483647) AND (typeof(NEW.at) = 'text' "
    "AND NEW.at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.at, '+0 days') = "
    "substr(NEW.at, 1, 10) AND NEW.at >= '2000-01-01' AND NEW.at < '2101-01-01') AND (NEW.read_at IS NULL "
    "OR (typeof(NEW.read_at) = 'text' AND NEW.read_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
    "AND date(NEW.read_at, '+0 days') = substr(NEW.read_at, 1, 10) AND NEW.read_at >= '2000-01-01' AND "
    "NEW.read_at < '2101-01-01'))"
)


def _trigger(table: str, event: str, valid: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS ck_{table}_{event}_valid",
        f"CREATE TRIGGER ck_{table}_{event}_valid BEFORE {event.upper()} ON {table} WHEN NOT ({valid}) "
        f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {table}'); END",
    ]


def _sqlite(shares: str, kinds: str) -> list[str]:
    statements = []
    for event in ("insert", "update"):
        statements += _trigger("lead_shares", event, shares)
        statements += _trigger("notifications", event, f"NEW.kind IN {kinds} AND {NOTIFICATION_RULES}")
    return statements


def _postgres_kinds(kinds: str) -> list[str]:
    return [
        "ALTER TABLE notifications DROP CONSTRAINT ck_notifications_kind_valid",
        f"ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind_valid CHECK (kind IN {kinds})",
    ]


def upgrade() -> None:
    op.add_column("lead_shares", sa.Column("decline_reason", sa.String(20), nullable=True))
    op.add_column("lead_shares", sa.Column("decline_text", sa.String(200), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        statements = _sqlite(f"{SHARE_RULES} AND {SHARE_DECLINE}", KINDS_AFTER)
    else:
        statements = [
            f"ALTER TABLE lead_shares ADD CONSTRAINT ck_lead_shares_decline_reason_valid CHECK ({DECLINE})",
            *_postgres_kinds(KINDS_AFTER),
        ]
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE kind = 'declined'")
    if op.get_bind().dialect.name == "sqlite":
        statements = _sqlite(SHARE_RULES, KINDS_BEFORE)  # the triggers first: they name the columns
    else:
        statements = [
            "ALTER TABLE lead_shares DROP CONSTRAINT ck_lead_shares_decline_reason_valid",
            *_postgres_kinds(KINDS_BEFORE),
        ]
    for statement in statements:
        op.execute(statement)
    op.execute("ALTER TABLE lead_shares DROP COLUMN decline_text")
    op.execute("ALTER TABLE lead_shares DROP COLUMN decline_reason")
