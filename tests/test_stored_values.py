"""No stored value breaks another company's screens (docs/rules.md, rule 17): the database
refuses a status, kind, date, counter or version outside its range (db/integrity.py), `db check`
finds and mends a row that got past it, and the app shows what it cannot read as a placeholder -
on SQLite and PostgreSQL, as the principal whose partner's side wrote it."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace

import pytest
from helpers import new_lead, passed_on_lead, press, rendered_text, settle
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from leadtui.db import integrity
from leadtui.db.maintenance import check
from leadtui.domain import ListQuery, NewLead
from leadtui.ui.app import LeadtuiApp
from leadtui.ui.screens.detail import LeadDetailScreen
from leadtui.ui.screens.inbox import InboxScreen

# What a superuser (or an old version, or a bug) could write into each column that a list, the
# detail, the journal or the inbox reads; per database, as its own SQL literal.
BAD_MOMENT = {"sqlite": "'garbage'", "postgresql": "'99999-01-01 00:00:00'::timestamp"}
BAD_DAY = {"sqlite": "'2026-02-30'", "postgresql": "'99999-12-31'::date"}
# Constraints older than integrity.py: a superuser can drop them too.
OLDER_CHECKS = {
    "ck_lead_shares_status": "lead_shares",
    "ck_journal_entries_kind": "journal_entries",
    "ck_journal_entries_task_fields": "journal_entries",
}


@contextmanager
def no_walls(engine):
    """A connection on which the database no longer refuses anything: what a superuser has."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
            for name in integrity.sqlite_triggers():
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        else:
            for rule in integrity.RULES:
                conn.exec_driver_sql(f"ALTER TABLE {rule.table} DROP CONSTRAINT {rule.name}")
            for name, table in OLDER_CHECKS.items():
                conn.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        yield conn
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA ignore_check_constraints = OFF")


def spoil(world, lead_id: int) -> None:
    """Every readable column of one shared lead, its journal, history, offer and notifications."""
    dialect = world.engine.dialect.name
    moment, day = BAD_MOMENT[dialect], BAD_DAY[dialect]
    sets = {
        "leads": f"status = 'geheim', created_at = {moment}, updated_at = {moment}, value = -5",
        "company_leads": f"sort_status = 'geheim', sort_created = {moment}",
        "journal_entries": f"kind = 'zauber', at = {moment}, due = {day}, done_at = {moment}",
        "assignment_history": f"reason = 'weil', at = {moment}",
        "lead_shares": f"status = 'vielleicht', offered_at = {moment}",
        "notifications": f"kind = 'raetsel', at = {moment}",
    }
    with no_walls(world.engine) as conn:
        for table, values in sets.items():
            column = "id" if table == "leads" else "lead_id"
            assert conn.execute(text(f"UPDATE {table} SET {values} WHERE {column} = :id"), {"id": lead_id}).rowcount


@pytest.fixture
def spoiled(world):
    """A Sonnenstrom lead passed to Nordlicht, worked by both, then every column spoiled."""
    lead_id = passed_on_lead(world, "Verdorben")
    anna, tim = world.repo("anna"), world.repo("tim")
    anna.assign(lead_id, world.ids["jonas"], anna.assignment(lead_id).version)
    anna.assign(lead_id, world.ids["anna"], anna.assignment(lead_id).version)
    tim.add_task(lead_id, "Rückruf", None)
    anna.add_task(lead_id, "Angebot schicken", None)
    anna.add_note(lead_id, "Notiz von Sonnenstrom")
    new_lead(anna, "Gesund")
    spoil(world, lead_id)
    return lead_id


def test_the_database_refuses_every_value_out_of_range(world):
    """Each rule of db/integrity.py, broken on a real row, is refused - whoever writes it."""
    lead_id = passed_on_lead(world)
    world.repo("tim").add_task(lead_id, "Aufgabe", None)
    world.repo("anna").assign(lead_id, world.ids["jonas"], 1)
    dialect = world.engine.dialect.name
    for rule in integrity.RULES:
        if rule.column == "due":
            value = BAD_DAY[dialect]
        elif rule.column.endswith("_at") or rule.column in ("at", "sort_created"):
            value = BAD_MOMENT[dialect]
        elif rule.column == "channel":
            value = "'x\"; SELECT 1; --'"
        else:
            value = "'kaputt'" if rule.column in ("status", "sort_status", "role", "reason", "kind") else "-7"
        with pytest.raises(DBAPIError), world.engine.begin() as conn:
            conn.execute(text(f"UPDATE {rule.table} SET {rule.column} = {value}"))


def test_db_check_finds_and_mends_what_got_past_the_walls(world, spoiled):
    found = [f.what for f in check(world.engine)]
    assert any("leads.status (unbekannter Status)" in what for what in found)
    assert any("journal_entries.due (Fälligkeit ungültig)" in what for what in found)
    assert any(what.startswith("Prüfregel fehlt: ck_") for what in found)
    check(world.engine, repair=True)
    assert check(world.engine) == []
    lead = world.repo("anna").lead(spoiled)
    assert lead.status is not None and lead.created_at is not None
    assert all(entry.due is None for entry in lead.journal)


def test_one_spoiled_row_breaks_no_list_detail_journal_or_inbox(world, spoiled):
    anna = world.repo("anna")
    rows = anna.rows(ListQuery(), 0, 100)
    assert [(r.title, r.status, r.created_at) for r in rows if r.id == spoiled] == [("Verdorben", None, None)]
    assert "Gesund" in [r.title for r in rows]
    lead = anna.lead(spoiled)
    assert (lead.status, lead.created_at, lead.updated_at) == (None, None, None)
    assert lead.history and all(h.reason is None and h.at is None for h in lead.history)
    assert lead.journal and all(e.kind is None and e.at is None for e in lead.journal)
    assert all(share.status is None for share in lead.shares)
    assert all(n.kind is None and n.at is None for n in anna.notifications() if n.lead_id == spoiled)
    # the partner's side reads it too
    assert world.repo("tim").lead(spoiled).status is None


async def test_the_principals_screens_show_placeholders_for_a_spoiled_row(world, spoiled):
    app = LeadtuiApp(world.repo("anna"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        shown = rendered_text(app)
        assert "Verdorben" in shown and "Gesund" in shown and "unbekannt " in shown
        app.open_lead(spoiled)
        await settle(pilot)
        assert isinstance(app.screen, LeadDetailScreen)
        detail = rendered_text(app)
        assert "unbekannter Status" in detail and "Datum unbekannt" in detail
        assert "Notiz von Sonnenstrom" in detail and "Unerwarteter Fehler" not in detail
        await press(pilot, "escape", "b")
        assert isinstance(app.screen, InboxScreen)
        assert "Unerwarteter Fehler" not in rendered_text(app)
        # the principal can still work it: edit a field, the unknown status stays until chosen
        lead = app.repository.lead(spoiled)
        seen = NewLead.of(lead)
        app.repository.edit_lead(spoiled, replace(seen, city="Ulm", value=1000), lead.version, seen)
        assert app.repository.lead(spoiled).city == "Ulm"
    assert not [n for n in app._notifications if n.severity == "error"]
