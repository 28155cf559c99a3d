"""Workload counters: open and new leads per assignee

`company_lead_counts` gains `open_n` (leads neu or in Bearbeitung) and `new_n` (leads neu) next
to `n`, moved with every change like `n` (see db/read_model.py), so the colleague picker and the
workload overview read them instead of counting a colleague's leads.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

OPEN = "('neu', 'in Bearbeitung')"
FILLED = {
    # slot 0 holds the unassigned leads, every other slot >= 1 one colleague's
    "slot = 0": "cl.colleague_id IS NULL",
    "slot > 0": "cl.colleague_id = company_lead_counts.slot",
}


def upgrade() -> None:
    op.add_column("company_lead_counts", sa.Column("open_n", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("company_lead_counts", sa.Column("new_n", sa.Integer(), nullable=False, server_default="0"))
    for slots, match in FILLED.items():
        of_slot = f"FROM company_leads cl WHERE cl.company_id = company_lead_counts.company_id AND {match}"
        op.execute(
            f"UPDATE company_lead_counts SET"
            f" open_n = (SELECT count(*) {of_slot} AND cl.sort_status IN {OPEN}),"
            f" new_n = (SELECT count(*) {of_slot} AND cl.sort_status = 'neu')"
            f" WHERE {slots}"
        )


def downgrade() -> None:
    with op.batch_alter_table("company_lead_counts") as batch:
        batch.drop_column("new_n")
        batch.drop_column("open_n")
