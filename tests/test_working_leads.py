"""Working a lead (issue 11): editing with the principal/partner rule, the shared journal and the
notifications (docs/rules.md, rules 12-16) - on SQLite and PostgreSQL, there behind
row-level security."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from helpers import new_lead, passed_on_lead
from sqlalchemy import text

from leadtui.db.maintenance import check
from leadtui.domain import (
    AccessDenied,
    EditConflict,
    InvalidInput,
    JournalKind,
    LeadStatus,
    ListKind,
    ListQuery,
    NewLead,
    NotFound,
    NotificationKind,
)


def edit(repo, lead_id, **changes):
    lead = repo.lead(lead_id)
    seen = NewLead.of(lead)
    return repo.edit_lead(lead_id, replace(seen, **changes), lead.version, seen)


def bodies(repo) -> list[str]:
    return [n.text for n in repo.notifications()]


# Rule 12: editing ------------------------------------------------------------------------------


def test_the_owner_edits_data_and_status_recorded_as_an_event(world):
    anna = world.repo("anna")
    lead = new_lead(anna)
    version = edit(anna, lead.id, status=LeadStatus.WON, city="Ulm", value=12_000)
    now = anna.lead(lead.id)
    assert (now.status, now.city, now.value, now.version) == (LeadStatus.WON, "Ulm", 12_000, version)
    assert version == lead.version + 1
    event = now.journal[0]
    assert event.kind is JournalKind.EVENT and event.author == "Anna Becker"
    assert "Status: neu → gewonnen" in event.text and "Ort: Augsburg → Ulm" in event.text
    assert [r.id for r in anna.rows(ListQuery(search="ulm"), 0, 10)] == [lead.id]
    workload = {w.colleague.id: (w.open, w.new) for w in anna.workload()}
    assert workload[world.ids["anna"]] == (0, 0)  # won: no longer open
    assert check(world.engine) == []


def test_a_status_change_moves_the_partners_lists_too(world):
    lead_id = passed_on_lead(world)
    anna, tim = world.repo("anna"), world.repo("tim")
    assert {w.colleague.id: w.open for w in tim.workload()}[world.ids["tim"]] == 1
    edit(tim, lead_id, status=LeadStatus.LOST)
    assert {w.colleague.id: w.open for w in tim.workload()}[world.ids["tim"]] == 0
    assert {w.colleague.id: w.open for w in anna.workload()}[world.ids["anna"]] == 0
    assert anna.rows(ListQuery(), 0, 10)[0].status is LeadStatus.LOST
    assert check(world.engine) == []


def test_a_stale_edit_is_refused_naming_what_changed(world):
    anna, jonas = world.repo("anna"), world.repo("jonas")
    lead = new_lead(anna)
    opened = anna.lead(lead.id)
    edit(jonas, lead.id, status=LeadStatus.IN_PROGRESS, contact="Frau Huber")
    with pytest.raises(EditConflict) as conflict:
        anna.edit_lead(lead.id, replace(NewLead.of(opened), city="Ulm"), opened.version, NewLead.of(opened))
    assert conflict.value.changed == ["Ansprechpartner", "Status"]
    assert "Ansprechpartner, Status" in str(conflict.value)
    assert anna.lead(lead.id).city == "Augsburg"


def test_the_partner_works_status_and_contact_the_owner_keeps_the_origin(world):
    lead_id = passed_on_lead(world)
    tim = world.repo("tim")
    edit(tim, lead_id, status=LeadStatus.IN_PROGRESS, contact="Herr Maier", phone="0821 123")
    with pytest.raises(AccessDenied, match="Titel"):
        edit(tim, lead_id, title="Anders")
    with pytest.raises(AccessDenied, match="Wert"):
        edit(tim, lead_id, value=1)
    lead = world.repo("anna").lead(lead_id)
    assert (lead.contact, lead.phone, lead.title) == ("Herr Maier", "0821 123", "Gewerbedach 40 kWp")
    assert not tim.lead(lead_id).owned and tim.lead(lead_id).editable == {"status", "contact", "email", "phone"}


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)  # row-level security
def test_the_database_refuses_a_partners_change_of_the_origin(world):
    lead_id = passed_on_lead(world)
    with pytest.raises(Exception, match="Nur die Firma"), world.behind_the_wall("tim") as conn:
        conn.execute(text("UPDATE leads SET title = 'Anders' WHERE id = :id"), {"id": lead_id})


def test_edits_are_checked_like_a_new_lead(world):
    anna = world.repo("anna")
    lead = new_lead(anna)
    with pytest.raises(InvalidInput) as invalid:
        edit(anna, lead.id, title=" ", email="keine-mail")
    assert set(invalid.value.errors) == {"title", "email"}
    paul = world.repo("paul")  # another company, which does not hold the lead
    with pytest.raises(NotFound):
        paul.edit_lead(lead.id, replace(NewLead.of(lead), status=LeadStatus.WON), lead.version, NewLead.of(lead))


# The journal -----------------------------------------------------------------------------------


def test_notes_and_tasks_are_shared_and_another_companys_show_its_name_only(world):
    lead_id = passed_on_lead(world)
    anna, tim = world.repo("anna"), world.repo("tim")
    anna.add_note(lead_id, "Erstes Gespräch\nRückruf Montag")
    task = tim.add_task(lead_id, "Angebot schicken", date(2026, 11, 10))
    tim.complete_task(task.id)
    seen_by_anna = anna.lead(lead_id).journal
    assert [(e.kind, e.author, e.own) for e in seen_by_anna] == [
        (JournalKind.TASK, "Nordlicht", False),
        (JournalKind.NOTE, "Anna Becker", True),
    ]
    assert seen_by_anna[0].done and seen_by_anna[0].done_by == "Nordlicht"
    assert seen_by_anna[1].text == "Erstes Gespräch\nRückruf Montag"
    seen_by_tim = tim.lead(lead_id).journal
    assert [(e.author, e.own) for e in seen_by_tim] == [("Tim Krüger", True), ("Sonnenstrom", False)]
    assert seen_by_tim[0].done_by == "Tim Krüger"
    # nothing of the journal names a person of the other company, on either side
    assert not any("Krüger" in repr(e) for e in seen_by_anna) and not any("Becker" in repr(e) for e in seen_by_tim)


def test_the_journal_never_travels_along_a_chain(world):
    """Sonnenstrom → Nordlicht → Südwind: Südwind's entries reach Nordlicht, not Sonnenstrom."""
    lead_id = passed_on_lead(world)
    partner = world.admin.add_company("Südwind")
    world.admin.add_partnership("Nordlicht", "Südwind")
    world.add("sven", "Südwind", "Sven Lang")
    tim, sven, anna = world.repo("tim"), world.repo("sven"), world.repo("anna")
    sven.accept_offer(tim.offer(lead_id, partner.id).share_id)
    sven.add_note(lead_id, "Von Südwind")
    anna.add_note(lead_id, "Von Sonnenstrom")
    assert [e.author for e in tim.lead(lead_id).journal] == ["Sonnenstrom", "Südwind"]
    assert [e.author for e in anna.lead(lead_id).journal] == ["Anna Becker"]
    assert [e.author for e in sven.lead(lead_id).journal] == ["Sven Lang"]


