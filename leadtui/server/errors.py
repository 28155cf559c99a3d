"""How the server answers an error: a status and a German message, never a traceback.

The body is `{"kind": <the domain error's class name>, "message": <German>, ...}` with the
values a client needs to rebuild the error (a Conflict's current assignment, an
InvalidInput's fields, an EditConflict's changed fields); `leadtui.remote.errors` rebuilds it.
"Not yours" and "does not exist" are the same NotFound (the repository says so already).
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from leadtui.domain import (
    AccessDenied,
    AlreadyDecided,
    Busy,
    Conflict,
    Deactivated,
    EditConflict,
    InvalidInput,
    LeadtuiError,
    NotAssignable,
    NotFound,
    NotUndoable,
    SignedOut,
    StorageError,
    TooManyAttempts,
    TooManyRequests,
    WrongCredentials,
)

log = logging.getLogger("leadtui.server")

STATUS: tuple[tuple[type[LeadtuiError], int], ...] = (
    (SignedOut, 401),
    (WrongCredentials, 401),
    (TooManyAttempts, 429),
    (TooManyRequests, 429),
    (Deactivated, 403),
    (AccessDenied, 403),
    (NotFound, 404),
    (Conflict, 409),
    (EditConflict, 409),
    (AlreadyDecided, 409),
    (NotUndoable, 409),
    (InvalidInput, 422),
    (NotAssignable, 422),
    (Busy, 503),
    (StorageError, 503),
)
INTERNAL = "Interner Fehler des Servers; nichts wurde gespeichert. Bitte später noch einmal."


class InvalidRequest(Exception):
    """A request whose arguments are well-formed but impossible (answered 422, like pydantic's)."""


async def impossible_request(_: Request, error: Exception) -> JSONResponse:
    return answer("InvalidRequest", str(error), 422)


class ErrorBody(BaseModel):
    """What every refusal says (and, per kind, what a client needs to rebuild the error)."""

    kind: str
    message: str
    current: dict[str, Any] | None = None
    changed: list[str] | None = None
    errors: dict[str, str] | None = None
    fields: list[str] | None = None


RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (401, "Nicht angemeldet"),
        (403, "Nicht erlaubt oder deaktiviert"),
        (404, "Nicht gefunden (oder nicht Ihrer Firma)"),
        (409, "Inzwischen geändert"),
        (413, "Anfrage zu groß"),
        (422, "Ungültige Eingabe"),
        (429, "Zu viele Versuche"),
        (503, "Datenbank nicht erreichbar oder belegt"),
    )
}


def status_of(error: LeadtuiError) -> int:
    return next((status for kind, status in STATUS if isinstance(error, kind)), 400)


def body_of(error: LeadtuiError) -> dict[str, Any]:
    # The kind a client knows: the error's own class in domain/errors.py, or the nearest one it
    # derives from there (InvalidWindow travels as the InvalidInput it is).
    kind = next(k.__name__ for k in type(error).__mro__ if k.__module__ == LeadtuiError.__module__)
    body: dict[str, Any] = {"kind": kind, "message": str(error)}
    if isinstance(error, Conflict):
        body["current"] = asdict(error.current)
    elif isinstance(error, EditConflict):
        body["changed"] = error.changed
    elif isinstance(error, InvalidInput):
        body["errors"] = error.errors
    return body


def answer(kind: str, message: str, status: int, **extra: Any) -> JSONResponse:
    return JSONResponse({"kind": kind, "message": message, **extra}, status_code=status)


async def domain_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, LeadtuiError)
    headers = {"WWW-Authenticate": "Bearer"} if status_of(error) == 401 else None
    return JSONResponse(body_of(error), status_code=status_of(error), headers=headers)


async def invalid_request(_: Request, error: Exception) -> JSONResponse:
    """A body that does not fit the operation: which fields, never the values sent back."""
    assert isinstance(error, RequestValidationError)
    fields = sorted({".".join(str(part) for part in e.get("loc", ()) if part != "body") for e in error.errors()})
    where = ", ".join(field for field in fields if field) or "Anfrage"
    return answer("InvalidRequest", f"Ungültige Anfrage: {where}.", 422, fields=fields)


async def too_deep(_: Request, __: Exception) -> JSONResponse:
    return answer("InvalidRequest", "Ungültige Anfrage: zu tief verschachtelt.", 422)


async def http_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    messages = {
        404: "Diese Adresse gibt es auf dem Server nicht.",
        405: "Diese Methode gibt es für diese Adresse nicht.",
        413: "Die Anfrage ist zu groß.",
    }
    return answer("HttpError", messages.get(error.status_code, "Ungültige Anfrage."), error.status_code)


async def internal_error(request: Request, error: Exception) -> JSONResponse:
    log.error("error in %s %s", request.method, request.url.path, exc_info=error)
    return answer("ServerError", INTERNAL, 500)
