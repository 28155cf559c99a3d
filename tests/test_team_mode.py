"""Team mode on PostgreSQL: each colleague works under their own login, and the database itself
keeps every company's rows to that company - for the app, and for anyone with psql and their own
credentials. (The repository suites run under these logins too: see World in conftest.py.)"""

from __future__ import annotations

import pytest
from helpers import new_lead, passed_on_lead, run_cli
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from leadtui.domain import AccessDenied, ListQuery

pytestmark = pytest.mark.usefixtures("isolated_data_dir")
team = pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)  # world on PostgreSQL


def rows(engine: Engine, sql: str, **params) -> list:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def refused(engine: Engine, sql: str, **params) -> bool:
    """Whether PostgreSQL refuses the write, or lets it touch no row."""
    try:
        with engine.begin() as conn:
            return conn.execute(text(sql), params).rowcount == 0
    except DBAPIError:
        return True


@pytest.fixture
def shared(world):
    """A lead of Sonnenstrom accepted by Nordlicht, each side with its own private assignment,
    history and settings."""
    lead_id = passed_on_lead(world)
    anna, tim = world.repo("anna"), world.repo("tim")
    anna.assign(lead_id, world.ids["jonas"], anna.assignment(lead_id).version)
    tim.assign(lead_id, world.ids["julia"], tim.assignment(lead_id).version)
    anna.save_setting("lead_list.columns", "title,colleague")
    tim.save_setting("lead_list.columns", "title")
    new_lead(world.repo("paul"), "Rheinwerk intern")
    return lead_id


@team
def test_a_login_reads_only_its_own_companys_rows(world, shared):
    tim = world.engine_for("tim")
    nordlicht = world.repo("tim").company_id
    assert {r.company_id for r in rows(tim, "SELECT company_id FROM company_leads")} == {nordlicht}
    assert {r.company_id for r in rows(tim, "SELECT company_id FROM assignment_history")} == {nordlicht}
    assert {r.company_id for r in rows(tim, "SELECT company_id FROM company_lead_counts")} == {nordlicht}
    assert {r.colleague_id for r in rows(tim, "SELECT colleague_id FROM colleague_settings")} == {world.ids["tim"]}
    assert {r.name for r in rows(tim, "SELECT name FROM colleagues")} == {"Tim Krüger", "Julia Neumann"}
    assert [r.title for r in rows(tim, "SELECT title FROM leads")] == ["Gewerbedach 40 kWp"]
    assert "Rheinwerk" not in {r.name for r in rows(tim, "SELECT name FROM companies")}
    # The principal's private assignee of the shared lead is nowhere to be read.
    assert rows(tim, "SELECT 1 FROM company_leads WHERE colleague_id = :j", j=world.ids["jonas"]) == []
    assert rows(tim, "SELECT 1 FROM colleagues WHERE id = :j", j=world.ids["jonas"]) == []


@team
def test_search_under_row_security_finds_only_the_own_leads(world, shared):
    """The search function bypasses row-level security to use its index: called straight from
    psql it still answers with the caller's leads only, and the app's search finds them."""
    tim, paul = world.engine_for("tim"), world.engine_for("paul")
    own = new_lead(world.repo("anna"), "Wärmepumpe nur Sonnenstrom").id
    found = {r[0] for r in rows(tim, "SELECT leadtui_search(ARRAY['%wärmepumpe%', '%sonnenstrom%'])")}
    assert own not in found
    assert {r[0] for r in rows(tim, "SELECT leadtui_search(ARRAY['%gewerbedach%'])")} == {shared}
    assert rows(paul, "SELECT leadtui_search(ARRAY['%gewerbedach%'])") == []
    assert rows(paul, "SELECT leadtui_search(ARRAY['%rheinwerk%'])") != []
    assert [r.id for r in world.repo("anna").rows(ListQuery(search="wärmepumpe sonnenstrom"), 0, 10)] == [own]
    assert [r.id for r in world.repo("tim").rows(ListQuery(search="gewerbedach"), 0, 10)] == [shared]
    assert world.repo("paul").count(ListQuery(search="gewerbedach")) == 0


@team
def test_a_login_cannot_write_another_companys_rows(world, shared):
    tim = world.engine_for("tim")
    sonnenstrom = world.repo("anna").company_id
    assert refused(tim, "UPDATE company_leads SET colleague_id = NULL WHERE company_id = :c", c=sonnenstrom)
    assert refused(tim, "UPDATE company_lead_counts SET n = 0 WHERE company_id = :c", c=sonnenstrom)
    assert refused(tim, "UPDATE colleague_settings SET value = 'x' WHERE colleague_id = :a", a=world.ids["anna"])
    assert refused(
        tim,
        "INSERT INTO assignment_history (company_id, lead_id, from_id, to_id, by_id, at, reason)"
        " VALUES (:c, :l, NULL, :j, :j, now(), 'manual')",
        c=sonnenstrom,
        l=shared,
        j=world.ids["jonas"],
    )
    new = new_lead(world.repo("paul"), "Nur Rheinwerk")
    nordlicht = world.repo("tim").company_id
    # Seeing a lead by writing a view of it for oneself: refused.
    assert refused(
        tim,
        "INSERT INTO company_leads (company_id, lead_id, version, via, sort_created, sort_title, sort_prospect,"
        " sort_city, sort_status, sort_value, sort_assignee) VALUES (:c, :l, 1, 'accepted', now(), '', '', '',"
        " 'neu', -1, '')",
        c=nordlicht,
        l=new.id,
    )


