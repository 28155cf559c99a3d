"""Fixtures: every database test runs on SQLite and on a throwaway PostgreSQL database.

PostgreSQL tests skip with a reason when no server answers, unless LEADTUI_REQUIRE_POSTGRES=1
(set by .ci/run), which turns the skip into a failure.
"""

from __future__ import annotations

import gc
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import textual.constants
from helpers import PG_ADMIN_URL, ReusedPostgres, pg_admin_engine
from hypothesis import settings
from sqlalchemy import Connection, Engine, select, text, update
from sqlalchemy.engine import make_url

from leadtui.admin import Admin
from leadtui.db.backends.postgres import Postgres
from leadtui.db.engine import open_database
from leadtui.db.models import ColleagueModel, CompanyModel, JournalEntryModel, LeadModel
from leadtui.domain import LeadtuiError, ListKind, ListQuery, NewLead
from leadtui.repository import Repository

# Hypothesis profiles: "ci" (the default, what .ci/run runs) and "long" (ten times the examples,
# for a night or before a release): HYPOTHESIS_PROFILE=long python -m pytest tests/test_dates.py
# tests/test_repository_stateful.py. The state machines scale their examples with the profile.
settings.register_profile("ci", max_examples=100, deadline=None, print_blob=True)
settings.register_profile("long", max_examples=1000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# No test ever reaches the keyring of the machine it runs on: `leadtui login` falls back to its
# 0600 file, as on a machine without one.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

# Pilot tests look at what is shown once it settled: Textual's animations (a toast fading in, a
# scroll gliding) only cost them frames (8% of the UI tests' CPU). Textual read TEXTUAL_ANIMATIONS
# when `helpers` imported it, and each app copies the constant when it is made; the environment
# carries it to the apps that tests start as processes.
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
textual.constants.TEXTUAL_ANIMATIONS = "none"

# A test process builds and drops hundreds of apps of thousands of objects each; collecting
# garbage every 700 allocations walked them again and again (8% of the UI tests' time). The
# app itself keeps Python's defaults (and freezes what its screens hold).
gc.set_threshold(100_000, 50, 100)

# The longest tests, started first: the two workers then share out the short ones around them
# instead of one worker finishing a long test alone at the end.
LONGEST_FIRST = (
    "test_repository_stateful.py",
    "test_crash_safety.py",
    "test_ui_fuzz.py",
    "test_server_fuzz.py",
    "test_ui_text_safety.py",
    "test_server_live.py",
)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Half again as many workers as cores: a test waits about a quarter of its time (for
    PostgreSQL, which works in processes of its own, for a lock, for the pilot's idle check),
    and a third worker on two cores fills that (the suite: 222 s -> 201 s)."""
    return max(2, (os.cpu_count() or 2) * 3 // 2)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: the order within a file stays


@pytest.fixture(autouse=True, scope="session")
def quick_idle_checks() -> Iterator[None]:
    """The pilot decides that the app is idle by sleeping 20 ms at a time, twice per key, until
    a sleep passes with less than 1 ms of CPU time used: half of a pilot test's time was that
    sleep. It now sleeps 4 ms at a time with the same 1 ms bound (a fixed cost per wake-up, such
    as a timer, stays under it; a ratio would not). Workers are never judged by this guess:
    `helpers.settle` waits for them by name."""
    from textual import _wait

    assert _wait.SLEEP_IDLE == _wait.SLEEP_GRANULARITY / 20, "Textual changed how the pilot waits for idle"
    granularity, idle = _wait.SLEEP_GRANULARITY, _wait.SLEEP_IDLE
    _wait.SLEEP_GRANULARITY, _wait.SLEEP_IDLE = 0.004, idle
    yield
    _wait.SLEEP_GRANULARITY, _wait.SLEEP_IDLE = granularity, idle


@pytest.fixture(autouse=True)
def unexpected_errors(monkeypatch) -> Iterator[list[BaseException | None]]:
    """A bug inside a worker is a German toast for a user ("Unerwarteter Fehler"); in a test it
    fails the test, so no pilot test or key fuzz passes over a crash. A test that plants one on
    purpose takes what was reported out of the returned list."""
    from leadtui.ui.app import LeadtuiApp

    reported: list[BaseException | None] = []
    report = LeadtuiApp.report

    def recording(self: LeadtuiApp, error: BaseException | None) -> None:
        if not isinstance(error, LeadtuiError):
            reported.append(error)
        report(self, error)

    monkeypatch.setattr(LeadtuiApp, "report", recording)
    yield reported
    if reported:
        pytest.fail(f"unexpected error inside the app: {reported[0]!r}", pytrace=False)


@pytest.fixture
def isolated_data_dir(tmp_path, monkeypatch):
    """The CLI's data folder and environment, fresh for the test."""
    monkeypatch.setenv("LEADTUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LEADTUI_DATABASE_URL", raising=False)
    monkeypatch.delenv("LEADTUI_USER", raising=False)
    for name in ("LEADTUI_SERVER", "LEADTUI_CA_FILE", "LEADTUI_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """The superuser's engine, once per test process."""
    admin = pg_admin_engine()
    yield admin
    admin.dispose()


class Templates:
    """One migrated database of each kind per test process, copied for every test that wants a
    current schema: migrating anew each time cost more than most tests themselves. On
    PostgreSQL the process keeps one database of its own and empties it for each test
    (`helpers.ReusedPostgres`)."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._sqlite: Path | None = None
        self._pg: ReusedPostgres | None = None

    def _postgres(self) -> ReusedPostgres:
        if self._pg is None:
            self._pg = ReusedPostgres()
        return self._pg

    def fill(self, url: str) -> None:
        """Make the (empty) database at `url` a copy of the migrated template."""
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            shutil.copyfile(self._sqlite_template(), str(parsed.database))
            return
        self._postgres().copy_into(str(parsed.database))

    def current(self, kind: str, folder: Path) -> str:
        """The URL of a database of the current schema: a SQLite copy in `folder`, or this
        process's reused PostgreSQL database."""
        if kind == "sqlite":
            url = f"sqlite:///{folder / 'leadtui.db'}"
            self.fill(url)
            return url
        return self._postgres().fresh()

    def _sqlite_template(self) -> Path:
        if self._sqlite is None:
            path = self._folder / "template.db"
            open_database(f"sqlite:///{path}", create=True).dispose()
            self._sqlite = path
        return self._sqlite

    def demo(self) -> Path:
        """The demo database, built once (it is the same every time: a fixed clock and seed)."""
        path = self._folder / "demo.db"
        if not path.exists():
            from leadtui.seed import build_demo

            engine = open_database(f"sqlite:///{path}", create=True)
            build_demo(engine)
            engine.dispose()
        return path

    def drop(self) -> None:
        if self._pg is not None:
            self._pg.drop()


@pytest.fixture(scope="session")
def templates(tmp_path_factory) -> Iterator[Templates]:
    made = Templates(tmp_path_factory.mktemp("templates"))
    yield made
    made.drop()


@pytest.fixture
def fresh_pg_url(pg_admin) -> Iterator[Callable[[], str]]:
    """Make fresh, empty PostgreSQL databases; every one is dropped after the test."""
    admin = pg_admin
    names: list[str] = []

    def make() -> str:
        name = f"leadtui_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        names.append(name)
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    try:
        yield make
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def pg_url(fresh_pg_url) -> str:
    """URL of a fresh, empty PostgreSQL database, dropped after the test."""
    return fresh_pg_url()


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path) -> Callable[[], str]:
    """Make fresh, empty databases of one kind (SQLite files or PostgreSQL databases)."""
    if request.param == "sqlite":
        counter = iter(range(1000))
        return lambda: f"sqlite:///{tmp_path / f'fresh-{next(counter)}.db'}"
    return request.getfixturevalue("fresh_pg_url")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_kind(request) -> str:
    """Which database a test runs on: each database test runs on both."""
    return str(request.param)


@pytest.fixture
def db_url(request, db_kind, tmp_path) -> str:
    """The URL of a fresh, empty database."""
    if db_kind == "sqlite":
        return f"sqlite:///{tmp_path / 'leadtui.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def engine(request, db_kind, tmp_path, templates) -> Iterator[Engine]:
    """A database of the current schema, as migrating gives it (test_migrations.py checks that
    from empty): a copy of the migrated template, or on PostgreSQL the process's reused
    database emptied - unless the test names the URL itself (`db_url`), which then is filled."""
    if "db_url" in request.fixturenames:
        url = request.getfixturevalue("db_url")
        templates.fill(url)
    else:
        url = templates.current(db_kind, tmp_path)
    engine = open_database(url, create=True, migrate=True)
    yield engine
    engine.dispose()


class Clock:
    """A controllable clock so history order and timestamps are deterministic."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 2, 9, 0)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


class World:
    """Two principal/partner companies plus an unrelated one, with colleagues.

    On PostgreSQL every repository transaction takes the role `leadtui_user` for its colleague,
    with row-level security, as the server's do: the repository tests run behind the
    database's second wall, never as the superuser."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.clock = Clock()
        self.admin = Admin(engine)
        self.ids: dict[str, int] = {}
        for name in ("Sonnenstrom", "Nordlicht", "Rheinwerk"):
            self.admin.add_company(name)
        self.admin.add_partnership("Sonnenstrom", "Nordlicht")
        for key, (company, name) in {
            "anna": ("Sonnenstrom", "Anna Becker"),
            "jonas": ("Sonnenstrom", "Jonas Weber"),
            "markus": ("Sonnenstrom", "Markus Schulz"),
            "tim": ("Nordlicht", "Tim Krüger"),
            "julia": ("Nordlicht", "Julia Neumann"),
            "paul": ("Rheinwerk", "Paul Richter"),
        }.items():
            self.add(key, company, name)

    def add(self, key: str, company: str, name: str) -> int:
        """A colleague (the first of a company is its admin)."""
        self.ids[key] = self.admin.add_colleague(company, name, f"{key}@example.org").id
        return self.ids[key]

    def repo(self, who: str) -> Repository:
        return Repository(self.engine, self.ids[who], clock=self.clock)

    @contextmanager
    def behind_the_wall(self, who: str) -> Iterator[Connection]:
        """A PostgreSQL transaction acting for `who` as the server's do, for raw SQL: what the
        database's second wall lets through a statement the scope guard never saw."""
        with self.engine.begin() as conn:
            Postgres().act(conn, self.ids[who])
            yield conn


@pytest.fixture
def world(engine) -> World:
    return World(engine)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_world(request, tmp_path, templates) -> Iterator[World]:
    """A world on each database the repository runs on."""
    engine = open_database(templates.current(request.param, tmp_path), create=True, migrate=True)
    yield World(engine)
    engine.dispose()


@pytest.fixture
def demo_engine(tmp_path, templates) -> Iterator[Engine]:
    """The demo database on a temporary SQLite file (a copy of the one built for the process)."""
    shutil.copyfile(templates.demo(), tmp_path / "demo.db")
    engine = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def make_app(demo_engine):
    """Build the app as a demo colleague, on a fixed clock so screens are reproducible."""
    from leadtui.seed import DEMO_NOW, DEMO_USER
    from leadtui.ui.app import LeadtuiApp

    def make(email: str = DEMO_USER, **options: Any) -> LeadtuiApp:
        return LeadtuiApp(Repository.for_email(demo_engine, email, clock=lambda: DEMO_NOW), **options)

    return make


HOSTILE = [
    "Titel [/] kaputt",
    "[@click=app.quit]Klick mich[/]",
    "[@click=app.screenshot('pwned.svg','/tmp')]Bild[/]",
    "Wärmepumpe [dringend]",
    "[bold red]laut[/bold red]",
    "Fenster\x1b]0;übernommen\x07titel",
    "Ablage\x1b]52;c;SGFsbG8=\x07",
    "Bild\x1b[2Jschirm",
    "Null\x00byte",
    "Rück\u202ewärts",
    "Iso\u2066liert\u2069",
    "Zeilen\numbruch\u2028hier",
    "👩‍🔧 Monteurin",
    "Cafe\u0301 Zoë",
    "%s {0} $HOME \\n",
]
LONG = "L" * 100_000


@pytest.fixture
def hostile(demo_engine):
    """Hostile text where rows from before the input checks could hold it: a partner company's
    name, its colleagues, and the shared leads a principal's people wrote."""
    with demo_engine.begin() as conn:
        partner = conn.execute(select(CompanyModel.id).where(CompanyModel.name.like("Nordlicht%"))).scalar_one()
        conn.execute(
            update(CompanyModel).where(CompanyModel.id == partner).values(name="Nord[/]licht\x1b]0;x\x07 GmbH")
        )
        conn.execute(
            update(ColleagueModel)
            .where(ColleagueModel.email == "julia.neumann@nordlicht.example")
            .values(name="[@click=app.quit]Julia[/]\x1b[2J")
        )
        conn.execute(
            update(ColleagueModel)
            .where(ColleagueModel.email == "jonas.weber@sonnenstrom.example")
            .values(name="Jonas\u202e [b]Weber[/b]")
        )
    from leadtui.seed import DEMO_NOW, DEMO_USER

    anna = Repository.for_email(demo_engine, DEMO_USER, clock=lambda: DEMO_NOW)
    ids = []
    for i, hostile_text in enumerate([*HOSTILE, LONG]):
        lead = anna.create_lead(_new(i))
        with demo_engine.begin() as conn:
            conn.execute(
                update(LeadModel)
                .where(LeadModel.id == lead.id)
                .values(
                    title=hostile_text,
                    prospect=hostile_text[:200],
                    contact=hostile_text[:200],
                    city=hostile_text[:100],
                    search_text="zzhostil",
                )
            )
        ids.append(lead.id)
    for lead_id in ids[:8]:
        anna.offer(lead_id, partner)
    tim = Repository.for_email(demo_engine, "tim.krueger@nordlicht.example", clock=lambda: DEMO_NOW)
    offers = tim.rows(ListQuery(kind=ListKind.OFFERS), 0, 1000)
    for row in offers:
        if row.id in ids[:4]:
            tim.accept_offer(row.share_id)
    # the partner's journal entries (and so the principal's notifications) carry it too
    julia = Repository.for_email(demo_engine, "julia.neumann@nordlicht.example", clock=lambda: DEMO_NOW)
    for lead_id, hostile_text in zip(ids[:4], HOSTILE, strict=False):
        entry = julia.add_note(lead_id, "Platzhalter")
        task = julia.add_task(lead_id, "Platzhalter", None)
        with demo_engine.begin() as conn:
            for entry_id in (entry.id, task.id):
                conn.execute(
                    update(JournalEntryModel).where(JournalEntryModel.id == entry_id).values(body=hostile_text)
                )
    return ids


def _new(i: int) -> NewLead:
    return NewLead(title=f"Platzhalter {i}")
