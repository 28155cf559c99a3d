"""Where a leadtui server is and how to reach it safely: its address, the certificate
authorities to trust, and the HTTP client every remote call uses.

Across a network only HTTPS, and its certificate is verified (against the system's authorities,
or a CA file the operator gives: `--ca-file`, LEADTUI_CA_FILE). Plain http:// only to this
machine (a server started with `leadtui serve` for oneself, or behind a local proxy).
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from leadtui.domain import InvalidInput

LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
CONNECT_S = 5.0
ANSWER_S = 30.0  # the longest a call waits for its answer (a bulk assignment of many leads)


def _problem(message: str) -> InvalidInput:
    return InvalidInput({"server": message})


@dataclass(frozen=True)
class Server:
    """A leadtui server's base address (`https://leads.example.com`) and the CA file to trust."""

    url: str
    ca_file: Path | None = None

    @classmethod
    def at(cls, url: str, ca_file: str | Path | None = None) -> Server:
        """A checked address; InvalidInput with a German reason otherwise."""
        text = url.strip().rstrip("/")
        if "://" not in text:
            text = f"https://{text}"
        try:
            parts = urlsplit(text)
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            raise _problem(f"Keine gültige Serveradresse: {url}") from None
        if parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment:
            raise _problem(f"Keine gültige Serveradresse: {url} (z. B. https://leads.example.com)")
        if parts.scheme == "http" and parts.hostname not in LOOPBACK and not parts.hostname.startswith("127."):
            raise _problem(
                "Unverschlüsselt (http://) nur zu diesem Rechner; für einen Server im Netz https:// angeben."
            )
        ca = Path(ca_file).expanduser() if ca_file else None
        if ca is not None and not ca.is_file():
            raise _problem(f"CA-Datei nicht gefunden: {ca}")
        return cls(f"{parts.scheme}://{parts.netloc}{parts.path}", ca)

    @property
    def events_url(self) -> str:
        scheme, rest = self.url.split("://", 1)
        return f"{'wss' if scheme == 'https' else 'ws'}://{rest}/api/v1/events"

    def ssl_context(self) -> ssl.SSLContext | None:
        if not self.url.startswith("https://"):
            return None
        try:
            return ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)
        except (ssl.SSLError, OSError) as error:
            raise _problem(f"CA-Datei nicht lesbar: {self.ca_file} ({error})") from None

    def client(self, token: str | None = None) -> httpx.Client:
        """The HTTP client of one app: one kept-alive connection pool, the token on every call."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        context = self.ssl_context()
        return httpx.Client(
            base_url=f"{self.url}/api/v1",
            headers=headers,
            verify=context if context is not None else True,
            timeout=httpx.Timeout(ANSWER_S, connect=CONNECT_S),
            follow_redirects=False,
        )
