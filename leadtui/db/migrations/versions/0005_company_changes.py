"""Change counters per company, for live updates between colleagues

Every write moves the counters of the companies whose lists it changes; open apps of a company
watch its counter (PostgreSQL: LISTEN on the company's private channel, notified by a trigger;
SQLite: polling). See db/read_model.py and repository/changes.py.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from leadtui.db.read_model import new_channel
from leadtui.db.row_security import change_feed_statements

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "company_changes",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_company_changes_company_id_companies")),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_company_changes")),
        sa.UniqueConstraint("channel", name=op.f("uq_company_changes_channel")),
    )
    companies = [row[0] for row in bind.execute(sa.text("SELECT id FROM companies"))]
    for company_id in companies:
        bind.execute(
            sa.text("INSERT INTO company_changes (company_id, seq, channel) VALUES (:c, 0, :ch)"),
            {"c": company_id, "ch": new_channel()},
        )
    if bind.dialect.name == "postgresql":
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
        for statement in change_feed_statements(schema):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS company_changes_notify ON company_changes")
        op.execute("DROP FUNCTION IF EXISTS leadtui_notify_change()")
        op.execute("DROP FUNCTION IF EXISTS leadtui_touch(integer[])")
    op.drop_table("company_changes")
