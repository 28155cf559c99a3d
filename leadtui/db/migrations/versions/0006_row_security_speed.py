"""Row-level security at speed: search by index, the owner's policy asked once per statement

PostgreSQL only: the function leadtui_search and the owner_all policies (see
db/row_security.py, speed_statements).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

# Frozen when written (issue 18): this revision's own SQL, never the live code's, so that a later
# change to db/row_security.py cannot change what upgrading an old database does. SCHEMA stands
# for the database's schema.
SCHEMA = "__SCHEMA__"
STATEMENTS = [
    "ALTER POLICY owner_all ON companies USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "ALTER POLICY owner_all ON colleagues USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "ALTER POLICY owner_all ON partnerships USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "ALTER POLICY owner_all ON leads USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "ALTER POLICY owner_all ON company_leads USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "ALTER POLICY owner_all ON company_lead_counts USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "ALTER POLICY owner_all ON assignment_history USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "ALTER POLICY owner_all ON lead_shares USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "ALTER POLICY owner_all ON colleague_settings USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "ALTER POLICY owner_all ON maintenance USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "ALTER POLICY owner_all ON company_changes USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "CREATE OR REPLACE FUNCTION leadtui_search(patterns text[]) RETURNS SETOF integer LANGUAGE plpgsql\n            STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            DECLARE\n              company integer := leadtui_company();\n              matching text;\n            BEGIN\n              IF company IS NULL OR coalesce(cardinality(patterns), 0) = 0 THEN RETURN; END IF;\n              SELECT string_agg(format('l.search_text LIKE $2[%s]', i), ' AND ')\n                INTO matching FROM generate_subscripts(patterns, 1) AS i;\n              RETURN QUERY EXECUTE\n                'SELECT l.id FROM leads l JOIN company_leads c ON c.lead_id = l.id AND c.company_id = $1'\n                || ' WHERE ' || matching\n                || ' UNION SELECT l.id FROM leads l JOIN lead_shares s ON s.lead_id = l.id'\n                || ' AND s.partner_company_id = $1 AND s.status = ''angeboten'' WHERE ' || matching\n                USING company, patterns;\n            END $$",
    "ALTER FUNCTION leadtui_search(text[]) OWNER TO leadtui_owner",
    "REVOKE ALL ON FUNCTION leadtui_search(text[]) FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION leadtui_search(text[]) TO leadtui_user",
]
POLICY_TABLES = [
    "companies",
    "colleagues",
    "partnerships",
    "leads",
    "company_leads",
    "company_lead_counts",
    "assignment_history",
    "lead_shares",
    "colleague_settings",
    "maintenance",
]

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
        for statement in (s.replace(SCHEMA, schema) for s in STATEMENTS):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS leadtui_search(text[])")
        for table in (*POLICY_TABLES, "company_changes"):
            op.execute(f"ALTER POLICY owner_all ON {table} USING (leadtui_is_owner()) WITH CHECK (leadtui_is_owner())")
