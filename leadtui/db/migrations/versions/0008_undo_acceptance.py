"""Undo of an acceptance: a login may delete an untouched accepted view and its history entry

PostgreSQL only (see db/row_security.py, undo_statements); SQLite has no row-level security.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

from leadtui.db.row_security import USER_ROLE, undo_statements

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in undo_statements():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS undo_acceptance ON company_leads")
        op.execute("DROP POLICY IF EXISTS undo_acceptance ON assignment_history")
        op.execute(f"REVOKE DELETE ON company_leads, assignment_history FROM {USER_ROLE}")
