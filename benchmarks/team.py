"""The team-mode benchmark: leadtui on PostgreSQL at 1M leads, each colleague with their own login
(row-level security on), across a network and under 50 clients.

    pip install -e '.[bench]'
    python benchmarks/team.py                        # 1M leads, 50 clients, 25 ms each way
    python benchmarks/team.py --leads 100000 --clients 10 --seconds 10   # a quicker run

The network is a TCP delay proxy in this folder (benchmarks/delay_proxy.py: every byte 25 ms late
in each direction, so a round trip costs 50 ms more than on loopback); it needs no root, unlike
`tc netem`. Measured:
- the app over the proxy (benchmarks/measure.py): first rows painted after launch, and for each
  key the longest the UI thread was blocked and when the result was painted;
- live updates over the proxy: a colleague's assignment until the other app's list shows it;
- 50 client processes (repository level, each its own login, straight to the server) reading a
  list and assigning a lead, with a mean second between actions (a very busy salesperson), and
  again flat out (throughput): latency percentiles, conflicts, errors. In a team the server has
  a machine of its own; here it shares two cores with 50 client processes, so the clients run
  at a lower priority (nice 10) - and once more without, to show what that sharing costs.
Writes benchmarks/team_results.json and team_results.md (the table for the README).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import preset_columns  # noqa: E402
from run import PG_ADMIN, postgres_database, warm  # noqa: E402

PROXY_PORT = 6543
PREFIX = "leadtui_bench"
ANNA = "anna.becker@sonnenstrom.example"
JONAS = "jonas.weber@sonnenstrom.example"


def login_url(url: str, login: str, port: int | None = None) -> str:
    parsed = make_url(url).set(username=login, password=None)
    if port is not None:
        parsed = parsed.set(port=port)
    return parsed.render_as_string(hide_password=False)


def set_up_logins(url: str, clients: int) -> list[str]:
    """Logins for Anna, Jonas and `clients` colleagues spread over the companies (made once)."""
    from leadtui.admin import Admin
    from leadtui.db.engine import open_database
    from leadtui.domain import InvalidInput

    engine = open_database(url)
    admin = Admin(engine)
    companies = [c.name for c in admin.companies()]
    with engine.connect() as conn:
        known = set(conn.execute(text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"), {"p": f"{PREFIX}%"}))
    known_names = {name for (name,) in known}
    logins = []
    for who, email in (("anna", ANNA), ("jonas", JONAS)):
        if f"{PREFIX}_{who}" not in known_names:
            admin.grant_login(email, f"{PREFIX}_{who}")
    for i in range(clients):
        login = f"{PREFIX}_{i:02d}"
        email = f"bench{i:02d}@bench.example"
        if login not in known_names:
            with contextlib.suppress(InvalidInput):  # added by an earlier run that stopped before its login
                admin.add_colleague(companies[i % len(companies)], f"Bench Kollege {i:02d}", email)
            admin.grant_login(email, login)
        logins.append(login)
    engine.dispose()
    return logins


def start_proxy(delay_ms: float) -> subprocess.Popen[str]:
    proxy = subprocess.Popen(
        [sys.executable, str(HERE / "delay_proxy.py"), "--listen", str(PROXY_PORT), "--delay-ms", str(delay_ms)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proxy.stdout is not None
    proxy.stdout.readline()  # it listens
    return proxy


def measure_app(url: str) -> dict:
    preset_columns(url, login=True)
    env = dict(os.environ, BENCH_LAUNCH=repr(time.time()), BENCH_LOGIN="1")
    result = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), "leadtui", url], capture_output=True, text=True, env=env
    )
    if result.returncode != 0:
        raise SystemExit(f"the app over the proxy failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


async def live_visibility(observer_url: str, writer_url: str, rounds: int) -> list[float]:
    """Jonas's app shows the list; Anna assigns its first lead; how long until Jonas sees it."""
    from leadtui.db.engine import open_database
    from leadtui.repository import Repository
    from leadtui.ui.app import LeadtuiApp
    from leadtui.ui.screens.leads import LeadsScreen

    anna = Repository.for_login(open_database(writer_url))
    colleagues = [c for c in anna.colleagues() if c.active]
    app = LeadtuiApp(Repository.for_login(open_database(observer_url)))
    seen: list[float] = []
    async with app.run_test(size=(120, 36)):
        while not isinstance(app.screen, LeadsScreen) or app.screen.table.cache.row(0) is None:
            await asyncio.sleep(0.01)
        table = app.screen.table
        for n in range(rounds):
            await asyncio.sleep(1.5)  # let the previous round's refresh settle
            row = table.cache.row(0)
            assert row is not None
            lead_id = row.id
            current = anna.assignment(lead_id)
            choices = [c for c in colleagues if not current.assignee or c.id != current.assignee.id]
            target = choices[n % len(choices)]
            await asyncio.to_thread(anna.assign, lead_id, target.id, current.version)
            committed = time.perf_counter()
            while True:
                shown = next(
                    (r for i in range(min(table.count, 50)) if (r := table.cache.row(i)) and r.id == lead_id),
                    None,
                )
                if shown is not None and shown.assignee is not None and shown.assignee.id == target.id:
                    break
                if time.perf_counter() - committed > 10:
                    raise SystemExit("the assignment did not show within 10 s")
                await asyncio.sleep(0.005)
            seen.append((time.perf_counter() - committed) * 1000)
    return seen


