"""A real leadtui server for tests: uvicorn in a thread of the test process (HTTP and WebSocket
on a free port of 127.0.0.1), or `leadtui serve` as a process of its own; and colleagues signed
in to it the way a person is - invited by their admin, redeeming the code with a password."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from argon2 import PasswordHasher
from helpers import eventually

from leadtui.remote.repository import RemoteRepository, connect
from leadtui.remote.server import Server
from leadtui.remote.sign_in import redeem
from leadtui.server.app import create_app
from leadtui.server.deadline import RequestDeadline

# Argon2 as cheap as it goes: the tests sign in hundreds of times (the server's default costs 64 MiB).
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "richtig-geheim"
ADMINS = {"Sonnenstrom": "anna", "Nordlicht": "tim", "Rheinwerk": "paul"}
COMPANY_OF = {
    "anna": "Sonnenstrom",
    "jonas": "Sonnenstrom",
    "markus": "Sonnenstrom",
    "tim": "Nordlicht",
    "julia": "Nordlicht",
    "paul": "Rheinwerk",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Server(uvicorn.Server):
    """uvicorn's server, telling when it listens (instead of being polled for it)."""

    def __init__(self, config: uvicorn.Config):
        super().__init__(config)
        self.listening = threading.Event()

    async def startup(self, sockets: Any = None) -> None:
        await super().startup(sockets)
        self.listening.set()


class Running:
    """A server on `engine` in a thread; `url` is its address."""

    def __init__(
        self,
        engine: Any,
        *,
        clock: Any = None,
        certfile: str | None = None,
        keyfile: str | None = None,
        http: type[RequestDeadline] = RequestDeadline,
        due_every_s: float | None = None,
    ):
        kwargs = {"clock": clock} if clock is not None else {}
        self.app = create_app(engine, hasher=CHEAP_HASHER, due_every_s=due_every_s, **kwargs)
        self.port = free_port()
        scheme = "https" if certfile else "http"
        self.url = f"{scheme}://{'localhost' if certfile else '127.0.0.1'}:{self.port}"
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="error",
            ssl_certfile=certfile,
            ssl_keyfile=keyfile,
            ws_max_size=64 * 1024,
            timeout_graceful_shutdown=2,
            http=http,
        )
        self._server = _Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> Running:
        self._thread.start()
        if not self._server.listening.wait(20):
            raise RuntimeError("the test server did not start")
        return self

    def __exit__(self, *_: object) -> None:
        close_signed_in()  # uvicorn waits for open connections when it stops
        self._server.should_exit = True
        self._thread.join(timeout=10)


def token_for(world: Any, server: Server, key: str) -> str:
    """`key` signed in at `server`: invited by their company's admin, code redeemed."""
    admin = world.repo(ADMINS[COMPANY_OF[key]])
    code = admin.invite(key, f"{key}@example.org").code
    return redeem(server, code, PASSWORD).token


OPENED: list[RemoteRepository] = []


def signed_in(world: Any, url: str, key: str, ca_file: str | None = None) -> RemoteRepository:
    """`key`'s remote repository at `url` (closed by `close_signed_in` after the test)."""
    server = Server.at(url, ca_file)
    repository = connect(server, token_for(world, server, key))
    OPENED.append(repository)
    return repository


def close_signed_in() -> None:
    while OPENED:
        OPENED.pop().close()


def raw_client(url: str, token: str | None = None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=f"{url}/api/v1", headers=headers, timeout=30)


class ServeProcess:
    """`leadtui serve` as its own process (what an operator starts)."""

    def __init__(self, db_url: str, data_dir: Path, *extra: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "LEADTUI_DATA_DIR": str(data_dir)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "leadtui", "serve", "--db", db_url, "--port", str(self.port), *extra],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def __enter__(self) -> ServeProcess:
        eventually(self._answers, "leadtui serve listening", timeout=30)
        return self

    def _answers(self) -> bool:
        """Whether the process accepts connections (each ask a connect, as `eventually` asks)."""
        if self.process.poll() is not None:
            raise RuntimeError(f"leadtui serve ended: {self.process.stdout.read() if self.process.stdout else ''}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    def __exit__(self, *_: object) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process.stdout is not None:
            self.process.stdout.close()
