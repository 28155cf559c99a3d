"""What one company does never shows on the other side of a shared lead (docs/rules.md, rules 7,
9 and 10).

Each test fails on the first release: a shared timestamp moved by a private assignment, an
unscoped colleague filter, forwarding chains that leaked and overwrote offers, messages that let
anyone enumerate colleagues, and a deactivated colleague who kept reading.
"""

from __future__ import annotations

import threading

import pytest
from helpers import NO_CAPACITY, new_lead, passed_on_lead

from leadtui.domain import (
    AccessDenied,
    AlreadyDecided,
    ListKind,
    ListQuery,
    NotAssignable,
    NotFound,
    ShareStatus,
)


def test_a_private_reassignment_does_not_move_the_shared_timestamp(world):
    lead_id = passed_on_lead(world)
    anna, tim = world.repo("anna"), world.repo("tim")
    before = tim.lead(lead_id).updated_at
    anna.assign(lead_id, world.ids["jonas"], anna.assignment(lead_id).version)
    anna.assign_many({lead_id: anna.assignment(lead_id).version}, None)
    assert tim.lead(lead_id).updated_at == before
    tim.assign(lead_id, world.ids["julia"], tim.assignment(lead_id).version)
    assert anna.lead(lead_id).updated_at == before


@pytest.mark.parametrize("kind", list(ListKind))
def test_a_colleague_filter_is_scoped_to_the_own_company(world, kind):
    anna, tim = world.repo("anna"), world.repo("tim")
    for i in range(3):
        lead = new_lead(anna, f"Lead {i}")
        anna.offer(lead.id, tim.company_id)
    for foreign in (world.ids["anna"], world.ids["paul"], 999_999):
        query = ListQuery(kind=kind, colleague_id=foreign)
        with pytest.raises(NotFound, match="Diesen Kollegen gibt es in Ihrer Firma nicht"):
            tim.count(query)
        with pytest.raises(NotFound, match="Diesen Kollegen gibt es in Ihrer Firma nicht"):
            tim.rows(query, 0, 10)
    own = ListQuery(kind=kind, colleague_id=world.ids["tim"])
    assert len(tim.rows(own, 0, 100)) == tim.count(own)


def test_assigning_a_stranger_says_the_same_as_assigning_nobody_known(world):
    anna = world.repo("anna")
    lead = new_lead(anna)
    messages = set()
    for target in (world.ids["tim"], world.ids["paul"], 999_999):
        with pytest.raises(NotAssignable) as error:
            anna.assign(lead.id, target, lead.assignment.version)
        messages.add(str(error.value))
        with pytest.raises(NotAssignable) as error:
            anna.assign_many({lead.id: lead.assignment.version}, target)
        messages.add(str(error.value))
    assert messages == {"Diesen Kollegen gibt es in Ihrer Firma nicht."}


def test_a_colleague_deactivated_meanwhile_can_no_longer_read(world):
    jonas = world.repo("jonas")
    lead = new_lead(jonas)
    assert jonas.count(ListQuery()) == 1
    world.repo("anna").deactivate(world.ids["jonas"])
    for read in (
        lambda: jonas.counts(),
        lambda: jonas.rows(ListQuery(), 0, 10),
        lambda: jonas.count(ListQuery(search="gewerbe")),
        lambda: jonas.lead(lead.id),
        lambda: jonas.colleagues(),
        lambda: jonas.partners(),
        lambda: jonas.setting("x"),
    ):
        with pytest.raises(AccessDenied, match="Ihr Zugang ist deaktiviert"):
            read()


# Forwarding chains: A passes L to P, P passes it on to B, and A is B's principal as well. ------


@pytest.fixture
def chain(world):
    """Sonnenstrom (A) → Nordlicht (P) → Alpenland (B), and Sonnenstrom → Alpenland."""
    world.admin.add_company("Alpenland")
    world.admin.add_partnership("Nordlicht", "Alpenland")
    world.admin.add_partnership("Sonnenstrom", "Alpenland")
    world.add("maria", "Alpenland", "Maria Huber")
    anna, tim = world.repo("anna"), world.repo("tim")
    lead = new_lead(anna, "Solarpark Kette")
    tim.accept_offer(anna.offer(lead.id, tim.company_id).share_id)
    return lead.id


