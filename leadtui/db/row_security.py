"""Team mode on PostgreSQL: every colleague logs in as themselves, and row-level security keeps
each company's rows to that company - whatever the code above does, and for anyone with psql.

Roles (cluster-wide, created by the first `leadtui db upgrade`, which needs a superuser then):
- `leadtui_owner` (NOLOGIN, BYPASSRLS, CREATEROLE) owns every table and the functions below. The
  administrator's login is a member of it; the app never connects as it.
- `leadtui_user` (NOLOGIN) holds what the app may do; every colleague's login is a member.

The acting colleague is the one whose `login` is the session's user (`session_user`, which a
login cannot change). Every policy reads the acting company through `leadtui_company()`, which is
NULL for an unknown login (so such a session sees and writes nothing) and raises "Ihr Zugang ist
deaktiviert." for a deactivated colleague's session - in the same round trip as the query.

This module holds the SQL the migrations apply; it is history like the migrations themselves.
"""

from __future__ import annotations

OWNER_ROLE = "leadtui_owner"
DEACTIVATED = "Ihr Zugang ist deaktiviert."
# The SQLSTATE a deactivated colleague's session gets (our own class "LT", unused by PostgreSQL):
# the app recognises the state, never the words.
DEACTIVATED_STATE = "LTD01"
USER_ROLE = "leadtui_user"

ROLES = f"""
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OWNER_ROLE}') THEN
    CREATE ROLE {OWNER_ROLE} NOLOGIN BYPASSRLS CREATEROLE;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{USER_ROLE}') THEN
    CREATE ROLE {USER_ROLE} NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
"""

TABLES = (
    "companies",
    "colleagues",
    "partnerships",
    "leads",
    "company_leads",
    "company_lead_counts",
    "lead_shares",
    "assignment_history",
    "colleague_settings",
    "maintenance",
)


