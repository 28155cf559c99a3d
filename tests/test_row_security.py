"""Row-level security on PostgreSQL: the database's second wall behind the repository's scoping.

Colleagues never hold database logins; the server (and the operator's `--user` mode) acts for
one colleague per transaction with the role `leadtui_user` and the setting `leadtui.colleague`
(db/row_security.py). These tests run raw SQL in such a transaction - a statement the scope
guard never saw - and show that it still reads and writes the acting company's rows only. (The
repository suites run behind the same wall: see World in conftest.py.)"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from helpers import migrate, new_lead, passed_on_lead, pg_admin_engine, run_cli
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from leadtui.db.engine import make_engine
from leadtui.db.row_security import USER_ROLE
from leadtui.domain import AccessDenied, ListQuery
from leadtui.repository import Repository

pytestmark = pytest.mark.usefixtures("isolated_data_dir")
team = pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)  # world on PostgreSQL


def rows(world, who: str, sql: str, **params) -> list:
    with world.behind_the_wall(who) as conn:
        return conn.execute(text(sql), params).all()


def refused(world, who: str, sql: str, **params) -> bool:
    """Whether PostgreSQL refuses the write acting for `who`, or lets it touch no row."""
    try:
        with world.behind_the_wall(who) as conn:
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


@pytest.fixture
def role(world) -> Iterator[str]:
    """A login role of this test (cluster-wide, so a unique name), dropped afterwards."""
    name = f"lt_{uuid.uuid4().hex[:10]}"
    yield name
    admin = pg_admin_engine()
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"), {"r": name})
        conn.execute(text(f'DROP OWNED BY "{name}"'))  # its grants in this database
        conn.execute(text(f'DROP ROLE IF EXISTS "{name}"'))
    admin.dispose()


@team
def test_acting_for_a_colleague_reads_only_their_companys_rows(world, shared):
    nordlicht = world.repo("tim").company_id
    assert {r.company_id for r in rows(world, "tim", "SELECT company_id FROM company_leads")} == {nordlicht}
    assert {r.company_id for r in rows(world, "tim", "SELECT company_id FROM assignment_history")} == {nordlicht}
    assert {r.company_id for r in rows(world, "tim", "SELECT company_id FROM company_lead_counts")} == {nordlicht}
    settings = rows(world, "tim", "SELECT colleague_id FROM colleague_settings")
    assert {r.colleague_id for r in settings} == {world.ids["tim"]}
    assert {r.name for r in rows(world, "tim", "SELECT name FROM colleagues")} == {"Tim Krüger", "Julia Neumann"}
    assert [r.title for r in rows(world, "tim", "SELECT title FROM leads")] == ["Gewerbedach 40 kWp"]
    assert "Rheinwerk" not in {r.name for r in rows(world, "tim", "SELECT name FROM companies")}
    # The principal's private assignee of the shared lead is nowhere to be read.
    assert rows(world, "tim", "SELECT 1 FROM company_leads WHERE colleague_id = :j", j=world.ids["jonas"]) == []
    assert rows(world, "tim", "SELECT 1 FROM colleagues WHERE id = :j", j=world.ids["jonas"]) == []
    # Nor the server's own tables: sign-in data is never a colleague's to read.
    for table in ("passwords", "access_tokens"):
        assert refused(world, "tim", f"SELECT count(*) FROM {table}")


@team
def test_without_an_acting_colleague_the_wall_shows_nothing(world, shared):
    """A transaction that took the role but names nobody (a missing scope) fails closed."""
    with world.engine.begin() as conn:
        conn.execute(text("SELECT set_config('role', :r, true)"), {"r": USER_ROLE})
        assert conn.execute(text("SELECT count(*) FROM leads")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM company_leads")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM colleagues")).scalar() == 0
        assert conn.execute(text("UPDATE company_leads SET colleague_id = NULL")).rowcount == 0


@team
def test_the_acting_colleague_ends_with_the_transaction(world, shared):
    """A pooled connection handed to the next request keeps nothing of the last one's colleague."""
    with world.engine.connect() as conn:
        with conn.begin():
            conn.execute(
                text("SELECT set_config('role', :r, true), set_config('leadtui.colleague', :c, true)"),
                {"r": USER_ROLE, "c": str(world.ids["tim"])},
            )
            assert conn.execute(text("SELECT current_user")).scalar() == USER_ROLE
        with conn.begin():
            assert conn.execute(text("SELECT current_user")).scalar() != USER_ROLE
            assert conn.execute(text("SELECT leadtui_me()")).scalar() is None


