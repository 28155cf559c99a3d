"""The leadtui server: the one client of a team's database, serving signed-in colleagues.

`create_app` builds the ASGI app (FastAPI, served by uvicorn - `leadtui serve`): sign-in and
sign-out, every repository operation (`operations.py`), the live event socket (`events.py`),
and its OpenAPI description at /api/v1/openapi.json. Errors are German JSON (`errors.py`).
"""

# No `from __future__ import annotations`: FastAPI reads the endpoints' annotations at runtime.

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated

from argon2 import PasswordHasher
from fastapi import Body, Depends, FastAPI, Request, WebSocket
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leadtui import __version__
from leadtui.domain import Colleague, Company, LeadtuiError, SignedIn
from leadtui.repository import Repository
from leadtui.repository.accounts import PASSWORD_MAX, Accounts
from leadtui.repository.changes import CompanyWatch
from leadtui.repository.due import DueWork
from leadtui.repository.session import Clock, utcnow
from leadtui.server import errors
from leadtui.server.auth import Binding, SignInLimits, client_address, request_token
from leadtui.server.due_timer import DueTimer
from leadtui.server.events import Hub, Sockets, serve_events
from leadtui.server.inlet import inlet_router
from leadtui.server.operations import PREFIX, operations_router

MAX_BODY = 1024 * 1024  # bytes; the largest real request (a bulk assignment of 10,000 leads) is ~200 KB
# An import sends its file's mapped cells in one request (one batch is one transaction):
# 100,000 rows of a CRM export are ~25 MB.
LARGE_BODIES = {"/api/v1/import-leads": 64 * 1024 * 1024}


class SignInRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(max_length=320)
    password: str = Field(max_length=PASSWORD_MAX)


class RedeemRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(max_length=100)
    password: str = Field(max_length=PASSWORD_MAX)


class Whoami(BaseModel):
    colleague: Colleague
    company: Company
    now: datetime  # the server's clock: what "today" and "overdue" count from


class BodyLimit:
    """Refuses a request body over `limit` bytes - by its Content-Length at once, and counted
    as it streams in when it has none - before anything reads it whole."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = LARGE_BODIES.get(scope.get("path", ""), self.limit)
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413)
            return message

        await self.app(scope, counted, send)


async def _too_large(send: Send) -> None:
    body = b'{"kind":"HttpError","message":"Die Anfrage ist zu gro\\u00df."}'
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def create_app(
    engine: Engine,
    *,
    clock: Clock = utcnow,
    hasher: PasswordHasher | None = None,
    limits_storage: str = "memory://",
    live: bool = True,
    due_every_s: float | None = None,
) -> FastAPI:
    """The server for `engine`'s database. `clock` and `hasher` are the tests' to replace;
    `limits_storage` is where failed sign-ins are counted (redis://… for several processes);
    `due_every_s` how often the scheduled work runs (`leadtui serve`: every few seconds; None:
    not in this app, as in tests that run it themselves)."""
    accounts = Accounts(engine, clock, hasher)
    binding = Binding(engine, accounts, clock)
    limits = SignInLimits(limits_storage)
    hub = Hub(CompanyWatch(engine))
    sockets = Sockets()
    due = DueTimer(DueWork(engine, clock), due_every_s) if due_every_s else None

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if live:
            hub.start()
        if due is not None:
            due.start()
        try:
            yield
        finally:
            if due is not None:
                due.stop()
            if live:
                hub.stop()

    app = FastAPI(
        title="leadtui",
        version=__version__,
        description="Leads sichten und Kollegen zuweisen: die Operationen eines angemeldeten Kollegen.",
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.binding = binding
    app.add_middleware(BodyLimit)
    app.add_exception_handler(LeadtuiError, errors.domain_error)
    app.add_exception_handler(RequestValidationError, errors.invalid_request)
    app.add_exception_handler(RecursionError, errors.too_deep)
    app.add_exception_handler(errors.InvalidRequest, errors.impossible_request)
    app.add_exception_handler(HTTPException, errors.http_error)
    app.add_exception_handler(Exception, errors.internal_error)

    def acting(request: Request) -> Repository:
        return binding.repository(request_token(request))

    @app.post(
        f"{PREFIX}/sign-in", tags=["Anmeldung"], responses=errors.RESPONSES, summary="Mit E-Mail und Passwort anmelden"
    )
    def sign_in(request: Request, body: Annotated[SignInRequest, Body()]) -> SignedIn:
        address = client_address(request)
        account = body.email.strip().lower()
        limits.check(account, address)
        try:
            return accounts.sign_in(body.email, body.password)
        except LeadtuiError:
            limits.failed(account, address)
            raise

    @app.post(
        f"{PREFIX}/sign-in/invitation",
        tags=["Anmeldung"],
        responses=errors.RESPONSES,
        summary="Mit einer Einladung ein Passwort wählen",
    )
    def redeem(request: Request, body: Annotated[RedeemRequest, Body()]) -> SignedIn:
        address = client_address(request)
        limits.check("invitation", address)
        try:
            return accounts.redeem(body.code, body.password)
        except LeadtuiError:
            limits.failed("invitation", address)
            raise

    @app.post(
        f"{PREFIX}/sign-out",
        tags=["Anmeldung"],
        responses=errors.RESPONSES,
        summary="Diese Anmeldung beenden",
        status_code=204,
    )
    def sign_out(request: Request) -> None:
        token = request_token(request)
        if token:
            accounts.sign_out(token)

    @app.post(f"{PREFIX}/whoami", tags=["Anmeldung"], responses=errors.RESPONSES, summary="Wer angemeldet ist")
    def whoami(repository: Annotated[Repository, Depends(acting)]) -> Whoami:
        return Whoami(colleague=repository.me, company=repository.company, now=clock())

    app.include_router(operations_router(acting))
    app.include_router(inlet_router(binding, limits_storage))

    @app.websocket(f"{PREFIX}/events")
    async def events(websocket: WebSocket) -> None:
        await serve_events(websocket, hub, binding, sockets)

    return app
