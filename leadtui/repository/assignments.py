"""A company's private assignment of its leads: who has a lead, its version, its history.

Every company's view of a lead is one row of `company_leads`; its colleague is that company's
assignment, visible to all its colleagues and to nobody else. A write names the version it saw;
a stale one becomes a `Conflict` naming the current assignee. Assignments never touch the shared
lead row: the other company must not even learn when we reassigned.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update
from sqlalchemy.orm import aliased

from leadtui.db import read_model
from leadtui.db.models import AssignmentHistoryModel as History
from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import CompanyLeadModel as CL
from leadtui.db.models import LeadModel as Lead
from leadtui.domain import (
    Assignee,
    Assignment,
    AssignmentReason,
    BulkResult,
    Conflict,
    NotAssignable,
    NotFound,
    NotificationKind,
)
from leadtui.repository.notifications import Delivery, cut
from leadtui.repository.session import Session

ASSIGNEE = aliased(Col, name="assignee")
NOT_OURS = "Diesen Kollegen gibt es in Ihrer Firma nicht."
LEAD_NOT_FOUND = "Lead nicht gefunden oder nicht sichtbar."


class Assignments:
    """Who of the own company has which lead; the other services take leads on through it."""

    def __init__(self, session: Session, delivery: Delivery):
        self._session = session
        self._delivery = delivery

    def assignment_in(self, conn: Connection, lead_id: int, lock: bool = False) -> Assignment | None:
        stmt = (
            select(CL.version, ASSIGNEE.id, ASSIGNEE.name, ASSIGNEE.active)
            .select_from(CL)
            .outerjoin(ASSIGNEE, and_(ASSIGNEE.id == CL.colleague_id, ASSIGNEE.company_id == CL.company_id))
            .where(CL.company_id == self._session.company_id, CL.lead_id == lead_id)
        )
        if lock:
            stmt = stmt.with_for_update(of=CL)
        row = conn.execute(stmt).first()
        if row is None:
            return None
        assignee = Assignee(row.id, row.name, row.active) if row.id is not None else None
        return Assignment(lead_id, assignee, row.version)

    def current_in(self, conn: Connection, lead_id: int, lock: bool = False) -> Assignment:
        current = self.assignment_in(conn, lead_id, lock)
        if current is None:
            raise NotFound(LEAD_NOT_FOUND)
        return current

    def assignment(self, lead_id: int) -> Assignment:
        with self._session.read() as conn:
            return self.current_in(conn, lead_id)

    def check_assignable(self, conn: Connection, colleague_id: int) -> str:
        """Refuse anyone but an active colleague of the own company; returns their name. A
        stranger and an unknown id get the same answer, so nobody can probe other companies'
        colleague ids."""
        row = conn.execute(
            select(Col.active, Col.name).where(Col.id == colleague_id, Col.company_id == self._session.company_id)
        ).first()
        if row is None:
            raise NotAssignable(NOT_OURS)
        if not row.active:
            raise NotAssignable(f"{row.name} ist inaktiv und kann nicht zugewiesen werden.")
        return str(row.name)

    def _confirm_assignable(self, conn: Connection, colleague_id: int | None) -> None:
        """After writing an assignment, check the assignee once more. Writing it took a key-share
        lock on the colleague (the foreign key), so a deactivation under way has committed by now
        and this read sees it: never an assignment made to a colleague already deactivated."""
        if colleague_id is not None:
            self.check_assignable(conn, colleague_id)

    def take_on(
        self,
        conn: Connection,
        lead: Mapping[str, Any],
        via: str,
        reason: AssignmentReason,
        now: datetime,
        assignee_id: int | None = None,
        unassigned: bool = False,
    ) -> None:
        """The lead enters the own company's lists, assigned to the acting colleague (rules 5 and
        6: who creates a lead or accepts an offer has it) - or, created for a colleague, to them
        (`assignee_id`), or to nobody (`unassigned`)."""
        if unassigned:
            colleague_id, name = None, ""
        elif assignee_id is None or assignee_id == self._session.me.id:
            colleague_id, name = self._session.me.id, self._session.me.name
        else:
            colleague_id, name = assignee_id, self.check_assignable(conn, assignee_id)
        conn.execute(
            insert(CL).values(
                company_id=self._session.company_id,
                lead_id=lead["id"],
                colleague_id=colleague_id,
                version=1,
                via=via,
                **read_model.view_sort_keys(lead, name),
            )
        )
        self._confirm_assignable(conn, colleague_id)
        self._session.changed(conn)
        read_model.change_counts(conn, self._session.company_id, {colleague_id: read_model.tally(lead["status"])})
        if colleague_id is not None:
            self._record(conn, [lead["id"]], None, colleague_id, reason, now)
            self._tell_assigned(conn, colleague_id, [lead["id"]], now)

    def _record(
        self,
        conn: Connection,
        lead_ids: list[int],
        from_id: int | None,
        to_id: int | None,
        reason: AssignmentReason,
        now: datetime,
    ) -> None:
        """Note changes in the company's private history."""
        if lead_ids:
            conn.execute(
                insert(History),
                [
                    dict(
                        company_id=self._session.company_id,
                        lead_id=lead_id,
                        from_id=from_id,
                        to_id=to_id,
                        by_id=self._session.me.id,
                        at=now,
                        reason=reason.value,
                    )
                    for lead_id in lead_ids
                ],
            )

    def _tell_assigned(self, conn: Connection, colleague_id: int | None, lead_ids: list[int], now: datetime) -> None:
        """Rule 14: the colleague leads were assigned to learns it from whoever did it - once,
        with the count, for many leads at a time; never when they did it themselves. A digest
        bears the history's moment `now`, by which it finds its leads again."""
        if colleague_id is None or colleague_id == self._session.me.id or not lead_ids:
            return
        if len(lead_ids) == 1:
            title = conn.execute(select(Lead.title).where(Lead.id == lead_ids[0])).scalar_one()
            text = f"Lead „{cut(title)}“ wurde Ihnen von {self._session.me.name} zugewiesen."
            self._delivery.deliver(conn, lead_ids[0], NotificationKind.ASSIGNED, text, recipient=colleague_id)
            return
        text = f"{len(lead_ids)} Leads wurden Ihnen von {self._session.me.name} zugewiesen."
        self._delivery.deliver(
            conn, None, NotificationKind.ASSIGNED, text, recipient=colleague_id, count=len(lead_ids), at=now
        )

    def _set_assignee(
        self, conn: Connection, lead_id: int, version: int, colleague_id: int | None, name: str
    ) -> str | None:
        """Move one view to `colleague_id` if it still has `version`; the lead's status if it did
        (what the counters move by), None if not."""
        return conn.execute(
            update(CL)
            .where(CL.company_id == self._session.company_id, CL.lead_id == lead_id, CL.version == version)
            .values(colleague_id=colleague_id, version=CL.version + 1, sort_assignee=read_model.assignee_key(name))
            .returning(CL.sort_status)
        ).scalar()

    def assign(
        self,
        lead_id: int,
        colleague_id: int | None,
        expected_version: int,
        reason: AssignmentReason = AssignmentReason.MANUAL,
    ) -> Assignment:
        """Assign (or with None unassign) a lead for the own company, if nobody changed it since
        `expected_version`; otherwise raise Conflict naming the current assignee."""
        now = self._session.clock()
        with self._session.write() as conn:
            current = self.current_in(conn, lead_id, lock=True)
            name = self.check_assignable(conn, colleague_id) if colleague_id is not None else ""
            if current.version != expected_version:
                raise Conflict(current)
            from_id = current.assignee.id if current.assignee else None
            if from_id == colleague_id:
                return current
            status = self._set_assignee(conn, lead_id, expected_version, colleague_id, name)
            if status is None:
                raise Conflict(self.current_in(conn, lead_id))
            self._confirm_assignable(conn, colleague_id)
            self._session.changed(conn)
            one = read_model.tally(status)
            read_model.change_counts(conn, self._session.company_id, {from_id: -one, colleague_id: one})
            self._record(conn, [lead_id], from_id, colleague_id, reason, now)
            if reason is not AssignmentReason.UNDO:
                self._tell_assigned(conn, colleague_id, [lead_id], now)
        # As written (no read back across the network): the assignee was just confirmed active.
        assignee = Assignee(colleague_id, name, True) if colleague_id is not None else None
        return Assignment(lead_id, assignee, expected_version + 1)

    def assign_many(self, versions: Mapping[int, int], colleague_id: int | None) -> BulkResult:
        """Assign several leads in one transaction; leads changed meanwhile are skipped and
        reported as conflicts, never overwritten."""
        targets = {lead_id: (version, colleague_id) for lead_id, version in versions.items()}
        return self._assign_each(targets, AssignmentReason.BULK)

    def undo_assignments(self, previous: Mapping[int, tuple[int, int | None]]) -> BulkResult:
        """Take assignments back: each lead (id -> (the version the change left, the assignee
        before it)) returns to its earlier assignee, as a new change in the history. A lead
        changed since is left alone and reported as a conflict."""
        return self._assign_each(previous, AssignmentReason.UNDO)

    def _assign_each(self, targets: Mapping[int, tuple[int, int | None]], reason: AssignmentReason) -> BulkResult:
        """Move each lead (id -> (expected version, colleague or None)) in one transaction."""
        now = self._session.clock()
        conflicts: list[int] = []
        kept: list[int] = []
        moved: list[tuple[int, int, int | None]] = []
        changed: dict[tuple[int | None, int | None], list[int]] = {}
        deltas: dict[int | None, read_model.Tally] = {}
        with self._session.write() as conn:
            wanted = sorted({c for _, c in targets.values() if c is not None})
            names, inactive = self._assignable_names(conn, wanted, undo=reason is AssignmentReason.UNDO)
            for lead_id, (version, colleague_id) in targets.items():
                if colleague_id in inactive:
                    kept.append(lead_id)
                    continue
                current = self.assignment_in(conn, lead_id, lock=True)
                if current is None or current.version != version:
                    conflicts.append(lead_id)
                    continue
                from_id = current.assignee.id if current.assignee else None
                if from_id == colleague_id:
                    continue
                name = names[colleague_id] if colleague_id is not None else ""
                status = self._set_assignee(conn, lead_id, version, colleague_id, name)
                if status is not None:
                    changed.setdefault((from_id, colleague_id), []).append(lead_id)
                    moved.append((lead_id, version + 1, from_id))
                    one = read_model.tally(status)
                    deltas[from_id] = deltas.get(from_id, read_model.Tally()) - one
                    deltas[colleague_id] = deltas.get(colleague_id, read_model.Tally()) + one
            if changed:
                for colleague_id in {to for _, to in changed}:
                    self._confirm_assignable(conn, colleague_id)
                self._session.changed(conn)
            read_model.change_counts(conn, self._session.company_id, deltas)
            for (from_id, to_id), lead_ids in changed.items():
                self._record(conn, lead_ids, from_id, to_id, reason, now)
            if reason is not AssignmentReason.UNDO:
                for to_id in {to for _, to in changed}:
                    told = [i for (_, t), ids in changed.items() if t == to_id for i in ids]
                    self._tell_assigned(conn, to_id, told, now)
        return BulkResult(
            sum(len(ids) for ids in changed.values()),
            tuple(conflicts),
            tuple(kept),
            tuple(inactive.values()),
            tuple(moved),
        )

    def _assignable_names(
        self, conn: Connection, colleague_ids: list[int], undo: bool
    ) -> tuple[dict[int, str], dict[int, str]]:
        """The names of the colleagues leads go to. A bulk assignment to anyone who may not have
        them is refused as a whole; an undo leaves the leads of a colleague deactivated since
        where they are (returned apart: id -> name) and takes the others back."""
        names: dict[int, str] = {}
        inactive: dict[int, str] = {}
        for colleague_id in colleague_ids:
            try:
                names[colleague_id] = self.check_assignable(conn, colleague_id)
            except NotAssignable:
                if not undo:
                    raise
                row = conn.execute(
                    select(Col.name).where(Col.id == colleague_id, Col.company_id == self._session.company_id)
                ).first()
                inactive[colleague_id] = row.name if row else NOT_OURS
        return names, inactive

    def orphaned_count(self, colleague_id: int) -> int:
        with self._session.read() as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(CL)
                    .where(CL.company_id == self._session.company_id, CL.colleague_id == colleague_id)
                ).scalar_one()
            )

    def hand_over(self, from_colleague_id: int, to_colleague_id: int) -> int:
        """Reassign every lead of an inactive colleague to an active one, in one step."""
        now = self._session.clock()
        with self._session.write() as conn:
            source = conn.execute(
                select(Col.active).where(Col.id == from_colleague_id, Col.company_id == self._session.company_id)
            ).first()
            if source is None:
                raise NotFound(NOT_OURS)
            if source.active:
                raise NotAssignable("Übergabe gibt es nur für deaktivierte Kollegen.")
            name = self.check_assignable(conn, to_colleague_id)
            taken = conn.execute(
                select(CL.lead_id, CL.sort_status)
                .where(CL.company_id == self._session.company_id, CL.colleague_id == from_colleague_id)
                .with_for_update()
            ).all()
            lead_ids = [row.lead_id for row in taken]
            if not lead_ids:
                return 0
            conn.execute(
                update(CL)
                .where(CL.company_id == self._session.company_id, CL.colleague_id == from_colleague_id)
                .values(
                    colleague_id=to_colleague_id,
                    version=CL.version + 1,
                    sort_assignee=read_model.assignee_key(name),
                )
            )
            self._confirm_assignable(conn, to_colleague_id)
            self._session.changed(conn)
            moved = read_model.tallies(row.sort_status for row in taken)
            read_model.change_counts(
                conn, self._session.company_id, {from_colleague_id: -moved, to_colleague_id: moved}
            )
            self._record(conn, lead_ids, from_colleague_id, to_colleague_id, AssignmentReason.HANDOVER, now)
            self._tell_assigned(conn, to_colleague_id, lead_ids, now)
            return len(lead_ids)
