"""The team's commands: `serve` runs the server; `login`, `logout` and `--server` are a
colleague's way to it; `colleague invite` is a company admin's, through the server."""

from __future__ import annotations

import os
import socket
import sys

import click

from leadtui.cli import credentials
from leadtui.cli.commands import cli, colleague, create_option, db_option, show
from leadtui.cli.database import UserError, open_for
from leadtui.cli.signed_in import CA_FILE_ENV, open_remote, server_option
from leadtui.domain import AccessDenied, LeadtuiError, SignedIn

PASSWORD_ENV = "LEADTUI_PASSWORD"  # for scripts: the password without a prompt
DEFAULT_PORT = 8765


def _password(prompt: str, confirm: bool) -> str:
    given = os.environ.get(PASSWORD_ENV)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise UserError(f"Kein Terminal für die Passwortabfrage; das Passwort in {PASSWORD_ENV} übergeben.")
    return str(click.prompt(prompt, hide_input=True, confirmation_prompt="Wiederholen" if confirm else False))


@cli.command()
@click.argument("server_url", metavar="SERVER")
@click.option("--email", metavar="EMAIL", help="Ihre E-Mail-Adresse (sonst gefragt).")
@click.option("--einladung", "code", metavar="CODE", help="Der Einladungscode Ihres Administrators.")
@click.option(
    "--ca-file", metavar="DATEI", envvar=CA_FILE_ENV, help="CA-Zertifikat des Servers (oder LEADTUI_CA_FILE)."
)
def login(server_url: str, email: str | None, code: str | None, ca_file: str | None) -> int:
    """Beim leadtui-Server anmelden (mit E-Mail und Passwort oder einer Einladung)."""
    from leadtui.remote.server import Server
    from leadtui.remote.sign_in import redeem, sign_in

    server = Server.at(server_url, ca_file)
    signed: SignedIn
    if code:
        password = _password("Neues Passwort (mindestens 10 Zeichen)", confirm=True)
        signed = redeem(server, code, password)
    else:
        if not email:
            if not sys.stdin.isatty():
                raise UserError("Kein Terminal für die Abfrage; die E-Mail-Adresse mit --email angeben.")
            email = str(click.prompt("E-Mail"))
        signed = sign_in(server, email, _password("Passwort", confirm=False))
    where = credentials.save(
        credentials.Stored(server.url, signed.token, str(server.ca_file) if server.ca_file else None)
    )
    until = signed.expires_at.strftime("%d.%m.%Y")
    print(
        f"Angemeldet als {show(signed.colleague.name)} ({show(signed.company.name)}) bei {server.url};"
        f" gespeichert {where}, gültig bis {until}."
    )
    print(f"Starten mit: leadtui --server {server.url}")
    return 0


@cli.command()
@click.argument("server_url", metavar="SERVER", required=False)
@click.option("--server", "server_option", metavar="URL", help="Derselbe SERVER, wie ihn die anderen Befehle nehmen.")
def logout(server_url: str | None, server_option: str | None) -> int:
    """Beim leadtui-Server abmelden und die gespeicherte Anmeldung löschen."""
    from leadtui.remote.repository import connect
    from leadtui.remote.server import Server

    if server_url and server_option and Server.at(server_url).url != Server.at(server_option).url:
        raise UserError("Bitte nur einen Server angeben: SERVER oder --server.")
    server_url = server_url or server_option
    known = credentials.servers()
    if server_url is None:
        if len(known) != 1:
            raise UserError("Bei welchem Server abmelden? " + (", ".join(known) or "Sie sind nirgends angemeldet."))
        server_url = known[0]
    address = Server.at(server_url).url
    stored = credentials.load(address)
    if stored is None:
        raise UserError(f"Bei {address} sind Sie nicht angemeldet.")
    try:
        repository = connect(Server.at(address, stored.ca_file), stored.token)
        try:
            repository.sign_out()
        finally:
            repository.close()
        told = "Die Anmeldung ist beendet."
    except AccessDenied:
        told = "Die Anmeldung war schon abgelaufen."
    except LeadtuiError as error:
        told = f"Der Server wusste es nicht ({error}); die Anmeldung endet dort mit ihrem Ablauf."
    credentials.forget(address)
    print(f"Abgemeldet von {address}. {told}")
    return 0


def _port_free(host: str, port: int) -> bool:
    try:
        with socket.create_server((host, port)):
            return True
    except OSError:
        return False


