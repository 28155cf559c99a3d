"""Import (issue 20, rule 19): a file's leads in one batch after a preview - headers as sales
people write them, German number and date formats, duplicates against the own company's leads
only, the Kollege column, all or nothing, undone as a whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import new_lead, passed_on_lead, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from leadtui.domain import InvalidInput, ListKind, ListQuery, NewLead, NotUndoable
from leadtui.domain.imports import (
    DuplicatePolicy,
    ImportOptions,
    firm_key,
    parse_moment,
    parse_value,
    phone_key,
)
from leadtui.sheets import SheetError, column_map, mapped, read

pytestmark = pytest.mark.usefixtures("isolated_data_dir")
DATA = Path(__file__).parent / "data"
EVERY_FIELD = ["title", "prospect", "contact", "email", "phone", "city", "zip", "value", "status", "source"]
EVERY_FIELD += ["colleague", "note"]


def write_csv(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "leads.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def file_of(path: Path, overrides: dict[str, str] | None = None, sheet: str | None = None):
    table = read(path, sheet)
    return mapped(table, column_map(table, overrides))


def titles(repo, kind: ListKind = ListKind.ALL) -> list[str]:
    return sorted(row.title for row in repo.rows(ListQuery(kind=kind), 0, 1000))


# --- what a cell means ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "rounded"),
    [
        ("1.234,50 €", 1235, True),
        ("1.234", 1234, False),
        ("1.234.567", 1234567, False),
        ("1234.5", 1235, True),
        ("12.50", 13, True),
        ("EUR 12 000", 12000, False),
        ("1,234,567.00", 1234567, False),
        ("800", 800, False),
        ("0,49", 0, True),
    ],
)
def test_values_read_as_german_offices_write_them(text, value, rounded):
    assert parse_value(text) == (value, rounded)


@pytest.mark.parametrize("text", ["zwölf", "1.2.3,4,5", "-5", "2.000.000.000"])
def test_a_value_that_is_none_is_refused_with_a_reason(text):
    with pytest.raises(ValueError, match=r"Betrag|zwischen"):
        parse_value(text)


def test_dates_read_german_and_iso():
    assert parse_moment("31.12.2026").isoformat() == "2026-12-31T00:00:00"
    assert parse_moment("1.2.26 14:30").isoformat() == "2026-02-01T14:30:00"
    assert parse_moment("2026-12-31").isoformat() == "2026-12-31T00:00:00"
    assert parse_moment("2026-12-31T08:00:00+01:00").isoformat() == "2026-12-31T07:00:00"
    with pytest.raises(ValueError, match="kein Datum"):
        parse_moment("31.02.2026")


def test_one_phone_number_written_three_ways_is_one_key():
    assert phone_key("0711 123-45") == phone_key("+49 711 12345") == phone_key("0049711 12345") == "+4971112345"
    assert phone_key("abc") == ""
    assert firm_key("Müller GmbH", "70173 Stuttgart") == firm_key("mueller gmbh", "Stuttgart")


# --- reading files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "fields"),
    [
        (
            "Titel;Firma;Ansprechpartner;E-Mail;Telefon;Ort;PLZ;Wert;Status;Quelle;Kollege;Notiz",
            EVERY_FIELD,
        ),
        (
            "Betreff;Unternehmen;Kontakt;Mail;Tel.;Stadt;Postleitzahl;Auftragswert;STATUS;Source;Zuständig;Bemerkung",
            EVERY_FIELD,
        ),
        (
            "Title,Company,Contact,Email,Phone,City,ZIP,Value,Status,Source,Owner,Notes",
            EVERY_FIELD,
        ),
    ],
)
def test_headers_as_sales_people_write_them(tmp_path, header, fields):
    separator = "," if "," in header else ";"
    path = write_csv(tmp_path, header + "\n" + separator.join(["x"] * len(fields)) + "\n")
    table = read(path)
    assert column_map(table).used == dict(zip(fields, header.split(separator), strict=True))


def test_unknown_columns_are_listed_as_ignored_and_map_changes_a_mapping(tmp_path):
    path = write_csv(tmp_path, "Betreff;Interne ID;Firma\nPV;17;Müller\n")
    table = read(path)
    assert column_map(table).ignored == ("Interne ID",)
    changed = column_map(table, {"Interne ID": "Quelle", "Firma": "-"})
    assert changed.used == {"title": "Betreff", "source": "Interne ID"}
    with pytest.raises(SheetError, match="Feld „Farbe“"):
        column_map(table, {"Firma": "Farbe"})
    with pytest.raises(SheetError, match="Spalte „nicht da“"):
        column_map(table, {"nicht da": "Titel"})


def test_windows_1252_with_semicolons_as_german_excel_writes_it(tmp_path):
    path = write_csv(tmp_path, "Titel;Firma;Ort;Wert\r\nWärmepumpe;Bäckerei Müller;München;1.234,50 €\r\n", "cp1252")
    table = read(path)
    assert "Windows-1252" in table.described and ";" in table.described
    assert table.rows == (("Wärmepumpe", "Bäckerei Müller", "München", "1.234,50 €"),)


@pytest.mark.parametrize(("text", "separator"), [("Titel,Ort\nA,Köln\n", ","), ("Titel\tOrt\nA\tKöln\n", "\t")])
def test_utf8_with_bom_and_other_separators(tmp_path, text, separator):
    path = tmp_path / "x.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    table = read(path)
    assert table.header == ("Titel", "Ort") and table.rows == (("A", "Köln"),)
    assert "BOM" in table.described


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "leer"),
        (b"Titel;Ort\n", "keine Zeilen"),
        (b"\x00\x01\x02binary\x00", "Binärdaten"),
        ("Titel;Ort\nMüller;Köln\n".encode() + "Bäcker;Ulm\n".encode("cp1252"), "mischt Kodierungen"),
        (";".join(f"c{i}" for i in range(10_000)).encode() + b"\nx\n", "10000 Spalten"),
        (b"Titel\n" + b"x" * (1024 * 1024) + b"\n", "64.000 Zeichen"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "passwortgeschützt"),
        (b"PK\x03\x04broken", "keine lesbare xlsx"),
    ],
)
def test_a_file_that_is_no_lead_list_gets_one_german_sentence(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(SheetError, match=message):
        read(path)


def test_a_missing_path_and_a_folder(tmp_path):
    with pytest.raises(SheetError, match="gibt es nicht"):
        read(tmp_path / "fehlt.csv")
    with pytest.raises(SheetError, match="Ordner"):
        read(tmp_path)


def test_a_2_gb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "riesig.csv"
    with path.open("wb") as file:
        file.truncate(2 * 1024**3)  # sparse: takes no room on the disk
    with pytest.raises(SheetError, match=r"zu groß \(2048 MB; höchstens 100 MB je Import\)"):
        read(path)


def test_an_xlsx_that_would_unpack_to_gigabytes_is_refused_before_it_is_unpacked(tmp_path):
    """A zip bomb: a few bytes that claim (in the zip's directory) to unpack to 4 GB."""
    import zipfile

    path = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 1000)
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")  # the central directory's entry: its uncompressed size at +24
    data[entry + 24 : entry + 28] = (0xFFFFFF00).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(SheetError, match="über 1 GB"):
        read(path)


