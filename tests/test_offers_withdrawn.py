"""Rule 22 (docs/rules.md): the principal withdraws a pending lead offer, asked first; passing
on asks first, naming the partner, and `u` withdraws what was just offered. A partner who
accepts at the same moment either wins or is told it was withdrawn. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from helpers import NO_CAPACITY, at_once, new_lead, open_first_of_mine, press, pumped_app, settle

from leadtui.domain import AlreadyDecided, ListKind, ListQuery, NotFound, ShareStatus
from leadtui.ui.app import COALESCE_S
from leadtui.ui.screens.detail import LeadDetailScreen
from leadtui.ui.screens.dialogs import Confirm, PassOn, PassOnDialog


def offered_to_nordlicht(world, title: str = "Wärmepumpe Hofer"):
    anna, tim = world.repo("anna"), world.repo("tim")
    lead = new_lead(anna, title)
    return anna, tim, lead, anna.offer(lead.id, tim.company_id).share_id


def passed_on_status(repo, lead_id: int) -> ShareStatus | None:
    row = next(r for r in repo.rows(ListQuery(kind=ListKind.PASSED_ON), 0, 100) if r.id == lead_id)
    return row.share_status


def test_a_withdrawn_offer_leaves_the_partner_and_may_be_made_again(any_world):
    anna, tim, lead, share = offered_to_nordlicht(any_world)
    assert tim.count(ListQuery(kind=ListKind.OFFERS)) == 1
    result = anna.withdraw_offers((share,))
    assert (result.assigned, result.conflicts) == (1, ())
    assert tim.count(ListQuery(kind=ListKind.OFFERS)) == 0
    assert tim.rows(ListQuery(kind=ListKind.OFFERS), 0, 10) == []
    with pytest.raises(AlreadyDecided, match="zurückgezogen"):
        tim.accept_offer(share)
    with pytest.raises(NotFound):  # nothing of it is the partner's any more
        tim.lead(lead.id)
    assert passed_on_status(anna, lead.id) is ShareStatus.WITHDRAWN
    assert anna.offer(lead.id, tim.company_id).share_id == share  # offered again, the same offer
    assert tim.count(ListQuery(kind=ListKind.OFFERS)) == 1


def test_a_decided_offer_stays_decided(any_world):
    anna, tim, lead, share = offered_to_nordlicht(any_world)
    tim.accept_offer(share)
    result = anna.withdraw_offers((share,))
    assert (result.assigned, result.conflicts) == (0, (share,))
    assert tim.assignment(lead.id).assignee.name == "Tim Krüger"


def test_only_the_principal_withdraws_and_others_learn_nothing(any_world):
    anna, tim, _, share = offered_to_nordlicht(any_world)
    for other in (tim, any_world.repo("paul"), any_world.repo("julia")):
        with pytest.raises(NotFound, match="Leadangebot nicht gefunden"):
            other.withdraw_offers((share,))
    with pytest.raises(NotFound, match="Leadangebot nicht gefunden"):  # the same answer as for none
        anna.withdraw_offers((share, 999_999))
    assert tim.count(ListQuery(kind=ListKind.OFFERS)) == 1  # nothing withdrawn by a refused call


def test_accepting_and_withdrawing_at_once_is_one_or_the_other(any_world):
    anna, tim = any_world.repo("anna"), any_world.repo("tim")
    accepted = withdrawn = 0
    for n in range(6):
        lead = new_lead(anna, f"Rennen {n}")
        share = anna.offer(lead.id, tim.company_id).share_id
        accept, withdraw = at_once([lambda s=share: tim.accept_offer(s), lambda s=share: anna.withdraw_offers((s,))])
        if isinstance(accept, AlreadyDecided):
            assert "zurückgezogen" in str(accept) and withdraw.assigned == 1
            assert passed_on_status(anna, lead.id) is ShareStatus.WITHDRAWN
            withdrawn += 1
        else:
            assert withdraw.conflicts == (share,) and tim.assignment(lead.id).assignee.name == "Tim Krüger"
            assert passed_on_status(anna, lead.id) is ShareStatus.ACCEPTED
            accepted += 1
    assert accepted + withdrawn == 6


def test_an_undo_of_a_pass_on_withdraws_what_is_still_pending(any_world):
    anna, tim = any_world.repo("anna"), any_world.repo("tim")
    leads = [new_lead(anna, f"Dach {n}").id for n in range(3)]
    passed = anna.offer_many(tuple(leads), tim.company_id)
    assert len(passed.shares) == 3
    tim.decline_offer(passed.shares[0], NO_CAPACITY)
    undone = anna.withdraw_offers(passed.shares)
    assert (undone.assigned, undone.conflicts) == (2, (passed.shares[0],))
    assert tim.count(ListQuery(kind=ListKind.OFFERS)) == 0


# --- in the app --------------------------------------------------------------------------------


async def test_passing_on_asks_naming_the_partner_and_u_withdraws_it(make_app):
    app = make_app()
    repo = app.repository
    async with app.run_test(size=(120, 36)) as pilot:
        lead = await open_first_of_mine(app, pilot)
        await press(pilot, "w")
        assert isinstance(app.screen, PassOn)
        await press(pilot, "enter")  # Alpenland Solar KG, the first
        assert isinstance(app.screen, PassOnDialog)
        await press(pilot, "escape")  # no: nothing is offered
        assert isinstance(app.screen, LeadDetailScreen) and app.screen.lead.shares == ()
        await press(pilot, "w", "enter", "enter")
        await settle(pilot)
        assert [s.status for s in app.screen.lead.shares] == [ShareStatus.OFFERED]
        assert any("weitergegeben" in n.message and "u: Rückgängig" in n.message for n in app._notifications)
        await press(pilot, "u")
        await settle(pilot)
        assert [s.status for s in repo.lead(lead.id).shares] == [ShareStatus.WITHDRAWN]


async def test_z_withdraws_a_pending_offer_after_a_yes_and_the_partners_app_drops_it(world):
    anna_repo, tim_repo = world.repo("anna"), world.repo("tim")
    lead = new_lead(anna_repo, "Speicher Nachrüstung")
    share = anna_repo.offer(lead.id, tim_repo.company_id).share_id
    anna, _, _ = pumped_app(anna_repo)
    tim, tim_feed, tim_timers = pumped_app(tim_repo)
    async with anna.run_test(size=(120, 36)) as anna_pilot, tim.run_test(size=(120, 36)) as tim_pilot:
        await settle(anna_pilot)
        await settle(tim_pilot)
        await press(tim_pilot, "6")
        assert tim.screen.table.count == 1
        anna.open_lead(lead.id)
        await settle(anna_pilot)
        await press(anna_pilot, "z")
        assert isinstance(anna.screen, Confirm)
        assert "an Nordlicht zurückziehen?" in str(anna.screen.query_one(".dialog-title").render())
        await press(anna_pilot, "j")
        await settle(anna_pilot)
        assert any("zurückgezogen" in n.message for n in anna._notifications)
        assert anna_repo.withdraw_offers((share,)).conflicts == (share,)  # it is withdrawn already
        assert await tim_feed.pump(tim_pilot, change=True)
        tim_timers.advance(COALESCE_S)
        await settle(tim_pilot)
        assert tim.screen.table.count == 0
