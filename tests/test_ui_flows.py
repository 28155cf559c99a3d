"""Pilot tests: every flow of the TUI by keyboard (and mouse where it matters), asserting on
what the screen shows and on what the repository holds afterwards."""

from __future__ import annotations

import itertools

import pytest
from helpers import (
    ManualTimers,
    open_first_of_mine,
    press,
    rendered_text,
    settle,
    text_of,
    textual_descriptions,
    until,
)
from rich.cells import cell_len
from textual.widgets import Input, Label, OptionList, Select, Static

from leadtui.domain import Colleague, JournalKind, ListKind, ListQuery, SortKey, StorageError
from leadtui.repository import Repository
from leadtui.ui.keys import offered_keys
from leadtui.ui.screens.detail import LeadDetailScreen
from leadtui.ui.screens.dialogs import NOBODY, ColumnChooser, Confirm, DeclineDialog, PassOnDialog, PickColleague
from leadtui.ui.screens.leads import LeadsScreen
from leadtui.ui.screens.new_lead import NewLeadScreen
from leadtui.ui.screens.workload import WorkloadScreen
from leadtui.ui.textual_internals import FooterKey
from leadtui.ui.undo import UNDO_S
from leadtui.ui.widgets.colleague_tile import ColleagueTile
from leadtui.ui.widgets.fitting_footer import FittingFooter
from leadtui.ui.widgets.lead_table import LeadHeader, LeadTable

# Leadangebote as the app shows them: newest offer first (rule 21)
AS_SHOWN = ListQuery(kind=ListKind.OFFERS, sort=SortKey.ARRIVED)

SIZE = (120, 36)
TIM = "tim.krueger@nordlicht.example"


def header_labels(app) -> list[str]:
    return [c.label for c in app.screen.query_one(LeadHeader).columns]


def title(app) -> str:
    return text_of(app.screen.query_one("#list-title", Static))


def colleague(app, repo: Repository, name: str):
    return next(c for c in repo.colleagues() if c.name == name)


async def test_lists_show_counts_and_switch_by_key_and_click(make_app):
    app = make_app()
    repo = app.repository
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert title(app) == f"Alle Leads · {repo.count(ListQuery())}"
        for key, kind in zip("123456", ListKind, strict=False):
            await press(pilot, key)
            assert title(app) == f"{kind.label} · {repo.count(ListQuery(kind=kind))}"
            assert app.screen.query_one(LeadTable).count == repo.count(ListQuery(kind=kind))
        nav = app.screen.query_one("#lists", OptionList)
        assert "Meine Leads" in str(nav.get_option_at_index(1).prompt)
        await pilot.click("#lists", offset=(3, 1))
        await settle(pilot)
        assert title(app).startswith("Meine Leads")
        assert app.sub_title == "Anna Becker · Sonnenstrom Energie GmbH"


async def test_kollege_column_chooser_applies_to_all_lists_and_survives_restart(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Kollege" not in header_labels(app)
        await press(pilot, "c")
        assert isinstance(app.screen, ColumnChooser)
        await press(pilot, *["down"] * 6, "space", "enter")
        await settle(pilot)
        assert header_labels(app)[-1] == "Kollege"
        table = app.screen.query_one(LeadTable)
        first = table.current
        expected = first.assignee.display_name if first.assignee else "—"
        assert expected in str(table.render_line(0).text)
        await press(pilot, "3")
        assert "Kollege" in header_labels(app)
        assert "—" in str(app.screen.query_one(LeadTable).render_line(0).text)
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Kollege" in header_labels(again)


async def test_column_chooser_opens_by_click_on_icon(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#columns")
        await settle(pilot)
        assert isinstance(app.screen, ColumnChooser)
        await press(pilot, "escape")
        assert isinstance(app.screen, LeadsScreen)


async def test_detail_tile_assigns_a_colleague_by_typing(make_app):
    app = make_app()
    repo = app.repository
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lead = app.screen.query_one(LeadTable).current
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadDetailScreen)
        tile = app.screen.query_one(ColleagueTile)
        assert tile.region.y < app.screen.query_one("#fields").region.y  # the tile comes first
        await press(pilot, "k")
        await settle(pilot)
        assert tile.editing
        assert app.screen.query_one("#remove").display and app.screen.query_one("#cancel").display
        options = app.screen.query_one("#picker-options", OptionList)
        assert "Anna Becker (ich)" in str(options.get_option_at_index(0).prompt)
        assert "Markus" not in " ".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))
        await press(pilot, *"jonas", "enter")
        await settle(pilot)
        assert not tile.editing
        assert repo.assignment(lead.id).assignee.name == "Jonas Weber"
        assert "Jonas Weber" in text_of(tile.query_one("#assignee"))
        assert any("Jonas Weber" in n.message for n in app._notifications)
        assert "Jonas Weber" in text_of(app.screen.query_one("#history"))


async def test_tile_trash_removes_and_x_cancels(make_app):
    app = make_app()
    repo = app.repository
    lead = repo.rows(ListQuery(kind=ListKind.MINE), 0, 1)[0]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_lead(lead.id)
        await settle(pilot)
        await press(pilot, "k", "escape")
        await settle(pilot)
        assert repo.assignment(lead.id).assignee.name == "Anna Becker"
        assert isinstance(app.screen, LeadDetailScreen)
        await pilot.click("#tile")  # clicking into the field edits too
        await settle(pilot)
        assert app.screen.query_one(ColleagueTile).editing
        await pilot.click("#cancel")
        await settle(pilot)
        assert not app.screen.query_one(ColleagueTile).editing
        await press(pilot, "k", "delete")
        await settle(pilot)
        assert repo.assignment(lead.id).assignee is None
        assert "Nicht zugewiesen" in text_of(app.screen.query_one("#assignee"))


async def test_tile_refuses_stale_save_and_shows_who_it_is_now(make_app, demo_engine):
    app = make_app()
    repo = app.repository
    lead = repo.rows(ListQuery(kind=ListKind.MINE), 0, 1)[0]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_lead(lead.id)
        await settle(pilot)
        jonas = Repository.for_email(demo_engine, "jonas.weber@sonnenstrom.example")
        jonas.assign(lead.id, jonas.me.id, lead.version)
        await press(pilot, "k", *"lena", "enter")
        await settle(pilot)
        assert repo.assignment(lead.id).assignee.name == "Jonas Weber"
        assert "Jonas Weber" in text_of(app.screen.query_one("#assignee"))
        assert any("Jonas Weber" in n.message and n.severity == "warning" for n in app._notifications)


