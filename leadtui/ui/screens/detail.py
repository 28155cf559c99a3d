"""Lead detail: the Kollege tile first, then the lead's fields, its way between companies and
the own company's assignment history. A lead only offered to us shows accept/decline instead.

Everything is read and written in workers: the screen shows "Lädt …" until the lead arrives, and
the tile says "wird gespeichert" until the change is made.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Button, Header, OptionList, Static
from textual.widgets.option_list import Option

from leadtui.domain import (
    Assignment,
    AssignmentReason,
    Colleague,
    Conflict,
    Decline,
    HistoryEntry,
    JournalEntry,
    JournalKind,
    LeadDetail,
    Partner,
    ShareInfo,
    Workload,
)
from leadtui.domain.dates import format_moment
from leadtui.domain.values import UNKNOWN
from leadtui.ui import offering
from leadtui.ui.safe import data, line, plain, toast
from leadtui.ui.screens.base import LeadtuiScreen
from leadtui.ui.screens.copy_contact import COPY_KEY, copy_contact
from leadtui.ui.screens.dialogs import Confirm, DeclineDialog, PassOn
from leadtui.ui.screens.journal_dialogs import NewTask, NoteDialog, TaskDialog
from leadtui.ui.screens.new_lead import NewLeadScreen
from leadtui.ui.undo import UNDO_HINT, OffersUndo
from leadtui.ui.widgets.colleague_picker import ColleaguePicker
from leadtui.ui.widgets.colleague_tile import ColleagueTile
from leadtui.ui.widgets.fitting_footer import FittingFooter
from leadtui.ui.widgets.keyed_lists import KeyedOptionList
from leadtui.ui.widgets.lead_parts import LOADING, MOMENT, LeadFields, LeadShares, LeadTitle, OfferBanner
from leadtui.ui.work import WRITE, DataChanged, flow, opened

JOURNAL_PAGE = 12  # journal entries shown at first; enter on "ältere" shows the next ones
OLDER = "older"


def history_entry(entry: HistoryEntry) -> Text:
    """One change of the company's assignment, as a person would say it."""
    if entry.to_name is None:
        change = line("Zuweisung an ", (entry.from_name or "niemanden", "bold"), " entfernt")
    elif entry.from_name is None:
        change = line((entry.to_name, "bold"), " zugewiesen")
    else:
        change = line(entry.from_name, " → ", (entry.to_name, "bold"))
    reason = "" if entry.reason is AssignmentReason.MANUAL else f" · {entry.reason.label if entry.reason else UNKNOWN}"
    why = line((f"  · von {entry.by_name}{reason}", "dim"))
    return Text.assemble(line((f"{format_moment(entry.at, MOMENT)}  ", "dim")), change, why)


def journal_entry_text(entry: JournalEntry, today: date) -> Text:
    """One journal line: when, who (a company's name for the other company's entries), what."""
    head = line((f"{format_moment(entry.at, MOMENT)}  ", "dim"), (entry.author, "bold" if entry.own else "italic"))
    if entry.kind is JournalKind.TASK:
        box = "☑" if entry.done else "☐"
        due = f" · fällig {format_moment(entry.due)}" if entry.due else ""
        style = "dim strike" if entry.done else ("bold red" if entry.overdue(today) else "")
        body = line(f"{box} Aufgabe: ", (entry.text, style), (due, "red" if entry.overdue(today) else "dim"))
        if entry.done and entry.done_by:
            body.append_text(line((f" · erledigt von {entry.done_by}", "dim")))
    elif entry.kind is JournalKind.EVENT:
        body = line(("✎ ", "dim"), (entry.text, "dim"))
    else:
        body = Text("\n").join(data(part) for part in entry.text.split("\n"))
    return Text.assemble(head, "\n", body)


def _history(lead: LeadDetail) -> Text:
    if not lead.history:
        return line(("Noch keine Zuweisungen.", "dim"))
    return Text("\n").join(history_entry(entry) for entry in lead.history)


