"""What a stored value may be, for every status, kind, date, counter and version column.

One list of rules serves three ends: the database refuses a value outside them (PostgreSQL: CHECK
constraints; SQLite, which cannot add a constraint to an existing table, the same conditions in
BEFORE INSERT/UPDATE triggers), migration 0011 reports and repairs the rows written before, and
`leadtui db check` finds (and with --repair mends) a row that got past them anyway - an old
version, a bug, a person with SQL. The app decodes whatever it still meets into a placeholder
(repository/decode.py); these rules keep it from being stored at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.types import DateTime

from leadtui.db import read_model
from leadtui.domain import AssignmentReason, DeclineReason, JournalKind, LeadStatus, NotificationKind, ShareStatus
from leadtui.domain.dates import EARLIEST_DAY, LATEST_DAY
from leadtui.domain.values import MAX_VALUE
from leadtui.domain.windows import MAX_HOURS

INT_MAX = 2_147_483_647
FIRST_MOMENT, AFTER_LAST_MOMENT = f"{EARLIEST_DAY:%Y-%m-%d}", f"{LATEST_DAY.year + 1}-01-01"
CHANNEL_HEX = 32  # read_model.new_channel: "leadtui_" and 32 hex digits

Condition = Callable[[str, str], str]  # (column prefix, dialect) -> SQL true for a valid row


def _one_of(column: str, values: tuple[str, ...]) -> Condition:
    listed = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return lambda p, dialect: f"{p}{column} IN ({listed})"


def _whole(column: str, low: int, high: int, nullable: bool = False) -> Condition:
    def condition(p: str, dialect: str) -> str:
        c = p + column
        typed = f"typeof({c}) = 'integer' AND " if dialect == "sqlite" else ""
        valid = f"{typed}{c} BETWEEN {low} AND {high}"
        return f"({c} IS NULL OR ({valid}))" if nullable else f"({valid})"

    return condition


def _moment(column: str, nullable: bool = False, day_only: bool = False) -> Condition:
    """A date (or timestamp) in 2000-2100, and on SQLite one that really exists: SQLite keeps
    them as text, and "2026-02-30" or "99999-01-01" there would fail every list that reads it."""
    last = f"{LATEST_DAY:%Y-%m-%d}" if day_only else AFTER_LAST_MOMENT
    upper = "<=" if day_only else "<"

    def condition(p: str, dialect: str) -> str:
        c = p + column
        ranged = f"{c} >= '{FIRST_MOMENT}' AND {c} {upper} '{last}'"
        if dialect == "sqlite":
            ranged = (
                f"typeof({c}) = 'text' AND {c} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' "
                f"AND date({c}, '+0 days') = substr({c}, 1, 10) AND {ranged}"
            )
        return f"({c} IS NULL OR ({ranged}))" if nullable else f"({ranged})"

    return condition


def _channel(p: str, dialect: str) -> str:
    if dialect == "sqlite":
        return f"({p}channel GLOB 'leadtui_{'[0-9a-f]' * CHANNEL_HEX}')"
    return f"({p}channel ~ '^leadtui_[0-9a-f]{{{CHANNEL_HEX}}}$')"


def _journal_kind(p: str, dialect: str) -> str:
    """A kind of ours, and only a task has a due date or a tick."""
    kinds = _one_of("kind", tuple(k.value for k in JournalKind))(p, dialect)
    return f"({kinds} AND ({p}kind = 'task' OR ({p}due IS NULL AND {p}done_at IS NULL)))"


def _decline(p: str, dialect: str) -> str:
    """A reason of ours on a declined offer only, and a text only with "Sonstiges"."""
    reasons = _one_of("decline_reason", tuple(r.value for r in DeclineReason))(p, dialect)
    return (
        f"(({p}decline_reason IS NULL AND {p}decline_text IS NULL) OR ({p}status = 'abgelehnt' AND {reasons} "
        f"AND ({p}decline_text IS NULL OR {p}decline_reason = 'sonstiges')))"
    )


def _window(p: str, dialect: str) -> str:
    """A deadline after the offer was made, and a reminder only within a window (rule 24)."""
    deadline, remind = _moment("deadline")(p, dialect), _moment("remind_at")(p, dialect)
    return (
        f"(({p}deadline IS NULL AND {p}remind_at IS NULL) OR ({p}deadline IS NOT NULL AND {deadline} AND "
        f"{p}deadline > {p}offered_at AND ({p}remind_at IS NULL OR ({remind} AND {p}remind_at <= {p}deadline))))"
    )


@dataclass(frozen=True)
class Rule:
    table: str
    column: str
    valid: Condition
    what: str  # German, for the report: what is wrong with such a row
    # How migration 0011 and `db check --repair` mend a row: the SET list of an UPDATE (":now"
    # is the moment of the repair), DELETE the row, RECOUNT the counters, RENAME the channel.
    repair: str

    @property
    def name(self) -> str:
        return f"ck_{self.table}_{self.column}_valid"

    def condition(self, dialect: str, prefix: str = "") -> str:
        return self.valid(prefix, dialect)

    def count_sql(self, dialect: str) -> str:
        """How many rows break the rule."""
        return "SELECT count(*) FROM " + self.table + " WHERE NOT " + self.condition(dialect)

    def repair_sql(self, dialect: str) -> str | None:
        """The statement that mends the rows breaking the rule (None: the counters are rebuilt)."""
        where = " WHERE NOT " + self.condition(dialect)
        if self.repair == RECOUNT:
            return None
        if self.repair == DELETE:
            return "DELETE FROM " + self.table + where
        sets = NEW_CHANNEL[dialect] if self.repair == RENAME else self.repair
        return "UPDATE " + self.table + " SET " + sets + where


STATUSES = tuple(s.value for s in LeadStatus)
NOW = ":now"
DELETE, RECOUNT, RENAME = "DELETE", "RECOUNT", "RENAME"
# An offer of unknown status: accepted where the partner holds the lead, else declined.
SHARE_REPAIR = (
    "status = CASE WHEN EXISTS (SELECT 1 FROM company_leads v WHERE v.lead_id = lead_shares.lead_id "
    "AND v.company_id = lead_shares.partner_company_id) THEN 'angenommen' ELSE 'abgelehnt' END"
)
NEW_CHANNEL = {
    "sqlite": "channel = 'leadtui_' || lower(hex(randomblob(16)))",
    "postgresql": "channel = 'leadtui_' || md5(random()::text || clock_timestamp()::text)",
}
RULES = (
    Rule("leads", "status", _one_of("status", STATUSES), "unbekannter Status", "status = 'neu'"),
    Rule("leads", "value", _whole("value", 0, MAX_VALUE, nullable=True), "Wert ungültig", "value = NULL"),
    Rule("leads", "version", _whole("version", 1, INT_MAX), "Version ungültig", "version = 1"),
    Rule("leads", "created_at", _moment("created_at"), "Anlagedatum ungültig", f"created_at = {NOW}"),
    Rule("leads", "updated_at", _moment("updated_at"), "Änderungsdatum ungültig", f"updated_at = {NOW}"),
    Rule("colleagues", "role", _one_of("role", ("admin", "member")), "unbekannte Rolle", "role = 'member'"),
    Rule("company_leads", "version", _whole("version", 1, INT_MAX), "Version ungültig", "version = 1"),
    Rule("company_leads", "sort_status", _one_of("sort_status", STATUSES), "Status ungültig", "sort_status = 'neu'"),
    Rule("company_leads", "sort_value", _whole("sort_value", -1, MAX_VALUE), "Wert ungültig", "sort_value = -1"),
    Rule("company_leads", "sort_created", _moment("sort_created"), "Datum ungültig", f"sort_created = {NOW}"),
    *(
        Rule("company_lead_counts", column, _whole(column, 0, INT_MAX), "Zähler ungültig", RECOUNT)
        for column in read_model.COUNTERS
    ),
    Rule("company_changes", "seq", _whole("seq", 0, 2**62), "Änderungszähler ungültig", "seq = 0"),
    Rule("company_changes", "channel", _channel, "Kanalname ungültig", RENAME),
    Rule("lead_shares", "status", _one_of("status", tuple(s.value for s in ShareStatus)), "unbekannt", SHARE_REPAIR),
    Rule("lead_shares", "offered_at", _moment("offered_at"), "Angebotsdatum ungültig", f"offered_at = {NOW}"),
    Rule(
        "lead_shares", "decided_at", _moment("decided_at", True), "Entscheidungsdatum ungültig", f"decided_at = {NOW}"
    ),
    Rule(
        "lead_shares",
        "decline_reason",
        _decline,
        "Ablehnungsgrund ungültig",
        "decline_reason = NULL, decline_text = NULL",
    ),
    Rule("lead_shares", "deadline", _window, "Frist ungültig", "deadline = NULL, remind_at = NULL"),
    Rule(
        "partnerships",
        "window_hours",
        _whole("window_hours", 1, MAX_HOURS, nullable=True),
        "Standardfrist ungültig",
        "window_hours = NULL",
    ),
    Rule(
        "assignment_history",
        "reason",
        _one_of("reason", tuple(r.value for r in AssignmentReason)),
        "unbekannter Grund",
        "reason = 'manual'",
    ),
    Rule("assignment_history", "at", _moment("at"), "Datum ungültig", f"at = {NOW}"),
    Rule(
        "journal_entries",
        "kind",
        _journal_kind,
        "unbekannte Art",
        "kind = 'note', due = NULL, done_at = NULL, done_company_id = NULL, done_by_id = NULL",
    ),
    Rule("journal_entries", "at", _moment("at"), "Datum ungültig", f"at = {NOW}"),
    Rule("journal_entries", "due", _moment("due", nullable=True, day_only=True), "Fälligkeit ungültig", "due = NULL"),
    Rule("journal_entries", "done_at", _moment("done_at", True), "Erledigt-Datum ungültig", f"done_at = {NOW}"),
    Rule("notifications", "kind", _one_of("kind", tuple(k.value for k in NotificationKind)), "unbekannte Art", DELETE),
    Rule("notifications", "count", _whole("count", 1, INT_MAX), "Anzahl ungültig", "count = 1"),
    Rule("notifications", "at", _moment("at"), "Datum ungültig", f"at = {NOW}"),
    Rule("notifications", "read_at", _moment("read_at", True), "Gelesen-Datum ungültig", f"read_at = {NOW}"),
)
TABLES = tuple(dict.fromkeys(rule.table for rule in RULES))


def _rules(table: str) -> list[Rule]:
    return [rule for rule in RULES if rule.table == table]


def trigger_name(table: str, event: str) -> str:
    return f"ck_{table}_{event}_valid"


def sqlite_triggers() -> dict[str, str]:
    """name -> DDL of the triggers that refuse invalid values on SQLite, as a CHECK would."""
    triggers = {}
    for table in TABLES:
        valid = " AND ".join(rule.condition("sqlite", "NEW.") for rule in _rules(table))
        for event in ("insert", "update"):
            name = trigger_name(table, event)
            triggers[name] = (
                f"CREATE TRIGGER {name} BEFORE {event.upper()} ON {table} WHEN NOT ({valid}) "
                f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {table}'); END"
            )
    return triggers


def postgres_constraints() -> dict[str, str]:
    """name -> DDL of the CHECK constraints on PostgreSQL."""
    return {
        rule.name: f"ALTER TABLE {rule.table} ADD CONSTRAINT {rule.name} CHECK ({rule.condition('postgresql')})"
        for rule in RULES
    }


def enforcement(dialect: str) -> dict[str, str]:
    """What makes the database refuse invalid values: name -> DDL."""
    return sqlite_triggers() if dialect == "sqlite" else postgres_constraints()


def invalid_rows(conn: Connection) -> list[tuple[Rule, int]]:
    """Each rule with the number of rows that break it (only those that do)."""
    counted = ((rule, int(conn.execute(text(rule.count_sql(conn.dialect.name))).scalar_one())) for rule in RULES)
    return [(rule, n) for rule, n in counted if n]


def repair(conn: Connection, broken: list[tuple[Rule, int]], now: datetime) -> None:
    """Mend the rows `invalid_rows` found, each by its rule; the counters follow the statuses.
    SQLite's triggers of those tables go first (a row may break several rules at once: mending
    one would trip the trigger over another); `missing_enforcement` brings them back."""
    dialect = conn.dialect.name
    if dialect == "sqlite":
        for table in {rule.table for rule, _ in broken}:
            for event in ("insert", "update"):
                conn.exec_driver_sql("DROP TRIGGER IF EXISTS " + trigger_name(table, event))
    for rule, _ in broken:
        statement = rule.repair_sql(dialect)
        if statement is None:
            continue
        if NOW in statement:
            conn.execute(text(statement).bindparams(bindparam("now", type_=DateTime())), {"now": now})
        else:
            conn.execute(text(statement))
    # A view's sort keys copy its lead: `db check` finds one that differs from the mended lead.
    if any(rule.table in ("leads", "company_leads", "company_lead_counts") for rule, _ in broken):
        read_model.recount(conn)


def missing_enforcement(conn: Connection) -> dict[str, str]:
    """The triggers or constraints of `enforcement` that are not in the database."""
    if conn.dialect.name == "sqlite":
        present = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
    else:
        present = set(
            conn.execute(
                text(
                    "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                    "WHERE n.nspname = current_schema() AND c.contype = 'c'"
                )
            ).scalars()
        )
    return {name: ddl for name, ddl in enforcement(conn.dialect.name).items() if name not in present}
