"""The whole API fuzzed from its own OpenAPI description (schemathesis): whatever a signed-in
colleague sends, the server answers - no 500, no traceback, and no answer names a colleague of
another company (rules 2, 3 and 10)."""

from __future__ import annotations

import pytest
import schemathesis
from conftest import World
from helpers import new_lead, passed_on_lead
from hypothesis import HealthCheck, settings
from serving import Running, close_signed_in, token_for

from leadtui.db.engine import open_database
from leadtui.remote.server import Server

OTHER_COMPANIES_PEOPLE = ("Tim Krüger", "Julia Neumann", "Paul Richter", "tim@example.org", "paul@example.org")


@pytest.fixture
def fuzzed(templates, tmp_path):
    engine = open_database(templates.current("sqlite", tmp_path), create=True, migrate=True)
    world = World(engine)
    anna = world.repo("anna")
    for n in range(3):
        new_lead(anna, f"Lead {n}")
    passed_on_lead(world)
    with Running(engine, clock=world.clock) as running:
        token = token_for(world, Server.at(running.url), "jonas")
        yield running, token
    close_signed_in()
    engine.dispose()


@pytest.fixture
def api(fuzzed):
    running, _ = fuzzed
    return schemathesis.openapi.from_url(f"{running.url}/api/v1/openapi.json")


schema = schemathesis.pytest.from_fixture("api")


# Examples per operation: 2 in CI (about 120 requests), ten times as many with the long profile
# (HYPOTHESIS_PROFILE=long).
EXAMPLES = int(2 * settings.default.max_examples / 100)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_breaks_the_server_or_leaks_another_company(case, fuzzed):
    running, token = fuzzed
    # Signing out would end the session every later operation is fuzzed with: it is fuzzed unsigned.
    signed = {} if case.path.endswith("/sign-out") else {"Authorization": f"Bearer {token}"}
    response = case.call(base_url=running.url, headers=signed)
    assert response.status_code < 500, response.text
    assert "Traceback" not in response.text
    for name in OTHER_COMPANIES_PEOPLE:
        assert name not in response.text


def test_the_fuzzing_works_signed_in(fuzzed):
    """The fuzzed session stays valid to the end (else the operations were fuzzed as nobody)."""
    import httpx

    running, token = fuzzed
    answer = httpx.post(f"{running.url}/api/v1/counts", json={}, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
