"""Every status, kind, date, counter and version column refuses values outside its range

Rows that break a rule (written by an old version, a bug or a person with SQL) are reported on
stderr and repaired first; then PostgreSQL gets CHECK constraints and SQLite the same conditions
as triggers (it cannot add a constraint to a table).

This revision keeps its own SQL, generated from db/integrity.py as the rules stood when it was
written: a later change of the rules is a later migration, never a different 0011. (`leadtui db
check` checks the rules of the running version.)

Revision ID: 0011
Revises: 0010
"""

import sys
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

COUNTER_TABLES = ("leads", "company_leads", "company_lead_counts")
RECOUNT = (
    "DELETE FROM company_lead_counts",
    "INSERT INTO company_lead_counts (company_id, slot, n, open_n, new_n) SELECT company_leads.company_id, coalesce(company_leads.colleague_id, 0) AS slot, count(*) AS n, sum(CASE WHEN (company_leads.sort_status IN ('neu', 'in Bearbeitung')) THEN 1 ELSE 0 END) AS open_n, sum(CASE WHEN (company_leads.sort_status = 'neu') THEN 1 ELSE 0 END) AS new_n FROM company_leads GROUP BY company_leads.company_id, coalesce(company_leads.colleague_id, 0) UNION ALL SELECT lead_shares.principal_company_id, -1 AS slot, count(DISTINCT lead_shares.lead_id) AS count_1, 0 AS anon_1, 0 AS anon_2 FROM lead_shares GROUP BY lead_shares.principal_company_id",
)

