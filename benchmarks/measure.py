"""One measurement in a fresh process (so peak RSS is this subject's alone); prints JSON.

    python benchmarks/measure.py leadtui|datatable|fastdatatable URL

Time to first paint is from App construction to the first line the list widget renders; the
process figure is from the parent's launch timestamp (BENCH_LAUNCH) to that same moment.
Per key: `cpu_ms` is the CPU time the key costs the UI thread (handler, queries on SQLite,
rendering), less an unbound key's cost - what decides whether the app keeps up with typing;
`handler_ms` is the wall time of the key's action (includes waiting for a database server).
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time

LAUNCH = float(os.environ.get("BENCH_LAUNCH", time.time()))
SIZE = (120, 36)
USER = "anna.becker@sonnenstrom.example"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class FirstPaint:
    """Wraps a widget class's render_line to note when it first draws."""

    def __init__(self, cls) -> None:
        self.at: float | None = None
        self.wall: float | None = None
        original = cls.render_line

        def render_line(widget, y):
            if self.at is None:
                self.at, self.wall = time.perf_counter(), time.time()
            return original(widget, y)

        cls.render_line = render_line


async def measure_leadtui(url: str) -> dict:
    from leadtui.db.engine import open_database
    from leadtui.repository import Repository
    from leadtui.ui.app import LeadtuiApp
    from leadtui.ui.screens.modals import ColumnChooser
    from leadtui.ui.widgets.lead_table import LeadTable

    paint = FirstPaint(LeadTable)
    engine = open_database(url)
    start = time.perf_counter()
    repository = Repository.for_email(engine, USER)
    repository.save_setting("lead_list.columns", "title,prospect,city,status,value,created")
    app = LeadtuiApp(repository)
    handler_wall = [0.0]
    run_action = app.run_action

    async def timed_run_action(*args, **kwargs):
        began = time.perf_counter()
        try:
            return await run_action(*args, **kwargs)
        finally:
            handler_wall[0] += time.perf_counter() - began

    app.run_action = timed_run_action
    figures: dict = {}
    async with app.run_test(size=SIZE) as pilot:
        while paint.at is None:
            await asyncio.sleep(0.001)
        figures["first_paint_ms"] = (paint.at - start) * 1000
        figures["process_first_paint_ms"] = (paint.wall - LAUNCH) * 1000
        figures["rows"] = app.screen.query_one(LeadTable).count
        await pilot.pause()

        async def key(*keys: str) -> dict:
            handler_wall[0] = 0.0
            cpu = time.thread_time()
            await pilot.press(*keys)
            await pilot.pause()
            return {"cpu_ms": (time.thread_time() - cpu) * 1000, "handler_ms": handler_wall[0] * 1000}

        baseline = min([(await key("f12"))["cpu_ms"] for _ in range(5)])

        async def measured(name: str, *keys: str, repeat: int = 3) -> None:
            runs = [await key(*keys) for _ in range(repeat)]
            best = min(runs, key=lambda r: r["cpu_ms"])
            figures[name] = {"cpu_ms": max(best["cpu_ms"] - baseline, 0.0), "handler_ms": best["handler_ms"]}

        await measured("cursor_down", "j")
        await measured("page_down", "pagedown")
        await measured("last_row_G", "G", repeat=1)
        await measured("first_row_g", "g", repeat=1)
        await measured("list_unassigned", "3", repeat=1)
        await measured("list_mine", "2", repeat=1)
        await key("1", "slash", *"münche")
        await measured("search_keystroke", "n", repeat=1)
        # The search itself runs in a worker thread: time what it does, the same calls - the first
        # matches (shown at once), then the exact count (shown when it arrives).
        from leadtui.domain import ListQuery

        await app.workers.wait_for_complete()
        query = ListQuery(search="münchen")
        began = time.perf_counter()
        repository.rows(query, 0, 100)
        first = time.perf_counter()
        repository.count(query)
        figures["search_results"] = {"cpu_ms": None, "handler_ms": (first - began) * 1000}
        figures["search_count"] = {"cpu_ms": None, "handler_ms": (time.perf_counter() - first) * 1000}
        await app.workers.wait_for_complete()
        await key("enter", "escape")
        await key("c", *["down"] * 6, "space")
        assert isinstance(app.screen, ColumnChooser)
        await measured("toggle_kollege_column", "enter", repeat=1)
        handler_wall[0] = 0.0
        cpu = time.thread_time()
        app.screen.action_cycle_sort()  # to the first column, then click Kollege's header
        from leadtui.domain import SortKey

        began = time.perf_counter()
        app.screen._sort(SortKey.COLLEAGUE, descending=False)
        handler = time.perf_counter() - began
        await pilot.pause()
        cpu_ms = (time.thread_time() - cpu) * 1000 - baseline
        figures["sort_by_kollege"] = {"cpu_ms": cpu_ms, "handler_ms": handler * 1000}
        await key("g")
        await measured("open_detail", "enter", repeat=1)
        await key("escape", "j")
        await measured("open_detail_again", "enter", repeat=1)
        await key("k", *"jon")
        await measured("assign_in_detail", "enter", repeat=1)
        await measured("return_to_list", "escape", repeat=1)
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


def query_rows(url: str) -> list[tuple]:
    """Every row of "Alle Leads" as the alternatives would load them: one query, all rows."""
    from leadtui.db.engine import open_database
    from leadtui.domain import ListQuery
    from leadtui.repository import Repository

    repository = Repository.for_email(open_database(url), USER)
    query = ListQuery()
    total = repository.count(query)
    rows = []
    for offset in range(0, total, 50_000):
        for r in repository.rows(query, offset, 50_000):
            rows.append((r.title, r.prospect, r.city, r.status.value, r.value, r.created_at.strftime("%d.%m.%Y")))
    return rows


async def measure_alternative(url: str, kind: str) -> dict:
    from textual.app import App

    start = time.perf_counter()
    rows = query_rows(url)
    headers = ("Titel", "Firma", "Ort", "Status", "Wert", "Angelegt")
    if kind == "datatable":
        from textual.widgets import DataTable

        paint = FirstPaint(DataTable)

        class Stock(App):
            def compose(self):
                yield DataTable()

            def on_mount(self):
                table = self.query_one(DataTable)
                table.add_columns(*headers)
                table.add_rows(rows)
    else:
        import pyarrow as pa
        from textual_fastdatatable import ArrowBackend
        from textual_fastdatatable import DataTable as FastTable

        paint = FirstPaint(FastTable)
        arrow = pa.table({h: [r[i] for r in rows] for i, h in enumerate(headers)})

        class Stock(App):
            def compose(self):
                yield FastTable(backend=ArrowBackend(arrow))

    app = Stock()
    async with app.run_test(size=SIZE) as pilot:
        while paint.at is None:
            await asyncio.sleep(0.001)
        figures = {
            "first_paint_ms": (paint.at - start) * 1000,
            "process_first_paint_ms": (paint.wall - LAUNCH) * 1000,
            "rows": len(rows),
        }
        await pilot.pause()
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


def main() -> None:
    subject, url = sys.argv[1], sys.argv[2]
    if subject == "leadtui":
        figures = asyncio.run(measure_leadtui(url))
    else:
        figures = asyncio.run(measure_alternative(url, subject))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
