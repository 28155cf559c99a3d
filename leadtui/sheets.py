"""Reading a lead file as German offices write them: CSV or xlsx, into a header and rows of text.

- CSV with `;`, `,` or tab between cells (sniffed from the first lines), in UTF-8 with or
  without a byte order mark or in Windows-1252 (detected with charset-normalizer when it is not
  UTF-8); a file that mixes both, or is not text at all, is refused, not guessed at.
- xlsx read with python-calamine (the first sheet, or the one named); numbers and dates come
  as the cell holds them and are written as text the import's parser reads ("1234.5",
  "2026-12-31T00:00:00"). A zip that would unpack to far more than a lead list, or an
  encrypted workbook, is refused before it is opened.
- What an export neutralised against formulas ("'=…") reads back as it was.

Everything wrong with a file is one German sentence (`SheetError`); nothing is written by
reading. `mapped` then turns a table and the colleague's own choices into the `ImportFile`
the repository imports.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from leadtui.domain import InvalidInput
from leadtui.domain.imports import FIELD_LABELS, MAX_COLUMNS, MAX_ROWS, ImportFile, field_for, field_named

MAX_BYTES = 100 * 1024 * 1024  # 100 MB: half a million rows of a wide CRM export
MAX_UNPACKED = 1024 * 1024 * 1024  # what an xlsx may unpack to; a zip bomb claims far more
MAX_CELL = 64 * 1024  # longer than any field (a note holds 4,000 characters)
SAMPLE = 64 * 1024
FORMULA_STARTS = ("=", "+", "-", "@")
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted xlsx (or an old .xls) is an OLE file


class SheetError(InvalidInput):
    """A file that cannot be read as a lead list; the message says why, in German."""

    def __init__(self, message: str):
        super().__init__({"file": message})
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Table:
    """A file as read: its header, its rows (row numbers as the file counts them) and how it was
    read (for the preview: "CSV, Windows-1252, ;")."""

    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numbers: tuple[int, ...]
    described: str


def read(path: Path, sheet: str | None = None) -> Table:
    """The table in the file at `path`; SheetError saying what is wrong with it."""
    try:
        if not path.exists():
            raise SheetError(f"Die Datei {path} gibt es nicht.")
        if path.is_dir():
            raise SheetError(f"{path} ist ein Ordner, keine Datei.")
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SheetError(f"Die Datei ist zu groß ({size // (1024 * 1024)} MB; höchstens 100 MB je Import).")
        with path.open("rb") as file:
            start = file.read(8)
        if start.startswith(b"PK"):
            return _read_xlsx(path, sheet)
        if start.startswith(OLE_MAGIC):
            raise SheetError(
                "Die Datei ist eine verschlüsselte (passwortgeschützte) Arbeitsmappe oder eine alte .xls-Datei; "
                "bitte ohne Kennwort als .xlsx oder CSV speichern."
            )
        if sheet is not None:
            raise SheetError("--blatt gibt es nur für xlsx-Dateien.")
        return _read_csv(path, path.read_bytes())
    except OSError as error:
        raise SheetError(f"Die Datei {path} lässt sich nicht lesen: {error.strerror or error}.") from None


def _decoded(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding."""
    if b"\x00" in data[:SAMPLE]:
        raise SheetError("Die Datei ist keine Textdatei (sie enthält Binärdaten); erwartet: CSV oder xlsx.")
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "UTF-8 mit BOM"
        data = data[3:]
    else:
        encoding = "UTF-8"
    try:
        return data.decode("utf-8"), encoding
    except UnicodeDecodeError as error:
        if error.start > 0 and _has_utf8_sequences(data):
            raise SheetError(
                "Die Datei mischt Kodierungen (UTF-8 und eine andere); bitte einheitlich als UTF-8 speichern."
            ) from None
    from charset_normalizer import from_bytes  # only for files that are not UTF-8

    guess = from_bytes(data[: 1024 * 1024]).best()
    name = guess.encoding if guess is not None else "cp1252"
    if name in ("ascii", "latin_1", "iso8859_15", "iso8859_1", "cp1250", "cp1252"):
        name = "cp1252"  # what German Windows writes; latin-1 and friends differ in symbols only
    try:
        text = data.decode(name)
    except (UnicodeDecodeError, LookupError):
        raise SheetError("Die Kodierung der Datei ist nicht zu erkennen; bitte als UTF-8 speichern.") from None
    return text, "Windows-1252" if name == "cp1252" else name


