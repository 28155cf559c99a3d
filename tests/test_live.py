"""Live updates between colleagues: what one colleague's app changes shows in the other's within a
second, without a reload key, the cursor and marks where they were - and the other company's
apps learn nothing of it, not even that something changed."""

from __future__ import annotations

import time

import pytest
from helpers import new_lead, passed_on_lead, press, pumped_app, settle
from textual.pilot import Pilot

from leadtui.domain import ListKind, ListQuery
from leadtui.ui.app import COALESCE_S, LeadtuiApp
from leadtui.ui.screens.detail import LeadDetailScreen
from leadtui.ui.screens.locked import LockedScreen
from leadtui.ui.widgets.colleague_tile import ColleagueTile
from leadtui.ui.widgets.lead_table import LeadTable

SIZE = (120, 36)
WITHIN_S = 1.0


async def within(pilot: Pilot, condition, seconds: float = WITHIN_S) -> float:
    """Let the app run until `condition()` holds; how long it took (fails after `seconds`)."""
    began = time.monotonic()
    while not condition():
        assert time.monotonic() - began < seconds, "not shown within a second"
        await pilot.pause(0.02)
    return time.monotonic() - began


def row_of(app: LeadtuiApp, lead_id: int):
    table = app.screen.query_one(LeadTable)
    for index in range(min(table.count, 100)):
        row = table.cache.row(index)
        if row is not None and row.id == lead_id:
            return row
    return None


@pytest.mark.real_latency
async def test_a_colleagues_assignment_shows_in_my_list_within_a_second(world):
    """The live path as it runs, on the wall clock: database, feed, timers, repaint. The other
    live tests pump the feed and move the timers themselves."""
    anna_repo, jonas_repo = world.repo("anna"), world.repo("jonas")
    leads = [new_lead(anna_repo, f"Lead {i}") for i in range(6)]
    for repo in (anna_repo, jonas_repo):
        repo.save_setting("lead_list.columns", "title,colleague")
    anna, jonas = LeadtuiApp(anna_repo), LeadtuiApp(jonas_repo)
    async with anna.run_test(size=SIZE) as anna_pilot, jonas.run_test(size=SIZE) as jonas_pilot:
        await settle(anna_pilot)
        await settle(jonas_pilot)
        await press(jonas_pilot, "j", "j", "space")  # Jonas marks the third lead; the cursor moves on
        jonas_table = jonas.screen.query_one(LeadTable)
        marked, cursor_lead = set(jonas_table.marked), jonas_table.current.id
        target = leads[-1]  # the newest lead: the first row
        await press(anna_pilot, "a", *"jonas", "enter")
        assert anna_repo.assignment(target.id).assignee.name == "Jonas Weber"
        took = await within(
            jonas_pilot,
            lambda: (
                (row := row_of(jonas, target.id)) is not None
                and row.assignee is not None
                and row.assignee.name == "Jonas Weber"
            ),
        )
        assert took < WITHIN_S
        assert jonas_table.current.id == cursor_lead and set(jonas_table.marked) == marked
        await within(
            jonas_pilot,
            lambda: jonas.screen.counts.get(ListKind.MINE) == jonas_repo.count(ListQuery(kind=ListKind.MINE)),
        )


async def test_an_open_picker_does_not_save_over_a_colleagues_change(world):
    anna_repo, jonas_repo = world.repo("anna"), world.repo("jonas")
    lead = new_lead(anna_repo, "Umkämpfter Lead")
    jonas, feed, timers = pumped_app(jonas_repo)
    async with jonas.run_test(size=SIZE) as pilot:
        await settle(pilot)
        jonas.open_lead(lead.id)
        await settle(pilot)
        await press(pilot, "k", *"markus")  # Jonas's picker is open on Markus
        anna_repo.assign(lead.id, world.ids["anna"], anna_repo.assignment(lead.id).version + 0)
        anna_repo.assign(lead.id, world.ids["jonas"], anna_repo.assignment(lead.id).version)
        tile = jonas.screen.query_one(ColleagueTile)
        assert await feed.pump(pilot, change=True)
        timers.advance(COALESCE_S)
        await settle(pilot)
        assert tile.assignment.assignee is not None and tile.assignment.assignee.name == "Jonas Weber"
        assert tile.editing  # the picker stayed open
        await press(pilot, "enter")
        assert any("Inzwischen geändert" in n.message for n in jonas._notifications)
        assert jonas_repo.assignment(lead.id).assignee.name == "Jonas Weber"  # not overwritten
        assert isinstance(jonas.screen, LeadDetailScreen)


