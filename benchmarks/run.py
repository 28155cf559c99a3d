"""The lead-list benchmark: leadtui against the stock DataTable and textual-fastdatatable.

    pip install -e '.[bench]'
    python benchmarks/run.py                       # 10k, 100k, 1M leads; PostgreSQL if reachable
    python benchmarks/run.py --sizes 10000 100000  # a quicker run

Databases are made once with `leadtui seed` and cached in benchmarks/cache/ (not in git). Every
measurement runs in a fresh process (benchmarks/measure.py), so peak RSS is its own. Writes
benchmarks/results.json (every figure, and the ratios) and benchmarks/results.md (the table for
the README). These are figures, not pass/fail tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from measure import preset_columns

HERE = Path(__file__).resolve().parent
CACHE = HERE / "cache"
PG_ADMIN = os.environ.get("LEADTUI_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
KEYS = (
    "cursor_down",
    "page_down",
    "last_row_G",
    "first_row_g",
    "list_unassigned",
    "list_mine",
    "search_keystroke",
    "toggle_kollege_column",
    "sort_by_next_column",
    "open_detail",
    "open_detail_again",
    "assign_in_detail",
    "return_to_list",
)


def seed(url: str, leads: int) -> None:
    print(f"  seeding {leads} leads into {url}", flush=True)
    began = time.perf_counter()
    leadtui = [sys.executable, "-m", "leadtui"]
    subprocess.run([*leadtui, "db", "upgrade", "--db", url, "--create"], check=True)
    subprocess.run([*leadtui, "seed", "--leads", str(leads), "--db", url], check=True)
    print(f"  seeded in {time.perf_counter() - began:.0f} s", flush=True)


def sqlite_database(leads: int) -> str:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"leads-{leads}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        seed(url, leads)
    return url


def postgres_database(leads: int) -> str | None:
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"leadtui_bench_{leads}"
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - no server: the PostgreSQL figures are simply left out
        print(f"  PostgreSQL not reachable ({type(error).__name__}); skipped", flush=True)
        return None
    finally:
        admin.dispose()
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            have = conn.execute(text("SELECT count(*) FROM leads")).scalar()
    except Exception:  # noqa: BLE001 - not migrated yet
        have = 0
    finally:
        engine.dispose()
    if have != leads:
        if have:
            raise SystemExit(f"{name} holds {have} leads, not {leads}: drop it to rebuild")
        seed(url, leads)
    return url


def database_files(url: str) -> list[Path]:
    """The files holding a benchmark database: the SQLite file, or the PostgreSQL database folder."""
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        return [p for p in (path, Path(f"{path}-wal")) if p.exists()]
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            root = conn.execute(text("SHOW data_directory")).scalar()
            oid = conn.execute(text("SELECT oid FROM pg_database WHERE datname = current_database()")).scalar()
    finally:
        engine.dispose()
    folder = Path(root) / "base" / str(oid)
    return sorted(folder.iterdir()) if folder.exists() else []


def warm(url: str) -> None:
    """Read the database's files once, so every subject starts with the OS cache in the same
    state: this VM reclaims idle page cache (DAMON), which otherwise turns some runs into disk
    benchmarks. The cold figures are in the README."""
    for path in database_files(url):
        with path.open("rb") as handle:
            while handle.read(1 << 24):
                pass


def evict(url: str) -> None:
    """Drop the database's files from the OS page cache: a start as after a reboot."""
    for path in database_files(url):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def measure(subject: str, url: str, cold: bool = False) -> dict:
    if subject == "leadtui":
        preset_columns(url)
    if cold:
        evict(url)
    else:
        warm(url)
    env = dict(os.environ, BENCH_LAUNCH=repr(time.time()))
    result = subprocess.run(
        [sys.executable, str(HERE / "measure.py"), subject, url], capture_output=True, text=True, env=env
    )
    if result.returncode != 0:
        raise SystemExit(f"{subject} on {url} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def table(results: dict) -> str:
    sizes = list(results["sqlite"])
    lines = [
        f"Measured {results['when']} on {results['machine']}; SQLite unless noted; ms unless noted.",
        "",
        "| figure | " + " | ".join(f"{int(n):,} leads".replace(",", ".") for n in sizes) + " |",
        "| --- |" + " ---: |" * len(sizes),
    ]

    def row(label: str, values: list) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    def fmt(value, digits=0) -> str:
        return "–" if value is None else f"{value:,.{digits}f}"

    lt = [results["sqlite"][n]["leadtui"] for n in sizes]
    dt = [results["sqlite"][n].get("datatable") for n in sizes]
    ft = [results["sqlite"][n].get("fastdatatable") for n in sizes]
    row(
        "leadtui: first frame of the table (placeholders), from App construction",
        [fmt(m.get("first_frame_ms")) for m in lt],
    )
    row("leadtui: first rows painted, from App construction", [fmt(m["first_paint_ms"]) for m in lt])
    row("leadtui: process launch to first paint", [fmt(m["process_first_paint_ms"]) for m in lt])
    cold = [results["sqlite"][n].get("leadtui_cold") for n in sizes]
    row("leadtui, files cold (evicted): first rows painted", [fmt(m and m["first_paint_ms"]) for m in cold])
    row("leadtui, files cold: process launch to first paint", [fmt(m and m["process_first_paint_ms"]) for m in cold])
    row("leadtui: peak RSS (MB)", [fmt(m["peak_rss_mb"]) for m in lt])
    row("DataTable (all rows): first paint", [fmt(m and m["first_paint_ms"]) for m in dt])
    row("DataTable: peak RSS (MB)", [fmt(m and m["peak_rss_mb"]) for m in dt])
    row("fastdatatable Arrow (all rows): first paint", [fmt(m and m["first_paint_ms"]) for m in ft])
    row("fastdatatable: peak RSS (MB)", [fmt(m and m["peak_rss_mb"]) for m in ft])
    ratios = [results["ratios"][n] for n in sizes]
    row("first paint: DataTable ÷ leadtui", [fmt(r.get("datatable_first_paint"), 1) + "×" for r in ratios])
    row("peak RSS: fastdatatable ÷ leadtui", [fmt(r.get("fastdatatable_rss"), 2) + "×" for r in ratios])
    for key in KEYS:
        row(
            f"key `{key}`: longest UI block / done",
            [f"{fmt(m[key]['block_ms'], 1)} / {fmt(m[key]['done_ms'])}" for m in lt],
        )
    pg = results.get("postgresql", {})
    if pg:
        lines += ["", "PostgreSQL 15 (same machine, superuser: no row-level security), leadtui:", ""]
        pg_sizes = list(pg)
        lines.append("| figure | " + " | ".join(f"{int(n):,} leads".replace(",", ".") for n in pg_sizes) + " |")
        lines.append("| --- |" + " ---: |" * len(pg_sizes))
        row("first rows painted, from App construction", [fmt(pg[n]["first_paint_ms"]) for n in pg_sizes])
        row("peak RSS (MB)", [fmt(pg[n]["peak_rss_mb"]) for n in pg_sizes])
        for key in KEYS:
            row(
                f"key `{key}`: longest UI block / done",
                [f"{fmt(pg[n][key]['block_ms'], 1)} / {fmt(pg[n][key]['done_ms'])}" for n in pg_sizes],
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    if sys.argv[1:] == ["--table"]:  # the table again, from the figures of the last run
        print(table(json.loads((HERE / "results.json").read_text())), end="")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--no-alternatives", action="store_true", help="measure leadtui only")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    results: dict = {
        "when": time.strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
        "sqlite": {},
        "postgresql": {},
        "ratios": {},
    }
    for leads in args.sizes:
        print(f"{leads} leads", flush=True)
        url = sqlite_database(leads)
        figures = {"leadtui": measure("leadtui", url), "leadtui_cold": measure("leadtui", url, cold=True)}
        if not args.no_alternatives:
            for subject in ("datatable", "fastdatatable"):
                print(f"  {subject}", flush=True)
                figures[subject] = measure(subject, url)
        results["sqlite"][leads] = figures
        ratios = {}
        lt = figures["leadtui"]
        if "datatable" in figures:
            ratios["datatable_first_paint"] = figures["datatable"]["first_paint_ms"] / lt["first_paint_ms"]
            ratios["datatable_rss"] = figures["datatable"]["peak_rss_mb"] / lt["peak_rss_mb"]
        if "fastdatatable" in figures:
            ratios["fastdatatable_first_paint"] = figures["fastdatatable"]["first_paint_ms"] / lt["first_paint_ms"]
            ratios["fastdatatable_rss"] = figures["fastdatatable"]["peak_rss_mb"] / lt["peak_rss_mb"]
        results["ratios"][leads] = ratios
        if not args.no_postgres:
            pg_url = postgres_database(leads)
            if pg_url:
                results["postgresql"][leads] = measure("leadtui", pg_url)
        print(json.dumps(figures["leadtui"])[:300], flush=True)
    (HERE / "results.json").write_text(json.dumps(results, indent=2))
    (HERE / "results.md").write_text(table(results))
    print(table(results))


if __name__ == "__main__":
    main()
