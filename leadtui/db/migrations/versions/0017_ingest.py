"""Leads from other systems: their ids, and the keys they post with (`leadtui ingest`)

- lead_external_ids: per company, the sender's id of a lead, so that a repeated line updates
  that lead instead of adding a second one; private to the company.
- api_keys: the keys an admin makes for a web form or n8n to post leads with; only their
  SHA-256 is kept. A key acts as the admin who made it.
- PostgreSQL: both under row-level security for the own company (external ids: read, add,
  and remove with an undone import's leads; keys: an admin of the company reads, makes and
  revokes them).

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# Frozen when written: this revision's own SQL.
POSTGRES = [
    "ALTER TABLE lead_external_ids OWNER TO leadtui_owner",
    "GRANT SELECT, INSERT, DELETE ON lead_external_ids TO leadtui_user",
    "ALTER TABLE lead_external_ids ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE lead_external_ids FORCE ROW LEVEL SECURITY",
    "CREATE POLICY owner_all ON lead_external_ids USING ((SELECT leadtui_is_owner())) "
    "WITH CHECK ((SELECT leadtui_is_owner()))",
    "CREATE POLICY company_1 ON lead_external_ids FOR SELECT USING (company_id = (SELECT leadtui_company()))",
    "CREATE POLICY company_2 ON lead_external_ids FOR INSERT WITH CHECK (company_id = (SELECT leadtui_company()))",
    "CREATE POLICY company_3 ON lead_external_ids FOR DELETE USING (company_id = (SELECT leadtui_company()))",
    "ALTER TABLE api_keys OWNER TO leadtui_owner",
    "GRANT SELECT, INSERT, UPDATE ON api_keys TO leadtui_user",
    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO leadtui_user",
    "ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE api_keys FORCE ROW LEVEL SECURITY",
    "CREATE POLICY owner_all ON api_keys USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "CREATE POLICY company_1 ON api_keys FOR SELECT\n    USING (company_id = (SELECT leadtui_company()) AND (SELECT leadtui_is_admin()))",
    "CREATE POLICY company_2 ON api_keys FOR INSERT\n    WITH CHECK (company_id = (SELECT leadtui_company()) AND (SELECT leadtui_is_admin()))",
    "CREATE POLICY company_3 ON api_keys FOR UPDATE\n    USING (company_id = (SELECT leadtui_company()) AND (SELECT leadtui_is_admin()))\n"
    "    WITH CHECK (company_id = (SELECT leadtui_company()))",
]


def upgrade() -> None:
    op.create_table(
        "lead_external_ids",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_lead_external_ids_company_id_companies")
        ),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name="fk_lead_external_ids_lead"),
        sa.PrimaryKeyConstraint("company_id", "external_id", name=op.f("pk_lead_external_ids")),
    )
    op.create_index("ix_lead_external_ids_lead", "lead_external_ids", ["lead_id"])
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("colleague_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["colleague_id", "company_id"],
            ["colleagues.id", "colleagues.company_id"],
            name="fk_api_keys_colleague_same_company",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    op.create_index("ix_api_keys_company", "api_keys", ["company_id"])
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        schema = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
        for statement in POSTGRES:
            op.execute(statement.replace("SCHEMA public", f"SCHEMA {schema}"))


def downgrade() -> None:
    op.drop_index("ix_api_keys_company", table_name="api_keys")
    op.drop_table("api_keys")
    op.drop_index("ix_lead_external_ids_lead", table_name="lead_external_ids")
    op.drop_table("lead_external_ids")
