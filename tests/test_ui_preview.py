"""Pilot tests of reading a list's titles (issue 22): from 140 columns the highlighted lead
shows beside the list, read once the cursor rests; narrower, a title the table cuts stands
whole in the status line."""

from __future__ import annotations

from helpers import ManualTimers, drawn, press, settle, text_of

from leadtui.domain import ListKind, ListQuery
from leadtui.ui.screens.leads import PREVIEW_REST_S
from leadtui.ui.widgets.lead_preview import LeadPreview
from leadtui.ui.widgets.lead_table import LeadTable

WIDE = (150, 40)


def shown_in(preview: LeadPreview) -> str:
    """The preview's words as drawn, without its border."""
    return " ".join(drawn(preview).replace("│", " ").split())


async def test_from_140_columns_the_highlighted_lead_shows_beside_the_list(make_app):
    timers = ManualTimers()
    app = make_app(timers=timers)
    reads = []
    lead_of = app.repository.lead
    app.repository.lead = lambda lead_id: reads.append(lead_id) or lead_of(lead_id)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        preview = app.screen.query_one(LeadPreview)
        assert preview.display and preview.region.width > 0
        await press(pilot, "j", "j", "G", "g")  # the cursor passes: no lead is read for a row it left
        row = app.screen.query_one(LeadTable).current
        assert shown_in(preview).startswith(row.title) and "Lädt" in shown_in(preview)
        timers.advance(PREVIEW_REST_S)
        await settle(pilot)
        lead = lead_of(row.id)
        shown = shown_in(preview)
        assert reads == [row.id]
        for part in (lead.title, lead.prospect, lead.email, lead.phone, lead.assignment.assignee.name, "Journal"):
            assert part.replace(" ", "") in shown.replace(" ", ""), part  # a long e-mail wraps
        assert lead.journal[0].text.splitlines()[0] in shown


async def test_narrower_the_preview_is_gone_and_a_cut_title_stands_in_the_status_line(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one(LeadPreview).display
        table = app.screen.query_one(LeadTable)
        rows = app.repository.rows(ListQuery(kind=ListKind.ALL), 0, table.size.height)
        index = next(i for i, row in enumerate(rows) if len(row.title) > 20)
        table.cursor = index
        await settle(pilot)
        assert table.title_cut()
        assert f"▸ {rows[index].title}" in text_of(app.screen.query_one("#status-line"))
