"""The inbox: my notifications, newest first, a window at a time; and which kinds I want.

enter opens the lead (and marks the notification read), m marks read or unread, M all read, e
the preferences. A digest of many assigned leads opens "Meine Leads", of many new offers "Leadangebote".
"""

from __future__ import annotations

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Label, OptionList, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from leadtui.domain import Notification, NotificationKind
from leadtui.domain.dates import format_moment
from leadtui.ui.safe import data, line, toast
from leadtui.ui.screens.base import LeadtuiModal, LeadtuiScreen
from leadtui.ui.widgets.fitting_footer import FittingFooter
from leadtui.ui.widgets.keyed_lists import KeyedOptionList
from leadtui.ui.work import WRITE, DataChanged

WINDOW = 60  # notifications read at a time; the next window when the cursor nears the end


def notification_text(notification: Notification) -> Text:
    """● for unread, when, and what happened - wrapped, so a long one reads whole."""
    unread = not notification.read
    text = line(("● " if unread else "  ", "bold"), (f"{format_moment(notification.at, '%d.%m. %H:%M')}  ", "dim"))
    text.append_text(data(notification.text, "bold" if unread else ""))
    return text


def option(notification: Notification) -> Option:
    return Option(notification_text(notification), id=str(notification.id))


class InboxScreen(LeadtuiScreen[None]):
    BINDINGS = [
        Binding(
            "enter",
            "open",
            "Öffnen",
            tooltip="Den Lead der Benachrichtigung öffnen",
            priority=True,
            id="open-notification",
        ),
        Binding(
            "m", "toggle_read", "Gelesen/ungelesen", tooltip="Als gelesen oder ungelesen markieren", id="toggle-read"
        ),
        Binding(
            "M", "all_read", "Alle gelesen", tooltip="Alle Benachrichtigungen als gelesen markieren", id="all-read"
        ),
        Binding(
            "e", "preferences", "Einstellungen", tooltip="Wählen, worüber Sie benachrichtigt werden", id="preferences"
        ),
        Binding("escape", "back", "Zurück", tooltip="Zurück zur Liste", id="back"),
    ]
    FOOTER_LEAVE_OUT = ("preferences", "all_read")

    notices = getters.query_one("#inbox", OptionList)

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Notification] = []
        self.complete = False  # every notification is loaded
        self.loading = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="inbox-title")
        yield KeyedOptionList(id="inbox")
        yield Static(id="inbox-empty")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.notices.focus()
        self.reload()

    def reload(self) -> None:
        """The windows shown so far again (after a change): the cursor stays on its notification."""
        wanted = max(WINDOW, len(self.items))
        self.database(
            lambda: (self.repository.unread_count(), self.repository.notifications(0, wanted)),
            lambda result: self._loaded(result, wanted),
            group="inbox",
            exclusive=True,
        )

    def _loaded(self, result: tuple[int, list[Notification]], wanted: int) -> None:
        unread, items = result
        current = self._current()
        self.items = items
        self.complete = len(items) < wanted
        self.notices.clear_options()
        self.notices.add_options(option(item) for item in items)
        self._show_counts(unread)
        ids = [item.id for item in items]
        if ids:
            self.notices.highlighted = ids.index(current.id) if current is not None and current.id in ids else 0

    def _show_counts(self, unread: int) -> None:
        self.query_one("#inbox-title", Static).update(
            line(("Benachrichtigungen", "bold"), f" · {unread} ungelesen" if unread else " · alle gelesen")
        )
        empty = not self.items
        self.query_one("#inbox-empty", Static).update(
            line(("Keine Benachrichtigungen. Hier erscheint, was andere an Ihren Leads tun.", "dim italic"))
        )
        self.query_one("#inbox-empty").display = empty
        self.notices.display = not empty
        self.app.show_unread(unread)

    @on(DataChanged)
    def _data_changed(self) -> None:
        self.reload()

    @on(OptionList.OptionHighlighted, "#inbox")
    def _near_the_end(self, event: OptionList.OptionHighlighted) -> None:
        """Read the next window before the cursor reaches the last loaded notification."""
        if self.complete or self.loading or event.option_index < len(self.items) - WINDOW // 3:
            return
        self.loading = True
        offset = len(self.items)

        def more(items: list[Notification]) -> None:
            self.loading = False
            self.complete = len(items) < WINDOW
            self.items.extend(items)
            self.notices.add_options(option(item) for item in items)

        self.database(lambda: self.repository.notifications(offset, WINDOW), more, group="inbox-more")

    def _current(self) -> Notification | None:
        row = self.notices.highlighted
        return self.items[row] if row is not None and 0 <= row < len(self.items) else None

    def action_open(self) -> None:
        item = self._current()
        if item is None:
            return
        if not item.read:
            self._mark([item], True)
        self.app.open_notification(item)

    @on(OptionList.OptionSelected, "#inbox")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_toggle_read(self) -> None:
        item = self._current()
        if item is not None:
            self._mark([item], not item.read)

    def _mark(self, items: list[Notification], read: bool) -> None:
        ids = [item.id for item in items]
        self.database(lambda: self.repository.mark_read(ids, read), lambda _: self.reload(), group=WRITE)

    def action_all_read(self) -> None:
        def done(n: int) -> None:
            toast(self.app, f"{n} als gelesen markiert.", title="Benachrichtigungen")
            self.reload()

        self.database(self.repository.mark_all_read, done, group=WRITE)

    def action_preferences(self) -> None:
        def chosen(wanted: dict[NotificationKind, bool] | None) -> None:
            if wanted is not None:
                self.database(
                    lambda: self.repository.save_notification_preferences(wanted),
                    lambda _: toast(self.app, "Einstellungen gespeichert.", title="Benachrichtigungen"),
                    group=WRITE,
                )

        def loaded(current: dict[NotificationKind, bool]) -> None:
            self.app.push_screen(Preferences(current), chosen)

        self.database(self.repository.notification_preferences, loaded, group="preferences")

    def action_back(self) -> None:
        self.app.pop_screen()


class Preferences(LeadtuiModal[dict[NotificationKind, bool] | None]):
    """Which kinds of notification I receive (rule 16): a checkbox each, all on at first."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Abbrechen", tooltip="Ohne Änderung schließen"),
        Binding("enter,ctrl+s", "apply", "Übernehmen", tooltip="Die Auswahl übernehmen", priority=True),
    ]

    def __init__(self, current: dict[NotificationKind, bool]) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="preferences"):
            yield Label("Benachrichtigen bei …", classes="dialog-title")
            yield SelectionList[NotificationKind](
                *(Selection(line(kind.label), kind, self.current.get(kind, True)) for kind in NotificationKind),
                id="kinds",
            )
            yield Label("Leertaste: an/aus · Enter/Strg+S: übernehmen · Esc: abbrechen", classes="hint")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_apply(self) -> None:
        chosen = set(self.query_one(SelectionList).selected)
        self.dismiss({kind: kind in chosen for kind in NotificationKind})
