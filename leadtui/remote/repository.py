"""The repository over HTTPS: the same operations, domain values and errors as the local one.

Each operation is one request to `POST /api/v1/<operation>` of a `leadtui serve`; the calls are
made from `leadtui.domain.interface.Operations` (the one list the server's routes are made from
too), their arguments and answers converted by pydantic from and to the domain's dataclasses.
The app's feed is the server's event socket (`feed.py`).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any, get_type_hints

import httpx
from pydantic import TypeAdapter

from leadtui.domain import Colleague, Company, StorageError, interface
from leadtui.domain.interface import Feed
from leadtui.remote import errors
from leadtui.remote.server import ANSWER_S, CONNECT_S, Server

# The calls that may take long: an import checks and writes up to 200,000 rows in one
# transaction (100,000 took 20 s on PostgreSQL at a million leads), an undo removes them.
LONG_CALLS = {"import_leads": 300.0, "undo_import": 120.0}

if TYPE_CHECKING:
    Base = interface.Operations
else:
    Base = object


@cache
def _adapter(hint: Any) -> TypeAdapter[Any]:
    return TypeAdapter(hint)


class Call:
    """One operation's call: its signature (to bind arguments as the local method would), the
    types to convert its arguments and its answer with."""

    def __init__(self, name: str):
        method = getattr(interface.Operations, name)
        self.name = name
        self.path = f"/{name.replace('_', '-')}"
        self.signature = inspect.signature(method)
        hints = get_type_hints(method)
        self.arguments = {p: _adapter(hints[p]) for p in list(self.signature.parameters)[1:]}
        self.answer = _adapter(hints["return"])
        self.reads = name in interface.READS
        self.waits_s = LONG_CALLS.get(name, ANSWER_S)

    def body(self, owner: object, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
        bound = self.signature.bind(owner, *args, **kwargs)
        bound.apply_defaults()
        return {
            name: self.arguments[name].dump_python(value, mode="json")
            for name, value in bound.arguments.items()
            if name in self.arguments
        }


class RemoteRepository(Base):
    """Lead data as one signed-in colleague sees and changes it, through a server."""

    me: Colleague
    company: Company

    def __init__(self, server: Server, token: str, http: httpx.Client | None = None):
        """Signed in with `token` (SignedOut when it is no longer valid); `http` is the tests'."""
        self.server = server
        self._token = token
        self._http = http or server.client(token)
        try:
            whoami = self._request("/whoami", {}).json()
        except BaseException:
            if http is None:
                self._http.close()
            raise
        self.me = _adapter(Colleague).validate_python(whoami["colleague"])
        self.company = _adapter(Company).validate_python(whoami["company"])
        self._server_now = datetime.fromisoformat(whoami["now"])
        self._asked_at = time.monotonic()

    def today(self) -> date:
        """The server's day (its clock decides what is due), followed on from when it was asked."""
        return self.now().date()

    def now(self) -> datetime:
        """The server's moment, followed on from when it was asked: countdowns never read the
        clock of this machine, which may be minutes off."""
        return self._server_now + timedelta(seconds=time.monotonic() - self._asked_at)

    def run_due_work(self) -> None:
        """Nothing to do here: the server carries out what is due, for every company."""

    def feed(self) -> Feed:
        from leadtui.remote.feed import RemoteFeed

        return RemoteFeed(self.server, self._token)

    def sign_out(self) -> None:
        self._request("/sign-out", {})

    def close(self) -> None:
        self._http.close()

    def _request(
        self, path: str, body: dict[str, Any], again: bool = False, waits_s: float = ANSWER_S
    ) -> httpx.Response:
        """One request; `again`: once more on a new connection when the first one broke before
        an answer (only for reads - a write is never sent twice); `waits_s` for its answer."""
        try:
            response = self._http.post(path, json=body, timeout=httpx.Timeout(waits_s, connect=CONNECT_S))
        except (httpx.RemoteProtocolError, httpx.ConnectError, httpx.ReadError) as error:
            if not again:
                raise errors.from_transport(error, self.server.url) from None
            return self._request(path, body, waits_s=waits_s)
        except httpx.HTTPError as error:
            raise errors.from_transport(error, self.server.url) from None
        if response.status_code >= 400:
            raise errors.from_answer(response)
        return response

    def _operate(self, call: Call, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        response = self._request(call.path, call.body(self, args, kwargs), again=call.reads, waits_s=call.waits_s)
        try:
            return call.answer.validate_json(response.content or b"null")
        except ValueError:  # pydantic's ValidationError is one
            raise StorageError("Unerwartete Antwort des Servers.") from None


def _operation(call: Call) -> Callable[..., Any]:
    def operation(self: RemoteRepository, *args: Any, **kwargs: Any) -> Any:
        return self._operate(call, args, kwargs)

    operation.__name__ = operation.__qualname__ = call.name
    return operation


for _name in interface.OPERATIONS:
    setattr(RemoteRepository, _name, _operation(Call(_name)))


def connect(server: Server, token: str, http: httpx.Client | None = None) -> RemoteRepository:
    """The remote repository of the colleague `token` signs in at `server` (the protocol's
    methods are made above, which mypy cannot see: hence the one ignore)."""
    return RemoteRepository(server, token, http)  # type: ignore[abstract]
