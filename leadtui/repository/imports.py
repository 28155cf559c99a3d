"""Importing leads from a file as one batch, and undoing a batch (docs/rules.md, rule 19).

A preview and an import run the same plan: every row parsed and checked as the new-lead form
checks it, its Kollege resolved among the own company's active colleagues, and matched against
the leads the own company holds (never another company's: nobody may learn what others hold)
and the rows before it. The import then writes the whole plan in one transaction - all of it,
or nothing - in bulk statements, so 100,000 rows take seconds, not one round of statements each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, select, update

from leadtui.db import read_model
from leadtui.db.models import AssignmentHistoryModel as History
from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import CompanyLeadModel as CL
from leadtui.db.models import ImportBatchLeadModel as BatchLead
from leadtui.db.models import ImportBatchModel as Batch
from leadtui.db.models import JournalEntryModel as Entry
from leadtui.db.models import LeadExternalIdModel as External
from leadtui.db.models import LeadModel as Lead
from leadtui.db.models import LeadShareModel as Share
from leadtui.domain import (
    AssignmentReason,
    InvalidInput,
    JournalKind,
    NotFound,
    NotificationKind,
    NotUndoable,
)
from leadtui.domain.imports import (
    FIELD_LABELS,
    MAX_REPORTED,
    MAX_ROWS,
    NOBODY,
    RULES,
    Candidate,
    DuplicatePolicy,
    DuplicateRow,
    ImportBatch,
    ImportFile,
    ImportOptions,
    ImportOutcome,
    ImportProgress,
    RowProblem,
    UndoneImport,
    match_keys,
    parse_row,
)
from leadtui.domain.ingest import MAX_LINES, IngestAnswer, IngestLine, Result
from leadtui.domain.values import EDITABLE_FIELDS, OWNER_EDITABLE, PARTNER_EDITABLE
from leadtui.repository.assignments import Assignments
from leadtui.repository.journal import Journal
from leadtui.repository.leads import lead_columns
from leadtui.repository.notifications import Delivery, cut
from leadtui.repository.session import Session

CHUNK = 5000  # ids per IN list
PROGRESS_ROWS = 1000  # rows checked between two reports of an import's progress
Written = Callable[[int, int], None]  # (new leads written, new leads in all): after each chunk
# Keys per lookup: with more, SQLite's planner reads the company's whole view instead of the
# key index (5,000 keys took 0.4 s a lookup at a million leads, 1,000 take 7 ms).
KEYS_PER_LOOKUP = 1000
FILLABLE = ("prospect", "contact", "email", "phone", "city", "value")  # what a fill may add to a lead
EARLIEST = datetime(2000, 1, 1)  # the databases store moments from here on
INGEST_FIELDS = tuple(FIELD_LABELS)  # a line may name any field
INGEST_BATCH = "Eingang (leadtui ingest)"  # the batch name of leads other systems sent


@dataclass
class _Plan:
    """What an import of a file does: the leads to create (with their assignee), the existing
    leads to fill, and what the outcome reports."""

    rows: int
    creates: list[tuple[Candidate, int | None]] = field(default_factory=list)
    keys: dict[int, dict[str, str]] = field(default_factory=dict)  # row -> its match keys, computed once
    fills: dict[int, dict[str, Any]] = field(default_factory=dict)  # lead id -> fields to fill
    problems: list[RowProblem] = field(default_factory=list)
    invalid_rows: int = 0
    duplicate_rows: list[DuplicateRow] = field(default_factory=list)
    duplicates: int = 0

    def outcome(self, names: dict[int | None, str], batch_id: int | None, filled: int | None = None) -> ImportOutcome:
        assigned = Counter(names[colleague] for _, colleague in self.creates)
        return ImportOutcome(
            rows=self.rows,
            new=len(self.creates),
            duplicates=self.duplicates,
            invalid=self.invalid_rows,
            filled=len(self.fills) if filled is None else filled,
            rounded=sum(candidate.rounded for candidate, _ in self.creates),
            assigned=tuple(sorted(assigned.items(), key=lambda item: (-item[1], item[0]))),
            problems=tuple(self.problems[:MAX_REPORTED]),
            duplicate_rows=tuple(self.duplicate_rows[:MAX_REPORTED]),
            batch_id=batch_id,
        )


class Imports:
    """The own company's imports: preview, import, the list of batches, undo."""

    def __init__(self, session: Session, assignments: Assignments, journal: Journal, delivery: Delivery):
        self._session = session
        self._assignments = assignments
        self._journal = journal
        self._delivery = delivery
        # The import under way, for a progress bar: set from the import's thread, read from
        # another (one assignment of a frozen value at a time).
        self.progress: ImportProgress | None = None

    def import_leads(self, file: ImportFile, options: ImportOptions, dry_run: bool = True) -> ImportOutcome:
        """What importing `file` does (`dry_run`: nothing written, a preview), or does it: all
        its leads in one batch, in one transaction, telling `progress` how far it is."""
        _check_shape(file)
        if dry_run:
            parsed = self._parsed(file, report=False)
            with self._session.read() as conn:
                names = self._colleagues(conn)
                plan = self._plan(conn, parsed, options, names)
                return plan.outcome(_shown_names(names), None)
        try:
            parsed = self._parsed(file, report=True)
            now = self._session.clock()
            with self._session.write() as conn:
                names = self._colleagues(conn)
                plan = self._plan(conn, parsed, options, names)
                batch_id, filled, _ = self._write(conn, plan, file.name, now, written=self._report_written)
                return plan.outcome(_shown_names(names), batch_id, filled)
        finally:
            self.progress = None

    def _report_written(self, done: int, total: int) -> None:
        self.progress = ImportProgress("schreiben", done, total)

    def _parsed(self, file: ImportFile, report: bool) -> list[Candidate | list[RowProblem]]:
        """Each row checked as the new-lead form checks it (a candidate, or its problems)."""
        total = len(file.rows)
        parsed: list[Candidate | list[RowProblem]] = []
        for index, (cells, number) in enumerate(zip(file.rows, file.numbers, strict=True)):
            if report and index % PROGRESS_ROWS == 0:
                self.progress = ImportProgress("prüfen", index, total)
            parsed.append(parse_row(file.fields, cells, number))
        if report:
            self.progress = ImportProgress("prüfen", total, total)
        return parsed

    def ingest_leads(self, lines: list[IngestLine], options: ImportOptions) -> list[IngestAnswer]:
        """Leads sent by another system, one answer a line, in one transaction (rule 20): a
        line whose external id the company knows updates that lead (only the fields it names)
        or does nothing; another is checked and matched as an import row is, and created."""
        if len(lines) > MAX_LINES or len({line.number for line in lines}) != len(lines):
            raise InvalidInput({"lines": f"Höchstens {MAX_LINES} Zeilen je Anfrage, jede mit eigener Nummer."})
        now = self._session.clock()
        answers: dict[int, IngestAnswer] = {}
        with self._session.write() as conn:
            known = self._known_ids(conn, {line.external_id for line in lines if line.external_id})
            fresh: list[IngestLine] = []
            first_of: dict[str, int] = {}  # a new external id -> the line that brings it first
            for line in lines:
                if line.external_id in known:
                    answers[line.number] = self._update(conn, line, known[line.external_id], now)
                elif line.external_id not in first_of:
                    fresh.append(line)
                    if line.external_id:
                        first_of[line.external_id] = line.number
            answers.update(self._ingest_fresh(conn, fresh, options, now))
            for line in lines:  # a new external id twice: the lead its first line made
                if line.number not in answers:
                    made = answers[first_of[line.external_id]].lead_id
                    answers[line.number] = IngestAnswer(line.number, Result.DUPLICATE, made)
        return [answers[line.number] for line in lines]

    def _ingest_fresh(
        self, conn: Connection, fresh: list[IngestLine], options: ImportOptions, now: datetime
    ) -> dict[int, IngestAnswer]:
        """Lines of leads the company does not know by their external id: planned and written
        as an import of them is (duplicates are answered, never added)."""
        parsed = [parse_row(INGEST_FIELDS, _cells(line), line.number) for line in fresh]
        plan = self._plan(conn, parsed, replace(options, duplicates=DuplicatePolicy.SKIP), self._colleagues(conn))
        created = self._write(conn, plan, INGEST_BATCH, now)[2] if plan.creates else []
        made = {candidate.row: lead_id for (candidate, _), (lead_id, _) in zip(plan.creates, created, strict=True)}
        external = {line.number: line.external_id for line in fresh if line.external_id}
        ids = [
            dict(company_id=self._session.company_id, external_id=external[row], lead_id=lead_id)
            for row, lead_id in made.items()
            if row in external
        ]
        if ids:
            conn.execute(insert(External), ids)
        answers: dict[int, IngestAnswer] = {}
        for problem in plan.problems:  # the first problem of a row names it
            invalid = IngestAnswer(problem.row, Result.INVALID, None, problem.field, problem.message)
            answers.setdefault(problem.row, invalid)
        for duplicate in plan.duplicate_rows:
            lead_id = duplicate.lead_id if duplicate.lead_id is not None else made.get(duplicate.other_row or 0)
            answers[duplicate.row] = IngestAnswer(duplicate.row, Result.DUPLICATE, lead_id, reason=duplicate.rule)
        answers.update({row: IngestAnswer(row, Result.CREATED, lead_id) for row, lead_id in made.items()})
        return answers

    def _known_ids(self, conn: Connection, external_ids: set[str]) -> dict[str, int]:
        known: dict[str, int] = {}
        for chunk in _chunks(sorted(external_ids), KEYS_PER_LOOKUP):
            rows = conn.execute(
                select(External.external_id, External.lead_id).where(
                    External.company_id == self._session.company_id, External.external_id.in_(chunk)
                )
            )
            known.update({row.external_id: row.lead_id for row in rows})
        return known

    def _update(self, conn: Connection, line: IngestLine, lead_id: int, now: datetime) -> IngestAnswer:
        """A known lead, sent again: the fields the line names, changed where they differ and
        the own company may change them (rule 12); nothing when they are as stored."""
        lead = self._journal.holding_in(conn, lead_id, lock=True)
        # A line that leaves the title out keeps the stored one (it is required of a new lead).
        fields = {"title": lead["title"], **line.fields}
        parsed = parse_row(INGEST_FIELDS, [fields.get(key, "") for key in INGEST_FIELDS], line.number)
        if isinstance(parsed, list):
            first = parsed[0]
            return IngestAnswer(line.number, Result.INVALID, lead_id, first.field, first.message)
        named = {"city" if key == "zip" else key for key in line.fields}
        wanted = {key: getattr(parsed.lead, key) for key in EDITABLE_FIELDS if key in named}
        if "status" in wanted:
            wanted["status"] = parsed.lead.status.value
        changes = {key: value for key, value in wanted.items() if lead[key] != value}
        if not changes:
            return IngestAnswer(line.number, Result.DUPLICATE, lead_id)
        allowed = OWNER_EDITABLE if lead["owner_company_id"] == self._session.company_id else PARTNER_EDITABLE
        refused = [key for key in changes if key not in allowed]
        if refused:
            return IngestAnswer(
                line.number, Result.INVALID, lead_id, refused[0],
                f"{FIELD_LABELS[refused[0]]}: nur die Firma, der der Lead gehört, ändert das.",
            )  # fmt: skip
        self._journal.change_in(conn, lead, changes, now)
        self._session.changed(conn)
        return IngestAnswer(line.number, Result.UPDATED, lead_id)

    # --- planning ----------------------------------------------------------------------------

    def _colleagues(self, conn: Connection) -> dict[int, tuple[str, str, bool]]:
        """The own company's colleagues: id -> (name, e-mail, active)."""
        rows = conn.execute(
            select(Col.id, Col.name, Col.email, Col.active).where(Col.company_id == self._session.company_id)
        )
        return {row.id: (row.name, row.email, row.active) for row in rows}

    def _plan(
        self,
        conn: Connection,
        parsed: list[Candidate | list[RowProblem]],
        options: ImportOptions,
        colleagues: dict[int, tuple[str, str, bool]],
    ) -> _Plan:
        plan = _Plan(rows=len(parsed))
        default = self._default_assignee(options, colleagues)
        by_email = {email.casefold(): cid for cid, (_, email, _) in colleagues.items()}
        by_name: dict[str, list[int]] = {}
        for cid, (name, _, _) in colleagues.items():
            by_name.setdefault(name.strip(), []).append(cid)
        now = self._session.clock()
        candidates: list[tuple[Candidate, int | None, dict[str, str]]] = []
        for item in parsed:
            if isinstance(item, list):
                plan.problems.extend(item)
                plan.invalid_rows += 1
                continue
            problems: list[RowProblem] = []
            assignee = default
            if item.colleague:
                assignee, problem = _resolved(item.colleague, by_email, by_name, colleagues)
                if problem:
                    problems.append(RowProblem(item.row, "colleague", problem))
            if item.created is not None and not EARLIEST <= item.created <= now:
                when = "liegt in der Zukunft" if item.created > now else "liegt vor dem Jahr 2000"
                problems.append(RowProblem(item.row, "created", f"Angelegt: {item.created:%d.%m.%Y} {when}."))
            if problems:
                plan.problems.extend(problems)
                plan.invalid_rows += 1
                continue
            lead = item.lead
            candidates.append((item, assignee, match_keys(lead.email, lead.phone, lead.prospect, lead.city)))
        held = self._held_matches(conn, [keys for _, _, keys in candidates])
        earlier: dict[str, dict[str, int]] = {rule: {} for rule in RULES}  # rule -> key -> index in creates
        for candidate, assignee, keys in candidates:
            match = next(((rule, held[rule][keys[rule]]) for rule in RULES if keys.get(rule) in held[rule]), None)
            if match is not None:
                rule, (lead_id, title, owned) = match
                plan.duplicates += 1
                plan.duplicate_rows.append(DuplicateRow(candidate.row, RULES[rule], lead_id, title))
                if options.duplicates is DuplicatePolicy.FILL:
                    fill = plan.fills.setdefault(lead_id, {})
                    allowed = OWNER_EDITABLE if owned else PARTNER_EDITABLE
                    for key in FILLABLE:
                        value = getattr(candidate.lead, key)
                        if key in allowed and key not in fill and value not in ("", None):
                            fill[key] = value
                if options.duplicates is not DuplicatePolicy.IMPORT:
                    continue
            else:
                first = next(
                    ((rule, earlier[rule][keys[rule]]) for rule in RULES if keys.get(rule) in earlier[rule]), None
                )
                if first is not None:
                    rule, index = first
                    other, _ = plan.creates[index]
                    plan.duplicates += 1
                    plan.duplicate_rows.append(
                        DuplicateRow(candidate.row, RULES[rule], None, other.lead.title, other.row)
                    )
                    if options.duplicates is DuplicatePolicy.FILL:
                        plan.creates[index] = (_merged(other, candidate), plan.creates[index][1])
                        plan.keys.pop(other.row, None)  # its fields changed: its keys are computed anew
                    if options.duplicates is not DuplicatePolicy.IMPORT:
                        continue
            for rule, key in keys.items():
                earlier[rule].setdefault(key, len(plan.creates))
            plan.creates.append((candidate, assignee))
            plan.keys[candidate.row] = keys
        return plan

    def _default_assignee(self, options: ImportOptions, colleagues: dict[int, tuple[str, str, bool]]) -> int | None:
        """Who has a row without a Kollege (--kollege): the importer, nobody or a colleague."""
        wanted = options.colleague.strip()
        if not wanted:
            return self._session.me.id
        if wanted.casefold() == NOBODY:
            return None
        assignee, problem = _resolved(wanted, {e.casefold(): c for c, (_, e, _) in colleagues.items()}, {}, colleagues)
        if problem:
            raise InvalidInput({"colleague": problem})
        return assignee

    def _held_matches(
        self, conn: Connection, wanted: list[dict[str, str]]
    ) -> dict[str, dict[str, tuple[int, str, bool]]]:
        """The leads the own company holds that a row's keys match: rule -> key -> (lead, title,
        owned). Looked up by the leads' stored keys (indexed), a chunk of keys at a time; the
        join to the company's own view keeps every other company's leads out."""
        found: dict[str, dict[str, tuple[int, str, bool]]] = {rule: {} for rule in RULES}
        company = self._session.company_id
        for rule in RULES:
            column = getattr(Lead, f"match_{rule}")
            keys = sorted({keys[rule] for keys in wanted if rule in keys})
            for chunk in _chunks(keys, KEYS_PER_LOOKUP):
                rows = conn.execute(
                    select(column, Lead.id, Lead.title, Lead.owner_company_id)
                    .join(CL, and_(CL.lead_id == Lead.id, CL.company_id == company))
                    .where(column.in_(chunk))
                    .order_by(Lead.id)
                )
                for key, lead_id, title, owner in rows:
                    found[rule].setdefault(key, (lead_id, title, owner == company))
        return found

    # --- writing -----------------------------------------------------------------------------

    def _write(
        self, conn: Connection, plan: _Plan, name: str, now: datetime, written: Written | None = None
    ) -> tuple[int, int, list[tuple[int, int | None]]]:
        """The plan, written: the batch's id, how many existing leads were filled, and the
        leads created (lead, assignee) in the plan's order."""
        company = self._session.company_id
        batch_id = conn.execute(
            insert(Batch)
            .values(company_id=company, colleague_id=self._session.me.id, name=name[:255], at=now, leads=0, filled=0)
            .returning(Batch.id)
        ).scalar_one()
        created = self._create(conn, plan, batch_id, now, written)
        filled = self._fill(conn, plan.fills, batch_id, now)
        conn.execute(
            update(Batch)
            .where(Batch.id == batch_id, Batch.company_id == company)
            .values(leads=len(created), filled=filled)
        )
        if created or filled:
            self._session.changed(conn)
        self._tell_assignees(conn, created, name)
        return batch_id, filled, created

    def _create(
        self, conn: Connection, plan: _Plan, batch_id: int, now: datetime, written: Written | None
    ) -> list[tuple[int, int | None]]:
        """The new leads, their company views, history and notes; (lead, assignee) of each."""
        company = self._session.company_id
        names = {cid: name for cid, (name, _, _) in self._colleagues(conn).items()}
        done: list[tuple[int, int | None]] = []
        for chunk in _chunks(plan.creates, CHUNK):
            ids = self._session.backend.new_ids(conn, Lead, len(chunk))
            leads = [
                dict(
                    lead_columns(candidate.lead, company, candidate.created or now, now, plan.keys.get(candidate.row)),
                    id=lead_id,
                )
                for lead_id, (candidate, _) in zip(ids, chunk, strict=True)
            ]
            conn.execute(insert(Lead), leads)
            conn.execute(
                insert(CL),
                [
                    dict(
                        company_id=company,
                        lead_id=lead_id,
                        colleague_id=assignee,
                        version=1,
                        via="own",
                        **read_model.view_sort_keys(lead, names.get(assignee) if assignee else ""),
                    )
                    for lead_id, lead, (_, assignee) in zip(ids, leads, chunk, strict=True)
                ],
            )
            history = [
                dict(
                    company_id=company,
                    lead_id=lead_id,
                    from_id=None,
                    to_id=assignee,
                    by_id=self._session.me.id,
                    at=now,
                    reason=AssignmentReason.IMPORTED.value,
                )
                for lead_id, (_, assignee) in zip(ids, chunk, strict=True)
                if assignee is not None
            ]
            if history:
                conn.execute(insert(History), history)
            notes = [
                (lead_id, candidate.note) for lead_id, (candidate, _) in zip(ids, chunk, strict=True) if candidate.note
            ]
            note_ids: dict[int, int] = {}
            if notes:
                note_ids = dict(
                    zip(
                        (lead_id for lead_id, _ in notes),
                        self._session.backend.new_ids(conn, Entry, len(notes)),
                        strict=True,
                    )
                )
                entries = [
                    dict(
                        id=note_ids[lead_id],
                        lead_id=lead_id,
                        company_id=company,
                        author_id=self._session.me.id,
                        at=now,
                        kind=JournalKind.NOTE.value,
                        body=text,
                    )
                    for lead_id, text in notes
                ]
                conn.execute(insert(Entry), entries)
            conn.execute(
                insert(BatchLead),
                [
                    dict(
                        batch_id=batch_id,
                        lead_id=lead_id,
                        company_id=company,
                        created=True,
                        filled="",
                        version=1,
                        note_id=note_ids.get(lead_id),
                    )
                    for lead_id in ids
                ],
            )
            done.extend((lead_id, assignee) for lead_id, (_, assignee) in zip(ids, chunk, strict=True))
            if written is not None:
                written(len(done), len(plan.creates))
            by_colleague: dict[int | None, list[str]] = {}
            for lead, (_, assignee) in zip(leads, chunk, strict=True):
                by_colleague.setdefault(assignee, []).append(lead["status"])
            read_model.change_counts(conn, company, {c: read_model.tallies(s) for c, s in by_colleague.items()})
        for assignee in {assignee for _, assignee in done if assignee is not None}:
            # Writing took a key-share lock on the colleague: a deactivation under way has
            # committed by now, and this read sees it (as every assignment checks).
            self._assignments.check_assignable(conn, assignee)
        return done

    def _fill(self, conn: Connection, fills: dict[int, dict[str, Any]], batch_id: int, now: datetime) -> int:
        """The existing leads' empty fields, filled as an edit each (journal, read model, rule 15)."""
        filled = 0
        for lead_id, wanted in sorted(fills.items()):
            lead = self._journal.holding_in(conn, lead_id, lock=True)
            changes = {key: value for key, value in wanted.items() if lead[key] in ("", None)}
            if not changes:
                continue
            version = self._journal.change_in(conn, lead, changes, now)
            conn.execute(
                insert(BatchLead).values(
                    batch_id=batch_id,
                    lead_id=lead_id,
                    company_id=self._session.company_id,
                    created=False,
                    filled=",".join(changes),
                    version=version,
                )
            )
            filled += 1
        return filled

    def _tell_assignees(self, conn: Connection, created: list[tuple[int, int | None]], name: str) -> None:
        """Rule 14: one digest per import and colleague, never one notification per lead (and
        not tied to a lead, so an undo leaves no notification pointing at a removed one)."""
        per_colleague = Counter(assignee for _, assignee in created if assignee is not None)
        for colleague_id, count in sorted(per_colleague.items()):
            if colleague_id == self._session.me.id:
                continue
            leads = "1 Lead" if count == 1 else f"{count:,} Leads".replace(",", ".")
            verb = "wurde" if count == 1 else "wurden"
            text = f"{leads} aus dem Import „{cut(name, 60)}“ {verb} Ihnen von {self._session.me.name} zugewiesen."
            self._delivery.deliver(conn, None, NotificationKind.ASSIGNED, text, recipient=colleague_id, count=count)

    # --- batches and undo --------------------------------------------------------------------

    def import_batches(self) -> list[ImportBatch]:
        """The own company's imports, newest first."""
        with self._session.read() as conn:
            rows = conn.execute(
                select(Batch, Col.name.label("by_name"))
                .join(Col, and_(Col.id == Batch.colleague_id, Col.company_id == Batch.company_id))
                .where(Batch.company_id == self._session.company_id)
                .order_by(Batch.id.desc())
                .limit(200)
            )
            return [ImportBatch(r.id, r.name, r.at, r.by_name, r.leads, r.filled, r.undone_at) for r in rows]

    def undo_import(self, batch_id: int) -> UndoneImport:
        """Take an import back as a whole: its leads removed and the fields it filled emptied -
        except on leads someone worked since (changed, assigned anew, noted, passed on), which
        stay as they are and are named."""
        now = self._session.clock()
        company = self._session.company_id
        with self._session.write() as conn:
            batch = conn.execute(
                select(Batch.undone_at).where(Batch.id == batch_id, Batch.company_id == company).with_for_update()
            ).first()
            if batch is None:
                raise NotFound("Diesen Import gibt es in Ihrer Firma nicht.")
            if batch.undone_at is not None:
                raise NotUndoable("Dieser Import wurde schon rückgängig gemacht.")
            members = conn.execute(
                select(BatchLead.lead_id, BatchLead.created, BatchLead.filled, BatchLead.version, BatchLead.note_id)
                .where(BatchLead.batch_id == batch_id, BatchLead.company_id == company)
                .order_by(BatchLead.lead_id)
            ).all()
            created = [m for m in members if m.created]
            touched = self._touched(conn, created)
            removable = [m.lead_id for m in created if m.lead_id not in touched]
            self._remove(conn, removable)
            reverted = 0
            for member in (m for m in members if not m.created):
                lead = self._journal.holding_in(conn, member.lead_id, lock=True)
                if lead["version"] != member.version:
                    touched[member.lead_id] = lead["title"]
                    continue
                self._journal.change_in(conn, lead, {key: _empty(key) for key in member.filled.split(",")}, now)
                reverted += 1
            conn.execute(update(Batch).where(Batch.id == batch_id, Batch.company_id == company).values(undone_at=now))
            if removable or reverted:
                self._session.changed(conn)
        return UndoneImport(len(removable), reverted, tuple(sorted(touched.items())))

    def _touched(self, conn: Connection, created: list[Any]) -> dict[int, str]:
        """The created leads someone worked since the import: lead id -> title."""
        company = self._session.company_id
        expected = {m.lead_id: m for m in created}
        touched: dict[int, str] = {}
        for chunk in _chunks(list(expected), CHUNK):
            rows = conn.execute(
                select(Lead.id, Lead.title, Lead.version, CL.version.label("assigned"))
                .join(CL, and_(CL.lead_id == Lead.id, CL.company_id == company))
                .where(Lead.id.in_(chunk), Lead.owner_company_id == company)
            ).all()
            present = {row.id for row in rows}
            for row in rows:
                if row.version != expected[row.id].version or row.assigned != 1:
                    touched[row.id] = row.title
            titles = {row.id: row.title for row in rows}
            for lead_id in set(chunk) - present:
                touched[lead_id] = "(nicht mehr vorhanden)"
            entries = conn.execute(select(Entry.lead_id, Entry.id).where(Entry.lead_id.in_(chunk))).all()
            for lead_id, entry_id in entries:
                if entry_id != expected[lead_id].note_id:
                    touched[lead_id] = titles.get(lead_id, "")
            shared = conn.execute(
                select(Share.lead_id).where(Share.lead_id.in_(chunk), Share.principal_company_id == company)
            ).scalars()
            for lead_id in shared:
                touched[lead_id] = titles.get(lead_id, "")
        return touched

    def _remove(self, conn: Connection, lead_ids: list[int]) -> None:
        """Delete untouched imported leads with everything the import wrote for them."""
        company = self._session.company_id
        for chunk in _chunks(lead_ids, CHUNK):
            views = conn.execute(
                select(CL.colleague_id, CL.sort_status).where(CL.company_id == company, CL.lead_id.in_(chunk))
            ).all()
            statuses: dict[int | None, list[str]] = {}
            for view in views:
                statuses.setdefault(view.colleague_id, []).append(view.sort_status)
            conn.execute(delete(History).where(History.company_id == company, History.lead_id.in_(chunk)))
            conn.execute(delete(External).where(External.company_id == company, External.lead_id.in_(chunk)))
            conn.execute(delete(Entry).where(Entry.company_id == company, Entry.lead_id.in_(chunk)))
            conn.execute(delete(CL).where(CL.company_id == company, CL.lead_id.in_(chunk)))
            conn.execute(delete(Lead).where(Lead.owner_company_id == company, Lead.id.in_(chunk)))
            read_model.change_counts(conn, company, {c: -read_model.tallies(s) for c, s in statuses.items()})