async def test_a_deactivated_colleagues_open_app_stops_showing_data(world):
    jonas, feed, timers = pumped_app(world.repo("jonas"))
    async with jonas.run_test(size=SIZE) as pilot:
        await settle(pilot)
        world.repo("anna").deactivate(world.ids["jonas"])
        await feed.pump(pilot, change=True)  # the feed's read is refused: Jonas is deactivated
        timers.advance(COALESCE_S)
        await settle(pilot)
        assert isinstance(jonas.screen, LockedScreen)


def test_the_other_company_learns_nothing_from_events(world):
    """A partner's feed stays silent when the principal reassigns a shared lead, and speaks when
    the principal offers it a lead."""
    lead_id = passed_on_lead(world)
    anna = world.repo("anna")
    partner_feed = world.repo("tim").feed(poll_s=0.01)
    own_feed = world.repo("jonas").feed(poll_s=0.01)
    try:
        assert partner_feed.wait(0) is False and own_feed.wait(0) is False  # listening, nothing new
        anna.assign(lead_id, world.ids["jonas"], anna.assignment(lead_id).version)
        assert own_feed.wait(5.0) is True  # returns as the change arrives
        # The partner's counter did not move: its feed reads it, and says so without waiting.
        assert partner_feed.wait(0) is False
        anna.offer(new_lead(anna, "Neu für Nordlicht").id, world.repo("tim").company_id)
        assert partner_feed.wait(5.0) is True
    finally:
        partner_feed.close()
        own_feed.close()


async def test_a_notification_for_me_arrives_as_a_toast_within_a_second(world):
    """The partner's colleague writes a note on a shared lead of mine: my open app shows it as a
    toast within a second, naming the partner company only; ctrl+o opens the lead. The writer's
    own app shows no notification."""
    lead_id = passed_on_lead(world, "Gewerbedach 40 kWp")
    world.repo("tim").mark_all_read()  # the offer he was told of (rule 21), read
    anna, anna_feed, anna_timers = pumped_app(world.repo("anna"))
    tim, tim_feed, tim_timers = pumped_app(world.repo("tim"))
    async with anna.run_test(size=SIZE) as anna_pilot, tim.run_test(size=SIZE) as tim_pilot:
        await settle(anna_pilot)
        await settle(tim_pilot)
        world.repo("tim").add_note(lead_id, "Termin steht")

        def toasted(app: LeadtuiApp) -> list[str]:
            return [n.message for n in app._notifications if "Notiz" in n.message]

        assert await anna_feed.pump(anna_pilot, change=True)
        anna_timers.advance(COALESCE_S)
        await settle(anna_pilot)
        assert toasted(anna)[0].startswith("Nordlicht hat eine Notiz zu „Gewerbedach 40 kWp“ geschrieben")
        assert anna.title == "leadtui · 1 ungelesen (b)"
        await press(anna_pilot, "ctrl+o")
        await settle(anna_pilot)
        assert isinstance(anna.screen, LeadDetailScreen) and anna.screen.lead_id == lead_id
        assert await tim_feed.pump(tim_pilot, change=True)  # his own note moved his company's counter
        tim_timers.advance(COALESCE_S)
        await settle(tim_pilot)
        assert toasted(tim) == [] and tim.title == "leadtui"
