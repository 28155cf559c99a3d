"""Lead offers between a principal and its sales partners.

An offer is a relation of one principal and one partner and nobody else: a principal sees only
its own offers, a partner sees who offered it a lead, and nobody learns of offers they are not
party to - not even that a partner passed a lead on again (a forwarding chain).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, exists, select, update
from sqlalchemy.sql import ColumnElement

from leadtui.db import read_model
from leadtui.db.backends import Backend
from leadtui.db.models import OFFERED_LEADS as OFFERED
from leadtui.db.models import AssignmentHistoryModel as History
from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import CompanyLeadModel as CL
from leadtui.db.models import CompanyModel as Co
from leadtui.db.models import LeadModel as Lead
from leadtui.db.models import LeadShareModel as Share
from leadtui.db.models import PartnershipModel as Partnership
from leadtui.domain import (
    AccessDenied,
    AlreadyDecided,
    Assignment,
    AssignmentReason,
    BulkResult,
    DecidedOffers,
    Decline,
    DeclineReason,
    InvalidInput,
    NotFound,
    NotificationKind,
    NotUndoable,
    PassedOn,
    ShareInfo,
    ShareStatus,
)
from leadtui.domain.fields import DECLINE_TEXT
from leadtui.domain.windows import Window, check_hours, deadline_label, remind_at
from leadtui.repository.assignments import Assignments
from leadtui.repository.notifications import Delivery, cut
from leadtui.repository.session import Session
from leadtui.repository.sharing import is_open, shown_status

WITHDRAWN = "Der Auftraggeber hat dieses Leadangebot zurückgezogen."
EXPIRED = "Die Frist dieses Leadangebots ist abgelaufen"


def checked_decline(decline: Decline | None) -> Decline:
    """A reason to decline as the database may keep it: "Sonstiges" needs a short text (rule 11
    applies to it), the other four take none."""
    if decline is None:
        raise InvalidInput({"reason": "Bitte einen Grund für die Ablehnung wählen (1–5)."})
    text, error = DECLINE_TEXT.check(decline.text)
    if error:
        raise InvalidInput({"reason": error})
    if decline.reason is DeclineReason.OTHER and not text:
        raise InvalidInput({"reason": "Bei „Sonstiges“ bitte kurz begründen."})
    if decline.reason is not DeclineReason.OTHER and text:
        raise InvalidInput({"reason": "Eine Begründung gibt es nur zu „Sonstiges“."})
    return Decline(decline.reason, text)


AGAIN = tuple(status.value for status in ShareStatus if status.open_again)
MAX_LADDER = 10  # partners after the first; a longer ladder is a typo


def offer_values(
    offered_by: int, now: datetime, deadline: datetime | None, ladder: tuple[int, ...] = (), escalated: bool = False
) -> dict[str, object]:
    """An offer's columns as it is made (or made again): pending, by whom, when, its window and
    the ladder after it (rule 25)."""
    return dict(
        status=ShareStatus.OFFERED.value,
        offered_by_id=offered_by,
        offered_at=now,
        decided_by_id=None,
        decided_at=None,
        decline_reason=None,
        decline_text=None,
        deadline=deadline,
        remind_at=remind_at(now, deadline),
        ladder=",".join(str(partner) for partner in ladder) or None,
        escalated=escalated,
    )


def place_offer(
    conn: Connection,
    backend: Backend,
    now_sql: ColumnElement[Any],
    lead_id: int,
    principal_id: int,
    partner_id: int,
    values: dict[str, object],
) -> int | None:
    """Offer the lead from the principal to the partner: anew, or again where its earlier offer
    was declined, withdrawn or expired. None where an offer to that partner stands (pending or
    accepted), or a colleague made one the same moment (the unique key)."""
    own = (Share.lead_id == lead_id, Share.principal_company_id == principal_id, Share.partner_company_id == partner_id)
    shown = shown_status(now_sql)
    previous = conn.execute(select(Share.id, shown.label("status")).where(*own)).first()
    if previous is not None:
        if previous.status not in AGAIN:
            return None
        renewed = conn.execute(update(Share).where(*own, shown.in_(AGAIN)).values(**values))
        return int(previous.id) if renewed.rowcount == 1 else None
    stmt = (
        backend.insert(Share)
        .values(lead_id=lead_id, principal_company_id=principal_id, partner_company_id=partner_id, **values)
        .on_conflict_do_nothing(index_elements=[Share.lead_id, Share.principal_company_id, Share.partner_company_id])
        .returning(Share.id)
    )
    found = conn.execute(stmt).scalar()
    return None if found is None else int(found)


def ladder_of(stored: str | None) -> tuple[int, ...]:
    """A stored ladder's partner ids; one we cannot read is no ladder (never a broken step)."""
    try:
        return tuple(int(part) for part in (stored or "").split(",") if part)
    except ValueError:
        return ()


