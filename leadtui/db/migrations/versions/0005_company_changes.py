"""Change counters per company, for live updates between colleagues

Every write moves the counters of the companies whose lists it changes; open apps of a company
watch its counter (PostgreSQL: LISTEN on the company's private channel, notified by a trigger;
SQLite: polling). See db/read_model.py and repository/changes.py.

Revision ID: 0005
Revises: 0004
"""

import secrets

import sqlalchemy as sa
from alembic import op

# Frozen when written (issue 18): this revision's own SQL, never the live code's, so that a later
# change to db/row_security.py cannot change what upgrading an old database does. SCHEMA stands
# for the database's schema.
SCHEMA = "__SCHEMA__"
STATEMENTS = [
    "ALTER TABLE company_changes OWNER TO leadtui_owner",
    "CREATE OR REPLACE FUNCTION leadtui_touch(companies integer[]) RETURNS void LANGUAGE sql VOLATILE\n            SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            UPDATE company_changes SET seq = seq + 1\n            WHERE company_id = ANY(companies) AND (leadtui_is_owner() OR company_id = leadtui_company() OR EXISTS (SELECT 1 FROM partnerships WHERE (principal_id = leadtui_company() AND partner_id = company_id) OR (partner_id = leadtui_company() AND principal_id = company_id))) $$",
    "CREATE OR REPLACE FUNCTION leadtui_notify_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            BEGIN PERFORM pg_notify(NEW.channel, NEW.seq::text); RETURN NEW; END $$",
    "DROP TRIGGER IF EXISTS company_changes_notify ON company_changes",
    "CREATE TRIGGER company_changes_notify AFTER UPDATE ON company_changes\n            FOR EACH ROW EXECUTE FUNCTION leadtui_notify_change()",
    "ALTER FUNCTION leadtui_touch(integer[]) OWNER TO leadtui_owner",
    "ALTER FUNCTION leadtui_notify_change() OWNER TO leadtui_owner",
    "GRANT SELECT, UPDATE ON company_changes TO leadtui_user",
    "ALTER TABLE company_changes ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE company_changes FORCE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS owner_all ON company_changes",
    "CREATE POLICY owner_all ON company_changes USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "DROP POLICY IF EXISTS company_1 ON company_changes",
    "CREATE POLICY company_1 ON company_changes FOR SELECT USING (company_id = (SELECT leadtui_company()))",
    "DROP POLICY IF EXISTS company_2 ON company_changes",
    "CREATE POLICY company_2 ON company_changes FOR UPDATE USING (company_id = (SELECT leadtui_company()))",
]

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "company_changes",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_company_changes_company_id_companies")),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_company_changes")),
        sa.UniqueConstraint("channel", name=op.f("uq_company_changes_channel")),
    )
    companies = [row[0] for row in bind.execute(sa.text("SELECT id FROM companies"))]
    for company_id in companies:
        bind.execute(
            sa.text("INSERT INTO company_changes (company_id, seq, channel) VALUES (:c, 0, :ch)"),
            {"c": company_id, "ch": f"leadtui_{secrets.token_hex(16)}"},
        )
    if bind.dialect.name == "postgresql":
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
        for statement in (s.replace(SCHEMA, schema) for s in STATEMENTS):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS company_changes_notify ON company_changes")
        op.execute("DROP FUNCTION IF EXISTS leadtui_notify_change()")
        op.execute("DROP FUNCTION IF EXISTS leadtui_touch(integer[])")
    op.drop_table("company_changes")
