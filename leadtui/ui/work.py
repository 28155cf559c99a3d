"""Database calls off the UI thread, and one route for their results and failures.

Every repository call of the UI runs in a thread worker (as Harlequin does): the UI thread draws
and takes keys while the database answers, however slowly. The result comes back on the UI
thread through `then`; a failure goes to `failed` when the caller has something better to do with
it (a conflict, a form error), and otherwise to the app's one error route - a German toast, or the
locked screen for a deactivated colleague. A failure is never dropped silently.

A flow of several steps - a dialog, a read, a confirmation, a write - is an async method under
`@flow` that reads top to bottom: it awaits each dialog (`push_screen_wait`) and each repository
call (`awaited`, still in a thread worker). A flow catches only the errors it has something
better to say about (a conflict); any other ends the flow and takes the one error route. Its
first dialog is opened by the key's action itself (`opened`), and the flow awaits the answer: a
worker starts only after the keys already typed are handled, and keys typed right after the
one that opens a dialog belong to the dialog, not to the screen below.

Writes to one lead wait for each other (in their worker, never on the UI thread), so a second
change to a lead is made against the first one's outcome. A read whose connection broke (a
server restart) is tried once more on a new connection; a write is not - it may have landed, and
its versioned retry is the user's next key.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.message import Message
from textual.worker import Worker, WorkerFailed, WorkerState

from leadtui.domain import LeadtuiError, Unreachable

if TYPE_CHECKING:
    from textual.screen import Screen

    from leadtui.ui.app import LeadtuiApp

T = TypeVar("T")
WRITE = "write"  # the worker group of every write: never retried
CHANGES = "changes"  # the worker group of the change feed, which runs as long as the app
FLOW = "flow"  # the worker group of flows: they wait for the user as long as a dialog is open


def flow(method: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., Any]:
    """A multi-step flow of a screen, run as an async worker. An error the flow does not catch
    ends it and goes to the app's error route (see DatabaseWork.on_worker_state_changed)."""
    return work(group=FLOW, exit_on_error=False)(method)


def opened(app: LeadtuiApp, screen: Screen[T]) -> asyncio.Future[T | None]:
    """Push `screen` now; its answer, for a flow to await."""
    answer: asyncio.Future[T | None] = asyncio.get_running_loop().create_future()
    app.push_screen(screen, lambda result: None if answer.done() else answer.set_result(result))
    return answer


def answered(value: T) -> asyncio.Future[T]:
    """An answer given already: for a flow whose first dialog was not needed."""
    answer: asyncio.Future[T] = asyncio.get_running_loop().create_future()
    answer.set_result(value)
    return answer


class DataChanged(Message):
    """The company's data changed (a colleague's write, or this app's own): show it."""


@dataclass(frozen=True)
class Pending:
    then: Callable[[Any], None] | None
    failed: Callable[[LeadtuiError], bool] | None


class LeadLocks:
    """One lock per lead, taken by write workers so writes to a lead run one after another."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[int, threading.Lock] = {}

    def around(self, lead_id: int, call: Callable[[], T]) -> Callable[[], T]:
        def locked() -> T:
            with self._guard:
                lock = self._locks.setdefault(lead_id, threading.Lock())
            with lock:
                return call()

        return locked


def _once_more_if_unreachable(call: Callable[[], T]) -> Callable[[], T]:
    def read() -> T:
        try:
            return call()
        except Unreachable:
            return call()

    return read


class DatabaseWork:
    """For the app and its screens: `database(call, then)` runs `call` in a thread and
    `then(result)` back on the UI thread."""

    @property
    def leadtui_app(self) -> LeadtuiApp:
        raise NotImplementedError

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._database_pending: dict[Worker[Any], Pending] = {}

    def database(
        self,
        call: Callable[[], T],
        then: Callable[[T], None] | None = None,
        *,
        group: str = "read",
        exclusive: bool = False,
        failed: Callable[[LeadtuiError], bool] | None = None,
        lead: int | None = None,
    ) -> Worker[T]:
        """Run a repository call in a worker. With `exclusive`, an older call of the same group
        is superseded (its result dropped). With `lead`, it waits for earlier writes to that lead."""
        if lead is not None:
            call = self.leadtui_app.lead_locks.around(lead, call)
        if group not in (WRITE, CHANGES):
            call = _once_more_if_unreachable(call)
        worker: Worker[T] = self.run_worker(  # type: ignore[attr-defined]
            call, thread=True, group=group, exclusive=exclusive, exit_on_error=False
        )
        self._database_pending[worker] = Pending(then, failed)
        return worker

    async def awaited(self, call: Callable[[], T], *, write: bool = False, lead: int | None = None) -> T:
        """In a flow: `call` in a thread worker, its result awaited. A read whose connection
        broke is tried once more, a write is not; with `lead`, it waits for earlier writes to
        that lead. The call's error is raised here, in the flow."""
        if lead is not None:
            call = self.leadtui_app.lead_locks.around(lead, call)
        if not write:
            call = _once_more_if_unreachable(call)
        worker: Worker[T] = self.run_worker(  # type: ignore[attr-defined]
            call, thread=True, group=WRITE if write else "read", exit_on_error=False
        )
        try:
            return await worker.wait()
        except WorkerFailed as failure:
            raise failure.error from None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == FLOW and event.state is WorkerState.ERROR and not self.leadtui_app.closing:
            self.leadtui_app.report(event.worker.error)
            return
        pending = self._database_pending.get(event.worker)
        if pending is None or event.state in (WorkerState.PENDING, WorkerState.RUNNING):
            return
        del self._database_pending[event.worker]
        if self.leadtui_app.closing or event.state is WorkerState.CANCELLED:
            return
        if event.state is WorkerState.SUCCESS:
            if pending.then is not None:
                pending.then(event.worker.result)
            return
        error = event.worker.error
        if isinstance(error, LeadtuiError) and pending.failed is not None and pending.failed(error):
            return
        self.leadtui_app.report(error)
