"""The lead form, to create a lead or edit one: title required, every field checked, messages
under the fields. Editing offers only what the own company may change (rule 12): a partner's
form has the origin fields read-only."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from leadtui.domain import (
    Colleague,
    EditConflict,
    InvalidInput,
    LeadDetail,
    LeadStatus,
    LeadtuiError,
    NewLead,
    format_euro,
    parse_euro,
)
from leadtui.ui.discard import discard
from leadtui.ui.safe import Part, data, line, plain, toast
from leadtui.ui.screens.base import LeadtuiModal
from leadtui.ui.screens.dialogs import NOBODY, Choice
from leadtui.ui.widgets.text_input import TextInput
from leadtui.ui.work import WRITE, flow

FIELDS = (
    ("title", "Titel *", "z. B. PV-Anlage 12 kWp"),
    ("prospect", "Firma", "Interessent"),
    ("contact", "Ansprechpartner", ""),
    ("email", "E-Mail", "name@firma.de"),
    ("phone", "Telefon", ""),
    ("city", "Ort", ""),
    ("value", "Wert (€)", "z. B. 12.500"),
    ("source", "Quelle", ""),
)


def created_for(lead: LeadDetail, me: int) -> tuple[Part, ...]:
    """How the toast after creating says whom the new lead went to (the title follows)."""
    assignee = lead.assignment.assignee if lead.assignment else None
    if assignee is None:
        return ("Lead angelegt, niemandem zugewiesen: ",)
    if assignee.id == me:
        return ("Lead angelegt und Ihnen zugewiesen: ",)
    return ("Lead angelegt und ", (assignee.name, "bold"), " zugewiesen: ")


class NewLeadScreen(LeadtuiModal[LeadDetail | None]):
    """Returns the created (or edited) lead, or None when cancelled. A new lead is assigned to
    its creator (rule 5) unless the Kollege field names a colleague, or nobody."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Speichern", tooltip="Speichern und schließen", priority=True),
        Binding("escape", "discard", "Abbrechen", tooltip="Schließen (fragt, wenn etwas eingegeben ist)"),
    ]

    def __init__(self, editing: LeadDetail | None = None) -> None:
        """`editing`: the lead as it was opened (its version guards the edit)."""
        super().__init__()
        self.editing = editing

    def compose(self) -> ComposeResult:
        editing = self.editing
        with VerticalScroll(classes="dialog form"):
            yield Label("Lead bearbeiten" if editing else "Neuer Lead", classes="dialog-title")
            for key, label, placeholder in FIELDS:
                if editing and key == "source":
                    continue  # where a lead came from is history, not data to edit
                with Horizontal(classes="field"):
                    yield Label(line(label), classes="field-label")
                    yield TextInput(
                        value=self._start_value(key),
                        placeholder=placeholder,
                        id=f"f-{key}",
                        compact=True,
                        disabled=editing is not None and key not in editing.editable,
                    )
                yield Static("", id=f"e-{key}", classes="field-error")
            with Horizontal(classes="field"):
                yield Label("Status", classes="field-label")
                yield Select(
                    [(status.value, status) for status in LeadStatus],
                    value=editing.status if editing else LeadStatus.NEW,
                    allow_blank=False,
                    id="f-status",
                    compact=True,
                )
            if editing is None:
                with Horizontal(classes="field"):
                    yield Label("Kollege", classes="field-label")
                    me = self.repository.me
                    yield Select[Choice](
                        [(plain(me.name), me)], value=me, allow_blank=False, id="f-colleague", compact=True
                    )
            elif not editing.owned:
                yield Label(
                    line(("Titel, Firma, Ort und Wert ändert die Firma, der der Lead gehört.", "dim")),
                    classes="hint",
                )
            with Horizontal(classes="buttons"):
                yield Button("Speichern (Strg+S)", variant="primary", id="save", action="screen.save")
                yield Button("Abbrechen (Esc)", id="cancel", action="screen.discard")

    @flow
    async def action_discard(self) -> None:
        await discard(self, self.typed())

    def typed(self) -> bool:
        """Whether anything differs from how the form opened."""
        changed = any(
            field.value != self._start_value(field.id.removeprefix("f-"))
            for field in self.query(Input)
            if field.id and not field.disabled
        )
        status = self.query_one("#f-status", Select).value
        return changed or status != (self.editing.status if self.editing else LeadStatus.NEW)

    def _start_value(self, key: str) -> str:
        if self.editing is None:
            return "manuell" if key == "source" else ""
        if key == "value":
            return format_euro(self.editing.value).replace(" €", "") if self.editing.value is not None else ""
        return str(getattr(self.editing, key))

    def on_mount(self) -> None:
        first = next(i for i in self.query(Input) if not i.disabled) if self.query(Input) else None
        if first is not None:
            first.focus()
        else:
            self.query_one("#f-status", Select).focus()
        if self.editing is None:
            self.database(self.repository.colleagues, self._colleagues_loaded, group="colleagues")

    def _colleagues_loaded(self, colleagues: list[Colleague]) -> None:
        """Everyone the lead can be created for: the creator first, then the active colleagues."""
        me = self.repository.me
        others = sorted((c for c in colleagues if c.active and c.id != me.id), key=lambda c: c.name.casefold())
        choices: list[tuple[str, Choice]] = [(plain(c.name), c) for c in (me, *others)]
        select: Select[Choice] = self.query_one("#f-colleague", Select)
        chosen = select.value
        select.set_options([*choices, ("niemand (nicht zugewiesen)", NOBODY)])
        select.value = chosen if isinstance(chosen, Colleague) and chosen in [c for _, c in choices] else me

    def _value(self, key: str) -> str:
        if self.editing is not None and key == "source":
            return self.editing.source
        return self.query_one(f"#f-{key}", Input).value

    def _show_errors(self, errors: dict[str, str]) -> None:
        for key, _, _ in FIELDS:
            if self.editing is not None and key == "source":
                continue
            message = errors.get(key, "")
            error = self.query_one(f"#e-{key}", Static)
            error.update(data(message))
            error.display = bool(message)
            self.query_one(f"#f-{key}", Input).set_class(bool(message), "-invalid")
        shown = [key for key, _, _ in FIELDS if key in errors and self.query(f"#f-{key}")]
        if shown:
            self.query_one(f"#f-{shown[0]}", Input).focus()

    def action_save(self) -> None:
        errors: dict[str, str] = {}
        value = None
        if self._value("value").strip():
            try:
                value = parse_euro(self._value("value"))
            except ValueError as invalid:
                errors["value"] = str(invalid)
        status = self.query_one("#f-status", Select).value
        new = NewLead(
            title=self._value("title"),
            prospect=self._value("prospect"),
            contact=self._value("contact"),
            email=self._value("email"),
            phone=self._value("phone"),
            city=self._value("city"),
            status=status if isinstance(status, LeadStatus) else LeadStatus.NEW,
            value=value,
            source=self._value("source"),
        )
        try:
            new = new.checked()
        except InvalidInput as invalid:
            errors = {**invalid.errors, **errors}
        if errors:
            self._show_errors(errors)
            return
        if self.editing is not None:
            self._save_edit(new, self.editing)
            return
        chosen = self.query_one("#f-colleague", Select).value
        unassigned = chosen is NOBODY
        for_colleague = chosen.id if isinstance(chosen, Colleague) else None
        self.database(
            lambda: self.repository.create_lead(new, for_colleague=for_colleague, unassigned=unassigned),
            self._created,
            group=WRITE,
            failed=self._refused,
        )

    def _save_edit(self, edited: NewLead, lead: LeadDetail) -> None:
        """Save against the version the form was opened with; a conflict names what changed."""
        seen = NewLead.of(lead)

        def save() -> LeadDetail:
            self.repository.edit_lead(lead.id, edited, lead.version, seen)
            return self.repository.lead(lead.id)

        self.database(save, self._created, group=WRITE, failed=self._refused, lead=lead.id)

    def _created(self, lead: LeadDetail) -> None:
        self.dismiss(lead)

    def _refused(self, error: LeadtuiError) -> bool:
        if isinstance(error, InvalidInput):
            self._show_errors(error.errors)
            return True
        if isinstance(error, EditConflict):
            toast(self.app, str(error), title="Nicht gespeichert", severity="warning", timeout=10)
            self.dismiss(None)
            return True
        return False

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()
