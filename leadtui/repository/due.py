"""What is due at a moment rather than on a colleague's step (rule 24): lead offers whose response
window ended are marked expired and their principal told; offers three quarters into their
window are brought to the partner's offer receivers once; and a declined or expired offer with
an escalation ladder is offered to the next partner on it, with a fresh window (rule 25).

Whether an offer is still open never waits for this: every read and write decides it against the
deadline (repository/sharing.py). This work carries out the side effects that belong to the
moment, and it may run late - nothing ran at the deadline, the app was closed - with the outcome
of running on time: an expiry is dated at its deadline, a reminder still goes out once.

Exactly once, however many run it: each side effect is claimed by the conditional UPDATE that
records it (the offer's status, its `remind_at` cleared), in the transaction that writes its
notifications. Of two servers claiming the same offer, the second's UPDATE waits for the
first's row lock and then finds the row no longer matching (PostgreSQL re-checks the condition
on the row it waited for); on SQLite one writer holds the file at a time. A ladder's step is
claimed by its row, locked with FOR UPDATE SKIP LOCKED (another server's run passes it by) and
its ladder cleared. The server runs this on a timer for every company; the one-person app when
it opens and while it runs.

It acts for no colleague: it runs as the database's owner on PostgreSQL (the server's login) and
touches each company's rows only as the rules above say, telling each side only what is its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Engine, and_, or_, select, update
from sqlalchemy.engine import Connection

from leadtui.db import backends
from leadtui.db.models import CompanyModel as Co
from leadtui.db.models import LeadModel as Lead
from leadtui.db.models import LeadShareModel as Share
from leadtui.db.models import PartnershipModel as Partnership
from leadtui.domain import NotificationKind, ShareStatus
from leadtui.domain.windows import Window, deadline_label
from leadtui.repository.notifications import OFFER_RECEIVERS, colleague_or_admins, cut, tell_company
from leadtui.repository.offers import ladder_of, offer_values, place_offer
from leadtui.repository.session import Clock, deadline_clock, utcnow
from leadtui.repository.sharing import is_open, lapsed

CLIMBS = (ShareStatus.DECLINED.value, ShareStatus.EXPIRED.value)  # an offer whose ladder goes on


@dataclass(frozen=True)
class DueDone:
    """What one run carried out: offers marked expired, offers reminded of."""

    expired: int = 0
    reminded: int = 0
    escalated: int = 0


class DueWork:
    """The due side effects of lead offers, for every company of one database."""

    def __init__(self, engine: Engine, clock: Clock = utcnow):
        self._engine = engine.execution_options(immediate=True)
        self._clock = clock
        self._backend = backends.for_engine(engine)
        self._now = deadline_clock(self._backend, clock, clock is utcnow)

    def run(self) -> DueDone:
        """Carry out everything due by now, in one short transaction - after a read that finds
        whether anything is (most runs find nothing, and take no write lock then)."""
        due = or_(
            lapsed(self._now),
            and_(is_open(self._now), Share.remind_at <= self._now),
            and_(Share.ladder.is_not(None), Share.status.in_(CLIMBS)),
        )
        with self._engine.connect() as conn:
            if conn.execute(select(Share.id).where(due).limit(1)).first() is None:
                return DueDone()
        with self._engine.begin() as conn:
            touched: set[int] = set()
            expired = self._expire(conn, touched)
            escalated = self._escalate(conn, touched)
            reminded = self._remind(conn, touched)
            if touched:
                self._backend.touch(conn, sorted(touched))  # both sides' open apps refresh
        return DueDone(expired, reminded, escalated)

    def _expire(self, conn: Connection, touched: set[int]) -> int:
        """Mark the offers whose window ended as expired, dated at their deadline, and tell the
        colleague who passed each on (or the principal's admins) - naming the partner company,
        which is all the principal learns."""
        claimed = conn.execute(
            update(Share)
            .where(lapsed(self._now))
            .values(status=ShareStatus.EXPIRED.value, decided_at=Share.deadline, decided_by_id=None, remind_at=None)
            .returning(
                Share.lead_id,
                Share.principal_company_id,
                Share.partner_company_id,
                Share.offered_by_id,
                Share.deadline,
                Share.ladder,
            )
        ).all()
        at = self._clock()
        titles, names = (
            _titles(conn, {o.lead_id for o in claimed}),
            _names(conn, {o.partner_company_id for o in claimed}),
        )
        for offer in claimed:
            title, partner = titles[offer.lead_id], names[offer.partner_company_id]
            then = "die Eskalation geht weiter" if ladder_of(offer.ladder) else "jetzt wieder weiterzugeben"
            text = f"Leadangebot an {partner} abgelaufen (Frist {deadline_label(offer.deadline)}), {then}: {cut(title)}"
            whom = colleague_or_admins(conn, offer.principal_company_id, offer.offered_by_id)
            tell_company(conn, offer.principal_company_id, whom, offer.lead_id, NotificationKind.DECLINED, text, 1, at)
            touched.update((offer.principal_company_id, offer.partner_company_id))
        return len(claimed)

    def _escalate(self, conn: Connection, touched: set[int]) -> int:
        """Offer each declined or expired offer's lead to the next partner of its ladder that is
        still a partner and holds no offer of it, with that partnership's window from now; the
        rest of the ladder goes with the new offer (rule 25). A row another run holds is passed
        by (SKIP LOCKED), and its ladder cleared here, so each step is taken once."""
        climbing = conn.execute(
            select(Share.id, Share.lead_id, Share.principal_company_id, Share.offered_by_id, Share.ladder)
            .where(Share.ladder.is_not(None), Share.status.in_(CLIMBS))
            .order_by(Share.id)
            .with_for_update(skip_locked=True)
        ).all()
        now, stepped = self._clock(), 0
        titles = _titles(conn, {o.lead_id for o in climbing})
        names = _names(conn, {o.principal_company_id for o in climbing})
        for offer in climbing:
            still = update(Share).where(Share.id == offer.id, Share.status.in_(CLIMBS)).values(ladder=None)
            if conn.execute(still).rowcount != 1:
                continue  # an earlier step of this run offered this very row again (with its own ladder)
            ladder = ladder_of(offer.ladder)
            for i, partner_id in enumerate(ladder):
                window = conn.execute(
                    select(Partnership.window_hours).where(
                        Partnership.principal_id == offer.principal_company_id, Partnership.partner_id == partner_id
                    )
                ).first()
                if window is None:
                    continue  # no longer a partner: the next one
                deadline = Window(hours=window.window_hours).deadline(now)  # no hours: no deadline
                values = offer_values(offer.offered_by_id, now, deadline, ladder[i + 1 :], escalated=True)
                principal = offer.principal_company_id
                if place_offer(conn, self._backend, self._now, offer.lead_id, principal, partner_id, values) is None:
                    continue  # that partner has the lead already, pending or accepted
                text = f"Neues Leadangebot von {names[principal]}: {cut(titles[offer.lead_id])}"
                tell_company(conn, partner_id, OFFER_RECEIVERS, offer.lead_id, NotificationKind.OFFER, text, 1, now)
                touched.update((principal, partner_id))
                stepped += 1
                break
        return stepped

    def _remind(self, conn: Connection, touched: set[int]) -> int:
        """Remind the partners' offer receivers of offers three quarters into their window, once:
        one notification per offer, or one per principal for several at once."""
        claimed = conn.execute(
            update(Share)
            .where(is_open(self._now), Share.remind_at <= self._now)
            .values(remind_at=None)
            .returning(Share.lead_id, Share.principal_company_id, Share.partner_company_id, Share.deadline)
        ).all()
        per_pair = defaultdict(list)
        for offer in claimed:
            per_pair[(offer.partner_company_id, offer.principal_company_id)].append(offer)
        at = self._clock()
        titles, names = (
            _titles(conn, {o.lead_id for o in claimed}),
            _names(conn, {o.principal_company_id for o in claimed}),
        )
        for (partner_id, principal_id), offers in per_pair.items():
            principal = names[principal_id]
            if len(offers) == 1:
                offer = offers[0]
                text = (
                    f"Erinnerung: Leadangebot von {principal} nur noch bis {deadline_label(offer.deadline)} "
                    f"annehmbar: {cut(titles[offer.lead_id])}"
                )
                lead_id: int | None = offer.lead_id
            else:
                first = min(offer.deadline for offer in offers)
                text = (
                    f"Erinnerung: {len(offers)} Leadangebote von {principal}, "
                    f"das erste nur noch bis {deadline_label(first)}"
                )
                lead_id = None
            tell_company(conn, partner_id, OFFER_RECEIVERS, lead_id, NotificationKind.OFFER, text, len(offers), at)
            touched.add(partner_id)
        return len(claimed)


def _titles(conn: Connection, lead_ids: set[int]) -> dict[int, str]:
    """The leads' titles, in one read for a whole run (not one per offer)."""
    return {int(i): str(t) for i, t in conn.execute(select(Lead.id, Lead.title).where(Lead.id.in_(lead_ids)))}


def _names(conn: Connection, company_ids: set[int]) -> dict[int, str]:
    """The companies' names, in one read for a whole run."""
    return {int(i): str(n) for i, n in conn.execute(select(Co.id, Co.name).where(Co.id.in_(company_ids)))}
