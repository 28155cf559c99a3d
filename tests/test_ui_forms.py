"""Pilot tests of what is typed into forms and copied out of leads (issue 22): amounts with
cents and due dates as people say them are answered in place, what was typed stays, and `y`
copies a lead's e-mail or phone."""

from __future__ import annotations

from datetime import timedelta

from helpers import open_first_of_mine, press, settle, text_of, typed_at_once
from textual.widgets import Input

from leadtui.domain import ListQuery
from leadtui.seed import DEMO_NOW
from leadtui.ui.screens.copy_contact import CopyContact
from leadtui.ui.screens.detail import LeadDetailScreen
from leadtui.ui.screens.journal_dialogs import TaskDialog
from leadtui.ui.screens.leads import LeadsScreen
from leadtui.ui.screens.new_lead import NewLeadScreen
from leadtui.ui.textual_internals import toasts_up
from leadtui.ui.widgets.lead_table import LeadTable

SIZE = (120, 36)
TIM = "tim.krueger@nordlicht.example"


async def test_a_value_with_cents_is_refused_in_place_and_kept(make_app):
    app = make_app()
    before = app.repository.count(ListQuery())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "n", *"Dachsanierung")
        app.screen.query_one("#f-value", Input).value = "1.234.567,89"
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, NewLeadScreen)
        assert text_of(app.screen.query_one("#e-value")) == "Der Wert ist in ganzen Euro – ohne Cent, z. B. 1.234.568."
        assert app.screen.query_one("#f-value", Input).value == "1.234.567,89"
        app.screen.query_one("#f-value", Input).value = "1.234.568"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NewLeadScreen)
    assert app.repository.count(ListQuery()) == before + 1


async def test_a_task_due_freitag_says_the_day_before_it_is_saved(make_app):
    app = make_app()
    today = DEMO_NOW.date()
    friday = today + timedelta(days=(4 - today.weekday()) % 7)
    async with app.run_test(size=SIZE) as pilot:
        lead = await open_first_of_mine(app, pilot)
        await press(pilot, "t", *"Rückruf", "tab", *"31.02.")
        assert isinstance(app.screen, TaskDialog)
        assert text_of(app.screen.query_one("#task-when")) == ""
        await press(pilot, "enter")
        assert "gibt es nicht – der Februar" in text_of(app.screen.query_one("#task-error"))
        app.screen.query_one("#task-due", Input).value = "Freitag"
        await settle(pilot)
        assert text_of(app.screen.query_one("#task-when")) == f"fällig Fr, {friday:%d.%m.%Y}"
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadDetailScreen)
    task = app.repository.lead(lead.id).journal[0]
    assert (task.text, task.due) == ("Rückruf", friday)


async def test_y_copies_the_email_or_the_phone_of_the_highlighted_lead(make_app):
    """Issue 22: `y` in a list and in the detail; a choice when the lead has both."""
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        row = app.screen.query_one(LeadTable).current
        lead = app.repository.lead(row.id)
        assert lead.email and lead.phone  # the demo's leads have both
        await press(pilot, "y")
        assert isinstance(app.screen, CopyContact)
        await press(pilot, "2")
        await settle(pilot)
        assert app.clipboard == lead.phone and isinstance(app.screen, LeadsScreen)
        await press(pilot, "enter", "y", "enter")
        await settle(pilot)
        assert app.clipboard == lead.email and isinstance(app.screen, LeadDetailScreen)


async def test_y_on_an_offer_not_yet_accepted_copies_nothing(make_app):
    app = make_app(TIM)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await press(pilot, "6", "y")
        await settle(pilot)
        assert app.clipboard == ""
        assert any("nach Annahme des Leadangebots" in n.message for n in toasts_up(app))


async def test_keys_typed_while_a_form_comes_up_reach_its_first_field(make_app):
    """Issue 22: `n` and at once the title - the form was not focused yet, and the first
    letters were lost. The app holds them until the form takes keys."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.action_new_lead()  # what `n` does: the form is pushed, not yet built
        assert isinstance(app.screen, NewLeadScreen)
        assert not app.screen.keys_ready  # typed before the form took keys: the case at hand
        await typed_at_once(pilot, *"Erster Lead")
        assert app.screen.query_one("#f-title", Input).value == "Erster Lead"


async def test_a_pasted_title_too_long_is_refused_and_kept_to_be_shortened(make_app):
    """Issue 22: the message says the limit, and the text stays in the field to be cut down."""
    from textual import events

    app = make_app()
    before = app.repository.count(ListQuery())
    long_title = "Ladeinfrastruktur Firmenparkplatz Nord " * 8
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        app.screen.query_one("#f-title", Input).post_message(events.Paste(long_title))
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, NewLeadScreen)
        assert "zu lang (höchstens 200 Zeichen)" in text_of(app.screen.query_one("#e-title"))
        assert app.screen.query_one("#f-title", Input).value.strip() == long_title.strip()
    assert app.repository.count(ListQuery()) == before
