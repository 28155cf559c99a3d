"""Who shares a lead directly: the companies on either side of an accepted offer of it. The
journal is read, and activity is notified, between them - never further along a chain. And
whether an offer is still open: its response window decides in every statement (rule 24)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, case, or_, select

from leadtui.db.models import LeadShareModel as Share
from leadtui.domain import ShareStatus


def direct_partners(lead_id: Any, company_id: int) -> Any:
    """The companies holding `lead_id` through an accepted offer made by or to `company_id`."""
    accepted = (Share.lead_id == lead_id, Share.status == ShareStatus.ACCEPTED.value)
    return (
        select(Share.partner_company_id)
        .where(*accepted, Share.principal_company_id == company_id)
        .union(select(Share.principal_company_id).where(*accepted, Share.partner_company_id == company_id))
    )


def shares_directly(company_column: Any, lead_id: Any, company_id: int) -> ColumnElement[bool]:
    """`company_column` is `company_id` itself or one of its direct partners on `lead_id`."""
    return or_(company_column == company_id, company_column.in_(direct_partners(lead_id, company_id)))


def is_open(now: Any) -> ColumnElement[bool]:
    """An offer its partner may still decide: pending, and its response window not over by `now`
    (the session's `now_sql`): from the deadline on it is expired in every read and write, even
    before the due work marks it so (rule 24)."""
    return and_(Share.status == ShareStatus.OFFERED.value, or_(Share.deadline.is_(None), Share.deadline > now))


def lapsed(now: Any) -> ColumnElement[bool]:
    """A pending offer whose response window is over by `now`, not yet marked expired."""
    return and_(Share.status == ShareStatus.OFFERED.value, Share.deadline <= now)


def shown_status(now: Any) -> ColumnElement[str]:
    """An offer's status as its parties read it: "abgelaufen" from the deadline on."""
    return case((lapsed(now), ShareStatus.EXPIRED.value), else_=Share.status)