@team
def test_search_behind_the_wall_finds_only_the_own_leads(world, shared):
    """The search function bypasses row-level security to use its index: called with raw SQL
    it still answers with the acting company's leads only, and the app's search finds them."""
    own = new_lead(world.repo("anna"), "Wärmepumpe nur Sonnenstrom").id
    found = {r[0] for r in rows(world, "tim", "SELECT leadtui_search(ARRAY['%wärmepumpe%', '%sonnenstrom%'])")}
    assert own not in found
    assert {r[0] for r in rows(world, "tim", "SELECT leadtui_search(ARRAY['%gewerbedach%'])")} == {shared}
    assert rows(world, "paul", "SELECT leadtui_search(ARRAY['%gewerbedach%'])") == []
    assert rows(world, "paul", "SELECT leadtui_search(ARRAY['%rheinwerk%'])") != []
    assert [r.id for r in world.repo("anna").rows(ListQuery(search="wärmepumpe sonnenstrom"), 0, 10)] == [own]
    assert [r.id for r in world.repo("tim").rows(ListQuery(search="gewerbedach"), 0, 10)] == [shared]
    assert world.repo("paul").count(ListQuery(search="gewerbedach")) == 0


@team
def test_acting_for_a_colleague_cannot_write_another_companys_rows(world, shared):
    sonnenstrom = world.repo("anna").company_id
    assert refused(world, "tim", "UPDATE company_leads SET colleague_id = NULL WHERE company_id = :c", c=sonnenstrom)
    assert refused(world, "tim", "UPDATE company_lead_counts SET n = 0 WHERE company_id = :c", c=sonnenstrom)
    assert refused(
        world, "tim", "UPDATE colleague_settings SET value = 'x' WHERE colleague_id = :a", a=world.ids["anna"]
    )
    assert refused(
        world,
        "tim",
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
        world,
        "tim",
        "INSERT INTO company_leads (company_id, lead_id, version, via, sort_created, sort_title, sort_prospect,"
        " sort_city, sort_status, sort_value, sort_assignee) VALUES (:c, :l, 1, 'accepted', now(), '', '', '',"
        " 'neu', -1, '')",
        c=nordlicht,
        l=new.id,
    )
    # Another company's inbox: neither through the table nor through a function of ours.
    assert refused(
        world,
        "tim",
        "INSERT INTO notifications (colleague_id, company_id, kind, count, body, at)"
        " VALUES (:a, :c, 'note', 1, 'gefälscht', now())",
        a=world.ids["anna"],
        c=sonnenstrom,
    )
    assert refused(world, "tim", "SELECT leadtui_touch(ARRAY[:c])", c=sonnenstrom) is False  # counters only
    assert (
        rows(world, "tim", "SELECT proname FROM pg_proc WHERE proname IN ('leadtui_deliver', 'leadtui_lead_edited')")
        == []
    )


@team
def test_history_cannot_be_forged_in_a_colleagues_name(world, shared):
    nordlicht = world.repo("tim").company_id
    assert refused(
        world,
        "tim",
        "INSERT INTO assignment_history (company_id, lead_id, from_id, to_id, by_id, at, reason)"
        " VALUES (:c, :l, NULL, :t, :j, now(), 'manual')",
        c=nordlicht,
        l=shared,
        t=world.ids["tim"],
        j=world.ids["julia"],
    )