def client(url: str, seconds: float, think: float, nice: bool, barrier, results) -> None:  # pragma: no cover
    """One simulated colleague, as a salesperson works: open a list (its counts and first rows),
    then assign one of the company's leads, then think (a random pause averaging `think`
    seconds; 0: flat out, which measures throughput rather than what a user meets). The leads to assign are a random
    sample of the company's, taken before the clock starts; a lead another client changed
    meanwhile gives a conflict (counted), as it would in the app."""
    from leadtui.db.engine import open_database
    from leadtui.domain import Conflict, ListKind, ListQuery
    from leadtui.repository import Repository

    if nice:  # the server has its own machine in a team; here it shares two cores with 50 clients
        os.nice(10)
    repository = Repository.for_login(open_database(url))
    colleagues = [c.id for c in repository.colleagues() if c.active]
    total = repository.counts()[ListKind.ALL]
    rng = random.Random(os.getpid())
    sample = {}
    for _ in range(20):
        for row in repository.rows(ListQuery(), rng.randrange(total), 25, total):
            sample[row.id] = (row.version, row.assignee.id if row.assignee else None)
    lists = [ListQuery(kind=k) for k in (ListKind.ALL, ListKind.MINE, ListKind.UNASSIGNED)]
    assigns: list[float] = []
    reads: list[float] = []
    conflicts = errors = 0
    error_text = ""
    barrier.wait()
    end = time.perf_counter() + seconds
    if think:  # people do not all press a key at the same moment
        time.sleep(rng.uniform(0, 2 * think))
    while time.perf_counter() < end:
        try:
            began = time.perf_counter()
            repository.counts()
            repository.rows(rng.choice(lists), 0, 50)
            reads.append(time.perf_counter() - began)
            lead_id = rng.choice(list(sample))
            version, assignee = sample[lead_id]
            target = rng.choice([c for c in colleagues if c != assignee])
            began = time.perf_counter()
            try:
                done = repository.assign(lead_id, target, version)
            except Conflict as conflict:
                conflicts += 1
                done = conflict.current
            assigns.append(time.perf_counter() - began)
            sample[lead_id] = (done.version, done.assignee.id if done.assignee else None)
            if think:
                time.sleep(rng.uniform(0, 2 * think))
        except Exception as error:  # noqa: BLE001 - counted and reported: the goal is zero
            errors += 1
            error_text = f"{type(error).__name__}: {error}"
    results.put({"assigns": assigns, "reads": reads, "conflicts": conflicts, "errors": errors, "error": error_text})


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