async def test_escape_returns_to_list_at_same_position_showing_the_change(make_app):
    app = make_app()
    repo = app.repository
    repo.save_setting("lead_list.columns", "title,colleague")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "j", "j", "j", "j", "j")
        table = app.screen.query_one(LeadTable)
        assert table.cursor == 5
        lead = table.current
        await press(pilot, "enter", "k", *"sophie", "enter", "escape")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        table = app.screen.query_one(LeadTable)
        assert table.cursor == 5 and table.current.id == lead.id
        assert table.current.assignee.name == "Sophie Wagner"
        assert "Sophie Wagner" in str(table.render_line(5).text)


async def test_new_lead_validates_then_opens_detail_assigned_to_me(make_app):
    app = make_app()
    repo = app.repository
    before = repo.count(ListQuery())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "n")
        assert isinstance(app.screen, NewLeadScreen)
        app.screen.query_one("#f-email", Input).value = "kein-mail"
        app.screen.query_one("#f-value", Input).value = "zwölf"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NewLeadScreen)
        assert "Titel ist erforderlich" in text_of(app.screen.query_one("#e-title"))
        assert "E-Mail" in text_of(app.screen.query_one("#e-email"))
        assert "Betrag" in text_of(app.screen.query_one("#e-value"))
        assert repo.count(ListQuery()) == before
        await press(pilot, *"Wärmepumpe Zaunkönig")
        app.screen.query_one("#f-email", Input).value = "huber@example.org"
        app.screen.query_one("#f-value", Input).value = "12.500"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LeadDetailScreen)
        assert "Anna Becker" in text_of(app.screen.query_one("#assignee"))
        assert repo.count(ListQuery()) == before + 1
        mine = repo.rows(ListQuery(kind=ListKind.MINE, search="zaunkönig"), 0, 5)
        assert [(r.title, r.value) for r in mine] == [("Wärmepumpe Zaunkönig", 12500)]


async def test_new_lead_for_a_colleague_or_for_nobody_in_one_step(make_app):
    """The form's Kollege field starts at the creator; choosing Jonas creates the lead for him,
    recorded as assigned at creation by Anna; "niemand" leaves it unassigned."""
    app = make_app()
    repo = app.repository
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cases = (
            ("Für Jonas", "Jonas Weber", "Jonas Weber", "Lead angelegt und Jonas Weber zugewiesen: Für Jonas"),
            ("Für alle", None, None, "Lead angelegt, niemandem zugewiesen: Für alle"),
        )
        for title_text, choose, expected, said in cases:
            await press(pilot, "n")
            await settle(pilot)
            select = app.screen.query_one("#f-colleague", Select)
            assert select.value == repo.me  # the announcement's rule, unless changed
            options = [value for _, value in select._options]
            select.value = (
                next(v for v in options if isinstance(v, Colleague) and v.name == choose) if choose else NOBODY
            )
            await press(pilot, *title_text, "ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, LeadDetailScreen)
            lead = repo.lead(app.screen.lead_id)
            assert (lead.assignment.assignee.name if lead.assignment.assignee else None) == expected
            if expected:
                assert [(h.to_name, h.by_name, h.reason.label) for h in lead.history] == [
                    ("Jonas Weber", "Anna Becker", "bei Anlage")
                ]
            else:
                assert lead.history == ()
            assert said in [n.message for n in app._notifications]  # whom it went to, never "Ihnen"
            await press(pilot, "escape")
            await settle(pilot)


async def test_new_lead_button_in_navigation(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#new-lead")
        await settle(pilot)
        assert isinstance(app.screen, NewLeadScreen)
        await press(pilot, "escape")
        assert isinstance(app.screen, LeadsScreen)


async def test_triage_assign_me_and_picker_without_opening(make_app):
    app = make_app()
    repo = app.repository
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        table = app.screen.query_one(LeadTable)
        first = table.current
        await press(pilot, "i")
        await settle(pilot)
        assert repo.assignment(first.id).assignee.id == repo.me.id
        second = app.screen.query_one(LeadTable).current
        assert second.id != first.id  # it left "Nicht zugewiesen"
        await press(pilot, "a")
        assert isinstance(app.screen, PickColleague)
        await press(pilot, *"lena", "enter")
        await settle(pilot)
        assert repo.assignment(second.id).assignee.name == "Lena Hoffmann"


async def test_a_name_typed_before_the_colleagues_arrive_is_the_choice(make_app):
    """a, a name and enter typed at once, while the colleagues are still being read (a distant
    database): the picker is open from the first key, keeps what was typed, and assigns the
    best match when the colleagues arrive - the list below moved not at all."""
    import threading

    app = make_app()
    repo = app.repository
    arrived = threading.Event()
    workload = repo.workload
    repo.workload = lambda include_inactive=False: arrived.wait(10) and workload(include_inactive)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        lead = app.screen.query_one(LeadTable).current
        await pilot.press("a", *"lena", "enter")
        picker = app.screen
        assert isinstance(picker, PickColleague)
        assert picker.query_one(Input).value == "lena"
        assert "Kollegen werden geladen" in rendered_text(app)
        arrived.set()
        await settle(pilot)
        assert not isinstance(app.screen, PickColleague)
        assert repo.assignment(lead.id).assignee.name == "Lena Hoffmann"


async def test_bulk_assignment_of_marked_leads_asks_first(make_app):
    app = make_app()
    repo = app.repository
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        rows = repo.rows(ListQuery(kind=ListKind.UNASSIGNED), 0, 3)
        await press(pilot, "space", "space", "space")
        assert len(app.screen.query_one(LeadTable).marked) == 3
        assert "3 markiert" in text_of(app.screen.query_one("#status-line"))
        await press(pilot, "a", *"jonas", "enter")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        assert "3 Leads an Jonas Weber" in app.screen.question_text
        await press(pilot, "j")
        await settle(pilot)
        assert [repo.assignment(r.id).assignee.name for r in rows] == ["Jonas Weber"] * 3
        assert not app.screen.query_one(LeadTable).marked
        await press(pilot, "space", "space", "i", "n")  # i asks too; n says no
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)


async def test_offers_accept_and_decline_as_partner(make_app, demo_engine):
    app = make_app(TIM)
    repo = app.repository
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "6")
        offers = repo.count(ListQuery(kind=ListKind.OFFERS))
        assert title(app) == f"Leadangebote · {offers}"
        # who it comes from next to the title, when it came in instead of the lead's creation (rule 21)
        assert header_labels(app)[:2] == ["Titel", "Von"] and "Angelegt" not in header_labels(app)
        assert "Eingang" in header_labels(app) and app.screen.list_query.sort is SortKey.ARRIVED
        first = app.screen.query_one(LeadTable).current
        await press(pilot, "a")
        await settle(pilot)
        assert repo.assignment(first.id).assignee.name == "Tim Krüger"
        assert repo.count(ListQuery(kind=ListKind.OFFERS)) == offers - 1
        second = app.screen.query_one(LeadTable).current
        await press(pilot, "d")
        assert isinstance(app.screen, DeclineDialog) and second.title in str(app.screen.question_text)
        await press(pilot, "2")  # außerhalb unseres Gebiets: the key is the answer (rule 23)
        await settle(pilot)
        assert repo.count(ListQuery(kind=ListKind.OFFERS)) == offers - 2
        assert second.id not in {r.id for r in repo.rows(ListQuery(), 0, 1000)}
        # a colleague accepted the next offer meanwhile: a clear message, no crash
        third = app.screen.query_one(LeadTable).current
        Repository.for_email(demo_engine, "julia.neumann@nordlicht.example").accept_offer(third.share_id)
        await press(pilot, "a")
        await settle(pilot)
        assert any("bereits von Ihrer Firma angenommen" in n.message for n in app._notifications)


