"""A pending offer's contact data stays with the principal (rule 26)

- The view `offered_leads`: what a partner may read of a lead offered to it and not accepted yet
  - title, firm, city, status, value, source, dates - never the contact person, e-mail, phone or
  anything made of them (the search text, the match keys).
- PostgreSQL: `leadtui_sees_lead` no longer counts a pending offer, so the partner's role reads
  no row of `leads` before it accepts (the second wall under the repository), and
  `leadtui_search` no longer matches pending offers (by their search text, which holds the
  contact). The view, owned by leadtui_owner, shows the acting company's pending offers only.
- SQLite: the view is plain; the repository reads pending offers through it alike.

Revision ID: 0024
Revises: 0023
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

# Frozen when written: this revision's own SQL. SCHEMA stands for the database's schema.
SCHEMA = "__SCHEMA__"
VIEW = (
    "SELECT l.id, l.owner_company_id, l.title, l.prospect, l.city, l.status, l.value, l.source, l.created_at, "
    "l.updated_at, l.version FROM leads l"
)
SQLITE_VIEW = "CREATE VIEW offered_leads AS " + VIEW
ACTING_COMPANY = (
    "(SELECT company_id FROM colleagues WHERE id = nullif(current_setting('leadtui.colleague', true), '')::integer "
    "AND active)"
)
SEES_LEAD = (
    "CREATE OR REPLACE FUNCTION leadtui_sees_lead(lead integer) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER "
    "SET search_path = __SCHEMA__, pg_temp AS $$\n"
    f"    SELECT EXISTS (SELECT 1 FROM company_leads WHERE lead_id = lead AND company_id = {ACTING_COMPANY})\n"
    f"        OR EXISTS (SELECT 1 FROM lead_shares WHERE lead_id = lead AND partner_company_id = {ACTING_COMPANY}\n"
    "                   AND status IN ({statuses}))\n"
    f"        OR EXISTS (SELECT 1 FROM leads WHERE id = lead AND owner_company_id = {ACTING_COMPANY}) $$"
)
SEARCH_HEAD = (
    "CREATE OR REPLACE FUNCTION leadtui_search(patterns text[]) RETURNS SETOF integer LANGUAGE plpgsql\n"
    "            STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n"
    "            DECLARE\n"
    "              company integer := leadtui_company();\n"
    "              matching text;\n"
    "            BEGIN\n"
    "              IF company IS NULL OR coalesce(cardinality(patterns), 0) = 0 THEN RETURN; END IF;\n"
    "              SELECT string_agg(format('l.search_text LIKE $2[%s]', i), ' AND ')\n"
    "                INTO matching FROM generate_subscripts(patterns, 1) AS i;\n"
    "              RETURN QUERY EXECUTE\n"
    "                'SELECT l.id FROM leads l JOIN company_leads c ON c.lead_id = l.id AND c.company_id = $1'\n"
    "                || ' WHERE ' || matching\n"
)
SEARCH_TAIL = "                USING company, patterns;\n            END $$"
# Before: pending offers matched too - by their contact data, which the search text holds.
SEARCH_OFFERS = (
    "                || ' UNION SELECT l.id FROM leads l JOIN lead_shares s ON s.lead_id = l.id'\n"
    "                || ' AND s.partner_company_id = $1 AND s.status = ''angeboten'' WHERE ' || matching\n"
)
POSTGRES_UP = [
    "CREATE VIEW offered_leads WITH (security_barrier) AS "
    + VIEW
    + " WHERE EXISTS (SELECT 1 FROM lead_shares s WHERE s.lead_id = l.id AND s.status = 'angeboten' "
    "AND s.partner_company_id = (SELECT leadtui_company()))",
    "ALTER VIEW offered_leads OWNER TO leadtui_owner",
    "GRANT SELECT ON offered_leads TO leadtui_user",
    SEES_LEAD.replace("{statuses}", "'angenommen'"),
    SEARCH_HEAD + SEARCH_TAIL,
]
POSTGRES_DOWN = [
    SEES_LEAD.replace("{statuses}", "'angeboten', 'angenommen'"),
    SEARCH_HEAD + SEARCH_OFFERS + SEARCH_TAIL,
    "DROP VIEW offered_leads",
]


def _run(statements: list[str]) -> None:
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    for statement in statements:
        op.execute(statement.replace(SCHEMA, schema))


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _run(POSTGRES_UP)
    else:
        op.execute(SQLITE_VIEW)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _run(POSTGRES_DOWN)
    else:
        op.execute("DROP VIEW offered_leads")