def many_clients(url: str, logins: list[str], seconds: float, think: float, nice: bool = True) -> dict:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(logins))
    results = context.Queue()
    processes = [
        context.Process(target=client, args=(login_url(url, login), seconds, think, nice, barrier, results))
        for login in logins
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=seconds + 300) for _ in processes]
    for process in processes:
        process.join()
    assigns = [t for o in outcomes for t in o["assigns"]]
    reads = [t for o in outcomes for t in o["reads"]]
    return {
        "clients": len(logins),
        "seconds": seconds,
        "think_s": think,
        "clients_niced": nice,
        "assigns": len(assigns),
        "assigns_per_s": len(assigns) / seconds,
        "assign_p50_ms": percentile(assigns, 0.50),
        "assign_p99_ms": percentile(assigns, 0.99),
        "assign_max_ms": max(assigns) * 1000,
        "list_read_p50_ms": percentile(reads, 0.50),
        "list_read_p99_ms": percentile(reads, 0.99),
        "conflicts": sum(o["conflicts"] for o in outcomes),
        "errors": sum(o["errors"] for o in outcomes),
        "error_examples": sorted({o["error"] for o in outcomes if o["error"]})[:3],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--delay-ms", type=float, default=25)
    parser.add_argument("--rounds", type=int, default=10, help="live-update rounds")
    parser.add_argument("--think", type=float, default=1.0, help="a client's mean pause between actions (s)")
    args = parser.parse_args()
    url = postgres_database(args.leads)
    if url is None:
        raise SystemExit("PostgreSQL is not reachable")
    print("logins", flush=True)
    logins = set_up_logins(url, args.clients)
    warm(url)
    results: dict = {
        "when": time.strftime("%Y-%m-%d"),
        "leads": args.leads,
        "delay_ms_each_way": args.delay_ms,
        "server": PG_ADMIN.rsplit("@", 1)[-1].split("/")[0],
    }
    proxy = start_proxy(args.delay_ms)
    try:
        print("the app over the proxy", flush=True)
        results["app_over_proxy"] = measure_app(login_url(url, f"{PREFIX}_anna", PROXY_PORT))
        results["app_direct"] = measure_app(login_url(url, f"{PREFIX}_anna"))
        print("live updates over the proxy", flush=True)
        seen = asyncio.run(
            live_visibility(
                login_url(url, f"{PREFIX}_jonas", PROXY_PORT), login_url(url, f"{PREFIX}_anna", PROXY_PORT), args.rounds
            )
        )
        results["live_ms"] = {"median": statistics.median(seen), "max": max(seen), "rounds": seen}
    finally:
        proxy.terminate()
        proxy.wait()
    runs = (("clients_working", args.think, True), ("clients_working_not_niced", args.think, False))
    for name, think, nice in (*runs, ("clients_flat_out", 0.0, True)):
        print(f"{args.clients} clients for {args.seconds:.0f} s, thinking {think} s, niced: {nice}", flush=True)
        results[name] = many_clients(url, logins, args.seconds, think, nice)
    (HERE / "team_results.json").write_text(json.dumps(results, indent=2))
    (HERE / "team_results.md").write_text(table(results))
    print(table(results))


def table(results: dict) -> str:
    """The README's team table."""
    proxy, direct = results["app_over_proxy"], results["app_direct"]
    lines = [
        f"Measured {results['when']}, PostgreSQL 15 on the same 2-core machine, {results['leads']:,} leads,"
        f" every client its own login (row-level security on); over the proxy: {results['delay_ms_each_way']:.0f} ms"
        " each way; ms unless noted.",
        "",
        "| figure | over the proxy | direct |",
        "| --- | ---: | ---: |",
        f"| first rows painted, from App construction | {proxy['first_paint_ms']:,.0f}"
        f" | {direct['first_paint_ms']:,.0f} |",
        f"| first rows painted, from process launch | {proxy['process_first_paint_ms']:,.0f}"
        f" | {direct['process_first_paint_ms']:,.0f} |",
    ]
    for key, figures in proxy.items():
        if isinstance(figures, dict):
            lines.append(
                f"| key `{key}`: longest UI block / done | {figures['block_ms']:.1f} / {figures['done_ms']:,.0f}"
                f" | {direct[key]['block_ms']:.1f} / {direct[key]['done_ms']:,.0f} |"
            )
    live = results["live_ms"]
    lines += [
        f"| a colleague's assignment shown in the other app (median / max of {len(live['rounds'])}) |"
        f" {live['median']:,.0f} / {live['max']:,.0f} | |",
        "",
        "| 50 clients | assigns/s | assign p50 / p99 / max | list read p50 / p99 | conflicts | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, label in (
        ("clients_working", "working (a mean 1 s between actions), clients niced"),
        ("clients_working_not_niced", "working, clients not niced"),
        ("clients_flat_out", "flat out (no pause), clients niced"),
    ):
        c = results[name]
        lines.append(
            f"| {label} | {c['assigns_per_s']:.0f} | {c['assign_p50_ms']:.0f} / {c['assign_p99_ms']:.0f} /"
            f" {c['assign_max_ms']:.0f} | {c['list_read_p50_ms']:.0f} / {c['list_read_p99_ms']:.0f} |"
            f" {c['conflicts']} | {c['errors']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
