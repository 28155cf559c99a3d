"""Importing in the app (issue 20, rule 19): I on a list, a path, a preview that writes nothing
until enter, the duplicates' choice and a column's field changed in the preview, `u` taking
the whole import back while its toast is up."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import press, settle, until
from textual.widgets import Input, Static

from leadtui.domain import ListQuery
from leadtui.ui.screens.import_dialog import FieldPicker, ImportPathDialog, ImportPreview

pytestmark = pytest.mark.usefixtures("isolated_data_dir")


def sample(tmp_path: Path) -> Path:
    """Two new leads, one duplicate of a demo lead by its firm and city, one invalid row."""
    path = tmp_path / "kunden.csv"
    path.write_text(
        "Betreff;Unternehmen;Stadt;Auftragswert;Interne Nr.\n"
        "Wärmepumpe Hofer;Hofer KG;Augsburg;12.500,00 €;A-17\n"
        "Speicher Nachrüstung;Bäckerei Weiß;Esslingen;850;A-18\n"
        "Dach nochmal;{firm};{city};;A-19\n"
        "Ohne Wert;X;Ulm;viel;A-20\n",
        encoding="utf-8",
    )
    return path


def a_demo_lead(app) -> tuple[str, str]:
    row = app.repository.rows(ListQuery(), 0, 1)[0]
    return row.prospect, row.city


async def open_preview(pilot, path: Path) -> ImportPreview:
    app = pilot.app
    await press(pilot, "I")
    assert isinstance(app.screen, ImportPathDialog)
    app.screen.query_one(Input).value = str(path)
    await press(pilot, "enter")
    await until(pilot, lambda: isinstance(app.screen, ImportPreview), "the preview opens")
    await settle(pilot)
    await until(pilot, lambda: app.screen.outcome is not None, "the preview is counted")
    return app.screen


def shown(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_the_preview_writes_nothing_then_enter_imports_and_u_takes_it_back(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = app.repository.count(ListQuery())
        firm, city = a_demo_lead(app)
        path = sample(tmp_path)
        path.write_text(path.read_text().format(firm=firm, city=city))
        preview = await open_preview(pilot, path)
        assert "Neu: 2 · Dubletten: 1 · Ungültig: 1" in shown(preview, "#import-counts")
        assert "Zeile 5:" in shown(preview, "#import-findings") and "„viel“ ist kein Betrag" in shown(
            preview, "#import-findings"
        )
        assert "Firma und Ort wie Lead" in shown(preview, "#import-findings")
        assert app.repository.count(ListQuery()) == before  # a preview writes nothing
        await press(pilot, "2")  # duplicates: import them anyway
        await until(pilot, lambda: preview.outcome is not None, "counted again")
        assert "Neu: 3" in shown(preview, "#import-counts") and "‹2› importieren" in shown(preview, "#import-policy")
        await press(pilot, "1", "enter")
        await until(pilot, lambda: not isinstance(app.screen, ImportPreview), "the preview closes")
        await settle(pilot)
        assert app.repository.count(ListQuery()) == before + 2
        assert any("2 Leads importiert" in str(n.message) for n in app._notifications)
        assert app.screen.table.count == before + 2
        await press(pilot, "u")
        await settle(pilot)
        assert app.repository.count(ListQuery()) == before
        assert app.repository.import_batches()[0].undone_at is not None


async def test_m_gives_a_column_another_field_and_the_preview_follows(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        path = sample(tmp_path)
        path.write_text(path.read_text().format(firm="Neu GmbH", city="Bonn"))
        preview = await open_preview(pilot, path)
        await press(pilot, "end", "m")
        picker = app.screen
        assert isinstance(picker, FieldPicker) and picker.column == "Interne Nr."
        await press(pilot, "home", "down", "down", "down", "down", "down", "down", "down", "down", "down", "enter")
        await until(pilot, lambda: app.screen is preview and preview.outcome is not None, "counted again")
        assert preview.overrides == {"Interne Nr.": "Quelle"}
        await press(pilot, "enter")
        await until(pilot, lambda: not isinstance(app.screen, ImportPreview), "imported")
        await settle(pilot)
        imported = app.repository.rows(ListQuery(search="hofer"), 0, 5)
        assert [app.repository.lead(r.id).source for r in imported if r.title == "Wärmepumpe Hofer"] == ["A-17"]


async def test_a_path_that_is_no_lead_list_is_said_in_the_dialog_and_esc_imports_nothing(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = app.repository.count(ListQuery())
        await press(pilot, "I")
        dialog = app.screen
        for typed, said in ((tmp_path / "fehlt.csv", "gibt es nicht"), (tmp_path, "ist ein Ordner")):
            dialog.query_one(Input).value = str(typed)
            await press(pilot, "enter")
            await until(pilot, lambda s=said: s in shown(dialog, "#import-error"), f"the dialog says {said}")
            assert app.screen is dialog
        empty = tmp_path / "leer.csv"
        empty.write_bytes(b"")
        dialog.query_one(Input).value = str(empty)
        await press(pilot, "enter")
        await until(pilot, lambda: "leer" in shown(dialog, "#import-error"), "the dialog says the file is empty")
        await press(pilot, "escape")
        assert not isinstance(app.screen, ImportPathDialog)
        preview = await open_preview(pilot, sample(tmp_path))
        await press(pilot, "escape")
        assert app.screen is not preview and app.repository.count(ListQuery()) == before
        assert app.repository.import_batches() == []


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_preview_snapshot(snap_compare, make_app, tmp_path_factory, size, monkeypatch):
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    folder = tmp_path_factory.mktemp("import")
    app = make_app()

    async def preview(pilot):
        await settle(pilot)
        firm, city = a_demo_lead(app)
        path = sample(folder)
        path.write_text(path.read_text().format(firm=firm, city=city))
        await open_preview(pilot, path)

    assert snap_compare(app, run_before=preview, terminal_size=size)


async def test_a_long_file_shows_its_first_rows_counted_before_all(make_app, tmp_path, monkeypatch):
    seen: list[tuple[int, bool]] = []
    show = ImportPreview._show

    def recorded(self, outcome, of_all=True):
        seen.append((outcome.rows, of_all))
        show(self, outcome, of_all)

    monkeypatch.setattr(ImportPreview, "_show", recorded)
    path = tmp_path / "lang.csv"
    path.write_text("Titel;Ort\n" + "".join(f"Lead {i};Ulm\n" for i in range(1500)), encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        preview = await open_preview(pilot, path)
        assert seen == [(1000, False), (1500, True)]
        assert preview.outcome.new == 1500 and "Erste" not in shown(preview, "#import-counts")


async def test_a_file_removed_after_its_preview_imports_what_the_preview_showed(make_app, tmp_path):
    """The file is read once: what the preview counted is what enter imports, even when the
    file is gone (or changed) meanwhile."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = app.repository.count(ListQuery())
        path = sample(tmp_path)
        path.write_text(path.read_text().format(firm="Neu GmbH", city="Bonn"))
        preview = await open_preview(pilot, path)
        assert "Neu: 3" in shown(preview, "#import-counts")
        path.unlink()
        await press(pilot, "enter")
        await until(pilot, lambda: not isinstance(app.screen, ImportPreview), "imported")
        await settle(pilot)
        assert app.repository.count(ListQuery()) == before + 3


