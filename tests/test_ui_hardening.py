"""Keys act on what the user chose, nothing acts after quit, a deactivated colleague sees no
more data, and a crash is never exit 0."""

from __future__ import annotations

import pytest
from helpers import press, settle, text_of
from textual.widgets import OptionList

from leadtui.domain import ListKind, ListQuery, SortKey
from leadtui.repository import Repository
from leadtui.ui.screens.dialogs import Confirm, DeclineDialog, PickColleague
from leadtui.ui.screens.leads import LeadsScreen
from leadtui.ui.screens.locked import LockedScreen
from leadtui.ui.widgets.lead_table import LeadTable
from leadtui.ui.work import DataChanged

# Leadangebote as the app shows them: newest offer first (rule 21)
AS_SHOWN = ListQuery(kind=ListKind.OFFERS, sort=SortKey.ARRIVED)

SIZE = (120, 36)
TIM = "tim.krueger@nordlicht.example"


def table(app) -> LeadTable:
    return app.screen.query_one(LeadTable)


async def test_marked_offers_are_what_accept_and_decline_act_on(make_app):
    app = make_app(TIM)
    repo = app.repository
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "6")
        offers = repo.rows(AS_SHOWN, 0, 100)
        assert len(offers) >= 5
        await press(pilot, "space", "space")
        assert "2 markiert" in text_of(app.screen.query_one("#status-line"))
        assert table(app).current.key == offers[2].key  # the cursor moved on to a third offer
        await press(pilot, "a")
        assert isinstance(app.screen, Confirm) and "2 Leadangebote annehmen" in str(app.screen.question_text)
        await press(pilot, "j")
        accepted = {r.id for r in repo.rows(ListQuery(), 0, 10_000)}
        assert {offers[0].id, offers[1].id} <= accepted and offers[2].id not in accepted
        assert repo.count(ListQuery(kind=ListKind.OFFERS)) == len(offers) - 2
        await press(pilot, "space", "space", "d")
        assert isinstance(app.screen, DeclineDialog) and "2 Leadangebote ablehnen" in str(app.screen.question_text)
        await press(pilot, "4")  # one reason for all marked (rule 23)
        assert repo.count(ListQuery(kind=ListKind.OFFERS)) == len(offers) - 4
        left = repo.rows(AS_SHOWN, 0, 1)[0]
        await press(pilot, "d")  # a single decline asks too
        assert isinstance(app.screen, DeclineDialog)
        await press(pilot, "escape")
        assert repo.rows(AS_SHOWN, 0, 1)[0].key == left.key


async def test_picker_matches_names_not_mail_and_says_when_nothing_matches(make_app):
    app = make_app()
    repo = app.repository
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "3")
        lead = table(app).current
        await press(pilot, "a")
        assert isinstance(app.screen, PickColleague)
        options = app.screen.query_one("#picker-options", OptionList)
        await press(pilot, *"so")  # "sonnenstrom", ".example": mail would match everyone
        assert options.option_count == 1 and "Sophie Wagner" in str(options.get_option_at_index(0).prompt)
        await press(pilot, "backspace", "backspace", *"we")  # a word starting with "we" first
        first = str(options.get_option_at_index(options.highlighted).prompt)
        assert first.startswith("Jonas Weber")
        for _ in range(3):
            await press(pilot, "backspace")
        await press(pilot, *"xyz")
        assert "keine Treffer" in str(options.get_option_at_index(0).prompt)
        await press(pilot, "enter")
        assert isinstance(app.screen, PickColleague)  # enter does nothing without a match
        await press(pilot, "escape")
        assert repo.assignment(lead.id).assignee is None


async def test_taking_over_a_colleagues_lead_asks_first(make_app, demo_engine):
    app = make_app()
    repo = app.repository
    jonas = Repository.for_email(demo_engine, "jonas.weber@sonnenstrom.example")
    held = next(r for r in repo.rows(ListQuery(), 0, 50) if r.assignee and r.assignee.id == jonas.me.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *held.title[:12], "enter")
        while table(app).current.id != held.id:
            await press(pilot, "j")
        await press(pilot, "i")
        assert isinstance(app.screen, Confirm) and "Jonas Weber" in str(app.screen.question_text)
        await press(pilot, "n")
        assert repo.assignment(held.id).assignee.id == jonas.me.id
        await press(pilot, "i", "j")
        assert repo.assignment(held.id).assignee.id == repo.me.id


async def test_keys_typed_after_quit_do_nothing(make_app):
    for keys in (("q", "n"), ("q", "i"), ("q", "3", "i")):
        app = make_app()
        repo = app.repository
        before = repo.counts()
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            for key in keys:
                await pilot.press(key)
            await settle(pilot)
            assert app.closing
            assert not isinstance(app.screen, Confirm)
        assert app.return_code == 0
        assert repo.counts() == before


async def test_a_colleague_deactivated_while_working_sees_no_more_data(make_app, demo_engine):
    app = make_app("jonas.weber@sonnenstrom.example")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert table(app).count > 0
        Repository.for_email(demo_engine, "anna.becker@sonnenstrom.example").deactivate(app.repository.me.id)
        await press(pilot, "2")
        assert isinstance(app.screen, LockedScreen)
        assert "Ihr Zugang ist deaktiviert" in text_of(app.screen.query_one("#locked"))
        assert not app.screen.query(LeadTable)
        await press(pilot, "1", "enter", "a")
        assert isinstance(app.screen, LockedScreen)


