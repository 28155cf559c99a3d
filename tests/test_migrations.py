"""The schema comes from the Alembic migrations shipped in the package, on both databases."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from leadtui.db.engine import _alembic_config, make_engine, upgrade


def test_upgrade_downgrade_upgrade(db_url):
    engine = make_engine(db_url, create=True)
    assert upgrade(engine) is True
    tables = set(inspect(engine).get_table_names())
    assert {"leads", "company_leads", "lead_shares", "assignment_history", "colleagues", "maintenance"} <= tables
    with engine.begin() as conn:
        config = _alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
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
    """Opening a current database and building the app needs no Alembic (only migrating does)."""
    import subprocess
    import sys

    from leadtui.db.engine import open_database

    path = tmp_path / "current.db"
    open_database(f"sqlite:///{path}", create=True).dispose()
    probe = (
        "import sys; import leadtui.cli.commands, leadtui.ui.app;"
        "from leadtui.db.engine import open_database;"
        f"open_database('sqlite:///{path}').dispose();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
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
        config = _alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0010")
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
