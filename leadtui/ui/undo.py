"""`u` (Rückgängig): for a few seconds after an assignment, a bulk assignment, an acceptance,
a decline or an import, the toast offers to take it back - as a new, versioned change (rule 8), so a lead a
colleague changed meanwhile stays as it is and the toast says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from leadtui.domain import BulkResult
from leadtui.domain.imports import UndoneImport
from leadtui.ui.safe import toast
from leadtui.ui.work import WRITE

UNDO_HINT = " · u: Rückgängig"
UNDO_S = 8.0  # how long `u` can take a change back (a toast's life and a little more)


@dataclass(frozen=True)
class Undo:
    """What `u` takes back: a repository call that returns how many leads it changed and which
    it left alone (changed meanwhile)."""

    call: Callable[[], BulkResult]


def undone_import(undone: UndoneImport) -> BulkResult:
    """An import taken back, as the toast of every undo tells it: the leads removed or emptied
    again, and those left because someone worked them meanwhile."""
    return BulkResult(undone.removed + undone.reverted, tuple(lead_id for lead_id, _ in undone.touched))


class OffersUndo:
    """For a screen with a reactive `undo` (bindings=True) and a binding `u` → `undo`."""

    undo: Undo | None
    app: Any

    def offer_undo(self, call: Callable[[], BulkResult]) -> None:
        """`u` takes the change just made back, for a few seconds (a newer change replaces it)."""
        undo = Undo(call)
        self.undo = undo

        def expire() -> None:
            if self.undo is undo:
                self.undo = None

        self.app.timers.after(self, UNDO_S, expire)

    def action_undo(self) -> None:
        undo = self.undo
        if undo is None:
            return
        self.undo = None

        def undone(result: BulkResult) -> None:
            if result.conflicts or result.kept:
                done = f"{result.assigned} rückgängig gemacht" if result.assigned else "Nicht rückgängig gemacht"
                reasons = []
                if result.conflicts:
                    reasons.append(f"{len(result.conflicts)} inzwischen von anderen geändert")
                if result.kept:
                    who = ", ".join(result.inactive)
                    reasons.append(f"{len(result.kept)} bleiben, wo sie sind: {who} inzwischen deaktiviert")
                toast(self.app, f"{done}; {'; '.join(reasons)}.", title="Rückgängig", severity="warning")
            else:
                toast(self.app, "Rückgängig gemacht.", title="Rückgängig")
            self.after_undo()

        self.database(undo.call, undone, group=WRITE)  # type: ignore[attr-defined]

    def after_undo(self) -> None:
        """Show the data as it is now."""