@team
def test_a_member_cannot_deactivate_reactivate_or_promote(world):
    # Jonas is a member of Sonnenstrom; Anna is its admin.
    assert refused(world, "jonas", "UPDATE colleagues SET active = false WHERE id = :m", m=world.ids["markus"])
    assert refused(world, "jonas", "UPDATE colleagues SET role = 'admin' WHERE id = :j", j=world.ids["jonas"])
    assert refused(
        world,
        "jonas",
        "INSERT INTO invitations (company_id, colleague_id, code_hash, created_at, expires_at)"
        " VALUES (:c, :m, 'x', now(), now())",
        c=world.repo("jonas").company_id,
        m=world.ids["markus"],
    )
    with pytest.raises(AccessDenied, match="Nur Administratoren"):
        world.repo("jonas").deactivate(world.ids["markus"])
    world.repo("anna").deactivate(world.ids["markus"])  # the admin may
    assert not refused(world, "anna", "UPDATE colleagues SET active = true WHERE id = :m", m=world.ids["markus"])
    assert refused(world, "anna", "UPDATE colleagues SET active = false WHERE id = :t", t=world.ids["tim"])


@team
def test_a_deactivated_colleague_fails_with_our_own_sqlstate(world):
    """The app knows a deactivated colleague by SQLSTATE LTD01 (migration 0012), not by the
    words of the message: a rewording cannot make it miss one. A transaction already acting
    for them when it happens is refused at its next statement."""
    from leadtui.db.errors import storage_error
    from leadtui.domain import Deactivated

    with world.behind_the_wall("jonas") as conn:
        conn.execute(text("SELECT count(*) FROM leads"))
        world.repo("anna").deactivate(world.ids["jonas"])
    with pytest.raises(DBAPIError) as raised, world.behind_the_wall("jonas") as conn:
        conn.execute(text("SELECT leadtui_me()"))  # what every policy asks
    assert raised.value.orig.sqlstate == "LTD01"
    assert isinstance(storage_error(raised.value), Deactivated)
    with pytest.raises(AccessDenied, match="deaktiviert"):
        world.repo("jonas")


@team
def test_the_operators_login_acts_for_colleagues_behind_the_wall(world, shared, role):
    """As the README sets a platform up: a login that is a member of leadtui_owner, not a
    superuser. Its repository transactions see the acting company only; the same login without
    an acting colleague is the operator, who sees everything (the admin commands)."""
    with world.engine.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN IN ROLE leadtui_owner'))
        conn.commit()
    engine = make_engine(world.engine.url.set(username=role).render_as_string(hide_password=False))
    try:
        tim = Repository(engine, world.ids["tim"])
        assert tim.lead(shared).assignment.assignee.name == "Julia Neumann"
        tim.assign(shared, world.ids["tim"], tim.assignment(shared).version)
        assert world.repo("anna").assignment(shared).assignee.name == "Jonas Weber"  # private to each side
        assert [r.title for r in tim.rows(ListQuery(), 0, 10)] == ["Gewerbedach 40 kWp"]
        with engine.connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar() == role
            assert conn.execute(text("SELECT count(DISTINCT company_id) FROM company_leads")).scalar() == 3
    finally:
        engine.dispose()


@team
def test_a_login_that_is_not_leadtuis_gets_a_german_pointer_to_the_server(world, role, capsys, monkeypatch):
    monkeypatch.setattr("leadtui.ui.app.LeadtuiApp.run", lambda self: pytest.fail("the app opened"))
    with world.engine.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        conn.commit()
    url = world.engine.url.set(username=role).render_as_string(hide_password=False)
    code, _, err = run_cli(capsys, "--db", url, "--user", "tim@example.org")
    assert code == 2 and "Kollegen arbeiten über den Server" in err and err.count("\n") == 1


@team
def test_the_operator_opens_the_app_directly_only_as_a_named_colleague(world, capsys, monkeypatch):
    started: list[str] = []
    monkeypatch.setattr("leadtui.ui.app.LeadtuiApp.run", lambda self: started.append(self.repository.me.name))
    admin_url = world.engine.url.render_as_string(hide_password=False)
    code, _, err = run_cli(capsys, "--db", admin_url)
    assert code == 2 and "--user" in err and "--server" in err and err.count("\n") == 1
    assert run_cli(capsys, "--db", admin_url, "--user", "tim@example.org")[0] == 0
    assert started == ["Tim Krüger"]


