"""Failure paths: one clear German line and exit 2, never a traceback, never a file created by
mistake, never a wait without end."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from helpers import press, run_cli, settle
from sqlalchemy import create_engine, text

from leadtui.db.engine import head_revision, open_database
from leadtui.domain import Busy, ListQuery, NewLead
from leadtui.repository import Repository

pytestmark = pytest.mark.usefixtures("isolated_data_dir")


def one_line(err: str) -> bool:
    return err.count("\n") == 1 and "Traceback" not in err


def setup_team(capsys, url: str) -> None:
    assert run_cli(capsys, "db", "upgrade", "--db", url, "--create")[0] == 0
    assert run_cli(capsys, "company", "add", "Sonnenstrom", "--db", url)[0] == 0
    assert run_cli(capsys, "colleague", "add", "Sonnenstrom", "Anna Becker", "anna@x.example", "--db", url)[0] == 0
    assert run_cli(capsys, "colleague", "add", "Sonnenstrom", "Jonas Weber", "jonas@x.example", "--db", url)[0] == 0


def test_a_database_newer_than_this_leadtui_is_refused_in_one_line(db_url, capsys):
    setup_team(capsys, db_url)
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    for argv in (("company", "list"), ("--user", "anna@x.example"), ("db", "upgrade")):
        code, _, err = run_cli(capsys, *argv, "--db", db_url)
        assert code == 2 and one_line(err), err
        assert "neuer als diese leadtui-Version" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("company", "list"),
        ("colleague", "list"),
        ("db", "check"),
        ("--user", "anna@x.example"),
        ("company", "add", "Sonnenstrom"),
        ("seed", "--leads", "5"),
    ],
)
def test_a_typo_in_the_path_creates_nothing(tmp_path, capsys, argv):
    url = f"sqlite:///{tmp_path / 'typo' / 'leadtiu.db'}"
    code, _, err = run_cli(capsys, *argv, "--db", url)
    assert code == 2 and one_line(err) and "Datenbank nicht gefunden" in err and "--create" in err
    assert not (tmp_path / "typo").exists()


def test_create_makes_a_private_database_and_says_so(tmp_path, capsys):
    path = tmp_path / "neu" / "team.db"
    code, _, _err = run_cli(capsys, "company", "add", "Sonnenstrom", "--db", f"sqlite:///{path}", "--create")
    assert code == 0
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    assert run_cli(capsys, "company", "list", "--db", f"sqlite:///{path}")[1] == "Sonnenstrom\n"


def test_the_default_database_is_created_in_the_data_folder_and_announced(tmp_path, capsys):
    code, _, err = run_cli(capsys, "company", "list")
    assert code == 2 and "nicht gefunden" in err and not (tmp_path / "data").exists()
    code, _, err = run_cli(capsys, "company", "add", "Sonnenstrom")
    assert code == 0 and "neue Datenbank angelegt" in err and (tmp_path / "data" / "leadtui.db").exists()


def test_demo_refuses_a_database_of_its_own_choice(tmp_path, capsys):
    code, _, err = run_cli(capsys, "--demo", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert code == 2 and one_line(err) and "--demo" in err and "--db" in err
    assert not (tmp_path / "x.db").exists()


def test_a_read_only_database_says_so_and_keeps_its_data(tmp_path, capsys):
    path = tmp_path / "team.db"
    setup_team(capsys, f"sqlite:///{path}")
    read_only = f"sqlite:///file:{path}?mode=ro&uri=true"
    before = path.read_bytes()
    for argv in (("colleague", "deactivate", "jonas@x.example"), ("seed", "--leads", "10")):
        code, _, err = run_cli(capsys, *argv, "--db", read_only)
        assert code == 2 and one_line(err) and "schreibgeschützt" in err, err
    assert path.read_bytes() == before


def _hold_sqlite_write_lock(path: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_locked_database_is_a_busy_message_not_a_traceback(db_url, capsys, monkeypatch):
    setup_team(capsys, db_url)
    from leadtui.db import engine as engine_module

    opened = engine_module.open_database  # the commands wait one second for a lock here, not five
    monkeypatch.setattr(engine_module, "open_database", lambda *a, **k: opened(*a, **k, lock_timeout_ms=1_000))
    if db_url.startswith("sqlite"):
        holder = _hold_sqlite_write_lock(Path(db_url.removeprefix("sqlite:///")))
        release = holder.rollback
    else:  # another session locks the tables against writes and idles in its transaction
        engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
        conn = engine.connect()
        conn.execute(text("LOCK TABLE companies, colleagues IN EXCLUSIVE MODE"))
        release = conn.rollback
    try:
        for argv in (("colleague", "deactivate", "jonas@x.example"), ("seed", "--leads", "10")):
            # Returning at all is the point: the wait is bounded (pytest-timeout catches one that is not).
            code, _, err = run_cli(capsys, *argv, "--db", db_url)
            assert code == 2 and one_line(err) and "beschäftigt" in err, err
    finally:
        release()


def test_a_row_locked_by_another_session_bounds_the_wait_of_an_assignment(pg_url):
    """PostgreSQL waited forever for a session idling in its transaction; now the wait ends
    and the app gets Busy (the UI shows "Datenbank ist beschäftigt")."""
    engine = open_database(pg_url, migrate=True, lock_timeout_ms=500)
    from leadtui.admin import Admin

    admin = Admin(engine)
    admin.add_company("Sonnenstrom")
    anna = admin.add_colleague("Sonnenstrom", "Anna Becker", "anna@x.example")
    repo = Repository(engine, anna.id)
    lead = repo.create_lead(NewLead(title="Wallbox"))
    other = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://")).connect()
    other.execute(text("SELECT * FROM company_leads FOR UPDATE"))
    try:
        with pytest.raises(Busy, match="Datenbank ist beschäftigt, bitte erneut versuchen"):
            repo.assign(lead.id, None, lead.assignment.version)
    finally:
        other.rollback()
        other.close()
    assert repo.assign(lead.id, None, lead.assignment.version).assignee is None
    assert repo.count(ListQuery()) == 1
    engine.dispose()


def test_four_first_starts_at_once_all_succeed(db_url, tmp_path):
    env = {**os.environ, "LEADTUI_DATA_DIR": str(tmp_path / "data")}
    argv = [sys.executable, "-m", "leadtui", "db", "upgrade", "--db", db_url, "--create"]
    starts = [
        subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)
    ]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in starts]
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head_revision()
    engine.dispose()


def test_concurrent_first_starts_in_threads_share_one_migration(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    errors: list[Exception] = []
    barrier = threading.Barrier(4)

    def start():
        barrier.wait()
        try:
            open_database(url, create=True).dispose()
        except Exception as error:  # noqa: BLE001 - the test collects what went wrong
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


async def test_a_bug_in_a_worker_fails_the_test_not_only_a_toast(make_app, monkeypatch, unexpected_errors):
    """The guard the whole suite stands on: a planted bug in a repository call made by a worker
    reaches the test (the app itself shows the user a toast)."""
    app = make_app()

    def planted(*args, **kwargs):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(app.repository, "workload", planted)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        assert any("Unerwarteter Fehler" in n.message for n in app._notifications)
    assert [type(error) for error in unexpected_errors] == [ZeroDivisionError]
    unexpected_errors.clear()  # planted on purpose: this test passes


async def test_a_bug_in_a_flow_fails_the_test_not_only_a_toast(make_app, monkeypatch, unexpected_errors):
    """The same for a flow waiting on its dialogs and calls: a planted bug in the repository
    call after the user chose whom to hand over to ends the flow with the toast (no question
    follows) and reaches the test."""
    from leadtui.ui.screens.dialogs import Confirm

    app = make_app()
    monkeypatch.setattr(app.repository, "orphaned_count", lambda source: 1 / 0)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.screen._hand_over(app.repository.me.id, "Anna Becker")
        await press(pilot, *"lena", "enter")
        assert any("Unerwarteter Fehler" in n.message for n in app._notifications)
        assert not isinstance(app.screen, Confirm)
    assert [type(error) for error in unexpected_errors] == [ZeroDivisionError]
    unexpected_errors.clear()  # planted on purpose: this test passes


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
def test_postgresql_compiles_no_statement_just_in_time(engine):
    """A list window's estimated cost crosses jit_above_cost at some sizes, and compiling took
    half its time (benchmarks: 39 ms -> 6 ms at 100,000 leads): leadtui's sessions run without JIT."""
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW jit").scalar() == "off"