def test_a_file_without_a_title_column_says_how_to_map_one(tmp_path):
    path = write_csv(tmp_path, "Firma;Ort\nMüller;Ulm\n")
    with pytest.raises(SheetError, match="--map"):
        file_of(path)


# --- the import ----------------------------------------------------------------------------


def test_a_preview_writes_nothing_and_the_import_writes_it_all(any_world, tmp_path):
    anna = any_world.repo("anna")
    path = write_csv(
        tmp_path,
        "Titel;Firma;Ort;PLZ;Wert;Status;E-Mail\n"
        "Wärmepumpe Hofer;Hofer KG;Augsburg;86150;12.500,00 €;in Bearbeitung;info@hofer.de\n"
        "PV Ulm;Stadtwerke;Ulm;;800;neu;\n"
        ";ohne Titel;Ulm;;;;\n"
        "Dach Köln;Dach AG;Köln;;viel;gewonnen;\n"
        "Speicher;X;Bonn;;;vielleicht;keine-mail\n",
    )
    file = file_of(path)
    preview = anna.import_leads(file, ImportOptions())
    assert (preview.rows, preview.new, preview.invalid, preview.duplicates, preview.batch_id) == (5, 2, 3, 0, None)
    assert [(p.row, p.field) for p in preview.problems] == [(4, "title"), (5, "value"), (6, "status"), (6, "email")]
    assert preview.problems[1].message.startswith("Wert: „viel“ ist kein Betrag")
    assert titles(anna) == []
    done = anna.import_leads(file, ImportOptions(), dry_run=False)
    assert done.batch_id is not None and done.new == 2
    assert titles(anna, ListKind.MINE) == ["PV Ulm", "Wärmepumpe Hofer"]
    lead = anna.lead(anna.rows(ListQuery(search="hofer"), 0, 1)[0].id)
    assert (lead.city, lead.value, lead.status.value, lead.email, lead.source) == (
        "86150 Augsburg",
        12500,
        "in Bearbeitung",
        "info@hofer.de",
        "Import",
    )
    assert lead.history[0].reason.label == "beim Import"
    assert anna.counts()[ListKind.MINE] == 2


