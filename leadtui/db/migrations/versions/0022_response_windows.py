"""Lead offers get a response window (rule 24)

- partnerships.window_hours: the response window a principal's offers to that partner get by
  default (1 to 8760 hours; NULL: no deadline). The principal's admins set it: leadtui_user may
  update that column of its own company's partnerships as principal.
- lead_shares.deadline: when an offer stops being open (NULL: never), after it was made;
  lead_shares.remind_at: when the partner's offer receivers are to be reminded of it, until they
  are (then NULL), never after the deadline.
- lead_shares.status gains 'abgelaufen' (the window ended undecided; the principal may offer the
  lead again). Two indexes let the due work find deadlines and reminders that have come.
- SQLite keeps the status CHECK in the table (rebuilt, as in 0020) and the other rules in the
  triggers of rule 17, made anew; PostgreSQL in CHECK constraints.

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

# Frozen when written: this revision's own SQL.
BEFORE = "('angeboten', 'angenommen', 'abgelehnt', 'zurückgezogen')"
AFTER = "('angeboten', 'angenommen', 'abgelehnt', 'zurückgezogen', 'abgelaufen')"
SHARE_RULES_AFTER = (
    "NEW.status IN ('angeboten', 'angenommen', 'abgelehnt', 'zurückgezogen', 'abgelaufen') AND "
    "(typeof(NEW.offered_at) = 'text' AND NEW.offered_at GLOB "
    "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.offered_at, '+0 days') = "
    "substr(NEW.offered_at, 1, 10) AND NEW.offered_at >= '2000-01-01' AND NEW.offered_at < '2101-01-01') "
    "AND (NEW.decided_at IS NULL OR (typeof(NEW.decided_at) = 'text' AND NEW.decided_at GLOB "
    "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.decided_at, '+0 days') = "
    "substr(NEW.decided_at, 1, 10) AND NEW.decided_at >= '2000-01-01' AND NEW.decided_at < '2101-01-01'))"
    " AND ((NEW.decline_reason IS NULL AND NEW.decline_text IS NULL) OR (NEW.status = 'abgelehnt' AND "
    "NEW.decline_reason IN ('keine_kapazitaet', 'ausserhalb_gebiet', 'kein_bedarf', 'dublette', "
    "'sonstiges') AND (NEW.decline_text IS NULL OR NEW.decline_reason = 'sonstiges'))) AND ((NEW.deadline"
    " IS NULL AND NEW.remind_at IS NULL) OR (NEW.deadline IS NOT NULL AND (typeof(NEW.deadline) = 'text' "
    "AND NEW.deadline GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.deadline, '+0 "
    "days') = substr(NEW.deadline, 1, 10) AND NEW.deadline >= '2000-01-01' AND NEW.deadline < "
    "'2101-01-01') AND NEW.deadline > NEW.offered_at AND (NEW.remind_at IS NULL OR "
    "((typeof(NEW.remind_at) = 'text' AND NEW.remind_at GLOB "
    "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.remind_at, '+0 days') = "
    "substr(NEW.remind_at, 1, 10) AND NEW.remind_at >= '2000-01-01' AND NEW.remind_at < '2101-01-01') AND"
    " NEW.remind_at <= NEW.deadline))))"
)
PARTNERSHIP_RULES = (
    "(NEW.window_hours IS NULL OR (typeof(NEW.window_hours) = 'integer' AND NEW.window_hours BETWEEN 1 AND 8760))"
)
DEADLINE = (
    "((deadline IS NULL AND remind_at IS NULL) OR (deadline IS NOT NULL AND (deadline >= '2000-01-01' AND"
    " deadline < '2101-01-01') AND deadline > offered_at AND (remind_at IS NULL OR ((remind_at >= "
    "'2000-01-01' AND remind_at < '2101-01-01') AND remind_at <= deadline))))"
)
WINDOW_HOURS = "(window_hours IS NULL OR (window_hours BETWEEN 1 AND 8760))"
SHARE_RULES_BEFORE = (
    "NEW.status IN ('angeboten', 'angenommen', 'abgelehnt', 'zurückgezogen') AND (typeof(NEW.offered_at) "
    "= 'text' AND NEW.offered_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND "
    "date(NEW.offered_at, '+0 days') = substr(NEW.offered_at, 1, 10) AND NEW.offered_at >= '2000-01-01' "
    "AND NEW.offered_at < '2101-01-01') AND (NEW.decided_at IS NULL OR (typeof(NEW.decided_at) = 'text' "
    "AND NEW.decided_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.decided_at, '+0 "
    "days') = substr(NEW.decided_at, 1, 10) AND NEW.decided_at >= '2000-01-01' AND NEW.decided_at < "
    "'2101-01-01')) AND ((NEW.decline_reason IS NULL AND NEW.decline_text IS NULL) OR (NEW.status = "
    "'abgelehnt' AND NEW.decline_reason IN ('keine_kapazitaet', 'ausserhalb_gebiet', 'kein_bedarf', "
    "'dublette', 'sonstiges') AND (NEW.decline_text IS NULL OR NEW.decline_reason = 'sonstiges')))"
)


def _triggers(table: str, valid: str | None) -> list[str]:
    statements = []
    for event in ("insert", "update"):
        name = f"ck_{table}_{event}_valid"
        statements.append(f"DROP TRIGGER IF EXISTS {name}")
        if valid is not None:
            statements.append(
                f"CREATE TRIGGER {name} BEFORE {event.upper()} ON {table} WHEN NOT ({valid}) "
                f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {table}'); END"
            )
    return statements


def _sqlite_statuses(statuses: str) -> None:
    """The table's own CHECK of the status, made anew with the table (its triggers go first)."""
    for statement in _triggers("lead_shares", None):
        op.execute(statement)
    with op.batch_alter_table("lead_shares", recreate="always") as table:
        table.drop_constraint(op.f("ck_lead_shares_status"), type_="check")
        table.create_check_constraint("status", f"status IN {statuses}")


