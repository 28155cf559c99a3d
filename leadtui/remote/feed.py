"""The app's live feed from a server: one WebSocket, "changed" whenever the company's data did.

`wait` blocks the app's feed worker for at most `timeout`, like the local feed. A lost
connection is reopened at the next wait and reported as a change (something may have been
missed meanwhile); a socket the server closed because the colleague was deactivated raises
Deactivated (the app locks), one whose session ended SignedOut.
"""

from __future__ import annotations

import json
import time

from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
from websockets.sync.client import ClientConnection, connect

from leadtui.domain import Deactivated, SignedOut
from leadtui.remote.server import CONNECT_S, Server

CLOSE_SIGNED_OUT = 4401
CLOSE_DEACTIVATED = 4403
RETRY_S = 1.0


class RemoteFeed:
    def __init__(self, server: Server, token: str):
        self._server = server
        self._token = token
        self._socket: ClientConnection | None = None
        self._connected_before = False

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        try:
            if self._socket is None:
                # Entered by hand: the socket lives across waits (websockets 17 hands the
                # connection out only through the context manager, 13-16 return it directly).
                self._socket = connect(
                    self._server.events_url,
                    additional_headers={"Authorization": f"Bearer {self._token}"},
                    ssl=self._server.ssl_context(),
                    open_timeout=CONNECT_S,
                    max_size=2**16,
                ).__enter__()
                reconnected, self._connected_before = self._connected_before, True
                if reconnected:
                    return True
            while True:
                left = max(deadline - time.monotonic(), 0.0)
                message = json.loads(self._socket.recv(timeout=left))
                if message.get("type") == "changed":
                    return True
        except TimeoutError:
            return False
        except ConnectionClosed as closed:
            self.close()
            code = closed.rcvd.code if closed.rcvd is not None else None
            if code == CLOSE_DEACTIVATED:
                raise Deactivated from None
            if code == CLOSE_SIGNED_OUT:
                raise SignedOut from None
        except (OSError, InvalidStatus, WebSocketException, ValueError):
            self.close()
        time.sleep(min(timeout, RETRY_S))
        return True  # reconnect at the next wait; refresh, something may have been missed

    def close(self) -> None:
        if self._socket is not None:
            try:
                self._socket.close()
            finally:
                self._socket = None
