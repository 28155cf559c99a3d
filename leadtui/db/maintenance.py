"""Keeping the read model whole: crash-safe bulk loading, and `leadtui db check [--repair]`.

A bulk load into an empty database sets the lead tables' secondary indexes and search triggers
aside (a million random-order index inserts take minutes, a build takes seconds). It first notes
in the `maintenance` table what it set aside and which process is loading, in the same
transaction as the drops; it removes the note in the transaction that builds them again. A load
that is killed leaves the note behind: the next start finds it (and that the loader is gone) and
repairs, and `db check` verifies everything the read model derives from the data.

A bulk load into a database that already holds leads keeps every index in place, so colleagues
working in it at that moment never lose an index or see a half-built counter.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, text, update

from leadtui.db import integrity, read_model, search_index
from leadtui.db.models import Base, MaintenanceModel
from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import CompanyLeadModel as CL
from leadtui.db.models import LeadCountModel as LeadCount
from leadtui.db.models import LeadModel as Lead

BULK_LOAD = "bulk_load"
BULK_TABLES = ("leads", "company_leads", "lead_shares", "assignment_history")
LOADER_LOCK = 7_141_815_924  # pg_advisory_lock key a running loader holds
BATCH = 5_000


# --- bulk loading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Interrupted:
    started_at: datetime
    statements: tuple[str, ...]


def _set_aside(conn: Connection) -> list[tuple[str, str, str]]:
    """(kind, name, DDL) of the secondary indexes and triggers of the bulk tables."""
    tables = ", ".join(f"'{t}'" for t in BULK_TABLES)
    if conn.dialect.name == "sqlite":
        rows = conn.execute(
            text(
                "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                f"AND tbl_name IN ({tables}) AND sql IS NOT NULL ORDER BY type, name"
            )
        ).all()
    else:
        rows = conn.execute(
            text(
                "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                f"AND tablename IN ({tables}) AND indexname NOT IN (SELECT conname FROM pg_constraint) "
                "ORDER BY indexname"
            )
        ).all()
    return [(str(kind), str(name), str(sql)) for kind, name, sql in rows]


def _others_connected(conn: Connection) -> bool:
    if conn.dialect.name != "postgresql":
        return False
    others = conn.execute(
        text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
    ).scalar_one()
    return bool(others)


@contextmanager
def bulk_load(engine: Engine) -> Iterator[bool]:
    """Around a bulk insert: yields whether indexes were set aside (fast path, an empty database
    nobody else is connected to) or kept (a database in use). Crash-safe either way."""
    engine.dispose()  # our own idle connections must not count as somebody else's
    with engine.begin() as conn:
        empty = conn.execute(select(Lead.id).limit(1)).first() is None
        fast = empty and conn.dialect.name in ("sqlite", "postgresql") and not _others_connected(conn)
        aside = _set_aside(conn) if fast else []
        if fast:
            detail = {"statements": [sql for _, _, sql in aside], "pid": os.getpid(), "host": socket.gethostname()}
            conn.execute(insert(MaintenanceModel).values(name=BULK_LOAD, started_at=_now(), detail=json.dumps(detail)))
            for kind, name, _ in aside:
                conn.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
    with _loader_lock(engine) if fast else _nothing():
        yield fast
        if fast:
            with engine.begin() as conn:
                _restore(conn, [sql for _, _, sql in aside])
    if engine.dialect.name == "postgresql" and fast:
        # Fresh statistics, and a visibility map so index-only scans need not visit the heap.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")


@contextmanager
def _nothing() -> Iterator[None]:
    yield


@contextmanager
def _loader_lock(engine: Engine) -> Iterator[None]:
    """PostgreSQL: a session lock held for the whole load says "a loader is alive"."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOADER_LOCK})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOADER_LOCK})
            conn.commit()


def _restore(conn: Connection, statements: list[str]) -> None:
    """Build what a bulk load set aside, make the search index and counters whole, drop the note."""
    present = _present_names(conn)
    for sql in statements:
        if _ddl_name(sql) not in present:
            conn.exec_driver_sql(sql)
    search_index.rebuild(conn)
    read_model.recount(conn)
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("ANALYZE")
    conn.execute(delete(MaintenanceModel).where(MaintenanceModel.name == BULK_LOAD))


