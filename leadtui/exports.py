"""Exporting a lead list: exactly what the list shows, every row of it, as CSV or xlsx.

The rows come from the repository the colleague works with - local or through a server - a
page at a time, so an export shows nothing the colleague could not see in the app (no other
company's assignee, history or private data) and memory stays flat however long the list is.

Written for spreadsheets, and safe in them:
- CSV as German Excel opens it: UTF-8 with a byte order mark (so umlauts read right), `;`
  between cells, whole euros as plain numbers, dates as 31.12.2026.
- xlsx (XlsxWriter, in constant memory) with real numbers and dates; text is always written
  as text, never as a formula.
- A text cell that begins with `=`, `+`, `-` or `@` is neutralised with a leading apostrophe
  (OWASP's advice against CSV injection): another company's lead title must not become a
  formula on our side. Control characters - tabs and carriage returns among them, OWASP's
  other two - are left out, line breaks become spaces.

A file is written beside its target and moved into place when complete: a failed or
interrupted export leaves the previous file, or none, never half of one.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from leadtui.domain import InvalidInput, ListQuery, StorageError
from leadtui.domain.columns import Cell, ListColumn
from leadtui.domain.interface import MAX_WINDOW, LeadRepository
from leadtui.domain.text import for_display

PAGE = MAX_WINDOW  # rows per request: few round trips, flat memory (1,000-row pages took 1.7 times as long)
FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@")
Progress = Callable[[int, int], None]  # (rows written, rows in all)


def neutral(text: str) -> str:
    """Text as a spreadsheet must show it, never run it."""
    text = for_display(text)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def format_of(path: Path | None, asked: str | None) -> str:
    """The format asked for, else the file's ending, else CSV; an unknown one is refused."""
    chosen = (asked or (path.suffix.lstrip(".") if path is not None else "") or "csv").lower()
    if chosen not in FORMATS:
        raise InvalidInput({"format": f"Unbekanntes Format: {chosen} (csv oder xlsx)."})
    return chosen


def checked_target(path: Path) -> Path:
    """The folder a file at `path` would be written in; InvalidInput where none can be."""
    if path.is_dir():
        raise InvalidInput({"file": f"{path} ist ein Ordner; bitte einen Dateinamen angeben."})
    folder = path.parent
    if not folder.is_dir():
        raise InvalidInput({"file": f"Den Ordner {folder} gibt es nicht."})
    return folder


def rows_of(repository: LeadRepository, query: ListQuery, progress: Progress | None = None) -> Iterator[Any]:
    """Every row of the list, page by page, in the list's order."""
    total = repository.count(query)
    done = 0
    while done < total:
        page = repository.rows(query, done, min(PAGE, total - done), total)
        if not page:
            break  # the list got shorter while we read it
        yield from page
        done += len(page)
        if progress is not None:
            progress(done, total)


def export(
    repository: LeadRepository,
    query: ListQuery,
    columns: list[ListColumn],
    target: Path | IO[bytes],
    fmt: str,
    progress: Progress | None = None,
) -> int:
    """Write the list `query` in `columns` to `target` (a path, or an open binary stream for
    CSV) and return how many leads were written."""
    if isinstance(target, Path):
        return _to_file(repository, query, columns, target, fmt, progress)
    if fmt != "csv":
        raise InvalidInput({"format": "xlsx nur in eine Datei: bitte mit -o DATEI angeben."})
    return _write_csv(repository, query, columns, target, progress)


def _to_file(
    repository: LeadRepository,
    query: ListQuery,
    columns: list[ListColumn],
    path: Path,
    fmt: str,
    progress: Progress | None,
) -> int:
    folder = checked_target(path)
    try:
        handle, staging = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".teil", dir=folder)
    except OSError as error:
        raise StorageError(f"In {folder} kann nicht geschrieben werden: {error.strerror}.") from None
    try:
        with os.fdopen(handle, "wb") as out:
            if fmt == "csv":
                written = _write_csv(repository, query, columns, out, progress)
            else:
                written = _write_xlsx(repository, query, columns, out, progress)
        os.replace(staging, path)
    except OSError as error:
        raise StorageError(f"Export nach {path} fehlgeschlagen: {error.strerror}.") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(staging)
    return written


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, int):
        return str(value)
    return neutral(value)


def _write_csv(
    repository: LeadRepository, query: ListQuery, columns: list[ListColumn], out: IO[bytes], progress: Progress | None
) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.label for c in columns])
    written = 0
    for row in rows_of(repository, query, progress):
        writer.writerow([_csv_cell(c.value(row)) for c in columns])
        written += 1
    text.flush()
    text.detach()  # the stream stays the caller's
    return written


def _write_xlsx(
    repository: LeadRepository, query: ListQuery, columns: list[ListColumn], out: IO[bytes], progress: Progress | None
) -> int:
    import xlsxwriter

    book = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False})
    sheet = book.add_worksheet("Leads")
    bold = book.add_format({"bold": True})
    day = book.add_format({"num_format": "dd.mm.yyyy"})
    moment = book.add_format({"num_format": "dd.mm.yyyy hh:mm"})
    euro = book.add_format({"num_format": '#,##0 "€"'})
    for x, column in enumerate(columns):
        sheet.write_string(0, x, column.label, bold)
        sheet.set_column(x, x, 30 if column.key == "title" else 16)
    written = 0
    for y, row in enumerate(rows_of(repository, query, progress), start=1):
        for x, column in enumerate(columns):
            value = column.value(row)
            if value is None:
                continue
            if isinstance(value, datetime):
                sheet.write_datetime(y, x, value, moment)
            elif isinstance(value, date):
                sheet.write_datetime(y, x, datetime(value.year, value.month, value.day), day)
            elif isinstance(value, int):
                sheet.write_number(y, x, value, euro if column.key == "value" else None)
            else:
                sheet.write_string(y, x, neutral(value))
        written += 1
    book.close()
    return written