def test_duplicates_by_email_phone_and_firm_against_own_leads_only(any_world, tmp_path):
    anna, tim = any_world.repo("anna"), any_world.repo("tim")
    own = anna.create_lead(
        NewLead(title="Bestand", prospect="Müller GmbH", city="Stuttgart", phone="0711 123-45", email="Info@Mueller.de")
    )
    tim.create_lead(NewLead(title="Fremd", email="fremd@example.org"))  # another company's: never matched
    path = write_csv(
        tmp_path,
        "Titel;Firma;Ort;Telefon;E-Mail\n"
        "Per Mail;;;;info@mueller.de\n"
        "Per Telefon;;;+49 711 12345;\n"
        "Per Firma;mueller gmbh;70173 Stuttgart;;\n"
        "Fremder;;;;fremd@example.org\n"
        "Neu;Neu AG;Ulm;;neu@example.org\n"
        "Neu zweimal;;;;NEU@example.org\n",
    )
    outcome = anna.import_leads(file_of(path), ImportOptions())
    assert (outcome.new, outcome.duplicates) == (2, 4)
    assert [(d.row, d.rule, d.lead_id, d.other_row) for d in outcome.duplicate_rows] == [
        (2, "E-Mail", own.id, None),
        (3, "Telefon", own.id, None),
        (4, "Firma und Ort", own.id, None),
        (7, "E-Mail", None, 6),
    ]
    anyway = anna.import_leads(file_of(path), ImportOptions(DuplicatePolicy.IMPORT))
    assert (anyway.new, anyway.duplicates) == (6, 4)


def test_fill_puts_the_files_values_into_the_existing_leads_empty_fields(any_world, tmp_path):
    anna = any_world.repo("anna")
    own = anna.create_lead(NewLead(title="Bestand", email="info@mueller.de", city="Ulm"))
    path = write_csv(tmp_path, "Titel;E-Mail;Telefon;Ort;Firma\nX;info@mueller.de;0711 1;Köln;Müller GmbH\n")
    outcome = anna.import_leads(file_of(path), ImportOptions(DuplicatePolicy.FILL), dry_run=False)
    assert (outcome.new, outcome.filled) == (0, 1)
    lead = anna.lead(own.id)
    assert (lead.phone, lead.city, lead.prospect, lead.title) == ("0711 1", "Ulm", "Müller GmbH", "Bestand")
    undone = anna.undo_import(outcome.batch_id)
    assert (undone.removed, undone.reverted) == (0, 1)
    lead = anna.lead(own.id)
    assert (lead.phone, lead.prospect) == ("", "")