def _ddl_name(sql: str) -> str:
    """The object name of a CREATE INDEX/TRIGGER statement."""
    words = sql.replace("(", " ").split()
    at = next(i for i, w in enumerate(words) if w.upper() in ("INDEX", "TRIGGER"))
    name = words[at + 1]
    if name.upper() == "IF":  # IF NOT EXISTS
        name = words[at + 4]
    return name.strip('"')


def _present_names(conn: Connection) -> set[str]:
    if conn.dialect.name == "sqlite":
        rows = conn.execute(text("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')"))
    else:
        rows = conn.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"))
    return {str(name) for (name,) in rows}


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _loader_alive(conn: Connection, detail: dict[str, Any]) -> bool:
    if conn.dialect.name == "postgresql":
        got = conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOADER_LOCK}).scalar_one()
        if got:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOADER_LOCK})
        return not got
    if detail.get("host") != socket.gethostname() or detail.get("pid") == os.getpid():
        return False
    try:
        os.kill(int(detail["pid"]), 0)
    except (OSError, KeyError, ValueError):
        return False
    return True


def bulk_load_state(engine: Engine) -> tuple[Interrupted | None, bool]:
    """A bulk load's note, if any, and whether its loader is still running."""
    with engine.connect() as conn:
        row = conn.execute(
            select(MaintenanceModel.started_at, MaintenanceModel.detail).where(MaintenanceModel.name == BULK_LOAD)
        ).first()
        if row is None:
            return None, False
        detail = json.loads(row.detail)
        return Interrupted(row.started_at, tuple(detail.get("statements", ()))), _loader_alive(conn, detail)


# --- db check ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    what: str
    repaired: bool


def check(engine: Engine, repair: bool = False) -> list[Finding]:
    """Verify the read model against the data (and with `repair`, mend it, in one transaction)."""
    findings: list[str] = []
    interrupted, _ = bulk_load_state(engine)
    with engine.begin() as conn:
        if interrupted is not None:
            findings.append(f"Eine Massenanlage (seed) vom {interrupted.started_at:%d.%m.%Y %H:%M} wurde unterbrochen.")
            if repair:
                _restore(conn, list(interrupted.statements))
        findings += _missing_structures(conn, repair)
        findings += _invalid_values(conn, repair)
        indexed, leads = search_index.indexed_count(conn), conn.execute(select(func.count(Lead.id))).scalar_one()
        if indexed is not None and indexed != leads:
            findings.append(f"Suchindex unvollständig: {indexed} von {leads} Leads.")
        stale = rebuild_derived(conn, apply=repair)
        if stale:
            findings.append(f"Sortier- oder Suchtexte veraltet: {stale} Zeilen.")
        if repair and (stale or (indexed is not None and indexed != leads)):
            search_index.rebuild(conn)
        wrong = _wrong_counters(conn)
        if wrong:
            findings.append(f"Zähler falsch: {wrong}.")
            if repair:
                read_model.recount(conn)
    return [Finding(what, repair) for what in findings]


def _missing_structures(conn: Connection, repair: bool) -> list[str]:
    """Indexes of the schema and the search triggers/index that do not exist."""
    present = _present_names(conn)
    findings = []
    for table in Base.metadata.sorted_tables:
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            if str(index.name) not in present:
                findings.append(f"Index fehlt: {index.name}")
                if repair:
                    index.create(conn)
    if conn.dialect.name == "sqlite":
        for name, sql in search_index.SQLITE_FTS_TRIGGERS.items():
            if name not in present:
                findings.append(f"Such-Trigger fehlt: {name}")
                if repair:
                    conn.exec_driver_sql(sql)
    elif "ix_leads_search_trgm" not in present and _has_trgm(conn):
        findings.append("Index fehlt: ix_leads_search_trgm")
        if repair:
            conn.exec_driver_sql(search_index.PG_TRGM_INDEX)
    return findings


