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
