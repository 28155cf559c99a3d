"""Leads into leadtui: `leadtui import FILE`, locally or through a server, as the colleague works.

A preview first (the mapping, the counts, the first invalid rows and duplicates), then - after
a yes on the terminal, or with --ja - the import as one batch; `--list` and `--undo BATCH`
show and take back batches. What the file holds is printed as data: control characters out.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from leadtui.cli.commands import cli, db_option
from leadtui.cli.database import UserError
from leadtui.cli.signed_in import server_option
from leadtui.cli.transfer import working_repository
from leadtui.config import USER_ENV
from leadtui.domain import LeadtuiError
from leadtui.domain.imports import (
    DuplicatePolicy,
    ImportBatch,
    ImportOptions,
    ImportOutcome,
    ImportProgress,
    UndoneImport,
)
from leadtui.domain.interface import LeadRepository
from leadtui.domain.money import format_count
from leadtui.domain.text import for_display

PROGRESS_S = 0.5  # how often an import under way is asked how far it is
LINE_S = 5.0  # at most one progress line this often when stderr is no terminal
POLICIES = {
    "überspringen": DuplicatePolicy.SKIP,
    "ueberspringen": DuplicatePolicy.SKIP,
    "importieren": DuplicatePolicy.IMPORT,
    "füllen": DuplicatePolicy.FILL,
    "fuellen": DuplicatePolicy.FILL,
}


@cli.command("import")
@click.argument("file", required=False, metavar="DATEI")
@click.option("--dry-run", is_flag=True, help="Nur die Vorschau zeigen, nichts importieren.")
@click.option("--ja", "yes", is_flag=True, help="Ohne Rückfrage importieren (für Skripte).")
@click.option("--map", "maps", multiple=True, metavar="SPALTE=FELD", help="Eine Spalte einem Feld zuordnen "
              "(z. B. --map Betreff=Titel; FELD - ignoriert die Spalte). Mehrfach möglich.")  # fmt: skip
@click.option("--kollege", "colleague", default="", metavar="E-MAIL|niemand", help="Wer die Leads ohne Spalte "
              "Kollege bekommt (Standard: Sie; niemand: Nicht zugewiesen).")  # fmt: skip
@click.option("--dubletten", "policy", default="überspringen", metavar="WAS", help="überspringen (Standard), "
              "importieren oder füllen (leere Felder des vorhandenen Leads füllen).")  # fmt: skip
@click.option("--blatt", "sheet", metavar="NAME", help="Das Blatt einer xlsx-Datei (Standard: das erste).")
@click.option("--list", "list_batches", is_flag=True, help="Die Importe Ihrer Firma zeigen.")
@click.option("--undo", "undo", type=int, metavar="IMPORT", help="Einen Import als Ganzes rückgängig machen.")
@click.option("--user", metavar="EMAIL", envvar=USER_ENV, help=f"Als dieser Kollege (oder {USER_ENV}).")
@db_option
@server_option
@click.pass_context
def import_command(
    ctx: click.Context,
    file: str | None,
    dry_run: bool,
    yes: bool,
    maps: tuple[str, ...],
    colleague: str,
    policy: str,
    sheet: str | None,
    list_batches: bool,
    undo: int | None,
    user: str | None,
    db: str | None,
    server_url: str | None,
    ca_file: str | None,
) -> int:
    """Leads aus einer CSV- oder xlsx-Datei importieren: erst eine Vorschau, dann ein Import
    als Ganzes, der sich mit --undo zurücknehmen lässt."""
    chosen = [list_batches, undo is not None, file is not None]
    if sum(chosen) != 1:
        raise UserError("Bitte genau eines angeben: eine DATEI, --list oder --undo IMPORT.")
    repository = working_repository(ctx, db, user, server_url, ca_file)
    if list_batches:
        _print_batches(repository.import_batches())
        return 0
    if undo is not None:
        _print_undone(undo, repository.undo_import(undo))
        return 0
    assert file is not None
    duplicates = POLICIES.get(policy.strip().lower())
    if duplicates is None:
        raise UserError(f"Unbekannte Wahl für --dubletten: {policy} (überspringen, importieren oder füllen).")
    return _import(repository, Path(file).expanduser(), maps, ImportOptions(duplicates, colleague.strip()), sheet,
                   dry_run, yes)  # fmt: skip


def _import(
    repository: LeadRepository,
    path: Path,
    maps: tuple[str, ...],
    options: ImportOptions,
    sheet: str | None,
    dry_run: bool,
    yes: bool,
) -> int:
    from leadtui.sheets import column_map, mapped, read

    overrides = dict(_override(text) for text in maps)
    with _step("Datei lesen") as done:
        table = read(path, sheet)
        done(len(table.rows))
    columns = column_map(table, overrides)
    file = mapped(table, columns)
    with _step("Vorschau prüfen") as done:
        preview = repository.import_leads(file, options)
        done(preview.rows)
    out = click.echo
    out(f"Datei: {for_display(table.name)} ({table.described}) – {format_count(len(table.rows))} Zeilen")
    out("Zuordnung:")
    for line in columns.lines():
        out(f"  {for_display(line)}")
    _print_outcome(preview, options.duplicates)
    if dry_run:
        out("Vorschau (--dry-run): nichts importiert.")
        return 0
    if not preview.new and not preview.filled:
        out("Nichts zu importieren.")
        return 0
    if not yes:
        if not sys.stdin.isatty():
            raise UserError("Nichts importiert: ohne Terminal bitte mit --ja bestätigen (oder --dry-run).")
        if not click.confirm(f"{_leads(preview.new)} jetzt importieren?", default=False):
            out("Nichts importiert.")
            return 0
    started = time.perf_counter()
    with _watched(repository):
        outcome = repository.import_leads(file, options, dry_run=False)
    seconds = max(time.perf_counter() - started, 0.001)
    filled = f", {_leads(outcome.filled)} ergänzt" if outcome.filled else ""
    out(
        f"{_leads(outcome.new)} importiert{filled} (Import {outcome.batch_id}, "
        f"{_decimal(seconds)} s, {format_count(round(outcome.rows / seconds))} Zeilen/s). "
        f"Rückgängig: leadtui import --undo {outcome.batch_id}"
    )
    return 0


@contextmanager
def _watched(repository: LeadRepository) -> Iterator[None]:
    """While the import runs (in this thread), how far it is, asked from another every
    PROGRESS_S: a bar with rows per second on a terminal (Rich), else a line now and then for
    a log. Through a server, a process other than the importing one knows nothing: no figures."""
    stop = threading.Event()
    report = _Bar() if sys.stderr.isatty() else _Lines()

    def ask() -> None:
        while not stop.wait(PROGRESS_S):
            try:
                progress = repository.import_progress()
            except LeadtuiError:  # the figures are a courtesy; the import itself says what failed
                continue
            if progress is not None and progress.total and not stop.is_set():
                report.show(progress)

    asking = threading.Thread(target=ask, name="import-progress", daemon=True)
    asking.start()
    try:
        yield
    finally:
        stop.set()
        asking.join()
        report.close()


class _Bar:
    """Rich's progress bar on the terminal (stderr): the phase, the bar, rows, rows a second."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn

        self._progress = Progress(
            TextColumn("Import: {task.description}"),
            BarColumn(),
            TextColumn("{task.fields[counts]} Zeilen · {task.fields[rate]} Zeilen/s"),
            console=Console(stderr=True),
            transient=True,
        )
        self._progress.start()
        self._tasks: dict[str, Any] = {}

    def show(self, progress: ImportProgress) -> None:
        task = self._tasks.get(progress.phase)
        if task is None:
            task = self._tasks[progress.phase] = self._progress.add_task(
                progress.phase, total=progress.total, rate="–", counts=""
            )
        counts = f"{format_count(progress.done)} von {format_count(progress.total)}"
        self._progress.update(task, completed=progress.done, total=progress.total, counts=counts)
        speed = self._progress.tasks[task].speed
        self._progress.update(task, rate=format_count(round(speed)) if speed else "–")

    def close(self) -> None:
        self._progress.stop()