RULES = {
    "sqlite": [
        (
            "leads",
            "status",
            "unbekannter Status",
            "SELECT count(*) FROM leads WHERE NOT status IN ('neu', 'in Bearbeitung', 'gewonnen', 'verloren')",
            "UPDATE leads SET status = 'neu' WHERE NOT status IN ('neu', 'in Bearbeitung', 'gewonnen', 'verloren')",
        ),
        (
            "leads",
            "value",
            "Wert ungültig",
            "SELECT count(*) FROM leads WHERE NOT (value IS NULL OR (typeof(value) = 'integer' AND value BETWEEN 0 "
            "AND 1000000000))",
            "UPDATE leads SET value = NULL WHERE NOT (value IS NULL OR (typeof(value) = 'integer' AND value BETWEEN "
            "0 AND 1000000000))",
        ),
        (
            "leads",
            "version",
            "Version ungültig",
            "SELECT count(*) FROM leads WHERE NOT (typeof(version) = 'integer' AND version BETWEEN 1 AND 2147483647)",
            "UPDATE leads SET version = 1 WHERE NOT (typeof(version) = 'integer' AND version BETWEEN 1 AND 2147483647)",
        ),
        (
            "leads",
            "created_at",
            "Anlagedatum ungültig",
            "SELECT count(*) FROM leads WHERE NOT (typeof(created_at) = 'text' AND created_at GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(created_at, '+0 days') = substr(created_at, 1, "
            "10) AND created_at >= '2000-01-01' AND created_at < '2101-01-01')",
            "UPDATE leads SET created_at = :now WHERE NOT (typeof(created_at) = 'text' AND created_at GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(created_at, '+0 days') = substr(created_at, 1, "
            "10) AND created_at >= '2000-01-01' AND created_at < '2101-01-01')",
        ),
        (
            "leads",
            "updated_at",
            "Änderungsdatum ungültig",
            "SELECT count(*) FROM leads WHERE NOT (typeof(updated_at) = 'text' AND updated_at GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(updated_at, '+0 days') = substr(updated_at, 1, "
            "10) AND updated_at >= '2000-01-01' AND updated_at < '2101-01-01')",
            "UPDATE leads SET updated_at = :now WHERE NOT (typeof(updated_at) = 'text' AND updated_at GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(updated_at, '+0 days') = substr(updated_at, 1, "
            "10) AND updated_at >= '2000-01-01' AND updated_at < '2101-01-01')",
        ),
        (
            "colleagues",
            "role",
            "unbekannte Rolle",
            "SELECT count(*) FROM colleagues WHERE NOT role IN ('admin', 'member')",
            "UPDATE colleagues SET role = 'member' WHERE NOT role IN ('admin', 'member')",
        ),
        (
            "company_leads",
            "version",
            "Version ungültig",
            "SELECT count(*) FROM company_leads WHERE NOT (typeof(version) = 'integer' AND version BETWEEN 1 AND "
            "2147483647)",
            "UPDATE company_leads SET version = 1 WHERE NOT (typeof(version) = 'integer' AND version BETWEEN 1 AND "
            "2147483647)",
        ),
        (
            "company_leads",
            "sort_status",
            "Status ungültig",
            "SELECT count(*) FROM company_leads WHERE NOT sort_status IN ('neu', 'in Bearbeitung', 'gewonnen', "
            "'verloren')",
            "UPDATE company_leads SET sort_status = 'neu' WHERE NOT sort_status IN ('neu', 'in Bearbeitung', "
            "'gewonnen', 'verloren')",
        ),
        (
            "company_leads",
            "sort_value",
            "Wert ungültig",
            "SELECT count(*) FROM company_leads WHERE NOT (typeof(sort_value) = 'integer' AND sort_value BETWEEN -1 "
            "AND 1000000000)",
            "UPDATE company_leads SET sort_value = -1 WHERE NOT (typeof(sort_value) = 'integer' AND sort_value "
            "BETWEEN -1 AND 1000000000)",
        ),
        (
            "company_leads",
            "sort_created",
            "Datum ungültig",
            "SELECT count(*) FROM company_leads WHERE NOT (typeof(sort_created) = 'text' AND sort_created GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(sort_created, '+0 days') = substr(sort_created, "
            "1, 10) AND sort_created >= '2000-01-01' AND sort_created < '2101-01-01')",
            "UPDATE company_leads SET sort_created = :now WHERE NOT (typeof(sort_created) = 'text' AND sort_created "
            "GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(sort_created, '+0 days') = "
            "substr(sort_created, 1, 10) AND sort_created >= '2000-01-01' AND sort_created < '2101-01-01')",
        ),
        (
            "company_lead_counts",
            "n",
            "Zähler ungültig",
            "SELECT count(*) FROM company_lead_counts WHERE NOT (typeof(n) = 'integer' AND n BETWEEN 0 AND 2147483647)",
            None,
        ),
        (
            "company_lead_counts",
            "open_n",
            "Zähler ungültig",
            "SELECT count(*) FROM company_lead_counts WHERE NOT (typeof(open_n) = 'integer' AND open_n BETWEEN 0 "
            "AND 2147483647)",
            None,
        ),
        (
            "company_lead_counts",
            "new_n",
            "Zähler ungültig",
            "SELECT count(*) FROM company_lead_counts WHERE NOT (typeof(new_n) = 'integer' AND new_n BETWEEN 0 AND "
            "2147483647)",
            None,
        ),
        (
            "company_changes",
            "seq",
            "Änderungszähler ungültig",
            "SELECT count(*) FROM company_changes WHERE NOT (typeof(seq) = 'integer' AND seq BETWEEN 0 AND "
            "4611686018427387904)",
            "UPDATE company_changes SET seq = 0 WHERE NOT (typeof(seq) = 'integer' AND seq BETWEEN 0 AND "
            "4611686018427387904)",
        ),
        (
            "company_changes",
            "channel",
            "Kanalname ungültig",
            "SELECT count(*) FROM company_changes WHERE NOT (channel GLOB "
            "'leadtui_[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]')",
            "UPDATE company_changes SET channel = 'leadtui_' || lower(hex(randomblob(16))) WHERE NOT (channel GLOB "
            "'leadtui_[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]')",
        ),
        (
            "lead_shares",
            "status",
            "unbekannt",
            "SELECT count(*) FROM lead_shares WHERE NOT status IN ('angeboten', 'angenommen', 'abgelehnt')",
            "UPDATE lead_shares SET status = CASE WHEN EXISTS (SELECT 1 FROM company_leads v WHERE v.lead_id = "
            "lead_shares.lead_id AND v.company_id = lead_shares.partner_company_id) THEN 'angenommen' ELSE "
            "'abgelehnt' END WHERE NOT status IN ('angeboten', 'angenommen', 'abgelehnt')",
        ),
        (
            "lead_shares",
            "offered_at",
            "Angebotsdatum ungültig",
            "SELECT count(*) FROM lead_shares WHERE NOT (typeof(offered_at) = 'text' AND offered_at GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(offered_at, '+0 days') = substr(offered_at, 1, "
            "10) AND offered_at >= '2000-01-01' AND offered_at < '2101-01-01')",
            "UPDATE lead_shares SET offered_at = :now WHERE NOT (typeof(offered_at) = 'text' AND offered_at GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(offered_at, '+0 days') = substr(offered_at, 1, "
            "10) AND offered_at >= '2000-01-01' AND offered_at < '2101-01-01')",
        ),
        (
            "lead_shares",
            "decided_at",
            "Entscheidungsdatum ungültig",
            "SELECT count(*) FROM lead_shares WHERE NOT (decided_at IS NULL OR (typeof(decided_at) = 'text' AND "
            "decided_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(decided_at, '+0 days') = "
            "substr(decided_at, 1, 10) AND decided_at >= '2000-01-01' AND decided_at < '2101-01-01'))",
            "UPDATE lead_shares SET decided_at = :now WHERE NOT (decided_at IS NULL OR (typeof(decided_at) = 'text' "
            "AND decided_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(decided_at, '+0 days') = "
            "substr(decided_at, 1, 10) AND decided_at >= '2000-01-01' AND decided_at < '2101-01-01'))",
        ),
        (
            "assignment_history",
            "reason",
            "unbekannter Grund",
            "SELECT count(*) FROM assignment_history WHERE NOT reason IN ('manual', 'created', 'offer_accepted', "
            "'bulk', 'handover', 'undo')",
            "UPDATE assignment_history SET reason = 'manual' WHERE NOT reason IN ('manual', 'created', "
            "'offer_accepted', 'bulk', 'handover', 'undo')",
        ),
        (
            "assignment_history",
            "at",
            "Datum ungültig",
            "SELECT count(*) FROM assignment_history WHERE NOT (typeof(at) = 'text' AND at GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(at, '+0 days') = substr(at, 1, 10) AND at >= "
            "'2000-01-01' AND at < '2101-01-01')",
            "UPDATE assignment_history SET at = :now WHERE NOT (typeof(at) = 'text' AND at GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(at, '+0 days') = substr(at, 1, 10) AND at >= "
            "'2000-01-01' AND at < '2101-01-01')",
        ),
        (
            "journal_entries",
            "kind",
            "unbekannte Art",
            "SELECT count(*) FROM journal_entries WHERE NOT (kind IN ('note', 'task', 'event') AND (kind = 'task' "
            "OR (due IS NULL AND done_at IS NULL)))",
            "UPDATE journal_entries SET kind = 'note', due = NULL, done_at = NULL, done_company_id = NULL, "
            "done_by_id = NULL WHERE NOT (kind IN ('note', 'task', 'event') AND (kind = 'task' OR (due IS NULL AND "
            "done_at IS NULL)))",
        ),
        (
            "journal_entries",
            "at",
            "Datum ungültig",
            "SELECT count(*) FROM journal_entries WHERE NOT (typeof(at) = 'text' AND at GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(at, '+0 days') = substr(at, 1, 10) AND at >= "
            "'2000-01-01' AND at < '2101-01-01')",
            "UPDATE journal_entries SET at = :now WHERE NOT (typeof(at) = 'text' AND at GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(at, '+0 days') = substr(at, 1, 10) AND at >= "
            "'2000-01-01' AND at < '2101-01-01')",
        ),
        (
            "journal_entries",
            "due",
            "Fälligkeit ungültig",
            "SELECT count(*) FROM journal_entries WHERE NOT (due IS NULL OR (typeof(due) = 'text' AND due GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(due, '+0 days') = substr(due, 1, 10) AND due >= "
            "'2000-01-01' AND due <= '2100-12-31'))",
            "UPDATE journal_entries SET due = NULL WHERE NOT (due IS NULL OR (typeof(due) = 'text' AND due GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(due, '+0 days') = substr(due, 1, 10) AND due >= "
            "'2000-01-01' AND due <= '2100-12-31'))",
        ),
        (
            "journal_entries",
            "done_at",
            "Erledigt-Datum ungültig",
            "SELECT count(*) FROM journal_entries WHERE NOT (done_at IS NULL OR (typeof(done_at) = 'text' AND "
            "done_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(done_at, '+0 days') = "
            "substr(done_at, 1, 10) AND done_at >= '2000-01-01' AND done_at < '2101-01-01'))",
            "UPDATE journal_entries SET done_at = :now WHERE NOT (done_at IS NULL OR (typeof(done_at) = 'text' AND "
            "done_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(done_at, '+0 days') = "
            "substr(done_at, 1, 10) AND done_at >= '2000-01-01' AND done_at < '2101-01-01'))",
        ),
        (
            "notifications",
            "kind",
            "unbekannte Art",
            "SELECT count(*) FROM notifications WHERE NOT kind IN ('assigned', 'note', 'task', 'change')",
            "DELETE FROM notifications WHERE NOT kind IN ('assigned', 'note', 'task', 'change')",
        ),
        (
            "notifications",
            "count",
            "Anzahl ungültig",
            "SELECT count(*) FROM notifications WHERE NOT (typeof(count) = 'integer' AND count BETWEEN 1 AND "
            "2147483647)",
            "UPDATE notifications SET count = 1 WHERE NOT (typeof(count) = 'integer' AND count BETWEEN 1 AND "
            "2147483647)",
        ),
        (
            "notifications",
            "at",
            "Datum ungültig",
            "SELECT count(*) FROM notifications WHERE NOT (typeof(at) = 'text' AND at GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(at, '+0 days') = substr(at, 1, 10) AND at >= "
            "'2000-01-01' AND at < '2101-01-01')",
            "UPDATE notifications SET at = :now WHERE NOT (typeof(at) = 'text' AND at GLOB "
            "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(at, '+0 days') = substr(at, 1, 10) AND at >= "
            "'2000-01-01' AND at < '2101-01-01')",
        ),
        (
            "notifications",
            "read_at",
            "Gelesen-Datum ungültig",
            "SELECT count(*) FROM notifications WHERE NOT (read_at IS NULL OR (typeof(read_at) = 'text' AND read_at "
            "GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(read_at, '+0 days') = substr(read_at, 1, "
            "10) AND read_at >= '2000-01-01' AND read_at < '2101-01-01'))",
            "UPDATE notifications SET read_at = :now WHERE NOT (read_at IS NULL OR (typeof(read_at) = 'text' AND "
            "read_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(read_at, '+0 days') = "
            "substr(read_at, 1, 10) AND read_at >= '2000-01-01' AND read_at < '2101-01-01'))",
        ),
    ],
    "postgresql": [
        (
            "leads",
            "status",
            "unbekannter Status",
            "SELECT count(*) FROM leads WHERE NOT status IN ('neu', 'in Bearbeitung', 'gewonnen', 'verloren')",
            "UPDATE leads SET status = 'neu' WHERE NOT status IN ('neu', 'in Bearbeitung', 'gewonnen', 'verloren')",
        ),
        (
            "leads",
            "value",
            "Wert ungültig",
            "SELECT count(*) FROM leads WHERE NOT (value IS NULL OR (value BETWEEN 0 AND 1000000000))",
            "UPDATE leads SET value = NULL WHERE NOT (value IS NULL OR (value BETWEEN 0 AND 1000000000))",
        ),
        (
            "leads",
            "version",
            "Version ungültig",
            "SELECT count(*) FROM leads WHERE NOT (version BETWEEN 1 AND 2147483647)",
            "UPDATE leads SET version = 1 WHERE NOT (version BETWEEN 1 AND 2147483647)",
        ),
        (
            "leads",
            "created_at",
            "Anlagedatum ungültig",
            "SELECT count(*) FROM leads WHERE NOT (created_at >= '2000-01-01' AND created_at < '2101-01-01')",
            "UPDATE leads SET created_at = :now WHERE NOT (created_at >= '2000-01-01' AND created_at < '2101-01-01')",
        ),
        (
            "leads",
            "updated_at",
            "Änderungsdatum ungültig",
            "SELECT count(*) FROM leads WHERE NOT (updated_at >= '2000-01-01' AND updated_at < '2101-01-01')",
            "UPDATE leads SET updated_at = :now WHERE NOT (updated_at >= '2000-01-01' AND updated_at < '2101-01-01')",
        ),
        (
            "colleagues",
            "role",
            "unbekannte Rolle",
            "SELECT count(*) FROM colleagues WHERE NOT role IN ('admin', 'member')",
            "UPDATE colleagues SET role = 'member' WHERE NOT role IN ('admin', 'member')",
        ),
        (
            "company_leads",
            "version",
            "Version ungültig",
            "SELECT count(*) FROM company_leads WHERE NOT (version BETWEEN 1 AND 2147483647)",
            "UPDATE company_leads SET version = 1 WHERE NOT (version BETWEEN 1 AND 2147483647)",
        ),
        (
            "company_leads",
            "sort_status",
            "Status ungültig",
            "SELECT count(*) FROM company_leads WHERE NOT sort_status IN ('neu', 'in Bearbeitung', 'gewonnen', "
            "'verloren')",
            "UPDATE company_leads SET sort_status = 'neu' WHERE NOT sort_status IN ('neu', 'in Bearbeitung', "
            "'gewonnen', 'verloren')",
        ),
        (
            "company_leads",
            "sort_value",
            "Wert ungültig",
            "SELECT count(*) FROM company_leads WHERE NOT (sort_value BETWEEN -1 AND 1000000000)",
            "UPDATE company_leads SET sort_value = -1 WHERE NOT (sort_value BETWEEN -1 AND 1000000000)",
        ),
        (
            "company_leads",
            "sort_created",
            "Datum ungültig",
            "SELECT count(*) FROM company_leads WHERE NOT (sort_created >= '2000-01-01' AND sort_created < "
            "'2101-01-01')",
            "UPDATE company_leads SET sort_created = :now WHERE NOT (sort_created >= '2000-01-01' AND "
            "sort_created < '2101-01-01')",
        ),
        (
            "company_lead_counts",
            "n",
            "Zähler ungültig",
            "SELECT count(*) FROM company_lead_counts WHERE NOT (n BETWEEN 0 AND 2147483647)",
            None,
        ),
        (
            "company_lead_counts",
            "open_n",
            "Zähler ungültig",
            "SELECT count(*) FROM company_lead_counts WHERE NOT (open_n BETWEEN 0 AND 2147483647)",
            None,
        ),
        (
            "company_lead_counts",
            "new_n",
            "Zähler ungültig",
            "SELECT count(*) FROM company_lead_counts WHERE NOT (new_n BETWEEN 0 AND 2147483647)",
            None,
        ),
        (
            "company_changes",
            "seq",
            "Änderungszähler ungültig",
            "SELECT count(*) FROM company_changes WHERE NOT (seq BETWEEN 0 AND 4611686018427387904)",
            "UPDATE company_changes SET seq = 0 WHERE NOT (seq BETWEEN 0 AND 4611686018427387904)",
        ),
        (
            "company_changes",
            "channel",
            "Kanalname ungültig",
            "SELECT count(*) FROM company_changes WHERE NOT (channel ~ '^leadtui_[0-9a-f]{32}$')",
            "UPDATE company_changes SET channel = 'leadtui_' || md5(random()::text || clock_timestamp()::text) "
            "WHERE NOT (channel ~ '^leadtui_[0-9a-f]{32}$')",
        ),
        (
            "lead_shares",
            "status",
            "unbekannt",
            "SELECT count(*) FROM lead_shares WHERE NOT status IN ('angeboten', 'angenommen', 'abgelehnt')",
            "UPDATE lead_shares SET status = CASE WHEN EXISTS (SELECT 1 FROM company_leads v WHERE v.lead_id = "
            "lead_shares.lead_id AND v.company_id = lead_shares.partner_company_id) THEN 'angenommen' ELSE "
            "'abgelehnt' END WHERE NOT status IN ('angeboten', 'angenommen', 'abgelehnt')",
        ),
        (
            "lead_shares",
            "offered_at",
            "Angebotsdatum ungültig",
            "SELECT count(*) FROM lead_shares WHERE NOT (offered_at >= '2000-01-01' AND offered_at < '2101-01-01')",
            "UPDATE lead_shares SET offered_at = :now WHERE NOT (offered_at >= '2000-01-01' AND offered_at < "
            "'2101-01-01')",
        ),
        (
            "lead_shares",
            "decided_at",
            "Entscheidungsdatum ungültig",
            "SELECT count(*) FROM lead_shares WHERE NOT (decided_at IS NULL OR (decided_at >= '2000-01-01' AND "
            "decided_at < '2101-01-01'))",
            "UPDATE lead_shares SET decided_at = :now WHERE NOT (decided_at IS NULL OR (decided_at >= "
            "'2000-01-01' AND decided_at < '2101-01-01'))",
        ),
        (
            "assignment_history",
            "reason",
            "unbekannter Grund",
            "SELECT count(*) FROM assignment_history WHERE NOT reason IN ('manual', 'created', "
            "'offer_accepted', 'bulk', 'handover', 'undo')",
            "UPDATE assignment_history SET reason = 'manual' WHERE NOT reason IN ('manual', 'created', "
            "'offer_accepted', 'bulk', 'handover', 'undo')",
        ),
        (
            "assignment_history",
            "at",
            "Datum ungültig",
            "SELECT count(*) FROM assignment_history WHERE NOT (at >= '2000-01-01' AND at < '2101-01-01')",
            "UPDATE assignment_history SET at = :now WHERE NOT (at >= '2000-01-01' AND at < '2101-01-01')",
        ),
        (
            "journal_entries",
            "kind",
            "unbekannte Art",
            "SELECT count(*) FROM journal_entries WHERE NOT (kind IN ('note', 'task', 'event') AND (kind = "
            "'task' OR (due IS NULL AND done_at IS NULL)))",
            "UPDATE journal_entries SET kind = 'note', due = NULL, done_at = NULL, done_company_id = NULL, "
            "done_by_id = NULL WHERE NOT (kind IN ('note', 'task', 'event') AND (kind = 'task' OR (due IS NULL "
            "AND done_at IS NULL)))",
        ),
        (
            "journal_entries",
            "at",
            "Datum ungültig",
            "SELECT count(*) FROM journal_entries WHERE NOT (at >= '2000-01-01' AND at < '2101-01-01')",
            "UPDATE journal_entries SET at = :now WHERE NOT (at >= '2000-01-01' AND at < '2101-01-01')",
        ),
        (
            "journal_entries",
            "due",
            "Fälligkeit ungültig",
            "SELECT count(*) FROM journal_entries WHERE NOT (due IS NULL OR (due >= '2000-01-01' AND due <= "
            "'2100-12-31'))",
            "UPDATE journal_entries SET due = NULL WHERE NOT (due IS NULL OR (due >= '2000-01-01' AND due <= "
            "'2100-12-31'))",
        ),
        (
            "journal_entries",
            "done_at",
            "Erledigt-Datum ungültig",
            "SELECT count(*) FROM journal_entries WHERE NOT (done_at IS NULL OR (done_at >= '2000-01-01' AND "
            "done_at < '2101-01-01'))",
            "UPDATE journal_entries SET done_at = :now WHERE NOT (done_at IS NULL OR (done_at >= '2000-01-01' "
            "AND done_at < '2101-01-01'))",
        ),
        (
            "notifications",
            "kind",
            "unbekannte Art",
            "SELECT count(*) FROM notifications WHERE NOT kind IN ('assigned', 'note', 'task', 'change')",
            "DELETE FROM notifications WHERE NOT kind IN ('assigned', 'note', 'task', 'change')",
        ),
        (
            "notifications",
            "count",
            "Anzahl ungültig",
            "SELECT count(*) FROM notifications WHERE NOT (count BETWEEN 1 AND 2147483647)",
            "UPDATE notifications SET count = 1 WHERE NOT (count BETWEEN 1 AND 2147483647)",
        ),
        (
            "notifications",
            "at",
            "Datum ungültig",
            "SELECT count(*) FROM notifications WHERE NOT (at >= '2000-01-01' AND at < '2101-01-01')",
            "UPDATE notifications SET at = :now WHERE NOT (at >= '2000-01-01' AND at < '2101-01-01')",
        ),
        (
            "notifications",
            "read_at",
            "Gelesen-Datum ungültig",
            "SELECT count(*) FROM notifications WHERE NOT (read_at IS NULL OR (read_at >= '2000-01-01' AND "
            "read_at < '2101-01-01'))",
            "UPDATE notifications SET read_at = :now WHERE NOT (read_at IS NULL OR (read_at >= '2000-01-01' AND "
            "read_at < '2101-01-01'))",
        ),
    ],
}

