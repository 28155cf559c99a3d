"""Pilot tests of working a lead in the app: the edit form, the journal, the inbox, the
preferences and live notification toasts (issue 11)."""

from __future__ import annotations

from dataclasses import replace

from helpers import press, pumped_app, rendered_text, settle, text_of
from textual.widgets import DataTable, Input, OptionList, SelectionList

from leadtui.domain import JournalKind, LeadStatus, ListKind, ListQuery, NewLead, NotificationKind, SortKey
from leadtui.repository import Repository
from leadtui.seed import DEMO_NOW, DEMO_USER
from leadtui.ui.app import COALESCE_S
from leadtui.ui.screens.detail import LeadDetailScreen
from leadtui.ui.screens.inbox import InboxScreen, Preferences
from leadtui.ui.screens.journal_dialogs import NoteDialog, TaskDialog
from leadtui.ui.screens.leads import LeadsScreen
from leadtui.ui.screens.new_lead import NewLeadScreen
from leadtui.ui.widgets.lead_table import LeadHeader, LeadTable

# Leadangebote as the app shows them: newest offer first (rule 21)
AS_SHOWN = ListQuery(kind=ListKind.OFFERS, sort=SortKey.ARRIVED)

SIZE = (120, 36)
TIM = "tim.krueger@nordlicht.example"
JONAS = "jonas.weber@sonnenstrom.example"


def journal_lines(app) -> list[str]:
    journal = app.screen.query_one("#journal", OptionList)
    return [str(journal.get_option_at_index(i).prompt) for i in range(journal.option_count)]


async def open_first_of_mine(pilot):
    await settle(pilot)
    await press(pilot, "2", "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LeadDetailScreen)
    return pilot.app.screen.lead


async def replace_text(pilot, field: str, text: str) -> None:
    """What select-all and typing do to a form field, through Input's own editing API: typing
    60 backspaces key by key took seconds, and tested Textual's Input rather than the form."""
    box = pilot.app.screen.query_one(f"#f-{field}", Input)
    box.focus()
    box.clear()
    box.insert_text_at_cursor(text)
    await settle(pilot)


async def test_edit_a_lead_in_the_form_and_see_the_event_in_the_journal(make_app):
    app = make_app()
    repo = app.repository
    async with app.run_test(size=SIZE) as pilot:
        lead = await open_first_of_mine(pilot)
        await press(pilot, "e")
        assert isinstance(app.screen, NewLeadScreen)
        assert app.screen.query_one("#f-title", Input).value == lead.title
        await replace_text(pilot, "city", "Ulm")
        await replace_text(pilot, "email", "kein-mail")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, NewLeadScreen)  # checked like a new lead
        assert "Keine gültige E-Mail-Adresse" in text_of(app.screen.query_one("#e-email"))
        await replace_text(pilot, "email", "neu@kunde.example")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LeadDetailScreen)
        now = repo.lead(lead.id)
        assert (now.city, now.email) == ("Ulm", "neu@kunde.example")
        assert f"Ort: {lead.city} → Ulm" in journal_lines(app)[0]
        assert app.screen.lead.city == "Ulm" and "Ulm" in rendered_text(app)


async def test_a_stale_edit_names_what_a_colleague_changed(make_app, demo_engine):
    app = make_app()
    repo = app.repository
    jonas = Repository.for_email(demo_engine, JONAS)
    async with app.run_test(size=SIZE) as pilot:
        lead = await open_first_of_mine(pilot)
        await press(pilot, "e")
        seen = NewLead.of(lead)
        jonas.edit_lead(lead.id, replace(seen, status=LeadStatus.WON), lead.version, seen)
        await replace_text(pilot, "city", "Ulm")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LeadDetailScreen)
        assert any("Inzwischen von anderen geändert: Status" in n.message for n in app._notifications)
    assert repo.lead(lead.id).city == lead.city  # nothing written over the colleague's change


async def test_the_partner_form_keeps_the_origin_read_only(make_app):
    app = make_app(TIM)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        accepted = app.repository.rows(ListQuery(kind=ListKind.ALL), 0, 1)[0]
        app.open_lead(accepted.id)
        await settle(pilot)
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, NewLeadScreen)
        assert form.query_one("#f-title", Input).disabled and form.query_one("#f-value", Input).disabled
        assert not form.query_one("#f-contact", Input).disabled
        assert "ändert die Firma, der der Lead gehört" in text_of(form.query_one(".hint"))


