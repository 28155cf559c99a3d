"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 09:02:48.372344
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "companies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companies")),
        sa.UniqueConstraint("name", name=op.f("uq_companies_name")),
    )
    op.create_table(
        "colleagues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_colleagues_company_id_companies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_colleagues")),
        sa.UniqueConstraint("email", name=op.f("uq_colleagues_email")),
        sa.UniqueConstraint("id", "company_id", name=op.f("uq_colleagues_id_company_id")),
    )
    with op.batch_alter_table("colleagues", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_colleagues_company_id"), ["company_id"], unique=False)

    op.create_table(
        "leads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_company_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("prospect", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("search_text", sa.String(length=800), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_company_id"], ["companies.id"], name=op.f("fk_leads_owner_company_id_companies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads")),
    )
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leads_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_leads_owner_company_id"), ["owner_company_id"], unique=False)

    op.create_table(
        "partnerships",
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("principal_id <> partner_id", name=op.f("ck_partnerships_not_self")),
        sa.ForeignKeyConstraint(["partner_id"], ["companies.id"], name=op.f("fk_partnerships_partner_id_companies")),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["companies.id"], name=op.f("fk_partnerships_principal_id_companies")
        ),
        sa.PrimaryKeyConstraint("principal_id", "partner_id", name=op.f("pk_partnerships")),
    )
    with op.batch_alter_table("partnerships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_partnerships_partner_id"), ["partner_id"], unique=False)

    op.create_table(
        "colleague_settings",
        sa.Column("colleague_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(
            ["colleague_id"], ["colleagues.id"], name=op.f("fk_colleague_settings_colleague_id_colleagues")
        ),
        sa.PrimaryKeyConstraint("colleague_id", "key", name=op.f("pk_colleague_settings")),
    )
    op.create_table(
        "company_leads",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("colleague_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("via", sa.String(length=10), nullable=False),
        sa.CheckConstraint("via IN ('own', 'accepted')", name=op.f("ck_company_leads_via")),
        sa.ForeignKeyConstraint(
            ["colleague_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_company_leads_assignee_same_company",
        ),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_company_leads_company_id_companies")),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_company_leads_lead_id_leads")),
        sa.PrimaryKeyConstraint("company_id", "lead_id", name=op.f("pk_company_leads")),
    )
    with op.batch_alter_table("company_leads", schema=None) as batch_op:
        batch_op.create_index("ix_company_leads_company_colleague", ["company_id", "colleague_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_company_leads_lead_id"), ["lead_id"], unique=False)

    op.create_table(
        "lead_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("principal_company_id", sa.Integer(), nullable=False),
        sa.Column("partner_company_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("offered_by_id", sa.Integer(), nullable=False),
        sa.Column("offered_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("status IN ('angeboten', 'angenommen', 'abgelehnt')", name=op.f("ck_lead_shares_status")),
        sa.ForeignKeyConstraint(
            ["decided_by_id", "partner_company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_lead_shares_decided_by_partner",
        ),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_lead_shares_lead_id_leads")),
        sa.ForeignKeyConstraint(
            ["offered_by_id", "principal_company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_lead_shares_offered_by_principal",
        ),
        sa.ForeignKeyConstraint(
            ["principal_company_id", "partner_company_id"],
            ["partnerships.principal_id", "partnerships.partner_id"],
            name="fk_lead_shares_partnership",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_shares")),
        sa.UniqueConstraint("lead_id", "partner_company_id", name=op.f("uq_lead_shares_lead_id_partner_company_id")),
    )
    with op.batch_alter_table("lead_shares", schema=None) as batch_op:
        batch_op.create_index("ix_lead_shares_partner_status", ["partner_company_id", "status"], unique=False)
        batch_op.create_index("ix_lead_shares_principal", ["principal_company_id", "lead_id"], unique=False)

    op.create_table(
        "assignment_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("from_id", sa.Integer(), nullable=True),
        sa.Column("to_id", sa.Integer(), nullable=True),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_assignment_history_by_same_company",
        ),
        sa.ForeignKeyConstraint(
            ["company_id", "lead_id"],
            ["company_leads.company_id", "company_leads.lead_id"],
            name="fk_assignment_history_company_lead",
        ),
        sa.ForeignKeyConstraint(
            ["from_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_assignment_history_from_same_company",
        ),
        sa.ForeignKeyConstraint(
            ["to_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_assignment_history_to_same_company",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment_history")),
    )
    with op.batch_alter_table("assignment_history", schema=None) as batch_op:
        batch_op.create_index("ix_assignment_history_company_lead", ["company_id", "lead_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assignment_history", schema=None) as batch_op:
        batch_op.drop_index("ix_assignment_history_company_lead")

    op.drop_table("assignment_history")
    with op.batch_alter_table("lead_shares", schema=None) as batch_op:
        batch_op.drop_index("ix_lead_shares_principal")
        batch_op.drop_index("ix_lead_shares_partner_status")

    op.drop_table("lead_shares")
    with op.batch_alter_table("company_leads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_leads_lead_id"))
        batch_op.drop_index("ix_company_leads_company_colleague")

    op.drop_table("company_leads")
    op.drop_table("colleague_settings")
    with op.batch_alter_table("partnerships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partnerships_partner_id"))

    op.drop_table("partnerships")
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leads_owner_company_id"))
        batch_op.drop_index(batch_op.f("ix_leads_created_at"))

    op.drop_table("leads")
    with op.batch_alter_table("colleagues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_colleagues_company_id"))

    op.drop_table("colleagues")
    op.drop_table("companies")
