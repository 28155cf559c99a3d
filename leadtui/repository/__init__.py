"""The one way in and out of lead data, bound to one acting colleague.

`Repository` is the one facade the UI and the CLI talk to; each concern lives in its own module
(lists, leads, journal, assignments, offers, colleagues, settings, notifications) on one scoped core (`scope.py`), so a
change to offers is made in `offers.py` alone. One facade rather than several: a screen holds one
object bound to one colleague, and every concern shares that binding and its transactions.

Every statement is scoped to the acting colleague's company; the scope guard (`guard.py`)
refuses one that is not. Reads return frozen domain values, never ORM objects. Writes are short
transactions; assignments carry a version so a stale write becomes a `Conflict`.
"""

from __future__ import annotations

from sqlalchemy import Engine

from leadtui.repository.colleagues import Colleagues
from leadtui.repository.leads import Leads
from leadtui.repository.lists import Lists
from leadtui.repository.notifications import Notifications
from leadtui.repository.offers import Offers
from leadtui.repository.scope import Clock, utcnow
from leadtui.repository.settings import Settings


class Repository(Lists, Leads, Offers, Colleagues, Settings, Notifications):
    """Lead data as one colleague of one company sees and changes it."""

    @classmethod
    def for_email(cls, engine: Engine, email: str, clock: Clock = utcnow) -> Repository:
        return cls(engine, cls.colleague_for_email(engine, email), clock)

    @classmethod
    def for_login(cls, engine: Engine, clock: Clock = utcnow) -> Repository:
        """Team mode: the colleague whose PostgreSQL login the engine connects as."""
        return cls(engine, None, clock)


__all__ = ["Repository", "utcnow"]
