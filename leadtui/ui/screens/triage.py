"""Triage from the lead list: assigning (one, marked, to me), accepting and declining offers,
and what is done per colleague - filtering by one, the team workload, handing a deactivated
colleague's leads over. A mixin of LeadsScreen, which owns the list these act on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text

from leadtui.domain import (
    Assignment,
    BulkResult,
    Colleague,
    DecidedOffers,
    LeadRow,
    ListKind,
    ListQuery,
)
from leadtui.ui.safe import line, toast
from leadtui.ui.screens.dialogs import Choice, Confirm, PickColleague
from leadtui.ui.screens.workload import Pick, WorkloadScreen
from leadtui.ui.undo import UNDO_HINT

if TYPE_CHECKING:
    from leadtui.repository import Repository
    from leadtui.ui.app import LeadtuiApp
    from leadtui.ui.widgets.lead_table import LeadTable

T = TypeVar("T")


class Triage:
    if TYPE_CHECKING:  # what LeadsScreen provides to these actions (for the type checker only)

        @property
        def leadtui_app(self) -> LeadtuiApp: ...
        @property
        def repository(self) -> Repository: ...

        table: LeadTable
        list_query: ListQuery
        filter_name: str

        def reload(self, keep_marks: bool = False, follow: bool = False) -> None: ...
        def database(self, call: Callable[[], T], then: Callable[[T], None] | None = None, **options: Any) -> Any: ...
        def offer_undo(self, call: Callable[[], BulkResult]) -> None: ...
        def _targets(self) -> list[LeadRow]: ...
        def _write(self, call: Callable[[], T], then: Callable[[T], None], lead: int | None = None) -> None: ...

    def action_hand_over(self) -> None:
        """Verwaist: hand all leads of the highlighted lead's deactivated colleague to one active
        colleague."""
        row = self.table.current
        if row is not None and row.assignee is not None and not row.assignee.active:
            self._hand_over(row.assignee.id, row.assignee.name)

    def _hand_over(self, source_id: int, source_name: str) -> None:
        """Choose an active colleague, see a preview with the count, confirm once: recorded as a
        handover."""

        def confirm(target: Colleague, count: int) -> None:
            question_text = line(
                f"{count} Leads von ", (source_name, "bold"), " → ", (target.name, "bold"), " übergeben?"
            )

            def handed(moved: int) -> None:
                toast(
                    self.leadtui_app,
                    f"{moved} Leads von ",
                    source_name,
                    " an ",
                    target.name,
                    " übergeben.",
                    title="Übergabe",
                )
                self.reload()

            def go(yes: bool | None) -> None:
                if yes:
                    self._write(lambda: self.repository.hand_over(source_id, target.id), handed)

            self.leadtui_app.push_screen(Confirm(question_text), go)

        def chosen(choice: Choice | None) -> None:
            if isinstance(choice, Colleague):
                self.database(lambda: self.repository.orphaned_count(source_id), lambda n: confirm(choice, n))

        title = line("Alle Leads von ", (source_name, "bold"), " übergeben an …")
        self._choose_colleague(title, chosen, hint="Enter: übergeben · Esc: abbrechen")

    def action_workload(self) -> None:
        """The team's workload; enter there shows a colleague's leads, h hands them over."""

        def chosen(pick: Pick | None) -> None:
            if pick is None:
                return
            if pick.hand_over:
                self._hand_over(pick.colleague.id, pick.colleague.name)
            else:
                self._filter_by(pick.colleague, ListKind.ALL)

        self.leadtui_app.push_screen(WorkloadScreen(), chosen)

    def _filter_by(self, colleague: Colleague, kind: ListKind | None = None) -> None:
        self.filter_name = colleague.display_name
        self.list_query = replace(self.list_query, kind=kind or self.list_query.kind, colleague_id=colleague.id)

    def action_filter_colleague(self) -> None:
        """Show only the leads of one colleague (an inactive one too): "Alle Leads von …"."""

        def chosen(choice: Choice | None) -> None:
            if isinstance(choice, Colleague):
                self._filter_by(choice)
            elif choice is not None:  # delete: the filter goes
                self.list_query = replace(self.list_query, colleague_id=None)

        self._choose_colleague(
            line("Leads von …"),
            chosen,
            current=self.list_query.colleague_id,
            hint="Enter: Liste auf diese Person eingrenzen · Entf: Filter aufheben · Esc: abbrechen",
            include_inactive=True,
        )

    def _choose_colleague(
        self,
        title: Text,
        then: Callable[[Choice | None], None],
        *,
        current: int | None = None,
        hint: str | None = None,
        include_inactive: bool = False,
    ) -> None:
        """Let the user pick a colleague by name (the picker reads the colleagues itself)."""
        extra = {"hint": hint} if hint else {}
        workload = self.repository.workload
        picker = PickColleague(title, lambda: workload(include_inactive), self.repository.me.id, current, **extra)
        self.leadtui_app.push_screen(picker, then)

    def action_assign(self) -> None:
        targets = self._targets()
        if not targets:
            return

        one = targets[0] if len(targets) == 1 else None
        title = (
            line(f"{len(targets)} Leads zuweisen an …")
            if one is None
            else line("„", (one.title, "bold"), "“ zuweisen an …")
        )
        self._choose_colleague(
            title,
            lambda choice: self._assign_to(targets, choice),
            current=one.assignee.id if one and one.assignee else None,
        )

    def action_assign_me(self) -> None:
        targets = self._targets()
        me = self.repository.me
        if len(targets) != 1:
            self._assign_to(targets, me)
            return
        row = targets[0]
        if row.assignee is None:
            self._assign_to(targets, me)
        elif row.assignee.id == me.id:
            toast(self.leadtui_app, "„", row.title, "“ ist Ihnen schon zugewiesen.", title="Kollege")
        else:  # a colleague has it: taking it over is a decision, not a keystroke
            question_text = line(
                "„", (row.title, "bold"), "“ hat ", (row.assignee.display_name, "bold"), ". Übernehmen?"
            )
            self.leadtui_app.push_screen(
                Confirm(question_text), lambda yes: self._assign_to(targets, me) if yes else None
            )

    def _assign_to(self, targets: list[LeadRow], choice: Choice | None) -> None:
        if choice is None or not targets:
            return
        colleague = choice if isinstance(choice, Colleague) else None
        target = colleague.id if colleague else None
        if len(targets) == 1:
            row = targets[0]
            before = row.assignee.id if row.assignee else None

            def assigned(result: Assignment) -> None:
                if result.version != row.version:
                    self.offer_undo(lambda: self.repository.undo_assignments({row.id: (result.version, before)}))
                if colleague:
                    toast(self.leadtui_app, "Zugewiesen: ", colleague.name, UNDO_HINT, title="Kollege")
                else:
                    toast(self.leadtui_app, "Zuweisung entfernt.", UNDO_HINT, title="Kollege")
                self.table.clear_marks()
                self.reload()

            self._write(lambda: self.repository.assign(row.id, target, row.version), assigned, lead=row.id)
            return
        to_whom = ("an ", colleague.name) if colleague else ("niemandem (Zuweisung entfernen)",)
        versions = {row.id: row.version for row in targets}

        def assigned_many(result: BulkResult) -> None:
            moved = result.undo_targets()  # what moved, and from whom
            if moved:
                self.offer_undo(lambda: self.repository.undo_assignments(moved))
            parts = [f"{result.assigned} Leads ", *to_whom, " zugewiesen.", UNDO_HINT if moved else ""]
            if result.conflicts:
                parts.append(f" {len(result.conflicts)} übersprungen: inzwischen von anderen geändert.")
            severity = "warning" if result.conflicts else "information"
            toast(self.leadtui_app, *parts, title="Sammelzuweisung", severity=severity)
            self.table.clear_marks()
            self.reload()

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._write(lambda: self.repository.assign_many(versions, target), assigned_many)

        self.leadtui_app.push_screen(Confirm(line(f"{len(targets)} Leads ", *to_whom, " zuweisen?")), confirmed)

    def _decide(self, accept: bool) -> None:
        rows = self._targets()
        if not rows:
            return
        verb = "angenommen" if accept else "abgelehnt"

        def decided_one(_: object) -> None:
            share_id = rows[0].share_id
            if share_id is not None:
                self.offer_undo(lambda: self.repository.reopen_offers((share_id,)))
            extra = " und Ihnen zugewiesen" if accept else ""
            toast(self.leadtui_app, f"{verb.capitalize()}{extra}: ", rows[0].title, UNDO_HINT, title="Leadangebot")
            self.table.clear_marks()
            self.reload()

        def decided(result: DecidedOffers) -> None:
            if result.shares:
                self.offer_undo(lambda: self.repository.reopen_offers(result.shares))
            skipped = f" {result.skipped} übersprungen: inzwischen entschieden." if result.skipped else ""
            hint = UNDO_HINT if result.shares else ""
            toast(self.leadtui_app, f"{len(result.shares)} Leadangebote {verb}.{skipped}{hint}", title="Leadangebote")
            self.table.clear_marks()
            self.reload()

        def go(yes: bool | None = True) -> None:
            if not yes:
                return
            share_id = rows[0].share_id
            if len(rows) > 1 or share_id is None:
                shares = tuple(row.share_id for row in rows if row.share_id is not None)
                self._write(lambda: self.repository.decide_offers(shares, accept), decided)
            elif accept:
                self._write(lambda: self.repository.accept_offer(share_id), decided_one, lead=rows[0].id)
            else:
                self._write(lambda: self.repository.decline_offer(share_id), decided_one, lead=rows[0].id)

        if accept and len(rows) == 1:
            go()
            return
        if len(rows) == 1:
            question_text = line("Leadangebot „", (rows[0].title, "bold"), "“ ablehnen?")
        else:
            question_text = line(f"{len(rows)} Leadangebote {'annehmen' if accept else 'ablehnen'}?")
        self.leadtui_app.push_screen(Confirm(question_text), go)

    def after_undo(self) -> None:
        self.reload()

    def action_accept(self) -> None:
        self._decide(True)

    def action_decline(self) -> None:
        self._decide(False)