async def test_an_import_under_way_shows_a_bar_and_its_rows_per_second(make_app, tmp_path, monkeypatch):
    """The import is held after its third and its sixth chunk of 100 leads: the bar and the
    status line follow it (300, then 600 of 1.000, with the rate of writing between), then the
    import ends and the bar goes."""
    import threading

    from helpers import ManualTimers
    from textual.widgets import ProgressBar

    from leadtui.db import read_model
    from leadtui.repository import imports

    monkeypatch.setattr(imports, "CHUNK", 100)
    gates, chunks = {3: threading.Event(), 6: threading.Event()}, []
    counted = read_model.change_counts

    def held(*args, **kwargs):  # once per chunk written, in the import's thread
        counted(*args, **kwargs)
        chunks.append(1)
        if len(chunks) in gates:
            gates[len(chunks)].wait(30)

    monkeypatch.setattr(read_model, "change_counts", held)
    path = tmp_path / "tausend.csv"
    path.write_text("Titel;Ort\n" + "".join(f"Anfrage {i};Ulm\n" for i in range(1000)), encoding="utf-8")
    timers = ManualTimers()
    app = make_app(timers=timers)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = app.repository.count(ListQuery())
        await open_preview(pilot, path)
        await pilot.press("enter")
        screen = app.screen
        bar = screen.query_one("#import-progress", ProgressBar)

        async def asked_at(chunk: int) -> None:
            await until(pilot, lambda: len(chunks) == chunk, f"{chunk} chunks written", rounds=2000)
            timers.advance(0.5)
            await until(pilot, lambda: bar.progress == chunk * 100, f"the bar at {chunk * 100}", rounds=500)

        try:
            await asked_at(3)
            assert bar.display and bar.total == 1000
            assert "Import: schreiben 300 von 1.000 Zeilen" in shown(screen, "#status-line")
            gates[3].set()
            await asked_at(6)
            assert "Import: schreiben 600 von 1.000 Zeilen · " in shown(screen, "#status-line")
            assert "Zeilen/s" in shown(screen, "#status-line")
        finally:
            for gate in gates.values():
                gate.set()
        await settle(pilot)
        assert not bar.display and "Import:" not in shown(screen, "#status-line")
        assert app.repository.count(ListQuery()) == before + 1000
