"""Export (issue 20, rule 18): exactly what a list shows - its list, filter, search, sort and
chosen columns with their German names - every row of it, as CSV for German Excel or as xlsx;
never more than the colleague may see; safe against formula injection; all or nothing on disk."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from helpers import new_lead, passed_on_lead, run_cli, settle
from python_calamine import CalamineWorkbook

from leadtui.domain import ListKind, ListQuery, NewLead, SortKey, StorageError
from leadtui.domain.columns import COLUMNS_SETTING, chosen_columns, list_columns
from leadtui.exports import export

pytestmark = pytest.mark.usefixtures("isolated_data_dir")


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode()), "a byte order mark, for German Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def exported(repo, query: ListQuery | None = None, fmt: str = "csv", path: Path | None = None) -> list[list]:
    query = query or ListQuery()
    columns = list_columns(query.kind, chosen_columns(repo.setting(COLUMNS_SETTING)))
    if path is not None:
        export(repo, query, columns, path, fmt)
        if fmt == "xlsx":
            return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        return csv_rows(path.read_bytes())
    out = io.BytesIO()
    export(repo, query, columns, out, fmt)
    return csv_rows(out.getvalue())


def test_an_export_is_the_list_in_its_chosen_columns_order_and_sort(any_world):
    anna = any_world.repo("anna")
    for title, value in (("Wärmepumpe Hofer", 12_500), ("Dach Augsburg", 800), ("PV Ulm", None)):
        anna.create_lead(NewLead(title=title, prospect="Bäckerei Müller", city="Augsburg", value=value))
    anna.save_setting(COLUMNS_SETTING, "value,title,colleague")  # stored in any order: shown in the list's
    rows = exported(anna, ListQuery(sort=SortKey.TITLE, descending=False))
    assert rows[0] == ["Titel", "Wert", "Kollege"]
    assert rows[1:] == [
        ["Dach Augsburg", "800", "Anna Becker"],
        ["PV Ulm", "", "Anna Becker"],
        ["Wärmepumpe Hofer", "12500", "Anna Becker"],
    ]
    assert [r[0] for r in exported(anna, ListQuery(search="wärme"))[1:]] == ["Wärmepumpe Hofer"]
    jonas = any_world.ids["jonas"]
    lead = anna.rows(ListQuery(search="ulm"), 0, 1)[0]
    anna.assign(lead.id, jonas, lead.version)
    assert [r[0] for r in exported(anna, ListQuery(colleague_id=jonas))[1:]] == ["PV Ulm"]
    assert [r[0] for r in exported(anna, ListQuery(kind=ListKind.MINE))[1:]] == ["Dach Augsburg", "Wärmepumpe Hofer"]


def test_every_row_is_exported_not_the_visible_window(any_world, monkeypatch):
    monkeypatch.setattr("leadtui.exports.PAGE", 7)  # several pages
    anna = any_world.repo("anna")
    for n in range(23):
        new_lead(anna, f"Lead {n:02d}")
    rows = exported(anna, ListQuery(sort=SortKey.TITLE, descending=False))
    assert [r[0] for r in rows[1:]] == [f"Lead {n:02d}" for n in range(23)]


def test_each_company_exports_only_its_own_view_of_a_shared_lead(any_world):
    """Rule 7: the principal's export names its assignee, the partner's its own - never the
    other company's."""
    lead_id = passed_on_lead(any_world)
    anna, tim = any_world.repo("anna"), any_world.repo("tim")
    anna.assign(lead_id, any_world.ids["jonas"], anna.assignment(lead_id).version)
    tim.assign(lead_id, any_world.ids["julia"], tim.assignment(lead_id).version)
    for repo in (anna, tim):
        repo.save_setting(COLUMNS_SETTING, "title,colleague")
    ours, theirs = exported(anna), exported(tim)
    assert ours[1:] == [["Gewerbedach 40 kWp", "Jonas Weber"]]
    assert theirs[1:] == [["Gewerbedach 40 kWp", "Julia Neumann"]]
    passed = exported(anna, ListQuery(kind=ListKind.PASSED_ON))
    assert passed[0][-3:] == ["An", "Angebot", "Frist"] and "Julia" not in str(passed)
    assert "Jonas" not in str(theirs) and "Julia" not in str(ours)


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)
def test_cells_that_would_be_formulas_are_neutralised_and_controls_left_out(world, tmp_path):
    anna = world.repo("anna")
    for title in ('=HYPERLINK("http://x";"klick")', "+49 711 123", "-2+3", "@SUM(A1)", "Normal"):
        anna.create_lead(NewLead(title=title, prospect="Firma", city="Ort"))
    in_csv = {r[0] for r in exported(anna)[1:]}
    assert in_csv == {'\'=HYPERLINK("http://x";"klick")', "'+49 711 123", "'-2+3", "'@SUM(A1)", "Normal"}
    in_xlsx = {r[0] for r in exported(anna, fmt="xlsx", path=tmp_path / "l.xlsx")[1:]}
    assert in_xlsx == in_csv  # written as text, and neutralised too: a copy into CSV stays safe


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)
def test_xlsx_holds_real_numbers_and_dates(world, tmp_path):
    anna = world.repo("anna")
    anna.create_lead(NewLead(title="Wärmepumpe", prospect="Hofer", city="Ulm", value=12_500))
    rows = exported(anna, fmt="xlsx", path=tmp_path / "leads.xlsx")
    assert rows[0] == ["Titel", "Firma", "Ort", "Status", "Wert", "Angelegt"]
    title, prospect, city, status, value, created = rows[1]
    assert (title, prospect, city, status, value) == ("Wärmepumpe", "Hofer", "Ulm", "neu", 12_500)
    stored = anna.rows(ListQuery(), 0, 1)[0].created_at
    assert isinstance(created, datetime) and created == stored.replace(microsecond=0)


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)
def test_a_failed_export_leaves_the_earlier_file_and_no_half_of_a_new_one(world, tmp_path, monkeypatch):
    anna = world.repo("anna")
    for n in range(5):
        new_lead(anna, f"Lead {n}")
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "leads.csv"
    target.write_text("die alte Datei")
    monkeypatch.setattr("leadtui.exports.PAGE", 2)
    rows = anna.rows
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise StorageError("Datenbank nicht erreichbar")
        return rows(*args, **kwargs)

    monkeypatch.setattr(anna, "rows", failing)
    with pytest.raises(StorageError):
        exported(anna, path=target)
    assert target.read_text() == "die alte Datei"
    assert [p.name for p in folder.iterdir()] == ["leads.csv"]


