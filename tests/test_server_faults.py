"""Faults under a running server: one of its processes killed mid-work, the database's
connections cut under it, too many event sockets from one address, clients too slow to send
their request or sending 100 MB of it - the clients see a German
message at most, nothing is half-written, and they carry on."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import World
from helpers import eventually, new_lead, pg_admin_engine
from serving import Running, ServeProcess, close_signed_in, signed_in
from sqlalchemy import text

from leadtui.db.engine import open_database
from leadtui.db.maintenance import check
from leadtui.domain import Conflict, ListQuery, Unreachable
from leadtui.repository import utcnow
from leadtui.server import events
from leadtui.server.deadline import RequestDeadline


@pytest.fixture
def served_world(templates, db_kind, tmp_path):
    url = templates.current(db_kind, tmp_path)
    engine = open_database(url, create=True, migrate=True)
    made = World(engine)
    made.url = url
    made.clock.now = utcnow()  # server processes run on the real clock
    yield made
    close_signed_in()
    engine.dispose()


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


# On PostgreSQL, the platform's database; a process killed while writing to SQLite is
# test_crash_safety.py's (an import and a seed killed halfway).
@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
def test_a_killed_server_process_leaves_nothing_half_written_and_the_app_carries_on(served_world, tmp_path):
    world = served_world
    leads = [new_lead(world.repo("anna"), f"Lead {n}") for n in range(6)]
    with ServeProcess(world.url, tmp_path, "--workers", "2") as served:
        jonas = signed_in(world, served.url, "jonas")
        eventually(lambda: len(children(served.process.pid)) >= 2, "two server processes")
        confirmed, refused = [], []
        stop = threading.Event()

        def work() -> None:
            n = 0
            while not stop.is_set():
                lead = leads[n % len(leads)]
                n += 1
                try:
                    current = jonas.assignment(lead.id)
                    target = None if current.assignee else jonas.me.id
                    confirmed.append(jonas.assign(lead.id, target, current.version))
                except (Unreachable, Conflict) as error:
                    refused.append(error)

        worker = threading.Thread(target=work)
        worker.start()
        eventually(lambda: len(confirmed) >= 5, "assignments under way")
        victim = children(served.process.pid)[0]
        os.kill(victim, signal.SIGKILL)
        before = len(confirmed)
        eventually(lambda: len(confirmed) >= before + 10, "assignments carrying on after the kill")
        stop.set()
        worker.join(timeout=30)
        assert jonas.first_window(ListQuery(), 10).total is not None  # reads as usual
        for error in refused:
            assert "Traceback" not in str(error)
    assert check(world.engine) == []  # counters, sort keys, search index all agree with the data
    with world.engine.connect() as conn:
        moved = conn.execute(text("SELECT count(*) FROM assignment_history WHERE reason = 'manual'")).scalar_one()
    assert moved >= len(confirmed)  # every confirmed assignment is in the history


@pytest.mark.parametrize("db_kind", ["postgresql"], indirect=True)
def test_database_connections_cut_under_the_server_are_a_message_then_it_recovers(served_world, tmp_path):
    world = served_world
    new_lead(world.repo("anna"), "Vorher")
    with ServeProcess(world.url, tmp_path) as served:
        jonas = signed_in(world, served.url, "jonas")
        assert jonas.counts()
        database = world.engine.url.database
        admin = pg_admin_engine()
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = :d AND pid <> pg_backend_pid()"
                ),
                {"d": database},
            )
        admin.dispose()
        outcomes = []
        for _ in range(3):
            try:
                outcomes.append(jonas.counts())
            except Unreachable as error:
                outcomes.append(str(error))
        assert isinstance(outcomes[-1], dict)  # recovered
        for outcome in outcomes:
            assert isinstance(outcome, dict) or "nicht erreichbar" in outcome


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)
def test_one_address_cannot_hold_every_event_socket(served_world, monkeypatch):
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    world = served_world
    monkeypatch.setattr(events, "SOCKETS_PER_ADDRESS", 3)
    with Running(world.engine) as running:
        jonas = signed_in(world, running.url, "jonas")
        url = jonas.server.events_url
        headers = {"Authorization": f"Bearer {jonas._token}"}
        opened = [connect(url, additional_headers=headers).__enter__() for _ in range(3)]
        try:
            for socket in opened:
                assert "hello" in socket.recv(timeout=5)
            extra = connect(url, additional_headers=headers).__enter__()
            with pytest.raises(ConnectionClosed) as closed:
                extra.recv(timeout=5)
            assert closed.value.rcvd.code == events.CLOSE_TOO_MANY
            assert jonas.counts()  # the server keeps serving
        finally:
            for socket in opened:
                socket.close()


class QuickDeadline(RequestDeadline):
    receipt_s = 0.5


def closed_by_server(conn: socket.socket, trickle: bytes = b"", within_s: float = 15.0) -> bool:
    """Whether the server closes `conn`, while the client keeps sending `trickle` a byte at a
    time - each when the last wait for the server ran out (a wait on the socket, never a sleep)."""
    ends = time.monotonic() + within_s
    position = 0
    while time.monotonic() < ends:
        readable, _, _ = select.select([conn], [], [], 0.05)
        if readable:
            try:
                if conn.recv(65536) == b"":
                    return True
            except ConnectionResetError:
                return True
            continue  # an answer (a refusal, say): the connection is still open
        if trickle:
            try:
                conn.send(trickle[position % len(trickle) : position % len(trickle) + 1])
            except (BrokenPipeError, ConnectionResetError):
                return True
            position += 1
    return False


def answer_of(conn: socket.socket) -> bytes:
    conn.settimeout(15)
    received = b""
    with contextlib.suppress(ConnectionResetError):
        while b"\r\n\r\n" not in received and (chunk := conn.recv(65536)):
            received += chunk
    return received


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)  # the server alone decides
def test_slow_and_silent_clients_are_cut_off_while_others_are_served(served_world):
    """Slow-loris: connections that send nothing, trickle their headers or trickle their body
    are closed at the request deadline however many bytes they send; a colleague is served
    meanwhile, and the event socket, once open, is not cut."""
    from websockets.sync.client import connect

    world = served_world
    with Running(world.engine, http=QuickDeadline) as running:
        jonas = signed_in(world, running.url, "jonas")
        address = ("127.0.0.1", running.port)
        silent = [socket.create_connection(address) for _ in range(50)]
        headers = socket.create_connection(address)
        headers.sendall(b"POST /api/v1/assign HTTP/1.1\r\nHost: leads\r\n")
        body = socket.create_connection(address)
        body.sendall(
            b"POST /api/v1/assign HTTP/1.1\r\nHost: leads\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer %s\r\nContent-Length: 100000\r\n\r\n{" % jonas._token.encode()
        )
        with connect(
            jonas.server.events_url, additional_headers={"Authorization": f"Bearer {jonas._token}"}
        ) as events_socket:
            assert "hello" in events_socket.recv(timeout=5)
            assert jonas.counts()  # served while all of them wait
            assert closed_by_server(headers, trickle=b"X-Langsam: ja\r\n")
            assert closed_by_server(body, trickle=b" ")
            assert all(closed_by_server(conn) for conn in silent)
            new_lead(world.repo("anna"), "Nach der Frist")
            assert "changed" in events_socket.recv(timeout=10)  # the event socket outlived the deadline
            assert jonas.counts()  # a kept-alive connection is given the deadline anew, and served
        for conn in (*silent, headers, body):
            conn.close()


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)  # the server alone decides
def test_a_body_of_100_mb_is_refused_before_it_is_read(served_world):
    """Declared (Content-Length) or streamed (chunked, without a length): a German 413 once the
    limit is passed, never the body read whole; the server keeps serving."""
    world = served_world
    with Running(world.engine) as running:
        jonas = signed_in(world, running.url, "jonas")
        address = ("127.0.0.1", running.port)
        declared = socket.create_connection(address)
        declared.sendall(
            b"POST /api/v1/counts HTTP/1.1\r\nHost: leads\r\nContent-Type: application/json\r\n"
            b"Content-Length: 104857600\r\n\r\n"
        )
        assert answer_of(declared).startswith(b"HTTP/1.1 413")
        streamed = socket.create_connection(address)  # signed in: else 401 before any body is read
        streamed.sendall(
            b"POST /api/v1/assign HTTP/1.1\r\nHost: leads\r\nContent-Type: application/json\r\n"
            b"Authorization: Bearer %s\r\nTransfer-Encoding: chunked\r\n\r\n" % jonas._token.encode()
        )
        chunk = b"%x\r\n%s\r\n" % (64 * 1024, b" " * 64 * 1024)
        sent = 0
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            while sent < 100 * 1024 * 1024 and not select.select([streamed], [], [], 0)[0]:
                streamed.sendall(chunk)
                sent += 64 * 1024
        assert answer_of(streamed).startswith(b"HTTP/1.1 413")
        assert sent < 10 * 1024 * 1024  # refused after about the limit, not after 100 MB
        assert jonas.counts()
        for conn in (declared, streamed):
            conn.close()
