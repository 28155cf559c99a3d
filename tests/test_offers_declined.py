"""Rule 23 (docs/rules.md): a partner declines a lead offer with a reason, chosen with one key
(1-5; "Sonstiges" with a short text), one reason for all marked. The reason reaches the principal
only - on the offer, in the lead's journal and in a notification to the colleague who passed it
on - and never names the partner's colleague. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from helpers import new_lead, press, settle, text_of
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from textual.widgets import OptionList

from leadtui.domain import (
    Decline,
    DeclineReason,
    InvalidInput,
    JournalKind,
    ListKind,
    ListQuery,
    NotificationKind,
    ShareStatus,
    stored_decline,
)
from leadtui.domain.columns import SHARE_STATUS
from leadtui.ui.screens.detail import LeadDetailScreen
from leadtui.ui.screens.dialogs import DeclineDialog
from leadtui.ui.screens.leads import LeadsScreen

ONLY_HOMES = Decline(DeclineReason.OTHER, "Nur Privatkunden")


def offered(world, title: str = "Wärmepumpe Hofer"):
    anna, tim = world.repo("anna"), world.repo("tim")
    lead = new_lead(anna, title)
    return anna, tim, lead, anna.offer(lead.id, tim.company_id).share_id


def outgoing(repo, lead_id: int):
    return next(s for s in repo.lead(lead_id).shares if s.outgoing)


def test_the_reason_reaches_the_principal_and_nobody_else(any_world):
    world = any_world
    world.admin.add_partnership("Sonnenstrom", "Rheinwerk")
    anna, tim, lead, share = offered(world)
    paul = world.repo("paul")
    paul.accept_offer(anna.offer(lead.id, paul.company_id).share_id)  # Rheinwerk holds the lead too
    tim.decline_offer(share, ONLY_HOMES)

    nordlicht = next(s for s in anna.lead(lead.id).shares if s.partner_name == "Nordlicht")
    assert nordlicht.status is ShareStatus.DECLINED and nordlicht.declined_because == ONLY_HOMES
    assert nordlicht.label == "Weitergegeben an Nordlicht – abgelehnt: Sonstiges: Nur Privatkunden"
    line = next(e for e in anna.lead(lead.id).journal if "abgelehnt" in e.text)
    assert line.kind is JournalKind.EVENT and line.author == "Nordlicht" and not line.own
    assert line.text == "Leadangebot abgelehnt – Grund: Sonstiges: Nur Privatkunden"
    told = [n for n in anna.notifications() if n.kind is NotificationKind.DECLINED]
    assert [n.text for n in told] == [
        "Nordlicht lehnt Ihr Leadangebot ab (Sonstiges: Nur Privatkunden): Wärmepumpe Hofer"
    ]
    assert all("Tim" not in n.text for n in told)  # the company, never its colleague

    # Rheinwerk holds the lead directly with Sonnenstrom: it learns nothing of Nordlicht's answer
    assert all("abgelehnt" not in e.text and "Privatkunden" not in e.text for e in paul.lead(lead.id).journal)
    assert all(s.partner_name != "Nordlicht" for s in paul.lead(lead.id).shares)
    # Anna's colleagues read it on the lead; only Anna, who passed it on, is notified
    assert any("Privatkunden" in e.text for e in world.repo("jonas").lead(lead.id).journal)
    assert not any(n.kind is NotificationKind.DECLINED for n in world.repo("jonas").notifications())


def test_a_deactivated_offerer_s_admins_are_told_instead(any_world):
    world = any_world
    jonas = world.repo("jonas")
    lead = new_lead(jonas, "Speicher Mayer")
    share = jonas.offer(lead.id, world.repo("tim").company_id).share_id
    world.repo("anna").deactivate(world.ids["jonas"])
    world.repo("tim").decline_offer(share, Decline(DeclineReason.DUPLICATE))
    told = [n.text for n in world.repo("anna").notifications() if n.kind is NotificationKind.DECLINED]
    assert told == ["Nordlicht lehnt Ihr Leadangebot ab (Dublette): Speicher Mayer"]


@pytest.mark.parametrize(
    ("decline", "message"),
    [
        (Decline(DeclineReason.OTHER, ""), "bitte kurz begründen"),
        (Decline(DeclineReason.OTHER, "   "), "bitte kurz begründen"),
        (Decline(DeclineReason.OTHER, "zu weit\x1b[2J"), "Steuerzeichen"),
        (Decline(DeclineReason.OTHER, "x" * 201), "Begründung"),
        (Decline(DeclineReason.NO_CAPACITY, "und Text"), "nur zu „Sonstiges“"),
    ],
)
def test_a_reason_is_checked_and_a_refused_one_declines_nothing(any_world, decline, message):
    anna, tim, lead, share = offered(any_world)
    with pytest.raises(InvalidInput, match=message):
        tim.decline_offer(share, decline)
    with pytest.raises(InvalidInput, match="Grund"):
        tim.decide_offers((share,), accept=False)
    assert outgoing(anna, lead.id).status is ShareStatus.OFFERED
    assert tim.count(ListQuery(kind=ListKind.OFFERS)) == 1


def test_several_declined_at_once_take_one_reason(any_world):
    anna, tim = any_world.repo("anna"), any_world.repo("tim")
    leads = [new_lead(anna, f"Dach {n}").id for n in range(3)]
    passed = anna.offer_many(tuple(leads), tim.company_id)
    decided = tim.decide_offers(passed.shares, accept=False, decline=Decline(DeclineReason.OUTSIDE_AREA))
    assert decided.shares == passed.shares
    for lead_id in leads:
        assert outgoing(anna, lead_id).declined_because == Decline(DeclineReason.OUTSIDE_AREA)
    passed_on = anna.rows(ListQuery(kind=ListKind.PASSED_ON), 0, 100)  # Weitergegeben's column "Angebot"
    assert {SHARE_STATUS.value(r) for r in passed_on if r.id in leads} == {"abgelehnt: außerhalb unseres Gebiets"}


def test_undo_and_offering_again_forget_the_reason(any_world):
    anna, tim, lead, share = offered(any_world)
    tim.decline_offer(share, Decline(DeclineReason.NO_NEED))
    tim.reopen_offer(share)  # the partner's undo: open again, no reason left
    assert outgoing(anna, lead.id).declined_because is None
    assert not any("abgelehnt" in e.text for e in anna.lead(lead.id).journal)
    tim.decline_offer(share, Decline(DeclineReason.DUPLICATE))
    assert outgoing(anna, lead.id).declined_because == Decline(DeclineReason.DUPLICATE)
    anna.offer(lead.id, tim.company_id)  # offered again: a new question, no old answer
    assert outgoing(anna, lead.id).status is ShareStatus.OFFERED
    assert outgoing(anna, lead.id).declined_because is None


@pytest.mark.parametrize(
    ("values", "status"),
    [
        ("decline_reason = 'dublette'", "angeboten"),  # a reason on an offer nobody declined
        ("decline_reason = 'keine Lust'", "abgelehnt"),  # none of ours
        ("decline_reason = 'dublette', decline_text = 'doch'", "abgelehnt"),  # a text without Sonstiges
        ("decline_text = 'ohne Grund'", "abgelehnt"),
    ],
)
def test_the_database_refuses_a_reason_the_rule_does_not_allow(any_world, values, status):
    _, tim, _, share = offered(any_world)
    if status == "abgelehnt":
        tim.decline_offer(share, Decline(DeclineReason.NO_CAPACITY))
    with pytest.raises(DBAPIError), any_world.engine.begin() as conn:
        conn.execute(text(f"UPDATE lead_shares SET {values} WHERE id = :id"), {"id": share})


def test_a_stored_reason_we_cannot_read_shows_as_a_placeholder():
    assert stored_decline("quatsch", None) == Decline(DeclineReason.OTHER, "unbekannt")
    assert stored_decline(None, None) is None
    assert stored_decline("sonstiges", "Nur Gewerbe").label == "Sonstiges: Nur Gewerbe"


def test_a_decline_through_the_server_carries_its_reason(any_world):
    from serving import Running, close_signed_in, signed_in

    anna, _, lead, share = offered(any_world)
    with Running(any_world.engine, clock=any_world.clock) as running:
        try:
            signed_in(any_world, running.url, "tim").decline_offer(share, ONLY_HOMES)
        finally:
            close_signed_in()
    assert outgoing(anna, lead.id).declined_because == ONLY_HOMES


# --- in the app --------------------------------------------------------------------------------


async def test_d_asks_why_and_the_key_is_the_answer(make_app):
    """In Leadangebote: d, then 5 asks for the text first (an empty one is refused in place),
    enter declines; in the detail d then 3 declines and goes back to the list."""
    app = make_app("tim.krueger@nordlicht.example")
    repo = app.repository
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "6")
        await settle(pilot)
        offers = repo.count(ListQuery(kind=ListKind.OFFERS))
        first = app.screen.table.current
        await press(pilot, "d")
        assert isinstance(app.screen, DeclineDialog) and first.title in str(app.screen.question_text)
        await press(pilot, "5")
        assert app.screen.query_one("#decline-text").display  # "Sonstiges" wants its text
        await press(pilot, "enter")
        assert isinstance(app.screen, DeclineDialog) and app.screen.query_one("#decline-error").display
        await press(pilot, *"Nur 1 Monteur", "enter")  # the digit is text here, not a reason
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert repo.count(ListQuery(kind=ListKind.OFFERS)) == offers - 1
        assert any("Sonstiges: Nur 1 Monteur" in n.message for n in app._notifications)

        second = app.screen.table.current
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadDetailScreen)
        await press(pilot, "d", "3")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen) and repo.count(ListQuery(kind=ListKind.OFFERS)) == offers - 2
        assert second.id not in {r.id for r in repo.rows(ListQuery(kind=ListKind.OFFERS), 0, 100)}
        assert any("kein Bedarf beim Kunden" in n.message for n in app._notifications)


async def test_the_principal_reads_the_reason_in_the_lead(make_app, demo_engine):
    from leadtui.repository import Repository
    from leadtui.seed import DEMO_NOW

    app = make_app()
    anna = app.repository
    lead = new_lead(anna, "Carport mit Wallbox")
    tim = Repository.for_email(demo_engine, "tim.krueger@nordlicht.example", clock=lambda: DEMO_NOW)
    nordlicht = next(c for c in anna.partners() if c.name.startswith("Nordlicht"))
    tim.decline_offer(anna.offer(lead.id, nordlicht.id).share_id, Decline(DeclineReason.OUTSIDE_AREA))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.open_lead(lead.id)
        await settle(pilot)
        assert "Nordlicht Vertrieb GmbH – abgelehnt: außerhalb unseres Gebiets" in text_of(
            app.screen.query_one("#shares")
        )
        journal = app.screen.query_one("#journal", OptionList)
        lines = [str(journal.get_option_at_index(i).prompt) for i in range(journal.option_count)]
        assert any("Leadangebot abgelehnt – Grund: außerhalb unseres Gebiets" in line for line in lines)
