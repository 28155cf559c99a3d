"""Undo (issue 12): an assignment, a bulk assignment, an acceptance or a decline taken back as a
new, versioned change - never a rewrite of what others did since. SQLite and PostgreSQL (there
behind row-level security)."""

from __future__ import annotations

import pytest
from helpers import NO_CAPACITY, new_lead
from sqlalchemy import text

from leadtui.domain import AssignmentReason, ListKind, ListQuery, NewLead, NotUndoable, ShareStatus


def test_an_assignment_taken_back_is_a_new_change_in_the_history(world):
    anna = world.repo("anna")
    lead = new_lead(anna)
    after = anna.assign(lead.id, world.ids["jonas"], lead.assignment.version)
    result = anna.undo_assignments({lead.id: (after.version, world.ids["anna"])})
    assert (result.assigned, result.conflicts) == (1, ())
    now = anna.lead(lead.id)
    assert now.assignment.assignee.id == world.ids["anna"]
    assert now.assignment.version == after.version + 1
    assert [h.reason for h in now.history] == [
        AssignmentReason.UNDO,
        AssignmentReason.MANUAL,
        AssignmentReason.CREATED,
    ]
    assert anna.counts()[ListKind.MINE] == 1


def test_an_undo_leaves_a_lead_changed_meanwhile_alone(world):
    anna, jonas = world.repo("anna"), world.repo("jonas")
    lead = new_lead(anna)
    after = anna.assign(lead.id, world.ids["jonas"], lead.assignment.version)
    jonas.assign(lead.id, world.ids["markus"], after.version)
    result = anna.undo_assignments({lead.id: (after.version, world.ids["anna"])})
    assert (result.assigned, result.conflicts) == (0, (lead.id,))
    assert anna.assignment(lead.id).assignee.id == world.ids["markus"]


def test_a_bulk_assignment_taken_back_returns_each_lead_to_its_own_earlier_assignee(world):
    anna = world.repo("anna")
    mine, unassigned = new_lead(anna, "A"), anna.create_lead(NewLead(title="B"), unassigned=True)
    markus_lead = new_lead(anna, "C")
    markus_version = anna.assign(markus_lead.id, world.ids["markus"], markus_lead.assignment.version).version
    versions = {mine.id: 1, unassigned.id: 1, markus_lead.id: markus_version}
    bulk = anna.assign_many(versions, world.ids["jonas"])
    assert bulk.assigned == 3
    left = {lead_id: anna.assignment(lead_id).version for lead_id in versions}
    before = {mine.id: world.ids["anna"], unassigned.id: None, markus_lead.id: world.ids["markus"]}
    assert bulk.undo_targets() == {lead_id: (left[lead_id], before[lead_id]) for lead_id in versions}
    result = anna.undo_assignments(bulk.undo_targets())
    assert result.assigned == 3
    for lead_id, who in before.items():
        assignee = anna.assignment(lead_id).assignee
        assert (assignee.id if assignee else None) == who
    assert anna.counts()[ListKind.UNASSIGNED] == 1
    workload = {w.colleague.id: w.leads for w in anna.workload()}
    assert workload[world.ids["jonas"]] == 0 and workload[world.ids["markus"]] == 1


def test_a_bulk_undo_takes_back_all_but_the_leads_of_a_colleague_deactivated_since(world):
    """The leads that were Markus's before a bulk assignment stay with Jonas when Markus has
    left meanwhile; the others go back, and the result says which stayed and why."""
    anna = world.repo("anna")
    mine = new_lead(anna, "A")
    markus_lead = new_lead(anna, "M")
    markus_version = anna.assign(markus_lead.id, world.ids["markus"], markus_lead.assignment.version).version
    versions = {mine.id: 1, markus_lead.id: markus_version}
    anna.assign_many(versions, world.ids["jonas"])
    anna.deactivate(world.ids["markus"])
    left = {lead_id: anna.assignment(lead_id).version for lead_id in versions}
    before = {mine.id: world.ids["anna"], markus_lead.id: world.ids["markus"]}
    result = anna.undo_assignments({lead_id: (left[lead_id], before[lead_id]) for lead_id in versions})
    assert (result.assigned, result.conflicts, result.kept, result.inactive) == (
        1,
        (),
        (markus_lead.id,),
        ("Markus Schulz",),
    )
    assert anna.assignment(mine.id).assignee.id == world.ids["anna"]
    assert anna.assignment(markus_lead.id).assignee.id == world.ids["jonas"]


def test_a_decline_taken_back_opens_the_offer_again(world):
    anna, tim = world.repo("anna"), world.repo("tim")
    lead = new_lead(anna)
    share = anna.offer(lead.id, tim.company_id)
    tim.decline_offer(share.share_id, NO_CAPACITY)
    tim.reopen_offer(share.share_id)
    assert [r.share_id for r in tim.rows(ListQuery(kind=ListKind.OFFERS), 0, 10)] == [share.share_id]
    assert [s.status for s in anna.lead(lead.id).shares] == [ShareStatus.OFFERED]
    tim.accept_offer(share.share_id)  # and it can be decided anew
    assert tim.assignment(lead.id).assignee.id == world.ids["tim"]