def test_rule_13_ticking_a_task_along_a_chain_tells_only_who_reads_the_task(world):
    """Sonnenstrom → Nordlicht → Südwind: Nordlicht ticking Sonnenstrom's task never tells Südwind
    its text, and ticking Südwind's task never tells Sonnenstrom the lead went on."""
    lead_id = passed_on_lead(world, "Kette")
    partner = world.admin.add_company("Südwind")
    world.admin.add_partnership("Nordlicht", "Südwind")
    world.add("sven", "Südwind", "Sven Lang")
    anna, tim, julia, sven = (world.repo(k) for k in ("anna", "tim", "julia", "sven"))
    sven.accept_offer(tim.offer(lead_id, partner.id).share_id)
    tim.assign(lead_id, world.ids["tim"], tim.assignment(lead_id).version)
    principal_task = anna.add_task(lead_id, "Geheimes Angebot Sonnenstrom", None)
    third_task = sven.add_task(lead_id, "Interna Südwind", None)
    before_anna, before_sven = bodies(anna), bodies(sven)
    julia.complete_task(principal_task.id)
    julia.complete_task(principal_task.id, done=False)
    julia.complete_task(third_task.id)
    julia.complete_task(third_task.id, done=False)
    # the author's side hears of its own task; the third company hears nothing of it, and back
    assert bodies(anna)[:2] == [
        "Nordlicht hat eine Aufgabe zu „Kette“ wieder geöffnet: Geheimes Angebot Sonnenstrom",
        "Nordlicht hat eine Aufgabe zu „Kette“ erledigt: Geheimes Angebot Sonnenstrom",
    ]
    assert bodies(anna)[2:] == before_anna
    assert bodies(sven)[:2] == [
        "Nordlicht hat eine Aufgabe zu „Kette“ wieder geöffnet: Interna Südwind",
        "Nordlicht hat eine Aufgabe zu „Kette“ erledigt: Interna Südwind",
    ]
    assert bodies(sven)[2:] == before_sven
    assert not any("Sonnenstrom" in b for b in bodies(sven))
    assert not any("Südwind" in b for b in bodies(anna))
    assert sum(b.startswith("Julia Neumann") for b in bodies(tim)) == 4  # the middle reads both tasks