@cli.command()
@db_option
@create_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse, an der der Server lauscht.")
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True, help="Port.")
@click.option("--cert", type=click.Path(exists=True, dir_okay=False), help="TLS-Zertifikat (PEM) für HTTPS.")
@click.option("--key", type=click.Path(exists=True, dir_okay=False), help="Privater Schlüssel (PEM) zum Zertifikat.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True, help="Serverprozesse.")
@click.option(
    "--limits",
    "limits_storage",
    default="memory://",
    metavar="URI",
    help="Wo fehlgeschlagene Anmeldungen gezählt werden: memory:// (ein Prozess) oder redis://host:6379.",
)
@click.option(
    "--proxy-headers", is_flag=True, help="Hinter einem Reverse-Proxy auf 127.0.0.1: X-Forwarded-For glauben."
)
@click.pass_context
def serve(
    ctx: click.Context,
    db: str | None,
    create: bool,
    host: str,
    port: int,
    cert: str | None,
    key: str | None,
    workers: int,
    limits_storage: str,
    proxy_headers: bool,
) -> int:
    """Den leadtui-Server starten: Kollegen melden sich bei ihm an, nie bei der Datenbank.

    Ohne --db: die SQLite-Datei im Datenordner (ein kleines Team auf einem Rechner)."""
    from leadtui.cli.commands import _create, _db
    from leadtui.server.main import DATABASE_ENV, LIMITS_ENV

    if bool(cert) != bool(key):
        raise UserError("--cert und --key gehören zusammen.")
    if limits_storage != "memory://" and not limits_storage.startswith(("redis://", "rediss://")):
        raise UserError("--limits nimmt memory:// oder redis://…")
    if limits_storage.startswith(("redis://", "rediss://")):
        from importlib.util import find_spec

        if find_spec("redis") is None:  # what limits' Redis storage needs
            raise UserError("Für --limits redis://… fehlt das Paket redis: pip install 'leadtui[redis]'")
    if workers > 1 and limits_storage == "memory://":
        print("leadtui: Hinweis: mit mehreren Prozessen zählt --limits redis://… die Anmeldeversuche gemeinsam.")
    engine = open_for(_db(ctx, db), create=_create(ctx, create), writes=True)
    url = engine.url.render_as_string(hide_password=False)
    shown = engine.url.render_as_string(hide_password=True)
    engine.dispose()
    if not _port_free(host, port):
        raise UserError(f"Port {port} an {host} ist belegt (läuft schon ein Server?); einen anderen mit --port wählen.")
    os.environ[DATABASE_ENV] = url
    os.environ[LIMITS_ENV] = limits_storage
    scheme = "https" if cert else "http"
    print(f"leadtui-Server: {scheme}://{host}:{port} · Datenbank {show(shown)} · Beenden mit Strg+C", flush=True)
    import uvicorn

    from leadtui.server.deadline import RequestDeadline

    uvicorn.run(
        "leadtui.server.main:from_environment",
        factory=True,
        http=RequestDeadline,
        host=host,
        port=port,
        workers=workers,
        ssl_certfile=cert,
        ssl_keyfile=key,
        proxy_headers=proxy_headers,
        forwarded_allow_ips="127.0.0.1" if proxy_headers else None,
        server_header=False,
        timeout_keep_alive=30,
        timeout_graceful_shutdown=10,  # Strg+C: requests under way end, open apps reconnect elsewhere
        ws_max_size=64 * 1024,
        log_level="warning",
    )
    return 0


@colleague.command("invite")
@click.argument("name", metavar="NAME")
@click.argument("email", metavar="E-MAIL")
@click.option("--admin", "is_admin", is_flag=True, help="Als Administrator der Firma.")
@server_option
def colleague_invite(name: str, email: str, is_admin: bool, server_url: str | None, ca_file: str | None) -> int:
    """Einen Kollegen Ihrer Firma zum Server einladen (als deren Administrator).

    Gibt einen Einladungscode aus; der Kollege meldet sich damit an: leadtui login SERVER --einladung CODE.
    Für einen schon angelegten Kollegen gilt: ein neuer Code, das alte Passwort endet mit der Anmeldung."""
    if not server_url:
        raise UserError("Einladungen gibt der Server: --server URL angeben (oder LEADTUI_SERVER).")
    repository = open_remote(server_url, ca_file)
    invitation = repository.invite(name, email, is_admin)
    address = repository.server.url
    until = invitation.expires_at.strftime("%d.%m.%Y %H:%M")
    print(f"Einladung für {show(invitation.colleague.name)} <{show(invitation.colleague.email)}>, gültig bis {until}:")
    print(f"  leadtui login {address} --einladung {invitation.code}")
    return 0
