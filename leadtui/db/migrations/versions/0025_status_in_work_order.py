"""Lead lists sort by status in the order of the work (issue 22)

neu, in Bearbeitung, gewonnen, verloren - not the alphabet's gewonnen, in Bearbeitung, neu,
verloren. The status sort index of the company view becomes an index on the status's rank, so
a list sorted by status still walks an index at a million leads.

Revision ID: 0025
Revises: 0024
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

# The rank exactly as the lists' ORDER BY writes it (db/models.py status_rank), frozen here.
RANK = (
    "(CASE sort_status WHEN 'neu' THEN 0 WHEN 'in Bearbeitung' THEN 1 WHEN 'gewonnen' THEN 2"
    " WHEN 'verloren' THEN 3 ELSE 4 END)"
)


def upgrade() -> None:
    op.drop_index("ix_company_leads_sort_status", "company_leads")
    op.create_index(
        "ix_company_leads_sort_status_rank",
        "company_leads",
        ["company_id", sa.text(RANK), "lead_id", "colleague_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_company_leads_sort_status_rank", "company_leads")
    op.create_index(
        "ix_company_leads_sort_status", "company_leads", ["company_id", "sort_status", "lead_id", "colleague_id"]
    )
