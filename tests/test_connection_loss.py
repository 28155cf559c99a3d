"""A lost connection: the write in flight says "Datenbank nicht erreichbar" and leaves nothing
half-written; the next action reconnects by itself - and so does the live feed."""

from __future__ import annotations

import contextlib
import threading

import pytest
from helpers import eventually, new_lead, press, settle
from sqlalchemy import create_engine, text
from test_live import within

from leadtui.db.maintenance import check
from leadtui.domain import StorageError, Unreachable
from leadtui.ui.app import LeadtuiApp
from leadtui.ui.widgets.lead_table import LeadTable

pytestmark = pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)


def terminate(world, waiting: bool = False) -> int:
    """End sessions of this database as a server restart does: those waiting for a lock, or all."""
    sql = (
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    if waiting:
        sql += " AND wait_event_type = 'Lock'"
    with world.engine.connect() as conn:
        ended = len(conn.execute(text(sql)).all())
        conn.commit()
    return ended


def test_a_write_whose_connection_is_killed_leaves_nothing_half_written(world):
    anna = world.repo("anna")
    lead = new_lead(anna)
    before = anna.lead(lead.id)
    holder = create_engine(world.engine.url).connect()
    holder.execute(text("SELECT * FROM company_leads WHERE lead_id = :l FOR UPDATE"), {"l": lead.id})
    outcome: list[object] = []

    def assign() -> None:
        try:
            outcome.append(anna.assign(lead.id, world.ids["jonas"], before.assignment.version))
        except Exception as error:  # noqa: BLE001 - the test looks at it
            outcome.append(error)

    writer = threading.Thread(target=assign)
    writer.start()
    eventually(lambda: terminate(world, waiting=True), "the write waits for the row lock; ended mid-write")
    writer.join(10)
    holder.rollback()
    holder.close()
    assert isinstance(outcome[0], StorageError) and "Datenbank nicht erreichbar" in str(outcome[0])
    after = anna.lead(lead.id)  # the next action reconnects by itself
    assert after.assignment == before.assignment and after.history == before.history
    assert check(world.engine) == []
    assert anna.assign(lead.id, world.ids["jonas"], before.assignment.version).assignee.name == "Jonas Weber"


async def test_the_app_carries_on_after_every_session_was_ended(world):
    anna_repo = world.repo("anna")
    leads = [new_lead(anna_repo, f"Lead {i}") for i in range(3)]
    app = LeadtuiApp(world.repo("jonas"))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await within(pilot, lambda: terminate(world) > 0)  # as a server restart does to every session
        await press(pilot, "3")  # the next action reconnects: no error
        assert not [n for n in app._notifications if n.severity == "error"]
        with contextlib.suppress(Unreachable):  # Anna's idle connection was ended too: it says so once
            anna_repo.assignment(leads[0].id)
        anna_repo.assign(leads[0].id, None, anna_repo.assignment(leads[0].id).version)
        table = app.screen.query_one(LeadTable)
        await within(
            pilot,
            lambda: any((row := table.cache.row(i)) and row.id == leads[0].id for i in range(table.count)),
            seconds=3,
        )
