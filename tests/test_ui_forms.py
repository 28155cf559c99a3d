"""Pilot tests of what is typed into forms (issue 22): amounts with cents and due dates as
people say them are answered in place, and what was typed stays."""

from __future__ import annotations

from datetime import timedelta

from helpers import open_first_of_mine, press, settle, text_of
from textual.widgets import Input

from leadtui.domain import ListQuery
from leadtui.seed import DEMO_NOW
from leadtui.ui.screens.detail import LeadDetailScreen
from leadtui.ui.screens.journal_dialogs import TaskDialog
from leadtui.ui.screens.new_lead import NewLeadScreen

SIZE = (120, 36)


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
