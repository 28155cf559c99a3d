"""The team's command line: `leadtui serve` as an operator starts it, `login`/`logout`, the app
and the colleague commands with `--server`, HTTPS with a certificate the client verifies - and
every mistake answered with one German line, never a traceback."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
import trustme
from conftest import World
from helpers import run_cli
from serving import PASSWORD, Running, ServeProcess, close_signed_in, signed_in, token_for

from leadtui.cli import credentials
from leadtui.db.engine import open_database
from leadtui.domain import NewLead, Unreachable
from leadtui.remote.repository import connect
from leadtui.remote.server import Server
from leadtui.remote.sign_in import redeem
from leadtui.repository import utcnow


@pytest.fixture
def world(templates, tmp_path, isolated_data_dir):
    engine = open_database(templates.current("sqlite", tmp_path), create=True, migrate=True)
    made = World(engine)
    made.clock.now = utcnow()
    yield made
    close_signed_in()
    engine.dispose()


def test_login_keeps_the_token_for_the_owner_only_and_logout_ends_it(world, capsys, monkeypatch):
    with Running(world.engine) as running:
        code = world.repo("anna").invite("Jonas Weber", "jonas@example.org").code
        monkeypatch.setenv("LEADTUI_PASSWORD", PASSWORD)
        status, out, err = run_cli(capsys, "login", running.url, "--einladung", code)
        assert (status, err) == (0, "")
        assert "Angemeldet als Jonas Weber (Sonnenstrom)" in out
        stored = credentials.load(running.url)
        assert stored is not None
        path = credentials._file()
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        status, out, err = run_cli(capsys, "colleague", "list", "--server", running.url)
        assert status == 0 and "anna@example.org\tAnna Becker\tSonnenstrom" in out
        assert "tim@example.org" not in out  # another company's colleagues are not listed
        status, out, err = run_cli(
            capsys, "colleague", "invite", "Eva Klein", "eva@example.org", "--server", running.url
        )
        assert status == 2 and "Nur Administratoren" in err
        status, out, err = run_cli(capsys, "logout")
        assert status == 0 and "Abgemeldet" in out
        assert credentials.load(running.url) is None
        assert connect_fails(running.url, stored.token)
        status, out, err = run_cli(capsys, "login", running.url, "--email", "jonas@example.org")
        assert status == 0
        status, out, err = run_cli(capsys, "logout", "--server", running.url)  # as every other command takes it
        assert status == 0 and "Abgemeldet" in out and credentials.load(running.url) is None
        status, out, err = run_cli(capsys, "login", running.url, "--email", "jonas@example.org")
        assert status == 0
        monkeypatch.setenv("LEADTUI_PASSWORD", "falsch-falsch")
        status, out, err = run_cli(capsys, "login", running.url, "--email", "jonas@example.org")
        assert status == 2 and "E-Mail-Adresse oder Passwort falsch" in err and "Traceback" not in err


def connect_fails(url: str, token: str) -> bool:
    from leadtui.domain import SignedOut

    try:
        connect(Server.at(url), token)
    except SignedOut:
        return True
    return False


def test_an_admin_invites_and_deactivates_through_the_server(world, capsys, monkeypatch):
    with Running(world.engine) as running:
        server = Server.at(running.url)
        credentials.save(credentials.Stored(server.url, token_for(world, server, "anna")))
        status, out, err = run_cli(
            capsys, "colleague", "invite", "Lena Roth", "lena@example.org", "--server", running.url
        )
        assert status == 0, err
        code = out.split("--einladung ")[1].split()[0]
        assert redeem(server, code, "lenas-passwort").colleague.name == "Lena Roth"
        status, out, err = run_cli(capsys, "colleague", "deactivate", "lena@example.org", "--server", running.url)
        assert (status, out.strip()) == (0, "Lena Roth deaktiviert.")
        status, out, err = run_cli(capsys, "colleague", "deactivate", "tim@example.org", "--server", running.url)
        assert status == 2 and "Kein Kollege Ihrer Firma" in err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--server", "ftp://leads.example.com"], "Keine gültige Serveradresse"),
        (["--server", "http://leads.example.com"], "Unverschlüsselt (http://) nur zu diesem Rechner"),
        (["--server", "https://127.0.0.1:1"], "Nicht angemeldet bei https://127.0.0.1:1"),
        (["--server", "https://127.0.0.1:1", "--demo"], "--demo, --db und --user gehen nicht"),
        (["login", "https://127.0.0.1:1", "--email", "a@example.org"], "Server nicht erreichbar"),
        (["login", "https://127.0.0.1:1", "--ca-file", "/gibt/es/nicht"], "CA-Datei nicht gefunden"),
        (["serve", "--cert", __file__], "--cert und --key gehören zusammen"),
        (["serve", "--limits", "mongodb://x"], "--limits nimmt memory://"),
        (["logout"], "Sie sind nirgends angemeldet"),
        (["colleague", "invite", "A B", "a@example.org"], "--server URL angeben"),
    ],
)
def test_mistakes_get_one_german_line(argv, said, capsys, isolated_data_dir, monkeypatch):
    monkeypatch.setenv("LEADTUI_PASSWORD", PASSWORD)
    status, _, err = run_cli(capsys, *argv)
    assert status == 2
    assert said in err and "Traceback" not in err


def test_serve_refuses_a_port_in_use(capsys, isolated_data_dir, tmp_path):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        status, _, err = run_cli(
            capsys, "serve", "--db", f"sqlite:///{tmp_path / 'x.db'}", "--create", "--port", str(port)
        )
    assert status == 2 and f"Port {port}" in err


def test_https_with_a_certificate_the_client_verifies(world, tmp_path):
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    cert_file, key_file, ca_file = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    cert.private_key_and_cert_chain_pem.write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    ca.cert_pem.write_to_path(str(ca_file))
    with Running(world.engine, certfile=str(cert_file), keyfile=str(key_file)) as running:
        assert running.url.startswith("https://")
        jonas = signed_in(world, running.url, "jonas", ca_file=str(ca_file))
        assert jonas.me.name == "Jonas Weber"
        feed = jonas.feed()
        try:
            feed.wait(1.0)  # the event socket over TLS too (wss://)
            # The server's hub picks a newly watched company up within its round (0.25 s): a
            # change is made until one arrives (under load the first may fall before that).
            anna = world.repo("anna")
            assert any(anna.create_lead(NewLead(title=f"TLS {n}")) and feed.wait(2.0) for n in range(5))
        finally:
            feed.close()
        with pytest.raises(Unreachable) as untrusted:
            signed_in(world, running.url, "markus")  # the system's CAs do not know the throwaway one
        assert "nicht vertrauenswürdig" in str(untrusted.value)


def test_leadtui_serve_runs_as_an_operator_starts_it(tmp_path, isolated_data_dir):
    """`leadtui serve` on SQLite with nothing set up: it creates the database and answers."""
    import httpx

    with ServeProcess(f"sqlite:///{tmp_path / 'team.db'}", tmp_path, "--create") as served:
        answer = httpx.post(f"{served.url}/api/v1/counts", json={})
        assert answer.status_code == 401 and answer.json()["kind"] == "SignedOut"


def test_the_server_clients_start_path_loads_no_database_layer():
    """`leadtui --server …` is a client: from the command line to the app's start it loads
    neither SQLAlchemy nor the database layer nor the server (a fifth of the start-up). The
    probe runs the command with the sign-in, the connection and the app's run stood in for."""
    probe = """
import sys
from types import SimpleNamespace
import leadtui.cli.credentials as credentials, leadtui.remote.repository as remote, leadtui.ui.app as ui
credentials.load = lambda address: SimpleNamespace(token="t", ca_file=None)
remote.connect = lambda server, token: SimpleNamespace(close=lambda: None)
ui.LeadtuiApp.__init__ = lambda self, repository: None
ui.LeadtuiApp.run = lambda self: None
ui.LeadtuiApp.return_code = 0
from leadtui.cli import main
assert main(["--server", "http://127.0.0.1:9"]) == 0
print(sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "alembic", "psycopg", "fastapi", "uvicorn")
             or m.startswith(("leadtui.db", "leadtui.repository", "leadtui.admin", "leadtui.seed", "leadtui.server"))))
"""
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_export_runs_against_the_server_as_the_signed_in_colleague(world, capsys, monkeypatch, tmp_path):
    """`leadtui export --server`: the list as the signed-in colleague sees it, nobody else's;
    --user cannot claim anyone else there."""
    from helpers import new_lead

    new_lead(world.repo("anna"), "Über den Server exportiert")
    new_lead(world.repo("paul"), "Nur Rheinwerk")
    with Running(world.engine, clock=world.clock) as running:
        code = world.repo("anna").invite("Jonas Weber", "jonas@example.org").code
        monkeypatch.setenv("LEADTUI_PASSWORD", PASSWORD)
        assert run_cli(capsys, "login", running.url, "--einladung", code)[0] == 0
        status, out, err = run_cli(capsys, "export", "--server", running.url)
        assert (status, err) == (0, "")
        assert "Über den Server exportiert" in out and "Nur Rheinwerk" not in out
        target = tmp_path / "server.xlsx"
        status, _, err = run_cli(capsys, "export", "--server", running.url, "--liste", "meine", "-o", str(target))
        assert status == 0 and "0 Leads exportiert" in err and target.exists()
        status, out, err = run_cli(capsys, "export", "--server", running.url, "--user", "anna@example.org")
        assert status == 2 and "--user geht nicht" in err and out == ""
