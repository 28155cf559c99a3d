"""The inlet for web forms and n8n: `POST /api/v1/ingest` with a company's API key (rule 20).

The body is JSON lines, one lead a line, as `leadtui ingest` reads them; the answer is one JSON
line per lead (created, updated, duplicate, invalid with field and reason), in their order. A
key acts as the admin who made it, bound as every request is; requests per key are limited
(a form that a bot fills ten times a second is refused, not imported).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.concurrency import run_in_threadpool

from leadtui.domain import InvalidInput, TooManyRequests
from leadtui.domain.imports import ImportOptions
from leadtui.domain.ingest import MAX_LINES, answered
from leadtui.repository.invitations import digest
from leadtui.server.auth import Binding, request_token
from leadtui.server.errors import RESPONSES

KEY_LIMIT = "120/minute"  # requests per key (each up to MAX_LINES leads)


def inlet_router(binding: Binding, limits_storage: str) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["Eingang"])
    limiter = MovingWindowRateLimiter(storage_from_string(limits_storage))
    per_key = parse(KEY_LIMIT)

    @router.post(
        "/ingest",
        responses=RESPONSES,
        summary="Leads als JSON-Zeilen übernehmen (mit dem API-Schlüssel der Firma)",
        response_class=Response,
    )
    async def ingest(request: Request) -> Response:
        secret = request_token(request)
        repository = await run_in_threadpool(binding.for_key, secret)
        if not limiter.hit(per_key, "api-key", digest(secret or "")):
            raise TooManyRequests("Zu viele Anfragen mit diesem API-Schlüssel – bitte in einer Minute noch einmal.")
        try:
            lines = (await request.body()).decode("utf-8").splitlines()
        except UnicodeDecodeError:
            raise InvalidInput({"body": "Der Inhalt ist kein UTF-8."}) from None
        if sum(1 for line in lines if line.strip()) > MAX_LINES:
            raise InvalidInput({"body": f"Höchstens {MAX_LINES} Zeilen je Anfrage."})

        def answer() -> str:
            groups = answered(repository.ingest_leads, ImportOptions(), lines, MAX_LINES)
            return "".join(a.as_json() + "\n" for group in groups for a in group)

        return Response(await run_in_threadpool(answer), media_type="application/x-ndjson")

    return router