def test_an_outdated_schema_is_said_in_one_line_and_never_migrated_silently(pg_url, capsys):
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        migrate(conn, "0003")
    engine.dispose()
    code, _, err = run_cli(capsys, "company", "list", "--db", pg_url)
    assert code == 2 and "nicht aktuell" in err and "leadtui db upgrade" in err and err.count("\n") == 1
    assert run_cli(capsys, "db", "upgrade", "--db", pg_url)[0] == 0
    assert run_cli(capsys, "company", "list", "--db", pg_url)[0] == 0


def test_upgrading_retires_the_colleagues_own_logins(pg_url, role, capsys):
    """A team database of before the server: the colleague's login may no longer log in, nor
    act as anyone, once `leadtui db upgrade` has run; their data stays."""
    from leadtui.admin import Admin

    engine = make_engine(pg_url)
    with engine.begin() as conn:
        migrate(conn, "0013")
        conn.execute(text("INSERT INTO companies (name) VALUES ('Sonnenstrom')"))
        conn.execute(
            text(
                "INSERT INTO colleagues (company_id, name, email, active, role)"
                " SELECT id, 'Anna Becker', 'anna@example.org', true, 'admin' FROM companies"
            )
        )
        conn.execute(text("SELECT leadtui_grant_login('anna@example.org', :r)"), {"r": role})
    engine.dispose()
    assert run_cli(capsys, "db", "upgrade", "--db", pg_url)[0] == 0
    engine = make_engine(pg_url)
    try:
        with engine.connect() as conn:
            retired = conn.execute(
                text("SELECT rolcanlogin, pg_has_role(rolname, :u, 'MEMBER') AS acts FROM pg_roles WHERE rolname = :r"),
                {"r": role, "u": USER_ROLE},
            ).one()
        assert (retired.rolcanlogin, retired.acts) == (False, False)
        assert [c.name for c, _ in Admin(engine).colleagues()] == ["Anna Becker"]
    finally:
        engine.dispose()


@team
def test_a_channel_name_is_an_identifier_never_sql(world):
    """A company's channel holding `";` and a statement: the app that opens listens on a strange
    channel and runs nothing of it - and still hears its company's changes."""

    anna = world.repo("anna")
    hostile = 'x"; SET statement_timeout = 4321; --'
    with pytest.raises(DBAPIError), world.engine.begin() as conn:  # the database refuses such a name
        conn.execute(
            text("UPDATE company_changes SET channel = :c WHERE company_id = :id"),
            {"c": hostile, "id": anna.company_id},
        )
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
def test_only_what_an_own_import_created_can_be_deleted(world, shared):
    """leadtui_user may delete leads, their views, history and journal entries - but only those
    an import of the acting company created (what an undo removes), never a lead typed in, a
    shared one, or another company's import."""
    from leadtui.domain.imports import ImportFile, ImportOptions

    anna, tim = world.repo("anna"), world.repo("tim")
    typed = new_lead(anna, "Von Hand")
    batch = anna.import_leads(ImportFile("a.csv", ("title",), (("Importiert",),), (2,)), ImportOptions(), dry_run=False)
    imported = anna.rows(ListQuery(search="importiert"), 0, 1)[0].id
    tim.import_leads(ImportFile("t.csv", ("title",), (("Nordlicht",),), (2,)), ImportOptions(), dry_run=False)
    for lead_id in (typed.id, shared):
        assert refused(world, "anna", "DELETE FROM journal_entries WHERE lead_id = :id", id=lead_id)
        assert refused(world, "anna", "DELETE FROM assignment_history WHERE lead_id = :id", id=lead_id)
        assert refused(world, "anna", "DELETE FROM company_leads WHERE lead_id = :id", id=lead_id)
    for sql in (
        "DELETE FROM company_leads WHERE lead_id = :id",
        "DELETE FROM assignment_history WHERE lead_id = :id",
        "DELETE FROM leads WHERE id = :id",
    ):
        assert refused(world, "tim", sql, id=imported)
    assert anna.undo_import(batch.batch_id).removed == 1
    assert [r.title for r in tim.rows(ListQuery(), 0, 10) if r.title == "Nordlicht"] == ["Nordlicht"]
