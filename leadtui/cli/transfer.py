"""Leads out of leadtui: `leadtui export`, locally or through a server, as the colleague works."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from click.core import ParameterSource

from leadtui.cli.commands import _acting, _db, cli, db_option
from leadtui.cli.database import UserError, open_for
from leadtui.cli.signed_in import open_remote, remote_colleague, server_option
from leadtui.config import USER_ENV
from leadtui.domain import ListKind, ListQuery, SortKey
from leadtui.domain.columns import COLUMNS_SETTING, chosen_columns, list_columns
from leadtui.domain.interface import LeadRepository

# The lists by the names the navigation gives them (keys 1-7), as one word each.
LISTS = {
    "alle": ListKind.ALL,
    "meine": ListKind.MINE,
    "nicht-zugewiesen": ListKind.UNASSIGNED,
    "verwaist": ListKind.ORPHANED,
    "weitergegeben": ListKind.PASSED_ON,
    "leadangebote": ListKind.OFFERS,
    "fällig": ListKind.DUE,
    "faellig": ListKind.DUE,
}
SORTS = {
    "titel": SortKey.TITLE,
    "firma": SortKey.PROSPECT,
    "ort": SortKey.CITY,
    "status": SortKey.STATUS,
    "wert": SortKey.VALUE,
    "angelegt": SortKey.CREATED,
    "kollege": SortKey.COLLEAGUE,
    "eingang": SortKey.ARRIVED,  # Leadangebote: when the offer came in
    "frist": SortKey.DEADLINE,  # Leadangebote: the response window that ends first
    "fällig": SortKey.DUE,  # Fällige Aufgaben: the task due first
    "faellig": SortKey.DUE,  # as typed without umlauts
}


def working_repository(
    ctx: click.Context, db: str | None, user: str | None, server_url: str | None, ca_file: str | None
) -> LeadRepository:
    """The colleague's repository: the signed-in one at the server, else the database's."""
    if server_url and ctx.get_parameter_source("db") is not ParameterSource.COMMANDLINE:
        if ctx.get_parameter_source("user") is ParameterSource.COMMANDLINE:
            raise UserError("Mit --server arbeiten Sie als der angemeldete Kollege; --user geht nicht.")
        return open_remote(server_url, ca_file)
    return _acting(open_for(_db(ctx, db), create=False, writes=False), user)


@cli.command("export")
@click.option("--liste", "list_name", default="alle", metavar="NAME", help="alle, meine, nicht-zugewiesen, "
              "verwaist, weitergegeben, leadangebote oder fällig (Standard: alle).")  # fmt: skip
@click.option("--suche", "search", default="", metavar="TEXT", help="Nur Leads, die diesen Text enthalten.")
@click.option("--kollege", "colleague_email", metavar="E-MAIL", help="Nur Leads dieses Kollegen Ihrer Firma.")
@click.option("--sortierung", "sort_name", default="", metavar="SPALTE", help="titel, firma, ort, "
              "status, wert, angelegt, kollege, (Leadangebote) eingang oder frist, (fällig) fällig "
              "(Standard: angelegt, neueste zuerst; Leadangebote: eingang; fällig: die am längsten "
              "überfällige zuerst).")  # fmt: skip
@click.option("--aufsteigend", is_flag=True, help="Aufsteigend sortieren (Standard: absteigend).")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), help="Standard: nach der Dateiendung, sonst csv.")
@click.option("-o", "--datei", "output", metavar="DATEI", help="Hierhin schreiben (Standard: die Standardausgabe).")
@click.option("--user", metavar="EMAIL", envvar=USER_ENV, help=f"Als dieser Kollege (oder {USER_ENV}).")
@db_option
@server_option
@click.pass_context
def export_command(
    ctx: click.Context,
    list_name: str,
    search: str,
    colleague_email: str | None,
    sort_name: str,
    aufsteigend: bool,
    fmt: str | None,
    output: str | None,
    user: str | None,
    db: str | None,
    server_url: str | None,
    ca_file: str | None,
) -> int:
    """Eine Lead-Liste exportieren: alle Zeilen, in den Spalten, die Sie in der Liste gewählt
    haben, als CSV (für Excel: UTF-8, Semikolon) oder xlsx."""
    from leadtui.exports import export, format_of

    kind = LISTS.get(list_name.strip().lower())
    if kind is None:
        raise UserError(f"Unbekannte Liste: {list_name} (möglich: {', '.join(k for k in LISTS if k != 'faellig')}).")
    # as the app opens the list: offers newest first, due tasks the most overdue first
    default = {ListKind.OFFERS: "eingang", ListKind.DUE: "fällig"}.get(kind, "angelegt")
    sort = SORTS.get(sort_name.strip().lower() or default)
    if sort is None:
        raise UserError(
            f"Unbekannte Sortierung: {sort_name} (möglich: {', '.join(k for k in SORTS if k != 'faellig')})."
        )
    path = Path(output).expanduser() if output else None
    chosen_format = format_of(path, fmt)
    if path is None and chosen_format == "xlsx":
        raise UserError("xlsx nur in eine Datei: bitte mit -o DATEI angeben.")
    repository = working_repository(ctx, db, user, server_url, ca_file)
    colleague_id = remote_colleague(repository, colleague_email) if colleague_email else None
    descending = not aufsteigend and sort is not SortKey.DUE  # due first: ascending by its nature
    query = ListQuery(kind=kind, search=search.strip(), colleague_id=colleague_id, sort=sort, descending=descending)
    columns = list_columns(kind, chosen_columns(repository.setting(COLUMNS_SETTING)))
    written = export(repository, query, columns, path if path is not None else sys.stdout.buffer, chosen_format)
    if path is not None:
        print(f"{written} Leads exportiert nach {path}", file=sys.stderr)
    return 0
