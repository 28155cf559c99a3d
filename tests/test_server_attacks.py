"""Every operation that names another company's object, as every kind of outsider: refused with
exactly the answer for an object that does not exist (rules 2, 3 and 10), and nothing changed.
And every operation without a valid session: refused before anything is read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import World
from helpers import new_lead
from serving import Running, close_signed_in, raw_client, token_for
from sqlalchemy import text

from leadtui.db.engine import open_database
from leadtui.domain import NewLead
from leadtui.domain.interface import OPERATIONS, READS
from leadtui.remote.server import Server

MISSING = 987_654_321
NEW_LEAD = {"title": "Übernommen"}


def attempts(lead: int, share: int, entry: int, colleague: int, theirs: int) -> list[tuple[str, dict]]:
    """Each operation that takes an id, aimed at `lead`/`share`/`entry`/`colleague` (or at
    MISSING); `theirs` is a colleague of the attacker's own company."""
    return [
        ("lead", {"lead_id": lead}),
        ("assignment", {"lead_id": lead}),
        ("assign", {"lead_id": lead, "colleague_id": theirs, "expected_version": 1}),
        ("add_note", {"lead_id": lead, "text": "gelesen?"}),
        ("add_task", {"lead_id": lead, "title": "anrufen", "due": None}),
        ("edit_lead", {"lead_id": lead, "edited": NEW_LEAD, "expected_version": 1, "seen": NEW_LEAD}),
        ("offer", {"lead_id": lead, "partner_company_id": 2}),
        ("accept_offer", {"share_id": share}),
        ("decline_offer", {"share_id": share}),
        ("reopen_offer", {"share_id": share}),
        ("complete_task", {"entry_id": entry, "done": True}),
        ("deactivate", {"colleague_id": colleague}),
        ("activate", {"colleague_id": colleague}),
        ("orphaned_count", {"colleague_id": colleague}),
        ("hand_over", {"from_colleague_id": colleague, "to_colleague_id": theirs}),
    ]


@pytest.fixture
def target(templates, db_kind, tmp_path):
    """Sonnenstrom's private lead with a task, an offer to Nordlicht of another lead, and the
    server; the attackers are Rheinwerk (unrelated) and Nordlicht (a partner, for what was
    not offered to it)."""
    engine = open_database(templates.current(db_kind, tmp_path), create=True, migrate=True)
    world = World(engine)
    anna = world.repo("anna")
    private = new_lead(anna, "Nur Sonnenstrom")
    entry = anna.add_task(private.id, "Angebot schicken", None).id
    offered = anna.create_lead(NewLead(title="An Nordlicht"))
    share = anna.offer(offered.id, world.repo("tim").company_id).share_id
    with Running(engine, clock=world.clock) as running:
        yield world, running, {"lead": private.id, "share": share, "entry": entry, "colleague": world.ids["jonas"]}
    close_signed_in()
    engine.dispose()


COUNTS = text(
    "SELECT (SELECT count(*) FROM leads), (SELECT count(*) FROM company_leads),"
    " (SELECT count(*) FROM assignment_history), (SELECT count(*) FROM journal_entries),"
    " (SELECT count(*) FROM lead_shares), (SELECT count(*) FROM notifications),"
    " (SELECT max(version) FROM company_leads), (SELECT max(version) FROM leads)"
)


def fingerprint(engine) -> tuple:
    """What an attempt would have changed: row counts, versions, who is active."""
    with engine.connect() as conn:
        counts = tuple(conn.execute(COUNTS).one())
        return counts + tuple(conn.execute(text("SELECT id, active FROM colleagues ORDER BY id")).all())


@pytest.mark.parametrize("attacker", ["paul", "julia"])
def test_another_companys_objects_answer_as_if_they_did_not_exist(target, attacker):
    world, running, ids = target
    own_colleague = world.ids["paul" if attacker == "paul" else "tim"]
    token = token_for(world, Server.at(running.url), attacker)
    before = fingerprint(world.engine)
    with raw_client(running.url, token) as client:
        aimed = attempts(ids["lead"], ids["share"], ids["entry"], ids["colleague"], own_colleague)
        missing = attempts(MISSING, MISSING, MISSING, MISSING, own_colleague)
        for (name, body), (_, nothing) in zip(aimed, missing, strict=True):
            if attacker == "julia" and name in ("accept_offer", "decline_offer", "reopen_offer"):
                continue  # the offer is Nordlicht's own: Julia may decide it (rule 6)
            real = client.post(f"/{name.replace('_', '-')}", json=body)
            fake = client.post(f"/{name.replace('_', '-')}", json=nothing)
            assert (real.status_code, real.json()) == (fake.status_code, fake.json()), name
            if name not in READS:  # a read may answer "nothing" (a count of 0), as for a missing id
                assert real.status_code in (403, 404, 422), (name, real.text)
    assert fingerprint(world.engine) == before


def test_without_a_valid_session_every_operation_is_refused_alike(target):
    world, running, _ = target
    server = Server.at(running.url)
    expired = token_for(world, server, "markus")
    world.clock.now += timedelta(days=31)
    deactivated = token_for(world, server, "jonas")
    world.repo("anna").deactivate(world.ids["jonas"])
    before = fingerprint(world.engine)
    for token, kind in (
        (None, "SignedOut"),
        ("gefaelscht-" + "x" * 32, "SignedOut"),
        (expired, "SignedOut"),
        (deactivated, "Deactivated"),
    ):
        with raw_client(running.url, token) as client:
            for name in OPERATIONS:
                answer = client.post(f"/{name.replace('_', '-')}", json={})
                assert answer.status_code in (401, 403), (name, answer.text)
                assert answer.json()["kind"] == kind, name
    assert fingerprint(world.engine) == before


def test_a_member_is_refused_what_only_admins_may_do(target):
    """Jonas, a member of the owner company: deactivating, activating and inviting colleagues
    of his own company are for its admins, and refused to him through the server with the
    German reason; nothing changed - no colleague, no invitation."""
    world, running, _ = target
    token = token_for(world, Server.at(running.url), "jonas")
    world.repo("anna").deactivate(world.ids["markus"])
    before = fingerprint(world.engine)
    with world.engine.connect() as conn:
        invitations = conn.execute(text("SELECT count(*) FROM invitations")).scalar()
    with raw_client(running.url, token) as client:
        for name, body in (
            ("deactivate", {"colleague_id": world.ids["anna"]}),
            ("activate", {"colleague_id": world.ids["markus"]}),
            ("invite", {"name": "Olaf Neu", "email": "olaf@example.org", "admin": True}),
        ):
            answer = client.post(f"/{name}", json=body)
            assert answer.status_code == 403, (name, answer.text)
            assert answer.json()["kind"] == "AccessDenied" and "Nur Administratoren" in answer.json()["message"]
    assert fingerprint(world.engine) == before
    with world.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM invitations")).scalar() == invitations
