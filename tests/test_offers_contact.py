"""Rule 26 (docs/rules.md): while an offer is pending, the partner sees what it needs to decide -
title, firm, city, value, source, the principal - but not the contact person, e-mail or phone;
they come with acceptance, and after a decline, an expiry or a withdrawal the partner keeps
nothing. In the repository (and so through the server), and on PostgreSQL in the rows the
partner's role can read at all. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from helpers import press, rendered_text, settle
from sqlalchemy import text

from leadtui.domain import Decline, DeclineReason, ListKind, ListQuery, NewLead, NotFound
from leadtui.ui.screens.detail import LeadDetailScreen

ERIKA = dict(contact="Erika Muster", email="erika@kunde.example", phone="+49 30 1234567")


def offered(world):
    anna, tim = world.repo("anna"), world.repo("tim")
    lead = anna.create_lead(NewLead(title="Wärmepumpe Hofer", prospect="Hofer KG", city="Augsburg", **ERIKA))
    return anna, tim, lead, anna.offer(lead.id, tim.company_id)


def offers(repo, search: str = ""):
    return repo.rows(ListQuery(kind=ListKind.OFFERS, search=search), 0, 100)


def test_the_partner_decides_without_the_contact_data_and_gets_it_by_accepting(any_world):
    anna, tim, lead, share = offered(any_world)
    pending = tim.lead(lead.id)
    assert (pending.title, pending.prospect, pending.city) == ("Wärmepumpe Hofer", "Hofer KG", "Augsburg")
    assert pending.contact_hidden and (pending.contact, pending.email, pending.phone) == ("", "", "")
    assert [r.id for r in offers(tim, "hofer augsburg")] == [lead.id]  # what it sees, it finds
    for probe in ("erika", "muster", "kunde.example", "1234567"):
        assert offers(tim, probe) == [], probe  # never by what it may not read

    tim.accept_offer(share.share_id)
    accepted = tim.lead(lead.id)
    assert not accepted.contact_hidden
    assert (accepted.contact, accepted.email, accepted.phone) == tuple(ERIKA.values())
    assert anna.lead(lead.id).contact == "Erika Muster"  # the principal had it all along


@pytest.mark.parametrize("ending", ["declined", "withdrawn"])
def test_after_a_decline_or_withdrawal_the_partner_keeps_nothing(any_world, ending):
    anna, tim, lead, share = offered(any_world)
    if ending == "declined":
        tim.decline_offer(share.share_id, Decline(DeclineReason.NO_NEED))
    else:
        anna.withdraw_offers((share.share_id,))
    with pytest.raises(NotFound):
        tim.lead(lead.id)
    assert offers(tim) == [] and offers(tim, "hofer") == []
    assert all("Erika" not in n.text for n in tim.notifications())


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
def test_the_partners_role_reads_no_contact_data_with_raw_sql(world):
    _, tim, lead, share = offered(world)
    rows = "SELECT contact, email, phone, search_text, match_email, match_phone FROM leads WHERE id = :id"
    with world.behind_the_wall("tim") as conn:
        assert conn.execute(text(rows), {"id": lead.id}).all() == []  # the lead's row: not before accepting
        view = conn.execute(text("SELECT * FROM offered_leads")).mappings().all()
        assert [(v["id"], v["title"]) for v in view] == [(lead.id, "Wärmepumpe Hofer")]
        assert not {"contact", "email", "phone", "search_text"} & set(view[0])
        found = conn.execute(text("SELECT leadtui_search(ARRAY['%erika%'])")).all()
        assert found == []  # the search function matches only leads it may read
    with world.behind_the_wall("paul") as conn:  # a company without the offer sees nothing of it
        assert conn.execute(text("SELECT id FROM offered_leads")).all() == []

    tim.accept_offer(share.share_id)
    with world.behind_the_wall("tim") as conn:
        assert conn.execute(text(rows), {"id": lead.id}).one()[:3] == tuple(ERIKA.values())
        assert conn.execute(text("SELECT id FROM offered_leads")).all() == []  # accepted: no longer offered


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
def test_after_a_decline_the_partners_role_reads_nothing_of_the_lead(world):
    _, tim, lead, share = offered(world)
    tim.decline_offer(share.share_id, Decline(DeclineReason.DUPLICATE))
    with world.behind_the_wall("tim") as conn:
        assert conn.execute(text("SELECT id FROM leads WHERE id = :id"), {"id": lead.id}).all() == []
        assert conn.execute(text("SELECT id FROM offered_leads")).all() == []


async def test_the_offer_s_detail_says_the_contact_comes_with_acceptance(make_app):
    app = make_app("tim.krueger@nordlicht.example")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "6", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadDetailScreen)
        assert rendered_text(app).count("nach Annahme sichtbar") == 3
        await press(pilot, "a")  # accepting shows them
        await settle(pilot)
        assert "nach Annahme sichtbar" not in rendered_text(app)
