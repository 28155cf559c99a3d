"""Live events: each signed-in app holds one WebSocket, and hears when its company's data changed.

One hub per server process watches the change counters of every company with an open app, on
one database connection (`CompanyWatch`), and wakes that company's sockets only. Several server
processes share the events through PostgreSQL itself: every write moves its companies' counters
and NOTIFYs their private channels in the same transaction, so a process hears what another one
wrote, only once it is committed, and a process that restarts loses nothing the counters keep.
(Redis pub/sub would be a second system to run and to keep in step with the commits.)

An event says only "changed": the app then reads what it shows, bound to its own colleague, as
after its own writes. A colleague deactivated meanwhile has their socket closed with code 4403
(their app locks); a socket without a valid session is closed with 4401.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import Counter
from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketDisconnect

from leadtui.domain import Deactivated, LeadtuiError
from leadtui.repository.changes import CompanyWatch
from leadtui.server.auth import Binding, bearer, client_address

log = logging.getLogger("leadtui.server")

WAIT_S = 0.25  # how long the hub waits per round (also how soon it picks up new sockets)
SOCKETS_PER_ADDRESS = 200  # open event sockets one client address may hold
CLOSE_SIGNED_OUT = 4401
CLOSE_DEACTIVATED = 4403
CLOSE_TOO_MANY = 4429


@dataclass(eq=False)
class Subscriber:
    """One app's socket: the hub sets `changed` (from its thread, through the socket's loop).

    `seen` is the company's change counter as it was when the socket subscribed: the hub takes
    the socket into its watch at its next round, and a change that fell in between is told by
    comparing the two (then `seen` is done with)."""

    company_id: int
    colleague_id: int
    loop: asyncio.AbstractEventLoop
    seen: int | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    deactivated: bool = False


class Hub:
    """The process's watch over its apps' companies, in one thread."""

    def __init__(self, watch: CompanyWatch):
        self._watch = watch
        self._subscribers: dict[int, set[Subscriber]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="leadtui-events", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._watch.close()

    def seq(self, company_id: int) -> int:
        """The company's change counter now (for a socket about to subscribe)."""
        return self._watch.current(company_id)

    def subscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            self._subscribers.setdefault(subscriber.company_id, set()).add(subscriber)

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            company = self._subscribers.get(subscriber.company_id, set())
            company.discard(subscriber)
            if not company:
                self._subscribers.pop(subscriber.company_id, None)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with self._lock:
                    companies = set(self._subscribers)
                    fresh = [s for company in self._subscribers.values() for s in company if s.seen is not None]
                self._watch.watch(companies)
                late = [s for s in fresh if self._watch.seq(s.company_id) != s.seen]
                for subscriber in fresh:
                    subscriber.seen = None
                self._tell(late)
                changed = self._watch.wait(WAIT_S)
                if changed:
                    with self._lock:
                        told = [s for company in changed for s in self._subscribers.get(company, ())]
                    self._tell(told)
            except Exception:  # the watch reconnects itself; anything else must not end the events
                log.exception("live events")
                self._stop.wait(1.0)

    def _tell(self, told: list[Subscriber]) -> None:
        if not told:
            return
        inactive = self._watch.inactive({s.colleague_id for s in told})
        for subscriber in told:
            subscriber.deactivated = subscriber.colleague_id in inactive
            subscriber.loop.call_soon_threadsafe(subscriber.changed.set)


class Sockets:
    """Open event sockets per client address, so one address cannot hold them all."""

    def __init__(self, limit: int | None = None):
        self._open: Counter[str] = Counter()
        self._limit = SOCKETS_PER_ADDRESS if limit is None else limit

    def take(self, address: str) -> bool:
        if self._open[address] >= self._limit:
            return False
        self._open[address] += 1
        return True

    def give_back(self, address: str) -> None:
        self._open[address] -= 1
        if self._open[address] <= 0:
            del self._open[address]


async def serve_events(websocket: WebSocket, hub: Hub, binding: Binding, sockets: Sockets) -> None:
    """One app's event socket: "hello" once, then "changed" whenever its company changed."""
    address = client_address(websocket)
    if not sockets.take(address):
        await websocket.accept()  # then closed with a code the app can tell apart
        await websocket.close(code=CLOSE_TOO_MANY, reason="Zu viele Verbindungen von dieser Adresse.")
        return
    try:
        await websocket.accept()
        try:
            credential = await run_in_threadpool(binding.credential, bearer(websocket.headers.get("authorization")))
        except Deactivated as error:
            await websocket.close(code=CLOSE_DEACTIVATED, reason=str(error))
            return
        except LeadtuiError as error:
            await websocket.close(code=CLOSE_SIGNED_OUT, reason=str(error))
            return
        seen = await run_in_threadpool(hub.seq, credential.company_id)
        subscriber = Subscriber(credential.company_id, credential.colleague_id, asyncio.get_running_loop(), seen)
        hub.subscribe(subscriber)
        try:
            await websocket.send_json({"type": "hello"})
            await _forward(websocket, subscriber)
        finally:
            hub.unsubscribe(subscriber)
    except WebSocketDisconnect:
        pass
    finally:
        sockets.give_back(address)


async def _forward(websocket: WebSocket, subscriber: Subscriber) -> None:
    receiving = asyncio.ensure_future(websocket.receive())
    try:
        while True:
            changed = asyncio.ensure_future(subscriber.changed.wait())
            done, _ = await asyncio.wait({receiving, changed}, return_when=asyncio.FIRST_COMPLETED)
            if receiving in done:
                changed.cancel()
                if receiving.result().get("type") == "websocket.disconnect":
                    return
                receiving = asyncio.ensure_future(websocket.receive())  # apps send nothing; ignore it
                continue
            subscriber.changed.clear()
            if subscriber.deactivated:
                await websocket.close(code=CLOSE_DEACTIVATED, reason="Ihr Zugang ist deaktiviert.")
                return
            await websocket.send_json({"type": "changed"})
    finally:
        receiving.cancel()
