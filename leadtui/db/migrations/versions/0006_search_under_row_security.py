"""Search under row-level security: an index lookup, not a scan of every lead

PostgreSQL only: the function leadtui_search (see db/row_security.py, search_statements).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from leadtui.db.row_security import search_statements

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
        for statement in search_statements(schema):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS leadtui_search(text[])")