class _Lines:
    """A line at most every LINE_S on stderr when that is no terminal (a log, a pipe)."""

    def __init__(self) -> None:
        self._said = 0.0
        self._phase: tuple[str, float, int] = ("", 0.0, 0)

    def show(self, progress: ImportProgress) -> None:
        now = time.monotonic()
        phase, since, first = self._phase
        if phase != progress.phase:
            self._phase = phase, since, first = progress.phase, now, progress.done
        if now - self._said < LINE_S:
            return
        self._said = now
        rate = f" ({format_count(round((progress.done - first) / (now - since)))} Zeilen/s)" if now > since else ""
        click.echo(
            f"Import: {progress.phase} {format_count(progress.done)} von {format_count(progress.total)} Zeilen{rate}",
            err=True,
        )

    def close(self) -> None:
        pass


def _override(text: str) -> tuple[str, str]:
    column, equals, target = text.rpartition("=")
    if not equals or not column.strip():
        raise UserError(f"--map braucht SPALTE=FELD, nicht „{text}“.")
    return column.strip(), target.strip()


def _print_outcome(outcome: ImportOutcome, policy: DuplicatePolicy) -> None:
    out = click.echo
    out(
        f"Neu: {format_count(outcome.new)} · Dubletten: {format_count(outcome.duplicates)} ({policy.label}) · "
        f"Ungültig: {format_count(outcome.invalid)}"
    )
    if outcome.filled:
        out(f"Ergänzt: {_leads(outcome.filled)} (leere Felder gefüllt)")
    if outcome.assigned:
        shares = [f"{format_count(n)} an {for_display(name) if name else 'niemand'}" for name, n in outcome.assigned]
        out(f"Zuweisung: {', '.join(shares)}")
    if outcome.rounded:
        values = "1 Wert" if outcome.rounded == 1 else f"{format_count(outcome.rounded)} Werte"
        out(f"Gerundet: {values} mit Cent auf volle Euro")
    if outcome.problems:
        out(f"Ungültige Zeilen{' (die ersten)' if outcome.invalid > len(outcome.problems) else ''}:")
        for problem in outcome.problems:
            out(f"  Zeile {problem.row}: {for_display(problem.message)}")
    if outcome.duplicate_rows:
        out(f"Dubletten{' (die ersten)' if outcome.duplicates > len(outcome.duplicate_rows) else ''}:")
        for duplicate in outcome.duplicate_rows:
            other = f"Lead {duplicate.lead_id}" if duplicate.lead_id is not None else f"Zeile {duplicate.other_row}"
            out(f"  Zeile {duplicate.row}: {duplicate.rule} wie {other} „{for_display(duplicate.title)}“")


