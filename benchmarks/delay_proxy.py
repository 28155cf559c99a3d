"""A TCP proxy that delays every byte by a fixed time in each direction: a distant server on
loopback, without root (`tc netem` needs it) and the same on every machine.

    python benchmarks/delay_proxy.py --listen 6543 --to 127.0.0.1:5432 --delay-ms 25

A round trip through it takes twice the delay plus the server's own time. Order is kept per
direction; bandwidth is not limited (a LAN or a near cloud region, not a modem).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    """Forward what `reader` gets to `writer`, each chunk `delay` seconds after it arrived."""
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def receive() -> None:
        while chunk := await reader.read(65536):
            queue.put_nowait((time.monotonic() + delay, chunk))
        queue.put_nowait((time.monotonic() + delay, b""))

    receiving = asyncio.create_task(receive())
    try:
        while True:
            due, chunk = await queue.get()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if not chunk:
                break
            writer.write(chunk)
            await writer.drain()
    finally:
        receiving.cancel()
        with contextlib.suppress(OSError):
            writer.close()


async def serve(listen_port: int, host: str, port: int, delay: float) -> None:
    async def connection(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(host, port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            _pipe(client_reader, server_writer, delay),
            _pipe(server_reader, client_writer, delay),
            return_exceptions=True,
        )

    server = await asyncio.start_server(connection, "127.0.0.1", listen_port)
    print(f"delay proxy on 127.0.0.1:{listen_port} -> {host}:{port}, {delay * 1000:.0f} ms each way", flush=True)
    async with server:
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=int, default=6543)
    parser.add_argument("--to", default="127.0.0.1:5432")
    parser.add_argument("--delay-ms", type=float, default=25.0)
    args = parser.parse_args()
    host, port = args.to.rsplit(":", 1)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.listen, host, int(port), args.delay_ms / 1000))


if __name__ == "__main__":
    main()
