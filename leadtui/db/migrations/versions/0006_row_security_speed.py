"""Row-level security at speed: search by index, the owner's policy asked once per statement

PostgreSQL only: the function leadtui_search and the owner_all policies (see
db/row_security.py, speed_statements).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from leadtui.db.row_security import POLICIES, speed_statements

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
        for statement in speed_statements(schema):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS leadtui_search(text[])")
        for table in (*POLICIES, "company_changes"):
            op.execute(f"ALTER POLICY owner_all ON {table} USING (leadtui_is_owner()) WITH CHECK (leadtui_is_owner())")
