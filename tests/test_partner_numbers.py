"""The principal's numbers per partner (issue 21): offered, open, accepted with the median time
to accept, declined by reason, expired, withdrawn - company figures only. In the repository,
on the command line (`leadtui partner stats`) and in Weitergegeben (`p`). On both databases."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from helpers import StandingClock, new_lead, press, rendered_text, run_cli, settle

from leadtui.domain import Decline, DeclineReason, ListKind, ListQuery, PartnerNumbers
from leadtui.domain.windows import Window
from leadtui.repository.due import DueWork
from leadtui.ui.screens.partner_numbers import PartnerNumbersScreen

START = datetime(2026, 12, 6, 10, 0)


@pytest.fixture
def answered(any_world):
    """Sonnenstrom's offers: to Nordlicht two accepted (after 2 and 4 hours), one declined as a
    duplicate, one open; to Rheinwerk one expired and one withdrawn."""
    world = any_world
    world.clock = StandingClock(START)
    world.admin.add_partnership("Sonnenstrom", "Rheinwerk")
    anna, tim, julia, paul = (world.repo(key) for key in ("anna", "tim", "julia", "paul"))
    shares = [anna.offer(new_lead(anna, f"Lead {i}").id, tim.company_id).share_id for i in range(4)]
    expiring = anna.offer(new_lead(anna, "Lead 5").id, paul.company_id, Window(hours=1)).share_id
    withdrawn = anna.offer(new_lead(anna, "Lead 6").id, paul.company_id).share_id
    world.clock.now = START + timedelta(hours=2)
    tim.accept_offer(shares[0])
    world.clock.now = START + timedelta(hours=4)
    julia.accept_offer(shares[1])
    tim.decline_offer(shares[2], Decline(DeclineReason.DUPLICATE))
    anna.withdraw_offers((withdrawn,))
    DueWork(world.engine, world.clock).run()
    assert expiring
    return world


def test_each_partner_s_answers_in_company_figures(answered):
    numbers = answered.repo("jonas").partner_numbers()  # any colleague of the principal
    assert numbers == [
        PartnerNumbers("Nordlicht", 4, 1, 2, 1, 0, 0, (("Dublette", 1),), 3 * 3600.0),
        PartnerNumbers("Rheinwerk", 2, 0, 0, 0, 1, 1, (), None),
    ]
    assert answered.repo("tim").partner_numbers() == []  # Nordlicht is nobody's principal


def test_the_command_line_prints_one_line_per_partner(capsys, answered):
    url = str(answered.engine.url)
    code, out, err = run_cli(capsys, "partner", "stats", "--db", url, "--user", "anna@example.org")
    assert code == 0, err
    lines = [line.split("\t") for line in out.rstrip("\n").splitlines()]
    assert lines[0][:3] == ["Vertriebspartner", "angeboten", "offen"]
    assert lines[1:] == [
        ["Nordlicht", "4", "1", "2", "1", "0", "0", "3,0", "Dublette 1"],
        ["Rheinwerk", "2", "0", "0", "0", "1", "1", "", ""],
    ]
    assert "Tim" not in out and "Julia" not in out


async def test_p_in_weitergegeben_shows_the_numbers(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "p")  # not in Alle Leads
        assert not isinstance(app.screen, PartnerNumbersScreen)
        await press(pilot, "5", "p")
        await settle(pilot)
        assert isinstance(app.screen, PartnerNumbersScreen)
        shown = rendered_text(app)
        assert "Nordlicht Vertrieb GmbH" in shown and "Alpenland Solar KG" in shown and "angeboten" in shown
        expected = {n.partner: n for n in app.repository.partner_numbers()}
        assert f"{expected['Alpenland Solar KG'].offered} angeboten" in shown
        await press(pilot, "escape")
        assert app.screen.list_query.kind is ListKind.PASSED_ON


def test_numbers_name_no_colleague_of_a_partner(answered):
    names = {"Tim Krüger", "Julia Neumann", "Paul Richter"}
    text = repr(answered.repo("anna").partner_numbers())
    assert not any(name in text for name in names)
    assert answered.repo("anna").rows(ListQuery(kind=ListKind.PASSED_ON), 0, 10)