def test_journal_input_is_checked_and_only_holders_write(world):
    anna = world.repo("anna")
    lead = new_lead(anna)
    with pytest.raises(InvalidInput):
        anna.add_note(lead.id, "   ")
    with pytest.raises(InvalidInput):
        anna.add_note(lead.id, "Steuer\x1b[2Jzeichen")
    with pytest.raises(InvalidInput):
        anna.add_task(lead.id, "x" * 201, None)
    with pytest.raises(NotFound):
        world.repo("tim").add_note(lead.id, "Ich sehe den Lead gar nicht")


# Rules 14-16: notifications --------------------------------------------------------------------


def test_rule_14_an_assignment_by_someone_else_notifies_the_assignee(world):
    anna, jonas = world.repo("anna"), world.repo("jonas")
    lead = new_lead(anna, "Wallbox Hof")
    anna.assign(lead.id, world.ids["jonas"], lead.assignment.version)
    assert bodies(jonas) == ["Lead „Wallbox Hof“ wurde Ihnen von Anna Becker zugewiesen."]
    assert jonas.notifications()[0].lead_id == lead.id and jonas.unread_count() == 1
    # to oneself, creating for oneself, accepting: nothing
    jonas.assign(lead.id, world.ids["jonas"], jonas.assignment(lead.id).version)
    new_lead(anna, "Für Anna selbst")
    anna.assign(lead.id, world.ids["anna"], anna.assignment(lead.id).version)
    assert bodies(anna) == [] and jonas.unread_count() == 1


def test_rule_14_a_lead_created_for_a_colleague_notifies_that_colleague(world):
    anna, jonas = world.repo("anna"), world.repo("jonas")
    anna.create_lead(NewLead(title="Für Jonas"), for_colleague=world.ids["jonas"])
    anna.create_lead(NewLead(title="Für niemanden"), unassigned=True)
    assert bodies(jonas) == ["Lead „Für Jonas“ wurde Ihnen von Anna Becker zugewiesen."]
    assert bodies(anna) == []


def test_rule_14_a_bulk_assignment_is_one_notification_with_the_count(world):
    anna, jonas = world.repo("anna"), world.repo("jonas")
    leads = [new_lead(anna, f"Lead {i}") for i in range(4)]
    anna.assign_many({lead.id: lead.assignment.version for lead in leads}, world.ids["jonas"])
    assert bodies(jonas) == ["4 Leads wurden Ihnen von Anna Becker zugewiesen."]
    assert jonas.notifications()[0].count == 4


def test_rule_14_a_handover_notifies_the_new_colleague_once(world):
    anna, markus = world.repo("anna"), world.repo("markus")
    for i in range(3):
        new_lead(markus, f"Markus {i}")
    anna.deactivate(world.ids["markus"])
    anna.hand_over(world.ids["markus"], world.ids["jonas"])
    assert bodies(world.repo("jonas")) == ["3 Leads wurden Ihnen von Anna Becker zugewiesen."]


