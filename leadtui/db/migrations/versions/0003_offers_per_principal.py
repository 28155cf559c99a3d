"""Offers per principal, read model by casefold, maintenance notes

- An offer is a relation of one principal and one partner: the unique key of lead_shares becomes
  (lead, principal, partner), so a forwarding chain never overwrites another company's offer.
- Sort keys and search text are recomputed with the read model (Python casefold): migration 0002
  used SQL lower(), which folds only ASCII on SQLite.
- search_text becomes TEXT on PostgreSQL: folding can make it longer than the fields it joins.
- A `maintenance` table notes work that leaves the read model incomplete while it runs.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from leadtui.db.maintenance import rebuild_derived
from leadtui.db.search_index import rebuild

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "maintenance",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_maintenance")),
    )
    with op.batch_alter_table("lead_shares") as batch:
        batch.drop_constraint("uq_lead_shares_lead_id_partner_company_id", type_="unique")
        batch.create_unique_constraint(
            op.f("uq_lead_shares_lead_id_principal_company_id_partner_company_id"),
            ["lead_id", "principal_company_id", "partner_company_id"],
        )
    if bind.dialect.name == "postgresql":
        op.alter_column("leads", "search_text", type_=sa.Text(), existing_nullable=False)
    if rebuild_derived(bind, apply=True):
        rebuild(bind)


def downgrade() -> None:
    with op.batch_alter_table("lead_shares") as batch:
        batch.drop_constraint("uq_lead_shares_lead_id_principal_company_id_partner_company_id", type_="unique")
        batch.create_unique_constraint(
            op.f("uq_lead_shares_lead_id_partner_company_id"), ["lead_id", "partner_company_id"]
        )
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("leads", "search_text", type_=sa.String(length=800), existing_nullable=False)
    op.drop_table("maintenance")
