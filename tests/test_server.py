"""The server as a colleague meets it: signing in, the repository's operations through it with
the same values and errors as locally, sessions that end, and what it refuses (rules 1-3, 17).

Every test talks HTTP (and WebSocket) to a real uvicorn on a free port, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import World
from helpers import new_lead, passed_on_lead
from serving import PASSWORD, Running, close_signed_in, raw_client, signed_in, token_for

from leadtui.db.engine import open_database
from leadtui.domain import (
    AccessDenied,
    Conflict,
    Deactivated,
    InvalidInput,
    ListKind,
    ListQuery,
    NewLead,
    NotAssignable,
    NotFound,
    SignedOut,
    TooManyAttempts,
    WrongCredentials,
)
from leadtui.domain.interface import OPERATIONS
from leadtui.remote.repository import connect
from leadtui.remote.server import Server
from leadtui.remote.sign_in import redeem, sign_in


@pytest.fixture
def world(templates, db_kind, tmp_path):
    """The test world as the server sees it: the server connects as the database's owner."""
    engine = open_database(templates.current(db_kind, tmp_path), create=True, migrate=True)
    made = World(engine)
    yield made
    close_signed_in()
    engine.dispose()


@pytest.fixture
def served(world):
    with Running(world.engine, clock=world.clock) as running:
        yield running


def test_an_invited_colleague_signs_in_and_works_as_locally(world, served):
    """Rule 1 through the server: the remote repository answers what the local one does."""
    jonas = signed_in(world, served.url, "jonas")
    local = world.repo("jonas")
    assert jonas.me == local.me and jonas.company == local.company
    lead = jonas.create_lead(NewLead(title="Dach über HTTPS", city="Köln", value=12_000))
    assert lead.assignment is not None and lead.assignment.assignee.id == jonas.me.id  # rule 5
    anna_id = world.ids["anna"]
    moved = jonas.assign(lead.id, anna_id, lead.assignment.version)
    assert moved.assignee.id == anna_id
    for query in (ListQuery(), ListQuery(kind=ListKind.UNASSIGNED), ListQuery(search="köln")):
        assert jonas.first_window(query, 50) == local.first_window(query, 50)
    assert jonas.lead(lead.id) == local.lead(lead.id)
    assert jonas.workload() == local.workload()
    assert jonas.colleagues() == local.colleagues()
    assert jonas.notification_preferences() == local.notification_preferences()


def test_errors_arrive_as_the_domains_errors(world, served):
    jonas = signed_in(world, served.url, "jonas")
    lead = jonas.create_lead(NewLead(title="Konflikt"))
    jonas.assign(lead.id, None, lead.assignment.version)
    with pytest.raises(Conflict) as conflict:
        jonas.assign(lead.id, world.ids["anna"], lead.assignment.version)
    assert conflict.value.current.assignee is None
    with pytest.raises(InvalidInput) as invalid:
        jonas.create_lead(NewLead(title="", email="kaputt"))
    assert set(invalid.value.errors) == {"title", "email"}
    with pytest.raises(NotFound):
        jonas.lead(10**9)


def test_what_is_not_yours_and_what_does_not_exist_get_the_same_answer(world, served):
    """Rules 2 and 3: a colleague of an unrelated company, and a partner for the principal's
    private parts, learn nothing - not even that a lead exists."""
    anna = world.repo("anna")
    private = new_lead(anna, "Nur Sonnenstrom")
    shared = passed_on_lead(world)
    paul = signed_in(world, served.url, "paul")
    answers = []
    for lead_id in (private.id, 10**9):
        with pytest.raises(NotFound) as refused:
            paul.lead(lead_id)
        answers.append(str(refused.value))
        with pytest.raises(NotFound) as refused:
            paul.assign(lead_id, paul.me.id, 1)
        answers.append(str(refused.value))
        with pytest.raises(NotFound) as refused:
            paul.add_note(lead_id, "hallo")
        answers.append(str(refused.value))
    assert answers[:3] == answers[3:]
    tim = signed_in(world, served.url, "tim")
    seen = tim.lead(shared)
    assert {h.by_name for h in seen.history} <= {c.name for c in tim.colleagues(include_inactive=True)}  # rule 10
    with pytest.raises(NotAssignable):
        tim.assign(shared, world.ids["anna"], 1)  # a colleague across company lines (rule 2)


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)  # the server alone decides
def test_a_sign_in_never_says_whether_an_email_exists(world, served):
    server = Server.at(served.url)
    token_for(world, server, "jonas")
    answers = {}
    for email, password in (("jonas@example.org", "falsch-falsch"), ("niemand@example.org", PASSWORD)):
        with pytest.raises(WrongCredentials) as refused:
            sign_in(server, email, password)
        answers[email] = str(refused.value)
    assert len(set(answers.values())) == 1
    assert sign_in(server, "Jonas@Example.org ", PASSWORD).colleague.id == world.ids["jonas"]
    with pytest.raises(WrongCredentials):
        sign_in(server, "markus@example.org", PASSWORD)  # invited never: no password yet


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)  # the server alone decides
def test_failed_sign_ins_are_limited_per_account_and_the_right_password_waits_too(world, served):
    server = Server.at(served.url)
    token_for(world, server, "jonas")
    token_for(world, server, "markus")
    for _ in range(10):
        with pytest.raises(WrongCredentials):
            sign_in(server, "jonas@example.org", "geraten-geraten")
    with pytest.raises(TooManyAttempts):
        sign_in(server, "jonas@example.org", PASSWORD)
    assert sign_in(server, "markus@example.org", PASSWORD).colleague.id == world.ids["markus"]
    with raw_client(served.url) as client:
        answer = client.post("/sign-in", json={"email": "jonas@example.org", "password": PASSWORD})
    assert answer.status_code == 429 and "Traceback" not in answer.text