async def test_offer_detail_accept_button_assigns_me(make_app):
    app = make_app(TIM)
    repo = app.repository
    offer = repo.rows(AS_SHOWN, 0, 1)[0]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "6", "enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadDetailScreen)
        assert not app.screen.query(ColleagueTile)
        await pilot.click("#accept")
        await settle(pilot)
        assert "Tim Krüger" in text_of(app.screen.query_one("#assignee"))
        assert repo.assignment(offer.id).assignee.name == "Tim Krüger"
        assert "Von Sonnenstrom Energie GmbH" in text_of(app.screen.query_one("#shares"))


async def test_pass_on_to_partner_shows_under_weitergegeben(make_app):
    app = make_app()
    repo = app.repository
    lead = repo.rows(ListQuery(kind=ListKind.MINE), 0, 1)[0]
    before = repo.count(ListQuery(kind=ListKind.PASSED_ON))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_lead(lead.id)
        await settle(pilot)
        await press(pilot, "w", "enter")
        assert isinstance(app.screen, PassOnDialog)  # naming the partner (rule 22) and the window (rule 24)
        assert "als Leadangebot an Alpenland Solar KG weitergeben?" in text_of(app.screen.query_one(".dialog-title"))
        await press(pilot, "enter")
        await settle(pilot)
        assert "Weitergegeben an Alpenland Solar KG – angeboten" in text_of(app.screen.query_one("#shares"))
        await press(pilot, "escape", "5")
        await settle(pilot)
        assert title(app) == f"Weitergegeben · {before + 1}"


async def test_pass_on_offers_only_the_partners_left(make_app):
    """`w` lists the partners the lead is not yet offered to, and says so when none are left,
    instead of failing after the choice."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first_of_mine(app, pilot)
        await press(pilot, "w", "enter", "enter")  # Alpenland, the first
        await settle(pilot)
        await press(pilot, "w")
        assert [str(o.prompt) for o in app.screen.query_one("#partners", OptionList).options] == [
            "Nordlicht Vertrieb GmbH · Frist 2 Tage"  # its default response window (rule 24)
        ]
        await press(pilot, "enter", "enter")
        await settle(pilot)
        await press(pilot, "w")
        await settle(pilot)
        assert isinstance(app.screen, LeadDetailScreen)
        assert any("schon an alle" in str(n.message) for n in app._notifications)
        assert "Weitergegeben an Nordlicht Vertrieb GmbH – angeboten" in text_of(app.screen.query_one("#shares"))


async def test_search_as_you_type_and_sort(make_app):
    app = make_app()
    repo = app.repository
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"münchen")

        expected = repo.count(ListQuery(search="münchen"))
        assert app.screen.query_one(LeadTable).count == expected > 0
        assert f"{expected} Treffer" in title(app)
        await press(pilot, "enter", "escape")
        assert app.screen.query_one(LeadTable).count == repo.count(ListQuery())
        # many matches: the first window shows at once, the exact count follows
        await press(pilot, "slash", "e")

        expected = repo.count(ListQuery(search="e"))
        assert expected > 100 and f"· {expected} Treffer" in title(app)
        assert app.screen.query_one(LeadTable).count == expected
        await press(pilot, "enter", "escape")
        await press(pilot, "s")
        assert app.screen.list_query.sort is SortKey.TITLE
        first = repo.rows(ListQuery(sort=SortKey.TITLE, descending=False), 0, 1)[0]
        assert app.screen.query_one(LeadTable).current.id == first.id
        await pilot.click("#lead-header", offset=(4, 0))
        assert app.screen.list_query.descending


async def test_search_finds_leads_by_their_kollege(make_app):
    """ "/" with a colleague's name and a place: that colleague's leads there."""
    app = make_app()
    repo = app.repository
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"lena ")
        await settle(pilot)
        lena = repo.count(ListQuery(colleague_id=colleague(app, repo, "Lena Hoffmann").id))
        assert title(app) == f"Alle Leads · {lena} Treffer"
        table = app.screen.query_one(LeadTable)
        city = table.cache.row(0).city
        await press(pilot, *city.split()[0])
        await settle(pilot)
        shown = [table.cache.row(i) for i in range(table.count)]
        assert shown and all(r.assignee.name == "Lena Hoffmann" and r.city == city for r in shown)


async def test_empty_list_says_what_it_means(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "6")
        assert "Keine offenen Leadangebote" in rendered_text(app)
        await press(pilot, "1", "slash", *"xyzzy")
        assert "Keine Treffer für „xyzzy“." in rendered_text(app)


async def test_storage_error_is_a_toast_and_the_app_keeps_running(make_app, monkeypatch):
    app = make_app()
    repo = app.repository

    def broken(*args, **kwargs):
        raise StorageError("Datenbankfehler: database is locked")

    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "3")  # `i` acts on a row of the list shown, so after it has loaded
        lead = app.screen.query_one(LeadTable).current
        monkeypatch.setattr(repo, "assign", broken)
        await press(pilot, "i")
        assert any("database is locked" in n.message for n in app._notifications)
        monkeypatch.undo()
        assert repo.assignment(lead.id).version == lead.version
        await press(pilot, "2")
        assert title(app).startswith("Meine Leads")


async def test_command_palette_offers_the_screen_actions(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = [c.title for c in app.get_system_commands(app.screen)]
        for action in ("Neuer Lead", "Zuweisen", "Mir zuweisen", "Spalten", "Suchen", "Sortieren"):
            assert action in names
        assert "Annehmen" not in names
        # German, Textual's own commands too, and each said once.
        for german in ("Beenden", "Tasten anzeigen", "Farbschema", "Bildschirmfoto"):
            assert names.count(german) == 1
        for english in ("Quit", "Keys", "Theme", "Screenshot", "Maximize"):
            assert english not in names
        await press(pilot, "ctrl+p")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "CommandPalette"
        assert app.screen.query_one(Input).placeholder == "Befehl suchen …"


async def test_the_help_panel_lists_only_keys_that_work_here(make_app):
    """The help panel shows the list's own keys in German, none of the scrolling keys the
    table's Textual base class has (they did nothing here)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        descriptions = {b.description for _, b, _, _ in app.screen.active_bindings.values()}
        assert {"Hoch", "Runter", "Seite runter", "Ende", "Markieren"} <= descriptions
        assert not {"Scroll Left", "Scroll Right", "Page Left", "Page Right", "Scroll Up"} & descriptions


