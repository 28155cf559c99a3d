"""Rule 25 (docs/rules.md): an escalation ladder - when an offer is declined or expires, the lead
goes to the next partner on it, with that partnership's window from then; the principal's lead
shows each step. On SQLite and PostgreSQL, with a clock the test sets."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from helpers import StandingClock, at_once, new_lead, open_first_of_mine, press, settle, text_of
from sqlalchemy import delete

from leadtui.db.models import PartnershipModel
from leadtui.domain import Decline, DeclineReason, InvalidInput, ListKind, ListQuery, NotificationKind, ShareStatus
from leadtui.repository.due import DueWork
from leadtui.ui.screens.dialogs import PassOn, PassOnDialog

START = datetime(2026, 12, 6, 10, 0)
OFFERS = ListQuery(kind=ListKind.OFFERS)


@pytest.fixture
def laddered(any_world):
    """Sonnenstrom with two partners: Nordlicht (48 hours) and Rheinwerk (24 hours)."""
    world = any_world
    world.clock = StandingClock(START)
    world.admin.add_partnership("Sonnenstrom", "Rheinwerk")
    anna = world.repo("anna")
    anna.set_partner_window(world.repo("tim").company_id, 48)
    anna.set_partner_window(world.repo("paul").company_id, 24)
    return world


def climb(world) -> int:
    return DueWork(world.engine, world.clock).run().escalated


def outgoing(repo, lead_id: int) -> dict[str, object]:
    return {s.partner_name: s for s in repo.lead(lead_id).shares if s.outgoing}


def test_a_decline_passes_the_lead_to_the_next_partner_with_a_fresh_window(laddered):
    world = laddered
    anna, tim, paul = world.repo("anna"), world.repo("tim"), world.repo("paul")
    lead = new_lead(anna, "Wärmepumpe Hofer")
    first = anna.offer(lead.id, tim.company_id, then=(paul.company_id,))
    assert outgoing(anna, lead.id)["Nordlicht"].label.endswith(", danach Rheinwerk")
    assert not any("Rheinwerk" in s.label for s in tim.lead(lead.id).shares)  # the ladder is the principal's
    world.clock.now = START + timedelta(hours=2)
    tim.decline_offer(first.share_id, Decline(DeclineReason.NO_CAPACITY))
    world.clock.now = START + timedelta(hours=3)  # the next due run
    assert climb(world) == 1 and climb(world) == 0

    offers = paul.rows(OFFERS, 0, 10)
    assert [(r.id, r.deadline) for r in offers] == [(lead.id, START + timedelta(hours=27))]
    told = [n.text for n in paul.notifications() if n.kind is NotificationKind.OFFER]
    assert told == ["Neues Leadangebot von Sonnenstrom: Wärmepumpe Hofer"]
    shares = outgoing(anna, lead.id)
    assert shares["Rheinwerk"].escalated and shares["Rheinwerk"].status is ShareStatus.OFFERED
    assert (
        shares["Rheinwerk"].label == "Weitergegeben an Rheinwerk (Eskalation) – angeboten, Frist bis 07.12.2026 13:00"
    )
    steps = [(e.author, e.text) for e in anna.lead(lead.id).journal if e.author in ("Nordlicht", "Rheinwerk")]
    assert steps == [
        ("Rheinwerk", "Leadangebot weitergegeben – nächste Stufe der Eskalation"),
        ("Nordlicht", "Leadangebot abgelehnt – Grund: keine Kapazität"),
    ]
    assert paul.accept_offer(offers[0].share_id).assignee.name == "Paul Richter"


def test_an_expiry_climbs_in_the_same_run_and_the_last_step_ends_the_ladder(laddered):
    world = laddered
    anna, tim, paul = world.repo("anna"), world.repo("tim"), world.repo("paul")
    lead = new_lead(anna, "Speicher Mayer")
    anna.offer(lead.id, tim.company_id, then=(paul.company_id,))
    world.clock.now = START + timedelta(hours=48)
    done = DueWork(world.engine, world.clock).run()
    assert (done.expired, done.escalated) == (1, 1)
    told = [n.text for n in anna.notifications() if n.kind is NotificationKind.DECLINED]
    assert told == [
        "Leadangebot an Nordlicht abgelaufen (Frist 08.12.2026 10:00), die Eskalation geht weiter: Speicher Mayer"
    ]
    world.clock.now = START + timedelta(hours=72)  # Rheinwerk's 24 hours are over too
    done = DueWork(world.engine, world.clock).run()
    assert (done.expired, done.escalated) == (1, 0)
    assert {name: s.status for name, s in outgoing(anna, lead.id).items()} == {
        "Nordlicht": ShareStatus.EXPIRED,
        "Rheinwerk": ShareStatus.EXPIRED,
    }


def test_a_ladder_that_cannot_be_is_refused_and_nothing_is_offered(laddered):
    world = laddered
    anna, tim, paul = world.repo("anna"), world.repo("tim"), world.repo("paul")
    lead = new_lead(anna, "Wallbox Klein")
    for then, message in (
        ((tim.company_id,), "zweimal"),  # the first partner again
        ((paul.company_id, paul.company_id), "zweimal"),
        ((anna.company_id,), "nicht Ihr Vertriebspartner"),  # the own company
        ((10_000,), "nicht Ihr Vertriebspartner"),
        (tuple(range(1, 13)), "höchstens 10"),
    ):
        with pytest.raises(InvalidInput, match=message):
            anna.offer(lead.id, tim.company_id, then=then)
    assert anna.lead(lead.id).shares == ()


def test_a_withdrawn_offer_goes_to_nobody_else(laddered):
    world = laddered
    anna, tim, paul = world.repo("anna"), world.repo("tim"), world.repo("paul")
    lead = new_lead(anna, "PV Dach Berg")
    share = anna.offer(lead.id, tim.company_id, then=(paul.company_id,))
    anna.withdraw_offers((share.share_id,))
    world.clock.now = START + timedelta(hours=100)
    assert climb(world) == 0 and paul.rows(OFFERS, 0, 10) == []


def test_the_ladder_passes_over_a_partner_that_has_the_lead_or_is_none_any_more(laddered):
    world = laddered
    world.admin.add_company("Ostwind")
    world.add("olga", "Ostwind", "Olga Berg")
    world.admin.add_partnership("Sonnenstrom", "Ostwind")
    anna, tim, paul = world.repo("anna"), world.repo("tim"), world.repo("paul")
    olga = world.repo("olga")
    lead = new_lead(anna, "Carport Lang")
    paul.accept_offer(anna.offer(lead.id, paul.company_id).share_id)  # Rheinwerk works it already
    other = new_lead(anna, "Carport Kurz")
    share = anna.offer(lead.id, tim.company_id, then=(paul.company_id, olga.company_id))
    second = anna.offer(other.id, tim.company_id, then=(olga.company_id,))
    tim.decline_offer(share.share_id, Decline(DeclineReason.DUPLICATE))
    assert climb(world) == 1
    assert [r.id for r in olga.rows(OFFERS, 0, 10)] == [lead.id]  # Rheinwerk passed over, Ostwind offered
    assert outgoing(anna, lead.id)["Ostwind"].deadline is None  # no default window with Ostwind
    # a partnership ended meanwhile (no offers between them yet): that step is passed over
    world.admin.add_company("Westwind")
    world.add("wera", "Westwind", "Wera Voss")
    world.admin.add_partnership("Sonnenstrom", "Westwind")
    wera = world.repo("wera")
    third = new_lead(anna, "Carport Mittel")
    offered = anna.offer(third.id, tim.company_id, then=(wera.company_id,))
    with world.engine.begin() as conn:
        conn.execute(delete(PartnershipModel).where(PartnershipModel.partner_id == wera.company_id))
    tim.decline_offer(offered.share_id, Decline(DeclineReason.NO_NEED))
    tim.decline_offer(second.share_id, Decline(DeclineReason.NO_NEED))
    assert climb(world) == 1  # the other lead to Ostwind; nothing to Westwind
    assert wera.rows(OFFERS, 0, 10) == []


def test_two_runs_at_once_take_each_step_once(laddered):
    world = laddered
    anna, tim, paul = world.repo("anna"), world.repo("tim"), world.repo("paul")
    for i in range(5):
        lead = new_lead(anna, f"Lead {i}")
        tim.decline_offer(
            anna.offer(lead.id, tim.company_id, then=(paul.company_id,)).share_id, Decline(DeclineReason.NO_NEED)
        )
    outcomes = at_once([DueWork(world.engine, world.clock).run for _ in range(3)])
    assert sum(o.escalated for o in outcomes) == 5, outcomes
    assert len(paul.rows(OFFERS, 0, 10)) == 5
    assert sum(n.count for n in paul.notifications() if n.kind is NotificationKind.OFFER) == 5


async def test_space_orders_the_partners_of_a_ladder(make_app):
    app = make_app()
    repo = app.repository
    async with app.run_test(size=(120, 36)) as pilot:
        lead = await open_first_of_mine(app, pilot)
        await press(pilot, "w")
        chooser = app.screen
        assert isinstance(chooser, PassOn) and chooser.partners[0].name == "Alpenland Solar KG"
        await press(pilot, "down", "space", "up", "space")  # Nordlicht first, then Alpenland
        prompts = [str(o.prompt) for o in chooser.query_one("#partners").options]
        assert prompts == ["2. Alpenland Solar KG", "1. Nordlicht Vertrieb GmbH · Frist 2 Tage"]
        await press(pilot, "enter")
        dialog = app.screen
        assert isinstance(dialog, PassOnDialog)
        assert "Bei Ablehnung oder Ablauf danach an: Alpenland Solar KG." in text_of(dialog.query_one(".dialog-title"))
        await press(pilot, "enter")
        await settle(pilot)
        shares = {s.partner_name: s for s in repo.lead(lead.id).shares}
        assert list(shares) == ["Nordlicht Vertrieb GmbH"]
        assert shares["Nordlicht Vertrieb GmbH"].then == ("Alpenland Solar KG",)
