"""Working through a leadtui server from the command line: the `--server` option, and the
signed-in colleague's remote repository (`leadtui login` stored the token)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from leadtui.cli import credentials
from leadtui.cli.database import UserError
from leadtui.domain import NotFound
from leadtui.domain.interface import LeadRepository

if TYPE_CHECKING:
    from leadtui.remote.repository import RemoteRepository

SERVER_ENV = "LEADTUI_SERVER"
CA_FILE_ENV = "LEADTUI_CA_FILE"


def server_option(func: click.decorators.FC) -> click.decorators.FC:
    func = click.option(
        "--ca-file",
        metavar="DATEI",
        envvar=CA_FILE_ENV,
        help=f"Zertifikat der CA, der der Server vertraut ist (oder {CA_FILE_ENV}).",
    )(func)
    return click.option(
        "--server",
        "server_url",
        metavar="URL",
        envvar=SERVER_ENV,
        help=f"Über diesen leadtui-Server arbeiten (oder {SERVER_ENV}); vorher 'leadtui login URL'.",
    )(func)


def open_remote(server_url: str, ca_file: str | None) -> RemoteRepository:
    """The signed-in colleague's repository at that server (UserError: not signed in there)."""
    from leadtui.remote.repository import connect
    from leadtui.remote.server import Server

    address = Server.at(server_url).url
    stored = credentials.load(address)
    if stored is None:
        raise UserError(f"Nicht angemeldet bei {address} – zuerst: leadtui login {address}")
    repository = connect(Server.at(address, ca_file or stored.ca_file), stored.token)
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(repository.close)  # its connections end with the command
    return repository


def remote_colleague(repository: LeadRepository, email: str) -> int:
    wanted = email.strip().lower()
    for found in repository.colleagues(include_inactive=True):
        if found.email == wanted:
            return found.id
    raise NotFound(f"Kein Kollege Ihrer Firma mit dieser E-Mail-Adresse: {email}")
