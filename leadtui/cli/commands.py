"""The commands: `leadtui` opens the TUI; `db`, `seed`, `company`, `colleague`, `partner`
administer the database. Options can also come from the environment (LEADTUI_DATABASE_URL,
LEADTUI_USER); the command line wins."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click
from click.core import ParameterSource

from leadtui import __version__
from leadtui.cli.database import UserError, open_demo, open_for
from leadtui.cli.signed_in import open_remote, remote_colleague, server_option
from leadtui.config import DATABASE_ENV, USER_ENV
from leadtui.domain import AccessDenied, NotFound
from leadtui.domain.fields import COLLEAGUE_NAME, COMPANY_NAME, checked, checked_email
from leadtui.domain.interface import LeadRepository
from leadtui.domain.text import for_display
from leadtui.domain.windows import default_window

if TYPE_CHECKING:  # the database layer loads with the first command that opens one (cli/database.py)
    from sqlalchemy import Engine

    from leadtui.admin import Admin
    from leadtui.repository import Repository

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Command(click.Command):
    """A command whose usage line reads German."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPTIONEN]")
        kwargs.setdefault("context_settings", CONTEXT)
        super().__init__(*args, **kwargs)


class Group(click.Group):
    """A command group whose usage line and subcommands read German."""

    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[OPTIONEN]")
        kwargs.setdefault("subcommand_metavar", "BEFEHL [ARGUMENTE]...")
        kwargs.setdefault("context_settings", CONTEXT)
        super().__init__(*args, **kwargs)


Group.group_class = Group


def db_option(func: F) -> F:
    return click.option(
        "--db",
        metavar="URL|PFAD",
        envvar=DATABASE_ENV,
        help=f"Datenbank als SQLAlchemy-URL oder Pfad einer SQLite-Datei (oder {DATABASE_ENV});"
        " Standard: SQLite im Datenordner.",
    )(func)


def create_option(func: F) -> F:
    return click.option("--create", is_flag=True, help="Eine neue SQLite-Datei anlegen, wenn es sie nicht gibt.")(func)


def _db(ctx: click.Context, own: str | None) -> str | None:
    """The subcommand's --db, else one given before the subcommand, else the environment's."""
    if ctx.get_parameter_source("db") is ParameterSource.COMMANDLINE:
        return own
    parent = ctx.find_root()
    if parent.get_parameter_source("db") is ParameterSource.COMMANDLINE:
        return parent.params.get("db")
    return own


def _create(ctx: click.Context, own: bool) -> bool:
    """The subcommand's --create, or one given before the subcommand (`leadtui --create company
    add …` as `leadtui company add … --create`)."""
    return own or bool(ctx.find_root().params.get("create"))


def _positive(_ctx: click.Context, _param: click.Parameter, value: int) -> int:
    if value < 1:
        raise click.BadParameter("muss mindestens 1 sein.")
    return value


def show(text: str) -> str:
    """Stored text as a terminal may print it: no control character ever reaches it."""
    return for_display(text)


@click.group(cls=Group, invoke_without_command=True)
@click.version_option(__version__, "--version", prog_name="leadtui", help="Die Version zeigen und beenden.")
@db_option
@click.option("--user", metavar="EMAIL", envvar=USER_ENV, help=f"Als dieser Kollege arbeiten (oder {USER_ENV}).")
@click.option("--demo", is_flag=True, help="Mit der Demo-Datenbank starten (nie Ihre echte).")
@click.option("--reset", is_flag=True, help="Mit --demo: die Demo-Datenbank neu anlegen.")
@create_option
@server_option
@click.pass_context
def cli(
    ctx: click.Context,
    db: str | None,
    user: str | None,
    demo: bool,
    reset: bool,
    create: bool,
    server_url: str | None,
    ca_file: str | None,
) -> int:
    """Leads sichten und Kollegen zuweisen – im Terminal.

    Ohne Befehl öffnet leadtui die Lead-Listen als der angegebene Kollege (mit --server: als
    der beim Server angemeldete)."""
    if ctx.invoked_subcommand is not None:
        return 0
    if reset and not demo:
        raise UserError("--reset gibt es nur zusammen mit --demo.")
    if demo and ctx.get_parameter_source("db") is ParameterSource.COMMANDLINE:
        raise UserError("--demo nutzt eine eigene Datenbank; --db geht nicht zusammen mit --demo.")
    repository: LeadRepository
    server_given = ctx.get_parameter_source("server_url") is ParameterSource.COMMANDLINE
    if server_given and (demo or user or ctx.get_parameter_source("db") is ParameterSource.COMMANDLINE):
        raise UserError("Mit --server arbeiten Sie als der angemeldete Kollege; --demo, --db und --user gehen nicht.")
    if server_url and (server_given or not demo):  # LEADTUI_SERVER from the environment yields to --demo
        repository = open_remote(server_url, ca_file)
    else:
        from leadtui.seed import DEMO_USER

        engine = open_demo(reset) if demo else open_for(db, create=create, writes=True)
        repository = _acting(engine, user or (DEMO_USER if demo else None))

    from leadtui.ui.app import LeadtuiApp

    app = LeadtuiApp(repository)
    app.run()
    return app.return_code or 0


