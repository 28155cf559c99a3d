"""The announcement's rules (docs/rules.md, rules 1-9), each proven through the repository on
SQLite and PostgreSQL. Section headers name the rule they prove."""

from __future__ import annotations

import threading

import pytest
from helpers import NO_CAPACITY, new_lead, passed_on_lead
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from leadtui.db.models import AssignmentHistoryModel, CompanyLeadModel
from leadtui.domain import (
    AccessDenied,
    AlreadyDecided,
    AssignmentReason,
    Conflict,
    InvalidInput,
    ListKind,
    ListQuery,
    NewLead,
    NotAssignable,
    NotFound,
    ShareStatus,
)
from leadtui.repository import Repository


def history_rows(engine):
    with engine.connect() as conn:
        return conn.execute(select(AssignmentHistoryModel)).all()


# Rule 1 -------------------------------------------------------------------------------------


def test_lead_has_at_most_one_assignee_per_company_and_may_have_none(world):
    anna = world.repo("anna")
    lead = new_lead(anna)
    a = anna.assign(lead.id, world.ids["jonas"], lead.assignment.version)
    a = anna.assign(lead.id, world.ids["markus"], a.version)
    assert a.assignee.id == world.ids["markus"]
    a = anna.assign(lead.id, None, a.version)
    assert a.assignee is None
    assert anna.lead(lead.id).assignment.assignee is None
    with world.engine.connect() as conn:
        rows = conn.execute(select(CompanyLeadModel).where(CompanyLeadModel.lead_id == lead.id)).all()
    assert len(rows) == 1


# Rule 2 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "message"),
    [("tim", "in Ihrer Firma nicht"), ("paul", "in Ihrer Firma nicht"), (None, "in Ihrer Firma nicht")],
)
def test_only_colleagues_of_own_company_are_assignable(world, target, message):
    anna = world.repo("anna")
    lead = new_lead(anna)
    before = history_rows(world.engine)
    target_id = world.ids[target] if target else 999_999
    with pytest.raises(NotAssignable, match=message):
        anna.assign(lead.id, target_id, lead.assignment.version)
    assert anna.assignment(lead.id) == lead.assignment
    assert history_rows(world.engine) == before


def test_inactive_colleague_is_refused_and_nothing_written(world):
    anna = world.repo("anna")
    lead = new_lead(anna)
    anna.deactivate(world.ids["markus"])
    with pytest.raises(NotAssignable, match="Markus Schulz ist inaktiv"):
        anna.assign(lead.id, world.ids["markus"], lead.assignment.version)
    assert anna.assignment(lead.id) == lead.assignment


def test_database_itself_refuses_cross_company_assignment(world):
    anna = world.repo("anna")
    lead = new_lead(anna)
    with pytest.raises(IntegrityError), world.engine.begin() as conn:
        conn.execute(
            update(CompanyLeadModel).where(CompanyLeadModel.lead_id == lead.id).values(colleague_id=world.ids["paul"])
        )
    with pytest.raises(IntegrityError), world.engine.begin() as conn:
        conn.execute(
            insert(CompanyLeadModel).values(
                company_id=world.repo("tim").company_id,
                lead_id=lead.id,
                colleague_id=world.ids["anna"],
                version=1,
                via="accepted",
            )
        )


# Rule 3 -------------------------------------------------------------------------------------


def test_any_colleague_may_assign_reassign_unassign_visible_leads(world):
    anna, jonas = world.repo("anna"), world.repo("jonas")
    lead = new_lead(anna)
    a = jonas.assign(lead.id, world.ids["jonas"], lead.assignment.version)
    a = jonas.assign(lead.id, world.ids["markus"], a.version)
    a = anna.assign(lead.id, None, a.version)
    assert anna.assignment(lead.id).assignee is None
    # and on an accepted lead, any colleague of the partner may
    lead_id = passed_on_lead(world)
    julia = world.repo("julia")
    a = julia.assign(lead_id, world.ids["julia"], julia.assignment(lead_id).version)
    assert a.assignee.name == "Julia Neumann"


def test_leads_the_company_cannot_see_cannot_be_assigned(world):
    lead = new_lead(world.repo("anna"))
    with pytest.raises(NotFound):
        world.repo("paul").assign(lead.id, world.ids["paul"], 1)