async def test_a_crash_is_never_exit_0(make_app, monkeypatch):
    def broken(self):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(LeadsScreen, "action_reload", broken)
    app = make_app()

    async def press_reload() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("r")
            await pilot.pause()

    with pytest.raises(RuntimeError, match="kaputt"):  # run_test hands the app's crash on
        await press_reload()
    assert app.return_code == 1


def test_the_command_line_passes_the_apps_return_code_on(monkeypatch, tmp_path):
    from leadtui.cli import main
    from leadtui.ui.app import LeadtuiApp

    def crashed(self, *args, **kwargs):
        self._return_code = 1

    monkeypatch.setenv("LEADTUI_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(LeadtuiApp, "run", crashed)
    assert main(["--demo"]) == 1


async def test_a_locked_row_is_a_busy_toast_and_the_screen_keeps_moving(pg_url):
    """PostgreSQL: a colleague's session holds the lead's row and idles. The assignment waits in
    its worker while the list keeps taking keys, then says the database is busy."""
    from sqlalchemy import create_engine, text

    from leadtui.admin import Admin
    from leadtui.db.engine import open_database
    from leadtui.domain import NewLead
    from leadtui.ui.app import LeadtuiApp

    engine = open_database(pg_url, migrate=True, lock_timeout_ms=1500)
    admin = Admin(engine)
    admin.add_company("Sonnenstrom")
    anna = Repository(engine, admin.add_colleague("Sonnenstrom", "Anna Becker", "anna@x.example").id)
    admin.add_colleague("Sonnenstrom", "Jonas Weber", "jonas@x.example")
    for title in ("Wallbox", "Wärmepumpe", "Speicher"):
        anna.create_lead(NewLead(title=title))
    holder = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://")).connect()
    holder.execute(text("SELECT * FROM company_leads FOR UPDATE"))
    app = LeadtuiApp(anna)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await press(pilot, "a", *"jo")
            await pilot.press("enter")  # the write starts and waits for the lock
            await pilot.pause()
            await pilot.press("j")
            await pilot.pause()
            assert table(app).cursor == 1  # keys work while the write waits
            assert "wird gespeichert" in text_of(app.screen.query_one("#status-line"))  # and it says so
            await settle(pilot)
            assert any("Datenbank ist beschäftigt, bitte erneut versuchen" in n.message for n in app._notifications)
    finally:
        holder.rollback()
        holder.close()
        engine.dispose()


def test_writes_to_one_lead_run_one_after_another():
    """The UI's write workers take a lock per lead: a second change to a lead starts only when the
    first has its outcome; writes to other leads do not wait."""
    import threading

    from leadtui.ui.work import LeadLocks

    locks = LeadLocks()
    first_inside, release, order = threading.Event(), threading.Event(), []

    def first() -> None:
        first_inside.set()
        release.wait(5)
        order.append("first")

    threads = [threading.Thread(target=locks.around(7, first))]
    threads[0].start()
    assert first_inside.wait(5)
    threads.append(threading.Thread(target=locks.around(7, lambda: order.append("second"))))
    threads.append(threading.Thread(target=locks.around(8, lambda: order.append("other lead"))))
    threads[1].start()
    threads[2].start()
    threads[2].join(5)
    assert order == ["other lead"]  # another lead went ahead; the same lead waits
    release.set()
    for thread in threads:
        thread.join(5)
    assert order == ["other lead", "first", "second"]


def _acts_on_what_is_highlighted(app) -> None:
    """The list has the focus, and what a/i would act on is the row drawn under the cursor."""
    screen, shown = app.screen, table(app)
    assert isinstance(screen, LeadsScreen) and app.focused is shown
    if shown.count:
        assert screen._targets() == [shown.current] and shown.current is not None
    else:
        assert screen._targets() == [] and not screen.has_target


async def test_keys_act_on_the_highlighted_row_after_every_list_switch_dialog_and_reload(make_app):
    """After an empty list (Leadangebote of a principal), `n` + Esc on it and `h` emptying
    Verwaist, `j` still moves the cursor the user sees and `a` acts on that row - never on a row
    under a cursor in a list that had lost the focus."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("1", "2", "3", "4", "5", "6", "7", "6", "1"):
            await press(pilot, key)
            _acts_on_what_is_highlighted(app)
            if table(app).count >= 2:
                await press(pilot, "g", "j")
                assert table(app).cursor == 1
                _acts_on_what_is_highlighted(app)
        await press(pilot, "6")
        assert table(app).count == 0 and "Keine offenen Leadangebote" in table(app).empty_text
        await press(pilot, "n", "escape")  # a dialog opened and closed on the empty list
        _acts_on_what_is_highlighted(app)
        await press(pilot, "1", "g", "j")
        second = table(app).cache.row(1)
        assert table(app).current == second
        await press(pilot, "a")
        assert isinstance(app.screen, PickColleague)
        await press(pilot, *"jonas", "enter")
        assert app.repository.assignment(second.id).assignee.name == "Jonas Weber"
        _acts_on_what_is_highlighted(app)  # the dialog closed: the list has the focus again
        await press(pilot, "j")
        highlighted = table(app).current
        app.screen.post_message(DataChanged())  # a colleague's change: the list reloads
        await settle(pilot)
        assert table(app).current.key == highlighted.key
        _acts_on_what_is_highlighted(app)
        # Verwaist emptied by a handover: the list is empty, then the next list acts as it shows
        await press(pilot, "4", "h", *"jon", "enter", "y")
        assert table(app).count == 0
        _acts_on_what_is_highlighted(app)
        await press(pilot, "3", "g", "j")
        assert table(app).cursor == 1
        _acts_on_what_is_highlighted(app)
