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

from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError

from leadtui.db import backends
from leadtui.db.backends import Listener
from leadtui.db.models import ColleagueModel as Colleague
from leadtui.db.models import CompanyChangeModel as CompanyChange
from leadtui.repository.session import Session

POLL_S = 0.25


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


class CompanyWatch:
    """The server's one watch over the change counters of every company that has a signed-in
    app, on one connection (so hundreds of apps cost the database one listener per server
    process, not one each). Like `ChangeFeed`, a wake-up from the database is only a hint: the
    counters say which companies changed, so no app hears of another company's change.

    Not bound to a colleague - it serves all of them and returns nothing but company ids and
    whether colleagues are still active - so it runs its two statements unscoped."""

    def __init__(self, engine: Engine, poll_s: float = POLL_S):
        self._engine = engine
        self._backend = backends.for_engine(engine)
        self._poll_s = poll_s
        self._listener: Listener | None = None
        self._seqs: dict[int, int] = {}
        self._channels: dict[int, str] = {}
        self._unsure = False

    def watch(self, company_ids: set[int]) -> None:
        """Watch these companies too (call from the thread that waits)."""
        new = company_ids - self._seqs.keys()
        if not new:
            return
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(CompanyChange.company_id, CompanyChange.seq, CompanyChange.channel).where(
                    CompanyChange.company_id.in_(sorted(new))
                )
            ).all()
        for row in rows:
            self._seqs[row.company_id] = int(row.seq)
            self._channels[row.company_id] = str(row.channel)
            if self._listener is not None:
                self._listener.also(row.channel)
        self._unsure = True  # a change between reading the counters and listening is not heard

    def seq(self, company_id: int) -> int | None:
        """The counter of a watched company as last read (None if not watched)."""
        return self._seqs.get(company_id)

    def current(self, company_id: int) -> int:
        """The company's counter in the database now (any thread: its own connection)."""
        with self._engine.connect() as conn:
            return int(
                conn.execute(select(CompanyChange.seq).where(CompanyChange.company_id == company_id)).scalar_one()
            )

    def wait(self, timeout: float) -> set[int]:
        """The watched companies whose data changed within `timeout` seconds. After a lost
        connection, all of them (something may have been missed)."""
        if not self._seqs:
            time.sleep(min(timeout, self._poll_s))
            return set()
        try:
            if self._listener is None:
                channels = list(self._channels.values())
                self._listener = self._backend.listen(self._engine, channels[0], self._poll_s)
                for channel in channels[1:]:
                    self._listener.also(channel)
                self._unsure = True
            if self._unsure:  # so the counters are read once more, now that the listener hears
                self._unsure = False
                moved = self._moved()
                if moved:
                    return moved
            if not self._listener.wait(timeout):
                return set()
            return self._moved()
        except (SQLAlchemyError, OSError, *self._backend.driver_errors()):  # type: ignore[misc]
            self.close()
            time.sleep(min(timeout, 1.0))
            return set(self._seqs)

    def _moved(self) -> set[int]:
        with self._engine.connect() as conn:
            rows = conn.execute(
                select(CompanyChange.company_id, CompanyChange.seq).where(
                    CompanyChange.company_id.in_(sorted(self._seqs))
                )
            ).all()
        moved = {row.company_id for row in rows if self._seqs.get(row.company_id) != int(row.seq)}
        self._seqs.update((row.company_id, int(row.seq)) for row in rows)
        return moved

    def inactive(self, colleague_ids: set[int]) -> set[int]:
        """Which of these colleagues are deactivated (their apps are told and disconnected)."""
        if not colleague_ids:
            return set()
        with self._engine.connect() as conn:
            return set(
                conn.execute(
                    select(Colleague.id).where(Colleague.id.in_(sorted(colleague_ids)), Colleague.active.is_(False))
                ).scalars()
            )

    def close(self) -> None:
        if self._listener is not None:
            try:
                self._listener.close()
            finally:
                self._listener = None