def _check_shape(file: ImportFile) -> None:
    """A file the repository can import at all (the client's reading already said why not)."""
    unknown = [name for name in file.fields if name not in FIELD_LABELS]
    if unknown or len(set(file.fields)) != len(file.fields):
        raise InvalidInput({"file": "Ungültige Zuordnung der Spalten."})
    if "title" not in file.fields:
        raise InvalidInput({"file": "Keine Spalte für den Titel."})
    if len(file.rows) != len(file.numbers) or len(file.rows) > MAX_ROWS:
        raise InvalidInput({"file": f"Höchstens {MAX_ROWS:,} Zeilen je Import.".replace(",", ".")})
    if any(len(row) != len(file.fields) for row in file.rows):
        raise InvalidInput({"file": "Jede Zeile braucht so viele Zellen, wie Spalten zugeordnet sind."})


def _cells(line: IngestLine) -> list[str]:
    return [line.fields.get(key, "") for key in INGEST_FIELDS]


def _resolved(
    wanted: str,
    by_email: dict[str, int],
    by_name: dict[str, list[int]],
    colleagues: dict[int, tuple[str, str, bool]],
) -> tuple[int | None, str]:
    """A Kollege cell as an own active colleague: (id, "") or (None, what is wrong)."""
    shown = cut(wanted, 60)
    ids = [by_email[wanted.casefold()]] if wanted.casefold() in by_email else by_name.get(wanted, [])
    if not ids:
        return None, f"Kollege: „{shown}“ ist kein Kollege Ihrer Firma (E-Mail oder genauer Name)."
    if len(ids) > 1:
        return None, f"Kollege: „{shown}“ heißen mehrere; bitte die E-Mail angeben."
    name, _, active = colleagues[ids[0]]
    if not active:
        return None, f"Kollege: {name} ist inaktiv und kann keine Leads bekommen."
    return ids[0], ""


def _shown_names(colleagues: dict[int, tuple[str, str, bool]]) -> dict[int | None, str]:
    return {None: "", **{cid: name for cid, (name, _, _) in colleagues.items()}}


def _merged(first: Candidate, later: Candidate) -> Candidate:
    """An earlier row with a later duplicate's values in its empty fields."""
    filled = {key: getattr(later.lead, key) for key in FILLABLE if getattr(first.lead, key) in ("", None)}
    return replace(first, lead=replace(first.lead, **filled), note=first.note or later.note)


def _empty(key: str) -> Any:
    return None if key == "value" else ""


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
