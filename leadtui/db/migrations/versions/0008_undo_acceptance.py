"""Undo of an acceptance: a login may delete an untouched accepted view and its history entry

PostgreSQL only (see db/row_security.py, undo_statements); SQLite has no row-level security.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

# Frozen when written (issue 18): this revision's own SQL, never the live code's.
STATEMENTS = [
    "GRANT DELETE ON company_leads, assignment_history TO leadtui_user",
    "DROP POLICY IF EXISTS undo_acceptance ON company_leads",
    "CREATE POLICY undo_acceptance ON company_leads FOR DELETE USING (company_id = (SELECT leadtui_company()) AND via = 'accepted' AND version = 1)",
    "DROP POLICY IF EXISTS undo_acceptance ON assignment_history",
    "CREATE POLICY undo_acceptance ON assignment_history FOR DELETE USING (\n            company_id = (SELECT leadtui_company()) AND reason = 'offer_accepted' AND EXISTS (\n              SELECT 1 FROM company_leads cl WHERE cl.company_id = assignment_history.company_id\n              AND cl.lead_id = assignment_history.lead_id AND cl.via = 'accepted' AND cl.version = 1))",
]
USER_ROLE = "leadtui_user"

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in STATEMENTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS undo_acceptance ON company_leads")
        op.execute("DROP POLICY IF EXISTS undo_acceptance ON assignment_history")
        op.execute(f"REVOKE DELETE ON company_leads, assignment_history FROM {USER_ROLE}")
