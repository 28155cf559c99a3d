"""Choose a colleague by typing: a filter field over the active colleagues of the own company."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from leadtui.domain import Colleague


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

    class Picked(Message):
        def __init__(self, colleague: Colleague) -> None:
            self.colleague = colleague
            super().__init__()

    def __init__(self, colleagues: list[Colleague], me_id: int, current_id: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.colleagues = colleagues
        self.me_id = me_id
        self.current_id = current_id

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Kollegen suchen …", id="picker-filter", compact=True)
        yield OptionList(id="picker-options")

    def on_mount(self) -> None:
        self._fill("")

    def _label(self, colleague: Colleague) -> Text:
        label = Text(colleague.name)
        if colleague.id == self.me_id:
            label.append(" (ich)", style="bold")
        if colleague.id == self.current_id:
            label.append("  ✓ zugewiesen", style="dim")
        return label

    def _fill(self, text: str) -> None:
        words = text.lower().split()
        options = self.query_one(OptionList)
        options.clear_options()
        matches = [c for c in self.colleagues if all(w in f"{c.name} {c.email}".lower() for w in words)]
        options.add_options(Option(self._label(c), id=str(c.id)) for c in matches)
        if matches:
            options.highlighted = 0

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    @on(Input.Submitted, "#picker-filter")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._pick(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(event.option.id)

    def _pick(self, option_id: str | None) -> None:
        chosen = next((c for c in self.colleagues if str(c.id) == option_id), None)
        if chosen is not None:
            self.post_message(self.Picked(chosen))

    def action_move(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -delta
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def focus_filter(self) -> None:
        self.query_one(Input).focus()