# Rule 4 -------------------------------------------------------------------------------------


def test_visibility_own_and_accepted_only(world):
    anna, tim, paul = world.repo("anna"), world.repo("tim"), world.repo("paul")
    accepted = passed_on_lead(world)
    pending = new_lead(anna, "Wärmepumpe")
    anna.offer(pending.id, tim.company_id)
    declined = new_lead(anna, "Wallbox")
    share = anna.offer(declined.id, tim.company_id)
    tim.decline_offer(share.share_id, NO_CAPACITY)

    def visible(repo):
        return {row.id for row in repo.rows(ListQuery(kind=ListKind.ALL), 0, 100)}

    assert visible(anna) == {accepted, pending.id, declined.id}
    assert visible(tim) == {accepted}
    assert visible(paul) == set()
    assert {r.id for r in tim.rows(ListQuery(kind=ListKind.OFFERS), 0, 10)} == {pending.id}
    with pytest.raises(NotFound):
        paul.lead(accepted)
    with pytest.raises(NotFound):
        tim.lead(declined.id)
    offered = tim.lead(pending.id)
    assert not offered.visible and offered.assignment is None and offered.pending_offer_id


def test_assignment_never_changes_visibility(world):
    anna, jonas, tim = world.repo("anna"), world.repo("jonas"), world.repo("tim")
    lead_id = passed_on_lead(world)
    before = {name: world.repo(name).count(ListQuery()) for name in ("anna", "jonas", "tim", "julia", "paul")}
    anna.assign(lead_id, world.ids["jonas"], anna.assignment(lead_id).version)
    anna.assign(lead_id, None, anna.assignment(lead_id).version)
    tim.assign(lead_id, None, tim.assignment(lead_id).version)
    after = {name: world.repo(name).count(ListQuery()) for name in before}
    assert before == after
    assert jonas.lead(lead_id).visible and world.repo("julia").lead(lead_id).visible


# Rule 5 -------------------------------------------------------------------------------------


def test_lead_created_by_hand_is_assigned_to_creator(world):
    jonas = world.repo("jonas")
    lead = new_lead(jonas)
    assert lead.assignment.assignee.id == world.ids["jonas"]
    assert lead.history[0].reason is AssignmentReason.CREATED
    assert lead.history[0].to_name == "Jonas Weber"
    assert [r.id for r in jonas.rows(ListQuery(kind=ListKind.MINE), 0, 10)] == [lead.id]


def test_a_lead_created_for_a_colleague_or_nobody(world):
    """The creator may create a lead for an active colleague of the own company (recorded as
    assigned at creation, by the creator), or unassigned; never for a stranger or an inactive
    colleague - and a refused creation leaves no lead behind."""
    anna = world.repo("anna")
    lead = anna.create_lead(NewLead(title="Für Jonas"), for_colleague=world.ids["jonas"])
    assert lead.assignment.assignee.id == world.ids["jonas"]
    assert [(h.to_name, h.by_name, h.reason) for h in lead.history] == [
        ("Jonas Weber", "Anna Becker", AssignmentReason.CREATED)
    ]
    assert [r.id for r in world.repo("jonas").rows(ListQuery(kind=ListKind.MINE), 0, 10)] == [lead.id]
    pool = anna.create_lead(NewLead(title="Für alle"), unassigned=True)
    assert pool.assignment.assignee is None and pool.history == ()
    assert [r.id for r in anna.rows(ListQuery(kind=ListKind.UNASSIGNED), 0, 10)] == [pool.id]
    anna.deactivate(world.ids["markus"])
    counts = anna.counts()
    for stranger in (world.ids["tim"], world.ids["markus"]):
        with pytest.raises(NotAssignable):
            anna.create_lead(NewLead(title="Nie"), for_colleague=stranger)
    assert anna.counts() == counts
    assert anna.count(ListQuery(search="nie")) == 0


def test_invalid_new_lead_is_refused(world):
    anna = world.repo("anna")
    with pytest.raises(InvalidInput) as error:
        anna.create_lead(NewLead(title=" ", email="kaputt"))
    assert set(error.value.errors) == {"title", "email"}
    assert anna.count(ListQuery()) == 0


# Rule 6 -------------------------------------------------------------------------------------


