"""Working a lead at volume: a lead with 200 journal entries, an inbox with 10,000 notifications.

    python benchmarks/working.py            # prints a table, writes working_results.json

The demo database (SQLite, in a temporary folder) gets a new lead for Anna Becker with 200
journal entries - notes of several lines, tasks open and done, change events, from her company
and from a partner's - and 10,000 notifications for her. Each key is measured as in measure.py:
`block_ms` the longest the UI thread was busy in one go until the result is painted (goal: 16 ms
like the list's keys), `done_ms` until the result is painted.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import SIZE, USER, LongestCallback, settle  # noqa: E402

ENTRIES = 200
NOTIFICATIONS = 10_000


def prepare(url: str) -> int:
    """The demo, plus the lead with its journal and the notifications; returns the lead's id."""
    from sqlalchemy import insert, select

    from leadtui.db.engine import open_database
    from leadtui.db.models import ColleagueModel, JournalEntryModel, NotificationModel
    from leadtui.domain import NewLead
    from leadtui.repository import Repository
    from leadtui.seed import DEMO_NOW, build_demo

    engine = open_database(url, create=True)
    build_demo(engine)
    anna = Repository.for_email(engine, USER)
    tim = Repository.for_email(engine, "tim.krueger@nordlicht.example")
    lead = anna.create_lead(NewLead(title="Gewerbedach 250 kWp mit Speicher", prospect="Spedition Wolf", city="Ulm"))
    tim.accept_offer(anna.offer(lead.id, tim.company_id).share_id)
    with engine.begin() as conn:
        jonas = conn.execute(select(ColleagueModel.id).where(ColleagueModel.email.like("jonas%"))).scalar_one()
        rows = []
        for i in range(ENTRIES):
            partner_side = i % 4 == 3
            kind = ("note", "task", "event", "note")[i % 4]
            rows.append(
                dict(
                    lead_id=lead.id,
                    company_id=tim.company_id if partner_side else anna.company_id,
                    author_id=tim.me.id if partner_side else (anna.me.id if i % 2 else jonas),
                    at=DEMO_NOW - timedelta(hours=ENTRIES - i),
                    kind=kind,
                    body=f"Eintrag {i}: Rückruf beim Kunden, Dachstatik klären.\nZweite Zeile {i}."
                    if kind == "note"
                    else f"Status: neu → in Bearbeitung ({i})"
                    if kind == "event"
                    else f"Aufgabe {i}: Angebot nachfassen",
                    due=(DEMO_NOW + timedelta(days=i % 9 - 4)).date() if kind == "task" else None,
                    done_at=DEMO_NOW if kind == "task" and i % 3 == 0 else None,
                )
            )
        conn.execute(insert(JournalEntryModel), rows)
        conn.execute(
            insert(NotificationModel),
            [
                dict(
                    colleague_id=anna.me.id,
                    company_id=anna.company_id,
                    lead_id=lead.id,
                    kind="note",
                    count=1,
                    body=f"Jonas Weber hat eine Notiz zu „Gewerbedach 250 kWp“ geschrieben: Nummer {i}",
                    at=DEMO_NOW - timedelta(minutes=NOTIFICATIONS - i),
                )
                for i in range(NOTIFICATIONS)
            ],
        )
    engine.dispose()
    return lead.id


async def measure(url: str, lead_id: int) -> dict:
    from leadtui.db.engine import open_database
    from leadtui.repository import Repository
    from leadtui.ui.app import LeadtuiApp
    from leadtui.ui.screens.detail import LeadDetailScreen
    from leadtui.ui.screens.inbox import InboxScreen

    blocked = LongestCallback()
    app = LeadtuiApp(Repository.for_email(open_database(url), USER), live=False)
    figures: dict = {}
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)

        async def key(name: str | None, *keys: str) -> None:
            await settle(app, pilot)
            blocked.reset()
            began = time.perf_counter()
            await pilot.press(*keys)
            await settle(app, pilot)
            if name:
                figures[name] = {
                    "block_ms": round(blocked.longest * 1000, 1),
                    "done_ms": round((time.perf_counter() - began) * 1000, 1),
                }

        assert app.screen.table.current.id == lead_id  # the newest lead comes first
        await key("open_lead_200_entries_first_time", "enter")  # the detail screen is built once
        await key(None, "escape")
        await key("open_lead_200_entries", "enter")
        assert isinstance(app.screen, LeadDetailScreen) and len(app.screen.lead.journal) == ENTRIES
        await key("journal_focus", "tab", "tab")
        await key("journal_down", "down")
        await key("journal_end", "end")
        await key("back_to_list", "escape")
        await key("open_inbox_10k_first_time", "b")
        await key(None, "escape")
        await key("open_inbox_10k", "b")
        assert isinstance(app.screen, InboxScreen)
        await key("inbox_down", "down")
        await key("inbox_page_down", "pagedown")
        await key("inbox_toggle_read", "m")
        await key("inbox_end_of_first_window", "end")
        await key("inbox_next_window", "down")
        await key("inbox_open_lead", "enter")
        await key(None, "escape")
        await key("inbox_all_read_10k", "M")
    return figures


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/working.db"
        lead_id = prepare(url)
        figures = asyncio.run(measure(url, lead_id))
    (HERE / "working_results.json").write_text(json.dumps(figures, indent=2) + "\n")
    print("| key | UI thread, longest block | until painted |")
    print("| --- | ---: | ---: |")
    for name, run in figures.items():
        print(f"| {name} | {run['block_ms']:.1f} ms | {run['done_ms']:.0f} ms |")


if __name__ == "__main__":
    main()