def _admin(ctx: click.Context, db: str | None, *, create: bool, writes: bool) -> Admin:
    from leadtui.admin import Admin

    return Admin(open_for(_db(ctx, db), create=create, writes=writes))


def _acting(engine: Engine, user: str | None) -> Repository:
    """Who works: --user, or the only active colleague. On PostgreSQL colleagues work through
    the server; opening the database directly is the operator's (whose login may act as any
    colleague anyway), and then only as the colleague named with --user."""
    from leadtui.admin import Admin
    from leadtui.db.errors import NOT_LEADTUIS_LOGIN
    from leadtui.repository import Repository

    if engine.dialect.name == "postgresql":
        if not Admin(engine).is_administrator():
            raise UserError(NOT_LEADTUIS_LOGIN)
        if not user:
            raise UserError(
                "Direkt auf PostgreSQL öffnet die Verwaltung die App nur mit --user E-MAIL;"
                " Kollegen arbeiten über den Server (leadtui --server SERVER)."
            )
    return Repository.for_email(engine, user or Admin(engine).default_user().email)


@cli.group()
def db() -> None:
    """Datenbankschema verwalten und prüfen."""


@db.command("upgrade")
@db_option
@create_option
@click.pass_context
def db_upgrade(ctx: click.Context, db: str | None, create: bool) -> int:
    """Schema auf den neuesten Stand bringen (leadtui tut das auch beim Start)."""
    engine = open_for(_db(ctx, db), create=_create(ctx, create), writes=True, migrate=True)
    print(f"Schema ist aktuell: {show(engine.url.render_as_string(hide_password=True))}")
    return 0


@db.command("check")
@db_option
@click.option("--repair", is_flag=True, help="Gefundene Fehler gleich beheben.")
@click.pass_context
def db_check(ctx: click.Context, db: str | None, repair: bool) -> int:
    """Indizes, Suchindex, Sortierschlüssel und Zähler gegen die Daten prüfen.

    Rückgabewert 0: alles in Ordnung (oder repariert); 1: Fehler gefunden."""
    from leadtui.db.maintenance import check

    engine = open_for(_db(ctx, db), create=False, writes=repair, repair=False)
    findings = check(engine, repair=repair)
    for finding in findings:
        print(f"{finding.what}{' – behoben' if finding.repaired else ''}")
    if not findings:
        print("Alles in Ordnung.")
    return 1 if findings and not repair else 0


@cli.command()
@click.option("--leads", type=int, required=True, metavar="N", callback=_positive, help="Anzahl Leads.")
@click.option("--seed", "random_seed", type=int, default=42, metavar="ZAHL", help="Zufallsstartwert (Standard 42).")
@db_option
@create_option
@click.pass_context
def seed(ctx: click.Context, leads: int, random_seed: int, db: str | None, create: bool) -> int:
    """Datenbank mit erzeugten Leads füllen (Firmen, Kollegen, Leadangebote)."""
    from leadtui.seed import generate

    engine = open_for(_db(ctx, db), create=_create(ctx, create), writes=True)

    def progress(done: int) -> None:
        print(f"leadtui: {done:,} von {leads:,} Leads …".replace(",", "."), file=sys.stderr, flush=True)

    written = generate(engine, leads, seed=random_seed, progress=progress)
    print(f"{written} Leads erzeugt.")
    return 0