def test_accepting_an_offer_assigns_the_accepting_colleague(world):
    anna, julia = world.repo("anna"), world.repo("julia")
    lead = new_lead(anna)
    share = anna.offer(lead.id, julia.company_id)
    assignment = julia.accept_offer(share.share_id)
    assert assignment.assignee.id == world.ids["julia"]
    detail = julia.lead(lead.id)
    assert detail.history[0].reason is AssignmentReason.OFFER_ACCEPTED
    assert julia.count(ListQuery(kind=ListKind.OFFERS)) == 0
    with pytest.raises(AlreadyDecided, match="bereits von Ihrer Firma angenommen"):
        world.repo("tim").accept_offer(share.share_id)


def test_two_colleagues_accepting_at_once_give_one_acceptance(world):
    anna = world.repo("anna")
    lead = new_lead(anna)
    share = anna.offer(lead.id, world.repo("tim").company_id)
    repos = [world.repo("tim"), world.repo("julia")]
    barrier = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def accept(i):
        barrier.wait()
        try:
            outcomes[i] = repos[i].accept_offer(share.share_id)
        except Exception as error:  # noqa: BLE001 - the test inspects what happened
            outcomes[i] = error

    threads = [threading.Thread(target=accept, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [o for o in outcomes if not isinstance(o, Exception)]
    losers = [o for o in outcomes if isinstance(o, Exception)]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], AlreadyDecided)
    assert "bereits von Ihrer Firma angenommen" in str(losers[0])
    assert repos[0].assignment(lead.id) == winners[0]


def test_offer_only_to_partners_and_not_twice(world):
    anna, tim = world.repo("anna"), world.repo("tim")
    lead = new_lead(anna)
    with pytest.raises(AccessDenied):
        anna.offer(lead.id, world.repo("paul").company_id)
    share = anna.offer(lead.id, tim.company_id)
    with pytest.raises(AlreadyDecided):
        anna.offer(lead.id, tim.company_id)
    tim.decline_offer(share.share_id, NO_CAPACITY)
    again = anna.offer(lead.id, tim.company_id)
    assert again.status is ShareStatus.OFFERED
    assert tim.count(ListQuery(kind=ListKind.OFFERS)) == 1


# Rule 7 -------------------------------------------------------------------------------------


def test_principal_learns_nothing_of_partner_assignment(world):
    anna, tim = world.repo("anna"), world.repo("tim")
    lead_id = passed_on_lead(world)
    tim.assign(lead_id, world.ids["julia"], tim.assignment(lead_id).version)
    anna.assign(lead_id, None, anna.assignment(lead_id).version)
    detail = anna.lead(lead_id)
    assert detail.assignment.assignee is None
    assert all(h.to_name not in ("Tim Krüger", "Julia Neumann") for h in detail.history)
    assert all(h.from_name not in ("Tim Krüger", "Julia Neumann") for h in detail.history)
    passed = anna.rows(ListQuery(kind=ListKind.PASSED_ON), 0, 10)
    assert [row.assignee for row in passed] == [None]
    assert "Julia" not in repr(detail) and "Tim" not in repr(detail) and "Tim" not in repr(passed)
    with pytest.raises(NotFound):
        anna.rows(ListQuery(colleague_id=world.ids["julia"]), 0, 10)
    assert anna.count(ListQuery(kind=ListKind.UNASSIGNED)) == 1


def test_partner_learns_nothing_of_principal_assignment(world):
    anna, tim = world.repo("anna"), world.repo("tim")
    lead_id = passed_on_lead(world)
    anna.assign(lead_id, world.ids["jonas"], anna.assignment(lead_id).version)
    tim.assign(lead_id, None, tim.assignment(lead_id).version)
    detail = tim.lead(lead_id)
    assert detail.assignment.assignee is None
    text = repr(detail) + repr(tim.rows(ListQuery(), 0, 10)) + repr(tim.colleagues(include_inactive=True))
    for name in ("Anna", "Jonas", "Markus"):
        assert name not in text
    with pytest.raises(NotFound):
        tim.rows(ListQuery(colleague_id=world.ids["jonas"]), 0, 10)
    assert tim.rows(ListQuery(kind=ListKind.MINE), 0, 10) == []


