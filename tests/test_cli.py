"""The command line: admin commands, seeding, and one clear line for every bad input."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import run_cli

from leadtui.db.engine import open_database
from leadtui.domain import ListKind, ListQuery, NewLead
from leadtui.repository import Repository

pytestmark = pytest.mark.usefixtures("isolated_data_dir")


def test_admin_commands_build_a_working_setup(db_url, capsys):
    assert run_cli(capsys, "db", "upgrade", "--db", db_url, "--create")[0] == 0
    assert run_cli(capsys, "company", "add", "Sonnenstrom", "--db", db_url)[0] == 0
    assert run_cli(capsys, "company", "add", "Nordlicht", "--db", db_url)[0] == 0
    assert run_cli(capsys, "partner", "add", "Sonnenstrom", "Nordlicht", "--db", db_url)[0] == 0
    code, out, _ = run_cli(capsys, "colleague", "add", "Sonnenstrom", "Anna Becker", "anna@x.example", "--db", db_url)
    assert code == 0 and "Anna Becker" in out
    run_cli(capsys, "colleague", "add", "Sonnenstrom", "Jonas Weber", "jonas@x.example", "--db", db_url)
    code, out, _ = run_cli(capsys, "colleague", "deactivate", "jonas@x.example", "--db", db_url)
    assert code == 0 and "deaktiviert" in out
    code, out, _ = run_cli(capsys, "colleague", "list", "--db", db_url)
    assert "jonas@x.example\tJonas Weber\tSonnenstrom\tinaktiv" in out
    assert "anna@x.example\tAnna Becker\tSonnenstrom\taktiv" in out
    assert run_cli(capsys, "colleague", "activate", "jonas@x.example", "--db", db_url)[0] == 0
    engine = open_database(db_url)
    repo = Repository.for_email(engine, "ANNA@x.example")
    assert [c.name for c in repo.colleagues()] == ["Anna Becker", "Jonas Weber"]
    assert [p.name for p in repo.partners()] == ["Nordlicht"]
    engine.dispose()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("colleague", "deactivate", "nobody@x.example"), "Unbekannter Benutzer"),
        (("colleague", "add", "Sonnenstrom", "Anna Zwei", "anna@x.example"), "schon vergeben"),
        (("colleague", "add", "Sonnenstrom", "Ohne Mail", "keine-mail"), "Keine gültige E-Mail"),
        (("colleague", "add", "Gibtsnicht AG", "Max", "max@x.example"), "Firma nicht gefunden"),
        (("company", "add", "Sonnenstrom"), "Firma gibt es schon"),
        (("partner", "add", "Sonnenstrom", "Sonnenstrom"), "eigener Partner"),
        (("seed", "--leads", "0"), "mindestens 1"),
    ],
)
def test_bad_admin_input_is_one_line_and_exit_2(db_url, capsys, argv, message):
    assert run_cli(capsys, "db", "upgrade", "--db", db_url, "--create")[0] == 0
    run_cli(capsys, "company", "add", "Sonnenstrom", "--db", db_url)
    run_cli(capsys, "colleague", "add", "Sonnenstrom", "Anna Becker", "anna@x.example", "--db", db_url)
    code, _out, err = run_cli(capsys, *argv, "--db", db_url)
    assert code == 2
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_seed_fills_a_database_in_realistic_proportions(db_url, capsys):
    run_cli(capsys, "db", "upgrade", "--db", db_url, "--create")
    code, out, _ = run_cli(capsys, "seed", "--leads", "2000", "--db", db_url)
    assert code == 0 and "2000 Leads" in out
    engine = open_database(db_url)
    repo = Repository.for_email(engine, "anna.becker@sonnenstrom.example")
    counts = repo.counts()
    assert 1200 < counts[ListKind.ALL] < 1600
    assert counts[ListKind.UNASSIGNED] > 100 and counts[ListKind.ORPHANED] > 10
    assert counts[ListKind.PASSED_ON] > 100
    partner = Repository.for_email(engine, "tim.krueger@nordlicht.example")
    assert partner.count(ListQuery(kind=ListKind.OFFERS)) > 10
    # The seed gave ids itself: a lead typed in and an offer made afterwards get fresh ones.
    typed = repo.create_lead(NewLead(title="Nach dem Seed angelegt"))
    assert typed.id > 2000
    repo.offer(typed.id, repo.partners()[0].id)
    engine.dispose()


def test_db_upgrade(db_url, capsys):
    code, out, _ = run_cli(capsys, "db", "upgrade", "--db", db_url, "--create")
    assert code == 0 and "aktuell" in out


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nonsense", "Datenbank nicht gefunden"),  # a plain path (issue 22), and no such file
        ("://kaputt", "Ungültige Datenbank-URL"),
        ("mysql+nosuchdriver://x/y", "nicht unterstützt"),
        ("postgresql://postgres@127.0.0.1:1/nothing", "nicht nutzbar"),
    ],
)
def test_unusable_database_urls(capsys, url, message):
    code, _, err = run_cli(capsys, "colleague", "list", "--db", url)
    assert code == 2 and message in err and "Traceback" not in err


def test_an_own_database_from_scratch_in_three_commands(tmp_path, capsys, monkeypatch):
    """Issue 22, as the README says it: --db takes a plain path, --create stands before or
    after the subcommand, and the third command opens the app as the one colleague."""
    from leadtui.ui.app import LeadtuiApp

    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, "--db", "leads.db", "--create", "company", "add", "Meine Firma")
    assert code == 0 and "Firma angelegt: Meine Firma" in out, err
    code, out, err = run_cli(
        capsys, "colleague", "add", "Meine Firma", "Eva Ich", "eva@firma.example", "--db", "leads.db"
    )
    assert code == 0 and "Kollege angelegt" in out, err
    opened = []
    monkeypatch.setattr(LeadtuiApp, "run", lambda app: opened.append(app.repository))
    code, _, err = run_cli(capsys, "--db", "leads.db")
    assert code == 0 and [(r.me.email, r.company.name) for r in opened] == [("eva@firma.example", "Meine Firma")], err
    assert (tmp_path / "leads.db").stat().st_mode & 0o777 == 0o600
    code, _, err = run_cli(capsys, "--create", "company", "list", "--db", "andere.db")
    assert code == 2 and "Datenbank nicht gefunden" in err and not (tmp_path / "andere.db").exists()


def test_file_that_is_not_a_database_is_left_intact(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"Einkaufsliste: Kaffee, Milch\n" * 100)
    before = path.read_bytes()
    code, _, err = run_cli(capsys, "--db", f"sqlite:///{path}", "--user", "a@b.example")
    assert code == 2 and "keine leadtui-Datenbank" in err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_start_up_user_problems_exit_2(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'team.db'}"
    code, _, err = run_cli(capsys, "--db", url, "--create")
    assert code == 2 and "Keine aktiven Kollegen" in err
    run_cli(capsys, "company", "add", "Sonnenstrom", "--db", url)
    run_cli(capsys, "colleague", "add", "Sonnenstrom", "Anna Becker", "anna@x.example", "--db", url)
    run_cli(capsys, "colleague", "add", "Sonnenstrom", "Jonas Weber", "jonas@x.example", "--db", url)
    code, _, err = run_cli(capsys, "--db", url)
    assert code == 2 and "Mehrere Kollegen" in err
    code, _, err = run_cli(capsys, "--db", url, "--user", "wer@x.example")
    assert code == 2 and "Unbekannter Benutzer" in err
    run_cli(capsys, "colleague", "deactivate", "jonas@x.example", "--db", url)
    code, _, err = run_cli(capsys, "--db", url, "--user", "jonas@x.example")
    assert code == 2 and "deaktiviert" in err


def test_reset_needs_demo(capsys):
    code, _, err = run_cli(capsys, "--reset")
    assert code == 2 and "--demo" in err


def test_demo_database_is_separate_and_deterministic(tmp_path, capsys):
    from leadtui.cli.database import open_demo
    from leadtui.config import demo_database_path

    engine = open_demo(reset=False)
    assert demo_database_path().exists() and "demo.db" in str(engine.url)
    repo = Repository.for_email(engine, "anna.becker@sonnenstrom.example")
    first = repo.counts()
    engine.dispose()
    engine = open_demo(reset=True)
    assert Repository.for_email(engine, "anna.becker@sonnenstrom.example").counts() == first
    engine.dispose()
    assert first[ListKind.ORPHANED] > 0 and first[ListKind.UNASSIGNED] > 0 and first[ListKind.PASSED_ON] > 0


def test_module_entry_point_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "leadtui", "--db", "sqlite:///" + str(tmp_path), "--user", "x@y.example"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Ordner" in result.stderr and "Traceback" not in result.stderr