@team
def test_history_cannot_be_forged_in_a_colleagues_name(world, shared):
    tim = world.engine_for("tim")
    nordlicht = world.repo("tim").company_id
    assert refused(
        tim,
        "INSERT INTO assignment_history (company_id, lead_id, from_id, to_id, by_id, at, reason)"
        " VALUES (:c, :l, NULL, :t, :j, now(), 'manual')",
        c=nordlicht,
        l=shared,
        t=world.ids["tim"],
        j=world.ids["julia"],
    )


@team
def test_a_member_cannot_deactivate_reactivate_or_promote(world):
    jonas = world.engine_for("jonas")  # a member of Sonnenstrom; Anna is its admin
    assert refused(jonas, "UPDATE colleagues SET active = false WHERE id = :m", m=world.ids["markus"])
    assert refused(jonas, "UPDATE colleagues SET role = 'admin' WHERE id = :j", j=world.ids["jonas"])
    assert refused(jonas, "UPDATE colleagues SET login = 'anna' WHERE id = :j", j=world.ids["jonas"])
    with pytest.raises(AccessDenied, match="Nur Administratoren"):
        world.repo("jonas").deactivate(world.ids["markus"])
    world.repo("anna").deactivate(world.ids["markus"])  # the admin may
    assert not refused(
        world.engine_for("anna"), "UPDATE colleagues SET active = true WHERE id = :m", m=world.ids["markus"]
    )


@team
def test_deactivating_a_colleague_disables_their_login(world):
    world.repo("anna").deactivate(world.ids["jonas"])
    with pytest.raises(AccessDenied, match="deaktiviert"):
        world.repo("jonas")
    login = world.login("jonas")
    assert rows(world.engine, "SELECT rolcanlogin FROM pg_roles WHERE rolname = :r", r=login)[0].rolcanlogin is False
    world.repo("anna").activate(world.ids["jonas"])
    assert world.repo("jonas").count(ListQuery()) >= 0


@team
def test_a_login_is_its_colleague_and_nobody_else(world):
    from leadtui.repository import Repository

    tim_engine = world.engine_for("tim")
    assert Repository.for_login(tim_engine).me.name == "Tim Krüger"
    with pytest.raises(AccessDenied, match="anderen Kollegen"):
        Repository(tim_engine, world.ids["julia"])
    with pytest.raises(AccessDenied):
        Repository(tim_engine, world.ids["anna"])


@team
def test_the_command_line_works_as_the_login(world, capsys, monkeypatch):
    url = world.engine_for("tim").url.render_as_string(hide_password=False)
    started = []
    monkeypatch.setattr("leadtui.ui.app.LeadtuiApp.run", lambda self: started.append(self.repository.me.name))
    assert run_cli(capsys, "--db", url)[0] == 0
    assert started == ["Tim Krüger"]
    code, _, err = run_cli(capsys, "--db", url, "--user", "anna@example.org")
    assert code == 2 and "--user" in err and err.count("\n") == 1
    # a member's login cannot administer colleagues, not even of its own company
    jonas = world.engine_for("jonas").url.render_as_string(hide_password=False)
    code, _, err = run_cli(capsys, "colleague", "deactivate", "markus@example.org", "--db", jonas)
    assert code == 2 and "Nur Administratoren" in err


def test_an_outdated_schema_is_said_in_one_line_and_never_migrated_silently(pg_url, capsys):
    from leadtui.db.engine import _alembic_config, make_engine

    engine = make_engine(pg_url)
    with engine.begin() as conn:
        from alembic import command

        config = _alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
    engine.dispose()
    code, _, err = run_cli(capsys, "company", "list", "--db", pg_url)
    assert code == 2 and "nicht aktuell" in err and "leadtui db upgrade" in err and err.count("\n") == 1
    assert run_cli(capsys, "db", "upgrade", "--db", pg_url)[0] == 0
    assert run_cli(capsys, "company", "list", "--db", pg_url)[0] == 0


@team
def test_granting_logins_is_for_admins(world, capsys):
    jonas_url = world.engine_for("jonas").url.render_as_string(hide_password=False)
    code, _, err = run_cli(capsys, "colleague", "grant", "markus@example.org", "--login", "x_markus", "--db", jonas_url)
    assert code == 2 and "Administratoren" in err
    admin_url = world.engine.url.render_as_string(hide_password=False)
    code, _, err = run_cli(capsys, "colleague", "grant", "paul@example.org", "--login", "postgres", "--db", admin_url)
    assert code == 2 and "Verwaltungsrolle" in err