def _acting_function(name: str, column: str, definer: str) -> str:
    """A function naming the login's colleague (`id`) or company (`company_id`): NULL for a
    login that is no colleague, an error for a deactivated one (so every policy refuses it)."""
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS integer LANGUAGE plpgsql {definer} AS $$
            DECLARE acting colleagues;
            BEGIN
              SELECT * INTO acting FROM colleagues WHERE login = session_user;
              IF NOT FOUND THEN RETURN NULL; END IF;
              IF NOT acting.active THEN
                RAISE EXCEPTION '{DEACTIVATED}' USING ERRCODE = '{DEACTIVATED_STATE}';
              END IF;
              RETURN acting.{column};
            END $$"""


def functions(schema: str) -> list[str]:
    """The helper functions the policies use; SECURITY DEFINER (as the owner, which bypasses
    row-level security) so that a policy reading another table never recurses."""
    definer = f"STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp"
    company = "(SELECT company_id FROM colleagues WHERE login = session_user AND active)"
    return [
        *(
            _acting_function(name, column, definer)
            for name, column in (("leadtui_me", "id"), ("leadtui_company", "company_id"))
        ),
        f"""CREATE OR REPLACE FUNCTION leadtui_is_admin() RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM colleagues WHERE login = session_user AND active AND role = 'admin') $$""",
        f"""CREATE OR REPLACE FUNCTION leadtui_is_owner() RETURNS boolean LANGUAGE sql STABLE
            SET search_path = {schema}, pg_temp AS $$ SELECT pg_has_role(session_user, '{OWNER_ROLE}', 'MEMBER') $$""",
        f"""CREATE OR REPLACE FUNCTION leadtui_sees_lead(lead integer) RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM company_leads WHERE lead_id = lead AND company_id = {company})
                OR EXISTS (SELECT 1 FROM lead_shares WHERE lead_id = lead AND partner_company_id = {company}
                           AND status IN ('angeboten', 'angenommen'))
                OR EXISTS (SELECT 1 FROM leads WHERE id = lead AND owner_company_id = {company}) $$""",
        f"""CREATE OR REPLACE FUNCTION leadtui_may_take_on(lead integer) RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM leads WHERE id = lead AND owner_company_id = {company})
                OR EXISTS (SELECT 1 FROM lead_shares WHERE lead_id = lead AND partner_company_id = {company}
                           AND status = 'angenommen') $$""",
        f"""CREATE OR REPLACE FUNCTION leadtui_company_visible(other integer) RETURNS boolean LANGUAGE sql
            {definer} AS $$
            SELECT other = {company}
                OR EXISTS (SELECT 1 FROM partnerships WHERE (principal_id = {company} AND partner_id = other)
                           OR (partner_id = {company} AND principal_id = other))
                OR EXISTS (SELECT 1 FROM lead_shares WHERE partner_company_id = {company}
                           AND principal_company_id = other)
                OR EXISTS (SELECT 1 FROM company_leads cl JOIN leads l ON l.id = cl.lead_id
                           WHERE cl.company_id = {company} AND l.owner_company_id = other) $$""",
        f"""CREATE OR REPLACE FUNCTION leadtui_grant_login(colleague_email text, login_name text) RETURNS void
            LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
            DECLARE target colleagues;
            BEGIN
              SELECT * INTO target FROM colleagues WHERE lower(email) = lower(colleague_email);
              IF NOT FOUND THEN
                RAISE EXCEPTION 'Unbekannter Benutzer: %', colleague_email USING ERRCODE = 'P0002';
              END IF;
              IF NOT (pg_has_role(session_user, '{OWNER_ROLE}', 'MEMBER') OR EXISTS (
                  SELECT 1 FROM colleagues a WHERE a.login = session_user AND a.active AND a.role = 'admin'
                  AND a.company_id = target.company_id)) THEN
                RAISE EXCEPTION 'Nur Administratoren der Firma vergeben Anmeldungen.' USING ERRCODE = '42501';
              END IF;
              IF EXISTS (SELECT 1 FROM colleagues WHERE login = login_name AND id <> target.id) THEN
                RAISE EXCEPTION 'Die Anmeldung % gehört schon einem anderen Kollegen.', login_name
                  USING ERRCODE = '23505';
              END IF;
              IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login_name
                         AND (rolsuper OR rolbypassrls OR pg_has_role(rolname, '{OWNER_ROLE}', 'MEMBER'))) THEN
                RAISE EXCEPTION 'Die Anmeldung % ist eine Verwaltungsrolle.', login_name USING ERRCODE = '42501';
              END IF;
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login_name) THEN
                EXECUTE format('CREATE ROLE %I LOGIN', login_name);
              END IF;
              EXECUTE format('GRANT {USER_ROLE} TO %I', login_name);
              EXECUTE format('ALTER ROLE %I %s', login_name, CASE WHEN target.active THEN 'LOGIN' ELSE 'NOLOGIN' END);
              UPDATE colleagues SET login = login_name WHERE id = target.id;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION leadtui_sync_login() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
            SET search_path = {schema}, pg_temp AS $$
            BEGIN
              IF NEW.login IS NOT NULL AND NEW.active IS DISTINCT FROM OLD.active
                 AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = NEW.login) THEN
                EXECUTE format('ALTER ROLE %I %s', NEW.login, CASE WHEN NEW.active THEN 'LOGIN' ELSE 'NOLOGIN' END);
              END IF;
              RETURN NEW;
            END $$""",
        "DROP TRIGGER IF EXISTS colleagues_login ON colleagues",
        """CREATE TRIGGER colleagues_login AFTER UPDATE OF active ON colleagues
            FOR EACH ROW EXECUTE FUNCTION leadtui_sync_login()""",
    ]


MINE = "(SELECT leadtui_company())"
# Asked once per statement (an InitPlan), not once per row: a count of 17,000 offers took 32 ms.
OWNER_POLICY = "USING ((SELECT leadtui_is_owner())) WITH CHECK ((SELECT leadtui_is_owner()))"
POLICIES = {
    "companies": ["FOR SELECT USING (leadtui_company_visible(id))"],
    "colleagues": [
        f"FOR SELECT USING (company_id = {MINE} OR login = session_user)",
        f"FOR INSERT WITH CHECK (company_id = {MINE} AND (SELECT leadtui_is_admin()))",
        f"FOR UPDATE USING (company_id = {MINE} AND (SELECT leadtui_is_admin())) WITH CHECK (company_id = {MINE})",
    ],
    "partnerships": [f"FOR SELECT USING (principal_id = {MINE} OR partner_id = {MINE})"],
    "leads": [
        f"FOR SELECT USING (owner_company_id = {MINE} OR leadtui_sees_lead(id))",
        f"FOR INSERT WITH CHECK (owner_company_id = {MINE})",
        f"FOR UPDATE USING (owner_company_id = {MINE} OR leadtui_sees_lead(id))",
    ],
    "company_leads": [
        f"FOR SELECT USING (company_id = {MINE})",
        f"FOR INSERT WITH CHECK (company_id = {MINE} AND leadtui_may_take_on(lead_id))",
        f"FOR UPDATE USING (company_id = {MINE}) WITH CHECK (company_id = {MINE})",
    ],
    "company_lead_counts": [
        f"FOR SELECT USING (company_id = {MINE})",
        f"FOR INSERT WITH CHECK (company_id = {MINE})",
        f"FOR UPDATE USING (company_id = {MINE}) WITH CHECK (company_id = {MINE})",
    ],
    "assignment_history": [
        f"FOR SELECT USING (company_id = {MINE})",
        f"FOR INSERT WITH CHECK (company_id = {MINE} AND by_id = (SELECT leadtui_me()))",
    ],
    "lead_shares": [
        f"FOR SELECT USING (principal_company_id = {MINE} OR partner_company_id = {MINE})",
        f"""FOR INSERT WITH CHECK (principal_company_id = {MINE} AND offered_by_id = (SELECT leadtui_me())
            AND leadtui_sees_lead(lead_id))""",
        f"""FOR UPDATE USING (principal_company_id = {MINE} OR partner_company_id = {MINE})
            WITH CHECK (principal_company_id = {MINE} OR partner_company_id = {MINE})""",
    ],
    "colleague_settings": [
        "FOR SELECT USING (colleague_id = (SELECT leadtui_me()))",
        "FOR INSERT WITH CHECK (colleague_id = (SELECT leadtui_me()))",
        "FOR UPDATE USING (colleague_id = (SELECT leadtui_me()))",
    ],
    "maintenance": ["FOR SELECT USING (true)"],  # everyone may see that a bulk load is under way
}

GRANTS = [
    f"GRANT SELECT ON alembic_version, companies, partnerships, maintenance TO {USER_ROLE}",
    f"GRANT SELECT ON colleagues TO {USER_ROLE}",
    f"GRANT INSERT (company_id, name, email, active, role) ON colleagues TO {USER_ROLE}",
    f"GRANT UPDATE (name, active, role) ON colleagues TO {USER_ROLE}",
    f"GRANT SELECT, INSERT, UPDATE ON leads, company_leads, company_lead_counts, lead_shares, colleague_settings "
    f"TO {USER_ROLE}",
    f"GRANT SELECT, INSERT ON assignment_history TO {USER_ROLE}",
]


def statements(schema: str) -> list[str]:
    """Everything team mode needs in one database, in order; safe to apply again."""
    result = [ROLES]
    result += [f"ALTER TABLE {table} OWNER TO {OWNER_ROLE}" for table in (*TABLES, "alembic_version")]
    result += functions(schema)
    result += [f"ALTER FUNCTION {name} OWNER TO {OWNER_ROLE}" for name in FUNCTION_SIGNATURES]
    result += [f"GRANT USAGE ON SCHEMA {schema} TO {USER_ROLE}", *GRANTS]
    result += [f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {USER_ROLE}"]
    for table, policies in POLICIES.items():
        result += [f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY", f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY"]
        result += [f"DROP POLICY IF EXISTS owner_all ON {table}"]
        result += [f"CREATE POLICY owner_all ON {table} {OWNER_POLICY}"]
        for number, policy in enumerate(policies, start=1):
            result += [f"DROP POLICY IF EXISTS company_{number} ON {table}"]
            result += [f"CREATE POLICY company_{number} ON {table} {policy}"]
    return result


FUNCTION_SIGNATURES = (
    "leadtui_me()",
    "leadtui_company()",
    "leadtui_is_admin()",
    "leadtui_is_owner()",
    "leadtui_sees_lead(integer)",
    "leadtui_may_take_on(integer)",
    "leadtui_company_visible(integer)",
    "leadtui_grant_login(text, text)",
    "leadtui_sync_login()",
)


def change_feed_statements(schema: str) -> list[str]:
    """Migration 0005: the company change counters under row-level security, the function that
    moves related companies' counters, and the trigger that notifies each company's channel."""
    definer = f"SECURITY DEFINER SET search_path = {schema}, pg_temp"
    related = (
        "company_id = leadtui_company() OR EXISTS (SELECT 1 FROM partnerships WHERE"
        " (principal_id = leadtui_company() AND partner_id = company_id)"
        " OR (partner_id = leadtui_company() AND principal_id = company_id))"
    )
    return [
        f"ALTER TABLE company_changes OWNER TO {OWNER_ROLE}",
        f"""CREATE OR REPLACE FUNCTION leadtui_touch(companies integer[]) RETURNS void LANGUAGE sql VOLATILE
            {definer} AS $$
            UPDATE company_changes SET seq = seq + 1
            WHERE company_id = ANY(companies) AND (leadtui_is_owner() OR {related}) $$""",
        f"""CREATE OR REPLACE FUNCTION leadtui_notify_change() RETURNS trigger LANGUAGE plpgsql {definer} AS $$
            BEGIN PERFORM pg_notify(NEW.channel, NEW.seq::text); RETURN NEW; END $$""",
        "DROP TRIGGER IF EXISTS company_changes_notify ON company_changes",
        """CREATE TRIGGER company_changes_notify AFTER UPDATE ON company_changes
            FOR EACH ROW EXECUTE FUNCTION leadtui_notify_change()""",
        f"ALTER FUNCTION leadtui_touch(integer[]) OWNER TO {OWNER_ROLE}",
        f"ALTER FUNCTION leadtui_notify_change() OWNER TO {OWNER_ROLE}",
        f"GRANT SELECT, UPDATE ON company_changes TO {USER_ROLE}",
        "ALTER TABLE company_changes ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE company_changes FORCE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS owner_all ON company_changes",
        f"CREATE POLICY owner_all ON company_changes {OWNER_POLICY}",
        "DROP POLICY IF EXISTS company_1 ON company_changes",
        f"CREATE POLICY company_1 ON company_changes FOR SELECT USING (company_id = {MINE})",
        "DROP POLICY IF EXISTS company_2 ON company_changes",
        f"CREATE POLICY company_2 ON company_changes FOR UPDATE USING (company_id = {MINE})",
    ]


def speed_statements(schema: str) -> list[str]:
    """Migration 0006: row-level security at speed. The owner's policy is asked once per
    statement instead of once per row. And search: a login's query cannot use the trigram
    index for `search_text LIKE …` (LIKE is not leakproof, so PostgreSQL tests the policy on every
    lead first: a full scan, seconds at a million leads). This function runs as the owner, which
    bypasses row-level security, so it may use the index; it returns only leads in the calling
    company's lists or offered to it - the same leads its lists can show, nothing else."""
    owner_policies = [f"ALTER POLICY owner_all ON {table} {OWNER_POLICY}" for table in (*POLICIES, "company_changes")]
    return [
        *owner_policies,
        f"""CREATE OR REPLACE FUNCTION leadtui_search(patterns text[]) RETURNS SETOF integer LANGUAGE plpgsql
            STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
            DECLARE
              company integer := leadtui_company();
              matching text;
            BEGIN
              IF company IS NULL OR coalesce(cardinality(patterns), 0) = 0 THEN RETURN; END IF;
              SELECT string_agg(format('l.search_text LIKE $2[%s]', i), ' AND ')
                INTO matching FROM generate_subscripts(patterns, 1) AS i;
              RETURN QUERY EXECUTE
                'SELECT l.id FROM leads l JOIN company_leads c ON c.lead_id = l.id AND c.company_id = $1'
                || ' WHERE ' || matching
                || ' UNION SELECT l.id FROM leads l JOIN lead_shares s ON s.lead_id = l.id'
                || ' AND s.partner_company_id = $1 AND s.status = ''angeboten'' WHERE ' || matching
                USING company, patterns;
            END $$""",
        f"ALTER FUNCTION leadtui_search(text[]) OWNER TO {OWNER_ROLE}",
        "REVOKE ALL ON FUNCTION leadtui_search(text[]) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION leadtui_search(text[]) TO {USER_ROLE}",
    ]


