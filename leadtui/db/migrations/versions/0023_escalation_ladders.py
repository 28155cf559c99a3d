"""An escalation ladder on a lead offer (rule 25)

- lead_shares.ladder: the partner companies the lead goes to next, in order (their ids,
  comma-separated), if this offer is declined or expires; NULL once that step is taken, or when
  there is none.
- lead_shares.escalated: the offer was made by a ladder's step, not by a colleague's `w`.

Revision ID: 0023
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("lead_shares", sa.Column("ladder", sa.String(200), nullable=True))
    op.add_column("lead_shares", sa.Column("escalated", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_index("ix_lead_shares_due_ladder", "lead_shares", ["ladder"])


def downgrade() -> None:
    op.drop_index("ix_lead_shares_due_ladder", "lead_shares")
    with op.batch_alter_table("lead_shares") as table:
        table.drop_column("escalated")
        table.drop_column("ladder")
