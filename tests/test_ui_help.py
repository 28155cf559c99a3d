"""Pilot tests of `?`/F1, the keys of a view in German (issue 22): what each view lists, that
no English key of Textual's reaches it, and that it scrolls by keyboard at 80x24."""

from __future__ import annotations

import io

from helpers import drawn, press, settle, textual_descriptions
from rich.console import Console
from textual.containers import VerticalScroll

from leadtui.ui.screens.detail import LeadDetailScreen
from leadtui.ui.screens.key_help import KeyHelp, key_table
from leadtui.ui.screens.leads import LeadsScreen
from leadtui.ui.screens.new_lead import NewLeadScreen

SMALL = (80, 24)


def help_lines(app) -> list[str]:
    """The help's table as it is drawn, one line per row, spaces collapsed."""
    assert isinstance(app.screen, KeyHelp)
    console = Console(width=60, record=True, file=io.StringIO())
    console.print(key_table(app.screen.offered))
    return [" ".join(line.split()) for line in console.export_text().splitlines()]


async def test_question_mark_shows_the_lists_keys_in_german_and_closes_again(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        await settle(pilot)
        lines = help_lines(app)
        for expected in ("Liste", "space x Markieren", "Diese Ansicht", "n Neuer Lead", "Überall", "? f1 Tasten"):
            assert expected in lines, expected
        assert "^q q Beenden" in lines and "tab Nächstes Feld" in lines
        await press(pilot, "question_mark")
        await settle(pilot)
        assert isinstance(app.screen, LeadsScreen)


async def test_f1_shows_the_keys_of_a_form_where_question_mark_is_typed(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "n", "question_mark")
        await settle(pilot)
        assert isinstance(app.screen, NewLeadScreen)  # the ? went into the title
        await press(pilot, "f1")
        await settle(pilot)
        lines = help_lines(app)
        assert "^s Speichern" in lines and "esc Abbrechen" in lines
        await press(pilot, "f1")
        await settle(pilot)
        assert isinstance(app.screen, NewLeadScreen)


async def test_no_english_key_of_textual_reaches_the_help_on_any_screen(make_app):
    english = textual_descriptions()
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for keys in ([], ["2", "enter"], ["e"], ["escape", "escape", "b"], ["escape", "slash"], ["escape", "c"]):
            await press(pilot, *keys)
            await settle(pilot)
            shown_on = type(app.screen).__name__
            await press(pilot, "f1")
            await settle(pilot)
            text = "\n".join(help_lines(app))
            assert not [word for word in english if f" {word}\n" in f"{text}\n"], shown_on
            await press(pilot, "escape")
            await settle(pilot)
        assert isinstance(app.screen, LeadDetailScreen | LeadsScreen) or app.screen.is_modal


async def test_the_help_scrolls_by_keyboard_at_80_by_24(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        await settle(pilot)
        box = app.screen.query_one("#key-list", VerticalScroll)
        assert box.max_scroll_y > 0  # the list's keys do not fit: the test means something
        await press(pilot, "j", "j")
        await settle(pilot)
        assert box.scroll_y == 2
        await press(pilot, "G")
        await settle(pilot)
        assert box.scroll_y == box.max_scroll_y
        await press(pilot, "g")
        await settle(pilot)
        assert box.scroll_y == 0


async def test_every_hint_and_choice_reads_whole_at_80_columns(make_app):
    """Issue 22: dialog hints ("Esc: abbrec", "Entf: Filter au") and preference labels ("…(neu
    und erledig…") were cut at 80 columns; they wrap or have the room now."""
    from rich.cells import cell_len
    from textual.widgets import Label, SelectionList

    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        for keys in (["f"], ["escape", "a"], ["escape", "c"], ["escape", "2", "w"], ["escape", "escape", "b", "e"]):
            await press(pilot, *keys)
            await settle(pilot)
            dialog = app.screen
            for hint in dialog.query(".hint").results(Label):
                said = " ".join(str(hint.render()).split())
                assert hint.outer_size.width <= hint.parent.size.width, (type(dialog).__name__, said)  # not cut
                assert drawn(hint) == said, (type(dialog).__name__, said)
            for choices in dialog.query(SelectionList):
                room = choices.scrollable_content_region.width - 6  # the checkbox and its gaps
                for index in range(choices.option_count):
                    prompt = str(choices.get_option_at_index(index).prompt)
                    assert cell_len(prompt) <= room, (type(dialog).__name__, prompt)


def textual_toasts() -> set[str]:
    """Every literal text Textual's own code puts in a toast (message or title): English."""
    import ast
    from pathlib import Path

    import textual

    found: set[str] = set()
    for path in Path(textual.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "notify":
                for value in [*node.args[:1], *(k.value for k in node.keywords if k.arg == "title")]:
                    if isinstance(value, ast.Constant) and isinstance(value.value, str) and value.value:
                        found.add(value.value)
                    elif isinstance(value, ast.JoinedStr):  # f"Saved screenshot to …": its first words
                        head = value.values[0]
                        if isinstance(head, ast.Constant) and str(head.value).strip():
                            found.add(str(head.value).strip())
    assert "Saved screenshot" in found  # the check sees Textual's words
    return found


async def test_the_palettes_own_commands_ask_and_answer_in_german(make_app, tmp_path, monkeypatch):
    """Issue 22: the theme picker asks in German ("Search for themes…" was Textual's), and the
    screenshot says where it went in German ("Saved screenshot to …" was Textual's); no toast
    of Textual's English shows on any screen."""
    from helpers import ManualTimers
    from textual.command import CommandPalette
    from textual.widgets import Input

    monkeypatch.chdir(tmp_path)
    english = textual_toasts()
    timers = ManualTimers()
    app = make_app(timers=timers)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await settle(pilot)
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        commands["Farbschema"].callback()
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).placeholder == "Farbschema suchen …"
        await press(pilot, "escape")
        commands["Bildschirmfoto"].callback()
        timers.advance(0.1)
        await settle(pilot)
        saved = list(tmp_path.glob("leadtui_*.svg"))
        assert len(saved) == 1 and "<svg" in saved[0].read_text(encoding="utf-8")
        said = [(n.title, n.message) for n in app._notifications]
        assert ("Bildschirmfoto", f"Gespeichert: {saved[0].name}") in [(t, m.replace("./", "")) for t, m in said]
        for keys in (["2", "enter"], ["e"], ["escape", "escape", "b"], ["escape", "t"], ["escape", "ctrl+c"]):
            await press(pilot, *keys)
            await settle(pilot)
        for title, message in [(n.title, n.message) for n in app._notifications]:
            assert not any(word in (title, message) or message.startswith(word) for word in english), message


async def test_every_palette_entry_says_what_it_does_on_every_screen(make_app):
    """Issue 22: each command has a short German description beside its key - on the lists,
    the detail, Team-Auslastung, the inbox, the forms and the dialogs."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for keys in (
            [],
            ["2", "enter"],
            ["e"],
            ["escape", "n"],
            ["escape", "t"],
            ["escape", "w"],
            ["escape", "escape", "t"],
            ["escape", "b"],
            ["escape", "c"],
            ["escape", "f"],
        ):
            await press(pilot, *keys)
            await settle(pilot)
            for command in app.get_system_commands(app.screen):
                described = command.help.split(" · Taste:")[0]
                assert described and not described.startswith("Taste:"), command.title