def _postgres_statuses(statuses: str) -> list[str]:
    return [
        "ALTER TABLE lead_shares DROP CONSTRAINT ck_lead_shares_status",
        "ALTER TABLE lead_shares DROP CONSTRAINT ck_lead_shares_status_valid",
        f"ALTER TABLE lead_shares ADD CONSTRAINT ck_lead_shares_status CHECK (status IN {statuses})",
        f"ALTER TABLE lead_shares ADD CONSTRAINT ck_lead_shares_status_valid CHECK (status IN {statuses})",
    ]


# The principal's admins set the default window of their own partnerships (the repository lets
# only admins; the wall keeps every login to its own company's rows as principal).
POLICY = [
    "GRANT UPDATE (window_hours) ON partnerships TO leadtui_user",
    "DROP POLICY IF EXISTS company_2 ON partnerships",
    "CREATE POLICY company_2 ON partnerships FOR UPDATE USING (principal_id = (SELECT leadtui_company())) "
    "WITH CHECK (principal_id = (SELECT leadtui_company()))",
]


def upgrade() -> None:
    op.add_column("partnerships", sa.Column("window_hours", sa.Integer(), nullable=True))
    op.add_column("lead_shares", sa.Column("deadline", sa.DateTime(), nullable=True))
    op.add_column("lead_shares", sa.Column("remind_at", sa.DateTime(), nullable=True))
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _sqlite_statuses(AFTER)
        statements = _triggers("lead_shares", SHARE_RULES_AFTER) + _triggers("partnerships", PARTNERSHIP_RULES)
    else:
        statements = [
            *_postgres_statuses(AFTER),
            f"ALTER TABLE lead_shares ADD CONSTRAINT ck_lead_shares_deadline_valid CHECK ({DEADLINE})",
            f"ALTER TABLE partnerships ADD CONSTRAINT ck_partnerships_window_hours_valid CHECK ({WINDOW_HOURS})",
            *POLICY,
        ]
    for statement in statements:
        op.execute(statement)
    op.create_index("ix_lead_shares_due_deadline", "lead_shares", ["status", "deadline"])
    op.create_index("ix_lead_shares_due_reminder", "lead_shares", ["status", "remind_at"])


def downgrade() -> None:
    # An expired offer was, before, what a declined one is: the principal may offer it again.
    op.execute("UPDATE lead_shares SET status = 'abgelehnt' WHERE status = 'abgelaufen'")
    op.drop_index("ix_lead_shares_due_reminder", "lead_shares")
    op.drop_index("ix_lead_shares_due_deadline", "lead_shares")
    if op.get_bind().dialect.name == "sqlite":
        statements = _triggers("partnerships", None) + _triggers("lead_shares", None)
    else:
        statements = [
            "DROP POLICY IF EXISTS company_2 ON partnerships",
            "REVOKE UPDATE (window_hours) ON partnerships FROM leadtui_user",
            "ALTER TABLE partnerships DROP CONSTRAINT ck_partnerships_window_hours_valid",
            "ALTER TABLE lead_shares DROP CONSTRAINT ck_lead_shares_deadline_valid",
            *_postgres_statuses(BEFORE),
        ]
    for statement in statements:
        op.execute(statement)
    with op.batch_alter_table(
        "lead_shares", recreate="always" if op.get_bind().dialect.name == "sqlite" else "auto"
    ) as table:
        table.drop_column("remind_at")
        table.drop_column("deadline")
        if op.get_bind().dialect.name == "sqlite":
            table.drop_constraint(op.f("ck_lead_shares_status"), type_="check")
            table.create_check_constraint("status", f"status IN {BEFORE}")
    with op.batch_alter_table("partnerships") as table:
        table.drop_column("window_hours")
    if op.get_bind().dialect.name == "sqlite":
        for statement in _triggers("lead_shares", SHARE_RULES_BEFORE):
            op.execute(statement)
