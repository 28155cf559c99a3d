"""Team mode: roles in a company, logins, and row-level security on PostgreSQL

- colleagues.role: "admin" may add, deactivate and reactivate colleagues and give them logins;
  the first colleague of each company becomes its admin.
- colleagues.login: the PostgreSQL login a colleague works under (team mode).
- PostgreSQL: the leadtui_owner and leadtui_user roles, table ownership, grants, the helper
  functions and forced row-level security on every table (see db/row_security.py). Creating
  the roles the first time needs a superuser; later upgrades need a member of leadtui_owner.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from leadtui.domain import StorageError

# Frozen when written (issue 18): this revision's own SQL, never the live code's, so that a later
# change to db/row_security.py cannot change what upgrading an old database does. SCHEMA stands
# for the database's schema.
SCHEMA = "__SCHEMA__"
STATEMENTS = [
    "\nDO $$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'leadtui_owner') THEN\n    CREATE ROLE leadtui_owner NOLOGIN BYPASSRLS CREATEROLE;\n  END IF;\nEXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;\nDO $$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'leadtui_user') THEN\n    CREATE ROLE leadtui_user NOLOGIN;\n  END IF;\nEXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;\n",
    "ALTER TABLE companies OWNER TO leadtui_owner",
    "ALTER TABLE colleagues OWNER TO leadtui_owner",
    "ALTER TABLE partnerships OWNER TO leadtui_owner",
    "ALTER TABLE leads OWNER TO leadtui_owner",
    "ALTER TABLE company_leads OWNER TO leadtui_owner",
    "ALTER TABLE company_lead_counts OWNER TO leadtui_owner",
    "ALTER TABLE lead_shares OWNER TO leadtui_owner",
    "ALTER TABLE assignment_history OWNER TO leadtui_owner",
    "ALTER TABLE colleague_settings OWNER TO leadtui_owner",
    "ALTER TABLE maintenance OWNER TO leadtui_owner",
    "ALTER TABLE alembic_version OWNER TO leadtui_owner",
    "CREATE OR REPLACE FUNCTION leadtui_me() RETURNS integer LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            DECLARE acting colleagues;\n            BEGIN\n              SELECT * INTO acting FROM colleagues WHERE login = session_user;\n              IF NOT FOUND THEN RETURN NULL; END IF;\n              IF NOT acting.active THEN\n                RAISE EXCEPTION 'Ihr Zugang ist deaktiviert.' USING ERRCODE = '42501';\n              END IF;\n              RETURN acting.id;\n            END $$",
    "CREATE OR REPLACE FUNCTION leadtui_company() RETURNS integer LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            DECLARE acting colleagues;\n            BEGIN\n              SELECT * INTO acting FROM colleagues WHERE login = session_user;\n              IF NOT FOUND THEN RETURN NULL; END IF;\n              IF NOT acting.active THEN\n                RAISE EXCEPTION 'Ihr Zugang ist deaktiviert.' USING ERRCODE = '42501';\n              END IF;\n              RETURN acting.company_id;\n            END $$",
    "CREATE OR REPLACE FUNCTION leadtui_is_admin() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            SELECT EXISTS (SELECT 1 FROM colleagues WHERE login = session_user AND active AND role = 'admin') $$",
    "CREATE OR REPLACE FUNCTION leadtui_is_owner() RETURNS boolean LANGUAGE sql STABLE\n            SET search_path = __SCHEMA__, pg_temp AS $$ SELECT pg_has_role(session_user, 'leadtui_owner', 'MEMBER') $$",
    "CREATE OR REPLACE FUNCTION leadtui_sees_lead(lead integer) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            SELECT EXISTS (SELECT 1 FROM company_leads WHERE lead_id = lead AND company_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active))\n                OR EXISTS (SELECT 1 FROM lead_shares WHERE lead_id = lead AND partner_company_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active)\n                           AND status IN ('angeboten', 'angenommen'))\n                OR EXISTS (SELECT 1 FROM leads WHERE id = lead AND owner_company_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active)) $$",
    "CREATE OR REPLACE FUNCTION leadtui_may_take_on(lead integer) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            SELECT EXISTS (SELECT 1 FROM leads WHERE id = lead AND owner_company_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active))\n                OR EXISTS (SELECT 1 FROM lead_shares WHERE lead_id = lead AND partner_company_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active)\n                           AND status = 'angenommen') $$",
    "CREATE OR REPLACE FUNCTION leadtui_company_visible(other integer) RETURNS boolean LANGUAGE sql\n            STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            SELECT other = (SELECT company_id FROM colleagues WHERE login = session_user AND active)\n                OR EXISTS (SELECT 1 FROM partnerships WHERE (principal_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active) AND partner_id = other)\n                           OR (partner_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active) AND principal_id = other))\n                OR EXISTS (SELECT 1 FROM lead_shares WHERE partner_company_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active)\n                           AND principal_company_id = other)\n                OR EXISTS (SELECT 1 FROM company_leads cl JOIN leads l ON l.id = cl.lead_id\n                           WHERE cl.company_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active) AND l.owner_company_id = other) $$",
    "CREATE OR REPLACE FUNCTION leadtui_grant_login(colleague_email text, login_name text) RETURNS void\n            LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            DECLARE target colleagues;\n            BEGIN\n              SELECT * INTO target FROM colleagues WHERE lower(email) = lower(colleague_email);\n              IF NOT FOUND THEN\n                RAISE EXCEPTION 'Unbekannter Benutzer: %', colleague_email USING ERRCODE = 'P0002';\n              END IF;\n              IF NOT (pg_has_role(session_user, 'leadtui_owner', 'MEMBER') OR EXISTS (\n                  SELECT 1 FROM colleagues a WHERE a.login = session_user AND a.active AND a.role = 'admin'\n                  AND a.company_id = target.company_id)) THEN\n                RAISE EXCEPTION 'Nur Administratoren der Firma vergeben Anmeldungen.' USING ERRCODE = '42501';\n              END IF;\n              IF EXISTS (SELECT 1 FROM colleagues WHERE login = login_name AND id <> target.id) THEN\n                RAISE EXCEPTION 'Die Anmeldung % gehört schon einem anderen Kollegen.', login_name\n                  USING ERRCODE = '23505';\n              END IF;\n              IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login_name\n                         AND (rolsuper OR rolbypassrls OR pg_has_role(rolname, 'leadtui_owner', 'MEMBER'))) THEN\n                RAISE EXCEPTION 'Die Anmeldung % ist eine Verwaltungsrolle.', login_name USING ERRCODE = '42501';\n              END IF;\n              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login_name) THEN\n                EXECUTE format('CREATE ROLE %I LOGIN', login_name);\n              END IF;\n              EXECUTE format('GRANT leadtui_user TO %I', login_name);\n              EXECUTE format('ALTER ROLE %I %s', login_name, CASE WHEN target.active THEN 'LOGIN' ELSE 'NOLOGIN' END);\n              UPDATE colleagues SET login = login_name WHERE id = target.id;\n            END $$",
    "CREATE OR REPLACE FUNCTION leadtui_sync_login() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER\n            SET search_path = __SCHEMA__, pg_temp AS $$\n            BEGIN\n              IF NEW.login IS NOT NULL AND NEW.active IS DISTINCT FROM OLD.active\n                 AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = NEW.login) THEN\n                EXECUTE format('ALTER ROLE %I %s', NEW.login, CASE WHEN NEW.active THEN 'LOGIN' ELSE 'NOLOGIN' END);\n              END IF;\n              RETURN NEW;\n            END $$",
    "DROP TRIGGER IF EXISTS colleagues_login ON colleagues",
    "CREATE TRIGGER colleagues_login AFTER UPDATE OF active ON colleagues\n            FOR EACH ROW EXECUTE FUNCTION leadtui_sync_login()",
    "ALTER FUNCTION leadtui_me() OWNER TO leadtui_owner",
    "ALTER FUNCTION leadtui_company() OWNER TO leadtui_owner",
    "ALTER FUNCTION leadtui_is_admin() OWNER TO leadtui_owner",
    "ALTER FUNCTION leadtui_is_owner() OWNER TO leadtui_owner",
    "ALTER FUNCTION leadtui_sees_lead(integer) OWNER TO leadtui_owner",
    "ALTER FUNCTION leadtui_may_take_on(integer) OWNER TO leadtui_owner",
    "ALTER FUNCTION leadtui_company_visible(integer) OWNER TO leadtui_owner",
    "ALTER FUNCTION leadtui_grant_login(text, text) OWNER TO leadtui_owner",
    "ALTER FUNCTION leadtui_sync_login() OWNER TO leadtui_owner",
    "GRANT USAGE ON SCHEMA __SCHEMA__ TO leadtui_user",
    "GRANT SELECT ON alembic_version, companies, partnerships, maintenance TO leadtui_user",
    "GRANT SELECT ON colleagues TO leadtui_user",
    "GRANT INSERT (company_id, name, email, active, role) ON colleagues TO leadtui_user",
    "GRANT UPDATE (name, active, role) ON colleagues TO leadtui_user",
    "GRANT SELECT, INSERT, UPDATE ON leads, company_leads, company_lead_counts, lead_shares, colleague_settings TO leadtui_user",
    "GRANT SELECT, INSERT ON assignment_history TO leadtui_user",
    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA __SCHEMA__ TO leadtui_user",
    "ALTER TABLE companies ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE companies FORCE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS owner_all ON companies",
    "CREATE POLICY owner_all ON companies USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "DROP POLICY IF EXISTS company_1 ON companies",
    "CREATE POLICY company_1 ON companies FOR SELECT USING (leadtui_company_visible(id))",
    "ALTER TABLE colleagues ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE colleagues FORCE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS owner_all ON colleagues",
    "CREATE POLICY owner_all ON colleagues USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "DROP POLICY IF EXISTS company_1 ON colleagues",
    "CREATE POLICY company_1 ON colleagues FOR SELECT USING (company_id = (SELECT leadtui_company()) OR login = session_user)",
    "DROP POLICY IF EXISTS company_2 ON colleagues",
    "CREATE POLICY company_2 ON colleagues FOR INSERT WITH CHECK (company_id = (SELECT leadtui_company()) AND (SELECT leadtui_is_admin()))",
    "DROP POLICY IF EXISTS company_3 ON colleagues",
    "CREATE POLICY company_3 ON colleagues FOR UPDATE USING (company_id = (SELECT leadtui_company()) AND (SELECT leadtui_is_admin())) WITH CHECK (company_id = (SELECT leadtui_company()))",
    "ALTER TABLE partnerships ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE partnerships FORCE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS owner_all ON partnerships",
    "CREATE POLICY owner_all ON partnerships USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "DROP POLICY IF EXISTS company_1 ON partnerships",
    "CREATE POLICY company_1 ON partnerships FOR SELECT USING (principal_id = (SELECT leadtui_company()) OR partner_id = (SELECT leadtui_company()))",
    "ALTER TABLE leads ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE leads FORCE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS owner_all ON leads",
    "CREATE POLICY owner_all ON leads USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "DROP POLICY IF EXISTS company_1 ON leads",
    "CREATE POLICY company_1 ON leads FOR SELECT USING (owner_company_id = (SELECT leadtui_company()) OR leadtui_sees_lead(id))",
    "DROP POLICY IF EXISTS company_2 ON leads",
    "CREATE POLICY company_2 ON leads FOR INSERT WITH CHECK (owner_company_id = (SELECT leadtui_company()))",
    "DROP POLICY IF EXISTS company_3 ON leads",
    "CREATE POLICY company_3 ON leads FOR UPDATE USING (owner_company_id = (SELECT leadtui_company()) OR leadtui_sees_lead(id))",
    "ALTER TABLE company_leads ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE company_leads FORCE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS owner_all ON company_leads",
    "CREATE POLICY owner_all ON company_leads USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "DROP POLICY IF EXISTS company_1 ON company_leads",
    "CREATE POLICY company_1 ON company_leads FOR SELECT USING (company_id = (SELECT leadtui_company()))",
    "DROP POLICY IF EXISTS company_2 ON company_leads",
    "CREATE POLICY company_2 ON company_leads FOR INSERT WITH CHECK (company_id = (SELECT leadtui_company()) AND leadtui_may_take_on(lead_id))",
    "DROP POLICY IF EXISTS company_3 ON company_leads",
    "CREATE POLICY company_3 ON company_leads FOR UPDATE USING (company_id = (SELECT leadtui_company())) WITH CHECK (company_id = (SELECT leadtui_company()))",
    "ALTER TABLE company_lead_counts ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE company_lead_counts FORCE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS owner_all ON company_lead_counts",
    "CREATE POLICY owner_all ON company_lead_counts USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "DROP POLICY IF EXISTS company_1 ON company_lead_counts",
    "CREATE POLICY company_1 ON company_lead_counts FOR SELECT USING (company_id = (SELECT leadtui_company()))",
    "DROP POLICY IF EXISTS company_2 ON company_lead_counts",
    "CREATE POLICY company_2 ON company_lead_counts FOR INSERT WITH CHECK (company_id = (SELECT leadtui_company()))",
    "DROP POLICY IF EXISTS company_3 ON company_lead_counts",
    "CREATE POLICY company_3 ON company_lead_counts FOR UPDATE USING (company_id = (SELECT leadtui_company())) WITH CHECK (company_id = (SELECT leadtui_company()))",
    "ALTER TABLE assignment_history ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE assignment_history FORCE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS owner_all ON assignment_history",
    "CREATE POLICY owner_all ON assignment_history USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "DROP POLICY IF EXISTS company_1 ON assignment_history",
    "CREATE POLICY company_1 ON assignment_history FOR SELECT USING (company_id = (SELECT leadtui_company()))",
    "DROP POLICY IF EXISTS company_2 ON assignment_history",
    "CREATE POLICY company_2 ON assignment_history FOR INSERT WITH CHECK (company_id = (SELECT leadtui_company()) AND by_id = (SELECT leadtui_me()))",
    "ALTER TABLE lead_shares ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE lead_shares FORCE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS owner_all ON lead_shares",
    "CREATE POLICY owner_all ON lead_shares USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "DROP POLICY IF EXISTS company_1 ON lead_shares",
    "CREATE POLICY company_1 ON lead_shares FOR SELECT USING (principal_company_id = (SELECT leadtui_company()) OR partner_company_id = (SELECT leadtui_company()))",
    "DROP POLICY IF EXISTS company_2 ON lead_shares",
    "CREATE POLICY company_2 ON lead_shares FOR INSERT WITH CHECK (principal_company_id = (SELECT leadtui_company()) AND offered_by_id = (SELECT leadtui_me())\n            AND leadtui_sees_lead(lead_id))",
    "DROP POLICY IF EXISTS company_3 ON lead_shares",
    "CREATE POLICY company_3 ON lead_shares FOR UPDATE USING (principal_company_id = (SELECT leadtui_company()) OR partner_company_id = (SELECT leadtui_company()))\n            WITH CHECK (principal_company_id = (SELECT leadtui_company()) OR partner_company_id = (SELECT leadtui_company()))",
    "ALTER TABLE colleague_settings ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE colleague_settings FORCE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS owner_all ON colleague_settings",
    "CREATE POLICY owner_all ON colleague_settings USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "DROP POLICY IF EXISTS company_1 ON colleague_settings",
    "CREATE POLICY company_1 ON colleague_settings FOR SELECT USING (colleague_id = (SELECT leadtui_me()))",
    "DROP POLICY IF EXISTS company_2 ON colleague_settings",
    "CREATE POLICY company_2 ON colleague_settings FOR INSERT WITH CHECK (colleague_id = (SELECT leadtui_me()))",
    "DROP POLICY IF EXISTS company_3 ON colleague_settings",
    "CREATE POLICY company_3 ON colleague_settings FOR UPDATE USING (colleague_id = (SELECT leadtui_me()))",
    "ALTER TABLE maintenance ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE maintenance FORCE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS owner_all ON maintenance",
    "CREATE POLICY owner_all ON maintenance USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "DROP POLICY IF EXISTS company_1 ON maintenance",
    "CREATE POLICY company_1 ON maintenance FOR SELECT USING (true)",
]
OWNER_ROLE = "leadtui_owner"
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
POLICY_COUNTS = [
    1,
    3,
    1,
    3,
    3,
    3,
    2,
    3,
    3,
    1,
]
FUNCTION_SIGNATURES = [
    "leadtui_me()",
    "leadtui_company()",
    "leadtui_is_admin()",
    "leadtui_is_owner()",
    "leadtui_sees_lead(integer)",
    "leadtui_may_take_on(integer)",
    "leadtui_company_visible(integer)",
    "leadtui_grant_login(text, text)",
    "leadtui_sync_login()",
]

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    op.add_column("colleagues", sa.Column("role", sa.String(length=10), nullable=False, server_default="member"))
    op.add_column("colleagues", sa.Column("login", sa.String(length=63), nullable=True))
    op.create_index("ix_colleagues_login", "colleagues", ["login"], unique=True)
    op.execute("UPDATE colleagues SET role = 'admin' WHERE id IN (SELECT min(id) FROM colleagues GROUP BY company_id)")
    if bind.dialect.name != "postgresql":
        return
    op.create_check_constraint("role", "colleagues", "role IN ('admin', 'member')")
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    superuser = bind.execute(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar_one()
    has_owner = bind.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": OWNER_ROLE}).first()
    if not superuser and not has_owner:
        raise StorageError(
            f"Die Rolle {OWNER_ROLE} fehlt: ein Superuser legt sie an (siehe README: „A team: PostgreSQL“)."
        )
    for statement in STATEMENTS:
        op.execute(statement.replace(SCHEMA, schema))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table, count in zip(POLICY_TABLES, POLICY_COUNTS, strict=True):
            op.execute(f"DROP POLICY IF EXISTS owner_all ON {table}")
            for number in range(1, count + 1):
                op.execute(f"DROP POLICY IF EXISTS company_{number} ON {table}")
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        op.execute("DROP TRIGGER IF EXISTS colleagues_login ON colleagues")
        for signature in FUNCTION_SIGNATURES:
            op.execute(f"DROP FUNCTION IF EXISTS {signature}")
        op.drop_constraint("role", "colleagues", type_="check")
    op.drop_index("ix_colleagues_login", table_name="colleagues")
    with op.batch_alter_table("colleagues") as batch:
        batch.drop_column("login")
        batch.drop_column("role")
