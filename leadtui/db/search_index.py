"""The search index behind "/": FTS5 trigram over `leads.search_text` on SQLite (kept by
triggers), a pg_trgm GIN index on PostgreSQL (kept by PostgreSQL itself)."""

from __future__ import annotations

from sqlalchemy import Connection, text

MIN_INDEXED_WORD = 3  # trigram indexes answer words of three characters or more

SQLITE_FTS_TABLE = (
    "CREATE VIRTUAL TABLE leads_fts USING fts5(search_text, content='leads', content_rowid='id', tokenize='trigram')"
)
SQLITE_FTS_TRIGGERS = {
    "leads_fts_insert": "CREATE TRIGGER leads_fts_insert AFTER INSERT ON leads BEGIN "
    "INSERT INTO leads_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "leads_fts_delete": "CREATE TRIGGER leads_fts_delete AFTER DELETE ON leads BEGIN "
    "INSERT INTO leads_fts(leads_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "leads_fts_update": "CREATE TRIGGER leads_fts_update AFTER UPDATE OF search_text ON leads BEGIN "
    "INSERT INTO leads_fts(leads_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO leads_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
}


def like_pattern(word: str) -> str:
    """A LIKE pattern for text containing `word` (its wildcards escaped: user text is no syntax)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


PG_TRGM_INDEX = "CREATE INDEX ix_leads_search_trgm ON leads USING gin (search_text gin_trgm_ops)"


def rebuild(conn: Connection) -> None:
    """Index every lead afresh (SQLite); PostgreSQL's index never falls behind its table."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("INSERT INTO leads_fts(leads_fts) VALUES ('rebuild')")


def indexed_count(conn: Connection) -> int | None:
    """How many leads the SQLite search index holds (None where PostgreSQL keeps it)."""
    if conn.dialect.name != "sqlite":
        return None
    return int(conn.execute(text("SELECT count(*) FROM leads_fts_docsize")).scalar_one())
