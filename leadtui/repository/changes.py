"""Telling an open app that its company's data changed - by a colleague, or by the app itself.

Every write moves the change counters of the companies it changes (see `Session.changed`). A
feed watches the acting company's counter only, so a partner's app learns nothing - not even
that it should refresh - when a principal reassigns a shared lead. How the database tells that
anything may have changed is the backend's (LISTEN on the company's private channel on
PostgreSQL, `PRAGMA data_version` on SQLite); then the own counter is read to know.

`wait` blocks its caller (a worker thread) for at most `timeout` and says whether anything
changed. A lost connection is reopened, and reported as a change (something may have been missed).
"""

from __future__ import annotations

import time
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from leadtui.db.backends import Listener
from leadtui.db.models import CompanyChangeModel as CompanyChange
from leadtui.repository.session import Session

POLL_S = 0.25


class Feed(Protocol):
    """What the app watches: `wait` says within `timeout` seconds whether anything changed."""

    def wait(self, timeout: float) -> bool: ...

    def close(self) -> None: ...


class ChangeFeed:
    def __init__(self, session: Session, poll_s: float = POLL_S):
        self._session = session
        self._poll_s = poll_s
        self._listener: Listener | None = None
        self._seq = self._own_seq()

    def _own_seq(self) -> tuple[int, str]:
        with self._session.read(check=True) as conn:  # a deactivated colleague's app learns it here
            row = conn.execute(
                select(CompanyChange.seq, CompanyChange.channel).where(
                    CompanyChange.company_id == self._session.company_id
                )
            ).one()
        return int(row.seq), str(row.channel)

    def wait(self, timeout: float) -> bool:
        """Whether the own company's data changed; returns within `timeout` seconds."""
        backend = self._session.backend
        deadline = time.monotonic() + timeout
        try:
            if self._listener is None:
                self._listener = backend.listen(self._session.engine, self._seq[1], self._poll_s)
                if self._changed():  # (re)connected: a change may have come in between
                    return True
            while True:  # at least one look, so `wait(0)` asks without waiting
                left = deadline - time.monotonic()
                if self._listener.wait(max(left, 0.0)) and self._changed():
                    return True
                if left <= 0:
                    return False
        except (SQLAlchemyError, OSError, *backend.driver_errors()):  # type: ignore[misc]
            self.close()
            time.sleep(min(timeout, 1.0))
            return True  # reconnect at the next wait; refresh, something may have been missed

    def _changed(self) -> bool:
        """Whether the own counter moved (also how a deactivated colleague's app learns it)."""
        seq = self._own_seq()
        if seq == self._seq:
            return False
        self._seq = seq
        return True

    def close(self) -> None:
        if self._listener is not None:
            try:
                self._listener.close()
            finally:
                self._listener = None
