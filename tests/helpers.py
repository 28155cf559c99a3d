"""Helpers shared by the tests: repository set-ups, the command line, and pilot tests (the app
reads and writes in workers, so a test lets them finish)."""

from __future__ import annotations

import contextlib
import io
import os
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import Connection, Engine, create_engine, text
from textual.pilot import Pilot
from textual.worker import WorkerFailed, WorkerState

from leadtui.ui.work import CHANGES, FLOW

PG_ADMIN_URL = os.environ.get("LEADTUI_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REQUIRE_PG = os.environ.get("LEADTUI_REQUIRE_POSTGRES") == "1"


def pg_admin_engine() -> Engine:
    """The superuser's engine; skips (or, where PostgreSQL is required, fails) without a server."""
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure to reach the server means: no PostgreSQL here
        engine.dispose()
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL required (LEADTUI_REQUIRE_POSTGRES=1) but unreachable: {error}")
        pytest.skip(f"no PostgreSQL server reachable at {PG_ADMIN_URL}")
    return engine


def _busy(app: Any) -> list[Any]:
    """The workers still at work, leaving out the change feed (it runs as long as the app) and
    flows (they wait for the user while a dialog is open; their database calls are workers of
    their own, waited for here)."""
    return [
        w
        for w in app.workers
        if w.state in (WorkerState.PENDING, WorkerState.RUNNING) and w.group not in (CHANGES, FLOW)
    ]


async def settle(pilot: Pilot, rounds: int = 40) -> None:
    """Wait until no worker runs and every result has been handled (a result may start more)."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        if not _busy(app):
            await pilot.pause()
            if not _busy(app):
                return
        with contextlib.suppress(WorkerFailed):  # the app routes worker failures itself (a toast)
            await app.workers.wait_for_complete(_busy(app))
    raise AssertionError("workers never settled")


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys one after another as a quick typist does - each handled, not each waited
    for - then let the database work they started finish. A test that needs a key's result
    before the next key presses them in separate calls."""
    await pilot.press(*keys)
    await settle(pilot)


async def until(pilot: Pilot, condition: Any, what: str, rounds: int = 50) -> None:
    """Let the app handle what it has queued (a refresh, a footer's recompose) until
    `condition()` holds: one pilot pause a round, never a fixed sleep; fails after `rounds`."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what}")


def text_of(widget) -> str:
    return str(widget.render())


def rendered_text(app: Any) -> str:
    """What the app writes to the terminal as text (its styling codes left out)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, legacy_windows=False)
    update_ = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return "".join(segment.text for segment in console.render(update_) if not segment.control).replace("\n", "")


def new_lead(repo: Any, title: str = "PV-Anlage Müller") -> Any:
    from leadtui.domain import NewLead

    return repo.create_lead(NewLead(title=title, prospect="Bäckerei Müller", city="Augsburg"))


def passed_on_lead(world: Any, title: str = "Gewerbedach 40 kWp") -> int:
    """A Sonnenstrom lead offered to and accepted by Nordlicht (Tim); returns its id."""
    anna, tim = world.repo("anna"), world.repo("tim")
    lead = new_lead(anna, title)
    tim.accept_offer(anna.offer(lead.id, tim.company_id).share_id)
    return int(lead.id)


def run_cli(capsys: Any, *argv: str) -> tuple[int, str, str]:
    """Run the command line in-process: (exit code, stdout, stderr)."""
    from leadtui.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def eventually(condition: Any, what: str, timeout: float = 10.0) -> None:
    """Wait until another process or thread makes `condition()` true - a session waits for a
    lock, as pg_stat_activity shows: asked again and again (each ask is a round trip to the
    server, no sleep between), failing after `timeout`; never a fixed sleep, then an assertion."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"


class ManualTimers:
    """The app's timers (undo window, notice, refresh) moved by the test, not by the wall clock."""

    def __init__(self) -> None:
        self.now = 0.0
        self._due: list[tuple[float, int, Any]] = []
        self._made = 0

    def after(self, owner: Any, delay: float, callback: Any) -> None:
        self._made += 1
        self._due.append((self.now + delay, self._made, callback))

    def advance(self, seconds: float) -> None:
        """Let `seconds` pass: every callback due by then runs, in order."""
        self.now += seconds
        due = sorted(entry for entry in self._due if entry[0] <= self.now)
        self._due = [entry for entry in self._due if entry[0] > self.now]
        for _, _, callback in due:
            callback()


class PumpedFeed:
    """The app's change feed, asked by the test: the app's watch (a worker) waits until the test
    pumps, then asks the repository's real feed once - waiting up to `within` seconds for a change
    that must come, not at all for one that must not - and hands the answer to the app."""

    def __init__(self, real: Any) -> None:
        import threading

        self._real = real
        self._pumped = threading.Condition()
        self._asked = self._answered = 0
        self._within = 0.0
        self.answer: bool | None = None

    def wait(self, timeout: float) -> bool:
        with self._pumped:
            self._answered = self._asked  # the app handled the previous answer: it is back here
            self._pumped.notify_all()
            if not self._pumped.wait_for(lambda: self._asked > self._answered, timeout):
                return False
            within = self._within
        try:
            self.answer = self._real.wait(within)
        except BaseException:  # e.g. Deactivated: the watch ends here, and the app handles it
            with self._pumped:
                self._answered = self._asked
                self._pumped.notify_all()
            raise
        return self.answer

    def close(self) -> None:
        self._real.close()

    async def pump(self, pilot: Pilot, *, change: bool) -> bool:
        """Ask the real feed once (`change`: one must have come) and let the app handle the
        answer; returns the answer."""
        with self._pumped:
            self._within = 5.0 if change else 0.0
            self._asked += 1
            asked = self._asked
            self._pumped.notify_all()
        for _ in range(10_000):
            with self._pumped:
                if self._answered >= asked:
                    break
            await pilot.pause()
        else:
            raise AssertionError("the app's change watch never came back for the answer")
        return bool(self.answer)


def pumped_app(repository: Any, **kwargs: Any) -> tuple[Any, Any, ManualTimers]:
    """An app whose change feed the test pumps and whose timers the test moves."""
    from leadtui.ui.app import LeadtuiApp

    feeds: list[PumpedFeed] = []

    def make() -> PumpedFeed:
        feeds.append(PumpedFeed(repository.feed()))
        return feeds[-1]

    timers = ManualTimers()
    app = LeadtuiApp(repository, feed=make, timers=timers, **kwargs)
    feed = _LazyFeed(feeds)
    return app, feed, timers


class _LazyFeed:
    """The feed the app makes when it mounts (it does not exist before the app runs)."""

    def __init__(self, feeds: list[PumpedFeed]) -> None:
        self._feeds = feeds

    async def pump(self, pilot: Pilot, *, change: bool) -> bool:
        assert self._feeds, "the app has not started its change watch"
        return await self._feeds[-1].pump(pilot, change=change)


def migrate(conn: Connection, revision: str, *, down: bool = False) -> None:
    """Bring the schema in `conn`'s transaction to `revision` (up, or with `down` down): a
    database as an earlier leadtui left it."""
    from alembic import command

    from leadtui.db.engine import _alembic_config

    config = _alembic_config()
    config.attributes["connection"] = conn
    (command.downgrade if down else command.upgrade)(config, revision)
