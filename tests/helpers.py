"""Helpers shared by the tests: repository set-ups, the command line, and pilot tests (the app
reads and writes in workers, so a test lets them finish)."""

from __future__ import annotations

import contextlib
import functools
import io
import os
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool
from textual.pilot import Pilot
from textual.worker import WorkerFailed, WorkerState

from leadtui.domain import Decline, DeclineReason
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


# What a test could change in a PostgreSQL database's schema (tables, columns, constraints,
# triggers, functions, policies, privileges) and its migration state, as one fingerprint: a
# reused database whose fingerprint differs from the template's is made anew.
SCHEMA_FINGERPRINT = """
SELECT md5(string_agg(item, '|' ORDER BY item)) FROM (
    SELECT 'c:' || c.relname || ':' || c.relkind::text || ':' || c.relrowsecurity || ':'
        || c.relforcerowsecurity || ':' || coalesce(c.relacl::text, '') AS item
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
    UNION ALL SELECT 'a:' || a.attrelid::regclass || ':' || a.attname || ':' || a.atttypid || ':' || a.attnotnull
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL SELECT 'k:' || conrelid::regclass || ':' || conname || ':' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL SELECT 't:' || tgrelid::regclass || ':' || tgname || ':' || tgenabled::text || ':' || tgfoid
    FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL SELECT 'f:' || proname || ':' || md5(prosrc) || ':' || prosecdef || ':' || coalesce(proacl::text, '')
    FROM pg_proc WHERE pronamespace = 'public'::regnamespace
    UNION ALL SELECT 'p:' || polrelid::regclass || ':' || polname || ':' || coalesce(pg_get_expr(polqual, polrelid), '')
        || ':' || coalesce(pg_get_expr(polwithcheck, polrelid), '')
    FROM pg_policy
    UNION ALL SELECT 'v:' || version_num FROM alembic_version
    UNION ALL SELECT 'd:' || coalesce(array_to_string(setconfig, ','), '')
    FROM pg_db_role_setting WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
) AS items
"""


class ReusedPostgres:
    """A migrated PostgreSQL database a test process keeps and empties for each test (or each
    state machine example): creating and dropping databases cost more than most tests. All
    data out, sequences restarted, other sessions ended - and made anew from the migrated
    template when a test changed its schema."""

    def __init__(self) -> None:
        self._admin = pg_admin_engine()
        self._template = f"leadtui_template_{uuid.uuid4().hex[:12]}"
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self._template}"'))
        from leadtui.db.engine import open_database

        engine = open_database(self.url(self._template), migrate=True)
        with engine.connect() as conn:
            self._fingerprint = conn.execute(text(SCHEMA_FINGERPRINT)).scalar_one()
            tables = conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
            )
            self._tables = [f'"{table}"' for (table,) in tables]
            sequences = conn.execute(
                text("SELECT format('%I', sequencename) FROM pg_sequences WHERE schemaname = 'public'")
            ).scalars()
            self._restart = "SELECT " + ", ".join(f"setval('{s}', 1, false)" for s in sequences)
        engine.dispose()  # no connection may stay: it is copied
        self._name: str | None = None
        # No pool: a kept connection would be one of the sessions ended before each emptying.
        self._engine: Engine | None = None

    @staticmethod
    def url(name: str) -> str:
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def copy_into(self, name: str) -> None:
        """Make the database `name` (existing, or not) a new copy of the template."""
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"'))

    def fresh(self) -> str:
        """The URL of the kept database, as the template left it."""
        if self._name is None:
            self._name = f"leadtui_reused_{uuid.uuid4().hex[:12]}"
            self.copy_into(self._name)
            self._engine = create_engine(
                self.url(self._name).replace("postgresql://", "postgresql+psycopg://"),
                poolclass=NullPool,
                isolation_level="AUTOCOMMIT",
            )
            return self.url(self._name)
        with self._admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": self._name},
            )
        assert self._engine is not None
        try:
            with self._engine.connect() as conn:
                if conn.execute(text(SCHEMA_FINGERPRINT)).scalar_one() != self._fingerprint:
                    raise LookupError("the last test changed the schema")
                # DELETE with the foreign-key triggers off, not TRUNCATE: on a few rows a
                # tenth of the time (TRUNCATE makes new files for all tables and indexes).
                conn.execute(text("SET session_replication_role = replica"))
                for table in self._tables:
                    conn.execute(text(f"DELETE FROM {table}"))
                conn.execute(text("SET session_replication_role = DEFAULT"))
                conn.execute(text(self._restart))
        except (LookupError, DBAPIError):
            self.copy_into(self._name)
        return self.url(self._name)

    def drop(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
        with self._admin.connect() as conn:
            for name in (self._name, self._template):
                if name is not None:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._admin.dispose()


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


def drawn(widget: Any) -> str:
    """What `widget` shows on screen, its lines joined by spaces (a wrapped text reads whole)."""
    from textual.geometry import Region

    strips = widget.render_lines(Region(0, 0, widget.outer_size.width, widget.outer_size.height))
    return " ".join(" ".join(strip.text.split()) for strip in strips if strip.text.strip())


def rendered_text(app: Any) -> str:
    """What the app writes to the terminal as text (its styling codes left out)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, legacy_windows=False)
    update_ = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return "".join(segment.text for segment in console.render(update_) if not segment.control).replace("\n", "")


async def open_first_of_mine(app: Any, pilot: Pilot) -> Any:
    """Open the acting colleague's newest lead in the app; its row."""
    from leadtui.domain import ListKind, ListQuery

    await settle(pilot)
    lead = app.repository.rows(ListQuery(kind=ListKind.MINE), 0, 1)[0]
    app.open_lead(lead.id)
    await settle(pilot)
    return lead


class StandingClock:
    """A clock that stands still until the test moves it (`now`): response windows end exactly
    where a test puts them."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 12, 6, 10, 0)

    def __call__(self) -> datetime:
        return self.now


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


def at_once(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls in threads released together; each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcomes[i] = calls[i]()
        except Exception as error:  # noqa: BLE001 - the test sorts the outcomes
            outcomes[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


# A reason to decline where the test is not about the reason (rule 23).
NO_CAPACITY = Decline(DeclineReason.NO_CAPACITY)


@functools.cache
def textual_descriptions() -> set[str]:
    """Every key description Textual's own widgets and screens declare (English)."""
    import importlib
    import pkgutil

    import textual
    import textual.widgets

    found: set[str] = set()
    for module_info in pkgutil.walk_packages(textual.__path__, "textual."):
        if module_info.name.startswith(("textual.demo", "textual._", "textual.cli")):
            continue
        try:
            module = importlib.import_module(module_info.name)
        except Exception:  # noqa: BLE001 - optional parts (syntax highlighting extras) may not import
            continue
        for value in vars(module).values():
            for binding in getattr(value, "__dict__", {}).get("BINDINGS", ()) if isinstance(value, type) else ():
                if isinstance(binding, tuple):
                    description = binding[2] if len(binding) > 2 else ""
                else:
                    description = binding.description
                if description:
                    found.add(description)
    assert "Focus Next" in found or "Copy selected text" in found  # the check sees Textual's words
    return found


async def typed_at_once(pilot: Pilot, *keys: str) -> None:
    """Keys arriving together, as a terminal delivers what was typed while the app was busy:
    each queued before the first is handled (`Pilot.press` waits for each key)."""
    from textual import events

    for key in keys:
        name = {" ": "space"}.get(key, key)
        pilot.app.post_message(events.Key(name, key if len(key) == 1 else None))
    await settle(pilot)
