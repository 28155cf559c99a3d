"""Activity on a journal entry is told only to companies that may read that entry

PostgreSQL only (see db/row_security.py, entry_delivery_statements): `leadtui_deliver` takes the
entry's company. SQLite delivers in Python (repository/notifications.py).

Revision ID: 0010
Revises: 0009
"""

from alembic import op

from leadtui.db.row_security import entry_delivery_statements, journal_statements

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = bind.exec_driver_sql("SELECT current_schema()").scalar_one()
        for statement in entry_delivery_statements(schema):
            op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "DROP FUNCTION IF EXISTS leadtui_deliver(integer, integer, text, integer, text, text, timestamp, integer)"
        )
        schema = bind.exec_driver_sql("SELECT current_schema()").scalar_one()
        for statement in journal_statements(schema):
            if "leadtui_deliver" in statement:
                op.execute(statement)
