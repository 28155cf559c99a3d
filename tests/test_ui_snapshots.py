"""Snapshot tests of the screens a salesperson sees most, at 80×24 and 120×36.

The demo data runs on a fixed clock; update snapshots only after looking at the report
(`pytest tests/test_ui_snapshots.py --snapshot-update`)."""

from __future__ import annotations

import pytest
from helpers import press, settle
from textual.widgets import Input

TIM = "tim.krueger@nordlicht.example"
SIZES = [(80, 24), (120, 36)]
KOLLEGE_ON = ["c", *["down"] * 6, "space", "enter"]


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch):
    """The text cursor stays visible, so a snapshot never catches it mid-blink."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    ("name", "user", "keys"),
    [
        pytest.param("list", None, [], id="list"),
        pytest.param("list_kollege", None, KOLLEGE_ON, id="list-kollege"),
        pytest.param("column_chooser", None, ["c", *["down"] * 6, "space"], id="column-chooser"),
        pytest.param("detail", None, ["2", "enter"], id="detail"),
        pytest.param("detail_editing", None, ["2", "enter", "k"], id="detail-editing"),
        pytest.param("new_lead_error", None, ["n", "tab", "tab", "tab", *"keine-mail", "ctrl+s"], id="new-lead-error"),
        pytest.param("offers", TIM, ["6"], id="offers"),
        pytest.param("decline_reason", TIM, ["6", "d", "5", *"Nur Gewerbe"], id="decline-reason"),
        pytest.param("pass_on_window", None, ["2", "w", "down", "enter"], id="pass-on-window"),
        pytest.param("partner_numbers", None, ["5", "p"], id="partner-numbers"),
        pytest.param("empty", None, ["6"], id="empty"),
        pytest.param("workload", None, ["t"], id="workload"),
        pytest.param("inbox", None, ["b"], id="inbox"),
        pytest.param("preferences", None, ["b", "e"], id="preferences"),
        pytest.param("edit_lead", None, ["2", "enter", "e"], id="edit-lead"),
        pytest.param("edit_lead_partner", TIM, ["1", "enter", "e"], id="edit-lead-partner"),
        pytest.param("journal", None, ["2", "enter", "tab", "tab"], id="journal"),
        pytest.param("export", None, ["2", "E"], id="export"),
        pytest.param("key_help", None, ["2", "enter", "question_mark"], id="key-help"),
    ],
)
def test_screen(snap_compare, make_app, size, name, user, keys):
    app = make_app(user) if user else make_app()

    async def work_the_keys(pilot):
        await settle(pilot)
        await press(pilot, *keys)

    assert snap_compare(app, run_before=work_the_keys, terminal_size=size)


def test_wide_list_with_the_highlighted_lead_beside_it(snap_compare, make_app):
    """From 140 columns (issue 22): the preview of the highlighted lead, once the cursor rests."""
    from helpers import ManualTimers

    from leadtui.ui.screens.leads import PREVIEW_REST_S

    timers = ManualTimers()
    app = make_app(timers=timers)

    async def work_the_keys(pilot):
        await settle(pilot)
        await press(pilot, "2")
        timers.advance(PREVIEW_REST_S)
        await settle(pilot)

    assert snap_compare(app, run_before=work_the_keys, terminal_size=(150, 40))