def test_the_command_line_exports_as_the_colleague(any_world, capsys, tmp_path):
    anna = any_world.repo("anna")
    new_lead(anna, "Über die Kommandozeile")
    url = any_world.engine.url.render_as_string(hide_password=False)
    code, out, err = run_cli(capsys, "export", "--db", url, "--user", "anna@example.org", "--liste", "meine")
    assert code == 0 and err == ""
    assert csv_rows(out.encode("utf-8"))[1][0] == "Über die Kommandozeile"
    target = tmp_path / "meine.xlsx"
    code, _, err = run_cli(capsys, "export", "--db", url, "--user", "tim@example.org", "-o", str(target))
    assert code == 0 and "0 Leads exportiert" in err  # Nordlicht sees none of Sonnenstrom's
    assert CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python() == [
        ["Titel", "Firma", "Ort", "Status", "Wert", "Angelegt"]
    ]


def test_the_due_list_exports_the_most_overdue_first_as_the_app_shows_it(world, capsys):
    """Issue 22: `--liste fällig` sorts as Fällige Aufgaben opens - the task due first - not by
    creation; `--sortierung fällig` says so explicitly."""
    from datetime import timedelta

    anna = world.repo("anna")
    today = anna.today()
    for title, days_ago in (("Vorgestern fällig", 2), ("Heute fällig", 0), ("Vor einer Woche fällig", 7)):
        lead = new_lead(anna, title)
        anna.add_task(lead.id, "Anrufen", today - timedelta(days=days_ago))
    url = world.engine.url.render_as_string(hide_password=False)
    expected = ["Vor einer Woche fällig", "Vorgestern fällig", "Heute fällig"]
    for extra in ((), ("--sortierung", "fällig"), ("--sortierung", "faellig")):
        code, out, err = run_cli(
            capsys, "export", "--db", url, "--user", "anna@example.org", "--liste", "fällig", *extra
        )
        assert code == 0 and err == ""
        assert [row[0] for row in csv_rows(out.encode("utf-8"))[1:]] == expected, extra


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (("--liste", "gibtsnicht"), "Unbekannte Liste: gibtsnicht"),
        (("--sortierung", "farbe"), "Unbekannte Sortierung: farbe"),
        (("--format", "xlsx"), "xlsx nur in eine Datei"),
        (("-o", "{tmp}"), "ist ein Ordner"),
        (("-o", "{tmp}/fehlt/leads.csv"), "Den Ordner"),
        (("-o", "{tmp}/leads.pdf"), "Unbekanntes Format: pdf"),
        (("--kollege", "niemand@example.org"), "Kein Kollege Ihrer Firma"),
    ],
)
def test_bad_export_arguments_get_one_german_line_and_write_nothing(world, capsys, tmp_path, argv, said):
    url = world.engine.url.render_as_string(hide_password=False)
    argv = tuple(a.replace("{tmp}", str(tmp_path)) for a in argv)
    before = sorted(tmp_path.iterdir())
    code, out, err = run_cli(capsys, "export", "--db", url, "--user", "anna@example.org", *argv)
    assert code == 2 and out == "" and said in err and err.count("\n") == 1 and "Traceback" not in err
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)
def test_an_export_through_the_server_is_the_same_as_on_the_database(world, tmp_path):
    from serving import Running, close_signed_in, signed_in

    from leadtui.repository import utcnow

    world.clock.now = utcnow()
    anna = world.repo("anna")
    passed_on_lead(world)
    for n in range(3):
        new_lead(anna, f"Lead {n}")
    anna.save_setting(COLUMNS_SETTING, "title,status,colleague")
    with Running(world.engine, clock=world.clock) as running:
        remote = signed_in(world, running.url, "anna")
        try:
            assert exported(remote) == exported(anna)
            assert exported(remote, fmt="xlsx", path=tmp_path / "r.xlsx") == exported(
                anna, fmt="xlsx", path=tmp_path / "l.xlsx"
            )
        finally:
            close_signed_in()


