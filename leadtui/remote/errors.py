"""Errors as the server sends them, back into the domain's errors, and the network's own in
German: the UI handles a remote Conflict exactly as a local one."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import TypeAdapter

from leadtui.domain import (
    Assignment,
    Conflict,
    EditConflict,
    InvalidInput,
    LeadtuiError,
    StorageError,
    Unreachable,
    errors,
)

NO_ARGUMENTS = ("Deactivated", "SignedOut", "WrongCredentials", "TooManyAttempts")
UNREACHABLE = "Server nicht erreichbar"


def from_answer(response: httpx.Response) -> LeadtuiError:
    """The domain error a refusal stands for (a StorageError for what is not one of ours)."""
    try:
        body: Any = response.json()
        kind, message = str(body["kind"]), str(body["message"])
    except (ValueError, KeyError, TypeError):
        return StorageError(f"Unerwartete Antwort des Servers (HTTP {response.status_code}).")
    if kind == "Conflict":
        return Conflict(TypeAdapter(Assignment).validate_python(body.get("current")))
    if kind == "EditConflict":
        return EditConflict([str(field) for field in body.get("changed") or ()])
    if kind == "InvalidInput":
        return InvalidInput({str(k): str(v) for k, v in (body.get("errors") or {}).items()})
    known = getattr(errors, kind, None)
    if isinstance(known, type) and issubclass(known, LeadtuiError):
        return known() if kind in NO_ARGUMENTS else known(message)
    if response.status_code >= 500:
        return StorageError(message)
    return LeadtuiError(message)


def from_transport(error: httpx.HTTPError, url: str) -> LeadtuiError:
    if isinstance(error, httpx.TimeoutException):
        return Unreachable(f"{UNREACHABLE}: {url} antwortet nicht. Nichts wurde geändert, was nicht bestätigt ist.")
    reason = str(error) or type(error).__name__
    if "CERTIFICATE_VERIFY_FAILED" in reason:
        return Unreachable(f"Zertifikat von {url} nicht vertrauenswürdig (CA-Datei mit --ca-file angeben).")
    return Unreachable(f"{UNREACHABLE}: {url}.")