ENFORCE = {
    "sqlite": [
        "CREATE TRIGGER ck_leads_insert_valid BEFORE INSERT ON leads WHEN NOT (NEW.status IN ('neu', 'in "
        "Bearbeitung', 'gewonnen', 'verloren') AND (NEW.value IS NULL OR (typeof(NEW.value) = 'integer' AND "
        "NEW.value BETWEEN 0 AND 1000000000)) AND (typeof(NEW.version) = 'integer' AND NEW.version BETWEEN 1 AND "
        "2147483647) AND (typeof(NEW.created_at) = 'text' AND NEW.created_at GLOB "
        "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.created_at, '+0 days') = "
        "substr(NEW.created_at, 1, 10) AND NEW.created_at >= '2000-01-01' AND NEW.created_at < '2101-01-01') AND "
        "(typeof(NEW.updated_at) = 'text' AND NEW.updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
        "AND date(NEW.updated_at, '+0 days') = substr(NEW.updated_at, 1, 10) AND NEW.updated_at >= '2000-01-01' "
        "AND NEW.updated_at < '2101-01-01')) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: leads'); END",
        "CREATE TRIGGER ck_leads_update_valid BEFORE UPDATE ON leads WHEN NOT (NEW.status IN ('neu', 'in "
        "Bearbeitung', 'gewonnen', 'verloren') AND (NEW.value IS NULL OR (typeof(NEW.value) = 'integer' AND "
        "NEW.value BETWEEN 0 AND 1000000000)) AND (typeof(NEW.version) = 'integer' AND NEW.version BETWEEN 1 AND "
        "2147483647) AND (typeof(NEW.created_at) = 'text' AND NEW.created_at GLOB "
        "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.created_at, '+0 days') = "
        "substr(NEW.created_at, 1, 10) AND NEW.created_at >= '2000-01-01' AND NEW.created_at < '2101-01-01') AND "
        "(typeof(NEW.updated_at) = 'text' AND NEW.updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
        "AND date(NEW.updated_at, '+0 days') = substr(NEW.updated_at, 1, 10) AND NEW.updated_at >= '2000-01-01' "
        "AND NEW.updated_at < '2101-01-01')) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: leads'); END",
        "CREATE TRIGGER ck_colleagues_insert_valid BEFORE INSERT ON colleagues WHEN NOT (NEW.role IN ('admin', "
        "'member')) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: colleagues'); END",
        "CREATE TRIGGER ck_colleagues_update_valid BEFORE UPDATE ON colleagues WHEN NOT (NEW.role IN ('admin', "
        "'member')) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: colleagues'); END",
        "CREATE TRIGGER ck_company_leads_insert_valid BEFORE INSERT ON company_leads WHEN NOT "
        "((typeof(NEW.version) = 'integer' AND NEW.version BETWEEN 1 AND 2147483647) AND NEW.sort_status IN "
        "('neu', 'in Bearbeitung', 'gewonnen', 'verloren') AND (typeof(NEW.sort_value) = 'integer' AND "
        "NEW.sort_value BETWEEN -1 AND 1000000000) AND (typeof(NEW.sort_created) = 'text' AND NEW.sort_created "
        "GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.sort_created, '+0 days') = "
        "substr(NEW.sort_created, 1, 10) AND NEW.sort_created >= '2000-01-01' AND NEW.sort_created < "
        "'2101-01-01')) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: company_leads'); END",
        "CREATE TRIGGER ck_company_leads_update_valid BEFORE UPDATE ON company_leads WHEN NOT "
        "((typeof(NEW.version) = 'integer' AND NEW.version BETWEEN 1 AND 2147483647) AND NEW.sort_status IN "
        "('neu', 'in Bearbeitung', 'gewonnen', 'verloren') AND (typeof(NEW.sort_value) = 'integer' AND "
        "NEW.sort_value BETWEEN -1 AND 1000000000) AND (typeof(NEW.sort_created) = 'text' AND NEW.sort_created "
        "GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.sort_created, '+0 days') = "
        "substr(NEW.sort_created, 1, 10) AND NEW.sort_created >= '2000-01-01' AND NEW.sort_created < "
        "'2101-01-01')) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: company_leads'); END",
        "CREATE TRIGGER ck_company_lead_counts_insert_valid BEFORE INSERT ON company_lead_counts WHEN NOT "
        "((typeof(NEW.n) = 'integer' AND NEW.n BETWEEN 0 AND 2147483647) AND (typeof(NEW.open_n) = 'integer' AND "
        "NEW.open_n BETWEEN 0 AND 2147483647) AND (typeof(NEW.new_n) = 'integer' AND NEW.new_n BETWEEN 0 AND "
        "2147483647)) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: company_lead_counts'); END",
        "CREATE TRIGGER ck_company_lead_counts_update_valid BEFORE UPDATE ON company_lead_counts WHEN NOT "
        "((typeof(NEW.n) = 'integer' AND NEW.n BETWEEN 0 AND 2147483647) AND (typeof(NEW.open_n) = 'integer' AND "
        "NEW.open_n BETWEEN 0 AND 2147483647) AND (typeof(NEW.new_n) = 'integer' AND NEW.new_n BETWEEN 0 AND "
        "2147483647)) BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: company_lead_counts'); END",
        "CREATE TRIGGER ck_company_changes_insert_valid BEFORE INSERT ON company_changes WHEN NOT "
        "((typeof(NEW.seq) = 'integer' AND NEW.seq BETWEEN 0 AND 4611686018427387904) AND (NEW.channel GLOB "
        "'leadtui_[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]')) "
        "BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: company_changes'); END",
        "CREATE TRIGGER ck_company_changes_update_valid BEFORE UPDATE ON company_changes WHEN NOT "
        "((typeof(NEW.seq) = 'integer' AND NEW.seq BETWEEN 0 AND 4611686018427387904) AND (NEW.channel GLOB "
        "'leadtui_[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]')) "
        "BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: company_changes'); END",
        "CREATE TRIGGER ck_lead_shares_insert_valid BEFORE INSERT ON lead_shares WHEN NOT (NEW.status IN "
        "('angeboten', 'angenommen', 'abgelehnt') AND (typeof(NEW.offered_at) = 'text' AND NEW.offered_at GLOB "
        "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.offered_at, '+0 days') = "
        "substr(NEW.offered_at, 1, 10) AND NEW.offered_at >= '2000-01-01' AND NEW.offered_at < '2101-01-01') AND "
        "(NEW.decided_at IS NULL OR (typeof(NEW.decided_at) = 'text' AND NEW.decided_at GLOB "
        "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.decided_at, '+0 days') = "
        "substr(NEW.decided_at, 1, 10) AND NEW.decided_at >= '2000-01-01' AND NEW.decided_at < '2101-01-01'))) "
        "BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: lead_shares'); END",
        "CREATE TRIGGER ck_lead_shares_update_valid BEFORE UPDATE ON lead_shares WHEN NOT (NEW.status IN "
        "('angeboten', 'angenommen', 'abgelehnt') AND (typeof(NEW.offered_at) = 'text' AND NEW.offered_at GLOB "
        "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.offered_at, '+0 days') = "
        "substr(NEW.offered_at, 1, 10) AND NEW.offered_at >= '2000-01-01' AND NEW.offered_at < '2101-01-01') AND "
        "(NEW.decided_at IS NULL OR (typeof(NEW.decided_at) = 'text' AND NEW.decided_at GLOB "
        "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.decided_at, '+0 days') = "
        "substr(NEW.decided_at, 1, 10) AND NEW.decided_at >= '2000-01-01' AND NEW.decided_at < '2101-01-01'))) "
        "BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: lead_shares'); END",
        "CREATE TRIGGER ck_assignment_history_insert_valid BEFORE INSERT ON assignment_history WHEN NOT "
        "(NEW.reason IN ('manual', 'created', 'offer_accepted', 'bulk', 'handover', 'undo') AND (typeof(NEW.at) "
        "= 'text' AND NEW.at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.at, '+0 days') = "
        "substr(NEW.at, 1, 10) AND NEW.at >= '2000-01-01' AND NEW.at < '2101-01-01')) BEGIN SELECT RAISE(ABORT, "
        "'CHECK constraint failed: assignment_history'); END",
        "CREATE TRIGGER ck_assignment_history_update_valid BEFORE UPDATE ON assignment_history WHEN NOT "
        "(NEW.reason IN ('manual', 'created', 'offer_accepted', 'bulk', 'handover', 'undo') AND (typeof(NEW.at) "
        "= 'text' AND NEW.at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.at, '+0 days') = "
        "substr(NEW.at, 1, 10) AND NEW.at >= '2000-01-01' AND NEW.at < '2101-01-01')) BEGIN SELECT RAISE(ABORT, "
        "'CHECK constraint failed: assignment_history'); END",
        "CREATE TRIGGER ck_journal_entries_insert_valid BEFORE INSERT ON journal_entries WHEN NOT ((NEW.kind IN "
        "('note', 'task', 'event') AND (NEW.kind = 'task' OR (NEW.due IS NULL AND NEW.done_at IS NULL))) AND "
        "(typeof(NEW.at) = 'text' AND NEW.at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.at, "
        "'+0 days') = substr(NEW.at, 1, 10) AND NEW.at >= '2000-01-01' AND NEW.at < '2101-01-01') AND (NEW.due "
        "IS NULL OR (typeof(NEW.due) = 'text' AND NEW.due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND "
        "date(NEW.due, '+0 days') = substr(NEW.due, 1, 10) AND NEW.due >= '2000-01-01' AND NEW.due <= "
        "'2100-12-31')) AND (NEW.done_at IS NULL OR (typeof(NEW.done_at) = 'text' AND NEW.done_at GLOB "
        "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.done_at, '+0 days') = substr(NEW.done_at, 1, "
        "10) AND NEW.done_at >= '2000-01-01' AND NEW.done_at < '2101-01-01'))) BEGIN SELECT RAISE(ABORT, 'CHECK "
        "constraint failed: journal_entries'); END",
        "CREATE TRIGGER ck_journal_entries_update_valid BEFORE UPDATE ON journal_entries WHEN NOT ((NEW.kind IN "
        "('note', 'task', 'event') AND (NEW.kind = 'task' OR (NEW.due IS NULL AND NEW.done_at IS NULL))) AND "
        "(typeof(NEW.at) = 'text' AND NEW.at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.at, "
        "'+0 days') = substr(NEW.at, 1, 10) AND NEW.at >= '2000-01-01' AND NEW.at < '2101-01-01') AND (NEW.due "
        "IS NULL OR (typeof(NEW.due) = 'text' AND NEW.due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND "
        "date(NEW.due, '+0 days') = substr(NEW.due, 1, 10) AND NEW.due >= '2000-01-01' AND NEW.due <= "
        "'2100-12-31')) AND (NEW.done_at IS NULL OR (typeof(NEW.done_at) = 'text' AND NEW.done_at GLOB "
        "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.done_at, '+0 days') = substr(NEW.done_at, 1, "
        "10) AND NEW.done_at >= '2000-01-01' AND NEW.done_at < '2101-01-01'))) BEGIN SELECT RAISE(ABORT, 'CHECK "
        "constraint failed: journal_entries'); END",
        "CREATE TRIGGER ck_notifications_insert_valid BEFORE INSERT ON notifications WHEN NOT (NEW.kind IN "
        "('assigned', 'note', 'task', 'change') AND (typeof(NEW.count) = 'integer' AND NEW.count BETWEEN 1 AND "
        "2147483647) AND (typeof(NEW.at) = 'text' AND NEW.at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
        "AND date(NEW.at, '+0 days') = substr(NEW.at, 1, 10) AND NEW.at >= '2000-01-01' AND NEW.at < "
        "'2101-01-01') AND (NEW.read_at IS NULL OR (typeof(NEW.read_at) = 'text' AND NEW.read_at GLOB "
        "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.read_at, '+0 days') = substr(NEW.read_at, 1, "
        "10) AND NEW.read_at >= '2000-01-01' AND NEW.read_at < '2101-01-01'))) BEGIN SELECT RAISE(ABORT, 'CHECK "
        "constraint failed: notifications'); END",
        "CREATE TRIGGER ck_notifications_update_valid BEFORE UPDATE ON notifications WHEN NOT (NEW.kind IN "
        "('assigned', 'note', 'task', 'change') AND (typeof(NEW.count) = 'integer' AND NEW.count BETWEEN 1 AND "
        "2147483647) AND (typeof(NEW.at) = 'text' AND NEW.at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
        "AND date(NEW.at, '+0 days') = substr(NEW.at, 1, 10) AND NEW.at >= '2000-01-01' AND NEW.at < "
        "'2101-01-01') AND (NEW.read_at IS NULL OR (typeof(NEW.read_at) = 'text' AND NEW.read_at GLOB "
        "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' AND date(NEW.read_at, '+0 days') = substr(NEW.read_at, 1, "
        "10) AND NEW.read_at >= '2000-01-01' AND NEW.read_at < '2101-01-01'))) BEGIN SELECT RAISE(ABORT, 'CHECK "
        "constraint failed: notifications'); END",
    ],
    "postgresql": [
        "ALTER TABLE leads ADD CONSTRAINT ck_leads_status_valid CHECK (status IN ('neu', 'in Bearbeitung', "
        "'gewonnen', 'verloren'))",
        "ALTER TABLE leads ADD CONSTRAINT ck_leads_value_valid CHECK ((value IS NULL OR (value BETWEEN 0 AND "
        "1000000000)))",
        "ALTER TABLE leads ADD CONSTRAINT ck_leads_version_valid CHECK ((version BETWEEN 1 AND 2147483647))",
        "ALTER TABLE leads ADD CONSTRAINT ck_leads_created_at_valid CHECK ((created_at >= '2000-01-01' AND "
        "created_at < '2101-01-01'))",
        "ALTER TABLE leads ADD CONSTRAINT ck_leads_updated_at_valid CHECK ((updated_at >= '2000-01-01' AND "
        "updated_at < '2101-01-01'))",
        "ALTER TABLE colleagues ADD CONSTRAINT ck_colleagues_role_valid CHECK (role IN ('admin', 'member'))",
        "ALTER TABLE company_leads ADD CONSTRAINT ck_company_leads_version_valid CHECK ((version BETWEEN 1 "
        "AND 2147483647))",
        "ALTER TABLE company_leads ADD CONSTRAINT ck_company_leads_sort_status_valid CHECK (sort_status IN "
        "('neu', 'in Bearbeitung', 'gewonnen', 'verloren'))",
        "ALTER TABLE company_leads ADD CONSTRAINT ck_company_leads_sort_value_valid CHECK ((sort_value "
        "BETWEEN -1 AND 1000000000))",
        "ALTER TABLE company_leads ADD CONSTRAINT ck_company_leads_sort_created_valid CHECK ((sort_created "
        ">= '2000-01-01' AND sort_created < '2101-01-01'))",
        "ALTER TABLE company_lead_counts ADD CONSTRAINT ck_company_lead_counts_n_valid CHECK ((n BETWEEN 0 "
        "AND 2147483647))",
        "ALTER TABLE company_lead_counts ADD CONSTRAINT ck_company_lead_counts_open_n_valid CHECK ((open_n "
        "BETWEEN 0 AND 2147483647))",
        "ALTER TABLE company_lead_counts ADD CONSTRAINT ck_company_lead_counts_new_n_valid CHECK ((new_n "
        "BETWEEN 0 AND 2147483647))",
        "ALTER TABLE company_changes ADD CONSTRAINT ck_company_changes_seq_valid CHECK ((seq BETWEEN 0 AND "
        "4611686018427387904))",
        "ALTER TABLE company_changes ADD CONSTRAINT ck_company_changes_channel_valid CHECK ((channel ~ "
        "'^leadtui_[0-9a-f]{32}$'))",
        "ALTER TABLE lead_shares ADD CONSTRAINT ck_lead_shares_status_valid CHECK (status IN ('angeboten', "
        "'angenommen', 'abgelehnt'))",
        "ALTER TABLE lead_shares ADD CONSTRAINT ck_lead_shares_offered_at_valid CHECK ((offered_at >= "
        "'2000-01-01' AND offered_at < '2101-01-01'))",
        "ALTER TABLE lead_shares ADD CONSTRAINT ck_lead_shares_decided_at_valid CHECK ((decided_at IS NULL "
        "OR (decided_at >= '2000-01-01' AND decided_at < '2101-01-01')))",
        "ALTER TABLE assignment_history ADD CONSTRAINT ck_assignment_history_reason_valid CHECK (reason IN "
        "('manual', 'created', 'offer_accepted', 'bulk', 'handover', 'undo'))",
        "ALTER TABLE assignment_history ADD CONSTRAINT ck_assignment_history_at_valid CHECK ((at >= "
        "'2000-01-01' AND at < '2101-01-01'))",
        "ALTER TABLE journal_entries ADD CONSTRAINT ck_journal_entries_kind_valid CHECK ((kind IN ('note', "
        "'task', 'event') AND (kind = 'task' OR (due IS NULL AND done_at IS NULL))))",
        "ALTER TABLE journal_entries ADD CONSTRAINT ck_journal_entries_at_valid CHECK ((at >= '2000-01-01' "
        "AND at < '2101-01-01'))",
        "ALTER TABLE journal_entries ADD CONSTRAINT ck_journal_entries_due_valid CHECK ((due IS NULL OR (due "
        ">= '2000-01-01' AND due <= '2100-12-31')))",
        "ALTER TABLE journal_entries ADD CONSTRAINT ck_journal_entries_done_at_valid CHECK ((done_at IS NULL "
        "OR (done_at >= '2000-01-01' AND done_at < '2101-01-01')))",
        "ALTER TABLE notifications ADD CONSTRAINT ck_notifications_kind_valid CHECK (kind IN ('assigned', "
        "'note', 'task', 'change'))",
        "ALTER TABLE notifications ADD CONSTRAINT ck_notifications_count_valid CHECK ((count BETWEEN 1 AND "
        "2147483647))",
        "ALTER TABLE notifications ADD CONSTRAINT ck_notifications_at_valid CHECK ((at >= '2000-01-01' AND "
        "at < '2101-01-01'))",
        "ALTER TABLE notifications ADD CONSTRAINT ck_notifications_read_at_valid CHECK ((read_at IS NULL OR "
        "(read_at >= '2000-01-01' AND read_at < '2101-01-01')))",
    ],
}

