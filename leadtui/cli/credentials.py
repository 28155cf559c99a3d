"""Where `leadtui login` keeps a server's token: the system keyring, or - where there is none
(a server without a desktop session, a container) - a file only its owner may read (0600).

Only the token is kept, never the password; `leadtui logout` ends the session at the server and
forgets the token here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from leadtui.config import data_dir

SERVICE = "leadtui"
FILE_NAME = "anmeldungen.json"


@dataclass(frozen=True)
class Stored:
    server: str
    token: str
    ca_file: str | None = None


def _file() -> Path:
    return data_dir() / FILE_NAME


def _read_file() -> dict[str, dict[str, str | None]]:
    try:
        data = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_file(data: dict[str, dict[str, str | None]]) -> None:
    path = _file()
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{FILE_NAME}.{os.getpid()}")
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1)
    os.replace(staging, path)


def _keyring_set(server: str, token: str) -> bool:
    """Whether the system keyring took the token (False: there is none that works here)."""
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.set_password(SERVICE, server, token)
    except (KeyringError, RuntimeError, OSError):
        return False
    return True


def _keyring_get(server: str) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError

        return keyring.get_password(SERVICE, server)
    except (KeyringError, RuntimeError, OSError):
        return None


def _keyring_delete(server: str) -> None:
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.delete_password(SERVICE, server)
    except (KeyringError, RuntimeError, OSError):
        pass


def save(stored: Stored) -> str:
    """Keep the sign-in; says where ("Schlüsselbund" or the file's path)."""
    data = _read_file()
    in_keyring = _keyring_set(stored.server, stored.token)
    data[stored.server] = {"token": None if in_keyring else stored.token, "ca_file": stored.ca_file}
    _write_file(data)
    return "im Schlüsselbund des Systems" if in_keyring else f"in {_file()} (nur für Sie lesbar)"


def load(server: str) -> Stored | None:
    entry = _read_file().get(server)
    if entry is None:
        return None
    token = entry.get("token") or _keyring_get(server)
    return Stored(server, token, entry.get("ca_file")) if token else None


def servers() -> list[str]:
    return sorted(_read_file())


def forget(server: str) -> None:
    data = _read_file()
    data.pop(server, None)
    _write_file(data)
    _keyring_delete(server)
