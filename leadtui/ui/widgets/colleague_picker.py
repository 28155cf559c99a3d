"""Choose a colleague by typing: a filter field over the active colleagues of the own company.

Typing matches names only (never e-mail addresses, which all share the company's domain): names
with a word starting with what was typed come first, then names that contain it elsewhere. The
best match is highlighted as the filter changes; with no match the list says so and enter does
nothing. Each colleague shows their open leads (neu or in Bearbeitung), so work can be balanced
where it is assigned.

The picker can open before its colleagues are read (`colleagues=None`, then `show`): what is
typed meanwhile filters them when they arrive, and an enter typed meanwhile picks the best
match then - a quick typist's "a", name, enter works however far away the database is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from leadtui.domain import Colleague, Workload
from leadtui.ui.safe import line
from leadtui.ui.widgets.text_input import TextInput

NO_MATCH = "keine Treffer"
LOADING = "Kollegen werden geladen …"
ME = " (ich)"
CURRENT = "  ✓"


def choices(workloads: list[Workload]) -> tuple[list[Colleague], dict[int, int]]:
    """The picker's colleagues and their open leads, from the repository's workload."""
    return [w.colleague for w in workloads], {w.colleague.id: w.open for w in workloads}


def ranked(colleagues: list[Colleague], typed: str) -> list[Colleague]:
    """The colleagues whose name matches every typed word: word-prefix matches first."""
    words = typed.casefold().split()
    if not words:
        return list(colleagues)
    prefix, inside = [], []
    for colleague in colleagues:
        name = colleague.name.casefold()
        parts = name.split()
        if all(any(part.startswith(word) for part in parts) for word in words):
            prefix.append(colleague)
        elif all(word in name for word in words):
            inside.append(colleague)
    return prefix + inside


class ColleaguePicker(Vertical):
    """Type to filter, ↑/↓ to move, enter or click to choose; posts Picked(colleague)."""

    DEFAULT_CSS = """
    ColleaguePicker { height: auto; }
    ColleaguePicker > Input { margin: 0 0 1 0; background: $boost; }
    ColleaguePicker > OptionList { height: auto; max-height: 10; }
    """
    BINDINGS = [
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    @dataclass
    class Picked(Message):
        colleague: Colleague

    def __init__(
        self,
        colleagues: list[Colleague] | None,
        me_id: int,
        current_id: int | None = None,
        open_leads: Mapping[int, int] | None = None,
        **kwargs: Any,
    ):
        """`colleagues`: whom to choose from, or None until `show` brings them."""
        super().__init__(**kwargs)
        self.me_id = me_id
        self.current_id = current_id
        self.pick_when_shown = False  # enter was pressed before the colleagues arrived
        self._take(colleagues, open_leads)

    def _take(self, colleagues: list[Colleague] | None, open_leads: Mapping[int, int] | None) -> None:
        self.colleagues = colleagues
        self.open_leads = open_leads
        self.matches: list[Colleague] = list(colleagues or [])
        self.name_width = max((self._name_cells(c) for c in colleagues or []), default=0)
        self.count_width = max((len(str(n)) for n in (open_leads or {}).values()), default=1)

    def show(self, colleagues: list[Colleague], open_leads: Mapping[int, int] | None = None) -> None:
        """The colleagues have been read: list them, filtered by what was typed meanwhile."""
        self._take(colleagues, open_leads)
        self._fill(self.query_one(Input).value)
        if self.pick_when_shown:
            self.pick_when_shown = False
            self._pick_highlighted()

    def _name_cells(self, colleague: Colleague) -> int:
        marks = (ME if colleague.id == self.me_id else "") + (CURRENT if colleague.id == self.current_id else "")
        return cell_len(colleague.display_name) + len(marks)

    def compose(self) -> ComposeResult:
        yield TextInput(placeholder="Kollegen suchen (Name) …", id="picker-filter", compact=True)
        yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")

    def _label(self, colleague: Colleague) -> Option:
        """Name, (ich), ✓ for the current assignee, then the open leads in a column of their own."""
        parts: list[str | tuple[str, str]] = [colleague.display_name]
        if colleague.id == self.me_id:
            parts.append((ME, "bold"))
        if colleague.id == self.current_id:
            parts.append((CURRENT, "dim"))
        if self.open_leads is not None:
            pad = " " * (self.name_width - self._name_cells(colleague) + 2)
            count = str(self.open_leads.get(colleague.id, 0)).rjust(self.count_width)
            parts.append((f"{pad}{count} offen", "dim"))
        return Option(line(*parts), id=str(colleague.id))

    def _fill(self, typed: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        if self.colleagues is None:
            options.add_option(Option(line((LOADING, "italic dim")), disabled=True))
            return
        self.matches = ranked(self.colleagues, typed)
        if self.matches:
            options.add_options(self._label(c) for c in self.matches)
            options.highlighted = 0  # the best match
        else:
            options.add_option(Option(line((NO_MATCH, "italic dim")), disabled=True))

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        if self.colleagues is None:
            self.pick_when_shown = True
            return
        self._pick_highlighted()

    def _pick_highlighted(self) -> None:
        options = self.query_one(OptionList)
        if self.matches and options.highlighted is not None:
            self._pick(self.matches[options.highlighted])

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.matches:
            self._pick(self.matches[event.option_index])

    def _pick(self, colleague: Colleague) -> None:
        self.post_message(self.Picked(colleague))

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if self.matches:
            current = options.highlighted if options.highlighted is not None else -delta
            options.highlighted = max(0, min(len(self.matches) - 1, current + delta))

    def focus_filter(self) -> None:
        self.query_one(Input).focus()