def test_a_session_ends_at_sign_out_at_expiry_and_at_once_on_deactivation(world, served):
    server = Server.at(served.url)
    jonas = signed_in(world, served.url, "jonas")
    jonas.sign_out()
    with pytest.raises(SignedOut):
        jonas.counts()
    with pytest.raises(SignedOut):
        connect(server, "erfunden-" + "x" * 40)
    markus = signed_in(world, served.url, "markus")
    world.clock.now += timedelta(days=31)
    with pytest.raises(SignedOut):
        markus.counts()
    julia = signed_in(world, served.url, "julia")
    tim = signed_in(world, served.url, "tim")
    tim.deactivate(julia.me.id)
    with pytest.raises(Deactivated):
        julia.counts()
    with pytest.raises(Deactivated):
        sign_in(server, "julia@example.org", PASSWORD)
    tim.activate(julia.me.id)
    assert julia.counts()[ListKind.ALL] == 0


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)  # the server alone decides
def test_an_invitation_works_once_and_only_an_admin_gives_one(world, served):
    server = Server.at(served.url)
    anna = signed_in(world, served.url, "anna")
    invitation = anna.invite("Lena Roth", "lena@example.org")
    assert invitation.colleague.name == "Lena Roth" and not invitation.colleague.is_admin
    lena = redeem(server, invitation.code, "lena-passwort")
    assert lena.company.name == "Sonnenstrom"
    with pytest.raises(WrongCredentials):
        redeem(server, invitation.code, "noch-ein-passwort")
    with pytest.raises(InvalidInput):
        redeem(server, anna.invite("Lena Roth", "lena@example.org").code, "kurz")
    jonas = signed_in(world, served.url, "jonas")
    with pytest.raises(AccessDenied):
        jonas.invite("Eva Klein", "eva@example.org")
    with pytest.raises(InvalidInput) as taken:
        anna.invite("Tim", "tim@example.org")  # a colleague of another company: not ours to invite
    assert "tim@example.org" in str(taken.value)
    assert "Nordlicht" not in str(taken.value)


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)  # the server alone decides
def test_requests_that_do_not_fit_are_refused_in_german_without_a_traceback(world, served):
    token = token_for(world, Server.at(served.url), "jonas")
    with raw_client(served.url, token) as client:
        answers = [
            client.post("/assign", json={"lead_id": "eins", "colleague_id": None, "expected_version": 1}),
            client.post("/assign", json={"lead_id": 1, "colleague_id": None, "expected_version": 1, "reason": "bulk"}),
            client.post("/counts", content=b"[" * 10_000 + b"]" * 10_000, headers={"content-type": "application/json"}),
            client.post(
                "/lead", content=b"{" + b" " * (2 * 1024 * 1024) + b"}", headers={"content-type": "application/json"}
            ),
            client.post("/gibt-es-nicht", json={}),
            client.get("/counts"),
        ]
    with raw_client(served.url) as anonymous:
        answers.append(anonymous.post("/counts", json={}))
        answers.append(anonymous.post("/counts", json={}, headers={"Authorization": "Bearer gefaelscht"}))
    statuses = [answer.status_code for answer in answers]
    assert statuses == [422, 422, 200, 413, 404, 405, 401, 401]
    for answer in answers:
        assert "Traceback" not in answer.text and 'File "' not in answer.text
        if answer.status_code >= 400:
            assert answer.json()["message"]


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)  # the server alone decides
def test_the_openapi_description_names_every_operation(world, served):
    with raw_client(served.url) as client:
        spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {f"/api/v1/{name.replace('_', '-')}" for name in OPERATIONS} <= paths
    assert {"/api/v1/sign-in", "/api/v1/sign-in/invitation", "/api/v1/sign-out", "/api/v1/whoami"} <= paths