async def test_list_picker_delete_removes_the_assignment(make_app):
    app = make_app()
    repo = app.repository
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        lead = app.screen.query_one(LeadTable).current
        await press(pilot, "a")
        assert isinstance(app.screen, PickColleague)
        await press(pilot, "delete")
        await settle(pilot)
        assert repo.assignment(lead.id).assignee is None
        assert any("Zuweisung entfernt" in n.message for n in app._notifications)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_footer_shows_whole_keys_only_and_the_essential_ones(make_app, size):
    """No key is cut off at the terminal's edge; what does not fit is left out, least important
    first, and quit, help and the palette always show."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for screen_keys, essential in (
            ((), {"q", "question_mark", "slash", "a"}),
            (("enter",), {"q", "k", "escape"}),
            (("escape", "t"), {"q", "enter", "escape", "o"}),  # Team-Auslastung (issue 22)
            (("escape", "b"), {"q", "enter", "escape"}),
        ):
            await press(pilot, *screen_keys)
            await settle(pilot)
            footer = app.screen.query_one(FittingFooter)
            keys = list(footer.query(FooterKey))
            palette = next(k for k in keys if k.has_class("-command-palette"))
            assert palette.description == "Befehle"
            for key in keys:
                if key is not palette:
                    assert key.region.right <= palette.region.x, f"{key.key} is cut off"
            assert essential <= {k.key for k in keys}


async def test_the_footer_is_rebuilt_only_when_its_keys_change(make_app, monkeypatch):
    """The screens refresh their bindings many times as the app starts and at most keys; a
    footer rebuilds its keys only when what it shows (or its width) changed - never twice in a
    row for the same keys. Textual's own Footer rebuilt 22 times on this walk, 8 of them needed."""
    built: dict[int, list[tuple[object, ...]]] = {}
    compose = FittingFooter.compose

    def recording(self: FittingFooter):
        shown = tuple(
            (binding.key, binding.description, binding.action, enabled)
            for _, binding, enabled, _ in self.screen.active_bindings.values()
            if binding.show
        )
        built.setdefault(id(self), []).append((self.size.width, shown))
        return compose(self)

    monkeypatch.setattr(FittingFooter, "compose", recording)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for keys in ("3", "j", "i", "enter", "escape", ("slash", *"wall")):
            await press(pilot, *keys)
        await settle(pilot)
    assert sum(len(times) for times in built.values()) >= 4  # the lists and the detail were shown
    for times in built.values():
        assert all(earlier != later for earlier, later in itertools.pairwise(times)), times


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_list_title_fits_beside_the_search_box(make_app, size):
    """The title says the count whole; the term stands in the search box beside it."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"Ingolstadt")
        await settle(pilot)
        label = app.screen.query_one("#list-title", Label)
        shown = str(label.render())
        assert shown.endswith(" Treffer") and "Alle Leads" in shown
        assert cell_len(shown) <= label.content_region.width
        assert app.screen.query_one("#search", Input).value == "Ingolstadt"


async def test_filter_a_list_by_colleague_and_clear_it(make_app):
    """f picks a colleague (by name, inactive ones too): the list shows only their leads, the title
    says whose; Esc lifts the filter. It is in the palette as well."""
    app = make_app()
    repo = app.repository
    jonas = colleague(app, repo, "Jonas Weber")
    markus = next(c for c in repo.colleagues(include_inactive=True) if c.name == "Markus Schulz")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Kollege filtern" in [c.title for c in app.get_system_commands(app.screen)]
        await press(pilot, "f")
        await settle(pilot)
        await press(pilot, *"jon", "enter")
        await settle(pilot)
        expected = repo.count(ListQuery(colleague_id=jonas.id))
        assert 0 < expected < repo.count(ListQuery())
        assert title(app) == f"Alle Leads von Jonas Weber · {expected}"
        table = app.screen.query_one(LeadTable)
        assert table.count == expected
        assert {table.cache.row(i).assignee.name for i in range(min(expected, 20))} == {"Jonas Weber"}
        await press(pilot, "4", "f")  # Verwaist: the leads of a deactivated colleague
        await settle(pilot)
        await press(pilot, *"markus", "enter")
        await settle(pilot)
        orphaned = repo.count(ListQuery(kind=ListKind.ORPHANED, colleague_id=markus.id))
        assert title(app) == f"Verwaist von Markus Schulz (inaktiv) · {orphaned}"
        await press(pilot, "escape")
        await settle(pilot)
        assert title(app) == f"Verwaist · {repo.count(ListQuery(kind=ListKind.ORPHANED))}"


async def test_hand_over_a_deactivated_colleagues_leads_from_verwaist(make_app):
    """In Verwaist, h on a lead of Markus Schulz (inactive): choose Jonas, see "N Leads von Markus
    Schulz → Jonas Weber", confirm once; all of them move, recorded as a handover."""
    app = make_app()
    repo = app.repository
    markus = next(c for c in repo.colleagues(include_inactive=True) if c.name == "Markus Schulz")
    jonas = colleague(app, repo, "Jonas Weber")
    count = repo.orphaned_count(markus.id)
    jonas_before = repo.count(ListQuery(colleague_id=jonas.id))
    assert count > 0
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "h")  # not on "Alle Leads": nothing happens
        assert isinstance(app.screen, LeadsScreen)
        await press(pilot, "4")
        await settle(pilot)
        lead_id = app.screen.query_one(LeadTable).current.id
        await press(pilot, "h")
        await settle(pilot)
        assert isinstance(app.screen, PickColleague)
        await press(pilot, *"jon", "enter")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        question = text_of(app.screen.query_one(".dialog-title"))
        assert f"{count} Leads von Markus Schulz → Jonas Weber übergeben?" in question
        await press(pilot, "y")
        await settle(pilot)
        assert title(app) == "Verwaist · 0"
    assert repo.orphaned_count(markus.id) == 0
    assert repo.count(ListQuery(colleague_id=jonas.id)) == jonas_before + count
    assert repo.lead(lead_id).history[0].reason.label == "Übergabe (deaktiviert)"


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
async def test_the_title_has_the_most_room_and_a_status_reads_short(make_app, size):
    """Issue 22: titles share their beginning ("Ladeinfrastruktur …"), so the title gets the
    spare width; a status reads "in Bearb." and takes none."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = app.screen.query_one(LeadTable)
        keys = [c.key for c in table.columns]
        widths = dict(zip(keys, table._widths(table.scrollable_content_region.width), strict=True))
        assert widths["status"] == len("in Bearb.")
        assert widths["title"] == max(widths.values()) and widths["title"] >= {80: 18, 120: 27}[size[0]]


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
async def test_with_the_kollege_column_shown_names_read_and_the_title_keeps_the_most_room(make_app, size):
    """The Kollege column never cuts a name in half: a name too long reads "S. Wagner"; the
    title stays the widest column; a status too long reads "in Bearb."."""
    app = make_app()
    app.repository.save_setting("lead_list.columns", "title,prospect,city,status,value,created,colleague")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = app.screen.query_one(LeadTable)
        keys = [c.key for c in table.columns]
        assert "colleague" in keys
        widths = dict(zip(keys, table._widths(table.scrollable_content_region.width), strict=True))
        assert widths["title"] == max(widths.values())
        screen_text = "\n".join(
            "".join(segment.text for segment in table.render_line(y)) for y in range(table.size.height)
        )
        for i in range(table.size.height):
            row = table.cache.row(i)
            if row.assignee:
                first, last = row.assignee.name.split(" ", 1)
                assert row.assignee.name in screen_text or f"{first[0]}. {last}" in screen_text
        assert "Bearbei…" not in screen_text


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_an_inactive_kollege_reads_inaktiv_even_when_the_name_is_cut(make_app, size):
    """Issue 22: in Verwaist every Kollege is inactive; each row says so, however narrow."""
    app = make_app()
    app.repository.save_setting("lead_list.columns", "title,prospect,city,status,value,created,colleague")
    async with app.run_test(size=size) as pilot:
        await press(pilot, "4")
        table = app.screen.query_one(LeadTable)
        lines = ["".join(segment.text for segment in table.render_line(y)) for y in range(table.size.height)]
        shown = [line for i, line in enumerate(lines) if i < table.count]
        assert shown and all("(inaktiv)" in line for line in shown), shown


def open_leads_of(repo: Repository, colleague_id: int) -> int:
    """Counted the slow way, from the rows, to check the counters the screens read."""
    rows = repo.rows(ListQuery(colleague_id=colleague_id), 0, 10_000)
    return sum(1 for r in rows if r.status.value in ("neu", "in Bearbeitung"))


async def test_the_picker_shows_each_colleagues_open_leads(make_app):
    """Where a lead is assigned, each colleague's open leads (neu or in Bearbeitung) stand beside
    their name, in a column; assigning an open lead moves the count."""
    app = make_app()
    repo = app.repository
    lena = colleague(app, repo, "Lena Hoffmann")
    before = open_leads_of(repo, lena.id)

    def prompts() -> list[str]:
        options = app.screen.query_one(OptionList)
        return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        lead = app.screen.query_one(LeadTable).current
        await press(pilot, "a")
        assert isinstance(app.screen, PickColleague)
        assert next(p for p in prompts() if p.startswith("Lena Hoffmann")).endswith(f"  {before} offen")
        assert len({p.index("offen") for p in prompts()}) == 1  # one column
        await press(pilot, *"lena", "enter")
        await settle(pilot)
        await press(pilot, "a")
        moved = 1 if lead.status.value in ("neu", "in Bearbeitung") else 0
        assert next(p for p in prompts() if p.startswith("Lena Hoffmann")).endswith(f"  {before + moved} offen")
        assert open_leads_of(repo, lena.id) == before + moved


async def test_the_team_workload_shows_open_and_new_leads_and_opens_a_colleagues_leads(make_app):
    """t shows every active colleague (and deactivated ones with leads) with open, new and all
    leads; enter shows that colleague's leads; o puts the busiest first."""
    app = make_app()
    repo = app.repository
    jonas = colleague(app, repo, "Jonas Weber")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        assert isinstance(app.screen, WorkloadScreen)
        table = app.screen.query_one("#workload")
        rows = {str(table.get_row_at(i)[0]): [str(c) for c in table.get_row_at(i)[1:]] for i in range(table.row_count)}
        assert "Markus Schulz (inaktiv)" in rows  # deactivated, still has leads
        for who in repo.workload(include_inactive=True):
            rows_all = repo.rows(ListQuery(colleague_id=who.colleague.id), 0, 10_000)
            if not who.colleague.active and not rows_all:
                continue
            name = who.colleague.display_name + (" (ich)" if who.colleague.id == repo.me.id else "")
            expected_open = sum(1 for r in rows_all if r.status.value in ("neu", "in Bearbeitung"))
            expected_new = sum(1 for r in rows_all if r.status.value == "neu")
            offers = "✓" if who.colleague.receives_offers else ""  # an admin receives offers (rule 21)
            assert rows[name] == [str(expected_open), str(expected_new), str(who.overdue), str(len(rows_all)), offers]
        await press(pilot, "o")
        firsts = [int(str(table.get_row_at(i)[1])) for i in range(table.row_count)]
        assert firsts == sorted(firsts, reverse=True)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        table.move_cursor(row=names.index("Jonas Weber"))
        await press(pilot, "enter")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)
        assert title(app) == f"Alle Leads von Jonas Weber · {repo.count(ListQuery(colleague_id=jonas.id))}"
        assert "Team" in [c.title for c in app.get_system_commands(app.screen)]