NOT_FROM_A_LIST = "Nur in einem Lead, der aus einer Liste geöffnet wurde."


class LeadDetailScreen(OffersUndo, LeadtuiScreen[None]):
    BINDINGS = [
        Binding(
            "k",
            "edit",
            "Kollege bearbeiten",
            tooltip="Den zuständigen Kollegen wählen oder entfernen",
            id="edit-colleague",
        ),
        Binding(
            "delete",
            "remove",
            "Zuweisung entfernen",
            tooltip="Den Lead niemandem zuweisen",
            priority=True,
            id="remove-colleague",
        ),
        Binding(
            "escape",
            "cancel_edit",
            "Abbrechen",
            tooltip="Die Kollegenwahl schließen, ohne zu ändern",
            priority=True,
            id="cancel-edit",
        ),
        Binding("escape", "back", "Zurück", tooltip="Zurück zur Liste", id="back"),
        Binding("e", "edit_lead", "Bearbeiten", tooltip="Daten und Status des Leads ändern", id="edit-lead"),
        Binding("n", "add_note", "Notiz", tooltip="Eine Notiz ins Journal schreiben", id="add-note"),
        Binding("t", "add_task", "Aufgabe", tooltip="Eine Aufgabe mit Fälligkeit anlegen", id="add-task"),
        Binding("x", "toggle_task", "Erledigt", tooltip="Die nächste offene Aufgabe abhaken", id="toggle-task"),
        Binding(
            "w", "pass_on", "Weitergeben", tooltip="Als Leadangebot an einen Vertriebspartner weitergeben", id="pass-on"
        ),
        Binding("z", "withdraw", "Angebot zurückziehen", tooltip="Ein offenes Leadangebot zurückziehen", id="withdraw"),
        Binding("a", "accept", "Annehmen", tooltip="Das Leadangebot annehmen (es wird Ihnen zugewiesen)", id="accept"),
        Binding("d", "decline", "Ablehnen", tooltip="Das Leadangebot mit Begründung ablehnen", id="decline"),
        Binding("r", "reload", "Neu laden", tooltip="Den Lead neu lesen", show=False),
        Binding("u", "undo", "Rückgängig", tooltip="Die eigene letzte Änderung zurücknehmen", id="undo"),
        # As in the lists (after `a` accept: an offer not ours yet is accepted, a lead ours assigned).
        Binding("a", "edit", "Zuweisen", tooltip="Einem Kollegen Ihrer Firma zuweisen", show=False, id="assign"),
        Binding("i", "assign_me", "Mir zuweisen", tooltip="Den Lead sich selbst zuweisen", show=False, id="assign-me"),
        COPY_KEY,
        # The list's next and previous lead, without going back (vim's and mutt's J/K, or ]/[).
        Binding(
            "J,right_square_bracket",
            "step(1)",
            "Nächster Lead",
            tooltip="Den nächsten Lead der Liste öffnen",
            show=False,
            id="next-lead",
        ),
        Binding(
            "K,left_square_bracket",
            "step(-1)",
            "Voriger Lead",
            tooltip="Den vorigen Lead der Liste öffnen",
            show=False,
            id="previous-lead",
        ),
        # The detail scrolls with the lists' keys - but `k`, which opens the Kollege tile here.
        Binding("j,down", "scroll_by(1)", "Runter", show=False),
        Binding("up", "scroll_by(-1)", "Hoch", show=False),
        Binding("ctrl+d,pagedown", "scroll_by(0.5)", "Halbe Seite runter", show=False),
        Binding("ctrl+u,pageup", "scroll_by(-0.5)", "Halbe Seite hoch", show=False),
        Binding("g,home", "scroll_to_end(False)", "Anfang", show=False),
        Binding("G,end", "scroll_to_end(True)", "Ende", show=False),
    ]

    FOOTER_LEAVE_OUT = ("reload", "pass_on", "toggle_task", "add_task", "add_note", "edit_lead", "undo", "back")

    lead: reactive[LeadDetail | None] = reactive(None, bindings=True, init=False, always_update=True)
    editing: reactive[bool] = reactive(False, bindings=True)

    def __init__(self) -> None:
        super().__init__()
        self.lead_id = 0
        self._shown_id: int | None = None
        self.journal_shown = JOURNAL_PAGE

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail"):
            yield OfferBanner(id="offer-banner").data_bind(LeadDetailScreen.lead)
            with Horizontal(id="offer-buttons"):
                yield Button("Annehmen (a)", id="accept", variant="success", action="screen.accept")
                yield Button("Ablehnen (d)", id="decline", variant="error", action="screen.decline")
            yield LeadTitle(id="lead-title").data_bind(LeadDetailScreen.lead)
            yield LeadFields(id="fields").data_bind(LeadDetailScreen.lead)
            yield LeadShares(id="shares").data_bind(LeadDetailScreen.lead)
            yield Static("Journal (n Notiz · t Aufgabe · x erledigt)", classes="section", id="journal-title")
            yield KeyedOptionList(id="journal")
            yield Button("Weitergeben … (w)", id="pass-on", action="screen.pass_on")
            yield Static("Zuweisungsverlauf (nur in Ihrer Firma sichtbar)", classes="section")
            yield Static(id="history")
        yield FittingFooter()

    def show_lead(self, lead_id: int) -> None:
        """Load a lead; until it arrives the screen says so and shows nothing of another."""
        self.lead_id = lead_id
        self.lead = None
        self.journal_shown = JOURNAL_PAGE
        self.load()

    def load(self) -> None:
        lead_id = self.lead_id
        self.database(lambda: self.repository.lead(lead_id), self._loaded, group="detail", exclusive=True)

    @on(DataChanged)
    def _data_changed(self) -> None:
        """A colleague changed something: show the lead as it is now. An open picker keeps the
        version it started from, so saving over the change is refused as a conflict."""
        if self.lead is not None:
            self.load()

    def _loaded(self, lead: LeadDetail) -> None:
        if lead.id == self.lead_id:
            self.lead = lead

    def watch_lead(self, lead: LeadDetail | None) -> None:
        if not self.is_mounted:
            return
        visible = lead is not None and lead.visible
        tiles = self.query(ColleagueTile)
        if lead is not None and visible and lead.assignment is not None:
            if tiles:
                tiles.first().show(lead.assignment)
                tiles.first().display = True
            else:
                self.query_one("#detail").mount(ColleagueTile(lead.assignment, id="tile"), before=0)
        elif tiles:
            # loading, or an offer: no assignment of ours to show (hidden, not removed: building
            # the tile anew for every lead would cost each opening a restyle)
            tiles.first().display = False
        self.query_one("#offer-buttons").display = lead is not None and not visible
        self.query_one("#pass-on").display = visible and bool(self.app.partners)
        self._show_journal(lead)
        self.query_one("#history", Static).update(_history(lead) if lead else "")
        self.query_one("#history").display = visible
        self.query(".section").set(display=visible)
        self.query_one("#journal").display = visible
        self.sub_title = plain(lead.title) if lead else LOADING
        if lead is None or lead.id != self._shown_id:  # a new lead, not a refresh of this one
            self._shown_id = lead.id if lead else None
            self.query_one("#detail", VerticalScroll).scroll_home(animate=False)
            if visible:
                self.call_after_refresh(self._focus_tile)

    def _show_journal(self, lead: LeadDetail | None) -> None:
        """The journal, newest first, a page at a time (a long one would hold up the screen);
        the highlight stays on its entry across refreshes."""
        journal = self.query_one("#journal", OptionList)
        entries = lead.journal if lead and lead.visible else ()
        highlighted = journal.highlighted_option.id if journal.highlighted_option else None
        journal.clear_options()
        if not entries:
            journal.add_option(Option(line(("Noch keine Einträge.", "dim")), disabled=True))
            return
        today = self.repository.today()
        shown = entries[: self.journal_shown]
        journal.add_options(Option(journal_entry_text(entry, today), id=str(entry.id)) for entry in shown)
        older = len(entries) - len(shown)
        if older:
            journal.add_option(Option(line((f"… {older} ältere Einträge anzeigen (Enter)", "italic")), id=OLDER))
        ids = [str(entry.id) for entry in shown]
        if highlighted in ids:
            journal.highlighted = ids.index(highlighted)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Tab into the journal brings it up whole, not just its first line at the bottom."""
        if event.widget.id == "journal":
            self.query_one("#detail", VerticalScroll).scroll_to_widget(event.widget, top=True, animate=False)

    @on(OptionList.OptionSelected, "#journal")
    def _journal_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_id == OLDER:
            self.journal_shown += JOURNAL_PAGE
            self._show_journal(self.lead)
            self.query_one("#journal", OptionList).highlighted = self.journal_shown - JOURNAL_PAGE

    def _focus_tile(self) -> None:
        if self.tile is not None and not self.tile.editing:
            self.tile.focus()

    @property
    def tile(self) -> ColleagueTile | None:
        tiles = self.query(ColleagueTile)
        return tiles.first() if tiles and tiles.first().display else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        visible = self.lead is not None and self.lead.visible
        if action == "edit":
            return visible and not self.editing
        if action in ("remove", "cancel_edit"):
            return self.editing
        if action == "back":
            return not self.editing
        if action == "pass_on":
            return visible and not self.editing and bool(self.app.partners)
        if action == "withdraw":
            return visible and not self.editing and bool(offering.pending(self.lead.shares if self.lead else ()))
        if action in ("accept", "decline"):
            return self.lead is not None and not self.lead.visible
        if action in ("edit_lead", "add_note", "add_task", "toggle_task", "assign_me"):
            return visible and not self.editing
        if action in ("step", "copy_contact"):
            return not self.editing
        if action == "undo":
            return self.can_undo and not self.editing
        return True

    # --- the Kollege tile -------------------------------------------------------------------

    def action_edit(self) -> None:
        if self.tile is None or self.editing:
            return
        self.database(self.repository.workload, self._start_edit, group="colleagues", exclusive=True)

    def _start_edit(self, workloads: list[Workload]) -> None:
        if self.tile is not None and not self.editing:
            self.tile.start_edit(workloads, self.repository.me.id)
            self.editing = True

    @on(ColleagueTile.EditRequested)
    def _edit_requested(self) -> None:
        self.action_edit()

    def action_cancel_edit(self) -> None:
        if self.tile is not None and self.editing:
            self.tile.stop_edit()
            self.editing = False

    @on(ColleagueTile.CancelRequested)
    def _cancel_requested(self) -> None:
        self.action_cancel_edit()

    def action_remove(self) -> None:
        self._save(None)

    @on(ColleagueTile.RemoveRequested)
    def _remove_requested(self) -> None:
        self.action_remove()

    @on(ColleaguePicker.Picked)
    def _picked(self, event: ColleaguePicker.Picked) -> None:
        event.stop()
        self._save(event.colleague)

    @flow
    async def _save(self, colleague: Colleague | None) -> None:
        """The tile's choice, saved against the version the tile showed: a colleague's change
        meanwhile is shown instead, with what it is now."""
        tile = self.tile
        if tile is None:
            return
        before = tile.edited if self.editing else tile.assignment
        lead_id, expected = self.lead_id, before.version
        before_id = before.assignee.id if before.assignee else None
        tile.stop_edit()
        self.editing = False
        tile.saving = True
        target = colleague.id if colleague else None
        try:
            assignment = await self.awaited(
                lambda: self.repository.assign(lead_id, target, expected), write=True, lead=lead_id
            )
        except Conflict as error:
            tile.show(error.current)
            toast(self.app, str(error), title="Nicht gespeichert", severity="warning", timeout=8)
            self.load()
            return
        finally:
            tile.saving = False
        tile.show(assignment)
        if assignment.version != expected:
            self.offer_undo(
                lambda: self.repository.undo_assignments({lead_id: (assignment.version, before_id)}),
                f"Zuweisung von „{self.lead.title if self.lead else lead_id}“",
            )
        if colleague is None:
            toast(self.app, "Zuweisung entfernt.", UNDO_HINT, title="Kollege")
        else:
            toast(self.app, "Zugewiesen: ", colleague.name, UNDO_HINT, title="Kollege")
        self.load()

    # --- editing the lead and its journal -----------------------------------------------------

    def action_edit_lead(self) -> None:
        lead = self.lead
        if lead is None or not lead.visible:
            return

        def edited(saved: LeadDetail | None) -> None:
            if saved is not None:
                toast(self.app, "Gespeichert: ", saved.title, title="Lead")
                self.lead = saved
            else:
                self.load()  # cancelled, or refused as stale: show the lead as it is now

        self.app.push_screen(NewLeadScreen(editing=lead), edited)

    def _journal_write(self, call: Callable[[], object], done_text: str) -> None:
        lead_id = self.lead_id

        def written(_: object) -> None:
            toast(self.app, done_text, title="Journal")
            self.load()

        self.database(call, written, group=WRITE, lead=lead_id)

    def action_add_note(self) -> None:
        lead_id = self.lead_id

        def written(text: str | None) -> None:
            if text:
                self._journal_write(lambda: self.repository.add_note(lead_id, text), "Notiz gespeichert.")

        self.app.push_screen(NoteDialog(), written)

    def action_add_task(self) -> None:
        lead_id = self.lead_id

        def written(task: NewTask | None) -> None:
            if task is not None:
                self._journal_write(
                    lambda: self.repository.add_task(lead_id, task.title, task.due), "Aufgabe angelegt."
                )

        self.app.push_screen(TaskDialog(self.repository.today()), written)

    def action_toggle_task(self) -> None:
        """Tick the highlighted task done (or open again); without one, the open task due first
        (the most overdue; tasks without a due date after those with one)."""
        lead = self.lead
        if lead is None:
            return
        journal = self.query_one("#journal", OptionList)
        chosen = journal.highlighted_option.id if journal.highlighted_option and journal.has_focus else None
        tasks = [e for e in lead.journal if e.kind is JournalKind.TASK]
        open_tasks = sorted((e for e in tasks if not e.done), key=lambda e: (e.due is None, e.due or date.max))
        task = next((e for e in tasks if str(e.id) == chosen), None) or next(iter(open_tasks), None)
        if task is None:
            toast(self.app, "Keine offene Aufgabe – mit t legen Sie eine an.", title="Journal")
            return
        done = not task.done
        self._journal_write(
            lambda: self.repository.complete_task(task.id, done),
            "Aufgabe erledigt." if done else "Aufgabe wieder offen.",
        )

    # --- back, offers, passing on --------------------------------------------------------------

    def after_undo(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.load()

    @flow
    async def action_assign_me(self) -> None:
        """`i` as in the lists: the lead to me - asking first if a colleague has it."""
        lead, me = self.lead, self.repository.me
        if lead is None or lead.assignment is None:
            return
        holder = lead.assignment.assignee
        if holder is not None and holder.id == me.id:
            toast(self.app, "„", lead.title, "“ ist Ihnen schon zugewiesen.", title="Kollege")
            return
        if holder is not None:
            asked = Confirm(line("„", (lead.title, "bold"), "“ hat ", (holder.display_name, "bold"), ". Übernehmen?"))
            if not await opened(self.leadtui_app, asked):
                return
        self._save(me)

    @flow
    async def action_copy_contact(self) -> None:
        """`y`: the lead's e-mail or phone to the clipboard (asking which when it has both)."""
        if self.lead is not None:
            await copy_contact(self, self.lead)

    def action_scroll_by(self, amount: float) -> None:
        """A line (a whole number) or part of a page (a fraction) down, or up if negative."""
        detail = self.query_one("#detail", VerticalScroll)
        lines = amount if isinstance(amount, int) else round(amount * detail.scrollable_content_region.height)
        detail.scroll_relative(y=lines, animate=False)

    def action_scroll_to_end(self, bottom: bool) -> None:
        detail = self.query_one("#detail", VerticalScroll)
        detail.scroll_end(animate=False) if bottom else detail.scroll_home(animate=False)

    def action_step(self, step: int) -> None:
        """The next (1) or previous (-1) lead of the list this detail was opened from; that list's
        cursor follows, so going back lands on the lead shown last."""
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        stepper = getattr(below, "step_from", None)
        found = stepper(self.lead_id, step) if stepper is not None else NOT_FROM_A_LIST
        if isinstance(found, int):
            self.show_lead(found)
        else:
            toast(self.app, found, title="Nächster Lead" if step > 0 else "Voriger Lead")

    def action_accept(self) -> None:
        if self.lead is None or self.lead.pending_offer_id is None:
            return
        share_id, title = self.lead.pending_offer_id, self.lead.title

        def accepted(_: Assignment) -> None:
            self.offer_undo(lambda: self.repository.reopen_offers((share_id,)), f"Annahme von „{title}“")
            toast(self.app, "Leadangebot angenommen – der Lead ist Ihnen zugewiesen.", UNDO_HINT, title="Leadangebot")
            self.load()

        self.database(lambda: self.repository.accept_offer(share_id), accepted, group=WRITE, lead=self.lead_id)

    def action_decline(self) -> None:
        if self.lead is None or self.lead.pending_offer_id is None:
            return
        question = line("Leadangebot „", (self.lead.title, "bold"), "“ ablehnen – warum?")
        self._declining(self.lead.pending_offer_id, self.lead.title, opened(self.leadtui_app, DeclineDialog(question)))

    @flow
    async def _declining(self, share_id: int, title: str, chosen: Awaitable[Decline | None]) -> None:
        """Decline with the reason chosen (rule 23), then back to the list the offer was in."""
        decline = await chosen
        if decline is None:
            return
        await self.awaited(lambda: self.repository.decline_offer(share_id, decline), write=True, lead=self.lead_id)
        toast(self.app, f"Leadangebot abgelehnt ({decline.label}): ", title, title="Leadangebot")
        if self.is_current:
            self.app.pop_screen()

    def _partners_left(self) -> list[Partner]:
        """Partners this lead is not already offered to or worked by (a declined or withdrawn
        offer may be made again)."""
        taken = {
            share.partner_id
            for share in (self.lead.shares if self.lead else ())
            if share.outgoing and not (share.status and share.status.open_again)
        }
        return [partner for partner in self.app.partners if partner.id not in taken]

    def action_pass_on(self) -> None:
        lead = self.lead
        partners = self._partners_left()
        if lead is None:
            return
        if not partners:
            toast(self.app, "Dieser Lead ist schon an alle Ihre Vertriebspartner weitergegeben.", title="Weitergeben")
            return
        self._passing_on(lead.id, lead.title, opened(self.leadtui_app, PassOn(partners)))

    @flow
    async def _passing_on(self, lead_id: int, title: str, chosen: Awaitable[tuple[Partner, ...] | None]) -> None:
        if await offering.pass_on(self, [(lead_id, title)], chosen):
            self.load()

    def action_withdraw(self) -> None:
        """Withdraw this lead's offers that its partners have not decided yet (rule 22)."""
        if self.lead is not None:
            self._withdrawing(self.lead.title, offering.pending(self.lead.shares))

    @flow
    async def _withdrawing(self, title: str, offers: list[ShareInfo]) -> None:
        if await offering.withdraw(self, title, offers):
            self.load()
