"""Make the README's screenshots (SVG) from a fresh demo database.

    python scripts/screenshots.py            # writes screenshots/*.svg

Each view is a list of keys pressed on a freshly started app, as in the snapshot tests.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from leadtui.db.engine import open_database
from leadtui.repository import Repository
from leadtui.seed import DEMO_NOW, DEMO_USER, build_demo
from leadtui.ui.app import LeadtuiApp

OUT = Path(__file__).resolve().parent.parent / "screenshots"
SIZE = (120, 36)
TIM = "tim.krueger@nordlicht.example"
KOLLEGE_ON = ["c", *["down"] * 6, "space", "enter"]
SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "data" / "excel-windows-1252.csv"

VIEWS = {
    "lead-list": (DEMO_USER, []),
    "lead-list-kollege": (DEMO_USER, KOLLEGE_ON),
    "column-chooser": (DEMO_USER, ["c", *["down"] * 6, "space"]),
    "lead-detail": (DEMO_USER, ["2", "enter"]),
    "lead-detail-editing": (DEMO_USER, ["2", "enter", "k", *"j"]),
    "new-lead-error": (DEMO_USER, ["n", "tab", "tab", "tab", *"keine-mail", "ctrl+s"]),
    "lead-offers": (TIM, ["6"]),
    "empty-list": (DEMO_USER, ["6"]),
    "team-workload": (DEMO_USER, ["t"]),
    "lead-journal": (DEMO_USER, ["2", "enter", "tab", "tab"]),
    "edit-lead": (DEMO_USER, ["2", "enter", "e"]),
    "inbox": (DEMO_USER, ["b"]),
    "notification-preferences": (DEMO_USER, ["b", "e"]),
    "export": (DEMO_USER, ["2", "E"]),
    "import-preview": (DEMO_USER, ["I", "ctrl+u", *str(SAMPLE), "enter"]),
    "key-help": (DEMO_USER, ["2", "enter", "question_mark"]),
    "lead-list-preview": (DEMO_USER, ["2", "j"]),  # from 140 columns: the lead beside the list
}
WIDE = {"lead-list-preview": (150, 40)}


async def shoot(engine, name: str, user: str, keys: list[str]) -> None:
    app = LeadtuiApp(Repository.for_email(engine, user, clock=lambda: DEMO_NOW))
    async with app.run_test(size=WIDE.get(name, SIZE)) as pilot:
        await pilot.pause()
        await pilot.press(*keys)
        for _ in range(5):  # a file read and a preview counted in workers: a script may wait
            await pilot.pause(0.2)
        app.save_screenshot(filename=f"{name}.svg", path=str(OUT))


async def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name, (user, keys) in VIEWS.items():
            # every view starts from the same demo data and default settings
            engine = open_database(f"sqlite:///{folder}/{name}.db", create=True)
            build_demo(engine)
            await shoot(engine, name, user, keys)
            engine.dispose()
            print(f"screenshots/{name}.svg")


if __name__ == "__main__":
    asyncio.run(main())
