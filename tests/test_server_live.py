"""Live events through servers: one event socket per app; a company's changes reach its own
colleagues' apps, whichever server process they are signed in to, and never another company's
(rule 3); a deactivated colleague's socket is closed and their app locks. And the app itself,
working through a server."""

from __future__ import annotations

import asyncio
import time

import pytest
from conftest import World
from helpers import new_lead, settle
from serving import Running, ServeProcess, close_signed_in, signed_in

from leadtui.db.engine import open_database
from leadtui.domain import Deactivated
from leadtui.repository import utcnow
from leadtui.repository.changes import CompanyWatch
from leadtui.server.events import Hub, Subscriber
from leadtui.ui.app import LeadtuiApp
from leadtui.ui.screens.locked import LockedScreen

HEARD_S = 10.0  # the most a test waits for an event it expects (it returns as soon as one comes)
QUIET_S = 0.6  # how long a feed that must hear nothing is listened to (the hub wakes every 0.25 s)


@pytest.fixture
def served_world(templates, db_kind, tmp_path):
    url = templates.current(db_kind, tmp_path)
    engine = open_database(url, create=True, migrate=True)
    made = World(engine)
    made.url = url
    yield made
    close_signed_in()
    engine.dispose()


def connected(feed):
    """A feed whose socket is open (its first wait connects and hears the hello)."""
    feed.wait(0.5)
    return feed


def hear_until_closed(feed):
    """Listen until the server closes the socket (the change event may come first)."""
    for _ in range(3):
        feed.wait(HEARD_S)


def test_a_change_between_reading_the_counter_and_listening_is_heard(any_world):
    """The watch reads a company's counter, then listens: a change committed in between is
    still reported by the next wait (it was lost until the company's next change)."""
    world = any_world
    company = world.repo("jonas").me.company_id
    watch = CompanyWatch(world.engine)
    try:
        watch.watch({company})
        new_lead(world.repo("anna"), "Dazwischen")
        assert watch.wait(HEARD_S) == {company}
        assert watch.wait(0.3) == set()
    finally:
        watch.close()


async def test_a_socket_hears_a_change_made_before_the_hub_watches_its_company(any_world):
    """An event socket subscribes with the counter it saw; the hub takes its company into the
    watch at its next round, and a change in between reaches the socket (it was lost)."""
    world = any_world
    company = world.repo("jonas").me.company_id
    hub = Hub(CompanyWatch(world.engine))
    subscriber = Subscriber(company, world.ids["jonas"], asyncio.get_running_loop(), hub.seq(company))
    hub.subscribe(subscriber)
    new_lead(world.repo("anna"), "Vor der ersten Runde")
    hub.start()
    try:
        await asyncio.wait_for(subscriber.changed.wait(), HEARD_S)
    finally:
        await asyncio.to_thread(hub.stop)


# Several server processes are the platform's way (PostgreSQL, NOTIFY across processes); on SQLite
# the processes' watch is `PRAGMA data_version`, the same as one app's feed (test_live.py).
@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
def test_events_reach_the_own_company_only_across_two_server_processes(served_world, tmp_path):
    world = served_world
    world.clock.now = utcnow()  # the server processes run on the real clock (invitations expire by it)
    one, two = ServeProcess(world.url, tmp_path), ServeProcess(world.url, tmp_path)  # both start at once
    with one, two:
        anna = signed_in(world, one.url, "anna")
        jonas = signed_in(world, two.url, "jonas")
        tim = signed_in(world, two.url, "tim")
        paul = signed_in(world, one.url, "paul")
        feeds = {key: connected(repo.feed()) for key, repo in (("jonas", jonas), ("tim", tim), ("paul", paul))}
        try:
            lead = new_lead(anna, "Nur für Sonnenstrom")
            anna.assign(lead.id, jonas.me.id, lead.assignment.version)
            assert feeds["jonas"].wait(HEARD_S)
            assert not feeds["tim"].wait(QUIET_S) and not feeds["paul"].wait(QUIET_S)

            anna.offer(lead.id, tim.company.id)  # a lead offer is Nordlicht's event too
            assert feeds["tim"].wait(HEARD_S)
            assert not feeds["paul"].wait(QUIET_S)

            anna.deactivate(jonas.me.id)
            with pytest.raises(Deactivated):
                hear_until_closed(feeds["jonas"])
        finally:
            for feed in feeds.values():
                feed.close()


async def test_the_app_works_and_locks_through_a_server(served_world):
    """The app holds a remote repository and does not know it: it shows the list, assigns
    with a key, hears a colleague's change through its socket, and locks when deactivated."""
    world = served_world
    anna_local = world.repo("anna")
    lead = new_lead(anna_local, "Über den Server")
    anna_local.assign(lead.id, None, lead.assignment.version)
    with Running(world.engine, clock=world.clock) as running:
        jonas = signed_in(world, running.url, "jonas")
        app = LeadtuiApp(jonas)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            await pilot.press("3", "i")  # Nicht zugewiesen, then "mir zuweisen"
            await settle(pilot)
            assert world.repo("jonas").assignment(lead.id).assignee.id == jonas.me.id
            anna_local.deactivate(jonas.me.id)
            # The server's close of the event socket reaches the app's feed worker: idle rounds
            # of the pilot until the app has handled it, for at most HEARD_S (no fixed sleep).
            deadline = time.monotonic() + HEARD_S
            while not isinstance(app.screen, LockedScreen) and time.monotonic() < deadline:
                await pilot.pause()
            assert isinstance(app.screen, LockedScreen)
