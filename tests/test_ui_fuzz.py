"""Thousands of random keys, clicks and pasted hostile strings over every screen, on a database
holding hostile text: no exception, no control character on screen, and the data the app leaves
behind still obeys the rules (assignees of the own company, one per company and lead)."""

from __future__ import annotations

import os
import random

import pytest
from conftest import HOSTILE, LONG
from helpers import rendered_text, settle
from sqlalchemy import func, select
from textual.widgets import Input

from leadtui.db.models import ColleagueModel, CompanyLeadModel
from leadtui.domain import ListKind, ListQuery
from leadtui.domain.text import CONTROL_RE

KEYS = [
    *"123456",
    "j",
    "k",
    "up",
    "down",
    "pageup",
    "pagedown",
    "g",
    "G",
    "home",
    "end",
    "enter",
    "escape",
    "escape",
    "space",
    "a",
    "i",
    "d",
    "n",
    "c",
    "s",
    "S",
    "r",
    "w",
    "y",
    "j",
    "slash",
    "tab",
    "shift+tab",
    "delete",
    "backspace",
    "ctrl+s",
    "question_mark",
    *"abcdefhlmnoptuvxz",
    "ä",
    "ü",
]
USERS = ["anna.becker@sonnenstrom.example", "tim.krueger@nordlicht.example", "paul.richter@rheinwerk.example"]
# Steps per user: 80 in CI (3 users, about 12 s of CPU in all), ten times that with the
# long profile (HYPOTHESIS_PROFILE=long, as the state machines scale).
STEPS = 800 if os.environ.get("HYPOTHESIS_PROFILE") == "long" else 80


@pytest.mark.parametrize("user", USERS)
async def test_random_keys_and_clicks(make_app, demo_engine, hostile, user):
    rng = random.Random(f"fuzz-{user}")
    app = make_app(user)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        for step in range(STEPS):
            roll = rng.random()
            if roll < 0.12:
                await pilot.click(offset=(rng.randrange(100), rng.randrange(30)))
            elif roll < 0.15 and isinstance(app.focused, Input):
                app.focused.value = rng.choice([*HOSTILE, LONG[:300]])  # pasted into a field
            else:
                await pilot.press(rng.choice(KEYS))
            if step % 50 == 0:
                await settle(pilot)
                assert not CONTROL_RE.search(rendered_text(app))
        await pilot.pause()
        assert app.is_running
    repo = app.repository
    for kind in ListKind:
        assert len(repo.rows(ListQuery(kind=kind), 0, 10_000)) == repo.count(ListQuery(kind=kind))
    with demo_engine.connect() as conn:
        foreign = conn.execute(
            select(func.count())
            .select_from(CompanyLeadModel)
            .join(ColleagueModel, ColleagueModel.id == CompanyLeadModel.colleague_id)
            .where(ColleagueModel.company_id != CompanyLeadModel.company_id)
        ).scalar_one()
    assert foreign == 0