async def test_hand_over_from_the_team_workload(make_app):
    """h on a deactivated colleague in the workload: the same preview and confirmation as in
    Verwaist; on an active one it says why not."""
    app = make_app()
    repo = app.repository
    markus = next(c for c in repo.colleagues(include_inactive=True) if c.name == "Markus Schulz")
    count = repo.orphaned_count(markus.id)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        table = app.screen.query_one("#workload")
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        table.move_cursor(row=names.index("Anna Becker (ich)"))
        await press(pilot, "h")
        assert isinstance(app.screen, WorkloadScreen)
        assert any("nur die Leads deaktivierter" in str(n.message) for n in app._notifications)
        table.move_cursor(row=names.index("Markus Schulz (inaktiv)"))
        await press(pilot, "h")
        await settle(pilot)
        assert isinstance(app.screen, PickColleague)
        await press(pilot, *"sophie", "enter")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        question = text_of(app.screen.query_one(".dialog-title"))
        assert f"{count} Leads von Markus Schulz → Sophie Wagner übergeben?" in question
        await press(pilot, "j")
        await settle(pilot)
        assert isinstance(app.screen, WorkloadScreen)  # h returns to the workload (issue 22)
        table = app.screen.query_one("#workload")
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "Markus Schulz (inaktiv)" not in names
        assert "Sophie Wagner" in names
    assert repo.orphaned_count(markus.id) == 0


