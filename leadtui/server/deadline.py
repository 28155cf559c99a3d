"""A deadline for receiving a request, which uvicorn does not have.

uvicorn's `timeout_keep_alive` covers only the idle time between requests, and every byte that
arrives resets it: a client that opens a connection and trickles its headers one byte at a time
(slow-loris), or sends nothing at all, holds the connection for as long as it likes, and a few
thousand such clients hold every connection the process can open. An ASGI middleware cannot
help, as it runs only once the headers are complete.

`RequestDeadline` is uvicorn's own HTTP/1.1 protocol (h11) with one rule added: from a new
connection, or from the first byte of the next request on a kept-alive one, the whole request -
headers and body - must have arrived within `receipt_s`, or the connection is closed. The
deadline is disarmed once the request is complete, so a slow answer is never cut, and when the
connection becomes the event socket. A reverse proxy in front does the same (nginx's
`client_header_timeout` and `client_body_timeout`); this holds without one too.
"""

from __future__ import annotations

import asyncio
import logging
from typing import ClassVar

from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("leadtui.server")


class RequestDeadline(H11Protocol):
    receipt_s: ClassVar[float] = 10.0  # the largest real request (1 MB at most) takes well under that

    _deadline: asyncio.TimerHandle | None = None
    _before: object = None  # the request cycle there was when the deadline was armed

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._deadline is None and self._between_requests():
            self._arm()  # the first byte of the next request on a kept-alive connection
        super().data_received(data)
        if self.transport.get_protocol() is not self or self._request_received():
            self._disarm()  # complete, or upgraded to the event socket

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _between_requests(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _request_received(self) -> bool:
        return self.cycle is not None and self.cycle is not self._before and not self.cycle.more_body

    def _arm(self) -> None:
        self._disarm()
        self._before = self.cycle
        self._deadline = self.loop.call_later(self.receipt_s, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            log.info("closed a connection whose request did not arrive within %s s", self.receipt_s)
            self.transport.close()
