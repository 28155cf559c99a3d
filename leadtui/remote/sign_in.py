"""Signing in to a server (before there is a token): with e-mail and password, or with an
invitation code and a new password."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import TypeAdapter

from leadtui.domain import SignedIn, StorageError
from leadtui.remote import errors
from leadtui.remote.server import Server


def _signed_in(server: Server, path: str, body: dict[str, Any], http: httpx.Client | None) -> SignedIn:
    client = http or server.client()
    try:
        response = client.post(path, json=body)
    except httpx.HTTPError as error:
        raise errors.from_transport(error, server.url) from None
    finally:
        if http is None:
            client.close()
    if response.status_code >= 400:
        raise errors.from_answer(response)
    try:
        return TypeAdapter(SignedIn).validate_json(response.content)
    except ValueError:
        raise StorageError("Unerwartete Antwort des Servers.") from None


def sign_in(server: Server, email: str, password: str, http: httpx.Client | None = None) -> SignedIn:
    return _signed_in(server, "/sign-in", {"email": email, "password": password}, http)


def redeem(server: Server, code: str, password: str, http: httpx.Client | None = None) -> SignedIn:
    return _signed_in(server, "/sign-in/invitation", {"code": code, "password": password}, http)