async def test_the_team_workload_says_its_sort_in_header_and_footer(make_app):
    """Issue 22: the title and the column say how the team is sorted; the footer offers the other."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        table = app.screen.query_one("#workload")

        def labels() -> list[str]:
            return [str(column.label) for column in table.columns.values()][:2]

        assert "nach Name" in text_of(app.screen.query_one("#workload-title")) and labels() == ["Kollege ↑", "Offen"]
        assert "Nach Offen" in footer_descriptions(app)
        await press(pilot, "o")
        assert "die meisten offenen zuerst" in text_of(app.screen.query_one("#workload-title"))
        assert labels() == ["Kollege", "Offen ↓"] and "Nach Name" in footer_descriptions(app)
        opened = [int(str(table.get_row_at(i)[1]).replace(".", "")) for i in range(table.row_count)]
        assert opened == sorted(opened, reverse=True)
        await press(pilot, "o")
        assert labels() == ["Kollege ↑", "Offen"]


def footer_descriptions(app) -> list[str]:
    return [key.description for key in app.screen.query(FooterKey)]


def footer_keys(app) -> list[str]:
    return [key.key for key in app.screen.query(FooterKey)]


async def test_undo_an_assignment_with_u_and_later_the_ones_before(make_app):
    """i, then u: the lead is unassigned again, recorded as a new change. `u` keeps a short
    history (issue 22): long after the toasts are gone, u takes back the newest of one's own
    changes, then the one before - also one made in the detail."""
    timers = ManualTimers()
    app = make_app(timers=timers)
    repo = app.repository
    unassigned = repo.count(ListQuery(kind=ListKind.UNASSIGNED))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        assert "u" not in footer_keys(app)
        lead = app.screen.query_one(LeadTable).current
        await press(pilot, "i")
        await settle(pilot)
        assert any("u: Rückgängig" in n.message for n in app._notifications)
        await until(pilot, lambda: "u" in footer_keys(app), "u in the footer")
        await press(pilot, "u")
        await settle(pilot)
        assert repo.assignment(lead.id).assignee is None
        assert title(app) == f"Nicht zugewiesen · {unassigned}"
        assert [h.reason.label for h in repo.lead(lead.id).history][:2] == ["rückgängig gemacht", "zugewiesen"]
        await until(pilot, lambda: "u" not in footer_keys(app), "u gone from the footer: nothing left to undo")
        first = app.screen.query_one(LeadTable).current
        await press(pilot, "i")
        await settle(pilot)
        second = app.screen.query_one(LeadTable).current
        await press(pilot, "enter", "i", "escape")  # the second one from its detail
        await settle(pilot)
        timers.advance(UNDO_S * 10)  # the toasts are long gone
        await pilot.pause()
        assert {repo.assignment(first.id).assignee.id, repo.assignment(second.id).assignee.id} == {repo.me.id}
        await press(pilot, "u")
        await settle(pilot)
        assert repo.assignment(second.id).assignee is None and repo.assignment(first.id).assignee is not None
        assert any(f"Zuweisung von „{second.title}“. Noch 1 mit u." in n.message for n in app._notifications), [
            n.message for n in app._notifications
        ]
        await press(pilot, "u")
        await settle(pilot)
        assert repo.assignment(first.id).assignee is None
        await until(pilot, lambda: "u" not in footer_keys(app), "u gone with the history")


async def test_undo_says_so_when_a_colleague_changed_the_lead_meanwhile(make_app, demo_engine):
    app = make_app()
    repo = app.repository
    jonas = Repository.for_email(demo_engine, "jonas.weber@sonnenstrom.example")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        lead = app.screen.query_one(LeadTable).current
        await press(pilot, "i")
        await settle(pilot)
        jonas.assign(lead.id, jonas.me.id, repo.assignment(lead.id).version)
        await press(pilot, "u")
        await settle(pilot)
        assert any("inzwischen von anderen geändert" in n.message for n in app._notifications)
    assert repo.assignment(lead.id).assignee.name == "Jonas Weber"


async def test_undo_a_bulk_assignment_returns_each_lead(make_app):
    app = make_app()
    repo = app.repository
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(LeadTable)
        rows = [table.cache.row(i) for i in range(3)]
        await press(pilot, "space", "space", "space", "a", *"sophie", "enter", "j")
        await settle(pilot)
        assert {repo.assignment(r.id).assignee.name for r in rows} == {"Sophie Wagner"}
        await press(pilot, "u")
        await settle(pilot)
    for row in rows:
        now = repo.assignment(row.id).assignee
        assert (now.id if now else None) == (row.assignee.id if row.assignee else None)


async def test_undo_an_acceptance_and_a_decline(make_app):
    """Tim accepts, u: the offer is open again and the lead out of his lists; declines, u: open."""
    app = make_app(TIM)
    repo = app.repository
    offers = repo.count(ListQuery(kind=ListKind.OFFERS))
    everything = repo.count(ListQuery())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "6")
        first = app.screen.query_one(LeadTable).current
        await press(pilot, "a")
        await settle(pilot)
        assert repo.count(ListQuery()) == everything + 1
        await press(pilot, "u")
        await settle(pilot)
        assert repo.count(ListQuery(kind=ListKind.OFFERS)) == offers
        assert repo.count(ListQuery()) == everything
        assert title(app) == f"Leadangebote · {offers}"
        await press(pilot, "d", "1")
        await settle(pilot)
        assert repo.count(ListQuery(kind=ListKind.OFFERS)) == offers - 1
        await press(pilot, "u")
        await settle(pilot)
        assert repo.count(ListQuery(kind=ListKind.OFFERS)) == offers
        assert first.share_id in {r.share_id for r in repo.rows(AS_SHOWN, 0, 100)}


async def test_no_english_key_of_textual_reaches_the_palette_on_any_screen(make_app):
    """Issue 22: the palette offers leadtui's own actions in German, never Textual's English
    keys - on the list, the detail, a form with a text field focused, the inbox and a dialog."""
    english = textual_descriptions()
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        for keys in (["1"], ["2", "enter"], ["e"], ["escape", "escape", "b"], ["escape", "slash"], ["escape", "c"]):
            await press(pilot, *keys)
            await settle(pilot)
            titles = {c.title for c in app.get_system_commands(app.screen)}
            assert not titles & english, (keys, sorted(titles & english))
        await press(pilot, "escape", "escape", "ctrl+c")
        await settle(pilot)
        said = [n for n in app._notifications if n.title == "leadtui beenden?"]
        assert said and "Beenden mit q" in said[-1].message
        assert not any("Do you want to quit" in (n.title or "") for n in app._notifications)


async def test_x_marks_as_space_does_and_ctrl_d_u_move_half_a_page(make_app):
    """Issue 22: keys power users reach for - `x` marks (Gmail, mutt), ctrl+d/ctrl+u half pages."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.table
        first, second = table.current.key, None
        await press(pilot, "x")
        second = table.current.key
        await press(pilot, "x")
        assert set(table.marked) == {first, second}
        await press(pilot, "k", "x")  # x again takes the mark off
        assert set(table.marked) == {first}
        at = table.cursor
        half = table.scrollable_content_region.height // 2
        await press(pilot, "ctrl+d")
        assert table.cursor == at + half
        await press(pilot, "ctrl+u", "ctrl+u")
        assert table.cursor == max(at - half, 0)


