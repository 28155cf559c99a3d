"""Activity on a journal entry is told only to companies that may read that entry

PostgreSQL only (see db/row_security.py, entry_delivery_statements): `leadtui_deliver` takes the
entry's company. SQLite delivers in Python (repository/notifications.py).

Revision ID: 0010
Revises: 0009
"""

from alembic import op

# Frozen when written (issue 18): this revision's own SQL, never the live code's, so that a later
# change to db/row_security.py cannot change what upgrading an old database does. SCHEMA stands
# for the database's schema.
SCHEMA = "__SCHEMA__"
STATEMENTS = [
    "DROP FUNCTION IF EXISTS leadtui_deliver(integer, integer, text, integer, text, text, timestamp)",
    "CREATE OR REPLACE FUNCTION leadtui_deliver(lead integer, recipient integer, kind text, n integer,\n              own_text text, other_text text, sent timestamp, entry_company integer)\n              RETURNS integer LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            DECLARE\n              acting integer := leadtui_company();\n              me integer := leadtui_me();\n              source integer := coalesce(entry_company, acting);\n              delivered integer := 0;\n              target record;\n            BEGIN\n              IF acting IS NULL THEN RETURN 0; END IF;\n              FOR target IN\n                SELECT v.company_id, v.colleague_id FROM company_leads v\n                JOIN colleagues c ON c.id = v.colleague_id AND c.company_id = v.company_id AND c.active\n                WHERE recipient IS NULL AND v.lead_id = lead AND v.colleague_id IS NOT NULL\n                  AND (v.company_id = acting OR EXISTS (SELECT 1 FROM lead_shares s WHERE s.lead_id = lead AND s.status = 'angenommen'\n                 AND ((s.principal_company_id = acting AND s.partner_company_id = v.company_id)\n                   OR (s.partner_company_id = acting AND s.principal_company_id = v.company_id))))\n                  AND (v.company_id = source OR EXISTS (SELECT 1 FROM lead_shares s WHERE s.lead_id = lead AND s.status = 'angenommen'\n                 AND ((s.principal_company_id = source AND s.partner_company_id = v.company_id)\n                   OR (s.partner_company_id = source AND s.principal_company_id = v.company_id))))\n                UNION ALL\n                SELECT c.company_id, c.id FROM colleagues c\n                WHERE recipient IS NOT NULL AND c.id = recipient AND c.company_id = acting AND c.active\n              LOOP\n                CONTINUE WHEN target.colleague_id = me OR EXISTS (\n                  SELECT 1 FROM colleague_settings WHERE colleague_id = target.colleague_id\n                  AND key = 'notify.' || kind AND value = 'aus');\n                INSERT INTO notifications (colleague_id, company_id, lead_id, kind, count, body, at)\n                VALUES (target.colleague_id, target.company_id, lead, kind, n,\n                        CASE WHEN target.company_id = acting THEN own_text ELSE other_text END, sent);\n                delivered := delivered + 1;\n              END LOOP;\n              RETURN delivered;\n            END $$",
    "ALTER FUNCTION leadtui_deliver(integer, integer, text, integer, text, text, timestamp, integer) OWNER TO leadtui_owner",
    "REVOKE ALL ON FUNCTION leadtui_deliver(integer, integer, text, integer, text, text, timestamp, integer) FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION leadtui_deliver(integer, integer, text, integer, text, text, timestamp, integer) TO leadtui_user",
]
JOURNAL_STATEMENTS = [
    "ALTER TABLE journal_entries OWNER TO leadtui_owner",
    "ALTER TABLE notifications OWNER TO leadtui_owner",
    "CREATE OR REPLACE FUNCTION leadtui_journal_visible(lead integer, author_company integer)\n            RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            SELECT EXISTS (SELECT 1 FROM company_leads WHERE lead_id = lead AND company_id = leadtui_company())\n               AND (author_company = leadtui_company() OR EXISTS (SELECT 1 FROM lead_shares s WHERE s.lead_id = lead AND s.status = 'angenommen'\n                 AND ((s.principal_company_id = leadtui_company() AND s.partner_company_id = author_company)\n                   OR (s.partner_company_id = leadtui_company() AND s.principal_company_id = author_company)))) $$",
    "CREATE OR REPLACE FUNCTION leadtui_edit_rule() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            DECLARE acting integer := leadtui_company();\n            BEGIN\n              IF acting IS NOT NULL AND NEW.owner_company_id <> acting AND (\n                  NEW.title, NEW.prospect, NEW.city, NEW.value, NEW.source, NEW.owner_company_id, NEW.created_at\n                ) IS DISTINCT FROM (\n                  OLD.title, OLD.prospect, OLD.city, OLD.value, OLD.source, OLD.owner_company_id, OLD.created_at\n                ) THEN\n                RAISE EXCEPTION 'Nur die Firma, der der Lead gehört, ändert Titel, Firma, Ort und Wert.'\n                  USING ERRCODE = '42501';\n              END IF;\n              RETURN NEW;\n            END $$",
    "DROP TRIGGER IF EXISTS leads_edit_rule ON leads",
    "CREATE TRIGGER leads_edit_rule BEFORE UPDATE ON leads FOR EACH ROW EXECUTE FUNCTION leadtui_edit_rule()",
    "CREATE OR REPLACE FUNCTION leadtui_lead_edited(lead integer, new_title text, new_prospect text,\n              new_city text, new_value integer, old_status text, new_status text)\n              RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            DECLARE\n              was_open integer := CASE WHEN old_status IN ('neu', 'in Bearbeitung') THEN 1 ELSE 0 END;\n              is_open integer := CASE WHEN new_status IN ('neu', 'in Bearbeitung') THEN 1 ELSE 0 END;\n              was_new integer := CASE WHEN old_status = 'neu' THEN 1 ELSE 0 END;\n              is_new integer := CASE WHEN new_status = 'neu' THEN 1 ELSE 0 END;\n            BEGIN\n              IF NOT EXISTS (SELECT 1 FROM company_leads WHERE lead_id = lead AND company_id = leadtui_company()) THEN\n                RAISE EXCEPTION 'Lead nicht gefunden oder nicht sichtbar.' USING ERRCODE = '42501';\n              END IF;\n              UPDATE company_leads SET sort_title = new_title, sort_prospect = new_prospect,\n                sort_city = new_city, sort_value = new_value, sort_status = new_status WHERE lead_id = lead;\n              IF was_open <> is_open OR was_new <> is_new THEN\n                UPDATE company_lead_counts c SET open_n = c.open_n + is_open - was_open,\n                  new_n = c.new_n + is_new - was_new\n                FROM company_leads v WHERE v.lead_id = lead AND c.company_id = v.company_id\n                  AND c.slot = coalesce(v.colleague_id, 0);\n              END IF;\n              UPDATE company_changes SET seq = seq + 1 WHERE company_id IN (\n                SELECT company_id FROM company_leads WHERE lead_id = lead ORDER BY company_id);\n            END $$",
    "CREATE OR REPLACE FUNCTION leadtui_deliver(lead integer, recipient integer, kind text, n integer,\n              own_text text, other_text text, sent timestamp) RETURNS integer LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = __SCHEMA__, pg_temp AS $$\n            DECLARE\n              acting integer := leadtui_company();\n              me integer := leadtui_me();\n              delivered integer := 0;\n              target record;\n            BEGIN\n              IF acting IS NULL THEN RETURN 0; END IF;\n              FOR target IN\n                SELECT v.company_id, v.colleague_id FROM company_leads v\n                JOIN colleagues c ON c.id = v.colleague_id AND c.company_id = v.company_id AND c.active\n                WHERE recipient IS NULL AND v.lead_id = lead AND v.colleague_id IS NOT NULL\n                  AND (v.company_id = acting OR EXISTS (SELECT 1 FROM lead_shares s WHERE s.lead_id = lead AND s.status = 'angenommen'\n                 AND ((s.principal_company_id = acting AND s.partner_company_id = v.company_id)\n                   OR (s.partner_company_id = acting AND s.principal_company_id = v.company_id))))\n                UNION ALL\n                SELECT c.company_id, c.id FROM colleagues c\n                WHERE recipient IS NOT NULL AND c.id = recipient AND c.company_id = acting AND c.active\n              LOOP\n                CONTINUE WHEN target.colleague_id = me OR EXISTS (\n                  SELECT 1 FROM colleague_settings WHERE colleague_id = target.colleague_id\n                  AND key = 'notify.' || kind AND value = 'aus');\n                INSERT INTO notifications (colleague_id, company_id, lead_id, kind, count, body, at)\n                VALUES (target.colleague_id, target.company_id, lead, kind, n,\n                        CASE WHEN target.company_id = acting THEN own_text ELSE other_text END, sent);\n                delivered := delivered + 1;\n              END LOOP;\n              RETURN delivered;\n            END $$",
    "ALTER FUNCTION leadtui_journal_visible(integer, integer) OWNER TO leadtui_owner",
    "ALTER FUNCTION leadtui_edit_rule() OWNER TO leadtui_owner",
    "ALTER FUNCTION leadtui_lead_edited(integer, text, text, text, integer, text, text) OWNER TO leadtui_owner",
    "ALTER FUNCTION leadtui_deliver(integer, integer, text, integer, text, text, timestamp) OWNER TO leadtui_owner",
    "REVOKE ALL ON FUNCTION leadtui_deliver(integer, integer, text, integer, text, text, timestamp) FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION leadtui_deliver(integer, integer, text, integer, text, text, timestamp) TO leadtui_user",
    "REVOKE ALL ON FUNCTION leadtui_lead_edited(integer, text, text, text, integer, text, text) FROM PUBLIC",
    "GRANT EXECUTE ON FUNCTION leadtui_lead_edited(integer, text, text, text, integer, text, text) TO leadtui_user",
    "GRANT SELECT, INSERT ON journal_entries TO leadtui_user",
    "GRANT UPDATE (done_at, done_company_id, done_by_id) ON journal_entries TO leadtui_user",
    "GRANT SELECT ON notifications TO leadtui_user",
    "GRANT UPDATE (read_at) ON notifications TO leadtui_user",
    "GRANT USAGE ON ALL SEQUENCES IN SCHEMA __SCHEMA__ TO leadtui_user",
    "ALTER TABLE journal_entries ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE journal_entries FORCE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS owner_all ON journal_entries",
    "CREATE POLICY owner_all ON journal_entries USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "ALTER TABLE notifications ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE notifications FORCE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS owner_all ON notifications",
    "CREATE POLICY owner_all ON notifications USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))",
    "CREATE POLICY company_1 ON journal_entries FOR SELECT USING (leadtui_journal_visible(lead_id, company_id))",
    "CREATE POLICY company_2 ON journal_entries FOR INSERT WITH CHECK (company_id = (SELECT leadtui_company())\n            AND author_id = (SELECT leadtui_me()) AND leadtui_journal_visible(lead_id, company_id))",
    "CREATE POLICY company_3 ON journal_entries FOR UPDATE USING (kind = 'task'\n            AND leadtui_journal_visible(lead_id, company_id)) WITH CHECK (done_company_id IS NULL\n            OR (done_company_id = (SELECT leadtui_company()) AND done_by_id = (SELECT leadtui_me())))",
    "CREATE POLICY company_1 ON notifications FOR SELECT USING (colleague_id = (SELECT leadtui_me()))",
    "CREATE POLICY company_2 ON notifications FOR UPDATE USING (colleague_id = (SELECT leadtui_me()))",
]

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        schema = bind.exec_driver_sql("SELECT current_schema()").scalar_one()
        for statement in (s.replace(SCHEMA, schema) for s in STATEMENTS):
            op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "DROP FUNCTION IF EXISTS leadtui_deliver(integer, integer, text, integer, text, text, timestamp, integer)"
        )
        schema = bind.exec_driver_sql("SELECT current_schema()").scalar_one()
        for statement in (s.replace(SCHEMA, schema) for s in JOURNAL_STATEMENTS):
            if "leadtui_deliver" in statement:
                op.execute(statement)
