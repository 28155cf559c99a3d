"""The new-lead form: title required, every field checked, messages under the fields."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from leadtui.domain import Colleague, InvalidInput, LeadDetail, LeadStatus, LeadtuiError, NewLead, parse_euro
from leadtui.ui.safe import data, line, plain
from leadtui.ui.screens.base import LeadtuiModal
from leadtui.ui.screens.dialogs import NOBODY, Choice
from leadtui.ui.widgets.text_input import TextInput
from leadtui.ui.work import WRITE

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


class NewLeadScreen(LeadtuiModal[LeadDetail | None]):
    """Returns the created lead or None when cancelled. The lead is assigned to its creator
    (rule 5) unless the Kollege field names a colleague, or nobody."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Speichern", priority=True),
        Binding("escape", "dismiss(None)", "Abbrechen"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog form"):
            yield Label("Neuer Lead", classes="dialog-title")
            for key, label, placeholder in FIELDS:
                with Horizontal(classes="field"):
                    yield Label(line(label), classes="field-label")
                    yield TextInput(
                        value="manuell" if key == "source" else "",
                        placeholder=placeholder,
                        id=f"f-{key}",
                        compact=True,
                    )
                yield Static("", id=f"e-{key}", classes="field-error")
            with Horizontal(classes="field"):
                yield Label("Status", classes="field-label")
                yield Select(
                    [(status.value, status) for status in LeadStatus],
                    value=LeadStatus.NEW,
                    allow_blank=False,
                    id="f-status",
                    compact=True,
                )
            with Horizontal(classes="field"):
                yield Label("Kollege", classes="field-label")
                me = self.repository.me
                yield Select[Choice](
                    [(plain(me.name), me)], value=me, allow_blank=False, id="f-colleague", compact=True
                )
            with Horizontal(classes="buttons"):
                yield Button("Speichern (Strg+S)", variant="primary", id="save", action="screen.save")
                yield Button("Abbrechen (Esc)", id="cancel", action="screen.dismiss(None)")

    def on_mount(self) -> None:
        self.query_one("#f-title", Input).focus()
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
        return self.query_one(f"#f-{key}", Input).value

    def _show_errors(self, errors: dict[str, str]) -> None:
        for key, _, _ in FIELDS:
            message = errors.get(key, "")
            error = self.query_one(f"#e-{key}", Static)
            error.update(data(message))
            error.display = bool(message)
            self.query_one(f"#f-{key}", Input).set_class(bool(message), "-invalid")
        if errors:
            first = next(key for key, _, _ in FIELDS if key in errors)
            self.query_one(f"#f-{first}", Input).focus()

    def action_save(self) -> None:
        errors: dict[str, str] = {}
        value = None
        if self._value("value").strip():
            try:
                value = parse_euro(self._value("value"))
            except ValueError:
                errors["value"] = "Bitte einen Betrag in Euro eingeben, z. B. 12.500."
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
        chosen = self.query_one("#f-colleague", Select).value
        unassigned = chosen is NOBODY
        for_colleague = chosen.id if isinstance(chosen, Colleague) else None
        self.database(
            lambda: self.repository.create_lead(new, for_colleague=for_colleague, unassigned=unassigned),
            self._created,
            group=WRITE,
            failed=self._refused,
        )

    def _created(self, lead: LeadDetail) -> None:
        self.dismiss(lead)

    def _refused(self, error: LeadtuiError) -> bool:
        if isinstance(error, InvalidInput):
            self._show_errors(error.errors)
            return True
        return False

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()