def _print_batches(batches: list[ImportBatch]) -> None:
    if not batches:
        click.echo("Noch keine Importe.")
        return
    for batch in batches:
        when = f"{batch.at:%d.%m.%Y %H:%M}" if batch.at else "?"
        undone = " – rückgängig gemacht" if batch.undone_at else ""
        filled = f", {format_count(batch.filled)} ergänzt" if batch.filled else ""
        click.echo(
            f"{batch.id:>5}  {when}  {for_display(batch.name)}  {_leads(batch.leads)}{filled}  "
            f"von {for_display(batch.by_name)}{undone}"
        )


def _print_undone(batch_id: int, undone: UndoneImport) -> None:
    parts = [f"{_leads(undone.removed)} entfernt"]
    if undone.reverted:
        parts.append(f"bei {_leads(undone.reverted)} die ergänzten Felder wieder geleert")
    click.echo(f"Import {batch_id} rückgängig gemacht: {', '.join(parts)}.")
    if undone.touched:
        click.echo(f"{_leads(len(undone.touched))} bleiben, weil sie seitdem bearbeitet wurden:")
        for lead_id, title in undone.touched:
            click.echo(f"  Lead {lead_id} „{for_display(title)}“")


def _leads(n: int) -> str:
    return "1 Lead" if n == 1 else f"{format_count(n)} Leads"


def _decimal(seconds: float) -> str:
    return f"{seconds:.1f}".replace(".", ",")


@contextmanager
def _step(what: str) -> Iterator[Callable[[int], None]]:
    """One step of an import, shown while it runs: a spinner with the time on a terminal
    (Rich), one line when it is done otherwise (a log, a pipe). The repository does a step in
    one call - one transaction, or one request to a server - so its rows are counted when done."""
    counted: list[int] = []
    started = time.perf_counter()
    if sys.stderr.isatty():
        from rich.console import Console

        with Console(stderr=True).status(f"{what} …"):
            yield counted.append
    else:
        yield counted.append
    seconds = time.perf_counter() - started
    rows = counted[0] if counted else 0
    rate = f", {format_count(round(rows / seconds))} Zeilen/s" if rows and seconds > 0.05 else ""
    click.echo(f"{what}: {format_count(rows)} Zeilen in {_decimal(seconds)} s{rate}", err=True)
