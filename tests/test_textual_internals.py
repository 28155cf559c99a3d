"""What leadtui takes from Textual's unpublished parts (`leadtui/ui/textual_internals.py`) is
still where it was: a Textual upgrade that moves it fails here, not on a user's screen."""

from __future__ import annotations

from helpers import press, settle
from textual.command import CommandPalette
from textual.widget import Widget

from leadtui.ui import textual_internals
from leadtui.ui.textual_internals import PALETTE_ID, PALETTE_KEY_CLASS, FooterKey


def test_the_footer_key_is_a_widget_with_what_the_fitting_footer_reads():
    assert issubclass(FooterKey, Widget)
    for attribute in ("key", "key_display", "description", "action"):
        assert attribute in FooterKey.__init__.__code__.co_varnames, attribute


async def test_the_footer_marks_the_palette_key_and_the_palette_keeps_its_id(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        keys = list(app.screen.query(FooterKey))
        assert keys and any(key.has_class(PALETTE_KEY_CLASS) for key in keys)
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette) and app.screen.id == PALETTE_ID
        assert CommandPalette.is_open(app)


def test_nothing_else_is_taken_from_textuals_private_modules():
    """Only textual_internals imports a private Textual module."""
    import ast
    from pathlib import Path

    import leadtui.ui as ui

    root = Path(ui.__file__).parent
    for path in root.rglob("*.py"):
        if path.name == "textual_internals.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("textual"):
                assert not any(part.startswith("_") for part in node.module.split(".")), f"{path}: {node.module}"
    assert textual_internals.__all__
