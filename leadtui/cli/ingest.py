"""`leadtui ingest`: leads from other systems, one JSON line each on stdin, one answer each on
stdout (rule 20) - locally or through a server, with the colleague's rights as always.

Lines are sent in groups (one transaction, one request each), so a cron job's thousand lines
take seconds; an empty line is skipped. The exit code is 0 when every line was taken (created,
updated, or a duplicate of a lead the company holds), 1 when a line was invalid.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from leadtui.cli.commands import cli, db_option
from leadtui.cli.signed_in import server_option
from leadtui.cli.transfer import working_repository
from leadtui.config import USER_ENV
from leadtui.domain.imports import ImportOptions
from leadtui.domain.ingest import Result, answered
from leadtui.domain.text import for_display

GROUP = 500  # lines per request: far below the server's limit, few round trips


@cli.command("ingest")
@click.option("--kollege", "colleague", default="", metavar="E-MAIL|niemand", help="Wer Leads ohne Feld "
              "kollege bekommt (Standard: Sie; niemand: Nicht zugewiesen).")  # fmt: skip
@click.option("--user", metavar="EMAIL", envvar=USER_ENV, help=f"Als dieser Kollege (oder {USER_ENV}).")
@db_option
@server_option
@click.pass_context
def ingest_command(
    ctx: click.Context, colleague: str, user: str | None, db: str | None, server_url: str | None, ca_file: str | None
) -> int:
    """Leads als JSON-Zeilen von der Standardeingabe übernehmen (Web-Formulare, n8n, Skripte):
    je Zeile ein Objekt mit den Feldern des Imports, optional external_id und kollege; je Zeile
    eine Antwort als JSON auf der Standardausgabe."""
    repository = working_repository(ctx, db, user, server_url, ca_file)
    options = ImportOptions(colleague=colleague.strip())
    all_taken = True
    for answers in answered(repository.ingest_leads, options, sys.stdin, GROUP):
        for answer in answers:
            click.echo(answer.as_json())
            all_taken = all_taken and answer.result != Result.INVALID
        sys.stdout.flush()
    return 0 if all_taken else 1


@cli.group("apikey")
def apikey() -> None:
    """API-Schlüssel, mit denen Web-Formulare und n8n Leads an den Server schicken
    (POST /api/v1/ingest); nur für Administratoren."""


def _keys_options(command: Callable[..., int]) -> Callable[..., int]:
    command = click.option("--user", metavar="EMAIL", envvar=USER_ENV, help=f"Als dieser Kollege (oder {USER_ENV}).")(
        command
    )
    return server_option(db_option(click.pass_context(command)))


@apikey.command("create")
@click.argument("name", metavar="NAME")
@_keys_options
def create_key(
    ctx: click.Context, name: str, user: str | None, db: str | None, server_url: str | None, ca_file: str | None
) -> int:
    """Einen Schlüssel anlegen (NAME: wofür, z. B. Website-Formular); er wird nur jetzt gezeigt."""
    made = working_repository(ctx, db, user, server_url, ca_file).create_api_key(name)
    click.echo(made.secret)
    click.echo(
        f"API-Schlüssel {made.key.id} „{for_display(made.key.name)}“ angelegt; er wird nur dieses eine Mal gezeigt. "
        "Er schickt Leads als Sie.",
        err=True,
    )
    return 0


@apikey.command("list")
@_keys_options
def list_keys(ctx: click.Context, user: str | None, db: str | None, server_url: str | None, ca_file: str | None) -> int:
    """Die Schlüssel Ihrer Firma."""
    keys = working_repository(ctx, db, user, server_url, ca_file).api_keys()
    if not keys:
        click.echo("Noch keine API-Schlüssel.")
    for key in keys:
        made = f"{key.created_at:%d.%m.%Y}" if key.created_at else "?"
        state = f"widerrufen am {key.revoked_at:%d.%m.%Y}" if key.revoked_at else "gültig"
        click.echo(f"{key.id:>4}  {for_display(key.name)}  von {for_display(key.by_name)}, {made}  {state}")
    return 0


@apikey.command("revoke")
@click.argument("key_id", type=int, metavar="ID")
@_keys_options
def revoke_key(
    ctx: click.Context, key_id: int, user: str | None, db: str | None, server_url: str | None, ca_file: str | None
) -> int:
    """Einen Schlüssel widerrufen: seine nächste Anfrage wird abgelehnt."""
    working_repository(ctx, db, user, server_url, ca_file).revoke_api_key(key_id)
    click.echo(f"API-Schlüssel {key_id} widerrufen.")
    return 0