async def test_the_app_exports_the_list_it_shows(make_app, tmp_path, monkeypatch):
    """E (or "Exportieren …" in the palette) asks where to; a bad path is said in the dialog
    and nothing is written; then the shown list - here a search - goes into the file."""
    from leadtui.ui.screens.export_dialog import ExportDialog
    from leadtui.ui.screens.leads import LeadsScreen

    told: list[str] = []
    show = LeadsScreen._export_progress
    monkeypatch.setattr("leadtui.exports.PAGE", 20)  # several pages, each one told
    monkeypatch.setattr(LeadsScreen, "_export_progress", lambda self, *a: (show(self, *a), told.append(self.exporting)))
    app = make_app()
    (tmp_path / "out").mkdir()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"wärmepumpe", "enter")
        await settle(pilot)
        shown = app.screen.table.count
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        field = app.screen.query_one("#export-path")
        field.value = str(tmp_path / "fehlt" / "x.csv")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog) and "Den Ordner" in str(
            app.screen.query_one("#export-error").render()
        )
        field.value = str(tmp_path / "out" / "waermepumpen.csv")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
        assert not app.screen.exporting and "Export:" not in str(app.screen.query_one("#status-line").render())
    rows = csv_rows((tmp_path / "out" / "waermepumpen.csv").read_bytes())
    assert len(rows) - 1 == shown > 0
    assert all("ärmepumpe" in " ".join(row).lower() or "wärme" in " ".join(row).lower() for row in rows[1:])
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["waermepumpen.csv"]
    assert told[0] == f"Export: 0 von {shown} Leads …" and told[-1] == f"Export: {shown} von {shown} Leads …"
    assert len(told) == 1 + -(-shown // 20)  # the start, then each page


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("user", ["anna.becker@sonnenstrom.example", "tim.krueger@nordlicht.example"])
def test_hostile_text_is_exported_as_inert_data(demo_engine, hostile, tmp_path, fmt, user):
    """The hostile-strings corpus (markup, terminal controls, bidi controls, NUL, 100,000
    characters) as both companies of the shared leads export it: the markup as literal text,
    no control character in any cell, and every hostile lead in the file."""
    from leadtui.domain.text import CONTROL_RE
    from leadtui.repository import Repository
    from leadtui.seed import DEMO_NOW

    repo = Repository.for_email(demo_engine, user, clock=lambda: DEMO_NOW)
    repo.save_setting(COLUMNS_SETTING, "title,prospect,city,colleague")
    rows = exported(repo, ListQuery(search="zzhostil"), fmt=fmt, path=tmp_path / f"hostile.{fmt}")
    cells = [str(cell) for row in rows[1:] for cell in row]
    assert len(rows) - 1 == repo.count(ListQuery(search="zzhostil")) > 0
    assert not any(CONTROL_RE.search(cell) for cell in cells)
    assert any("[@click=app.quit]Klick mich[/]" in cell for cell in cells)
    if user.startswith("anna"):  # the 100,000 characters are in a lead only Sonnenstrom holds
        assert max(len(cell) for cell in cells) >= (32_767 if fmt == "xlsx" else 100_000)  # Excel's cell limit
