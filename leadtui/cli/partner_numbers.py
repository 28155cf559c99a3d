"""`leadtui partner stats`: how the own company's partners answer its lead offers, as the screen
in Weitergegeben shows it (`p`) - one tab-separated line per partner, for a spreadsheet."""

from __future__ import annotations

import click

from leadtui.cli.commands import db_option, partner, show
from leadtui.cli.signed_in import server_option
from leadtui.cli.transfer import working_repository
from leadtui.config import USER_ENV

HEADER = (
    "Vertriebspartner",
    "angeboten",
    "offen",
    "angenommen",
    "abgelehnt",
    "abgelaufen",
    "zurückgezogen",
    "Median bis Annahme (Std.)",
    "Ablehnungsgründe",
)


@partner.command("stats")
@click.option("--user", metavar="EMAIL", envvar=USER_ENV, help=f"Als dieser Kollege (oder {USER_ENV}).")
@db_option
@server_option
@click.pass_context
def partner_stats(
    ctx: click.Context, user: str | None, db: str | None, server_url: str | None, ca_file: str | None
) -> int:
    """Wie Ihre Vertriebspartner auf Ihre Leadangebote antworten: je Partner angeboten, offen,
    angenommen (mit der mittleren Zeit bis zur Annahme), abgelehnt (mit Gründen), abgelaufen
    und zurückgezogen - je Lead sein letztes Ergebnis."""
    repository = working_repository(ctx, db, user, server_url, ca_file)
    print("\t".join(HEADER))
    for numbers in repository.partner_numbers():
        median = "" if numbers.median_accept_s is None else f"{numbers.median_accept_s / 3600:.1f}".replace(".", ",")
        reasons = ", ".join(f"{reason} {n}" for reason, n in numbers.declined_by)
        counts = (numbers.offered, numbers.pending, numbers.accepted, numbers.declined, numbers.expired)
        cells = (show(numbers.partner), *map(str, counts), str(numbers.withdrawn), median, reasons)
        print("\t".join(cells))
    return 0
