"""The export benchmark: a whole list written to CSV and xlsx, on SQLite and PostgreSQL.

    pip install -e '.[bench]'
    python benchmarks/export.py                    # 1,000,000 leads, the README's figures
    python benchmarks/export.py --leads 100000

The seeded databases of benchmarks/run.py; the demo user's "Alle Leads" in the default columns
(her company's share of the leads), each export in a fresh process so that its peak RSS is its
own. Writes benchmarks/export_results.json and export_results.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import postgres_database, sqlite_database, warm  # noqa: E402

USER = "anna.becker@sonnenstrom.example"


def one(url: str, target: str) -> dict:
    """In this process: export the list to `target`; the figures as JSON."""
    from leadtui.db.engine import open_database
    from leadtui.domain import ListQuery
    from leadtui.domain.columns import DEFAULT_VISIBLE, list_columns
    from leadtui.exports import export, format_of
    from leadtui.repository import Repository

    repository = Repository.for_email(open_database(url), USER)
    query = ListQuery()
    path = Path(target)
    began = time.perf_counter()
    rows = export(repository, query, list_columns(query.kind, DEFAULT_VISIBLE), path, format_of(path, None))
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds, "peak_rss_mb": peak}


def measured(url: str, fmt: str) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        target = f"{folder}/leads.{fmt}"
        done = subprocess.run(
            [sys.executable, __file__, "--one", url, target], capture_output=True, text=True, check=True
        )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        figures["file_mb"] = Path(target).stat().st_size / 1024 / 1024
        return figures


def table(leads: int, results: dict) -> str:
    lines = [
        f'Export of the demo user\'s "Alle Leads" at {leads:,} leads (default columns), 2 cores:',
        "",
        "| database, format | rows | seconds | rows/s | peak RSS | file |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['rows']:,} | {r['seconds']:.1f} | {r['rows_per_s']:,.0f} | {r['peak_rss_mb']:.0f} MB"
            f" | {r['file_mb']:.0f} MB |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--one", nargs=2, metavar=("URL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(*args.one)))
        return
    databases = {"SQLite": sqlite_database(args.leads), "PostgreSQL": postgres_database(args.leads)}
    results = {}
    for name, url in databases.items():
        if url is None:
            continue
        warm(url)
        for fmt in ("csv", "xlsx"):
            print(f"{name} {fmt}", flush=True)
            results[f"{name}, {fmt}"] = measured(url, fmt)
    (HERE / "export_results.json").write_text(json.dumps({"leads": args.leads, "results": results}, indent=2))
    (HERE / "export_results.md").write_text(table(args.leads, results))
    print(table(args.leads, results))


if __name__ == "__main__":
    main()
