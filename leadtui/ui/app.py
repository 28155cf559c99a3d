"""The leadtui App: gets its repository in the constructor, owns the one error route."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import Any

from rich.text import Text
from textual import events, log
from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.message import Message
from textual.notifications import Notify
from textual.screen import ModalScreen, Screen
from textual.theme import ThemeProvider
from textual.worker import get_current_worker

from leadtui.domain import (
    Busy,
    Deactivated,
    LeadtuiError,
    ListKind,
    ListQuery,
    Notification,
    NotificationKind,
    Partner,
)
from leadtui.domain.interface import Feed, LeadRepository
from leadtui.ui.keys import is_movement, offered_keys
from leadtui.ui.safe import line, plain, toast
from leadtui.ui.screens.base import KeysMayGo, LeadtuiScreen
from leadtui.ui.screens.detail import LeadDetailScreen
from leadtui.ui.screens.dialogs import Confirm
from leadtui.ui.screens.inbox import InboxScreen
from leadtui.ui.screens.key_help import KeyHelp
from leadtui.ui.screens.leads import LeadsScreen
from leadtui.ui.screens.locked import LockedScreen
from leadtui.ui.textual_internals import PALETTE_ID
from leadtui.ui.timers import TextualTimers, Timers
from leadtui.ui.toasts import collapse
from leadtui.ui.undo import UndoHistory
from leadtui.ui.widgets.lead_table import PAGE_SIZE, LeadTable
from leadtui.ui.work import CHANGES, WRITE, DatabaseWork, DataChanged, LeadLocks, flow, opened

# How long the change feed waits per round, and so how long a quit waits for its thread (the
# loop's executor is joined at exit): 0.5 s made every quit, and every pilot test, half a second
# longer; ten rounds a second cost a local feed a few data_version reads, a remote one nothing.
FEED_WAIT_S = 0.1
COALESCE_S = 0.1
MINUTE_S = 60.0  # how often due work runs and countdowns are redrawn
DUE = "due"  # the worker group of the due work (one at a time)
NEW_TOASTS = 3  # at most this many new notifications are toasted at a time (the rest: the inbox)
NOTICE_S = 8.0  # how long a notification's toast (and ctrl+o on it) lasts


class FeedSawChange(Message, bubble=False):
    """From the change feed's thread: the company's data changed. A message, because posting
    one is safe from a thread even while the app closes (a call_from_thread then left a
    coroutine never awaited)."""


class LeadtuiApp(DatabaseWork, App[None]):
    TITLE = "leadtui"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("q", "ask_quit", "Beenden", id="quit"),
        # Textual's ctrl+q ("Quit the app and return to the command prompt."): works in forms too,
        # and asks as `q` does before losing anything
        Binding("ctrl+q", "ask_quit", "Beenden", show=False, priority=True),
        Binding("question_mark", "toggle_help", "Tasten", id="help"),
        Binding("f1", "toggle_help", "Tasten", show=False, priority=True),  # in forms and dialogs too
        Binding("b", "inbox", "Benachrichtigungen", tooltip="Der Posteingang: was Kollegen taten", show=False),
        Binding(
            "ctrl+o",
            "open_notice",
            "Benachrichtigung öffnen",
            tooltip="Den Lead der letzten Meldung öffnen",
            show=False,
        ),
        # Textual's own palette binding, in German (it is added only when none names the action).
        Binding(
            App.COMMAND_PALETTE_BINDING,
            "command_palette",
            "Befehle",
            show=False,
            key_display=App.COMMAND_PALETTE_DISPLAY,
            priority=True,
            tooltip="Alle Befehle suchen",
        ),
    ]

    def __init__(
        self,
        repository: LeadRepository,
        *,
        live: bool = True,
        feed: Callable[[], Feed] | None = None,
        timers: Timers | None = None,
        **kwargs: Any,
    ) -> None:
        """`live`: watch for colleagues' changes and show them; `feed` makes the watch (the
        repository's change feed unless given); `timers` time undo, notices and refreshes."""
        super().__init__(**kwargs)
        self.repository = repository
        self.live = live
        self.make_feed: Callable[[], Feed] = feed or repository.feed
        self.timers: Timers = timers or TextualTimers()
        self.partners: list[Partner] = []
        self.lead_locks = LeadLocks()
        self.undo_history = UndoHistory()  # `u` on any screen: one's own last changes
        self.closing = False
        self._refresh_pending = False
        self.newest_notice = 0  # the newest notification this app has seen (toasts show newer)
        self.notice: Notification | None = None  # what ctrl+o opens while its toast is up
        self._held_keys: list[events.Key] = []  # typed while a screen was still being built

    @property
    def leadtui_app(self) -> LeadtuiApp:
        return self

    # --- keys typed while a screen comes up ---------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Hold the keys typed while a screen of ours is being built (`n` and at once the title):
        Textual hands them to a screen with nothing focused yet, which drops them. They go on,
        in order, once the screen is up (`KeysMayGo`)."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            screen = self.screen
            if self._held_keys or (isinstance(screen, LeadtuiScreen) and not screen.keys_ready):
                self._held_keys.append(event)
                return
        await super().on_event(event)

    async def on_keys_may_go(self, _: KeysMayGo) -> None:
        held, self._held_keys = self._held_keys, []
        for key in held:
            await super().on_event(key)

    def on_mount(self) -> None:
        self.show_unread(0)
        # The first list is fetched while its screen is being built.
        leads = LeadsScreen(first_list_coming=True)
        repository = self.repository
        self.database(
            lambda: repository.first_window(ListQuery(), PAGE_SIZE),
            leads.first_list_loaded,
            failed=leads.first_list_failed,
        )
        self.push_screen(leads)
        self.database(self.repository.partners, self._partners_loaded)
        self.check_notifications(first=True)
        if self.live:
            self.database(self._watch_changes, group=CHANGES)
        self._minute_passed()

    def _minute_passed(self) -> None:
        """Carry out what came due (rule 24: expiries and reminders of lead offers, where the data
        is local; a server does it for its apps) and let countdowns read the new minute - now
        and every minute. A run that fails is tried again a minute later, unannounced: nobody
        asked for it."""
        self.database(self.repository.run_due_work, group=DUE, exclusive=True, failed=lambda _: True)
        for table in self.screen.query(LeadTable):
            table.refresh()
        self.timers.after(self, MINUTE_S, self._minute_passed)

    def _watch_changes(self) -> None:
        """In a worker for the app's lifetime: tell the screens when the company's data changed
        (a colleague's change, or this app's own) - within a second, without a reload key."""
        feed = self.make_feed()
        worker = get_current_worker()
        try:
            while not (worker.is_cancelled or self.closing):
                if feed.wait(FEED_WAIT_S):
                    self.post_message(FeedSawChange())
        finally:
            feed.close()

    def on_feed_saw_change(self, _: FeedSawChange) -> None:
        """Coalesce a burst of changes into one refresh of the screens that show data."""
        if not self._refresh_pending:
            self._refresh_pending = True
            self.timers.after(self, COALESCE_S, self._refresh_screens)

    def _refresh_screens(self) -> None:
        self._refresh_pending = False
        for screen in self.screen_stack:
            screen.post_message(DataChanged())
        self.check_notifications()

    # --- notifications -------------------------------------------------------------------------

    def check_notifications(self, first: bool = False) -> None:
        """Count the unread notifications; toast those that arrived since the last look (not at
        start: the inbox holds what came while the app was closed)."""
        repository = self.repository
        self.database(
            lambda: (repository.unread_count(), repository.notifications(0, NEW_TOASTS)),
            lambda result: self._notifications_checked(*result, first=first),
            group="notifications",
            exclusive=True,
        )

    def _notifications_checked(self, unread: int, newest: list[Notification], first: bool) -> None:
        self.show_unread(unread)
        fresh = [n for n in newest if n.id > self.newest_notice and not n.read]
        if newest:
            self.newest_notice = max(self.newest_notice, newest[0].id)
        if first or not fresh:
            return
        for notice in reversed(fresh):
            toast(self, notice.text, " · Strg+O: öffnen", title="Benachrichtigung", timeout=NOTICE_S)
        notice = fresh[0]
        self.notice = notice

        def expire() -> None:
            if self.notice is notice:
                self.notice = None

        self.timers.after(self, NOTICE_S, expire)

    def on_notify(self, event: Notify) -> None:
        """After Textual put a toast up: collapse repeats, keep the rack short (ui/toasts.py)."""
        collapse(self, event.notification)

    def show_unread(self, unread: int) -> None:
        """The unread count stands in the header's title, on every screen."""
        me = self.repository.me
        self.title = f"leadtui · {unread} ungelesen (b)" if unread else "leadtui"
        self.sub_title = plain(me.name, " · ", self.repository.company.name)

    def action_inbox(self) -> None:
        """The inbox, built once (like the detail) and brought up to date each time it opens - not
        over a dialog, which waits for its answer."""
        if isinstance(self.screen, (InboxScreen, ModalScreen)):
            return
        if not self.is_screen_installed("inbox"):
            self.install_screen(InboxScreen(), "inbox")
            self.settle_memory()
        else:
            self.get_screen("inbox", InboxScreen).reload()
        self.push_screen("inbox")

    def action_open_notice(self) -> None:
        """Open what the latest notification toast was about (not over a dialog)."""
        if isinstance(self.screen, ModalScreen):
            return
        notice = self.notice
        if notice is None:
            self.action_inbox()
            return
        self.notice = None
        ids = [notice.id]
        self.database(lambda: self.repository.mark_read(ids), lambda _: self.check_notifications(), group=WRITE)
        self.open_notification(notice)

    def open_notification(self, notice: Notification) -> None:
        """What a notification is about: its lead, or for a digest the list its leads are in
        now - "Leadangebote" for new offers, "Meine Leads" for leads assigned to me, with those
        leads marked."""
        if notice.lead_id is not None:
            self.open_lead(notice.lead_id)
        elif notice.kind is NotificationKind.OFFER:
            self.show_list(ListKind.OFFERS)
        else:
            self.show_list(ListKind.MINE)
            if notice.kind is NotificationKind.ASSIGNED and isinstance(self.screen, LeadsScreen):
                # the leads it was about come marked, ready for the next step on all of them
                repository = self.repository
                self.screen.mark_when_shown(lambda: repository.digest_leads(notice.id))

    def show_list(self, kind: ListKind) -> None:
        """Back to the lead lists, on `kind`."""
        while len(self.screen_stack) > 2 and not isinstance(self.screen, LeadsScreen):
            self.pop_screen()
        if isinstance(self.screen, LeadsScreen):
            self.screen.action_show_list(kind.value)

    def _partners_loaded(self, partners: list[Partner]) -> None:
        self.partners = partners

    def settle_memory(self) -> None:
        """Move everything built so far (screens, widgets, styles) out of the garbage collector's
        way, so a full collection walks only what is new: unfrozen, each one of a Textual app's
        widgets blocked the UI thread for 40-70 ms at random keys."""
        self.call_after_refresh(gc.freeze)

    def open_lead(self, lead_id: int) -> None:
        """Show a lead's detail. One detail screen is composed once and reused: composing and
        styling a screen costs more than everything else a key does."""
        if not self.is_screen_installed("detail"):
            self.install_screen(LeadDetailScreen(), "detail")
            self.settle_memory()
        detail = self.get_screen("detail", LeadDetailScreen)
        detail.show_lead(lead_id)
        self.push_screen(detail)

    # --- the one error route ------------------------------------------------------------------

    def report(self, error: BaseException | None) -> None:
        """Show what went wrong: a deactivated colleague gets the locked screen, a busy database a
        warning, every other error of ours a German toast, and a bug a toast too (never silence)."""
        if isinstance(error, Deactivated):
            self.lock_out(str(error))
        elif isinstance(error, Busy):
            toast(self, str(error), title="Datenbank beschäftigt", severity="warning", timeout=6)
        elif isinstance(error, LeadtuiError):
            toast(self, str(error), title="Nicht möglich", severity="error", timeout=8)
        else:
            log.error("unexpected error in a database call", error=error)
            detail = f"{type(error).__name__}: {error}" if error else "unbekannt"
            toast(self, "Unerwarteter Fehler – nichts geändert. ", detail, title="Fehler", severity="error", timeout=12)

    def lock_out(self, message: str) -> None:
        """Stop showing data: the locked screen covers everything until quit."""
        if not any(isinstance(screen, LockedScreen) for screen in self.screen_stack):
            self.push_screen(LockedScreen(message))

    # --- quitting ------------------------------------------------------------------------------

    def action_help_quit(self) -> None:
        """ctrl+c: say in German how to quit (Textual says it in English)."""
        self.notify("Beenden mit q – ctrl+c kopiert markierten Text.", title="leadtui beenden?")

    def action_ask_quit(self) -> None:
        """`q` (or ctrl+q, also in a form): quit at once - or after a yes while something would
        be lost: text typed into a form, or leads marked (work not yet done)."""
        if isinstance(self.screen, Confirm):
            return  # already asking
        marked = sum(len(table.marked) for screen in self.screen_stack for table in screen.query(LeadTable))
        typed = any(isinstance(screen, LeadtuiScreen) and screen.typed() for screen in self.screen_stack)
        if typed:
            self._asking_quit(line("Das Eingegebene geht verloren. ", ("Trotzdem beenden?", "bold")))
        elif marked:
            self._asking_quit(line(f"{marked} Leads sind markiert. ", ("Trotzdem beenden?", "bold")))
        else:
            self._quit()

    @flow
    async def _asking_quit(self, question_text: Text) -> None:
        if await opened(self, Confirm(question_text)):
            self._quit()

    async def action_quit(self) -> None:
        self._quit()

    def _quit(self) -> None:
        """Quit, and let no key typed after `q` act any more (it would act during shutdown)."""
        self.closing = True
        self.exit()

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        if self.closing:
            return False
        return await super().run_action(action, default_namespace, namespaces)

    # --- help and command palette --------------------------------------------------------------

    def action_toggle_help(self) -> None:
        """`?` or F1: the keys of this view, or close them."""
        if isinstance(self.screen, KeyHelp):
            self.screen.dismiss(None)
        else:
            self.push_screen(KeyHelp(self.screen))

    def action_change_theme(self) -> None:
        """The theme picker, asking in German (Textual's asks "Search for themes…")."""
        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder="Farbschema suchen …"))

    def take_screenshot(self) -> None:
        """The view as an SVG file in the working directory, and where it went - in German
        (Textual's screenshot toast is English)."""
        name = f"leadtui_{datetime.now():%Y-%m-%d_%H-%M-%S}.svg"
        try:
            path = self.save_screenshot(name)
        except OSError as error:
            toast(self, "Nicht gespeichert: ", str(error), title="Bildschirmfoto", severity="error")
            return
        toast(self, "Gespeichert: ", path, title="Bildschirmfoto")

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder="Befehl suchen …", id=PALETTE_ID))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action the current screen offers right now, then the app's own commands - in
        German, in place of Textual's English ones."""
        seen = {"ask_quit", "quit", "toggle_help", "command_palette"}  # said below
        for key in offered_keys(screen):
            binding = key.binding
            if binding.action in seen or is_movement(binding.action):
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.description,
                f"{binding.tooltip} · Taste: {key.keys}" if binding.tooltip else f"Taste: {key.keys}",
                partial(self.run_action, binding.action, key.node),
            )
        yield SystemCommand("Tasten anzeigen", "Die Tasten dieser Ansicht und was sie tun", self.action_toggle_help)
        yield SystemCommand("Farbschema", "Das Farbschema der Oberfläche wechseln", self.action_change_theme)
        yield SystemCommand(
            "Bildschirmfoto",
            "Die aktuelle Ansicht als SVG-Datei speichern",
            lambda: self.timers.after(self, 0.1, self.take_screenshot),  # once the palette is gone
        )
        yield SystemCommand("Beenden", "leadtui beenden", self.action_ask_quit)
