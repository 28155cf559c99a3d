"""The schema comes from the Alembic migrations shipped in the package, on both databases."""

from __future__ import annotations

import pytest
from helpers import migrate
from sqlalchemy import inspect, text

from leadtui.db.engine import _alembic_config, make_engine, upgrade


def test_upgrade_downgrade_upgrade(db_url):
    engine = make_engine(db_url, create=True)
    assert upgrade(engine) is True
    tables = set(inspect(engine).get_table_names())
    assert {"leads", "company_leads", "lead_shares", "assignment_history", "colleagues", "maintenance"} <= tables
    with engine.begin() as conn:
        migrate(conn, "base", down=True)
    assert "leads" not in inspect(engine).get_table_names()
    assert upgrade(engine) is True
    assert upgrade(engine) is False  # a no-op when current
    engine.dispose()


def test_composite_foreign_key_guards_assignments(db_url):
    engine = make_engine(db_url, create=True)
    upgrade(engine)
    fks = inspect(engine).get_foreign_keys("company_leads")
    assert any(
        fk["referred_table"] == "colleagues" and fk["constrained_columns"] == ["colleague_id", "company_id"]
        for fk in fks
    )
    engine.dispose()


def test_the_revisions_a_start_knows_are_alembics():
    """A start reads the revisions from the migration files' names, without Alembic."""
    from alembic.script import ScriptDirectory

    from leadtui.db import revisions

    scripts = ScriptDirectory.from_config(_alembic_config())
    assert revisions.known() == {script.revision for script in scripts.walk_revisions()}
    assert revisions.head() == scripts.get_current_head()


