"""Races, settled: colleagues doing the same thing at the same moment, each on their own
connection (behind row-level security on PostgreSQL), released together by a barrier, round after round.
Zero lost updates, zero invariant violations - and the read model still matches the data."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from helpers import at_once, eventually, new_lead
from sqlalchemy import create_engine, text

from leadtui.db.maintenance import check
from leadtui.domain import AlreadyDecided, Conflict, ListKind, ListQuery, NotAssignable

ROUNDS = 40


def test_many_colleagues_assigning_one_lead_at_once_one_wins_per_version(world):
    actors = [world.repo(who) for who in ("anna", "jonas", "markus", "anna")]
    targets = [world.ids["jonas"], world.ids["markus"], None, world.ids["markus"]]  # each a change
    for _ in range(ROUNDS):
        lead = new_lead(actors[0])
        version = lead.assignment.version
        outcomes = at_once(
            [
                lambda r=r, t=t, lead_id=lead.id, v=version: r.assign(lead_id, t, v)
                for r, t in zip(actors, targets, strict=True)
            ]
        )
        winners = [i for i, o in enumerate(outcomes) if not isinstance(o, Exception)]
        assert len(winners) == 1, outcomes
        assert all(isinstance(o, Conflict) for i, o in enumerate(outcomes) if i not in winners), outcomes
        now = actors[0].assignment(lead.id)
        assert now.version == version + 1
        assert (now.assignee.id if now.assignee else None) == targets[winners[0]]
    assert check(world.engine) == []


def test_one_offer_accepted_by_two_at_once_is_accepted_once(world):
    anna, partners = world.repo("anna"), [world.repo("tim"), world.repo("julia")]
    nordlicht = partners[0].company_id
    for _ in range(ROUNDS):
        lead = new_lead(anna)
        share = anna.offer(lead.id, nordlicht)
        outcomes = at_once([lambda p=p, s=share.share_id: p.accept_offer(s) for p in partners])
        winners = [o for o in outcomes if not isinstance(o, Exception)]
        assert len(winners) == 1 and all(isinstance(o, AlreadyDecided) for o in outcomes if o not in winners)
        assert partners[0].assignment(lead.id) == winners[0]
    counts = partners[0].counts()
    assert counts[ListKind.ALL] == ROUNDS and counts[ListKind.OFFERS] == 0
    assert check(world.engine) == []


def test_a_colleague_deactivated_while_being_assigned(world):
    """Either the assignment came first (the lead is then Verwaist) or the deactivation did (the
    assignment is refused) - never a report that contradicts the data."""
    anna, jonas = world.repo("anna"), world.repo("jonas")
    markus = world.ids["markus"]
    refused = orphaned = 0
    for _ in range(ROUNDS):
        lead = new_lead(jonas)
        assign, deactivate = at_once(
            [lambda lead=lead: jonas.assign(lead.id, markus, lead.assignment.version), lambda: anna.deactivate(markus)]
        )
        assert deactivate is None, deactivate
        holder = anna.assignment(lead.id).assignee
        if isinstance(assign, NotAssignable):
            refused += 1
            assert holder is not None and holder.id == world.ids["jonas"]
        else:
            orphaned += 1
            assert not isinstance(assign, Exception), assign
            assert holder is not None and holder.id == markus and not holder.active
        anna.activate(markus)
    assert refused + orphaned == ROUNDS
    assert anna.count(ListQuery(kind=ListKind.ORPHANED)) == 0
    assert check(world.engine) == []


def _waiting_on_a_lock(engine) -> bool:
    with engine.connect() as conn:
        sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        return conn.execute(text(sql)).scalar_one() > 0


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
def test_an_assignment_waits_for_a_deactivation_under_way_and_is_then_refused(world):
    """The interleaving that would break the rule, forced: the deactivation holds its row lock and
    has written, but not committed; the assignment must wait for it and then be refused."""
    jonas = world.repo("jonas")
    lead = new_lead(jonas)
    admin = create_engine(world.engine.url).connect()
    admin.execute(text("SELECT id FROM colleagues WHERE id = :m FOR UPDATE"), {"m": world.ids["markus"]})
    admin.execute(text("UPDATE colleagues SET active = false WHERE id = :m"), {"m": world.ids["markus"]})
    outcome: list[object] = []
    worker = threading.Thread(
        target=lambda: outcome.append(_attempt(lambda: jonas.assign(lead.id, world.ids["markus"], 1)))
    )
    worker.start()
    eventually(lambda: _waiting_on_a_lock(world.engine), "the assignment waits for the deactivation's row lock")
    assert worker.is_alive()
    admin.commit()
    admin.close()
    worker.join(10)
    assert isinstance(outcome[0], NotAssignable) and "inaktiv" in str(outcome[0])
    assert jonas.assignment(lead.id).assignee.id == world.ids["jonas"]


def _attempt(call: Callable[[], object]) -> object:
    try:
        return call()
    except Exception as error:  # noqa: BLE001 - the test looks at it
        return error
