"""Helpers shared by the tests: repository set-ups, the command line, and pilot tests (the app
reads and writes in workers, so a test lets them finish)."""

from __future__ import annotations

import contextlib
import io
import os
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import Engine, create_engine, text
from textual.pilot import Pilot
from textual.worker import WorkerFailed, WorkerState

from leadtui.ui.work import CHANGES

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
    """The workers still at work, leaving out the change feed (it runs as long as the app)."""
    return [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING) and w.group != CHANGES]


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
    """Press keys one after another, letting the database work of each finish first."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


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