def test_the_kollege_column_and_the_default(any_world, tmp_path):
    anna, jonas = any_world.repo("anna"), any_world.repo("jonas")
    anna.deactivate(any_world.ids["markus"])
    path = write_csv(
        tmp_path,
        "Titel;Kollege\nA;jonas@example.org\nB;Jonas Weber\nC;\nD;Markus Schulz\nE;tim@example.org\nF;Niemand Da\n",
    )
    outcome = anna.import_leads(file_of(path), ImportOptions(), dry_run=False)
    assert outcome.new == 3
    assert [(p.row, p.message) for p in outcome.problems] == [
        (5, "Kollege: Markus Schulz ist inaktiv und kann keine Leads bekommen."),
        (6, "Kollege: „tim@example.org“ ist kein Kollege Ihrer Firma (E-Mail oder genauer Name)."),
        (7, "Kollege: „Niemand Da“ ist kein Kollege Ihrer Firma (E-Mail oder genauer Name)."),
    ]
    assert titles(jonas, ListKind.MINE) == ["A", "B"] and titles(anna, ListKind.MINE) == ["C"]
    inbox = jonas.notifications()
    assert [n.text for n in inbox] == ["2 Leads aus dem Import „leads.csv“ wurden Ihnen von Anna Becker zugewiesen."]
    nobody = write_csv(tmp_path, "Titel\nG\n", name="b.csv")
    anna.import_leads(file_of(nobody), ImportOptions(colleague="niemand"), dry_run=False)
    assert titles(anna, ListKind.UNASSIGNED) == ["G"]
    anna.import_leads(
        file_of(nobody), ImportOptions(DuplicatePolicy.IMPORT, colleague="jonas@example.org"), dry_run=False
    )
    assert titles(jonas, ListKind.MINE) == ["A", "B", "G"]
    with pytest.raises(InvalidInput, match="kein Kollege Ihrer Firma"):
        anna.import_leads(file_of(nobody), ImportOptions(colleague="tim@example.org"))


def test_undo_takes_a_batch_back_except_the_leads_worked_since(any_world, tmp_path):
    anna = any_world.repo("anna")
    path = write_csv(tmp_path, "Titel;Notiz\nA;vom Messestand\nB;\nC;\nD;\n")
    outcome = anna.import_leads(file_of(path), ImportOptions(), dry_run=False)
    rows = {row.title: row for row in anna.rows(ListQuery(), 0, 10)}
    assert [e.text for e in anna.lead(rows["A"].id).journal] == ["vom Messestand"]
    anna.add_note(rows["B"].id, "angerufen")
    anna.assign(rows["C"].id, any_world.ids["jonas"], rows["C"].version)
    undone = anna.undo_import(outcome.batch_id)
    assert undone.removed == 2 and [title for _, title in undone.touched] == ["B", "C"]
    assert titles(anna) == ["B", "C"]
    assert anna.counts()[ListKind.ALL] == 2
    assert [b.undone_at is not None for b in anna.import_batches()] == [True]
    with pytest.raises(NotUndoable):
        anna.undo_import(outcome.batch_id)


def test_a_passed_on_import_stays_and_another_company_cannot_undo(any_world, tmp_path):
    anna, tim = any_world.repo("anna"), any_world.repo("tim")
    path = write_csv(tmp_path, "Titel\nGeteilt\nAllein\n")
    outcome = anna.import_leads(file_of(path), ImportOptions(), dry_run=False)
    shared = next(r for r in anna.rows(ListQuery(), 0, 10) if r.title == "Geteilt")
    anna.offer(shared.id, anna.partners()[0].id)
    assert tim.import_batches() == []
    with pytest.raises(Exception, match="gibt es in Ihrer Firma nicht"):
        tim.undo_import(outcome.batch_id)
    undone = anna.undo_import(outcome.batch_id)
    assert undone.removed == 1 and [title for _, title in undone.touched] == ["Geteilt"]