class Offers:
    """Passing leads on to partners, and deciding the offers the own company got."""

    def __init__(self, session: Session, assignments: Assignments, delivery: Delivery):
        self._session = session
        self._assignments = assignments
        self._delivery = delivery

    def offer(
        self, lead_id: int, partner_company_id: int, window: Window | None = None, then: tuple[int, ...] = ()
    ) -> ShareInfo:
        """Pass a lead we see on to one of our partner companies as a lead offer, open for
        `window` (None: the partnership's default, rule 24), and if it is declined or expires
        to the partners `then`, one after the other (rule 25); the partner's offer receivers
        are told (rule 21)."""
        with self._session.write() as conn:
            self._assignments.current_in(conn, lead_id, lock=True)  # a lead we do not see: NotFound first
            partner, deadline = self._partner(conn, partner_company_id, window)
            ladder = self._ladder(conn, partner_company_id, then)
            share_id, title = self._offer_in(conn, lead_id, partner_company_id, partner, deadline, ladder)
            self._tell_partner(conn, partner_company_id, [(lead_id, title)])
        return ShareInfo(
            share_id, self._session.company.name, partner, ShareStatus.OFFERED, True, partner_company_id, None, deadline
        )

    def offer_many(
        self,
        lead_ids: tuple[int, ...],
        partner_company_id: int,
        window: Window | None = None,
        then: tuple[int, ...] = (),
    ) -> PassedOn:
        """Pass several leads on to one partner in one transaction, with one response window
        (None: the partnership's default); the partner's offer receivers are told once, with
        the count (rule 21). A lead offered to that partner already, or one we do not see, is
        skipped and named."""
        passed: list[tuple[int, str]] = []
        shares: list[int] = []
        skipped: list[int] = []
        with self._session.write() as conn:
            partner, deadline = self._partner(conn, partner_company_id, window)
            ladder = self._ladder(conn, partner_company_id, then)
            for lead_id in dict.fromkeys(lead_ids):
                try:
                    with conn.begin_nested():
                        self._assignments.current_in(conn, lead_id, lock=True)
                        share_id, title = self._offer_in(conn, lead_id, partner_company_id, partner, deadline, ladder)
                except (AlreadyDecided, NotFound):
                    skipped.append(lead_id)
                    continue
                passed.append((lead_id, title))
                shares.append(share_id)
            self._tell_partner(conn, partner_company_id, passed)
        return PassedOn(partner, tuple(lead for lead, _ in passed), tuple(skipped), tuple(shares), deadline)

    def withdraw_offers(self, share_ids: tuple[int, ...]) -> BulkResult:
        """Withdraw offers the own company made that are still pending (rule 22), in one
        transaction: the partner no longer sees them, and the lead may be offered to it again.
        An offer the partner decided meanwhile stays decided and is reported as a conflict
        (accepting and withdrawing at once: exactly one of them happens). An offer that is not
        ours is NotFound, as one that does not exist."""
        c = self._session.company_id
        wanted = tuple(dict.fromkeys(share_ids))
        with self._session.write() as conn:
            ours = conn.execute(
                select(Share.id, Share.partner_company_id).where(Share.id.in_(wanted), Share.principal_company_id == c)
            ).all()
            if len(ours) != len(wanted):
                raise NotFound("Leadangebot nicht gefunden.")
            withdrawn = set(
                conn.execute(
                    update(Share)
                    .where(Share.id.in_(wanted), Share.principal_company_id == c, is_open(self._session.now_sql))
                    .values(
                        status=ShareStatus.WITHDRAWN.value,
                        decided_by_id=None,
                        decided_at=self._session.clock(),
                        ladder=None,  # withdrawn means: to nobody else either
                    )
                    .returning(Share.id)
                ).scalars()
            )
            partners = {row.partner_company_id for row in ours if row.id in withdrawn}
            if partners:
                self._session.changed(conn, *partners)  # their open apps drop the offers
        return BulkResult(len(withdrawn), tuple(share for share in wanted if share not in withdrawn))

    def _partner(self, conn: Connection, partner_company_id: int, window: Window | None) -> tuple[str, datetime | None]:
        """The name of one of the own company's partners (AccessDenied for any other company),
        and the deadline of an offer made to it now with `window` (None: the partnership's)."""
        partner = conn.execute(
            select(Co.name, Partnership.window_hours)
            .join(Partnership, Partnership.partner_id == Co.id)
            .where(Partnership.principal_id == self._session.company_id, Co.id == partner_company_id)
        ).first()
        if partner is None:
            raise AccessDenied("Das ist keine Partnerfirma Ihrer Firma.")
        chosen = window if window is not None else Window(hours=partner.window_hours)  # no hours: no deadline
        return str(partner.name), chosen.deadline(self._session.clock())

    def _ladder(self, conn: Connection, first: int, then: tuple[int, ...]) -> tuple[int, ...]:
        """The partners after the first, checked: each one of ours, none twice (rule 25)."""
        if not then:
            return ()
        if len(then) > MAX_LADDER:
            raise InvalidInput({"ladder": f"Eine Eskalation nennt höchstens {MAX_LADDER} weitere Vertriebspartner."})
        if len(set(then) | {first}) != len(then) + 1:
            raise InvalidInput({"ladder": "Die Eskalation nennt einen Vertriebspartner zweimal."})
        ours = set(
            conn.execute(
                select(Partnership.partner_id).where(
                    Partnership.principal_id == self._session.company_id, Partnership.partner_id.in_(then)
                )
            ).scalars()
        )
        if ours != set(then):
            raise InvalidInput({"ladder": "Die Eskalation nennt eine Firma, die nicht Ihr Vertriebspartner ist."})
        return then

    def set_partner_window(self, partner_company_id: int, hours: int | None) -> None:
        """(Admins) the response window the own company's offers to a partner get by default
        (rule 24; None: no deadline). Offers made before keep theirs."""
        if not self._session.me.is_admin:
            raise AccessDenied("Die Standardfrist eines Vertriebspartners legen Administratoren fest.")
        if hours is not None:
            check_hours(hours)
        with self._session.write() as conn:
            changed = conn.execute(
                update(Partnership)
                .where(
                    Partnership.principal_id == self._session.company_id,
                    Partnership.partner_id == partner_company_id,
                )
                .values(window_hours=hours)
            ).rowcount
            if changed != 1:
                raise AccessDenied("Das ist keine Partnerfirma Ihrer Firma.")
            self._session.changed(conn)

    def _offer_in(
        self,
        conn: Connection,
        lead_id: int,
        partner_company_id: int,
        partner: str,
        deadline: datetime | None,
        ladder: tuple[int, ...] = (),
    ) -> tuple[int, str]:
        """One lead offered to the partner, in the writer's transaction: (the offer, its title).
        The caller has locked the own company's view of it (one offer of a lead at a time)."""
        c = self._session.company_id
        self._session.changed(conn, partner_company_id)
        passed_before = conn.execute(
            select(exists().where(Share.lead_id == lead_id, Share.principal_company_id == c))
        ).scalar()
        values = offer_values(self._session.me.id, self._session.clock(), deadline, ladder)
        session = self._session
        share_id = place_offer(conn, session.backend, session.now_sql, lead_id, c, partner_company_id, values)
        if share_id is None:
            raise AlreadyDecided(f"Der Lead ist bereits an {partner} weitergegeben.")
        if not passed_before:
            read_model.change_counts(conn, c, {read_model.PASSED_ON_SLOT: read_model.Tally(n=1)})
        title = conn.execute(select(Lead.title).where(Lead.id == lead_id)).scalar_one()
        return share_id, str(title)

    def _tell_partner(self, conn: Connection, partner_company_id: int, offered: list[tuple[int, str]]) -> None:
        """One notification to the partner's offer receivers: the lead, or the count of them."""
        if not offered:
            return
        principal = self._session.company.name
        if len(offered) == 1:
            lead_id, title = offered[0]
            text = f"Neues Leadangebot von {principal}: {cut(title)}"
            self._delivery.tell_offer_receivers(conn, partner_company_id, lead_id, text, 1)
        else:
            text = f"{len(offered)} neue Leadangebote von {principal}"
            self._delivery.tell_offer_receivers(conn, partner_company_id, None, text, len(offered))

    def _pending(self, conn: Connection, share_id: int) -> Row[int, int, int, str] | None:
        """An open offer made to the own company: its lead, title, principal and who offered it."""
        return conn.execute(
            select(Share.lead_id, Share.principal_company_id, Share.offered_by_id, OFFERED.c.title)
            .join(OFFERED, OFFERED.c.id == Share.lead_id)
            .where(
                Share.id == share_id,
                Share.partner_company_id == self._session.company_id,
                is_open(self._session.now_sql),
            )
        ).first()

    def accept_offer(self, share_id: int) -> Assignment:
        """Accept a lead offer for the own company; the lead is assigned to the acting colleague
        in the same transaction (rule 6). Of two colleagues accepting at once, one wins; the
        other gets AlreadyDecided. A lead the company works already keeps its assignment."""
        now = self._session.clock()
        with self._session.write() as conn:
            self._decide(conn, share_id, ShareStatus.ACCEPTED, now)
            lead = (
                conn.execute(
                    select(Lead)
                    .join(Share, Share.lead_id == Lead.id)
                    .where(Share.id == share_id, Share.partner_company_id == self._session.company_id)
                )
                .one()
                ._asdict()
            )
            existing = self._assignments.assignment_in(conn, lead["id"], lock=True)
            if existing is not None:
                return existing
            self._assignments.take_on(conn, lead, "accepted", AssignmentReason.OFFER_ACCEPTED, now)
            return self._assignments.current_in(conn, lead["id"])

    def decline_offer(self, share_id: int, decline: Decline) -> None:
        """Decline an offer made to the own company, with a reason (rule 23): it is kept on the
        offer for the principal, and the colleague who passed the lead on is told it - by our
        company's name, never by the name of the colleague who declined."""
        reason = checked_decline(decline)
        with self._session.write() as conn:
            offer = self._pending(conn, share_id)  # read first: a declined offer's lead is no longer ours
            self._decide(conn, share_id, ShareStatus.DECLINED, self._session.clock(), reason)
            if offer is not None:
                text = f"{self._session.company.name} lehnt Ihr Leadangebot ab ({reason.label}): {cut(offer.title)}"
                self._delivery.tell_colleague_of(
                    conn,
                    offer.principal_company_id,
                    offer.offered_by_id,
                    offer.lead_id,
                    NotificationKind.DECLINED,
                    text,
                )

    def decide_offers(self, share_ids: tuple[int, ...], accept: bool, decline: Decline | None = None) -> DecidedOffers:
        """Accept (assigned to the acting colleague) or decline several offers - with one reason
        for all - each in its own transaction; one a colleague settled meanwhile is skipped and
        counted."""
        if not accept:
            decline = checked_decline(decline)
        done: list[int] = []
        skipped = 0
        for share_id in share_ids:
            try:
                if accept:
                    self.accept_offer(share_id)
                else:
                    assert decline is not None  # checked above
                    self.decline_offer(share_id, decline)
                done.append(share_id)
            except AlreadyDecided:
                skipped += 1
        return DecidedOffers(tuple(done), skipped)

    def reopen_offer(self, share_id: int) -> None:
        """Undo one's own acceptance or decline: the offer is open again. An acceptance that
        brought the lead into the own lists takes it out again - only while nobody changed its
        assignment since (its view is still at version 1), else NotUndoable."""
        c = self._session.company_id
        with self._session.write() as conn:
            share = conn.execute(
                select(
                    Share.lead_id,
                    Share.status,
                    Share.principal_company_id,
                    Share.decided_by_id,
                    Col.name,
                    and_(Share.deadline.is_not(None), Share.deadline <= self._session.now_sql).label("over"),
                )
                .outerjoin(Col, and_(Col.id == Share.decided_by_id, Col.company_id == c))
                .where(Share.id == share_id, Share.partner_company_id == c)
                .with_for_update(of=Share)
            ).first()
            if share is None:
                raise NotFound("Leadangebot nicht gefunden.")
            if share.status == ShareStatus.OFFERED.value:
                raise NotUndoable("Nicht mehr rückgängig zu machen: das Leadangebot ist wieder offen.")
            if share.status == ShareStatus.WITHDRAWN.value:
                raise NotUndoable(f"Nicht mehr rückgängig zu machen: {WITHDRAWN}")
            if share.status == ShareStatus.EXPIRED.value or share.over:
                raise NotUndoable(f"Nicht mehr rückgängig zu machen: {EXPIRED}.")
            if share.decided_by_id != self._session.me.id:
                verb = "angenommen" if share.status == ShareStatus.ACCEPTED.value else "abgelehnt"
                raise NotUndoable(
                    f"Nicht rückgängig zu machen: {share.name} hat das Leadangebot {verb}, nicht Sie;"
                    " zurücknehmen kann es nur, wer entschieden hat."
                )
            if share.status == ShareStatus.ACCEPTED.value:
                self._withdraw_view(conn, share_id, share.lead_id)
            conn.execute(
                update(Share)
                .where(Share.id == share_id, Share.partner_company_id == c)
                .values(
                    status=ShareStatus.OFFERED.value,
                    decided_by_id=None,
                    decided_at=None,
                    decline_reason=None,
                    decline_text=None,
                )
            )
            self._session.changed(conn, share.principal_company_id)

    def reopen_offers(self, share_ids: tuple[int, ...]) -> BulkResult:
        """Undo several decisions (each its own transaction); one worked on since stays as it is
        and is reported as a conflict."""
        reopened: list[int] = []
        kept: list[int] = []
        for share_id in share_ids:
            try:
                self.reopen_offer(share_id)
                reopened.append(share_id)
            except (NotUndoable, NotFound):
                kept.append(share_id)
        return BulkResult(len(reopened), tuple(kept))

    def _withdraw_view(self, conn: Connection, share_id: int, lead_id: int) -> None:
        """Take a lead out of the own lists that this acceptance brought in, with its one history
        entry (a company keeps no history of a lead it does not hold)."""
        c = self._session.company_id
        other_acceptance = conn.execute(
            select(Share.id).where(
                Share.lead_id == lead_id,
                Share.partner_company_id == c,
                Share.status == ShareStatus.ACCEPTED.value,
                Share.id != share_id,
            )
        ).first()
        view = conn.execute(
            select(CL.version, CL.via, CL.colleague_id, CL.sort_status)
            .where(CL.company_id == c, CL.lead_id == lead_id)
            .with_for_update()
        ).first()
        if view is None or view.via != "accepted" or other_acceptance is not None:
            return  # the lead was ours before, or is ours by another acceptance: it stays
        passed_on = conn.execute(
            select(Share.id).where(Share.lead_id == lead_id, Share.principal_company_id == c)
        ).first()
        if view.version != 1 or passed_on is not None:
            raise NotUndoable("Nicht mehr rückgängig zu machen: der Lead wurde inzwischen bearbeitet.")
        conn.execute(delete(History).where(History.company_id == c, History.lead_id == lead_id))
        conn.execute(delete(CL).where(CL.company_id == c, CL.lead_id == lead_id))
        read_model.change_counts(conn, c, {view.colleague_id: -read_model.tally(view.sort_status)})

    def _decide(
        self, conn: Connection, share_id: int, outcome: ShareStatus, now: object, decline: Decline | None = None
    ) -> None:
        """Settle an open offer made to the own company, or say who settled it already."""
        principal = conn.execute(
            update(Share)
            .where(
                Share.id == share_id,
                Share.partner_company_id == self._session.company_id,
                is_open(self._session.now_sql),
            )
            .values(
                status=outcome.value,
                decided_by_id=self._session.me.id,
                decided_at=now,
                decline_reason=decline.reason.value if decline else None,
                decline_text=(decline.text or None) if decline else None,
            )
            .returning(Share.principal_company_id)
        ).scalar()
        if principal is not None:
            self._session.changed(conn, principal)  # the principal's list of passed-on leads shows the outcome
            return
        row = conn.execute(
            select(shown_status(self._session.now_sql).label("status"), Share.deadline, Col.name)
            .outerjoin(Col, (Col.id == Share.decided_by_id) & (Col.company_id == Share.partner_company_id))
            .where(Share.id == share_id, Share.partner_company_id == self._session.company_id)
        ).first()
        if row is None:
            raise NotFound("Leadangebot nicht gefunden.")
        if row.status == ShareStatus.WITHDRAWN.value:
            raise AlreadyDecided(WITHDRAWN)
        if row.status == ShareStatus.EXPIRED.value:
            raise AlreadyDecided(f"{EXPIRED} ({deadline_label(row.deadline)})." if row.deadline else f"{EXPIRED}.")
        verb = "angenommen" if row.status == ShareStatus.ACCEPTED.value else "abgelehnt"
        raise AlreadyDecided(f"Dieses Leadangebot wurde bereits von Ihrer Firma {verb} ({row.name}).")
