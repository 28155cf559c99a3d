"""Triage from the lead list: assigning (one, marked, to me), accepting and declining offers,
and what is done per colleague - filtering by one, the team workload, handing a deactivated
colleague's leads over. A mixin of LeadsScreen, which owns the list these act on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text

from leadtui.domain import (
    Assignee,
    BulkResult,
    Colleague,
    DecidedOffers,
    Decline,
    LeadRow,
    ListKind,
    ListQuery,
    Partner,
    ShareStatus,
)
from leadtui.ui import offering
from leadtui.ui.safe import line, toast
from leadtui.ui.screens.dialogs import Choice, Confirm, DeclineDialog, PassOn, PickColleague
from leadtui.ui.screens.partner_numbers import PartnerNumbersScreen
from leadtui.ui.screens.workload import Pick, WorkloadScreen
from leadtui.ui.undo import UNDO_HINT
from leadtui.ui.work import answered, flow, opened

if TYPE_CHECKING:
    from leadtui.domain.interface import LeadRepository
    from leadtui.ui.app import LeadtuiApp
    from leadtui.ui.widgets.lead_table import LeadTable

T = TypeVar("T")


def _assignee(colleague: Colleague | None) -> Assignee | None:
    """The assignee a row will show once an assignment to `colleague` is saved."""
    return Assignee(colleague.id, colleague.name, colleague.active) if colleague else None


class Triage:
    if TYPE_CHECKING:  # what LeadsScreen provides to these actions (for the type checker only)

        @property
        def leadtui_app(self) -> LeadtuiApp: ...
        @property
        def repository(self) -> LeadRepository: ...

        table: LeadTable
        list_query: ListQuery
        filter_name: str

        def reload(self, keep_marks: bool = False, follow: bool = False) -> None: ...
        def offer_undo(self, call: Callable[[], BulkResult], what: str) -> None: ...
        def _targets(self) -> list[LeadRow]: ...
        async def awaited(self, call: Callable[[], T], *, write: bool = False, lead: int | None = None) -> T: ...
        async def _written(
            self, call: Callable[[], T], lead: int | None = None, expected: Iterable[LeadRow] = ()
        ) -> T: ...

    def action_hand_over(self) -> None:
        """Verwaist: hand all leads of the highlighted lead's deactivated colleague to one active
        colleague."""
        row = self.table.current
        if row is not None and row.assignee is not None and not row.assignee.active:
            self._hand_over(row.assignee.id, row.assignee.name)

    def _hand_over(self, source_id: int, source_name: str) -> None:
        self._handing_over(source_id, source_name, self._hand_over_picker(source_name))

    def _hand_over_picker(self, source_name: str) -> Awaitable[Choice | None]:
        title = line("Alle Leads von ", (source_name, "bold"), " übergeben an …")
        return self._picker(title, hint="Enter: übergeben · Esc: abbrechen")

    @flow
    async def _handing_over(self, source_id: int, source_name: str, picked: Awaitable[Choice | None]) -> None:
        await self._hand_over_steps(source_id, source_name, picked)

    async def _hand_over_steps(self, source_id: int, source_name: str, picked: Awaitable[Choice | None]) -> None:
        """Choose an active colleague, see a preview with the count, confirm once: recorded as a
        handover."""
        target = await picked
        if not isinstance(target, Colleague):
            return
        count = await self.awaited(lambda: self.repository.orphaned_count(source_id))
        question_text = line(f"{count} Leads von ", (source_name, "bold"), " → ", (target.name, "bold"), " übergeben?")
        if not await self.leadtui_app.push_screen_wait(Confirm(question_text)):
            return
        moved = await self._written(lambda: self.repository.hand_over(source_id, target.id))
        toast(
            self.leadtui_app, f"{moved} Leads von ", source_name, " an ", target.name, " übergeben.", title="Übergabe"
        )
        self.reload()

    def action_workload(self) -> None:
        workload = WorkloadScreen()
        self._working_the_team(workload, opened(self.leadtui_app, workload))

    @flow
    async def _working_the_team(self, workload: WorkloadScreen, picked: Awaitable[Pick | None]) -> None:
        """The team's workload: enter there shows a colleague's leads; h hands a deactivated
        colleague's leads over and comes back to the workload (in its order), where the next
        one may wait."""
        pick = await picked
        while pick is not None and pick.hand_over:
            name = pick.colleague.name
            await self._hand_over_steps(pick.colleague.id, name, self._hand_over_picker(name))
            workload = WorkloadScreen(by_open=workload.by_open)
            pick = await opened(self.leadtui_app, workload)
        if pick is not None:
            self._filter_by(pick.colleague, ListKind.ALL)

    def _filter_by(self, colleague: Colleague, kind: ListKind | None = None) -> None:
        self.filter_name = colleague.display_name
        self.list_query = replace(self.list_query, kind=kind or self.list_query.kind, colleague_id=colleague.id)

    def action_filter_colleague(self) -> None:
        """Show only the leads of one colleague (an inactive one too): "Alle Leads von …"."""
        picked = self._picker(
            line("Leads von …"),
            current=self.list_query.colleague_id,
            hint="Enter: Liste auf diese Person eingrenzen · Entf: Filter aufheben · Esc: abbrechen",
            include_inactive=True,
        )
        self._filtering(picked)

    @flow
    async def _filtering(self, picked: Awaitable[Choice | None]) -> None:
        choice = await picked
        if isinstance(choice, Colleague):
            self._filter_by(choice)
        elif choice is not None:  # delete: the filter goes
            self.list_query = replace(self.list_query, colleague_id=None)

    def _picker(
        self,
        title: Text,
        *,
        current: int | None = None,
        hint: str | None = None,
        include_inactive: bool = False,
    ) -> Awaitable[Choice | None]:
        """The colleague picker, opened now (it reads the colleagues itself); the colleague the
        user picks by name, to await in a flow."""
        extra = {"hint": hint} if hint else {}
        workload = self.repository.workload
        picker = PickColleague(title, lambda: workload(include_inactive), self.repository.me.id, current, **extra)
        return opened(self.leadtui_app, picker)

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
        self._assigning(targets, self._picker(title, current=one.assignee.id if one and one.assignee else None))

    def action_assign_me(self) -> None:
        targets = self._targets()
        me = self.repository.me
        holder = targets[0].assignee if len(targets) == 1 else None
        if len(targets) > 1:
            self._assigning_me(targets, opened(self.leadtui_app, self._assign_many_confirm(targets, me)))
        elif holder is None:
            self._assigning(targets, answered(me))
        elif holder.id == me.id:
            toast(self.leadtui_app, "„", targets[0].title, "“ ist Ihnen schon zugewiesen.", title="Kollege")
        else:  # a colleague has it: taking it over is a decision, not a keystroke
            title = targets[0].title
            question_text = line("„", (title, "bold"), "“ hat ", (holder.display_name, "bold"), ". Übernehmen?")
            self._assigning_me(targets, opened(self.leadtui_app, Confirm(question_text)))

    @flow
    async def _assigning_me(self, targets: list[LeadRow], asked: Awaitable[bool | None]) -> None:
        if await asked:
            await self._assign_to(targets, self.repository.me, confirmed=True)

    @flow
    async def _assigning(self, targets: list[LeadRow], picked: Awaitable[Choice | None]) -> None:
        await self._assign_to(targets, await picked)

    @staticmethod
    def _assign_many_confirm(targets: list[LeadRow], colleague: Colleague | None) -> Confirm:
        to_whom = ("an ", colleague.name) if colleague else ("niemandem (Zuweisung entfernen)",)
        return Confirm(line(f"{len(targets)} Leads ", *to_whom, " zuweisen?"))

    async def _assign_to(self, targets: list[LeadRow], choice: Choice | None, confirmed: bool = False) -> None:
        """In a flow: assign one lead, or the marked ones (asked once, unless `confirmed`
        already), and offer undo."""
        if choice is None or not targets:
            return
        colleague = choice if isinstance(choice, Colleague) else None
        target = colleague.id if colleague else None
        if len(targets) == 1:
            row = targets[0]
            before = row.assignee.id if row.assignee else None
            result = await self._written(
                lambda: self.repository.assign(row.id, target, row.version),
                lead=row.id,
                expected=[replace(row, assignee=_assignee(colleague))],
            )
            if result.version != row.version:
                self.offer_undo(
                    lambda: self.repository.undo_assignments({row.id: (result.version, before)}),
                    f"Zuweisung von „{row.title}“",
                )
            if colleague:
                toast(self.leadtui_app, "Zugewiesen: ", colleague.name, UNDO_HINT, title="Kollege")
            else:
                toast(self.leadtui_app, "Zuweisung entfernt.", UNDO_HINT, title="Kollege")
        else:
            to_whom = ("an ", colleague.name) if colleague else ("niemandem (Zuweisung entfernen)",)
            if not confirmed and not await self.leadtui_app.push_screen_wait(
                self._assign_many_confirm(targets, colleague)
            ):
                return
            versions = {row.id: row.version for row in targets}
            expected = [replace(row, assignee=_assignee(colleague)) for row in targets]
            many = await self._written(lambda: self.repository.assign_many(versions, target), expected=expected)
            moved = many.undo_targets()  # what moved, and from whom
            if moved:
                self.offer_undo(
                    lambda: self.repository.undo_assignments(moved), f"Sammelzuweisung von {len(moved)} Leads"
                )
            parts = [f"{many.assigned} Leads ", *to_whom, " zugewiesen.", UNDO_HINT if moved else ""]
            if many.conflicts:
                parts.append(f" {len(many.conflicts)} übersprungen: inzwischen von anderen geändert.")
            severity = "warning" if many.conflicts else "information"
            toast(self.leadtui_app, *parts, title="Sammelzuweisung", severity=severity)
        self.table.clear_marks()
        self.reload()

    def _decide(self, accept: bool) -> None:
        """Accept or decline the highlighted or marked offers (declining, and several at once,
        asked first), and offer undo."""
        rows = self._targets()
        if not rows:
            return
        if accept:
            question = None if len(rows) == 1 else Confirm(line(f"{len(rows)} Leadangebote annehmen?"))
            self._deciding(rows, answered(True) if question is None else opened(self.leadtui_app, question))
            return
        question_text = (
            line("Leadangebot „", (rows[0].title, "bold"), "“ ablehnen – warum?")
            if len(rows) == 1
            else line(f"{len(rows)} Leadangebote ablehnen – warum? (ein Grund für alle)")
        )
        self._deciding(rows, opened(self.leadtui_app, DeclineDialog(question_text)))

    @flow
    async def _deciding(self, rows: list[LeadRow], asked: Awaitable[bool | Decline | None]) -> None:
        """Accept (the answer True) or decline with the reason chosen (rule 23)."""
        answer = await asked
        if not answer:
            return
        accept = answer is True
        decline = answer if isinstance(answer, Decline) else None
        verb = "angenommen" if accept else "abgelehnt"
        share_id = rows[0].share_id
        me = self.repository.me
        status = ShareStatus.ACCEPTED if accept else ShareStatus.DECLINED
        expected = [replace(row, share_status=status, assignee=_assignee(me) if accept else None) for row in rows]
        if len(rows) > 1 or share_id is None:
            shares = tuple(row.share_id for row in rows if row.share_id is not None)
            result = await self._written(
                lambda: self.repository.decide_offers(shares, accept, decline), expected=expected
            )
        else:
            if decline is None:
                await self._written(lambda: self.repository.accept_offer(share_id), lead=rows[0].id, expected=expected)
            else:
                await self._written(
                    lambda: self.repository.decline_offer(share_id, decline), lead=rows[0].id, expected=expected
                )
            result = DecidedOffers((share_id,), 0)
        if result.shares:
            what = f"„{rows[0].title}“" if len(result.shares) == 1 else f"{len(result.shares)} Leadangeboten"
            self.offer_undo(
                lambda: self.repository.reopen_offers(result.shares),
                f"{'Annahme' if accept else 'Ablehnung'} von {what}",
            )
        if len(rows) == 1 and share_id is not None:
            extra = " und Ihnen zugewiesen" if accept else f" ({decline.label})" if decline else ""
            toast(self.leadtui_app, f"{verb.capitalize()}{extra}: ", rows[0].title, UNDO_HINT, title="Leadangebot")
        else:
            skipped = f" {result.skipped} übersprungen: inzwischen entschieden." if result.skipped else ""
            hint = UNDO_HINT if result.shares else ""
            toast(self.leadtui_app, f"{len(result.shares)} Leadangebote {verb}.{skipped}{hint}", title="Leadangebote")
        self.table.clear_marks()
        self.reload()

    def after_undo(self) -> None:
        self.reload()

    def action_pass_on(self) -> None:
        """Pass the marked leads (or the highlighted one) on to a partner as lead offers, in one
        step after a yes: the partner's offer receivers are told once (rule 21), u withdraws them."""
        rows = self._targets()
        partners = self.leadtui_app.partners
        if rows and partners:
            self._passing_on(rows, opened(self.leadtui_app, PassOn(partners)))

    @flow
    async def _passing_on(self, rows: list[LeadRow], chosen: Awaitable[tuple[Partner, ...] | None]) -> None:
        if await offering.pass_on(self, [(row.id, row.title) for row in rows], chosen):
            self.table.clear_marks()
        self.reload(keep_marks=True)

    def action_withdraw(self) -> None:
        """Weitergegeben: withdraw the highlighted lead's offers its partners have not decided."""
        row = self.table.current
        if row is not None:
            self._withdrawing(row)

    @flow
    async def action_partner_numbers(self) -> None:
        """Weitergegeben: how each partner answers the company's offers."""
        numbers = await self.awaited(self.repository.partner_numbers)
        await opened(self.leadtui_app, PartnerNumbersScreen(numbers))

    @flow
    async def _withdrawing(self, row: LeadRow) -> None:
        repository = self.repository
        lead = await self.awaited(lambda: repository.lead(row.id))
        await offering.withdraw(self, lead.title, offering.pending(lead.shares))
        self.reload(keep_marks=True)

    def action_accept(self) -> None:
        self._decide(True)

    def action_decline(self) -> None:
        self._decide(False)