def test_principal_learns_nothing_of_a_partner_forwarding(world, chain):
    anna, tim, maria = world.repo("anna"), world.repo("tim"), world.repo("maria")
    alpenland = maria.company_id
    tim.offer(chain, alpenland)
    own = anna.offer(chain, alpenland)  # not "bereits weitergegeben": that would tell A about P
    assert own.status is ShareStatus.OFFERED
    offers = maria.rows(ListQuery(kind=ListKind.OFFERS), 0, 10)
    assert sorted(r.partner_name for r in offers) == ["Nordlicht", "Sonnenstrom"]
    assert maria.count(ListQuery(kind=ListKind.OFFERS)) == 2
    # A sees its own offer only, P its own only
    assert [s.partner_name for s in anna.lead(chain).shares if s.outgoing] == ["Nordlicht", "Alpenland"]
    assert [s.partner_name for s in tim.lead(chain).shares if s.outgoing] == ["Alpenland"]
    assert not any(s.principal_name == "Nordlicht" for s in anna.lead(chain).shares)


def test_a_declined_forwarding_keeps_the_forwarders_record(world, chain):
    anna, tim, maria = world.repo("anna"), world.repo("tim"), world.repo("maria")
    alpenland = maria.company_id
    forwarded = tim.offer(chain, alpenland)
    maria.decline_offer(forwarded.share_id, NO_CAPACITY)
    anna.offer(chain, alpenland)
    passed = tim.rows(ListQuery(kind=ListKind.PASSED_ON), 0, 10)
    assert [(r.id, r.partner_name, r.share_status) for r in passed] == [(chain, "Alpenland", ShareStatus.DECLINED)]
    assert tim.counts()[ListKind.PASSED_ON] == 1
    assert [s.label for s in tim.lead(chain).shares if s.outgoing] == [
        "Weitergegeben an Alpenland – abgelehnt: keine Kapazität"  # the reason: Nordlicht's, who offered it
    ]
    # Sonnenstrom offered Alpenland the same lead: it learns nothing of Nordlicht's offer or its answer
    seen_by_anna = [s.label for s in anna.lead(chain).shares] + [e.text for e in anna.lead(chain).journal]
    assert not any("Kapazität" in line for line in seen_by_anna)
    offers = maria.rows(ListQuery(kind=ListKind.OFFERS), 0, 10)
    assert [r.partner_name for r in offers] == ["Sonnenstrom"]  # B sees who offered it now


def test_accepting_a_second_offer_of_a_lead_already_worked_keeps_the_assignment(world, chain):
    tim, maria = world.repo("tim"), world.repo("maria")
    alpenland = maria.company_id
    maria.accept_offer(tim.offer(chain, alpenland).share_id)
    assignment = maria.assignment(chain)
    second = world.repo("anna").offer(chain, alpenland)
    assert maria.accept_offer(second.share_id) == assignment
    assert maria.count(ListQuery()) == 1
    assert sorted(s.label for s in maria.lead(chain).shares) == ["Von Nordlicht", "Von Sonnenstrom"]


def test_the_same_principal_cannot_offer_twice_while_open(world, chain):
    maria = world.repo("maria")
    tim = world.repo("tim")
    tim.offer(chain, maria.company_id)
    with pytest.raises(AlreadyDecided, match="bereits an Alpenland weitergegeben"):
        tim.offer(chain, maria.company_id)


def test_two_colleagues_passing_on_at_once_get_one_offer_and_a_friendly_answer(world):
    anna = world.repo("anna")
    lead = new_lead(anna)
    partner = world.repo("tim").company_id
    repos = [world.repo("anna"), world.repo("jonas")]
    outcomes: list[object] = [None, None]
    barrier = threading.Barrier(2)

    def offer(i):
        barrier.wait()
        try:
            outcomes[i] = repos[i].offer(lead.id, partner)
        except Exception as error:  # noqa: BLE001 - the test looks at what happened
            outcomes[i] = error

    threads = [threading.Thread(target=offer, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], AlreadyDecided), outcomes
    assert world.repo("tim").count(ListQuery(kind=ListKind.OFFERS)) == 1
    assert anna.counts()[ListKind.PASSED_ON] == 1