def test_the_apps_start_path_imports_no_alembic(tmp_path):
    """Opening a current database and building the app needs no Alembic (only migrating does),
    and on SQLite neither PostgreSQL's dialect nor its driver (the backend is loaded by name);
    nor the server, the remote client or their libraries (only `serve` and `--server` do)."""
    import subprocess
    import sys

    from leadtui.db.engine import open_database

    path = tmp_path / "current.db"
    open_database(f"sqlite:///{path}", create=True).dispose()
    probe = (
        "import sys; import leadtui.cli, leadtui.ui.app;"
        "from leadtui.db.engine import open_database;"
        "from leadtui.db import backends;"
        f"e = open_database('sqlite:///{path}');"
        "backends.for_engine(e); e.dispose();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'psycopg', 'fastapi', 'starlette',"
        " 'uvicorn', 'httpx', 'websockets', 'pydantic', 'argon2', 'limits', 'keyring')"
        " or m.startswith(('sqlalchemy.dialects.postgresql', 'leadtui.server', 'leadtui.remote'))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_migration_0011_reports_and_repairs_what_breaks_its_rules(db_url, capfd):
    """Rows an old version (or a person with SQL) wrote out of range are reported on stderr
    and mended before the checks go on; afterwards db check finds nothing."""
    from sqlalchemy import text

    from leadtui.admin import Admin
    from leadtui.db.maintenance import check
    from leadtui.domain import NewLead
    from leadtui.repository import Repository

    engine = make_engine(db_url, create=True)
    upgrade(engine)
    admin = Admin(engine)
    admin.add_company("Sonnenstrom")
    anna = admin.add_colleague("Sonnenstrom", "Anna Becker", "anna@example.org")
    lead = Repository(engine, anna.id).create_lead(NewLead(title="Alt"))
    with engine.begin() as conn:
        migrate(conn, "0010", down=True)
    with engine.begin() as conn:
        conn.execute(text("UPDATE leads SET status = 'uralt', value = -3 WHERE id = :id"), {"id": lead.id})
        conn.execute(text("UPDATE company_leads SET sort_status = 'uralt'"))
    capfd.readouterr()
    assert upgrade(engine) is True
    said = capfd.readouterr().err
    assert "Repariert: 1 Zeilen in leads.status (unbekannter Status)." in said
    assert "leads.value" in said and "company_leads.sort_status" in said
    with engine.connect() as conn:
        assert conn.execute(text("SELECT status, value FROM leads")).one() == ("neu", None)
    assert check(engine) == []
    engine.dispose()


STATUS_RANK_INDEX = "ix_company_leads_sort_status_rank"


@pytest.mark.filterwarnings("ignore:.*expression-based index:UserWarning")
@pytest.mark.filterwarnings("ignore:.*expression-based index:sqlalchemy.exc.SAWarning")
def test_the_migrated_schema_is_what_the_models_say(db_url):
    """Alembic's own comparison of the models with the schema the migrations build: a column,
    index, constraint or table changed in one and not the other fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from leadtui.db.models import Base

    engine = make_engine(db_url, create=True)
    upgrade(engine)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # The search index lives outside the models: FTS5's shadow tables on SQLite, a GIN index on
    # PostgreSQL (db/search_index.py); the migration lock's table is Alembic's.
    unmodelled = {"leads_fts", "leads_fts_data", "leads_fts_idx", "leads_fts_docsize", "leads_fts_config"}
    # SQLite enforces no lengths: 0003 widened leads.search_text to TEXT on PostgreSQL only.
    widened = ("modify_type", None, "leads", "search_text")
    left = [
        d
        for d in differences
        if not (isinstance(d, tuple) and d[0] == "remove_table" and d[1].name in unmodelled)
        and not (isinstance(d, tuple) and d[0] == "remove_index" and d[1].name == "ix_leads_search_trgm")
        and not (isinstance(d, list) and tuple(d[0][:4]) == widened and engine.dialect.name == "sqlite")
        and not (isinstance(d, tuple) and d[0] in ("add_index", "remove_index") and d[1].name == STATUS_RANK_INDEX)
    ]
    assert left == []
    # Alembic cannot compare an index on an expression (SQLite does not reflect it, PostgreSQL
    # writes it back in its own words): the status rank's index is checked by its definition.
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            stmt = text("SELECT sql FROM sqlite_master WHERE name = :name")
        else:
            stmt = text("SELECT indexdef FROM pg_indexes WHERE indexname = :name")
        definition = conn.execute(stmt, {"name": STATUS_RANK_INDEX}).scalar_one()
    assert "CASE" in definition and "sort_status" in definition and "'in Bearbeitung'" in definition
    engine.dispose()


def test_an_old_database_with_data_upgrades_through_every_revision(db_url):
    """A database of the first release holding leads upgrades to the newest revision: every
    migration runs on data (with its own SQL, not today's code), and the app then counts,
    sorts and finds what was there (0003 folds by Python: "Straße" is found as "strasse")."""
    from datetime import datetime

    from sqlalchemy import text

    from leadtui.db.maintenance import check
    from leadtui.domain import ListKind, ListQuery, SortKey
    from leadtui.repository import Repository

    engine = make_engine(db_url, create=True)
    titles = ["Straße Nord", "ÄRGER Süd", "Zaun"]
    with engine.begin() as conn:
        migrate(conn, "0001")
    with engine.begin() as conn:  # the first release's tables, written as it wrote them
        conn.execute(text("INSERT INTO companies (id, name) VALUES (1, 'Sonnenstrom')"))
        conn.execute(
            text("INSERT INTO colleagues (id, company_id, name, email, active) VALUES (1, 1, 'Anna', 'a@x.de', :t)"),
            {"t": True},
        )
        for lead_id, title in enumerate(titles, start=1):
            conn.execute(
                text(
                    "INSERT INTO leads (id, owner_company_id, title, prospect, contact, email, phone, city, status,"
                    " value, source, search_text, created_at, updated_at) VALUES (:id, 1, :title, '', '', '', '',"
                    " 'Köln', 'neu', NULL, 'manuell', :folded, :at, :at)"
                ),
                {"id": lead_id, "title": title, "folded": title.lower(), "at": datetime(2026, 1, lead_id)},
            )
            conn.execute(
                text(
                    "INSERT INTO company_leads (company_id, lead_id, colleague_id, version, via)"
                    " VALUES (1, :id, :c, 1, 'own')"
                ),
                {"id": lead_id, "c": 1 if lead_id != 3 else None},
            )
    assert upgrade(engine) is True
    assert check(engine) == []
    repo = Repository(engine, 1)
    assert repo.counts()[ListKind.ALL] == 3 and repo.counts()[ListKind.UNASSIGNED] == 1
    by_title = repo.rows(ListQuery(sort=SortKey.TITLE, descending=False), 0, 10)
    assert [row.title for row in by_title] == sorted(titles, key=str.casefold)
    assert [row.title for row in repo.rows(ListQuery(search="strasse"), 0, 10)] == ["Straße Nord"]
    assert [row.title for row in repo.rows(ListQuery(search="ärger"), 0, 10)] == ["ÄRGER Süd"]
    engine.dispose()


def test_every_revision_keeps_its_own_sql():
    """A revision imports Alembic, SQLAlchemy and the domain's errors, never the live code of
    the database layer: a later change there must not change what upgrading an old database
    does (their SQL is frozen into each revision)."""
    import ast
    from pathlib import Path

    import leadtui.db.migrations.versions as versions

    for path in sorted(Path(versions.__file__).parent.glob("0*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert not name.startswith("leadtui") or name == "leadtui.domain", f"{path.name} imports {name}"


def test_revision_0016_fills_the_match_keys_as_the_live_rule_does(db_url):
    """An existing database gets the keys imports find duplicates by, computed by the frozen
    copy of the rule in the revision: the same keys the repository writes today."""
    from sqlalchemy import text

    from leadtui.admin import Admin
    from leadtui.db.maintenance import check
    from leadtui.domain import NewLead
    from leadtui.repository import Repository

    engine = make_engine(db_url, create=True)
    upgrade(engine)
    admin = Admin(engine)
    admin.add_company("Sonnenstrom")
    anna = Repository(engine, admin.add_colleague("Sonnenstrom", "Anna Becker", "anna@example.org").id)
    for lead in (
        NewLead(
            title="A", email=" Info@Müller.de ", phone="0711 123-45", prospect="Müller GmbH", city="70173 Stuttgart"
        ),
        NewLead(title="B", phone="kein Telefon", prospect="Nur Firma"),
        NewLead(title="C"),
    ):
        anna.create_lead(lead)
    query = text("SELECT title, match_email, match_phone, match_firm FROM leads ORDER BY id")
    with engine.connect() as conn:
        live = conn.execute(query).all()
    assert live[0][1:] == ("info@müller.de", "+4971112345", "muellergmbh|stuttgart")
    assert live[1][1:] == live[2][1:] == (None, None, None)
    with engine.begin() as conn:
        migrate(conn, "0015", down=True)
    assert upgrade(engine) is True
    with engine.connect() as conn:
        assert conn.execute(query).all() == live
    assert check(engine) == []
    engine.dispose()