def test_an_import_is_all_or_nothing(any_world, tmp_path, monkeypatch):
    anna = any_world.repo("anna")
    new_lead(anna, "Vorher")
    from leadtui.repository import imports

    monkeypatch.setattr(imports, "CHUNK", 100)  # several chunks written before the failure
    path = write_csv(tmp_path, "Titel;Kollege\n" + "".join(f"L{i};jonas@example.org\n" for i in range(1_200)))

    def broken(*args, **kwargs):
        raise RuntimeError("mitten im Import")

    monkeypatch.setattr(imports.Imports, "_tell_assignees", broken)
    with pytest.raises(RuntimeError):
        anna.import_leads(file_of(path), ImportOptions(), dry_run=False)
    assert titles(anna) == ["Vorher"] and anna.import_batches() == []
    assert anna.counts()[ListKind.ALL] == 1


def test_hostile_colleague_cell_does_not_match_across_companies(any_world, tmp_path):
    passed_on_lead(any_world)
    anna = any_world.repo("anna")
    path = write_csv(tmp_path, "Titel;Kollege\nA;Tim Krüger\n")
    outcome = anna.import_leads(file_of(path), ImportOptions())
    assert outcome.invalid == 1 and "kein Kollege Ihrer Firma" in outcome.problems[0].message


# --- real files, the command line, the server --------------------------------------------


def test_a_windows_1252_csv_as_german_excel_writes_it(any_world):
    anna = any_world.repo("anna")
    outcome = anna.import_leads(file_of(DATA / "excel-windows-1252.csv"), ImportOptions(), dry_run=False)
    assert (outcome.new, outcome.invalid, outcome.rounded) == (2, 0, 1)
    lead = anna.lead(anna.rows(ListQuery(search="parkhaus"), 0, 1)[0].id)
    assert (lead.prospect, lead.contact, lead.value) == ("Müller & Söhne GmbH", "Jürgen Müller", 1235)
    assert [e.text for e in lead.journal] == ['Rückruf erbeten; "dringend"']


def test_an_xlsx_made_with_openpyxl_with_dates_numbers_and_a_second_sheet(any_world):
    anna = any_world.repo("anna")
    outcome = anna.import_leads(file_of(DATA / "crm-export.xlsx"), ImportOptions(), dry_run=False)
    assert (outcome.new, outcome.invalid) == (2, 1)  # the formula cell has no value: no title
    assert outcome.problems[0].row == 4 and outcome.problems[0].field == "title"
    lead = anna.lead(anna.rows(ListQuery(search="einfamilienhaus"), 0, 1)[0].id)
    assert (lead.value, lead.city, lead.created_at.isoformat()) == (12501, "86150 Augsburg", "2026-03-14T09:30:00")
    assert lead.assignment.assignee.name == "Jonas Weber"
    archive = file_of(DATA / "crm-export.xlsx", sheet="Archiv")
    assert archive.rows == (("Alter Lead",),)
    with pytest.raises(SheetError, match="Blatt „Nein“ gibt es nicht"):
        file_of(DATA / "crm-export.xlsx", sheet="Nein")


def test_an_export_imports_into_an_empty_company_as_the_same_leads(any_world, tmp_path):
    """The round trip: a list exported (every column) and imported by another company holds
    the same leads with the same fields."""
    from test_export import exported

    from leadtui.domain.columns import COLUMNS_SETTING

    anna, paul = any_world.repo("anna"), any_world.repo("paul")
    anna.save_setting(COLUMNS_SETTING, "title,prospect,city,status,value,created,colleague")
    anna.create_lead(NewLead(title="=SUMME(A1)", prospect="Hofer KG", city="Augsburg", value=12_500))
    anna.create_lead(NewLead(title="Wärmepumpe Hofer", prospect="Müller; Söhne", city="Köln", value=None))
    for fmt in ("csv", "xlsx"):
        path = tmp_path / f"alle.{fmt}"
        exported(anna, fmt=fmt, path=path)
        # Anna's colleagues are not Rheinwerk's: the Kollege column is left out.
        outcome = paul.import_leads(file_of(path, {"Kollege": "-"}), ImportOptions(), dry_run=False)
        assert (outcome.new, outcome.invalid) == (2, 0)
        assert fields(paul) == fields(anna)
        paul.undo_import(outcome.batch_id)