async def test_j_k_g_move_in_the_team_workload_the_inbox_and_the_journal(make_app):
    """Issue 22: the list keys work in every list-like view, and `?` says them in German."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        team = app.screen.query_one("#workload")
        await press(pilot, "j", "j")
        assert team.cursor_row == 2
        await press(pilot, "k")
        assert team.cursor_row == 1
        await press(pilot, "G")
        assert team.cursor_row == team.row_count - 1
        await press(pilot, "g")
        assert team.cursor_row == 0
        descriptions = {key.binding.description for key in offered_keys(app.screen)}
        assert {"Runter", "Hoch", "Anfang", "Ende", "Halbe Seite runter"} <= descriptions
        await press(pilot, "escape", "b")
        inbox = app.screen.query_one("#inbox", OptionList)
        start = inbox.highlighted or 0
        await press(pilot, "j")
        assert inbox.highlighted == start + 1
        await press(pilot, "G")
        assert inbox.highlighted == inbox.option_count - 1
        await press(pilot, "escape", "2", "enter")
        journal = app.screen.query_one("#journal", OptionList)
        journal.focus()
        journal.highlighted = 0
        await settle(pilot)
        await press(pilot, "j")
        assert journal.highlighted == 1


async def test_star_marks_the_whole_list_and_again_none(make_app, monkeypatch):
    """Issue 22: `*` (or ctrl+a) marks every lead of the list as shown, `*` again none; a list
    too long for one bulk change says how to narrow it."""
    import leadtui.ui.screens.leads as leads_module

    app = make_app()
    repo = app.repository
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await press(pilot, "2")
        table = app.screen.table
        mine = {row.id for row in repo.rows(ListQuery(kind=ListKind.MINE), 0, 1000)}
        assert table.count > table.size.height  # more than the screen shows
        await press(pilot, "asterisk")
        await settle(pilot)
        assert {row.id for row in table.marked.values()} == mine
        assert "markiert" in rendered_text(app)
        await press(pilot, "asterisk")
        assert not table.marked
        await press(pilot, "ctrl+a")
        await settle(pilot)
        assert len(table.marked) == len(mine)
        await press(pilot, "escape")
        monkeypatch.setattr(leads_module, "MARK_ALL_MOST", len(mine) - 1)
        await press(pilot, "asterisk")
        await settle(pilot)
        assert not table.marked
        assert any("zu viele" in n.message for n in app._notifications)


async def test_j_k_in_the_detail_walk_the_list_and_a_i_assign_there(make_app):
    """Issue 22: the next and previous lead of the list without going back (J/K, ]/[), the
    list's cursor following; `a` and `i` assign in the detail as in the list."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "3")  # Nicht zugewiesen
        await settle(pilot)
        listed = app.screen
        first, second = listed.table.row_at(0), listed.table.row_at(1)
        await press(pilot, "enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, LeadDetailScreen) and detail.lead.id == first.id
        await press(pilot, "J")
        await settle(pilot)
        assert detail.lead.id == second.id and listed.table.cursor == 1
        await press(pilot, "left_square_bracket")
        await settle(pilot)
        assert detail.lead.id == first.id
        await press(pilot, "K")  # at the top: said, nothing else happens
        await settle(pilot)
        assert detail.lead.id == first.id
        assert any("Anfang der Liste" in n.message for n in app._notifications)

        await press(pilot, "i")  # nobody has it: mine at once
        await settle(pilot)
        assert app.repository.assignment(first.id).assignee.id == app.repository.me.id
        await press(pilot, "a")  # opens the Kollege picker, as k does
        assert detail.editing
        await press(pilot, "escape", "escape")
        await settle(pilot)
        assert app.screen is listed and listed.table.cursor == 0


async def test_esc_on_a_form_with_something_typed_asks_before_throwing_it_away(make_app):
    """Issue 22: nothing typed is lost unasked - the new-lead form, a note, a task; an untouched
    form closes at once."""
    app = make_app()
    before = app.repository.count(ListQuery())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "n", "escape")  # untouched: closes
        assert isinstance(app.screen, LeadsScreen)
        await press(pilot, "n", *"Wärmepumpe Lang", "escape")
        assert isinstance(app.screen, Confirm) and "verwerfen" in text_of(app.screen.query_one(".dialog-title"))
        await press(pilot, "n")  # no: back to the form, the text still there
        form = app.screen
        assert isinstance(form, NewLeadScreen) and form.query_one("#f-title", Input).value == "Wärmepumpe Lang"
        await press(pilot, "escape", "j")  # yes: gone, nothing saved
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen) and app.repository.count(ListQuery()) == before

        await press(pilot, "2", "enter")
        await settle(pilot)
        for key, typed in (("n", "Rückruf morgen"), ("t", "Angebot schicken")):
            await press(pilot, key, *typed, "escape")
            assert isinstance(app.screen, Confirm), key
            await press(pilot, "escape")  # esc on the question: back to the dialog
            assert not isinstance(app.screen, (Confirm, LeadDetailScreen)), key
            await press(pilot, "escape", "y")
            await settle(pilot)
            assert isinstance(app.screen, LeadDetailScreen), key
        assert not any(e.text in ("Rückruf morgen", "Aufgabe: Angebot schicken") for e in app.screen.lead.journal)


