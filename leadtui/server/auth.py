"""Who a request acts as: sign-in, sign-out, the bearer token of every request, rate limits.

Each request carries `Authorization: Bearer <token>`; the token names one colleague, and the
request is served by a `Repository` bound to that colleague - the same binding and scope guard
as the local app's. Repositories are kept per colleague for a while (their built statements
are worth keeping); the token and the colleague's activity are checked at every request, so a
deactivated colleague's next request is refused.

Failed sign-ins are limited per account and per address (the `limits` library; in memory for
one process, in Redis when several share the limits), and the answer never says whether an
e-mail exists.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any

from fastapi import Request
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import Engine

from leadtui.domain import SignedOut, TooManyAttempts
from leadtui.domain.ingest import KEY_PREFIX
from leadtui.repository import Repository
from leadtui.repository.accounts import Accounts, Credential
from leadtui.repository.session import Clock

KEEP_REPOSITORIES = 2048  # colleagues whose repository a process keeps
REPOSITORY_TTL_S = 300.0  # then it is built anew (a role changed by the operator shows)
ACCOUNT_LIMIT = "10/15minutes"  # failed sign-ins per account
ADDRESS_LIMIT = "50/15minutes"  # failed sign-ins per address


class SignInLimits:
    """Failed sign-ins counted per account and per client address, in a moving window."""

    def __init__(self, storage_uri: str = "memory://"):
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self._account = parse(ACCOUNT_LIMIT)
        self._address = parse(ADDRESS_LIMIT)

    def check(self, account: str, address: str) -> None:
        """TooManyAttempts while either has failed too often (the attempt is not even tried)."""
        if not (
            self._limiter.test(self._account, "account", account)
            and self._limiter.test(self._address, "address", address)
        ):
            raise TooManyAttempts

    def failed(self, account: str, address: str) -> None:
        self._limiter.hit(self._account, "account", account)
        self._limiter.hit(self._address, "address", address)


class Binding:
    """Binds requests to the colleague their token signs in."""

    def __init__(self, engine: Engine, accounts: Accounts, clock: Clock):
        self._engine = engine
        self._clock = clock
        self.accounts = accounts
        self._kept: OrderedDict[int, tuple[Repository, float]] = OrderedDict()
        self._lock = threading.Lock()

    def credential(self, token: str | None) -> Credential:
        if not token:
            raise SignedOut
        return self.accounts.credential(token)

    def repository(self, token: str | None) -> Repository:
        """The repository bound to the token's colleague (SignedOut, Deactivated otherwise)."""
        return self._bound(self.credential(token))

    def for_key(self, secret: str | None) -> Repository:
        """The repository an API key acts with: its admin's (SignedOut otherwise)."""
        if not secret or not secret.startswith(KEY_PREFIX):
            raise SignedOut
        return self._bound(self.accounts.api_key_credential(secret))

    def _bound(self, credential: Credential) -> Repository:
        now = time.monotonic()
        with self._lock:
            kept = self._kept.get(credential.colleague_id)
            if kept is not None and now - kept[1] < REPOSITORY_TTL_S:
                self._kept.move_to_end(credential.colleague_id)
                return kept[0]
        repository = Repository(self._engine, credential.colleague_id, self._clock)
        with self._lock:
            self._kept[credential.colleague_id] = (repository, now)
            while len(self._kept) > KEEP_REPOSITORIES:
                self._kept.popitem(last=False)
        return repository


def bearer(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def client_address(request: Any) -> str:
    """The client's address (behind a reverse proxy: as uvicorn's --proxy-headers found it)."""
    client = getattr(request, "client", None)
    return client.host if client is not None else "unbekannt"


def request_token(request: Request) -> str | None:
    return bearer(request.headers.get("authorization"))
