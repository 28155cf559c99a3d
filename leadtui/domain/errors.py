"""Errors a user may see. Every message is German and fit for a toast or one line on stderr."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leadtui.domain.values import Assignment


class LeadtuiError(Exception):
    """Base of every error a user may see."""


class NotFound(LeadtuiError):
    pass


class NotAssignable(LeadtuiError):
    pass


class Conflict(LeadtuiError):
    """Somebody changed the assignment meanwhile; `current` is the own company's current state."""

    def __init__(self, current: Assignment):
        self.current = current
        who = current.assignee.display_name if current.assignee else "niemandem"
        super().__init__(f"Inzwischen geändert: der Lead ist jetzt {who} zugewiesen.")


class EditConflict(LeadtuiError):
    """Somebody changed the lead since it was opened for editing; `changed` names the fields
    (German labels) that differ from what the editor saw."""

    def __init__(self, changed: list[str]):
        self.changed = changed
        what = ", ".join(changed) if changed else "der Lead"
        super().__init__(f"Inzwischen von anderen geändert: {what}. Bitte neu laden und noch einmal ändern.")


class AlreadyDecided(LeadtuiError):
    pass


class NotUndoable(LeadtuiError):
    """An undo came too late: the lead or offer changed since the change it would take back."""


class InvalidInput(LeadtuiError):
    """What is wrong with typed input: field key -> German message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


class AccessDenied(LeadtuiError):
    pass


class Deactivated(AccessDenied):
    """The acting colleague was deactivated: nothing more may be read or written."""

    def __init__(self) -> None:
        super().__init__("Ihr Zugang ist deaktiviert.")


class StorageError(LeadtuiError):
    """The database failed (unreachable, locked, broken); nothing was written."""


class Busy(StorageError):
    """A wait for a lock or a statement ran out of time; trying again later may work."""


class Unreachable(StorageError):
    """The connection to the database broke (a server restart, the network); the next call
    connects anew."""


class SignedOut(AccessDenied):
    """The session at the server ended (signed out, expired, revoked) or never was."""

    def __init__(self) -> None:
        super().__init__("Nicht angemeldet oder Anmeldung abgelaufen – bitte mit 'leadtui login' neu anmelden.")


class WrongCredentials(AccessDenied):
    """A sign-in failed; the same words whether the e-mail exists or not."""

    def __init__(self) -> None:
        super().__init__("E-Mail-Adresse oder Passwort falsch (oder die Einladung gilt nicht mehr).")


class TooManyAttempts(AccessDenied):
    """Too many failed sign-ins for this account or from this address."""

    def __init__(self) -> None:
        super().__init__("Zu viele fehlgeschlagene Anmeldungen – bitte in einigen Minuten noch einmal.")


class TooManyRequests(LeadtuiError):
    """Too many requests with one API key in a minute."""