async def test_faellige_aufgaben_shows_the_due_date_and_puts_the_most_overdue_first(make_app):
    """Issue 22: the list answers the question it is for - without the column in other lists -
    and x in the detail ticks the open task due first."""
    from datetime import timedelta

    app = make_app()
    repo = app.repository
    today = repo.today()
    mine = repo.rows(ListQuery(kind=ListKind.MINE), 0, 3)
    for row, days in zip(mine, (1, 9, 4), strict=True):  # overdue by a day, nine days, four days
        repo.add_task(row.id, f"Rückruf {days}", today - timedelta(days=days))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Fällig" not in [c.label for c in app.screen.table.columns]
        await press(pilot, "7")
        await settle(pilot)
        screen = app.screen
        assert screen.list_query.sort is SortKey.DUE and not screen.list_query.descending
        assert [c.label for c in screen.table.columns][:2] == ["Titel", "Fällig"]
        dues = [screen.table.row_at(i).next_due for i in range(screen.table.count)]
        assert dues == sorted(dues) and dues[0] <= today - timedelta(days=9)
        await press(pilot, "1")
        await settle(pilot)
        assert screen.list_query.sort is SortKey.CREATED and screen.list_query.descending

        lead = mine[0]
        repo.add_task(lead.id, "Später", today + timedelta(days=3))
        app.open_lead(lead.id)
        await settle(pilot)
        await press(pilot, "x")  # the overdue one, not the newest
        await settle(pilot)
        done = {e.text: e.done for e in repo.lead(lead.id).journal if e.kind is JournalKind.TASK}
        assert done["Rückruf 1"] and not done["Später"], done


async def test_q_with_marked_leads_asks_first(make_app):
    """Issue 22: marks are work not yet done - q asks before throwing them away."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "x", "x", "q")
        assert isinstance(app.screen, Confirm) and "2 Leads sind markiert" in text_of(
            app.screen.query_one(".dialog-title")
        )
        await press(pilot, "n")
        assert not app.closing and len(app.screen.table.marked) == 2
        await press(pilot, "q", "j")
        assert app.closing


async def test_ctrl_q_in_a_form_with_something_typed_asks_first(make_app):
    """Issue 22: ctrl+q quits from anywhere, `q` is typed into a form - and neither throws
    away what was typed, or marked, without a yes."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "n", *"Dachsanierung q")
        assert isinstance(app.screen, NewLeadScreen) and not app.closing
        await press(pilot, "ctrl+q")
        assert isinstance(app.screen, Confirm) and "Das Eingegebene geht verloren" in text_of(
            app.screen.query_one(".dialog-title")
        )
        await press(pilot, "escape")
        assert isinstance(app.screen, NewLeadScreen) and not app.closing
        assert app.screen.query_one("#f-title", Input).value == "Dachsanierung q"
        await press(pilot, "ctrl+q", "j")
        assert app.closing


async def test_the_detail_scrolls_with_the_list_keys(make_app):
    """Issue 22: at 80x24 the journal and the history are below the fold; j, ctrl+d, G and g
    scroll there and back (k stays the Kollege tile's)."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_of_mine(app, pilot)
        detail = app.screen.query_one("#detail")
        assert detail.max_scroll_y > 0
        await press(pilot, "j")
        assert detail.scroll_y == 1
        await press(pilot, "ctrl+d")
        assert detail.scroll_y > 1
        await press(pilot, "G")
        assert detail.scroll_y == detail.max_scroll_y
        await press(pilot, "g")
        assert detail.scroll_y == 0
        await press(pilot, "k")
        assert app.screen.query_one(ColleagueTile).has_class("-editing")
