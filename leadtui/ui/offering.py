"""Passing leads on and withdrawing offers, from the lists and from a lead's detail (rule 22).

Passing on asks once more, naming the partner and the response window (rule 24, which the
colleague may change there), and `u` withdraws what was just offered while
its toast is up; withdrawing a pending offer asks first. Both are steps of a screen's flow:
the screen gives its app, repository, `awaited` and `offer_undo`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from leadtui.domain import BulkResult, Partner, ShareInfo, ShareStatus
from leadtui.domain.windows import Window, deadline_label
from leadtui.ui.safe import line, toast
from leadtui.ui.screens.dialogs import Confirm, PassOnDialog
from leadtui.ui.undo import UNDO_HINT
from leadtui.ui.work import opened

if TYPE_CHECKING:
    from leadtui.domain.interface import LeadRepository
    from leadtui.ui.app import LeadtuiApp

T = TypeVar("T")


class Offering(Protocol):
    @property
    def leadtui_app(self) -> LeadtuiApp: ...
    @property
    def repository(self) -> LeadRepository: ...

    async def awaited(self, call: Callable[[], T], *, write: bool = False, lead: int | None = None) -> T: ...
    def offer_undo(self, call: Callable[[], BulkResult], what: str) -> None: ...


async def pass_on(
    screen: Offering, leads: list[tuple[int, str]], chosen: Awaitable[tuple[Partner, ...] | None]
) -> bool:
    """Offer `leads` (id, title) to the first partner chosen - and if declined or expired to the
    next (rule 25) - after a yes naming them and the window; whether any was."""
    ladder = await chosen
    if not ladder or not leads:
        return False
    partner, then = ladder[0], ladder[1:]
    if len(leads) == 1:
        question = line("„", (leads[0][1], "bold"), "“ als Leadangebot an ", (partner.name, "bold"), " weitergeben?")
    else:
        question = line(f"{len(leads)} Leads als Leadangebote an ", (partner.name, "bold"), " weitergeben?")
    if then:
        question.append(line(" Bei Ablehnung oder Ablauf danach an: ", *_names(then), "."))
    repository = screen.repository
    default = Window(hours=partner.window_hours)  # no default hours: no deadline
    window = await opened(screen.leadtui_app, PassOnDialog(question, default, repository.now()))
    if window is None:
        return False
    ids = tuple(lead_id for lead_id, _ in leads)
    next_ids = tuple(p.id for p in then)
    passed = await screen.awaited(lambda: repository.offer_many(ids, partner.id, window, next_ids), write=True)
    if passed.shares:
        what = f"„{leads[0][1]}“" if len(passed.shares) == 1 else f"{len(passed.shares)} Leads"
        screen.offer_undo(lambda: repository.withdraw_offers(passed.shares), f"Weitergabe von {what}")
    hint = UNDO_HINT if passed.shares else ""
    until = f" (annehmbar bis {deadline_label(passed.deadline)})" if passed.deadline and passed.offered else ""
    if len(leads) == 1 and passed.offered:
        toast(screen.leadtui_app, "Als Leadangebot an ", partner.name, f" weitergegeben{until}: ", leads[0][1], hint,
              title="Weitergegeben")  # fmt: skip
    else:
        skipped = f" {len(passed.skipped)} übersprungen: dort schon angeboten." if passed.skipped else ""
        toast(screen.leadtui_app, f"{len(passed.offered)} Leads an ", partner.name,
              f" weitergegeben{until}.{skipped}{hint}", title="Weitergegeben",
              severity="warning" if passed.skipped else "information")  # fmt: skip
    return bool(passed.offered)


def _names(partners: tuple[Partner, ...]) -> list[Any]:
    """The partners' names in bold, comma-separated (for `line`)."""
    parts: list[Any] = []
    for partner in partners:
        parts.extend((", " if parts else "", (partner.name, "bold")))
    return parts


def pending(shares: tuple[ShareInfo, ...]) -> list[ShareInfo]:
    """The own company's offers of a lead that its partners have not decided yet."""
    return [share for share in shares if share.outgoing and share.status is ShareStatus.OFFERED]


async def withdraw(screen: Offering, title: str, offers: list[ShareInfo]) -> bool:
    """Withdraw `offers` of the lead `title` after a yes naming the partners; whether any was.
    A partner that decided meanwhile keeps its decision, and the toast says so."""
    if not offers:
        toast(screen.leadtui_app, "Kein offenes Leadangebot dieses Leads zum Zurückziehen.", title="Zurückziehen")
        return False
    partners: list[Any] = []
    for share in offers:
        partners.extend((", " if partners else "", (share.partner_name, "bold")))
    asked = Confirm(line("Leadangebot „", (title, "bold"), "“ an ", *partners, " zurückziehen?"))
    if not await opened(screen.leadtui_app, asked):
        return False
    repository = screen.repository
    ids = tuple(share.share_id for share in offers)
    result = await screen.awaited(lambda: repository.withdraw_offers(ids), write=True)
    if result.conflicts:
        toast(screen.leadtui_app, f"{result.assigned} zurückgezogen; {len(result.conflicts)} hat der Partner "
              "inzwischen entschieden.", title="Zurückziehen", severity="warning")  # fmt: skip
    else:
        toast(screen.leadtui_app, "Leadangebot zurückgezogen: ", title, title="Zurückziehen")
    return bool(result.assigned)