def fields(repo) -> list[tuple]:
    """Every lead's exported fields (the day it was created: what a list shows of it)."""
    leads = [repo.lead(r.id) for r in repo.rows(ListQuery(), 0, 100)]
    return sorted((d.title, d.prospect, d.city, d.status, d.value, d.created_at.date()) for d in leads)


def test_hostile_text_through_import_is_refused_or_kept_as_inert_data(any_world, tmp_path):
    from conftest import HOSTILE

    from leadtui.domain.text import CONTROL_RE

    anna = any_world.repo("anna")
    corpus = [text for text in HOSTILE if "\x00" not in text]  # a NUL makes the file binary: refused whole
    lines = ["Titel;Firma;Notiz"] + [f'"{text.replace(chr(34), chr(34) * 2)}";Firma;"{text}"' for text in corpus]
    path = tmp_path / "hostile.csv"
    path.write_bytes("\n".join(lines).encode())
    outcome = anna.import_leads(file_of(path), ImportOptions(DuplicatePolicy.IMPORT), dry_run=False)
    assert outcome.new + outcome.invalid == len(corpus) and outcome.invalid > 0
    assert all("Steuerzeichen" in p.message for p in outcome.problems)
    stored = [anna.lead(r.id) for r in anna.rows(ListQuery(), 0, 100)]
    assert not any(CONTROL_RE.search(lead.title) for lead in stored)
    assert "[@click=app.quit]Klick mich[/]" in {lead.title for lead in stored}


def test_the_command_line_previews_asks_and_imports_and_undoes(any_world, capsys, tmp_path):
    url = any_world.engine.url.render_as_string(hide_password=False)
    path = write_csv(tmp_path, "Betreff;Interne ID;Wert\nPV Ulm;7;1.234,50 €\nDach;8;viel\n")
    base = ("--db", url, "--user", "anna@example.org")
    code, out, err = run_cli(capsys, "import", str(path), "--dry-run", *base)
    assert code == 0
    assert "Betreff → Titel" in out and "Interne ID → ignoriert" in out
    assert "Neu: 1 · Dubletten: 0 (überspringen) · Ungültig: 1" in out
    assert "Zeile 3: Wert: „viel“ ist kein Betrag" in out and "nichts importiert" in out
    code, out, err = run_cli(capsys, "import", str(path), *base)  # no terminal, no --ja: nothing
    assert code == 2 and "mit --ja bestätigen" in err
    assert titles(any_world.repo("anna")) == []
    code, out, err = run_cli(capsys, "import", str(path), "--ja", "--map", "Interne ID=Quelle", *base)
    assert code == 0 and "1 Lead importiert (Import " in out
    lead = any_world.repo("anna").rows(ListQuery(), 0, 1)[0]
    assert any_world.repo("anna").lead(lead.id).source == "7"
    code, out, err = run_cli(capsys, "import", "--list", *base)
    assert code == 0 and "leads.csv  1 Lead  von Anna Becker" in out
    batch = any_world.repo("anna").import_batches()[0].id
    code, out, err = run_cli(capsys, "import", "--undo", str(batch), *base)
    assert code == 0 and f"Import {batch} rückgängig gemacht: 1 Lead entfernt." in out
    code, out, err = run_cli(capsys, "import", "--undo", str(batch), "--db", url, "--user", "tim@example.org")
    assert code == 2 and "gibt es in Ihrer Firma nicht" in err
    for argv, message in (
        ((str(tmp_path / "fehlt.csv"),), "gibt es nicht"),
        ((str(tmp_path),), "ist ein Ordner"),
        ((str(path), "--map", "Titel"), "--map braucht SPALTE=FELD"),
        ((str(path), "--dubletten", "nie"), "Unbekannte Wahl"),
        ((str(path), "--kollege", "tim@example.org"), "kein Kollege Ihrer Firma"),
        ((), "genau eines"),
    ):
        code, out, err = run_cli(capsys, "import", *argv, *base)
        assert code == 2 and message in err and "Traceback" not in err, argv
    assert titles(any_world.repo("anna")) == []


