"""Command line: opens the TUI, runs admin commands, and turns every user error into one line.

Exit codes: 0 success, 2 bad input or a start-up problem (unknown user, unusable database).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from leadtui import __version__
from leadtui.config import Settings, demo_database_path, sqlite_url
from leadtui.domain import LeadtuiError

EXIT_USAGE = 2


class UserError(Exception):
    """A problem to report as one line on stderr, with exit code 2."""


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--db", metavar="URL", default=default, help="SQLAlchemy-Datenbank-URL")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadtui",
        description="Leads sichten und Kollegen zuweisen – im Terminal.",
    )
    parser.add_argument("--version", action="version", version=f"leadtui {__version__}")
    _common(parser, suppress=False)
    parser.add_argument("--user", metavar="EMAIL", help="als dieser Kollege anmelden (LEADTUI_USER)")
    parser.add_argument("--demo", action="store_true", help="mit der Demo-Datenbank starten")
    parser.add_argument("--reset", action="store_true", help="mit --demo: Demo-Datenbank neu anlegen")
    sub = parser.add_subparsers(dest="command", metavar="BEFEHL")

    db = sub.add_parser("db", help="Datenbankschema verwalten")
    db_sub = db.add_subparsers(dest="action", metavar="AKTION", required=True)
    _common(db_sub.add_parser("upgrade", help="Schema auf den neuesten Stand bringen"), True)

    seed = sub.add_parser("seed", help="Datenbank mit erzeugten Leads füllen")
    _common(seed, True)
    seed.add_argument("--leads", type=int, required=True, metavar="N", help="Anzahl Leads")
    seed.add_argument("--seed", type=int, default=42, help="Zufallsstartwert (Standard 42)")

    company = sub.add_parser("company", help="Firmen verwalten")
    company_sub = company.add_subparsers(dest="action", metavar="AKTION", required=True)
    add = company_sub.add_parser("add", help="Firma anlegen")
    add.add_argument("name")
    _common(add, True)
    _common(company_sub.add_parser("list", help="Firmen auflisten"), True)

    colleague = sub.add_parser("colleague", help="Kollegen verwalten")
    colleague_sub = colleague.add_subparsers(dest="action", metavar="AKTION", required=True)
    add = colleague_sub.add_parser("add", help="Kollegen anlegen")
    add.add_argument("company", help="Firmenname")
    add.add_argument("name", help="Vor- und Nachname")
    add.add_argument("email", help="E-Mail-Adresse (Anmeldename)")
    _common(add, True)
    listing = colleague_sub.add_parser("list", help="Kollegen auflisten")
    listing.add_argument("--company", help="nur diese Firma")
    _common(listing, True)
    for action, text in (("deactivate", "Kollegen deaktivieren"), ("activate", "Kollegen aktivieren")):
        p = colleague_sub.add_parser(action, help=text)
        p.add_argument("email")
        _common(p, True)

    partner = sub.add_parser("partner", help="Partnerschaften verwalten")
    partner_sub = partner.add_subparsers(dest="action", metavar="AKTION", required=True)
    add = partner_sub.add_parser("add", help="Vertriebspartner einer Firma hinzufügen")
    add.add_argument("principal", help="Auftraggeber")
    add.add_argument("partner", help="Vertriebspartner")
    _common(add, True)
    return parser


def _engine(url: str):
    from leadtui.db.engine import open_database

    return open_database(url, create=True)


def _demo_url(reset: bool) -> str:
    from leadtui.db.engine import open_database
    from leadtui.seed import build_demo

    path = demo_database_path()
    if reset:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    if not path.exists():
        # Built aside and moved into place, so an interrupted build never leaves half a demo.
        staging = path.with_name("demo-building.db")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{staging}{suffix}").unlink(missing_ok=True)
        engine = open_database(sqlite_url(staging), create=True)
        build_demo(engine)
        engine.dispose()
        os.replace(staging, path)
    return sqlite_url(path)


def _run_tui(args: argparse.Namespace) -> int:
    from leadtui.admin import Admin
    from leadtui.repository import Repository
    from leadtui.seed import DEMO_USER

    if args.reset and not args.demo:
        raise UserError("--reset gibt es nur zusammen mit --demo.")
    settings = Settings.resolve(_demo_url(args.reset) if args.demo else args.db, args.user)
    engine = _engine(settings.database_url)
    admin = Admin(engine)
    email = settings.user or (DEMO_USER if args.demo else None) or admin.default_user().email
    repository = Repository.for_email(engine, email)

    from leadtui.ui.app import LeadtuiApp

    LeadtuiApp(repository).run()
    return 0


def _run_command(args: argparse.Namespace) -> int:
    from leadtui.admin import Admin

    settings = Settings.resolve(args.db, None)
    engine = _engine(settings.database_url)
    if args.command == "db":
        print(f"Schema ist aktuell: {engine.url.render_as_string(hide_password=True)}")
        return 0
    if args.command == "seed":
        from leadtui.seed import generate

        if args.leads < 1:
            raise UserError("--leads muss mindestens 1 sein.")
        written = generate(engine, args.leads, seed=args.seed)
        print(f"{written} Leads erzeugt.")
        return 0
    admin = Admin(engine)
    if args.command == "company":
        if args.action == "add":
            company = admin.add_company(args.name)
            print(f"Firma angelegt: {company.name}")
        else:
            for company in admin.companies():
                print(company.name)
    elif args.command == "colleague":
        if args.action == "add":
            colleague = admin.add_colleague(args.company, args.name, args.email)
            print(f"Kollege angelegt: {colleague.name} <{colleague.email}>")
        elif args.action == "list":
            for colleague, company_name in admin.colleagues(args.company):
                state = "aktiv" if colleague.active else "inaktiv"
                print(f"{colleague.email}\t{colleague.name}\t{company_name}\t{state}")
        else:
            colleague = admin.set_active(args.email, args.action == "activate")
            state = "aktiviert" if colleague.active else "deaktiviert"
            print(f"{colleague.name} {state}.")
    elif args.command == "partner":
        principal, partner = admin.add_partnership(args.principal, args.partner)
        print(f"{partner.name} ist jetzt Vertriebspartner von {principal.name}.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run_command(args) if args.command else _run_tui(args)
    except (UserError, LeadtuiError) as error:
        print(f"leadtui: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
