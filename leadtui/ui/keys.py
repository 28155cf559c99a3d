"""What keys a screen offers, in German: the one answer both the command palette and the `?`
help give. Textual's own widgets bring English key descriptions ("Focus Next", "Copy selected
text", "Move cursor left"); only keys one of leadtui's classes declares (in German) are offered,
so no English reaches either."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen

# The one way to move in anything that lists (the lead lists, Team-Auslastung, the inbox, the
# journal, `?`): vim's, mutt's and k9s' keys beside the arrows. A widget using them has the
# actions cursor(step), page(step), half_page(step), first and last.
LIST_KEYS: list[BindingType] = [
    Binding("up,k", "cursor(-1)", "Hoch", show=False),
    Binding("down,j", "cursor(1)", "Runter", show=False),
    Binding("pageup", "page(-1)", "Seite hoch", show=False),
    Binding("pagedown", "page(1)", "Seite runter", show=False),
    Binding("ctrl+u", "half_page(-1)", "Halbe Seite hoch", show=False),
    Binding("ctrl+d", "half_page(1)", "Halbe Seite runter", show=False),
    Binding("g,home", "first", "Anfang", show=False),
    Binding("G,end", "last", "Ende", show=False),
]

# Keys that move (in a list, the detail, between fields) or copy text: said in the help, not
# commands for the palette. By action name, without arguments.
MOVEMENTS = frozenset(
    {"cursor", "page", "half_page", "first", "last", "scroll_by", "scroll_to_end"}
    | {"app.focus_next", "app.focus_previous", "screen.copy_text"}
)


def is_movement(action: str) -> bool:
    return action.split("(", 1)[0] in MOVEMENTS


@dataclass(frozen=True)
class OfferedKey:
    """One action a screen offers now, with every key that does it ("space x")."""

    node: DOMNode
    binding: Binding
    keys: str

    @property
    def group(self) -> str:
        """The heading the help lists it under: a widget's BINDING_GROUP_TITLE, else where it
        works - everywhere (the app's keys) or in this view."""
        if isinstance(self.node, App):
            return "Überall"
        if isinstance(self.node, Screen) or not self.node.BINDING_GROUP_TITLE:
            return "Diese Ansicht"
        return self.node.BINDING_GROUP_TITLE


def offered_keys(screen: Screen[object]) -> list[OfferedKey]:
    """The enabled actions of leadtui's own that `screen` answers to now, in the order Textual
    tries them (the focused widget first, the app last), each action once."""
    keys_of: dict[tuple[int, str], list[str]] = {}
    first: dict[tuple[int, str], tuple[DOMNode, Binding]] = {}
    for active in screen.active_bindings.values():
        node, binding = active.node, active.binding
        if not active.enabled or not binding.description or binding.system or not ours(node, binding):
            continue
        action = (id(node), binding.action)
        first.setdefault(action, (node, binding))
        display = screen.app.get_key_display(binding)
        if display not in keys_of.setdefault(action, []):
            keys_of[action].append(display)
    return [OfferedKey(node, binding, " ".join(keys_of[action])) for action, (node, binding) in first.items()]


def ours(node: object, binding: Binding) -> bool:
    """Whether `binding` is declared by one of leadtui's own classes (not inherited from Textual)."""
    return any(
        cls.__module__.startswith("leadtui.")
        and any(getattr(own, "action", None) == binding.action for own in cls.__dict__.get("BINDINGS", ()))
        for cls in type(node).__mro__
    )
