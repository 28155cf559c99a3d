"""The server benchmark: colleagues working through `leadtui serve` on PostgreSQL, across a network.

    pip install -e '.[bench]'
    python benchmarks/server.py --leads 100000                 # the figures of the README
    python benchmarks/server.py --leads 1000000 --colleagues 500 --seconds 60

Set-up: the seeded database (benchmarks/run.py), `leadtui serve --workers 2` in front of it, and
the TCP delay proxy of this folder in front of the server (25 ms each way: every round trip
50 ms more than on loopback). Colleagues are invited and sign in as a person does. Measured:
- the app through the proxy (benchmarks/measure.py with BENCH_SERVER): launch to first rows, and
  per key when its result is painted; for an assignment when its expected result is painted
  (before the server answers), when the answer marks it saved, and when the list is read again;
- a colleague's change until the other app has re-read its list (the event socket, then the
  list's one request), through the proxy;
- many simulated colleagues, each the real remote repository and event socket, signed in, each
  acting once per `--think` seconds on average (read a list, assign a lead of it): latency
  percentiles of both, event delivery to the same company's other colleagues, conflicts,
  errors, lost updates (every confirmed assignment must be in the history), and the most
  database connections seen; then flat out with fewer colleagues (actions per second).
The clients share the server's two cores here (in a team they are elsewhere). Writes
benchmarks/server_results.json and server_results.md (other sizes than 100,000 leads:
server_results_<leads>.json and .md).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import preset_columns  # noqa: E402
from run import postgres_database, warm  # noqa: E402

ANNA = "anna.becker@sonnenstrom.example"
JONAS = "jonas.weber@sonnenstrom.example"
PASSWORD = "benchmark-passwort"
COMPANIES = ("Sonnenstrom Energie GmbH", "Nordlicht Vertrieb GmbH", "Alpenland Solar KG", "Rheinwerk Handel AG")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} ended: {process.stdout.read() if process.stdout else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"{what} did not start")


def colleagues_for_load(url: str, count: int) -> list[str]:
    """`count` colleagues spread over the companies (added once; the database is the benchmark's)."""
    from leadtui.admin import Admin
    from leadtui.db.engine import open_database

    engine = open_database(url)
    admin = Admin(engine)
    known = {c.email for c, _ in admin.colleagues()}
    emails = []
    for n in range(count):
        email = f"last.{n}@bench.example"
        if email not in known:
            admin.add_colleague(COMPANIES[n % len(COMPANIES)], f"Kollege {n}", email)
        emails.append(email)
    engine.dispose()
    return emails


def tokens_for(url: str, server: str, emails: list[str]) -> dict[str, str]:
    """Each colleague invited by their company's admin and signed in with the code."""
    from concurrent.futures import ThreadPoolExecutor

    from leadtui.admin import Admin
    from leadtui.db.engine import open_database
    from leadtui.remote.server import Server
    from leadtui.remote.sign_in import redeem
    from leadtui.repository import Repository

    engine = open_database(url)
    admin = Admin(engine)
    codes = {}
    for email in emails:
        colleague = admin.colleague(email)
        inviter = Repository(engine, admin.admin_of(colleague).id)
        codes[email] = inviter.invite(colleague.name, email).code
    engine.dispose()
    at = Server.at(server)
    with ThreadPoolExecutor(8) as pool:
        signed = dict(zip(emails, pool.map(lambda e: redeem(at, codes[e], PASSWORD).token, emails), strict=True))
    return signed


def measure_app(proxy_url: str, token: str, db_url: str) -> dict:
    preset_columns(db_url)
    env = dict(os.environ, BENCH_LAUNCH=repr(time.time()), BENCH_SERVER=proxy_url, BENCH_TOKEN=token)
    result = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), "leadtui", "unused"], capture_output=True, text=True, env=env
    )
    if result.returncode != 0:
        raise SystemExit(f"the app through the server failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def live_visibility(proxy_url: str, writer_token: str, observer_token: str, rounds: int) -> list[float]:
    """Anna assigns a lead; how long until Jonas's feed has woken and his list is read again."""
    from leadtui.domain import ListQuery
    from leadtui.remote.repository import connect
    from leadtui.remote.server import Server

    server = Server.at(proxy_url)
    anna, jonas = connect(server, writer_token), connect(server, observer_token)
    feed = jonas.feed()
    feed.wait(1.0)  # connected
    colleagues = [c for c in anna.colleagues() if c.active]
    seen = []
    for n in range(rounds):
        while feed.wait(0.3):  # the previous round's events
            pass
        row = anna.first_window(ListQuery(), 1).first[0]
        current = anna.assignment(row.id)
        target = next(
            c
            for c in colleagues[n % len(colleagues) :] + colleagues
            if c.id != (current.assignee.id if current.assignee else None)
        )
        anna.assign(row.id, target.id, current.version)
        committed = time.perf_counter()
        while not feed.wait(5.0):
            pass
        window = jonas.first_window(ListQuery(), 50)
        assert any(r.id == row.id and r.assignee and r.assignee.id == target.id for r in window.first)
        seen.append((time.perf_counter() - committed) * 1000)
    feed.close()
    return seen


def colleague_loop(
    server_url: str, token: str, seconds: float, think: float, start: float, out: dict
) -> None:  # pragma: no cover
    """One simulated colleague: the real remote repository and event socket."""
    from leadtui.domain import Conflict, LeadtuiError, ListKind, ListQuery
    from leadtui.remote.repository import connect
    from leadtui.remote.server import Server

    rng = random.Random(token)
    server = Server.at(server_url)
    try:
        me = connect(server, token)
    except LeadtuiError as error:
        out["errors"].append(str(error))
        return
    feed = me.feed()
    stop = threading.Event()

    def listen() -> None:
        while not stop.is_set():
            try:
                if feed.wait(0.5):
                    out["events"].append((me.company.id, time.time()))
            except LeadtuiError as error:
                out["errors"].append(str(error))
                return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    while time.time() < start:
        time.sleep(0.01)
    end = start + seconds
    kinds = (ListKind.ALL, ListKind.UNASSIGNED, ListKind.MINE)
    while True:
        pause = rng.expovariate(1 / think) if think else 0.0
        if time.time() + pause >= end:
            break
        time.sleep(pause)
        try:
            began = time.perf_counter()
            window = me.first_window(ListQuery(kind=rng.choice(kinds)), 50)
            out["reads"].append(time.perf_counter() - began)
            if not window.first:
                continue
            row = rng.choice(window.first)
            began = time.perf_counter()
            done = me.assign(
                row.id, me.me.id if row.assignee is None or row.assignee.id != me.me.id else None, row.version
            )
            out["assigns"].append(time.perf_counter() - began)
            out["actions"].append((me.company.id, time.time(), row.id, done.version))
        except Conflict:
            out["conflicts"] += 1
        except LeadtuiError as error:
            out["errors"].append(str(error))
    stop.set()
    listener.join(timeout=2)
    feed.close()
    me.close()


def load_process(
    server_url: str, tokens: list[str], seconds: float, think: float, start: float, results
) -> None:  # pragma: no cover
    out: dict = {"reads": [], "assigns": [], "actions": [], "events": [], "conflicts": 0, "errors": []}
    threads = [
        threading.Thread(target=colleague_loop, args=(server_url, token, seconds, think, start, out))
        for token in tokens
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(out)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")


def connections(db_url: str, name: str, stop: threading.Event, seen: list[int]) -> None:
    engine = create_engine(db_url.rsplit("/", 1)[0] + "/postgres")
    while not stop.is_set():
        with engine.connect() as conn:
            seen.append(
                int(
                    conn.execute(
                        text("SELECT count(*) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
                    ).scalar_one()
                )
            )
        stop.wait(0.5)
    engine.dispose()


def many_colleagues(
    server_url: str, db_url: str, tokens: list[str], seconds: float, think: float, processes: int
) -> dict:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    start = time.time() + 5 + len(tokens) * 0.01  # every colleague signed in and listening by then
    chunks = [tokens[n::processes] for n in range(processes)]
    workers = [
        context.Process(target=load_process, args=(server_url, chunk, seconds, think, start, results))
        for chunk in chunks
    ]
    began_utc = datetime.now(UTC).replace(tzinfo=None)
    for worker in workers:
        worker.start()
    stop, seen = threading.Event(), []
    watcher = threading.Thread(target=connections, args=(db_url, db_url.rsplit("/", 1)[1], stop, seen))
    watcher.start()
    outcomes = [results.get(timeout=seconds + 600) for _ in workers]
    for worker in workers:
        worker.join()
    stop.set()
    watcher.join()
    reads = [t for o in outcomes for t in o["reads"]]
    assigns = [t for o in outcomes for t in o["assigns"]]
    actions = [a for o in outcomes for a in o["actions"]]
    events = sorted(e for o in outcomes for e in o["events"])
    by_company: dict[int, list[float]] = {}
    for company, at in events:
        by_company.setdefault(company, []).append(at)
    delivery = []  # per action: when the first event reached its company's other colleagues
    for company, at, _, _ in actions:
        later = [t for t in by_company.get(company, []) if t >= at - 0.05]
        if later:
            delivery.append(max(min(later) - at, 0.0))
    engine = create_engine(db_url)
    with engine.connect() as conn:
        written = conn.execute(
            text("SELECT count(*) FROM assignment_history WHERE at >= :t AND reason = 'manual'"), {"t": began_utc}
        ).scalar_one()
    engine.dispose()
    errors = [e for o in outcomes for e in o["errors"]]
    return {
        "colleagues": len(tokens),
        "seconds": seconds,
        "think_s": think,
        "actions": len(actions),
        "actions_per_s": len(actions) / seconds,
        "assign_p50_ms": percentile(assigns, 0.5) * 1000,
        "assign_p99_ms": percentile(assigns, 0.99) * 1000,
        "list_read_p50_ms": percentile(reads, 0.5) * 1000,
        "list_read_p99_ms": percentile(reads, 0.99) * 1000,
        "event_delivery_p50_ms": percentile(delivery, 0.5) * 1000,
        "event_delivery_p99_ms": percentile(delivery, 0.99) * 1000,
        "conflicts": sum(o["conflicts"] for o in outcomes),
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:3],
        "confirmed_assignments": len(actions),
        "assignments_in_history": int(written),
        "lost_updates": max(len(actions) - int(written), 0),
        "db_connections_max": max(seen) if seen else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--colleagues", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, default=10.0)
    parser.add_argument("--flat-out", type=int, default=40, help="colleagues acting without pause")
    parser.add_argument("--delay-ms", type=float, default=25.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--processes", type=int, default=10, help="client processes for the simulated colleagues")
    args = parser.parse_args()

    url = postgres_database(args.leads)
    if url is None:
        raise SystemExit("PostgreSQL is needed")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    warm(url)
    emails = colleagues_for_load(url, args.colleagues)
    port, proxy_port = free_port(), free_port()
    env = dict(os.environ, LEADTUI_DATA_DIR=str(HERE / ".cache" / "server-data"))
    serve = subprocess.Popen(
        [sys.executable, "-m", "leadtui", "serve", "--db", url, "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    proxy = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "delay_proxy.py"),
            "--listen",
            str(proxy_port),
            "--to",
            f"127.0.0.1:{port}",
            "--delay-ms",
            str(args.delay_ms),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    results: dict = {"leads": args.leads, "workers": args.workers, "round_trip_ms": 2 * args.delay_ms}
    try:
        wait_for_port(port, serve, "leadtui serve")
        wait_for_port(proxy_port, proxy, "the delay proxy")
        direct, through = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{proxy_port}"
        print("signing in", flush=True)
        tokens = tokens_for(url, direct, [ANNA, JONAS, *emails])
        print("the app through the proxy", flush=True)
        results["app"] = measure_app(through, tokens[ANNA], url)
        print("live visibility through the proxy", flush=True)
        seen = live_visibility(through, tokens[ANNA], tokens[JONAS], rounds=10)
        results["live_ms"] = {"p50": percentile(seen, 0.5), "max": max(seen)}
        print(f"{args.colleagues} colleagues, one action per {args.think} s", flush=True)
        load_tokens = [tokens[e] for e in emails]
        results["paced"] = many_colleagues(direct, url, load_tokens, args.seconds, args.think, args.processes)
        print(f"{args.flat_out} colleagues flat out", flush=True)
        results["flat_out"] = many_colleagues(direct, url, load_tokens[: args.flat_out], args.seconds / 2, 0.0, 4)
    finally:
        for process in (proxy, serve):
            process.terminate()
            process.wait(timeout=20)
    # The README's figures are the default size's; other sizes keep files of their own.
    name = "server_results" if args.leads == 100_000 else f"server_results_{args.leads}"
    (HERE / f"{name}.json").write_text(json.dumps(results, indent=2))
    (HERE / f"{name}.md").write_text(table(results))
    print(table(results))


def table(r: dict) -> str:
    app, live = r["app"], r["live_ms"]
    assign = app["assign_me_in_list"]
    blocked = max(v["block_ms"] for v in app.values() if isinstance(v, dict))
    lines = [
        f"At {r['leads']:,} leads on PostgreSQL, `leadtui serve --workers {r['workers']}`,"
        f" {r['round_trip_ms']:.0f} ms round trip between app and server:",
        "",
        "| what | figure |",
        "| --- | --- |",
        f"| launch to first rows (`leadtui --server`) | {app['process_first_paint_ms']:.0f} ms |",
        f"| assignment: expected result painted after the key | {assign.get('painted_ms', float('nan')):.0f} ms |",
        f"| assignment: the server's answer painted (saved) | {assign.get('confirmed_ms', float('nan')):.0f} ms |",
        f"| assignment: the list read again after the answer | {assign['done_ms']:.0f} ms |",
        f"| a lead's detail painted | {app['open_detail_again']['done_ms']:.0f} ms |",
        f"| list switch (Nicht zugewiesen) | {app['list_unassigned']['done_ms']:.0f} ms |",
        f"| a colleague's change in the other app (median, max) | {live['p50']:.0f} ms, {live['max']:.0f} ms |",
        f"| longest UI-thread block of any key | {blocked:.0f} ms |",
        "",
        "| simulated colleagues | actions/s | assign p50 / p99 | list read p50 / p99 | event delivery p50 / p99"
        " | conflicts | errors | lost updates | DB connections (max) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, x in (("paced", r["paced"]), ("flat out", r["flat_out"])):
        lines.append(
            f"| {x['colleagues']} {name} | {x['actions_per_s']:.1f}"
            f" | {x['assign_p50_ms']:.0f} / {x['assign_p99_ms']:.0f} ms"
            f" | {x['list_read_p50_ms']:.0f} / {x['list_read_p99_ms']:.0f} ms"
            f" | {x['event_delivery_p50_ms']:.0f} / {x['event_delivery_p99_ms']:.0f} ms"
            f" | {x['conflicts']} | {x['errors']} | {x['lost_updates']} | {x['db_connections_max']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