def _has_utf8_sequences(data: bytes) -> bool:
    """Whether valid multi-byte UTF-8 (umlauts as UTF-8 writes them) is in the data."""
    return any(pair in data for pair in (b"\xc3\xa4", b"\xc3\xb6", b"\xc3\xbc", b"\xc3\x9f", b"\xc3\x84", b"\xc3\x9c"))


def _read_csv(path: Path, data: bytes) -> Table:
    if not data.strip():
        raise SheetError("Die Datei ist leer.")
    text, encoding = _decoded(data)
    del data  # a large file is held once, as text
    delimiter = _delimiter(text[:SAMPLE])
    shown = {";": ";", ",": ",", "\t": "Tabulator"}[delimiter]
    return _table(path.name, _csv_rows(text, delimiter), f"CSV, {encoding}, getrennt durch {shown}")


def _csv_rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV text with their line numbers, read as they are needed: the text is not
    copied whole once more (an io.StringIO holds four bytes a character)."""
    reader = csv.reader(_lines(text), delimiter=delimiter)
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as error:
        if "larger than field limit" in str(error):  # csv's own limit (128 KB), above MAX_CELL
            raise SheetError(f"Zeile {reader.line_num}: eine Zelle ist länger als 64.000 Zeichen.") from None
        raise SheetError(f"Zeile {reader.line_num}: die Datei ist kein lesbares CSV ({error}).") from None


def _lines(text: str) -> Iterator[str]:
    """The text's lines with their ends, as a file opened with newline="" gives them to csv
    (\\n, \\r\\n and a Mac's lone \\r end a line; a line break inside a quoted cell stays in it)."""
    return (match.group() for match in _LINE.finditer(text))


def _delimiter(sample: str) -> str:
    """The separator the header line uses most (headers hardly ever hold one); a one-column
    file is comma-separated."""
    first = sample.split("\n", 1)[0]
    best = max(";,\t", key=first.count)
    return best if first.count(best) else ","


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise SheetError("Die Datei ist keine lesbare xlsx-Arbeitsmappe (beschädigt oder kein Excel-Format).") from None
    if unpacked > MAX_UNPACKED:
        raise SheetError("Die Arbeitsmappe würde entpackt über 1 GB groß; das ist keine Leadliste.")
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, XmlError, ZipError  # only for xlsx

    broken = (CalamineError, PasswordError, XmlError, ZipError, ValueError, OSError)

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        if not names:
            raise SheetError("Die Arbeitsmappe hat kein Blatt.")
        if sheet is not None and sheet not in names:
            raise SheetError(f"Ein Blatt „{sheet}“ gibt es nicht (vorhanden: {', '.join(names)}).")
        chosen = sheet if sheet is not None else names[0]
        cells = workbook.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except broken as error:
        raise SheetError(f"Die Arbeitsmappe lässt sich nicht lesen ({type(error).__name__}).") from None
    rows = ((number, [_cell_text(cell) for cell in row]) for number, row in enumerate(cells, start=1))
    return _table(path.name, rows, f"xlsx, Blatt „{chosen}“")


def _cell_text(cell: object) -> str:
    if isinstance(cell, bool):
        return "ja" if cell else "nein"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else f"{cell:.2f}"
    if isinstance(cell, datetime):
        return cell.isoformat()
    if isinstance(cell, date):
        return datetime.combine(cell, time()).isoformat()
    return "" if cell is None else str(cell)


def _table(name: str, lines: Iterable[tuple[int, Sequence[str]]], described: str) -> Table:
    header: tuple[str, ...] | None = None
    rows: list[tuple[str, ...]] = []
    numbers: list[int] = []
    for number, row in lines:
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            if len(row) > MAX_COLUMNS:
                raise SheetError(f"Die Datei hat {len(row)} Spalten; eine Leadliste hat höchstens {MAX_COLUMNS}.")
            header = tuple(cell.strip().lstrip("\ufeff") for cell in row)
            continue
        if len(rows) >= MAX_ROWS:
            raise SheetError(
                f"Die Datei hat mehr als {MAX_ROWS:,} Zeilen; bitte in Teilen importieren.".replace(",", ".")
            )
        if any(len(cell) > MAX_CELL for cell in row):
            raise SheetError(f"Zeile {number}: eine Zelle ist länger als 64.000 Zeichen.")
        rows.append(tuple(_unneutral(cell) for cell in row[: len(header)]))
        numbers.append(number)
    if header is None:
        raise SheetError("Die Datei ist leer.")
    if not rows:
        raise SheetError("Die Datei hat eine Kopfzeile, aber keine Zeilen mit Leads.")
    return Table(name, header, tuple(rows), tuple(numbers), described)


def _unneutral(cell: str) -> str:
    """A cell an export neutralised ("'=SUMME(…)") as it was."""
    return cell[1:] if cell.startswith("'") and cell[1:2] in FORMULA_STARTS and cell[1:2] != "" else cell


@dataclass(frozen=True)
class ColumnMap:
    """Which column feeds which field: (column index, header, field or None for ignored)."""

    columns: tuple[tuple[int, str, str | None], ...]

    @property
    def used(self) -> dict[str, str]:
        return {key: header for _, header, key in self.columns if key is not None}

    @property
    def ignored(self) -> tuple[str, ...]:
        return tuple(header for _, header, key in self.columns if key is None)

    def lines(self) -> list[str]:
        """The mapping as the preview shows it: "Spalte → Feld"."""
        return [
            f"{header or f'Spalte {index + 1}'} → {FIELD_LABELS[key] if key else 'ignoriert'}"
            for index, header, key in self.columns
        ]


def column_map(table: Table, overrides: Mapping[str, str] | None = None) -> ColumnMap:
    """The columns' fields: each header as `field_for` reads it, unless the colleague chose
    (`overrides`: header -> field name, or "" / "-" to ignore it). A field the colleague gave a
    column is taken from the column that had it by its header; otherwise the first column of a
    field wins and a later one is ignored."""
    chosen = {header_name.strip().casefold(): target for header_name, target in (overrides or {}).items()}
    headers = {header.casefold() for header in table.header}
    for header_name in chosen:
        if header_name not in headers:
            raise SheetError(f"Eine Spalte „{header_name}“ gibt es in der Datei nicht.")
    wanted: list[tuple[str | None, bool]] = []  # (field, chosen by the colleague)
    for header in table.header:
        target = chosen.get(header.casefold())
        if target is None:
            wanted.append((field_for(header), False))
            continue
        ignore = target.strip() in ("", "-")
        key = None if ignore else field_named(target)
        if key is None and not ignore:
            raise SheetError(f"Ein Feld „{target}“ gibt es nicht (Felder: {', '.join(FIELD_LABELS.values())}).")
        wanted.append((key, True))
    given = {key for key, by_choice in wanted if by_choice and key is not None}
    columns: list[tuple[int, str, str | None]] = []
    assigned: set[str] = set()
    for index, (header, (key, by_choice)) in enumerate(zip(table.header, wanted, strict=True)):
        if key is not None and (key in assigned or (not by_choice and key in given)):
            key = None
        if key is not None:
            assigned.add(key)
        columns.append((index, header, key))
    return ColumnMap(tuple(columns))


def mapped(table: Table, columns: ColumnMap) -> ImportFile:
    """The file as the repository imports it: only the mapped columns, in the mapping's order."""
    used = [(index, key) for index, _, key in columns.columns if key is not None]
    if "title" not in {key for _, key in used}:
        raise SheetError("Keine Spalte für den Titel erkannt; ordnen Sie eine zu (z. B. --map Betreff=Titel).")
    rows = tuple(tuple(row[index] if index < len(row) else "" for index, _ in used) for row in table.rows)
    return ImportFile(table.name, tuple(key for _, key in used), rows, table.numbers)