@cli.group()
def company() -> None:
    """Firmen verwalten."""


@company.command("add")
@click.argument("name")
@db_option
@create_option
@click.pass_context
def company_add(ctx: click.Context, name: str, db: str | None, create: bool) -> int:
    """Firma anlegen."""
    checked({"name": name}, {"name": COMPANY_NAME})  # bad input creates no database
    created = _admin(ctx, db, create=_create(ctx, create), writes=True).add_company(name)
    print(f"Firma angelegt: {show(created.name)}")
    return 0


@company.command("list")
@db_option
@click.pass_context
def company_list(ctx: click.Context, db: str | None) -> int:
    """Firmen auflisten."""
    for found in _admin(ctx, db, create=False, writes=False).companies():
        print(show(found.name))
    return 0


@cli.group()
def colleague() -> None:
    """Kollegen verwalten."""


@colleague.command("add")
@click.argument("company_name", metavar="FIRMA")
@click.argument("name", metavar="NAME")
@click.argument("email", metavar="E-MAIL")
@click.option("--admin", "is_admin", is_flag=True, help="Als Administrator der Firma (der erste ist es immer).")
@click.option(
    "--einladung", "invite", is_flag=True, help="Gleich einen Einladungscode für den leadtui-Server ausgeben."
)
@db_option
@create_option
@click.pass_context
def colleague_add(
    ctx: click.Context,
    company_name: str,
    name: str,
    email: str,
    is_admin: bool,
    invite: bool,
    db: str | None,
    create: bool,
) -> int:
    """Kollegen anlegen: Firma, Vor- und Nachname, E-Mail-Adresse."""
    checked({"name": name}, {"name": COLLEAGUE_NAME})  # bad input creates no database
    checked_email(email)
    admin = _admin(ctx, db, create=_create(ctx, create), writes=True)
    added = admin.add_colleague(company_name, name, email, admin=is_admin)
    role = " (Administrator)" if added.is_admin else ""
    print(f"Kollege angelegt: {show(added.name)} <{show(added.email)}>{role}")
    if invite:
        from leadtui.repository import Repository

        invitation = Repository(admin.engine, admin.admin_of(added).id).invite(added.name, added.email)
        until = invitation.expires_at.strftime("%d.%m.%Y %H:%M")
        print(f"Einladung zum Server, gültig bis {until}: leadtui login SERVER --einladung {invitation.code}")
    return 0


@colleague.command("list")
@click.option("--company", "company_name", metavar="FIRMA", help="Nur Kollegen dieser Firma.")
@db_option
@server_option
@click.pass_context
def colleague_list(
    ctx: click.Context, company_name: str | None, db: str | None, server_url: str | None, ca_file: str | None
) -> int:
    """Kollegen auflisten: E-Mail, Name, Firma, aktiv/inaktiv, Rolle, ob er Leadangebote
    erhält (mit --server: Ihrer Firma)."""
    if server_url:
        repository = open_remote(server_url, ca_file)
        listed = [(found, repository.company.name) for found in repository.colleagues(include_inactive=True)]
    else:
        listed = _admin(ctx, db, create=False, writes=False).colleagues(company_name)
    for found, company_label in listed:
        state = "aktiv" if found.active else "inaktiv"
        role = "Administrator" if found.is_admin else "Mitglied"
        offers = "erhält Leadangebote" if found.receives_offers else "-"
        print(f"{show(found.email)}\t{show(found.name)}\t{show(company_label)}\t{state}\t{role}\t{offers}")
    return 0


@colleague.command("offers")
@click.argument("email", metavar="E-MAIL")
@click.argument("choice", metavar="an|aus", type=click.Choice(["an", "aus"], case_sensitive=False))
@db_option
@server_option
@click.pass_context
def colleague_offers(
    ctx: click.Context, email: str, choice: str, db: str | None, server_url: str | None, ca_file: str | None
) -> int:
    """Ob ein Kollege von neuen Leadangeboten an seine Firma erfährt (Standard: ihre
    Administratoren; mit --server als Administrator Ihrer Firma)."""
    receives = choice.lower() == "an"
    if server_url:
        repository = open_remote(server_url, ca_file)
        colleague_id = remote_colleague(repository, email)
        repository.set_offer_receiver(colleague_id, receives)
        name = next(c.name for c in repository.colleagues(include_inactive=True) if c.id == colleague_id)
    else:
        name = _admin(ctx, db, create=False, writes=True).set_offer_receiver(email, receives).name
    print(f"{show(name)} {'erhält jetzt' if receives else 'erhält keine'} Leadangebote.")
    return 0


