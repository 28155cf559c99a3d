"""The import benchmark: 100,000 rows from CSV and from xlsx into a company that already holds
most of 1,000,000 leads (the duplicate check reads every one of them), on SQLite and through
`leadtui serve` on PostgreSQL.

    pip install -e '.[bench]'
    python benchmarks/imports.py                   # the README's figures
    python benchmarks/imports.py --rows 20000

The files are made once (benchmarks/cache/import-<rows>.csv as German Excel writes it -
Windows-1252, semicolons, "1.234,50 €" - and the same rows as .xlsx); one row in 50 repeats
the e-mail of a lead the company holds. Each measurement runs in a fresh process, so its peak
RSS is its own: read the file, the preview (nothing written), the import (one batch), then the
undo, which leaves the database as it was. Writes benchmarks/import_results.json and .md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import CACHE, postgres_database, sqlite_database, warm  # noqa: E402
from server import free_port, wait_for_port  # noqa: E402

USER = "anna.becker@sonnenstrom.example"
PASSWORD = "Import-Benchmark-2026"
HEADER = ["Betreff", "Unternehmen", "Kontakt", "E-Mail", "Telefon", "PLZ", "Stadt", "Auftragswert", "Status"]
CITIES = ["Augsburg", "München", "Köln", "Ulm", "Stuttgart", "Esslingen", "Würzburg", "Lübeck"]


def held_emails(url: str, count: int) -> list[str]:
    from sqlalchemy import text

    from leadtui.db.engine import open_database

    engine = open_database(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT l.email FROM leads l JOIN company_leads c ON c.lead_id = l.id JOIN colleagues k "
                "ON k.company_id = c.company_id WHERE k.email = :user AND l.email <> '' ORDER BY l.id LIMIT :n"
            ),
            {"user": USER, "n": count},
        ).scalars()
        emails = list(rows)
    engine.dispose()
    return emails


def files(rows: int, url: str) -> tuple[Path, Path]:
    """The CSV and xlsx of `rows` rows (made once)."""
    CACHE.mkdir(exist_ok=True)
    csv_path, xlsx_path = CACHE / f"import-{rows}.csv", CACHE / f"import-{rows}.xlsx"
    if csv_path.exists() and xlsx_path.exists():
        return csv_path, xlsx_path
    import xlsxwriter

    rng = random.Random(20)
    known = held_emails(url, rows // 50 + 1)
    table = []
    for i in range(rows):
        email = known[i // 50] if i % 50 == 0 and i // 50 < len(known) else f"kunde{i}@import.example"
        euros = rng.randrange(500, 400_000)
        table.append(
            [
                f"Wärmepumpe Import {i}",
                f"Müller & Söhne {i} GmbH",
                f"Jürgen Weiß {i}",
                email,
                f"0{rng.randrange(30, 999)} {rng.randrange(10000, 9999999)}",
                f"{rng.randrange(10000, 99999)}",
                CITIES[i % len(CITIES)],
                f"{euros:,}".replace(",", ".") + f",{rng.randrange(100):02d} €",
                "neu" if i % 3 else "in Bearbeitung",
            ]
        )
    lines = [";".join(HEADER), *(";".join(row) for row in table)]
    csv_path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    book = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True})
    sheet = book.add_worksheet("Leads")
    sheet.write_row(0, 0, HEADER)
    for n, row in enumerate(table, start=1):
        sheet.write_row(n, 0, row)
    book.close()
    return csv_path, xlsx_path


def one(url: str, path: str, server: str | None, token: str | None) -> dict:
    """In this process: read, preview, import and undo `path`; the figures as JSON."""
    from leadtui.domain.imports import ImportOptions
    from leadtui.sheets import column_map, mapped, read

    if server:
        from leadtui.remote.repository import connect
        from leadtui.remote.server import Server

        repository = connect(Server.at(server), token or "")
    else:
        from leadtui.db.engine import open_database
        from leadtui.repository import Repository

        repository = Repository.for_email(open_database(url), USER)
    figures: dict = {}
    began = time.perf_counter()
    table = read(Path(path))
    file = mapped(table, column_map(table))
    figures["read_s"] = time.perf_counter() - began
    began = time.perf_counter()
    preview = repository.import_leads(file, ImportOptions())
    figures["preview_s"] = time.perf_counter() - began
    began = time.perf_counter()
    outcome = repository.import_leads(file, ImportOptions(), dry_run=False)
    figures["import_s"] = time.perf_counter() - began
    assert outcome.batch_id is not None and outcome.new == preview.new
    began = time.perf_counter()
    undone = repository.undo_import(outcome.batch_id)
    figures["undo_s"] = time.perf_counter() - began
    figures.update(
        rows=outcome.rows,
        new=outcome.new,
        duplicates=outcome.duplicates,
        removed=undone.removed,
        total_s=figures["read_s"] + figures["preview_s"] + figures["import_s"],
        peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    return figures


def measured(url: str, path: Path, server: str | None = None, token: str | None = None) -> dict:
    argv = [sys.executable, __file__, "--one", url, str(path), server or "", token or ""]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_of(pid: int) -> float:
    """A process's peak RSS in MB (VmHWM), read before it ends."""
    for status_line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if status_line.startswith("VmHWM:"):
            return int(status_line.split()[1]) / 1024
    return 0.0