def undo_statements() -> list[str]:
    """Migration 0008: undoing an acceptance takes the lead out of the own lists again. A login
    may delete only what such an undo removes - a view that came with an acceptance and was never
    changed since (version 1), and its one history entry; history stays append-only otherwise."""
    untouched = "via = 'accepted' AND version = 1"
    return [
        f"GRANT DELETE ON company_leads, assignment_history TO {USER_ROLE}",
        "DROP POLICY IF EXISTS undo_acceptance ON company_leads",
        f"CREATE POLICY undo_acceptance ON company_leads FOR DELETE USING (company_id = {MINE} AND {untouched})",
        "DROP POLICY IF EXISTS undo_acceptance ON assignment_history",
        f"""CREATE POLICY undo_acceptance ON assignment_history FOR DELETE USING (
            company_id = {MINE} AND reason = 'offer_accepted' AND EXISTS (
              SELECT 1 FROM company_leads cl WHERE cl.company_id = assignment_history.company_id
              AND cl.lead_id = assignment_history.lead_id AND cl.{untouched.replace(" AND ", " AND cl.")}))""",
    ]


DELIVER = "leadtui_deliver(integer, integer, text, integer, text, text, timestamp)"
LEAD_EDITED = "leadtui_lead_edited(integer, text, text, text, integer, text, text)"