def _set_active(
    ctx: click.Context, email: str, db: str | None, server_url: str | None, ca_file: str | None, active: bool
) -> int:
    if server_url:
        repository = open_remote(server_url, ca_file)
        colleague_id = remote_colleague(repository, email)
        (repository.activate if active else repository.deactivate)(colleague_id)
        name = next(c.name for c in repository.colleagues(include_inactive=True) if c.id == colleague_id)
    else:
        name = _admin(ctx, db, create=False, writes=True).set_active(email, active).name
    print(f"{show(name)} {'aktiviert' if active else 'deaktiviert'}.")
    return 0


@colleague.command("deactivate")
@click.argument("email", metavar="E-MAIL")
@db_option
@server_option
@click.pass_context
def colleague_deactivate(
    ctx: click.Context, email: str, db: str | None, server_url: str | None, ca_file: str | None
) -> int:
    """Kollegen deaktivieren; seine Leads bleiben ihm zugewiesen (Liste „Verwaist“), seine
    Anmeldungen am Server enden sofort."""
    return _set_active(ctx, email, db, server_url, ca_file, False)


@colleague.command("activate")
@click.argument("email", metavar="E-MAIL")
@db_option
@server_option
@click.pass_context
def colleague_activate(
    ctx: click.Context, email: str, db: str | None, server_url: str | None, ca_file: str | None
) -> int:
    """Kollegen wieder aktivieren."""
    return _set_active(ctx, email, db, server_url, ca_file, True)


@cli.group()
def partner() -> None:
    """Partnerschaften verwalten."""


@partner.command("window")
@click.argument("principal", metavar="AUFTRAGGEBER")
@click.argument("partner_name", metavar="VERTRIEBSPARTNER")
@click.argument("typed", metavar="FRIST")
@db_option
@server_option
@click.pass_context
def partner_window(
    ctx: click.Context,
    principal: str,
    partner_name: str,
    typed: str,
    db: str | None,
    server_url: str | None,
    ca_file: str | None,
) -> int:
    """Die Standardfrist der Leadangebote eines Auftraggebers an einen Vertriebspartner: z. B.
    „48 Std.“, „3 Tage“ oder „keine“ (mit --server als Administrator Ihrer Firma). Wer einen
    Lead weitergibt, kann sie im Einzelfall ändern; bestehende Angebote behalten ihre Frist."""
    window = default_window(typed)  # InvalidWindow: one line, exit code 2
    if server_url:
        repository = open_remote(server_url, ca_file)
        if repository.company.name.casefold() != principal.strip().casefold():
            raise AccessDenied(f"Mit --server legen Sie Fristen Ihrer Firma fest ({repository.company.name}).")
        wanted = partner_name.strip().casefold()
        found = next((p for p in repository.partners() if p.name.casefold() == wanted), None)
        if found is None:
            raise NotFound(f"{partner_name} ist kein Vertriebspartner Ihrer Firma.")
        repository.set_partner_window(found.id, window.hours)
        names = (repository.company.name, found.name)
    else:
        first, second = _admin(ctx, db, create=False, writes=True).set_partner_window(
            principal, partner_name, window.hours
        )
        names = (first.name, second.name)
    print(f"Standardfrist von {show(names[0])} an {show(names[1])}: {window.label}.")
    return 0


@partner.command("add")
@click.argument("principal", metavar="AUFTRAGGEBER")
@click.argument("partner_name", metavar="VERTRIEBSPARTNER")
@db_option
@create_option
@click.pass_context
def partner_add(ctx: click.Context, principal: str, partner_name: str, db: str | None, create: bool) -> int:
    """Einer Firma einen Vertriebspartner geben (sie kann ihm Leads anbieten)."""
    admin = _admin(ctx, db, create=_create(ctx, create), writes=True)
    first, second = admin.add_partnership(principal, partner_name)
    print(f"{show(second.name)} ist jetzt Vertriebspartner von {show(first.name)}.")
    return 0
