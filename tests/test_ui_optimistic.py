"""The list paints what a write will do at once, marked as waiting, and keeps it only if the
write is confirmed: an assignment refused meanwhile rolls back visibly, with the German reason
(nothing is shown as saved that was not)."""

from __future__ import annotations

import threading

from helpers import rendered_text, settle, until

from leadtui.domain import ListKind, ListQuery
from leadtui.repository import Repository
from leadtui.ui.widgets.lead_table import LeadTable

SIZE = (120, 36)


class Gated:
    """The app's repository, whose assignments wait until the test lets them through (as a
    server across a slow network would); everything else as it is."""

    def __init__(self, real: Repository):
        self._real = real
        self.gate = threading.Event()

    def __getattr__(self, name: str):
        return getattr(self._real, name)

    def assign(self, *args, **kwargs):
        assert self.gate.wait(30), "the test never opened the gate"
        return self._real.assign(*args, **kwargs)


def first_unassigned(repository: Repository):
    return repository.rows(ListQuery(kind=ListKind.UNASSIGNED), 0, 1)[0]


async def assigned_to_me_waiting(pilot, gated: Gated):
    """On "Nicht zugewiesen", `i` on the first lead: its row and the table, once painted as waiting."""
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)
    row = first_unassigned(gated._real)
    table = pilot.app.screen.query_one(LeadTable)
    await pilot.press("i")
    await until(pilot, lambda: row.key in table.pending, "the assignment painted as waiting")
    return row, table


async def test_an_assignment_shows_at_once_and_stays_when_confirmed(make_app):
    app = make_app()
    gated = Gated(app.repository)
    app.repository = gated
    me = gated.me
    async with app.run_test(size=SIZE) as pilot:
        row, table = await assigned_to_me_waiting(pilot, gated)
        assert table.expected[row.key].assignee.id == me.id
        assert gated._real.assignment(row.id).assignee is None  # not saved yet, only shown
        gated.gate.set()
        await until(pilot, lambda: row.key not in table.pending, "the assignment confirmed")
        await settle(pilot)
        assert gated._real.assignment(row.id).assignee.id == me.id
        assert any("Zugewiesen: " in str(n.message) for n in app._notifications)
        assert me.name in rendered_text(app)


async def test_an_assignment_refused_meanwhile_rolls_back_with_the_reason(make_app, demo_engine):
    app = make_app()
    gated = Gated(app.repository)
    app.repository = gated
    async with app.run_test(size=SIZE) as pilot:
        row, table = await assigned_to_me_waiting(pilot, gated)
        colleague = next(c for c in gated._real.colleagues() if c.id != gated.me.id)
        other = Repository(demo_engine, colleague.id, clock=gated._real.session.clock)
        other.assign(row.id, colleague.id, row.version)  # a colleague was quicker
        gated.gate.set()
        await until(pilot, lambda: row.key not in table.expected, "the refused assignment taken back")
        await settle(pilot)
        assert any("Inzwischen geändert" in str(n.message) for n in app._notifications)
        assert not any("Zugewiesen: " in str(n.message) for n in app._notifications)
        assert row.key not in [r.key for r in table.expected.values()]
        assert gated._real.assignment(row.id).assignee.id == colleague.id