def through_server(url: str, paths: list[Path]) -> dict:
    from leadtui.db.engine import open_database
    from leadtui.remote.server import Server
    from leadtui.remote.sign_in import redeem
    from leadtui.repository import Repository

    engine = open_database(url)
    anna = Repository.for_email(engine, USER)
    email = f"import.{int(time.time())}@sonnenstrom.example"
    code = anna.invite("Import Benchmark", email).code
    engine.dispose()
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        serve = subprocess.Popen(
            [sys.executable, "-m", "leadtui", "serve", "--db", url, "--port", str(port)],
            env=dict(os.environ, LEADTUI_DATA_DIR=data),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            wait_for_port(port, serve, "leadtui serve")
            server = f"http://127.0.0.1:{port}"
            token = redeem(Server.at(server), code, PASSWORD).token
            results = {}
            for path in paths:
                print(f"  server, {path.suffix[1:]}", flush=True)
                figures = measured(url, path, server, token)
                figures["server_peak_rss_mb"] = peak_of(serve.pid)
                results[f"PostgreSQL through the server, {path.suffix[1:]}"] = figures
            return results
        finally:
            serve.terminate()
            serve.wait(10)


def table(rows: int, leads: int, results: dict) -> str:
    lines = [
        f"Import of {rows:,} rows (1 in 50 a duplicate) into the demo user's company holding most of "
        f"{leads:,} leads, 2 cores:",
        "",
        "| database, file | read | preview | import | undo | read + preview + import | rows/s | peak RSS |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results.items():
        peak = f"{r['peak_rss_mb']:.0f} MB"
        if "server_peak_rss_mb" in r:
            peak += f" (server {r['server_peak_rss_mb']:.0f} MB)"
        lines.append(
            f"| {name} | {r['read_s']:.1f} s | {r['preview_s']:.1f} s | {r['import_s']:.1f} s | {r['undo_s']:.1f} s"
            f" | {r['total_s']:.1f} s | {r['rows'] / r['total_s']:,.0f} | {peak} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--one", nargs=4, metavar=("URL", "FILE", "SERVER", "TOKEN"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], args.one[1], args.one[2] or None, args.one[3] or None)))
        return
    sqlite = sqlite_database(args.leads)
    paths = files(args.rows, sqlite)
    results = {}
    warm(sqlite)
    for path in paths:
        print(f"  SQLite, {path.suffix[1:]}", flush=True)
        results[f"SQLite, {path.suffix[1:]}"] = measured(sqlite, path)
    postgres = postgres_database(args.leads)
    if postgres is not None:
        warm(postgres)
        results.update(through_server(postgres, list(paths)))
    (HERE / "import_results.json").write_text(
        json.dumps({"rows": args.rows, "leads": args.leads, "results": results}, indent=2)
    )
    (HERE / "import_results.md").write_text(table(args.rows, args.leads, results))
    print(table(args.rows, args.leads, results))


if __name__ == "__main__":
    main()
