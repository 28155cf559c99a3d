"""Working a lead: a versioned lead, its journal, and notifications

- leads.version: moves with every edit, so a stale edit is refused.
- journal_entries: notes, tasks and change events, shared with directly related companies.
- notifications: one per recipient, composed at delivery.
- PostgreSQL: the edit rule trigger, the functions that move other holders' read model and
  deliver notifications, grants and row-level security (see db/row_security.py).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

from leadtui.db.row_security import journal_statements

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column("leads", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_table(
        "journal_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("body", sa.String(length=4000), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_company_id", sa.Integer(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('note', 'task', 'event')", name=op.f("ck_journal_entries_kind")),
        sa.CheckConstraint(
            "kind = 'task' OR (due IS NULL AND done_at IS NULL)", name=op.f("ck_journal_entries_task_fields")
        ),
        sa.ForeignKeyConstraint(
            ["author_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_journal_entries_author_same_company",
        ),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_journal_entries_company_id_companies")),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_journal_entries_lead_id_leads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_entries")),
    )
    op.create_index("ix_journal_entries_lead", "journal_entries", ["lead_id", "id"])
    op.create_index("ix_journal_entries_open_tasks", "journal_entries", ["done_at", "due", "lead_id"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("colleague_id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=600), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["colleague_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_notifications_recipient_same_company",
        ),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_notifications_lead_id_leads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index("ix_notifications_colleague", "notifications", ["colleague_id", "id"])
    op.create_index("ix_notifications_unread", "notifications", ["colleague_id", "read_at"])
    if bind.dialect.name == "postgresql":
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
        for statement in journal_statements(schema):
            op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("DROP TRIGGER IF EXISTS leads_edit_rule ON leads")
        op.execute("DROP FUNCTION IF EXISTS leadtui_edit_rule()")
        op.execute("DROP FUNCTION IF EXISTS leadtui_lead_edited(integer, text, text, text, integer, text, text)")
        op.execute("DROP FUNCTION IF EXISTS leadtui_deliver(integer, integer, text, integer, text, text, timestamp)")
    op.drop_table("notifications")
    op.drop_table("journal_entries")  # and its policies, which use the function below
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS leadtui_journal_visible(integer, integer)")
    with op.batch_alter_table("leads") as batch:
        batch.drop_column("version")