def journal_statements(schema: str) -> list[str]:
    """Migration 0009: editing leads, the journal and notifications under row-level security.

    - Editing: a company that holds a lead it does not own (a partner) may change its status and
      contact data only (trigger); `leadtui_lead_edited` moves every holder's sort keys, counters
      and change counter - rows of other companies a login may not touch itself.
    - Journal: an entry is readable by its company and by a company holding the lead through a
      direct accepted offer with it (never along a chain); written by its author's login; a task
      may be ticked done by anyone who reads it (only the done columns).
    - Notifications: read and marked read by their recipient only; written by `leadtui_deliver`,
      which alone reads the recipients' assignments and preferences."""
    definer = f"SECURITY DEFINER SET search_path = {schema}, pg_temp"
    company = "leadtui_company()"
    direct = """EXISTS (SELECT 1 FROM lead_shares s WHERE s.lead_id = lead AND s.status = 'angenommen'
                 AND ((s.principal_company_id = {a} AND s.partner_company_id = {b})
                   OR (s.partner_company_id = {a} AND s.principal_company_id = {b})))"""
    return [
        f"ALTER TABLE journal_entries OWNER TO {OWNER_ROLE}",
        f"ALTER TABLE notifications OWNER TO {OWNER_ROLE}",
        f"""CREATE OR REPLACE FUNCTION leadtui_journal_visible(lead integer, author_company integer)
            RETURNS boolean LANGUAGE sql STABLE {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM company_leads WHERE lead_id = lead AND company_id = {company})
               AND (author_company = {company} OR {direct.format(a=company, b="author_company")}) $$""",
        f"""CREATE OR REPLACE FUNCTION leadtui_edit_rule() RETURNS trigger LANGUAGE plpgsql {definer} AS $$
            DECLARE acting integer := leadtui_company();
            BEGIN
              IF acting IS NOT NULL AND NEW.owner_company_id <> acting AND (
                  NEW.title, NEW.prospect, NEW.city, NEW.value, NEW.source, NEW.owner_company_id, NEW.created_at
                ) IS DISTINCT FROM (
                  OLD.title, OLD.prospect, OLD.city, OLD.value, OLD.source, OLD.owner_company_id, OLD.created_at
                ) THEN
                RAISE EXCEPTION 'Nur die Firma, der der Lead gehört, ändert Titel, Firma, Ort und Wert.'
                  USING ERRCODE = '42501';
              END IF;
              RETURN NEW;
            END $$""",
        "DROP TRIGGER IF EXISTS leads_edit_rule ON leads",
        "CREATE TRIGGER leads_edit_rule BEFORE UPDATE ON leads FOR EACH ROW EXECUTE FUNCTION leadtui_edit_rule()",
        f"""CREATE OR REPLACE FUNCTION leadtui_lead_edited(lead integer, new_title text, new_prospect text,
              new_city text, new_value integer, old_status text, new_status text)
              RETURNS void LANGUAGE plpgsql VOLATILE {definer} AS $$
            DECLARE
              was_open integer := CASE WHEN old_status IN ('neu', 'in Bearbeitung') THEN 1 ELSE 0 END;
              is_open integer := CASE WHEN new_status IN ('neu', 'in Bearbeitung') THEN 1 ELSE 0 END;
              was_new integer := CASE WHEN old_status = 'neu' THEN 1 ELSE 0 END;
              is_new integer := CASE WHEN new_status = 'neu' THEN 1 ELSE 0 END;
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM company_leads WHERE lead_id = lead AND company_id = {company}) THEN
                RAISE EXCEPTION 'Lead nicht gefunden oder nicht sichtbar.' USING ERRCODE = '42501';
              END IF;
              UPDATE company_leads SET sort_title = new_title, sort_prospect = new_prospect,
                sort_city = new_city, sort_value = new_value, sort_status = new_status WHERE lead_id = lead;
              IF was_open <> is_open OR was_new <> is_new THEN
                UPDATE company_lead_counts c SET open_n = c.open_n + is_open - was_open,
                  new_n = c.new_n + is_new - was_new
                FROM company_leads v WHERE v.lead_id = lead AND c.company_id = v.company_id
                  AND c.slot = coalesce(v.colleague_id, 0);
              END IF;
              UPDATE company_changes SET seq = seq + 1 WHERE company_id IN (
                SELECT company_id FROM company_leads WHERE lead_id = lead ORDER BY company_id);
            END $$""",
        f"""CREATE OR REPLACE FUNCTION leadtui_deliver(lead integer, recipient integer, kind text, n integer,
              own_text text, other_text text, sent timestamp) RETURNS integer LANGUAGE plpgsql VOLATILE {definer} AS $$
            DECLARE
              acting integer := {company};
              me integer := leadtui_me();
              delivered integer := 0;
              target record;
            BEGIN
              IF acting IS NULL THEN RETURN 0; END IF;
              FOR target IN
                SELECT v.company_id, v.colleague_id FROM company_leads v
                JOIN colleagues c ON c.id = v.colleague_id AND c.company_id = v.company_id AND c.active
                WHERE recipient IS NULL AND v.lead_id = lead AND v.colleague_id IS NOT NULL
                  AND (v.company_id = acting OR {direct.format(a="acting", b="v.company_id")})
                UNION ALL
                SELECT c.company_id, c.id FROM colleagues c
                WHERE recipient IS NOT NULL AND c.id = recipient AND c.company_id = acting AND c.active
              LOOP
                CONTINUE WHEN target.colleague_id = me OR EXISTS (
                  SELECT 1 FROM colleague_settings WHERE colleague_id = target.colleague_id
                  AND key = 'notify.' || kind AND value = 'aus');
                INSERT INTO notifications (colleague_id, company_id, lead_id, kind, count, body, at)
                VALUES (target.colleague_id, target.company_id, lead, kind, n,
                        CASE WHEN target.company_id = acting THEN own_text ELSE other_text END, sent);
                delivered := delivered + 1;
              END LOOP;
              RETURN delivered;
            END $$""",
        *(
            f"ALTER FUNCTION {signature} OWNER TO {OWNER_ROLE}"
            for signature in (
                "leadtui_journal_visible(integer, integer)",
                "leadtui_edit_rule()",
                LEAD_EDITED,
                DELIVER,
            )
        ),
        *(
            statement
            for signature in (DELIVER, LEAD_EDITED)
            for statement in (
                f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC",
                f"GRANT EXECUTE ON FUNCTION {signature} TO {USER_ROLE}",
            )
        ),
        f"GRANT SELECT, INSERT ON journal_entries TO {USER_ROLE}",
        f"GRANT UPDATE (done_at, done_company_id, done_by_id) ON journal_entries TO {USER_ROLE}",
        f"GRANT SELECT ON notifications TO {USER_ROLE}",
        f"GRANT UPDATE (read_at) ON notifications TO {USER_ROLE}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {USER_ROLE}",
        *(
            statement
            for table in ("journal_entries", "notifications")
            for statement in (
                f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
                f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
                f"DROP POLICY IF EXISTS owner_all ON {table}",
                f"CREATE POLICY owner_all ON {table} {OWNER_POLICY}",
            )
        ),
        "CREATE POLICY company_1 ON journal_entries FOR SELECT USING (leadtui_journal_visible(lead_id, company_id))",
        f"""CREATE POLICY company_2 ON journal_entries FOR INSERT WITH CHECK (company_id = {MINE}
            AND author_id = (SELECT leadtui_me()) AND leadtui_journal_visible(lead_id, company_id))""",
        f"""CREATE POLICY company_3 ON journal_entries FOR UPDATE USING (kind = 'task'
            AND leadtui_journal_visible(lead_id, company_id)) WITH CHECK (done_company_id IS NULL
            OR (done_company_id = {MINE} AND done_by_id = (SELECT leadtui_me())))""",
        "CREATE POLICY company_1 ON notifications FOR SELECT USING (colleague_id = (SELECT leadtui_me()))",
        "CREATE POLICY company_2 ON notifications FOR UPDATE USING (colleague_id = (SELECT leadtui_me()))",
    ]