UNDO = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS ck_leads_insert_valid",
        "DROP TRIGGER IF EXISTS ck_leads_update_valid",
        "DROP TRIGGER IF EXISTS ck_colleagues_insert_valid",
        "DROP TRIGGER IF EXISTS ck_colleagues_update_valid",
        "DROP TRIGGER IF EXISTS ck_company_leads_insert_valid",
        "DROP TRIGGER IF EXISTS ck_company_leads_update_valid",
        "DROP TRIGGER IF EXISTS ck_company_lead_counts_insert_valid",
        "DROP TRIGGER IF EXISTS ck_company_lead_counts_update_valid",
        "DROP TRIGGER IF EXISTS ck_company_changes_insert_valid",
        "DROP TRIGGER IF EXISTS ck_company_changes_update_valid",
        "DROP TRIGGER IF EXISTS ck_lead_shares_insert_valid",
        "DROP TRIGGER IF EXISTS ck_lead_shares_update_valid",
        "DROP TRIGGER IF EXISTS ck_assignment_history_insert_valid",
        "DROP TRIGGER IF EXISTS ck_assignment_history_update_valid",
        "DROP TRIGGER IF EXISTS ck_journal_entries_insert_valid",
        "DROP TRIGGER IF EXISTS ck_journal_entries_update_valid",
        "DROP TRIGGER IF EXISTS ck_notifications_insert_valid",
        "DROP TRIGGER IF EXISTS ck_notifications_update_valid",
    ],
    "postgresql": [
        "ALTER TABLE leads DROP CONSTRAINT IF EXISTS ck_leads_status_valid",
        "ALTER TABLE leads DROP CONSTRAINT IF EXISTS ck_leads_value_valid",
        "ALTER TABLE leads DROP CONSTRAINT IF EXISTS ck_leads_version_valid",
        "ALTER TABLE leads DROP CONSTRAINT IF EXISTS ck_leads_created_at_valid",
        "ALTER TABLE leads DROP CONSTRAINT IF EXISTS ck_leads_updated_at_valid",
        "ALTER TABLE colleagues DROP CONSTRAINT IF EXISTS ck_colleagues_role_valid",
        "ALTER TABLE company_leads DROP CONSTRAINT IF EXISTS ck_company_leads_version_valid",
        "ALTER TABLE company_leads DROP CONSTRAINT IF EXISTS ck_company_leads_sort_status_valid",
        "ALTER TABLE company_leads DROP CONSTRAINT IF EXISTS ck_company_leads_sort_value_valid",
        "ALTER TABLE company_leads DROP CONSTRAINT IF EXISTS ck_company_leads_sort_created_valid",
        "ALTER TABLE company_lead_counts DROP CONSTRAINT IF EXISTS ck_company_lead_counts_n_valid",
        "ALTER TABLE company_lead_counts DROP CONSTRAINT IF EXISTS ck_company_lead_counts_open_n_valid",
        "ALTER TABLE company_lead_counts DROP CONSTRAINT IF EXISTS ck_company_lead_counts_new_n_valid",
        "ALTER TABLE company_changes DROP CONSTRAINT IF EXISTS ck_company_changes_seq_valid",
        "ALTER TABLE company_changes DROP CONSTRAINT IF EXISTS ck_company_changes_channel_valid",
        "ALTER TABLE lead_shares DROP CONSTRAINT IF EXISTS ck_lead_shares_status_valid",
        "ALTER TABLE lead_shares DROP CONSTRAINT IF EXISTS ck_lead_shares_offered_at_valid",
        "ALTER TABLE lead_shares DROP CONSTRAINT IF EXISTS ck_lead_shares_decided_at_valid",
        "ALTER TABLE assignment_history DROP CONSTRAINT IF EXISTS ck_assignment_history_reason_valid",
        "ALTER TABLE assignment_history DROP CONSTRAINT IF EXISTS ck_assignment_history_at_valid",
        "ALTER TABLE journal_entries DROP CONSTRAINT IF EXISTS ck_journal_entries_kind_valid",
        "ALTER TABLE journal_entries DROP CONSTRAINT IF EXISTS ck_journal_entries_at_valid",
        "ALTER TABLE journal_entries DROP CONSTRAINT IF EXISTS ck_journal_entries_due_valid",
        "ALTER TABLE journal_entries DROP CONSTRAINT IF EXISTS ck_journal_entries_done_at_valid",
        "ALTER TABLE notifications DROP CONSTRAINT IF EXISTS ck_notifications_kind_valid",
        "ALTER TABLE notifications DROP CONSTRAINT IF EXISTS ck_notifications_count_valid",
        "ALTER TABLE notifications DROP CONSTRAINT IF EXISTS ck_notifications_at_valid",
        "ALTER TABLE notifications DROP CONSTRAINT IF EXISTS ck_notifications_read_at_valid",
    ],
}


def upgrade() -> None:
    conn = op.get_bind()
    dialect = conn.dialect.name
    now = datetime.now(UTC).replace(tzinfo=None)
    broken = []
    for table, column, what, count, mend in RULES[dialect]:
        n = conn.execute(sa.text(count)).scalar_one()
        if n:
            print(f"Repariert: {n} Zeilen in {table}.{column} ({what}).", file=sys.stderr)
            broken.append((table, mend))
    for _table, mend in broken:
        if mend is not None and ":now" in mend:
            conn.execute(sa.text(mend).bindparams(sa.bindparam("now", type_=sa.DateTime())), {"now": now})
        elif mend is not None:
            conn.execute(sa.text(mend))
    if any(table in COUNTER_TABLES for table, _ in broken):
        for recount in RECOUNT:
            op.execute(recount)
    for ddl in ENFORCE[dialect]:
        op.execute(ddl)


def downgrade() -> None:
    for statement in UNDO[op.get_bind().dialect.name]:
        op.execute(statement)
