"""Database failures as one German line for a user: no SQL, no traceback, no driver jargon."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError

from leadtui.db.row_security import DEACTIVATED_STATE
from leadtui.domain import AccessDenied, Busy, Deactivated, LeadtuiError, StorageError, Unreachable

BUSY = "Datenbank ist beschäftigt, bitte erneut versuchen."
READ_ONLY = "Die Datenbank ist schreibgeschützt; nichts wurde geändert."
NOT_A_DATABASE = "Die Datei ist keine leadtui-Datenbank (keine SQLite-Datei)."
# PostgreSQL SQLSTATEs of a wait that ran out (lock, statement, deadlock, serialization).
_BUSY_STATES = {"55P03", "57014", "40P01", "40001"}
_GONE_STATES = {"57P01", "57P02", "57P03"}  # the server shut down or killed the session
_REFUSED_STATES = {"42501"}  # insufficient privilege: row-level security or a missing grant


def first_line(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    text = str(original).strip()
    return text.splitlines()[0] if text else type(original).__name__


# What libpq and PostgreSQL say in English, said in German with what to do about it.
LOGIN_FAILED = (
    "Anmeldung an der Datenbank fehlgeschlagen: Passwort falsch oder Anmeldung unbekannt"
    " (Passwort über ~/.pgpass oder PGPASSWORD; die Anmeldung vergibt ein Administrator)."
)
NO_PASSWORD = "Die Datenbank verlangt ein Passwort: über ~/.pgpass oder PGPASSWORD angeben."
NOT_LEADTUIS_LOGIN = (
    "Diese Datenbankanmeldung verwaltet leadtui nicht. Kollegen arbeiten über den Server:"
    " leadtui login SERVER, dann leadtui --server SERVER."
)
REFUSED = "Von der Datenbank abgelehnt: das darf diese Anmeldung nicht (nur Administratoren, nur die eigene Firma)."


def describe_error(error: SQLAlchemyError) -> str:
    """One line for a user, without SQL or a traceback."""
    text = first_line(error)
    if "file is not a database" in text:
        return NOT_A_DATABASE
    if "readonly database" in text:
        return READ_ONLY
    if "password authentication failed" in text:
        return LOGIN_FAILED
    if "no password supplied" in text:
        return NO_PASSWORD
    if 'FATAL:  role "' in text and "does not exist" in text:
        login = text.split('role "', 1)[1].split('"', 1)[0]
        return f"Die Datenbankanmeldung {login} gibt es nicht (Kollegen melden sich am leadtui-Server an)."
    if 'FATAL:  database "' in text and "does not exist" in text:
        name = text.split('database "', 1)[1].split('"', 1)[0]
        return f"Die Datenbank {name} gibt es auf diesem Server nicht."
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return f"Datenbank nicht erreichbar: {text}"
    return text


def is_busy(error: SQLAlchemyError) -> bool:
    original = getattr(error, "orig", None)
    state = getattr(original, "sqlstate", None)
    text = first_line(error)
    return state in _BUSY_STATES or "database is locked" in text or "database table is locked" in text


def storage_error(error: SQLAlchemyError) -> LeadtuiError:
    """The error a repository or admin call raises for a failed statement."""
    if is_busy(error):
        return Busy(BUSY)
    state = getattr(getattr(error, "orig", None), "sqlstate", None) or ""
    if state == DEACTIVATED_STATE or "not permitted to log in" in first_line(error):
        return Deactivated()  # row-level security says so (or a retired login is disabled)
    if state in _REFUSED_STATES:
        # Our own functions refuse in German; PostgreSQL's own words ("new row violates
        # row-level security policy", "permission denied") are English: said in German.
        said = first_line(error)
        english = any(words in said for words in ("row-level security", "permission denied", "must be owner"))
        return AccessDenied(REFUSED if english else f"Von der Datenbank abgelehnt: {said}")
    text = describe_error(error)
    if text in (READ_ONLY, NOT_A_DATABASE):
        return StorageError(text)
    if (
        state in _GONE_STATES
        or state.startswith("08")
        or (isinstance(error, DBAPIError) and error.connection_invalidated)
    ):
        return Unreachable(f"Datenbank nicht erreichbar: {first_line(error)}")
    if isinstance(error, IntegrityError):
        return StorageError(f"Abgelehnt von der Datenbank: {text}")
    return StorageError(f"Datenbankfehler: {text}")
