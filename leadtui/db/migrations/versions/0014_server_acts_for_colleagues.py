"""The server acts for colleagues; colleagues' own PostgreSQL logins retire

- PostgreSQL: the acting colleague is no longer the session's login but the transaction's
  setting `leadtui.colleague`, which the server (and every repository bound to a colleague)
  sets with the role `leadtui_user` at the start of each transaction (db/row_security.py). The
  policies' helper functions read it; `leadtui_owner` becomes a member of `leadtui_user` so
  that its members may take that role; the policies' owner test asks the current role.
- Invitations under row-level security for an admin's own company (inviting is an action of
  a colleague, through the server).
- Retired: `colleagues.login`, `leadtui_grant_login`, the trigger that (de)activated logins,
  and the functions that did for a login what it could not (`leadtui_deliver`,
  `leadtui_lead_edited`): the repository's Python does it, once. Every existing colleague
  login loses `leadtui_user` and may no longer log in (NOLOGIN; the roles themselves stay, as
  they may own objects elsewhere in the cluster - the README says how to drop them).
  `leadtui_touch` keeps only the counters (which companies to tell is decided in Python).

Downgrading restores the functions, the column and the trigger, but not the retired logins:
an administrator grants them again.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

# Frozen when written: this revision's own SQL, never the live code's. SCHEMA stands for the
# database's schema. An administrator's login runs it as leadtui_owner (db/engine.py), whose
# CREATEROLE may change the retired logins.
SCHEMA = "__SCHEMA__"
UPGRADE = [
    # Roles are the cluster's: two databases migrated at once both grant it, and the second
    # GRANT fails on the first one's row (as 0004 already allows for when creating the roles).
    "DO $$ BEGIN\n  GRANT leadtui_user TO leadtui_owner;\nEXCEPTION WHEN unique_violation THEN NULL; END $$",
    "DO $$ DECLARE retired record; BEGIN\n      FOR retired IN SELECT r.rolname FROM colleagues c JOIN pg_roles r ON r.rolname = c.login\n          WHERE NOT r.rolsuper AND NOT r.rolbypassrls AND NOT pg_has_role(r.rolname, 'leadtui_owner', 'MEMBER') LOOP\n        IF pg_has_role(retired.rolname, 'leadtui_user', 'MEMBER') THEN\n          EXECUTE format('REVOKE leadtui_user FROM %I', retired.rolname);\n        END IF;\n        EXECUTE format('ALTER ROLE %I NOLOGIN', retired.rolname);\n      END LOOP;\n    END $$",
    "DROP TRIGGER IF EXISTS colleagues_login ON colleagues",
    "DROP FUNCTION IF EXISTS leadtui_sync_login()",
    "DROP FUNCTION IF EXISTS leadtui_grant_login(text, text)",
    "DROP FUNCTION IF EXISTS leadtui_deliver(integer, integer, text, integer, text, text, timestamp, integer)",
    "DROP FUNCTION IF EXISTS leadtui_lead_edited(integer, text, text, text, integer, text, text)",
    "CREATE OR REPLACE FUNCTION leadtui_me() RETURNS integer LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n    DECLARE acting colleagues;\n    BEGIN\n      SELECT * INTO acting FROM colleagues WHERE id = nullif(current_setting('leadtui.colleague', true), '')::integer;\n      IF NOT FOUND THEN RETURN NULL; END IF;\n      IF NOT acting.active THEN\n        RAISE EXCEPTION 'Ihr Zugang ist deaktiviert.' USING ERRCODE = 'LTD01';\n      END IF;\n      RETURN acting.id;\n    END $$",
    "CREATE OR REPLACE FUNCTION leadtui_company() RETURNS integer LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n    DECLARE acting colleagues;\n    BEGIN\n      SELECT * INTO acting FROM colleagues WHERE id = nullif(current_setting('leadtui.colleague', true), '')::integer;\n      IF NOT FOUND THEN RETURN NULL; END IF;\n      IF NOT acting.active THEN\n        RAISE EXCEPTION 'Ihr Zugang ist deaktiviert.' USING ERRCODE = 'LTD01';\n      END IF;\n      RETURN acting.company_id;\n    END $$",
    "CREATE OR REPLACE FUNCTION leadtui_is_admin() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n    SELECT EXISTS (SELECT 1 FROM colleagues WHERE id = nullif(current_setting('leadtui.colleague', true), '')::integer AND active AND role = 'admin') $$",
    "CREATE OR REPLACE FUNCTION leadtui_is_owner() RETURNS boolean LANGUAGE sql STABLE\n    SET search_path = __SCHEMA__, pg_temp AS $$ SELECT pg_has_role(current_user, 'leadtui_owner', 'MEMBER') $$",
    "CREATE OR REPLACE FUNCTION leadtui_sees_lead(lead integer) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n    SELECT EXISTS (SELECT 1 FROM company_leads WHERE lead_id = lead AND company_id = (SELECT company_id FROM colleagues WHERE id = nullif(current_setting('leadtui.colleague', true), '')::integer AND active))\n        OR EXISTS (SELECT 1 FROM lead_shares WHERE lead_id = lead AND partner_company_id = (SELECT company_id FROM colleagues WHERE id = nullif(current_setting('leadtui.colleague', true), '')::integer AND active)\n                   AND status IN ('angeboten', 'angenommen'))\n        OR EXISTS (SELECT 1 FROM leads WHERE id = lead AND owner_company_id = (SELECT company_id FROM colleagues WHERE id = nullif(current_setting('leadtui.colleague', true), '')::integer AND active)) $$",
    "CREATE OR REPLACE FUNCTION leadtui_may_take_on(lead integer) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n    SELECT EXISTS (SELECT 1 FROM leads WHERE id = lead AND owner_company_id = (SELECT company_id FROM colleagues WHERE id = nullif(current_setting('leadtui.colleague', true), '')::integer AND active))\n        OR EXISTS (SELECT 1 FROM lead_shares WHERE lead_id = lead AND partner_company_id = (SELECT company_id FROM colleagues WHERE id = nullif(current_setting('leadtui.colleague', true), '')::integer AND active)\n                   AND status = 'angenommen') $$",
    "CREATE OR REPLACE FUNCTION leadtui_company_visible(other integer) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n    SELECT other = (SELECT company_id FROM colleagues WHERE id = nullif(current_setting('leadtui.colleague', true), '')::integer AND active)\n        OR EXISTS (SELECT 1 FROM partnerships WHERE (principal_id = (SELECT company_id FROM colleagues WHERE id = nullif(current_setting('leadtui.colleague', true), '')::integer AND active) AND partner_id = other)\n                   OR (partner_id = (SELECT company_id FROM colleagues WHERE id = nullif(current_setting('leadtui.colleague', true), '')::integer AND active) AND principal_id = other))\n        OR EXISTS (SELECT 1 FROM lead_shares WHERE partner_company_id = (SELECT company_id FROM colleagues WHERE id = nullif(current_setting('leadtui.colleague', true), '')::integer AND active) AND principal_company_id = other)\n        OR EXISTS (SELECT 1 FROM company_leads cl JOIN leads l ON l.id = cl.lead_id\n                   WHERE cl.company_id = (SELECT company_id FROM colleagues WHERE id = nullif(current_setting('leadtui.colleague', true), '')::integer AND active) AND l.owner_company_id = other) $$",
    "CREATE OR REPLACE FUNCTION leadtui_touch(companies integer[]) RETURNS void LANGUAGE sql VOLATILE\n    SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n    UPDATE company_changes SET seq = seq + 1 WHERE company_id = ANY(companies) $$",
    "REVOKE ALL ON FUNCTION leadtui_touch(integer[]) FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION leadtui_touch(integer[]) TO leadtui_user",
    "DROP POLICY IF EXISTS company_1 ON colleagues",
    "CREATE POLICY company_1 ON colleagues FOR SELECT\n    USING (company_id = (SELECT leadtui_company()) OR id = (SELECT leadtui_me()))",
    "DROP INDEX IF EXISTS ix_colleagues_login",
    "ALTER TABLE colleagues DROP COLUMN login",
    "GRANT SELECT, INSERT, UPDATE ON invitations TO leadtui_user",
    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA __SCHEMA__ TO leadtui_user",
    "CREATE POLICY company_1 ON invitations FOR SELECT\n    USING (company_id = (SELECT leadtui_company()) AND (SELECT leadtui_is_admin()))",
    "CREATE POLICY company_2 ON invitations FOR INSERT\n    WITH CHECK (company_id = (SELECT leadtui_company()) AND (SELECT leadtui_is_admin()))",
    "CREATE POLICY company_3 ON invitations FOR UPDATE\n    USING (company_id = (SELECT leadtui_company()) AND (SELECT leadtui_is_admin()))\n    WITH CHECK (company_id = (SELECT leadtui_company()))",
]
# The functions, column and trigger as revision 0013 left them.
DOWNGRADE = [
    "DROP POLICY IF EXISTS company_3 ON invitations",
    "DROP POLICY IF EXISTS company_2 ON invitations",
    "DROP POLICY IF EXISTS company_1 ON invitations",
    "REVOKE ALL ON invitations FROM leadtui_user",
    "ALTER TABLE colleagues ADD COLUMN login varchar(63)",
    "CREATE UNIQUE INDEX ix_colleagues_login ON colleagues (login)",
    "DROP POLICY IF EXISTS company_1 ON colleagues",
    "CREATE POLICY company_1 ON colleagues FOR SELECT\n    USING (company_id = (SELECT leadtui_company()) OR login = session_user)",
    "CREATE OR REPLACE FUNCTION __SCHEMA__.leadtui_me()\n RETURNS integer\n LANGUAGE plpgsql\n STABLE SECURITY DEFINER\n SET search_path TO __SCHEMA__, pg_temp\nAS $function$\n            DECLARE acting colleagues;\n            BEGIN\n              SELECT * INTO acting FROM colleagues WHERE login = session_user;\n              IF NOT FOUND THEN RETURN NULL; END IF;\n              IF NOT acting.active THEN\n                RAISE EXCEPTION 'Ihr Zugang ist deaktiviert.' USING ERRCODE = 'LTD01';\n              END IF;\n              RETURN acting.id;\n            END $function$",
    "CREATE OR REPLACE FUNCTION __SCHEMA__.leadtui_company()\n RETURNS integer\n LANGUAGE plpgsql\n STABLE SECURITY DEFINER\n SET search_path TO __SCHEMA__, pg_temp\nAS $function$\n            DECLARE acting colleagues;\n            BEGIN\n              SELECT * INTO acting FROM colleagues WHERE login = session_user;\n              IF NOT FOUND THEN RETURN NULL; END IF;\n              IF NOT acting.active THEN\n                RAISE EXCEPTION 'Ihr Zugang ist deaktiviert.' USING ERRCODE = 'LTD01';\n              END IF;\n              RETURN acting.company_id;\n            END $function$",
    "CREATE OR REPLACE FUNCTION __SCHEMA__.leadtui_is_admin()\n RETURNS boolean\n LANGUAGE sql\n STABLE SECURITY DEFINER\n SET search_path TO __SCHEMA__, pg_temp\nAS $function$\n            SELECT EXISTS (SELECT 1 FROM colleagues WHERE login = session_user AND active AND role = 'admin') $function$",
    "CREATE OR REPLACE FUNCTION __SCHEMA__.leadtui_is_owner()\n RETURNS boolean\n LANGUAGE sql\n STABLE\n SET search_path TO __SCHEMA__, pg_temp\nAS $function$ SELECT pg_has_role(session_user, 'leadtui_owner', 'MEMBER') $function$",
    "CREATE OR REPLACE FUNCTION __SCHEMA__.leadtui_sees_lead(lead integer)\n RETURNS boolean\n LANGUAGE sql\n STABLE SECURITY DEFINER\n SET search_path TO __SCHEMA__, pg_temp\nAS $function$\n            SELECT EXISTS (SELECT 1 FROM company_leads WHERE lead_id = lead AND company_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active))\n                OR EXISTS (SELECT 1 FROM lead_shares WHERE lead_id = lead AND partner_company_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active)\n                           AND status IN ('angeboten', 'angenommen'))\n                OR EXISTS (SELECT 1 FROM leads WHERE id = lead AND owner_company_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active)) $function$",
    "CREATE OR REPLACE FUNCTION __SCHEMA__.leadtui_may_take_on(lead integer)\n RETURNS boolean\n LANGUAGE sql\n STABLE SECURITY DEFINER\n SET search_path TO __SCHEMA__, pg_temp\nAS $function$\n            SELECT EXISTS (SELECT 1 FROM leads WHERE id = lead AND owner_company_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active))\n                OR EXISTS (SELECT 1 FROM lead_shares WHERE lead_id = lead AND partner_company_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active)\n                           AND status = 'angenommen') $function$",
    "CREATE OR REPLACE FUNCTION __SCHEMA__.leadtui_company_visible(other integer)\n RETURNS boolean\n LANGUAGE sql\n STABLE SECURITY DEFINER\n SET search_path TO __SCHEMA__, pg_temp\nAS $function$\n            SELECT other = (SELECT company_id FROM colleagues WHERE login = session_user AND active)\n                OR EXISTS (SELECT 1 FROM partnerships WHERE (principal_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active) AND partner_id = other)\n                           OR (partner_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active) AND principal_id = other))\n                OR EXISTS (SELECT 1 FROM lead_shares WHERE partner_company_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active)\n                           AND principal_company_id = other)\n                OR EXISTS (SELECT 1 FROM company_leads cl JOIN leads l ON l.id = cl.lead_id\n                           WHERE cl.company_id = (SELECT company_id FROM colleagues WHERE login = session_user AND active) AND l.owner_company_id = other) $function$",
    "CREATE OR REPLACE FUNCTION __SCHEMA__.leadtui_touch(companies integer[])\n RETURNS void\n LANGUAGE sql\n SECURITY DEFINER\n SET search_path TO __SCHEMA__, pg_temp\nAS $function$\n            UPDATE company_changes SET seq = seq + 1\n            WHERE company_id = ANY(companies) AND (leadtui_is_owner() OR company_id = leadtui_company() OR EXISTS (SELECT 1 FROM partnerships WHERE (principal_id = leadtui_company() AND partner_id = company_id) OR (partner_id = leadtui_company() AND principal_id = company_id))) $function$",
    "CREATE OR REPLACE FUNCTION __SCHEMA__.leadtui_grant_login(colleague_email text, login_name text)\n RETURNS void\n LANGUAGE plpgsql\n SECURITY DEFINER\n SET search_path TO __SCHEMA__, pg_temp\nAS $function$\n            DECLARE target colleagues;\n            BEGIN\n              SELECT * INTO target FROM colleagues WHERE lower(email) = lower(colleague_email);\n              IF NOT FOUND THEN\n                RAISE EXCEPTION 'Unbekannter Benutzer: %', colleague_email USING ERRCODE = 'P0002';\n              END IF;\n              IF NOT (pg_has_role(session_user, 'leadtui_owner', 'MEMBER') OR EXISTS (\n                  SELECT 1 FROM colleagues a WHERE a.login = session_user AND a.active AND a.role = 'admin'\n                  AND a.company_id = target.company_id)) THEN\n                RAISE EXCEPTION 'Nur Administratoren der Firma vergeben Anmeldungen.' USING ERRCODE = '42501';\n              END IF;\n              IF EXISTS (SELECT 1 FROM colleagues WHERE login = login_name AND id <> target.id) THEN\n                RAISE EXCEPTION 'Die Anmeldung % gehört schon einem anderen Kollegen.', login_name\n                  USING ERRCODE = '23505';\n              END IF;\n              IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login_name\n                         AND (rolsuper OR rolbypassrls OR pg_has_role(rolname, 'leadtui_owner', 'MEMBER'))) THEN\n                RAISE EXCEPTION 'Die Anmeldung % ist eine Verwaltungsrolle.', login_name USING ERRCODE = '42501';\n              END IF;\n              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login_name) THEN\n                EXECUTE format('CREATE ROLE %I LOGIN', login_name);\n              END IF;\n              EXECUTE format('GRANT leadtui_user TO %I', login_name);\n              EXECUTE format('ALTER ROLE %I %s', login_name, CASE WHEN target.active THEN 'LOGIN' ELSE 'NOLOGIN' END);\n              UPDATE colleagues SET login = login_name WHERE id = target.id;\n            END $function$",
    "CREATE OR REPLACE FUNCTION __SCHEMA__.leadtui_sync_login()\n RETURNS trigger\n LANGUAGE plpgsql\n SECURITY DEFINER\n SET search_path TO __SCHEMA__, pg_temp\nAS $function$\n            BEGIN\n              IF NEW.login IS NOT NULL AND NEW.active IS DISTINCT FROM OLD.active\n                 AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = NEW.login) THEN\n                EXECUTE format('ALTER ROLE %I %s', NEW.login, CASE WHEN NEW.active THEN 'LOGIN' ELSE 'NOLOGIN' END);\n              END IF;\n              RETURN NEW;\n            END $function$",
    "CREATE OR REPLACE FUNCTION __SCHEMA__.leadtui_deliver(lead integer, recipient integer, kind text, n integer, own_text text, other_text text, sent timestamp without time zone, entry_company integer)\n RETURNS integer\n LANGUAGE plpgsql\n SECURITY DEFINER\n SET search_path TO __SCHEMA__, pg_temp\nAS $function$\n            DECLARE\n              acting integer := leadtui_company();\n              me integer := leadtui_me();\n              source integer := coalesce(entry_company, acting);\n              delivered integer := 0;\n              target record;\n            BEGIN\n              IF acting IS NULL THEN RETURN 0; END IF;\n              FOR target IN\n                SELECT v.company_id, v.colleague_id FROM company_leads v\n                JOIN colleagues c ON c.id = v.colleague_id AND c.company_id = v.company_id AND c.active\n                WHERE recipient IS NULL AND v.lead_id = lead AND v.colleague_id IS NOT NULL\n                  AND (v.company_id = acting OR EXISTS (SELECT 1 FROM lead_shares s WHERE s.lead_id = lead AND s.status = 'angenommen'\n                 AND ((s.principal_company_id = acting AND s.partner_company_id = v.company_id)\n                   OR (s.partner_company_id = acting AND s.principal_company_id = v.company_id))))\n                  AND (v.company_id = source OR EXISTS (SELECT 1 FROM lead_shares s WHERE s.lead_id = lead AND s.status = 'angenommen'\n                 AND ((s.principal_company_id = source AND s.partner_company_id = v.company_id)\n                   OR (s.partner_company_id = source AND s.principal_company_id = v.company_id))))\n                UNION ALL\n                SELECT c.company_id, c.id FROM colleagues c\n                WHERE recipient IS NOT NULL AND c.id = recipient AND c.company_id = acting AND c.active\n              LOOP\n                CONTINUE WHEN target.colleague_id = me OR EXISTS (\n                  SELECT 1 FROM colleague_settings WHERE colleague_id = target.colleague_id\n                  AND key = 'notify.' || kind AND value = 'aus');\n                INSERT INTO notifications (colleague_id, company_id, lead_id, kind, count, body, at)\n                VALUES (target.colleague_id, target.company_id, lead, kind, n,\n                        CASE WHEN target.company_id = acting THEN own_text ELSE other_text END, sent);\n                delivered := delivered + 1;\n              END LOOP;\n              RETURN delivered;\n            END $function$",
    "CREATE OR REPLACE FUNCTION __SCHEMA__.leadtui_lead_edited(lead integer, new_title text, new_prospect text, new_city text, new_value integer, old_status text, new_status text)\n RETURNS void\n LANGUAGE plpgsql\n SECURITY DEFINER\n SET search_path TO __SCHEMA__, pg_temp\nAS $function$\n            DECLARE\n              was_open integer := CASE WHEN old_status IN ('neu', 'in Bearbeitung') THEN 1 ELSE 0 END;\n              is_open integer := CASE WHEN new_status IN ('neu', 'in Bearbeitung') THEN 1 ELSE 0 END;\n              was_new integer := CASE WHEN old_status = 'neu' THEN 1 ELSE 0 END;\n              is_new integer := CASE WHEN new_status = 'neu' THEN 1 ELSE 0 END;\n            BEGIN\n              IF NOT EXISTS (SELECT 1 FROM company_leads WHERE lead_id = lead AND company_id = leadtui_company()) THEN\n                RAISE EXCEPTION 'Lead nicht gefunden oder nicht sichtbar.' USING ERRCODE = '42501';\n              END IF;\n              UPDATE company_leads SET sort_title = new_title, sort_prospect = new_prospect,\n                sort_city = new_city, sort_value = new_value, sort_status = new_status WHERE lead_id = lead;\n              IF was_open <> is_open OR was_new <> is_new THEN\n                UPDATE company_lead_counts c SET open_n = c.open_n + is_open - was_open,\n                  new_n = c.new_n + is_new - was_new\n                FROM company_leads v WHERE v.lead_id = lead AND c.company_id = v.company_id\n                  AND c.slot = coalesce(v.colleague_id, 0);\n              END IF;\n              UPDATE company_changes SET seq = seq + 1 WHERE company_id IN (\n                SELECT company_id FROM company_leads WHERE lead_id = lead ORDER BY company_id);\n            END $function$",
    "ALTER FUNCTION leadtui_grant_login(text, text) OWNER TO leadtui_owner",
    "ALTER FUNCTION leadtui_sync_login() OWNER TO leadtui_owner",
    "ALTER FUNCTION leadtui_deliver(integer, integer, text, integer, text, text, timestamp, integer) OWNER TO leadtui_owner",
    "ALTER FUNCTION leadtui_lead_edited(integer, text, text, text, integer, text, text) OWNER TO leadtui_owner",
    "REVOKE ALL ON FUNCTION leadtui_deliver(integer, integer, text, integer, text, text, timestamp, integer) FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION leadtui_deliver(integer, integer, text, integer, text, text, timestamp, integer) TO leadtui_user",
    "REVOKE ALL ON FUNCTION leadtui_lead_edited(integer, text, text, text, integer, text, text) FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION leadtui_lead_edited(integer, text, text, text, integer, text, text) TO leadtui_user",
    "GRANT EXECUTE ON FUNCTION leadtui_touch(integer[]) TO PUBLIC",
    "CREATE TRIGGER colleagues_login AFTER UPDATE OF active ON colleagues\n    FOR EACH ROW EXECUTE FUNCTION leadtui_sync_login()",
    # leadtui_owner stays a member of leadtui_user: roles are the cluster's, and every other
    # leadtui database on it at 0014 or later takes the role through that membership.
]

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _run(statements: list[str]) -> None:
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar_one()
    for statement in statements:
        op.execute(statement.replace(SCHEMA, schema))


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _run(UPGRADE)
        return
    op.drop_index("ix_colleagues_login", table_name="colleagues")
    # In place (SQLite 3.35+): a batch copy of the table would trip the foreign keys on it.
    op.execute("ALTER TABLE colleagues DROP COLUMN login")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _run(DOWNGRADE)
        return
    op.add_column("colleagues", sa.Column("login", sa.String(length=63), nullable=True))
    op.create_index("ix_colleagues_login", "colleagues", ["login"], unique=True)