def test_the_command_line_says_how_far_an_import_is_while_it_runs(world, capsys, tmp_path, monkeypatch):
    """Held after its third chunk of 100 leads until a progress line has come: the line says
    300 of 1.000 (stderr is no terminal here: lines, not Rich's bar)."""
    import threading

    from leadtui.cli import importing
    from leadtui.db import read_model
    from leadtui.repository import imports

    monkeypatch.setattr(imports, "CHUNK", 100)
    monkeypatch.setattr(importing, "PROGRESS_S", 0.01)
    monkeypatch.setattr(importing, "LINE_S", 0.0)
    told = threading.Event()
    shown = importing._Lines.show

    def show(self, progress):
        shown(self, progress)
        if progress.done == 300:
            told.set()

    monkeypatch.setattr(importing._Lines, "show", show)
    chunks = []
    counted = read_model.change_counts

    def held(*args, **kwargs):
        counted(*args, **kwargs)
        chunks.append(1)
        if len(chunks) == 3:
            assert told.wait(30), "no progress line while the import was held"

    monkeypatch.setattr(read_model, "change_counts", held)
    path = write_csv(tmp_path, "Titel;Ort\n" + "".join(f"Anfrage {i};Ulm\n" for i in range(1000)))
    url = world.engine.url.render_as_string(hide_password=False)
    code, out, err = run_cli(capsys, "import", str(path), "--ja", "--db", url, "--user", "anna@example.org")
    assert code == 0 and "1.000 Leads importiert" in out
    assert "Import: schreiben 300 von 1.000 Zeilen" in err


# The server's side of an import (one request, bound to the colleague); the import itself runs on
# both databases in the tests above.
@pytest.mark.parametrize("db_kind", ["sqlite"], indirect=True)
def test_import_runs_against_the_server_as_the_signed_in_colleague(world, capsys, monkeypatch, tmp_path):
    from serving import PASSWORD, Running

    note = "Rückruf erbeten, " * 30
    rows = "".join(f"Lead {i};lead{i}@example.org;{note}\n" for i in range(3_000))
    path = write_csv(tmp_path, "Titel;E-Mail;Notiz\n" + rows)  # ~1.6 MB: more than any other request may send
    with Running(world.engine, clock=world.clock) as running:
        code = world.repo("anna").invite("Jonas Weber", "jonas@example.org").code
        monkeypatch.setenv("LEADTUI_PASSWORD", PASSWORD)
        assert run_cli(capsys, "login", running.url, "--einladung", code)[0] == 0
        status, out, err = run_cli(capsys, "import", str(path), "--ja", "--server", running.url)
        assert status == 0 and "3.000 Leads importiert" in out, err
        status, out, err = run_cli(capsys, "import", "--list", "--server", running.url)
        assert "von Jonas Weber" in out
        status, out, err = run_cli(capsys, "import", str(path), "--dry-run", "--server", running.url)
        assert "Dubletten: 3.000" in out
    assert world.repo("jonas").count(ListQuery(kind=ListKind.MINE)) == 3_000
    assert world.repo("tim").count(ListQuery()) == 0


@given(
    prefix=st.sampled_from(["0", "+49 ", "0049", "+49 0", "+49(0)", "", "+43 ", "00"]),
    digits=st.text("0123456789", min_size=3, max_size=15),
    separators=st.lists(st.sampled_from(["", " ", "-", "/", "."]), min_size=20, max_size=20),
)
@settings(max_examples=500, deadline=None)
def test_the_quick_reading_of_german_numbers_is_what_phonenumbers_makes_of_them(prefix, digits, separators):
    from leadtui.domain.imports import _parsed_phone_key

    text = "".join(ch + separators[i % 20] for i, ch in enumerate(prefix + digits))
    assert phone_key(text) == _parsed_phone_key(text)


@given(st.text(st.sampled_from(["a", ";", '"', "\r", "\n", "ä", "\u2028", " "]), max_size=60))
def test_a_csv_text_is_split_into_lines_as_a_file_opened_for_csv_splits_it(text):
    import io

    from leadtui.sheets import _lines

    assert list(_lines(text)) == list(io.StringIO(text, newline=""))
