"""`u` (Rückgängig): takes back one's own last changes of this session - assignments, bulk
assignments, acceptances, declines, passing on, imports - newest first, as new, versioned
changes (rule 8), so a lead a colleague changed meanwhile stays as it is and the toast says so.
The history is the app's (a change made in the detail is taken back from the list too), holds
the last UNDO_DEPTH changes, and lives as long as the app: not only while a toast is up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from leadtui.domain import BulkResult
from leadtui.domain.imports import UndoneImport
from leadtui.ui.safe import toast
from leadtui.ui.work import WRITE

UNDO_HINT = " · u: Rückgängig"
UNDO_S = 8.0  # how long a change's toast (which says "u: Rückgängig") stays up
UNDO_DEPTH = 10


@dataclass(frozen=True)
class Undo:
    """What `u` takes back: a repository call that returns how many leads it changed and which
    it left alone (changed meanwhile), and what it was ("Zuweisung von „Wallbox …“")."""

    call: Callable[[], BulkResult]
    what: str


class UndoHistory:
    """One's own last changes this session, newest last."""

    def __init__(self) -> None:
        self._changes: list[Undo] = []

    def push(self, undo: Undo) -> None:
        self._changes.append(undo)
        del self._changes[:-UNDO_DEPTH]

    def pop(self) -> Undo | None:
        return self._changes.pop() if self._changes else None

    def __len__(self) -> int:
        return len(self._changes)


def undone_import(undone: UndoneImport) -> BulkResult:
    """An import taken back, as the toast of every undo tells it: the leads removed or emptied
    again, and those left because someone worked them meanwhile."""
    return BulkResult(undone.removed + undone.reverted, tuple(lead_id for lead_id, _ in undone.touched))


class OffersUndo:
    """For a screen with a binding `u` → `undo` whose check_action asks `can_undo`."""

    app: Any

    @property
    def can_undo(self) -> bool:
        return bool(self.app.undo_history)

    def offer_undo(self, call: Callable[[], BulkResult], what: str) -> None:
        """`u` can take the change just made back (after the newer ones)."""
        self.app.undo_history.push(Undo(call, what))
        self.refresh_bindings()  # type: ignore[attr-defined]

    def action_undo(self) -> None:
        undo = self.app.undo_history.pop()
        if undo is None:
            return
        self.refresh_bindings()  # type: ignore[attr-defined]
        left = len(self.app.undo_history)
        more = f" Noch {left} mit u." if left else ""

        def undone(result: BulkResult) -> None:
            if result.conflicts or result.kept:
                done = f"{result.assigned} rückgängig gemacht" if result.assigned else "Nicht rückgängig gemacht"
                reasons = []
                if result.conflicts:
                    reasons.append(f"{len(result.conflicts)} inzwischen von anderen geändert")
                if result.kept:
                    who = ", ".join(result.inactive)
                    reasons.append(f"{len(result.kept)} bleiben, wo sie sind: {who} inzwischen deaktiviert")
                toast(
                    self.app,
                    undo.what,
                    f": {done}; {'; '.join(reasons)}.{more}",
                    title="Rückgängig",
                    severity="warning",
                )
            else:
                toast(self.app, "Rückgängig gemacht: ", undo.what, f".{more}", title="Rückgängig")
            self.after_undo()

        self.database(undo.call, undone, group=WRITE)  # type: ignore[attr-defined]

    def after_undo(self) -> None:
        """Show the data as it is now."""
