"""How the own company's partners answer its lead offers (issue 21's numbers for the principal):
per partner, the leads offered, open, accepted, declined (by reason), expired and withdrawn, and
the median time to accept - company figures only, never naming a colleague of the partner.

Counted from the offers as they stand: a lead offered to the same partner again counts once,
with its latest outcome.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

from sqlalchemy import func, select

from leadtui.db.models import CompanyModel as Co
from leadtui.db.models import LeadShareModel as Share
from leadtui.db.models import PartnershipModel as Partnership
from leadtui.domain import DeclineReason, PartnerNumbers, ShareStatus, decoded
from leadtui.repository.session import Session
from leadtui.repository.sharing import shown_status

REASON_LABELS: dict[object, str] = {
    **{reason.value: reason.label for reason in DeclineReason},
    None: "ohne Angabe",  # declined before reasons were asked (rule 23)
}
REASON_ORDER = {key: i for i, key in enumerate(REASON_LABELS)}
UNKNOWN_REASON = "unbekannt"  # a stored reason this leadtui cannot read


class PartnerFigures:
    """The acting company's numbers as a principal."""

    def __init__(self, session: Session):
        self._session = session

    def partner_numbers(self) -> list[PartnerNumbers]:
        """One line per partner - every current partner, and any earlier one with offers - by name."""
        c = self._session.company_id
        outcomes = (
            select(
                Share.partner_company_id.label("partner"),
                shown_status(self._session.now_sql).label("status"),
                Share.decline_reason.label("reason"),
            )
            .where(Share.principal_company_id == c)
            .subquery()
        )
        counted = select(outcomes.c.partner, outcomes.c.status, outcomes.c.reason, func.count()).group_by(
            outcomes.c.partner, outcomes.c.status, outcomes.c.reason
        )
        accepted = select(Share.partner_company_id, Share.offered_at, Share.decided_at).where(
            Share.principal_company_id == c,
            Share.status == ShareStatus.ACCEPTED.value,
            Share.decided_at.is_not(None),
        )
        partners = select(Partnership.partner_id).where(Partnership.principal_id == c)
        with self._session.read(check=True) as conn:
            counts = conn.execute(counted).all()
            waits = conn.execute(accepted).all()
            ids = set(conn.execute(partners).scalars()) | {int(row[0]) for row in counts}
            names = dict(conn.execute(select(Co.id, Co.name).where(Co.id.in_(ids))).all()) if ids else {}
        by_status: dict[int, dict[ShareStatus | None, int]] = defaultdict(lambda: defaultdict(int))
        by_reason: dict[int, dict[object, int]] = defaultdict(lambda: defaultdict(int))
        for partner, status, reason, n in counts:
            known = decoded(ShareStatus, status)
            by_status[partner][known] += n
            if known is ShareStatus.DECLINED:
                by_reason[partner][reason] += n
        for reasons in by_reason.values():  # in the order of the keys 1-5, then the rest
            ordered = sorted(reasons.items(), key=lambda item: REASON_ORDER.get(item[0], len(REASON_ORDER)))
            reasons.clear()
            reasons.update(ordered)
        seconds: dict[int, list[float]] = defaultdict(list)
        for partner, offered_at, decided_at in waits:
            if offered_at is not None and decided_at is not None:  # a moment we cannot read counts not
                seconds[partner].append(max((decided_at - offered_at).total_seconds(), 0.0))
        return sorted(
            (
                PartnerNumbers(
                    partner=str(names.get(partner, "")),
                    offered=sum(by_status[partner].values()),
                    pending=by_status[partner][ShareStatus.OFFERED],
                    accepted=by_status[partner][ShareStatus.ACCEPTED],
                    declined=by_status[partner][ShareStatus.DECLINED],
                    expired=by_status[partner][ShareStatus.EXPIRED],
                    withdrawn=by_status[partner][ShareStatus.WITHDRAWN],
                    declined_by=tuple(
                        (REASON_LABELS.get(reason, UNKNOWN_REASON), n) for reason, n in by_reason[partner].items()
                    ),
                    median_accept_s=statistics.median(seconds[partner]) if seconds[partner] else None,
                )
                for partner in ids
            ),
            key=lambda numbers: numbers.partner.casefold(),
        )
