"""The backend contract: the same cases against every backend the repository runs on.

As Harlequin's adapter tests run one suite against each database adapter, these run against
SQLite and PostgreSQL (each transaction acting for its colleague behind row-level security, as
the server's do). Whatever a backend does its own way - upserts, the search index, the change
listener, the steps across companies - the repository's answers must be the same on both.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from helpers import NO_CAPACITY, new_lead, passed_on_lead
from sqlalchemy import select

from leadtui.db import read_model
from leadtui.db.backends.postgres import Postgres
from leadtui.db.backends.sqlite import Sqlite
from leadtui.db.models import LeadCountModel
from leadtui.domain import AlreadyDecided, LeadStatus, ListKind, ListQuery, NewLead, NotificationKind, SortKey

EXPECTED_BACKEND = {"sqlite": Sqlite, "postgresql": Postgres}


def ids(repo, query: ListQuery) -> set[int]:
    total = repo.count(query)
    found = {row.id for row in repo.rows(query, 0, 500, total)}
    assert len(found) == total, "count and rows disagree"
    return found


def test_the_backend_is_chosen_once_from_the_database(any_world):
    repo = any_world.repo("anna")
    expected = EXPECTED_BACKEND[any_world.engine.dialect.name]
    assert type(repo.session.backend) is expected
    assert type(any_world.repo("tim").session.backend) is expected


@pytest.mark.parametrize(
    ("search", "titles"),
    [
        ("wärme", {"Wärmepumpe Hofer"}),  # an indexed word (three characters or more), any case
        ("WÄRMEPUMPE hofer", {"Wärmepumpe Hofer"}),  # every word must match
        ("pv", {"PV-Anlage Müller", "PV 100% Eigenverbrauch"}),  # shorter than the index answers
        ("100%", {"PV 100% Eigenverbrauch"}),  # a wildcard of LIKE is a character
        ("_", {"Dach_Sanierung"}),
        ("jonas", {"Speicher Jonas"}),  # names a colleague: his leads, and leads saying it
        ("augsburg", {"PV-Anlage Müller", "Wärmepumpe Hofer", "PV 100% Eigenverbrauch", "Dach_Sanierung"}),
        ("gibtsnicht", set()),
    ],
)
def test_search_finds_the_same_leads_on_every_backend(any_world, search, titles):
    anna = any_world.repo("anna")
    made = {}
    for title in ("PV-Anlage Müller", "Wärmepumpe Hofer", "PV 100% Eigenverbrauch", "Dach_Sanierung"):
        made[title] = new_lead(anna, title).id
    jonas = any_world.repo("jonas")
    made["Speicher Jonas"] = jonas.create_lead(NewLead(title="Speicher", prospect="Jonas GmbH", city="Ulm")).id
    assigned = anna.create_lead(NewLead(title="Zugewiesen", prospect="Kunde", city="Köln")).id
    anna.assign(assigned, any_world.ids["jonas"], anna.assignment(assigned).version)
    if search == "jonas":  # by the Kollege: the lead assigned to Jonas too
        titles = {*titles, "Zugewiesen"}
        made["Zugewiesen"] = assigned
    expected = {made[title] for title in titles}
    for sort in (SortKey.CREATED, SortKey.TITLE):
        assert ids(anna, ListQuery(search=search, sort=sort)) == expected


def test_a_partner_never_finds_a_lead_only_the_principal_holds(any_world):
    anna, tim = any_world.repo("anna"), any_world.repo("tim")
    new_lead(anna, "Nur bei Sonnenstrom")
    shared = passed_on_lead(any_world, "Geteilt Gewerbedach")
    assert ids(tim, ListQuery(search="sonnenstrom")) == set()
    assert ids(tim, ListQuery(search="gewerbedach")) == {shared}


def test_counters_are_what_the_data_says_after_every_kind_of_write(any_world):
    anna, jonas = any_world.repo("anna"), any_world.repo("jonas")
    first, second = new_lead(anna, "Erster").id, new_lead(anna, "Zweiter").id
    anna.assign(first, any_world.ids["jonas"], anna.assignment(first).version)
    anna.assign_many({second: anna.assignment(second).version}, None)
    shared = passed_on_lead(any_world)
    seen = NewLead.of(jonas.lead(shared))
    jonas.edit_lead(shared, replace(seen, title="Neu", status=LeadStatus.WON), jonas.lead(shared).version, seen)
    with any_world.engine.connect() as conn:
        stored = {
            (r.company_id, r.slot): (r.n, r.open_n, r.new_n)
            for r in conn.execute(select(LeadCountModel))
            if (r.n, r.open_n, r.new_n) != (0, 0, 0)
        }
        wanted = {(r[0], r[1]): (r[2], r[3], r[4]) for r in conn.execute(read_model.counted_select())}
    assert stored == wanted
    counts = anna.counts()
    assert counts[ListKind.ALL] == len(ids(anna, ListQuery()))
    assert counts[ListKind.MINE] == len(ids(anna, ListQuery(kind=ListKind.MINE)))
    assert counts[ListKind.UNASSIGNED] == len(ids(anna, ListQuery(kind=ListKind.UNASSIGNED))) == 1


def test_an_offer_is_one_row_per_relation_even_offered_again(any_world):
    anna, tim = any_world.repo("anna"), any_world.repo("tim")
    lead = new_lead(anna)
    share = anna.offer(lead.id, tim.company_id)
    with pytest.raises(AlreadyDecided):
        anna.offer(lead.id, tim.company_id)
    tim.decline_offer(share.share_id, NO_CAPACITY)
    again = anna.offer(lead.id, tim.company_id)
    assert again.share_id == share.share_id
    assert anna.counts()[ListKind.PASSED_ON] == 1
    assert tim.counts()[ListKind.OFFERS] == 1


def test_activity_is_delivered_to_each_holders_assignee_and_never_to_the_actor(any_world):
    anna, tim, julia = any_world.repo("anna"), any_world.repo("tim"), any_world.repo("julia")
    shared = passed_on_lead(any_world)
    tim.assign(shared, any_world.ids["julia"], tim.assignment(shared).version)
    julia_before, anna_before = julia.unread_count(), anna.unread_count()
    anna.add_note(shared, "Termin am Montag")
    notes = [n for n in julia.notifications() if n.kind is NotificationKind.NOTE]
    assert julia.unread_count() == julia_before + 1
    assert notes and "Sonnenstrom" in notes[0].text and "Anna" not in notes[0].text  # the company, not the person
    assert anna.unread_count() == anna_before  # not told of her own note
    julia.save_notification_preferences({NotificationKind.NOTE: False})
    anna.add_note(shared, "Noch eine Notiz")
    assert julia.unread_count() == julia_before + 1


def test_a_digest_of_assignments_finds_its_leads_that_are_still_mine(any_world):
    """Issue 22: the digest "3 Leads wurden Ihnen … zugewiesen" opens Meine Leads with them
    marked: its leads are found by the moment the write recorded, as long as they are mine -
    and never by anyone else, nor for another kind of notification."""
    anna, jonas = any_world.repo("anna"), any_world.repo("jonas")
    made = [new_lead(anna, f"Lead {n}") for n in range(4)]
    earlier = anna.assign_many({made[3].id: anna.assignment(made[3].id).version}, any_world.ids["jonas"])
    assert earlier.assigned == 1
    bulk = anna.assign_many({lead.id: anna.assignment(lead.id).version for lead in made[:3]}, any_world.ids["jonas"])
    assert bulk.assigned == 3
    digest = next(n for n in jonas.notifications() if n.kind is NotificationKind.ASSIGNED and n.lead_id is None)
    assert digest.count == 3
    assert jonas.digest_leads(digest.id) == sorted(lead.id for lead in made[:3])
    anna.assign(made[0].id, None, anna.assignment(made[0].id).version)  # no longer his
    assert jonas.digest_leads(digest.id) == sorted(lead.id for lead in made[1:3])
    assert anna.digest_leads(digest.id) == []  # not hers to ask
    single = next(n for n in jonas.notifications() if n.lead_id == made[3].id)
    assert jonas.digest_leads(single.id) == []


def test_an_edit_moves_every_holders_view_of_the_lead(any_world):
    anna, tim = any_world.repo("anna"), any_world.repo("tim")
    shared = passed_on_lead(any_world, "Mmm Mitte")
    new_lead(tim, "Aaa Anfang")
    new_lead(tim, "Nnn Nach")
    before = NewLead.of(anna.lead(shared))
    anna.edit_lead(shared, replace(before, title="Zzz Ende"), anna.lead(shared).version, before)
    by_title = tim.rows(ListQuery(sort=SortKey.TITLE, descending=False), 0, 10)
    assert [row.title for row in by_title] == ["Aaa Anfang", "Nnn Nach", "Zzz Ende"]
    assert ids(tim, ListQuery(search="zzz")) == {shared}


def test_the_feed_wakes_for_the_own_company_only(any_world):
    anna, tim, paul = any_world.repo("anna"), any_world.repo("tim"), any_world.repo("paul")
    feed = any_world.repo("jonas").feed(poll_s=0.01)
    partner_feed = tim.feed(poll_s=0.01)
    try:
        assert feed.wait(0.05) is False  # nothing happened
        new_lead(paul, "Anderswo")
        assert feed.wait(0.1) is False  # another company's write is not ours
        new_lead(anna, "Bei uns")
        assert feed.wait(5.0) is True
        assert feed.wait(0.05) is False  # told once
        shared = passed_on_lead(any_world)
        assert partner_feed.wait(5.0) is True
        while partner_feed.wait(0.05):
            pass
        anna.assign(shared, any_world.ids["jonas"], anna.assignment(shared).version)
        assert partner_feed.wait(0.1) is False  # a private reassignment tells the partner nothing
    finally:
        feed.close()
        partner_feed.close()
