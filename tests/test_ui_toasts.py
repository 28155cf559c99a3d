"""Pilot tests of toasts that do not pile up (issue 22): a repeated toast collapses into one
that counts, and only a few are up at a time."""

from __future__ import annotations

from helpers import open_first_of_mine, press, settle

from leadtui.ui.textual_internals import toasts_up
from leadtui.ui.toasts import MOST_TOASTS

SIZE = (120, 36)


async def test_thirteen_quick_notes_show_one_toast_that_counts(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_first_of_mine(app, pilot)
        for number in range(13):
            await press(pilot, "n", *f"Notiz {number}", "ctrl+s")
        await settle(pilot)
        journal = [toast for toast in toasts_up(app) if toast.title == "Journal"]
        assert [toast.message for toast in journal] == ["Notiz gespeichert. (13×)"]
        assert len(app.repository.lead(app.screen.lead_id).journal) >= 13


async def test_no_more_than_a_few_toasts_are_up_and_the_newest_stay(make_app):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        for number in range(MOST_TOASTS + 3):
            app.notify(f"Meldung {number}")
        await settle(pilot)
        shown = [toast.message for toast in toasts_up(app)]
        assert shown == [f"Meldung {number}" for number in range(3, MOST_TOASTS + 3)]