def test_rule_15_activity_of_others_notifies_the_assignee_across_companies_by_company_name(world):
    lead_id = passed_on_lead(world, "Gewerbedach 40 kWp")
    anna, jonas, tim = world.repo("anna"), world.repo("jonas"), world.repo("tim")
    jonas.add_note(lead_id, "Kunde ruft zurück")
    assert bodies(anna) == ["Jonas Weber hat eine Notiz zu „Gewerbedach 40 kWp“ geschrieben: Kunde ruft zurück"]
    assert bodies(tim) == [
        "Sonnenstrom hat eine Notiz zu „Gewerbedach 40 kWp“ geschrieben: Kunde ruft zurück",
        "Neues Leadangebot von Sonnenstrom: Gewerbedach 40 kWp",  # rule 21: he receives the offers
    ]
    task = tim.add_task(lead_id, "Termin vereinbaren", None)
    assert bodies(anna)[0] == "Nordlicht hat eine Aufgabe zu „Gewerbedach 40 kWp“ angelegt: Termin vereinbaren"
    world.repo("julia").complete_task(task.id)
    assert bodies(tim)[0] == "Julia Neumann hat eine Aufgabe zu „Gewerbedach 40 kWp“ erledigt: Termin vereinbaren"
    assert bodies(anna)[0] == "Nordlicht hat eine Aufgabe zu „Gewerbedach 40 kWp“ erledigt: Termin vereinbaren"
    edit(tim, lead_id, status=LeadStatus.IN_PROGRESS)
    assert bodies(anna)[0] == "Nordlicht hat „Gewerbedach 40 kWp“ geändert: Status: neu → in Bearbeitung"
    principal_side, partner_side = " ".join(bodies(anna)), " ".join(bodies(tim))
    assert "Tim" not in principal_side and "Julia" not in principal_side and "Jonas" not in partner_side


def test_rule_15_unassigned_leads_notify_nobody(world):
    anna, jonas = world.repo("anna"), world.repo("jonas")
    lead = anna.create_lead(NewLead(title="Niemandes"), unassigned=True)
    jonas.add_note(lead.id, "Hallo")
    assert bodies(anna) == [] and bodies(jonas) == []


def test_rule_15_nobody_is_told_of_their_own_action(world):
    lead_id = passed_on_lead(world)
    anna, tim = world.repo("anna"), world.repo("tim")
    anna.add_note(lead_id, "Meine Notiz")
    tim.add_task(lead_id, "Seine Aufgabe", None)
    edit(tim, lead_id, contact="Frau Huber")
    assert all("Anna Becker" not in b for b in bodies(anna))
    assert all(not b.startswith("Tim Krüger") for b in bodies(tim))


def test_rule_16_each_kind_can_be_turned_off(world):
    anna, jonas = world.repo("anna"), world.repo("jonas")
    assert all(jonas.notification_preferences().values())
    jonas.save_notification_preferences({NotificationKind.ASSIGNED: False, NotificationKind.NOTE: True})
    anna_prefs = anna.notification_preferences()
    assert all(anna_prefs.values())  # per colleague
    lead = new_lead(anna)
    anna.assign(lead.id, world.ids["jonas"], lead.assignment.version)
    assert bodies(jonas) == []
    anna.add_note(lead.id, "Notiz")
    assert len(bodies(jonas)) == 1
    assert jonas.notification_preferences()[NotificationKind.ASSIGNED] is False