def test_an_acceptance_taken_back_takes_the_lead_out_of_the_own_lists(world):
    anna, tim = world.repo("anna"), world.repo("tim")
    lead = new_lead(anna)
    share = anna.offer(lead.id, tim.company_id)
    tim.accept_offer(share.share_id)
    assert tim.counts()[ListKind.ALL] == 1
    tim.reopen_offer(share.share_id)
    counts = tim.counts()
    assert (counts[ListKind.ALL], counts[ListKind.MINE], counts[ListKind.OFFERS]) == (0, 0, 1)
    assert tim.rows(ListQuery(), 0, 10) == []
    assert [w.leads for w in tim.workload() if w.colleague.id == world.ids["tim"]] == [0]
    assert anna.assignment(lead.id).assignee.id == world.ids["anna"]  # the principal's is untouched
    tim.accept_offer(share.share_id)
    assert [h.reason for h in tim.lead(lead.id).history] == [AssignmentReason.OFFER_ACCEPTED]


@pytest.mark.parametrize("meanwhile", ["reassigned", "other colleague", "passed on"])
def test_an_acceptance_is_not_taken_back_once_worked_on_or_by_someone_else(world, meanwhile):
    anna, tim, julia = world.repo("anna"), world.repo("tim"), world.repo("julia")
    lead = new_lead(anna)
    share = anna.offer(lead.id, tim.company_id)
    accepted = tim.accept_offer(share.share_id)
    undoer = tim
    if meanwhile == "reassigned":
        julia.assign(lead.id, world.ids["julia"], accepted.version)
    elif meanwhile == "other colleague":
        undoer = julia
    else:
        partner = world.admin.add_company("Südwind")
        world.admin.add_partnership("Nordlicht", "Südwind")
        tim.offer(lead.id, partner.id)
    with pytest.raises(NotUndoable) as refused:
        undoer.reopen_offer(share.share_id)
    why = {
        "reassigned": "der Lead wurde inzwischen bearbeitet",
        "other colleague": "Tim Krüger hat das Leadangebot angenommen, nicht Sie",
        "passed on": "der Lead wurde inzwischen bearbeitet",
    }[meanwhile]
    assert why in str(refused.value) and "wieder offen" not in str(refused.value)
    assert tim.counts()[ListKind.ALL] == 1
    assert [s.status for s in anna.lead(lead.id).shares] == [ShareStatus.ACCEPTED]


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)  # row-level security
def test_acting_for_a_colleague_deletes_no_history_but_what_an_undo_removes(world):
    """The delete an undo needs is no licence to erase the company's history."""
    anna = world.repo("anna")
    lead = new_lead(anna)
    anna.assign(lead.id, world.ids["jonas"], lead.assignment.version)
    with world.behind_the_wall("anna") as conn:
        assert conn.execute(text("DELETE FROM assignment_history")).rowcount == 0
        assert conn.execute(text("DELETE FROM company_leads")).rowcount == 0
    assert len(anna.lead(lead.id).history) == 2


def test_several_offers_are_decided_in_one_call_skipping_those_settled_meanwhile(world):
    """What `a`/`d` on marked offers ask of the repository: one call, each offer its own
    transaction, one a colleague settled first skipped and counted."""
    anna, tim, julia = world.repo("anna"), world.repo("tim"), world.repo("julia")
    shares = [anna.offer(new_lead(anna, f"Angebot {i}").id, tim.company_id).share_id for i in range(3)]
    julia.decline_offer(shares[1], NO_CAPACITY)
    result = tim.decide_offers(tuple(shares), accept=True)
    assert (result.shares, result.skipped) == ((shares[0], shares[2]), 1)
    assert tim.counts()[ListKind.MINE] == 2 and tim.counts()[ListKind.OFFERS] == 0
    assert tim.reopen_offers(result.shares).assigned == 2  # and `u` takes them back


def test_the_undo_history_keeps_the_newest_changes_and_gives_them_back_newest_first():
    from leadtui.ui.undo import UNDO_DEPTH, Undo, UndoHistory

    history = UndoHistory()
    for n in range(UNDO_DEPTH + 3):
        history.push(Undo(call=lambda: None, what=f"Änderung {n}"))  # type: ignore[arg-type, return-value]
    assert len(history) == UNDO_DEPTH
    taken = [history.pop().what for _ in range(UNDO_DEPTH)]
    assert taken == [f"Änderung {n}" for n in reversed(range(3, UNDO_DEPTH + 3))]
    assert history.pop() is None and not history