async def test_notes_and_tasks_in_the_journal_by_keyboard(make_app):
    app = make_app()
    repo = app.repository
    async with app.run_test(size=SIZE) as pilot:
        lead = await open_first_of_mine(pilot)
        await press(pilot, "n")
        assert isinstance(app.screen, NoteDialog)
        await press(pilot, "ctrl+s")  # nothing written yet: said, not saved
        assert "Notiz ist erforderlich." in text_of(app.screen.query_one("#note-error"))
        await press(pilot, *"Erste Zeile", "enter", *"Zweite [Zeile]", "ctrl+s")
        await settle(pilot)
        assert "Erste Zeile\nZweite [Zeile]" in journal_lines(app)[0]
        await press(pilot, "t")
        assert isinstance(app.screen, TaskDialog)
        await press(pilot, *"Angebot schicken", "tab", *"32.13.", "enter")
        assert "Fällig: ein Datum" in text_of(app.screen.query_one("#task-error"))
        app.screen.query_one("#task-due", Input).value = ""
        await press(pilot, *"heute", "enter")
        await settle(pilot)
        assert f"☐ Aufgabe: Angebot schicken · fällig {DEMO_NOW:%d.%m.%Y}" in journal_lines(app)[0]
        await press(pilot, "x")
        await settle(pilot)
        assert journal_lines(app)[0].startswith(f"{DEMO_NOW:%d.%m.%Y}") and "☑ Aufgabe" in journal_lines(app)[0]
    kinds = [e.kind for e in repo.lead(lead.id).journal]
    assert kinds[:2] == [JournalKind.TASK, JournalKind.NOTE] and repo.lead(lead.id).journal[0].done


async def test_the_inbox_shows_the_unread_count_opens_leads_and_marks_them(make_app):
    app = make_app()
    repo = app.repository
    unread = repo.unread_count()
    assert unread >= 4  # the demo morning's work on Anna's leads
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.title == f"leadtui · {unread} ungelesen (b)"
        await press(pilot, "b")
        assert isinstance(app.screen, InboxScreen)
        inbox = app.screen.query_one("#inbox", OptionList)
        assert inbox.option_count == len(repo.notifications())
        first_line = str(inbox.get_option_at_index(0).prompt)
        assert first_line.startswith("● ") and repo.notifications()[0].text in first_line
        newest = repo.notifications()[0]
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadDetailScreen) and app.screen.lead_id == newest.lead_id
        await press(pilot, "escape")
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert repo.unread_count() == unread - 1 and app.title == f"leadtui · {unread - 1} ungelesen (b)"
        await press(pilot, "m")  # unread again
        await settle(pilot)
        assert repo.unread_count() == unread
        await press(pilot, "M")
        await settle(pilot)
        assert repo.unread_count() == 0 and app.title == "leadtui"
        assert "alle gelesen" in text_of(app.screen.query_one("#inbox-title"))
        await press(pilot, "e")
        await settle(pilot)
        assert isinstance(app.screen, Preferences)
        await press(pilot, "space", "enter")  # the first kind (assigned to me) off
        await settle(pilot)
        assert isinstance(app.screen, InboxScreen)
        assert not app.screen.query(SelectionList)  # the dialog is gone
    assert repo.notification_preferences()[NotificationKind.ASSIGNED] is False


async def test_a_digest_of_assigned_leads_opens_meine_leads_with_them_marked(make_app, demo_engine):
    """Issue 22: "3 Leads wurden Ihnen von Jonas Weber zugewiesen" opens Meine Leads with those
    three marked, ready for the next step on all of them."""
    app = make_app()
    jonas = Repository.for_email(demo_engine, JONAS, clock=lambda: DEMO_NOW)
    rows = jonas.rows(ListQuery(kind=ListKind.UNASSIGNED), 0, 3)
    assert jonas.assign_many({row.id: row.version for row in rows}, app.repository.me.id).assigned == 3
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        assert "3 Leads wurden Ihnen von Jonas Weber zugewiesen" in str(
            app.screen.query_one("#inbox", OptionList).get_option_at_index(0).prompt
        )
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen) and app.screen.list_query.kind is ListKind.MINE
        table = app.screen.query_one(LeadTable)
        assert {row.id for row in table.marked.values()} == {row.id for row in rows}