def test_the_inbox_marks_read_unread_and_all_read(world):
    anna, jonas = world.repo("anna"), world.repo("jonas")
    for i in range(3):
        lead = new_lead(anna, f"L{i}")
        anna.assign(lead.id, world.ids["jonas"], lead.assignment.version)
    inbox = jonas.notifications()
    assert [n.text[:8] for n in inbox] == ["Lead „L2", "Lead „L1", "Lead „L0"]
    jonas.mark_read([inbox[0].id])
    assert jonas.unread_count() == 2 and jonas.notifications()[0].read
    jonas.mark_read([inbox[0].id], read=False)
    assert jonas.unread_count() == 3
    assert jonas.mark_all_read() == 3 and jonas.unread_count() == 0
    assert anna.notifications() == [] and anna.unread_count() == 0
    jonas.mark_read([n.id for n in inbox], read=False)
    anna.mark_read([n.id for n in inbox])  # another's: nothing happens
    assert jonas.unread_count() == 3


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)  # row-level security
def test_acting_for_a_colleague_reads_no_one_elses_notifications_nor_writes_any(world):
    anna = world.repo("anna")
    lead = new_lead(anna)
    anna.assign(lead.id, world.ids["jonas"], lead.assignment.version)
    with world.behind_the_wall("anna") as conn:
        assert conn.execute(text("SELECT count(*) FROM notifications")).scalar() == 0
    with pytest.raises(Exception, match="permission denied"), world.behind_the_wall("anna") as conn:
        conn.execute(
            text(
                "INSERT INTO notifications (colleague_id, company_id, kind, count, body, at)"
                " VALUES (:j, :c, 'note', 1, 'gefälscht', now())"
            ),
            {"j": world.ids["jonas"], "c": anna.company_id},
        )
    assert world.repo("jonas").unread_count() == 1


# Due tasks ---------------------------------------------------------------------------------


def test_faellige_aufgaben_lists_my_leads_with_a_task_due_today_or_before(world):
    """Today is the world clock's day; a task tomorrow, a done task and a colleague's lead do not
    count; the partner's task on a shared lead does (its company reads it)."""
    anna, jonas = world.repo("anna"), world.repo("jonas")
    today = anna.today()
    due_today, overdue, later, done, theirs = (
        new_lead(anna, t) for t in ("Heute", "Gestern", "Morgen", "Erledigt", "Jonas")
    )
    anna.add_task(due_today.id, "Anrufen", today)
    anna.add_task(overdue.id, "Angebot", date.fromordinal(today.toordinal() - 3))
    anna.add_task(later.id, "Später", date.fromordinal(today.toordinal() + 5))
    anna.complete_task(anna.add_task(done.id, "Schon", today).id)
    anna.assign(theirs.id, world.ids["jonas"], theirs.assignment.version)
    jonas.add_task(theirs.id, "Seins", today)
    shared = passed_on_lead(world, "Geteilt")
    world.repo("tim").add_task(shared, "Vom Partner", today)
    expected = {due_today.id, overdue.id, shared}
    assert {r.id for r in anna.rows(ListQuery(kind=ListKind.DUE), 0, 50)} == expected
    assert anna.counts()[ListKind.DUE] == anna.count(ListQuery(kind=ListKind.DUE)) == 3
    by_id = {r.id: r for r in anna.rows(ListQuery(), 0, 50)}
    assert by_id[later.id].next_due == date.fromordinal(today.toordinal() + 5)
    assert by_id[done.id].next_due is None
    workload = {w.colleague.id: w.overdue for w in anna.workload()}
    assert workload[world.ids["anna"]] == 1 and workload[world.ids["jonas"]] == 0
    # the principal's tasks on a lead forwarded further are not the third company's
    assert world.repo("paul").counts()[ListKind.DUE] == 0


def test_a_due_date_lies_between_2000_and_2100(world):
    """ "01.01.0001" was accepted and showed as "fällig 01.01.1": refused, saying what works."""
    from leadtui.domain.dates import parse_due

    today = date(2026, 11, 2)
    for typed in ("01.01.0001", "31.12.2101", "01.01.1999"):
        with pytest.raises(ValueError, match=r"zwischen 01\.01\.2000 und 31\.12\.2100"):
            parse_due(typed, today)
    assert parse_due("31.12.2100", today) == date(2100, 12, 31)
    assert parse_due("10.11.", today) == date(2026, 11, 10)
    with pytest.raises(ValueError, match=r"ein Datum wie 10\.11\.2026"):
        parse_due("nächstes Jahr", today)
    anna = world.repo("anna")
    lead = new_lead(anna)
    with pytest.raises(InvalidInput):
        anna.add_task(lead.id, "Uralt", date(1, 1, 1))
    assert anna.lead(lead.id).journal == ()
