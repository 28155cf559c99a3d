"""One measurement in a fresh process (so peak RSS is this subject's alone); prints JSON.

    python benchmarks/measure.py leadtui|datatable|fastdatatable URL

Time to first paint is from App construction to the first line the list widget renders with a
lead in it (leadtui paints placeholders before its rows arrive; those do not count); the process
figure is from the parent's launch timestamp (BENCH_LAUNCH) to that same moment.

leadtui runs every database call in a worker thread, so a key is measured three ways:
`block_ms`, the longest the UI thread was busy in one go (one event-loop callback) from the key
until its result is painted - what decides whether typing and painting stay fluid (goal: 16 ms);
`done_ms`, from the key until its result is painted (includes the database, in the workers; less
what the test harness adds to any key);
`ui_cpu_ms`, the CPU the UI thread spent meanwhile. BENCH_SERVER=URL and BENCH_TOKEN=… make it
work through a leadtui server as that token's colleague (URL is then ignored); a write's
`painted_ms` is from the key until the list paints its expected result (before the server
answers), `confirmed_ms` until the server's answer marks it saved (no longer waiting), `done_ms`
until the list has been read again after the answer.
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
    """Wraps a widget class's render_line to note when it first draws a row of data."""

    def __init__(self, cls, loaded=lambda widget, y: True) -> None:
        self.at: float | None = None
        self.wall: float | None = None
        original = cls.render_line

        def render_line(widget, y):
            if self.at is None and loaded(widget, y):
                self.at, self.wall = time.perf_counter(), time.time()
            return original(widget, y)

        cls.render_line = render_line


class LongestCallback:
    """The longest single event-loop callback since `reset`: how long the UI thread was blocked."""

    def __init__(self) -> None:
        self.longest = 0.0
        handle_run = asyncio.events.Handle._run
        meter = self

        def _run(handle):
            began = time.perf_counter()
            try:
                return handle_run(handle)
            finally:
                meter.longest = max(meter.longest, time.perf_counter() - began)

        asyncio.events.Handle._run = _run

    def reset(self) -> None:
        self.longest = 0.0


async def settle(app, pilot) -> None:
    """Wait until every database call the keys started has answered and its result is painted."""
    from textual.worker import WorkerState

    while True:
        await pilot.pause()
        if not any(w.group != "changes" and w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers):
            break
        await asyncio.sleep(0.002)
    await pilot.pause()


async def measure_leadtui(url: str) -> dict:
    from leadtui.ui.app import LeadtuiApp
    from leadtui.ui.screens.dialogs import ColumnChooser
    from leadtui.ui.screens.leads import LeadsScreen
    from leadtui.ui.widgets.lead_table import LeadTable

    def row_loaded(table, y) -> bool:
        index = round(table.scroll_offset.y) + y
        return 0 <= index < table.count and table.cache.row(index) is not None

    frame = FirstPaint(LeadTable)  # the table's first line of any kind: placeholders count
    paint = FirstPaint(LeadTable, row_loaded)
    blocked = LongestCallback()
    expected_at: list[float] = []
    expect = LeadTable.expect

    def noted_expect(table, rows):
        expected_at.append(time.perf_counter())
        return expect(table, rows)

    confirmed_at: list[float] = []
    settle_rows = LeadTable.settle

    def noted_settle(table, keys, confirmed):
        if confirmed:
            confirmed_at.append(time.perf_counter())
        return settle_rows(table, keys, confirmed)

    LeadTable.expect = noted_expect
    LeadTable.settle = noted_settle
    start = time.perf_counter()
    if os.environ.get("BENCH_SERVER"):
        from leadtui.remote.repository import connect
        from leadtui.remote.server import Server

        repository = connect(Server.at(os.environ["BENCH_SERVER"]), os.environ["BENCH_TOKEN"])
    else:  # the database layer only here: `leadtui --server` starts without it
        from leadtui.db.engine import open_database
        from leadtui.repository import Repository

        repository = Repository.for_email(open_database(url), USER)
    app = LeadtuiApp(repository)
    figures: dict = {}
    async with app.run_test(size=SIZE) as pilot:
        while paint.at is None:
            await asyncio.sleep(0.001)
        figures["first_paint_ms"] = (paint.at - start) * 1000
        figures["first_frame_ms"] = (frame.at - start) * 1000 if frame.at else None
        figures["process_first_paint_ms"] = (paint.wall - LAUNCH) * 1000
        figures["startup_block_ms"] = blocked.longest * 1000
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LeadsScreen)
        figures["rows"] = screen.table.count

        async def key(*keys: str) -> dict:
            await settle(app, pilot)
            blocked.reset()
            expected_at.clear()
            confirmed_at.clear()
            cpu = time.thread_time()
            began = time.perf_counter()
            await pilot.press(*keys)
            await settle(app, pilot)
            figures = {
                "block_ms": blocked.longest * 1000,
                "done_ms": (time.perf_counter() - began) * 1000,
                "ui_cpu_ms": (time.thread_time() - cpu) * 1000,
            }
            if expected_at:
                figures["painted_ms"] = (expected_at[0] - began) * 1000
            if confirmed_at:
                figures["confirmed_ms"] = (confirmed_at[0] - began) * 1000
            return figures

        # What the test harness itself adds to a key (an unbound one): taken off every done_ms.
        overhead = min([(await key("f12"))["done_ms"] for _ in range(5)])
        figures["harness_ms"] = overhead

        async def measured(name: str, *keys: str, repeat: int = 3) -> None:
            runs = [await key(*keys) for _ in range(repeat)]
            for run in runs:
                run["done_ms"] = max(run["done_ms"] - overhead, 0.0)
            # The worst block (what a user feels), the best of the other figures (least noise).
            figures[name] = {m: (max if m == "block_ms" else min)(r[m] for r in runs) for m in runs[0]}

        await measured("cursor_down", "j")
        await measured("page_down", "pagedown")
        await measured("last_row_G", "G", repeat=1)
        await measured("first_row_g", "g", repeat=1)
        await measured("list_unassigned", "3", repeat=1)
        await measured("assign_me_in_list", "i", repeat=1)
        await measured("list_mine", "2", repeat=1)
        await key("1", "slash", *"münche")
        await measured("search_keystroke", "n", repeat=1)
        await key("enter", "escape")
        await key("c", *["down"] * 6, "space")
        assert isinstance(app.screen, ColumnChooser)
        await measured("toggle_kollege_column", "enter", repeat=1)
        await measured("sort_by_next_column", "s", repeat=1)
        await key("g")
        await measured("open_detail", "enter", repeat=1)
        await key("escape", "j")
        await measured("open_detail_again", "enter", repeat=1)
        await key("k", *"jon")
        await measured("assign_in_detail", "enter", repeat=1)
        await measured("return_to_list", "escape", repeat=1)
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


def preset_columns(url: str) -> None:
    """Before a run (in the parent): the list's columns as every run starts with them."""
    from leadtui.db.engine import open_database
    from leadtui.repository import Repository

    engine = open_database(url)
    repository = Repository.for_email(engine, USER)
    repository.save_setting("lead_list.columns", "title,prospect,city,status,value,created")
    engine.dispose()


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