async def test_a_notification_arrives_as_a_toast_and_ctrl_o_opens_its_lead(demo_engine):
    app, feed, timers = pumped_app(Repository.for_email(demo_engine, DEMO_USER, clock=lambda: DEMO_NOW))
    jonas = Repository.for_email(demo_engine, JONAS)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.repository.unread_count()
        row = jonas.rows(ListQuery(kind=ListKind.UNASSIGNED), 0, 1)[0]
        jonas.assign(row.id, app.repository.me.id, row.version)
        assert await feed.pump(pilot, change=True)
        timers.advance(COALESCE_S)
        await settle(pilot)
        toast_text = next(n.message for n in app._notifications if "wurde Ihnen von Jonas Weber" in n.message)
        assert row.title[:20] in toast_text and "Strg+O: öffnen" in toast_text
        assert app.title == f"leadtui · {before + 1} ungelesen (b)"
        await press(pilot, "ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, LeadDetailScreen) and app.screen.lead_id == row.id
        await settle(pilot)
        assert app.repository.unread_count() == before


async def test_faellige_aufgaben_and_the_due_column(make_app):
    """7 lists my leads with a task due today or before, with their due date (the other lists
    show it only when chosen: the column-chooser snapshot); the team workload counts overdue
    leads."""
    app = make_app()
    repo = app.repository
    due = repo.count(ListQuery(kind=ListKind.DUE))
    assert due >= 1  # the demo morning's "Angebot schicken", due today
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "7")
        await settle(pilot)
        assert text_of(app.screen.query_one("#list-title")) == f"Fällige Aufgaben · {due}"
        # shown in this list without choosing it (issue 22), next to the title
        assert [c.label for c in app.screen.query_one(LeadHeader).columns][1] == "Fällig"
        row = app.screen.query_one(LeadTable).cache.row(0)
        assert row.next_due is not None and row.next_due <= DEMO_NOW.date()
        assert f"{row.next_due:%d.%m.%Y}" in rendered_text(app)
        await press(pilot, "t")
        await settle(pilot)
        table = app.screen.query_one("#workload", DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        assert "Überfällig" in labels


async def test_a_long_journal_shows_the_newest_first_and_older_ones_on_enter(make_app):
    app = make_app()
    repo = app.repository
    lead = repo.rows(ListQuery(kind=ListKind.MINE), 0, 1)[0]
    for i in range(30):
        repo.add_note(lead.id, f"Notiz {i}")
    total = len(repo.lead(lead.id).journal)
    async with app.run_test(size=SIZE) as pilot:
        await open_first_of_mine(pilot)
        lines = journal_lines(app)
        assert "Notiz 29" in lines[0] and lines[-1] == f"… {total - 12} ältere Einträge anzeigen (Enter)"
        journal = app.screen.query_one("#journal", OptionList)
        for _ in range(3):  # by keyboard, as the README says: tab to the journal
            if journal.has_focus:
                break
            await press(pilot, "tab")
        assert journal.has_focus
        await press(pilot, "G", "enter")
        assert len(journal_lines(app)) == 25 and "Notiz 17" in journal_lines(app)[12]


async def test_undo_in_the_detail_after_the_kollege_tile_and_an_acceptance(make_app):
    app = make_app()
    repo = app.repository
    async with app.run_test(size=SIZE) as pilot:
        lead = await open_first_of_mine(pilot)
        await press(pilot, "k", *"jon", "enter")
        await settle(pilot)
        assert repo.assignment(lead.id).assignee.name == "Jonas Weber"
        await press(pilot, "u")
        await settle(pilot)
        assert repo.assignment(lead.id).assignee.name == "Anna Becker"
        assert app.screen.lead.history[0].reason.label == "rückgängig gemacht"
    tim_app = make_app(TIM)
    async with tim_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        offer = tim_app.repository.rows(AS_SHOWN, 0, 1)
        assert offer  # the demo has open offers for Nordlicht
        await press(pilot, "6", "enter")
        await settle(pilot)
        await pilot.click("#accept")
        await settle(pilot)
        assert tim_app.screen.lead.visible
        await press(pilot, "u")
        await settle(pilot)
        assert not tim_app.screen.lead.visible and tim_app.screen.lead.pending_offer_id == offer[0].share_id


async def test_b_does_not_open_the_inbox_over_a_dialog(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "c", "b")
        assert not isinstance(app.screen, InboxScreen)
        await press(pilot, "escape", "b")
        assert isinstance(app.screen, InboxScreen)