DELIVER_FOR_ENTRY = "leadtui_deliver(integer, integer, text, integer, text, text, timestamp, integer)"


def entry_delivery_statements(schema: str) -> list[str]:
    """Migration 0010: activity on a journal entry is told only to companies that may read it.

    `leadtui_deliver` gains the entry's company: a recipient's company must hold the lead directly
    with the acting company (as before) and also be the entry's company or hold the lead directly
    with it - so a partner ticking its principal's task on a lead it forwarded never tells the
    third company the principal's task text, nor the principal of the third company's task."""
    definer = f"SECURITY DEFINER SET search_path = {schema}, pg_temp"
    direct = """EXISTS (SELECT 1 FROM lead_shares s WHERE s.lead_id = lead AND s.status = 'angenommen'
                 AND ((s.principal_company_id = {a} AND s.partner_company_id = {b})
                   OR (s.partner_company_id = {a} AND s.principal_company_id = {b})))"""
    return [
        f"DROP FUNCTION IF EXISTS {DELIVER}",
        f"""CREATE OR REPLACE FUNCTION leadtui_deliver(lead integer, recipient integer, kind text, n integer,
              own_text text, other_text text, sent timestamp, entry_company integer)
              RETURNS integer LANGUAGE plpgsql VOLATILE {definer} AS $$
            DECLARE
              acting integer := leadtui_company();
              me integer := leadtui_me();
              source integer := coalesce(entry_company, acting);
              delivered integer := 0;
              target record;
            BEGIN
              IF acting IS NULL THEN RETURN 0; END IF;
              FOR target IN
                SELECT v.company_id, v.colleague_id FROM company_leads v
                JOIN colleagues c ON c.id = v.colleague_id AND c.company_id = v.company_id AND c.active
                WHERE recipient IS NULL AND v.lead_id = lead AND v.colleague_id IS NOT NULL
                  AND (v.company_id = acting OR {direct.format(a="acting", b="v.company_id")})
                  AND (v.company_id = source OR {direct.format(a="source", b="v.company_id")})
                UNION ALL
                SELECT c.company_id, c.id FROM colleagues c
                WHERE recipient IS NOT NULL AND c.id = recipient AND c.company_id = acting AND c.active
              LOOP
                CONTINUE WHEN target.colleague_id = me OR EXISTS (
                  SELECT 1 FROM colleague_settings WHERE colleague_id = target.colleague_id
                  AND key = 'notify.' || kind AND value = 'aus');
                INSERT INTO notifications (colleague_id, company_id, lead_id, kind, count, body, at)
                VALUES (target.colleague_id, target.company_id, lead, kind, n,
                        CASE WHEN target.company_id = acting THEN own_text ELSE other_text END, sent);
                delivered := delivered + 1;
              END LOOP;
              RETURN delivered;
            END $$""",
        f"ALTER FUNCTION {DELIVER_FOR_ENTRY} OWNER TO {OWNER_ROLE}",
        f"REVOKE ALL ON FUNCTION {DELIVER_FOR_ENTRY} FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION {DELIVER_FOR_ENTRY} TO {USER_ROLE}",
    ]