def _invalid_values(conn: Connection, repair: bool) -> list[str]:
    """Rows outside the ranges of db/integrity.py, and the triggers or constraints that keep
    them out when one is missing (mended in that order: the check needs valid rows)."""
    broken = integrity.invalid_rows(conn)
    findings = [f"Ungültige Werte: {n} Zeilen in {rule.table}.{rule.column} ({rule.what})." for rule, n in broken]
    if repair and broken:
        integrity.repair(conn, broken, _now())
    for name, ddl in integrity.missing_enforcement(conn).items():
        findings.append(f"Prüfregel fehlt: {name}")
        if repair:
            conn.exec_driver_sql(ddl)
    return findings


def _has_trgm(conn: Connection) -> bool:
    return conn.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first() is not None


def _wrong_counters(conn: Connection) -> str:
    expected = {(c, s): tuple(n) for c, s, *n in conn.execute(read_model.counted_select())}
    counters = [getattr(LeadCount, name) for name in read_model.COUNTERS]
    actual = {(c, s): tuple(n) for c, s, *n in conn.execute(select(LeadCount.company_id, LeadCount.slot, *counters))}
    actual = {key: n for key, n in actual.items() if any(n) or key in expected}
    if expected == actual:
        return ""
    wrong = sum(1 for key in expected.keys() | actual.keys() if expected.get(key) != actual.get(key))
    return f"{wrong} von {len(expected)}"


def rebuild_derived(conn: Connection, apply: bool) -> int:
    """Recompute every lead's search text and match keys and every company view's sort keys
    with the read model; returns how many rows differed (and with `apply`, writes them)."""
    stale = 0
    last = 0
    columns = ("search_text", *(f"match_{rule}" for rule in read_model.MATCHED))
    while True:
        leads = conn.execute(
            select(Lead.id, Lead.title, Lead.prospect, Lead.contact, Lead.email, Lead.phone, Lead.city)
            .add_columns(*(getattr(Lead, name) for name in columns))
            .where(Lead.id > last)
            .order_by(Lead.id)
            .limit(BATCH)
        ).all()
        if not leads:
            break
        last = leads[-1].id
        changes = []
        for r in leads:
            expected = read_model.derived(r._mapping)
            if any(expected[name] != getattr(r, name) for name in columns):
                changes.append({"b_id": r.id, **{f"b_{name}": expected[name] for name in columns}})
        stale += len(changes)
        if apply and changes:
            conn.execute(
                update(Lead)
                .where(Lead.id == bindparam("b_id"))
                .values({name: bindparam(f"b_{name}") for name in columns}),
                changes,
            )
    return stale + _rebuild_view_keys(conn, apply)


def _rebuild_view_keys(conn: Connection, apply: bool) -> int:
    stale = 0
    last = (0, 0)
    keys = ("sort_created", "sort_title", "sort_prospect", "sort_city", "sort_status", "sort_value", "sort_assignee")
    while True:
        views = conn.execute(
            select(
                CL.lead_id,
                CL.company_id,
                *(getattr(CL, key) for key in keys),
                Lead.title,
                Lead.prospect,
                Lead.city,
                Lead.status,
                Lead.value,
                Lead.created_at,
                Col.name.label("assignee_name"),
            )
            .join(Lead, Lead.id == CL.lead_id)
            .outerjoin(Col, (Col.id == CL.colleague_id) & (Col.company_id == CL.company_id))
            .where((CL.lead_id > last[0]) | ((CL.lead_id == last[0]) & (CL.company_id > last[1])))
            .order_by(CL.lead_id, CL.company_id)
            .limit(BATCH)
        ).all()
        if not views:
            break
        last = (views[-1].lead_id, views[-1].company_id)
        changes = []
        for r in views:
            expected = read_model.view_sort_keys(r._mapping, r.assignee_name)
            if any(expected[key] != r._mapping[key] for key in keys):
                changes.append(
                    {"b_lead": r.lead_id, "b_company": r.company_id, **{f"b_{k}": expected[k] for k in keys}}
                )
        stale += len(changes)
        if apply and changes:
            conn.execute(
                update(CL)
                .where(CL.lead_id == bindparam("b_lead"), CL.company_id == bindparam("b_company"))
                .values({key: bindparam(f"b_{key}") for key in keys}),
                changes,
            )
    return stale