@team
def test_a_channel_name_is_an_identifier_never_sql(world):
    """A company's channel holding `";` and a statement: the app that opens listens on a strange
    channel and runs nothing of it - and still hears its company's changes."""

    anna = world.repo("anna")
    hostile = 'x"; SET statement_timeout = 4321; --'
    store = "UPDATE company_changes SET channel = :c WHERE company_id = :id"
    assert refused(world.engine, store, c=hostile, id=anna.company_id)  # the database refuses such a name
    with world.engine.begin() as conn:  # and if its check was gone (a superuser), the app holds
        conn.execute(text("ALTER TABLE company_changes DROP CONSTRAINT ck_company_changes_channel_valid"))
        conn.execute(
            text("UPDATE company_changes SET channel = :c WHERE company_id = :id"),
            {"c": hostile, "id": anna.company_id},
        )
    feed = world.repo("jonas").feed(poll_s=0.05)
    try:
        assert feed.wait(0.2) is False  # listening; nothing changed since the feed was made
        assert feed._listener._conn.execute("SHOW statement_timeout").fetchone()[0] != "4321ms"
        new_lead(anna, "Nach dem Umbenennen")
        assert feed.wait(2.0) is True
    finally:
        feed.close()


@team
def test_colleague_add_with_a_taken_login_writes_nothing_and_says_why_in_german(world, capsys):
    """All or nothing: a login already in use leaves no colleague behind, so the corrected
    command works; a member's attempt is refused in German, naming who may."""
    admin_url = world.engine.url.render_as_string(hide_password=False)
    taken = world.login("anna")
    code, out, err = run_cli(
        capsys, "colleague", "add", "Sonnenstrom", "Nina Neu", "nina@example.org", "--login", taken, "--db", admin_url
    )
    assert code == 2 and out == "" and "Anmeldung" in err and "schon einem anderen Kollegen" in err
    assert "nina@example.org" not in [c.email for c, _ in world.admin.colleagues()]
    fresh = f"{world.login('nina')}"
    code, out, err = run_cli(
        capsys, "colleague", "add", "Sonnenstrom", "Nina Neu", "nina@example.org", "--login", fresh, "--db", admin_url
    )
    assert code == 0 and "Kollege angelegt: Nina Neu" in out and f"Anmeldung: {fresh}" in out
    world.ids["nina"] = world.admin.colleague("nina@example.org").id  # the role is dropped after the test
    jonas_url = world.engine_for("jonas").url.render_as_string(hide_password=False)
    code, _, err = run_cli(capsys, "colleague", "add", "Sonnenstrom", "Olaf", "olaf@example.org", "--db", jonas_url)
    assert code == 2 and "Nur Administratoren von Sonnenstrom" in err
    assert "policy" not in err and "row-level" not in err


@team
def test_the_administrators_login_does_not_open_the_app_as_a_colleague(world, capsys, monkeypatch):
    monkeypatch.setattr("leadtui.ui.app.LeadtuiApp.run", lambda self: pytest.fail("the app opened"))
    admin_url = world.engine.url.render_as_string(hide_password=False)
    code, _, err = run_cli(capsys, "--db", admin_url, "--user", "tim@example.org")
    assert code == 2 and "Verwaltungsbefehle" in err and err.count("\n") == 1


@team
def test_an_unknown_login_is_said_in_german(world, capsys):
    url = world.engine.url.set(username="keine_solche_anmeldung").render_as_string(hide_password=False)
    code, _, err = run_cli(capsys, "company", "list", "--db", url)
    assert code == 2 and "Die Datenbankanmeldung keine_solche_anmeldung gibt es nicht" in err
    assert "FATAL" not in err


def test_a_wrong_password_is_said_in_german():
    from sqlalchemy.exc import OperationalError

    from leadtui.db.engine import unusable

    libpq = 'connection to server at "db", port 5432 failed: FATAL:  password authentication failed for user "anna"'
    said = str(unusable(OperationalError("connect", {}, Exception(libpq))))
    assert "Passwort falsch" in said and "PGPASSWORD" in said and "FATAL" not in said


@team
def test_a_deactivated_login_fails_with_our_own_sqlstate(world):
    """The app knows a deactivated colleague by SQLSTATE LTD01 (migration 0012), not by the
    words of the message: a rewording cannot make it miss one."""
    from leadtui.db.errors import storage_error
    from leadtui.domain import Deactivated

    with world.engine_for("jonas").connect() as conn:  # a session open when it happens
        conn.execute(text("SELECT 1"))
        world.repo("anna").deactivate(world.ids["jonas"])  # (new sessions: the login is disabled)
        with pytest.raises(DBAPIError) as raised:
            conn.execute(text("SELECT leadtui_me()"))  # what every policy asks
    assert raised.value.orig.sqlstate == "LTD01"
    assert isinstance(storage_error(raised.value), Deactivated)