def test_offer_detail_shows_no_assignment_of_principal(world):
    anna, tim = world.repo("anna"), world.repo("tim")
    lead = new_lead(anna)
    anna.offer(lead.id, tim.company_id)
    detail = tim.lead(lead.id)
    assert detail.assignment is None and detail.history == () and detail.shares == ()
    offers = tim.rows(ListQuery(kind=ListKind.OFFERS), 0, 10)
    assert offers[0].assignee is None and "Anna" not in repr(offers)


# Rule 8 -------------------------------------------------------------------------------------


def test_stale_version_raises_conflict_naming_current_state(world):
    anna, jonas = world.repo("anna"), world.repo("jonas")
    lead = new_lead(anna)
    stale = lead.assignment.version
    jonas.assign(lead.id, world.ids["jonas"], stale)
    with pytest.raises(Conflict) as error:
        anna.assign(lead.id, None, stale)
    assert error.value.current.assignee.name == "Jonas Weber"
    assert "Jonas Weber" in str(error.value)
    assert anna.assignment(lead.id).assignee.name == "Jonas Weber"


def test_bulk_assignment_skips_leads_changed_meanwhile(world):
    anna, jonas = world.repo("anna"), world.repo("jonas")
    leads = [new_lead(anna, f"Lead {i}") for i in range(3)]
    versions = {lead.id: lead.assignment.version for lead in leads}
    jonas.assign(leads[0].id, None, versions[leads[0].id])
    result = anna.assign_many(versions, world.ids["jonas"])
    assert result.assigned == 2 and result.conflicts == (leads[0].id,)
    assert anna.assignment(leads[0].id).assignee is None
    assert anna.lead(leads[1].id).history[0].reason is AssignmentReason.BULK


# Rule 9 -------------------------------------------------------------------------------------


def test_deactivation_keeps_assignments_and_handover_moves_them(world):
    anna = world.repo("anna")
    leads = [new_lead(anna, f"Lead {i}") for i in range(3)]
    for lead in leads[:2]:
        anna.assign(lead.id, world.ids["markus"], lead.assignment.version)
    anna.deactivate(world.ids["markus"])
    orphaned = anna.rows(ListQuery(kind=ListKind.ORPHANED), 0, 10)
    assert {row.id for row in orphaned} == {leads[0].id, leads[1].id}
    assert orphaned[0].assignee.display_name == "Markus Schulz (inaktiv)"
    assert world.ids["markus"] not in {c.id for c in anna.colleagues()}
    moved = anna.hand_over(world.ids["markus"], world.ids["jonas"])
    assert moved == 2
    assert anna.count(ListQuery(kind=ListKind.ORPHANED)) == 0
    detail = anna.lead(leads[0].id)
    assert detail.assignment.assignee.name == "Jonas Weber"
    assert detail.history[0].reason is AssignmentReason.HANDOVER
    assert detail.history[0].from_name == "Markus Schulz"


def test_handover_only_from_inactive_to_active(world):
    anna = world.repo("anna")
    with pytest.raises(NotAssignable):
        anna.hand_over(world.ids["jonas"], world.ids["anna"])
    anna.deactivate(world.ids["markus"])
    with pytest.raises(NotAssignable):
        anna.hand_over(world.ids["markus"], world.ids["tim"])


# Scope fails closed ---------------------------------------------------------------------------


def test_repository_needs_a_known_active_colleague(world):
    with pytest.raises(AccessDenied):
        Repository(world.engine, 999_999)
    world.admin.set_active("markus@example.org", False)
    with pytest.raises(AccessDenied):
        world.repo("markus")


def test_deactivated_actor_can_no_longer_write(world):
    jonas = world.repo("jonas")
    lead = new_lead(jonas)
    world.repo("anna").deactivate(world.ids["jonas"])
    with pytest.raises(AccessDenied):
        jonas.assign(lead.id, None, lead.assignment.version)


def test_colleague_from_other_company_cannot_be_deactivated(world):
    with pytest.raises(NotFound):
        world.repo("anna").deactivate(world.ids["tim"])
    assert world.repo("tim").me.active


def test_settings_are_per_colleague(world):
    anna, jonas = world.repo("anna"), world.repo("jonas")
    anna.save_setting("columns", "title,colleague")
    anna.save_setting("columns", "title")
    assert world.repo("anna").setting("columns") == "title"
    assert jonas.setting("columns", "default") == "default"
