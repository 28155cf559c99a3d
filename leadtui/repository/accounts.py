"""Signing in to a leadtui server: passwords, access tokens, invitations.

Colleagues of every company sign in to the server, never to the database. A password is kept as
an Argon2 hash (argon2-cffi); a session is an opaque random token of which only the SHA-256 is
stored (a token has 256 bits of chance, so a fast hash is enough, and a copy of the database
signs nobody in). A token ends when it expires, at sign-out, and - for every request at once -
while its colleague is deactivated.

`Accounts` works before anyone acts, like finding a colleague by e-mail: it is the one part of
the repository that is not bound to a colleague, and it returns nothing but the colleague a
credential belongs to. Inviting is an admin's act and lives in `invitations.py`, bound as
every service is. (Argon2 is imported here only: the local app never loads it.)
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from leadtui.db.errors import storage_error
from leadtui.db.models import AccessTokenModel as Token
from leadtui.db.models import ApiKeyModel as Key
from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import CompanyModel as Co
from leadtui.db.models import InvitationModel as Inv
from leadtui.db.models import PasswordModel as Password
from leadtui.db.models import colleague_of
from leadtui.domain import (
    Company,
    Deactivated,
    InvalidInput,
    SignedIn,
    SignedOut,
    WrongCredentials,
)
from leadtui.repository.invitations import digest
from leadtui.repository.session import Clock, utcnow

TOKEN_DAYS = 30
INVITATION_DAYS = 7
PASSWORD_MIN = 10
PASSWORD_MAX = 1000  # Argon2 takes any length; a megabyte of "password" is an attack


def checked_password(password: str) -> str:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidInput({"password": f"Das Passwort braucht mindestens {PASSWORD_MIN} Zeichen."})
    return password


@dataclass(frozen=True)
class Credential:
    """Whom a request's token signs in: the colleague and their company."""

    colleague_id: int
    company_id: int


class Accounts:
    """Sign-in, sign-out and the check of every request's token, before anyone acts."""

    def __init__(self, engine: Engine, clock: Clock = utcnow, hasher: PasswordHasher | None = None):
        self._engine = engine
        self._clock = clock
        self._hasher = hasher or PasswordHasher()

    @cached_property
    def _unknown_hash(self) -> str:
        """A hash to verify against when the e-mail is unknown: a sign-in takes as long either way."""
        return self._hasher.hash(secrets.token_urlsafe(16))

    def sign_in(self, email: str, password: str) -> SignedIn:
        """A new session for the colleague with this e-mail and password; WrongCredentials
        whether the e-mail is unknown, the password wrong or the colleague has none yet."""
        wanted = email.strip().lower()
        try:
            with self._engine.begin() as conn:
                row = conn.execute(
                    select(Col.id, Col.company_id, Col.active, Password.hash)
                    .outerjoin(Password, Password.colleague_id == Col.id)
                    .where(func.lower(Col.email) == wanted)
                ).first()
                stored = row.hash if row is not None and row.hash else self._unknown_hash
                if not self._verified(stored, password) or row is None or not row.hash:
                    raise WrongCredentials
                if not row.active:
                    raise Deactivated
                if self._hasher.check_needs_rehash(stored):
                    conn.execute(
                        update(Password).where(Password.colleague_id == row.id).values(hash=self._hasher.hash(password))
                    )
                return self._session_for(conn, row.id, row.company_id)
        except SQLAlchemyError as error:
            raise storage_error(error) from None

    def redeem(self, code: str, password: str) -> SignedIn:
        """Choose a password with an invitation code and sign in; the code is used up."""
        checked_password(password)
        now = self._clock()
        try:
            with self._engine.begin() as conn:
                row = conn.execute(
                    select(Inv.id, Inv.colleague_id, Inv.company_id, Col.active)
                    .join(Col, Col.id == Inv.colleague_id)
                    .where(Inv.code_hash == digest(code.strip()), Inv.used_at.is_(None), Inv.expires_at > now)
                    .with_for_update()
                ).first()
                if row is None:
                    raise WrongCredentials
                if not row.active:
                    raise Deactivated
                conn.execute(update(Inv).where(Inv.id == row.id).values(used_at=now))
                hashed = self._hasher.hash(password)
                replaced = conn.execute(
                    update(Password).where(Password.colleague_id == row.colleague_id).values(hash=hashed, set_at=now)
                ).rowcount
                if not replaced:
                    conn.execute(
                        insert(Password).values(
                            colleague_id=row.colleague_id, company_id=row.company_id, hash=hashed, set_at=now
                        )
                    )
                # A new password ends every earlier session (a lost laptop, a colleague who left).
                conn.execute(
                    update(Token)
                    .where(Token.colleague_id == row.colleague_id, Token.revoked_at.is_(None))
                    .values(revoked_at=now)
                )
                return self._session_for(conn, row.colleague_id, row.company_id)
        except SQLAlchemyError as error:
            raise storage_error(error) from None

    def credential(self, token: str) -> Credential:
        """Whom `token` signs in. A deactivated colleague's token says Deactivated (their open
        app locks); an unknown, expired or signed-out one SignedOut. Asked before every request,
        as one statement outside a transaction (no BEGIN and ROLLBACK around it)."""
        try:
            with self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                row = conn.execute(
                    select(Token.colleague_id, Token.company_id, Token.expires_at, Token.revoked_at, Col.active)
                    .join(Col, Col.id == Token.colleague_id)
                    .where(Token.token_hash == digest(token))
                ).first()
        except SQLAlchemyError as error:
            raise storage_error(error) from None
        if row is None:
            raise SignedOut
        if not row.active:
            raise Deactivated
        if row.revoked_at is not None or row.expires_at is None or row.expires_at <= self._clock():
            raise SignedOut
        return Credential(row.colleague_id, row.company_id)

    def api_key_credential(self, secret: str) -> Credential:
        """Whom an API key acts as: the admin who made it, while the key is not revoked and the
        admin active and still an admin (SignedOut otherwise, the same for every reason)."""
        try:
            with self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                row = conn.execute(
                    select(Key.colleague_id, Key.company_id, Key.revoked_at, Col.active, Col.role)
                    .join(Col, Col.id == Key.colleague_id)
                    .where(Key.key_hash == digest(secret))
                ).first()
        except SQLAlchemyError as error:
            raise storage_error(error) from None
        if row is None or row.revoked_at is not None or not row.active or row.role != "admin":
            raise SignedOut
        return Credential(row.colleague_id, row.company_id)

    def sign_out(self, token: str) -> None:
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    update(Token)
                    .where(Token.token_hash == digest(token), Token.revoked_at.is_(None))
                    .values(revoked_at=self._clock())
                )
        except SQLAlchemyError as error:
            raise storage_error(error) from None

    def _verified(self, stored: str, password: str) -> bool:
        if len(password) > PASSWORD_MAX:
            return False
        try:
            return self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    def _session_for(self, conn: Connection, colleague_id: int, company_id: int) -> SignedIn:
        token = secrets.token_urlsafe(32)
        now = self._clock()
        expires = now + timedelta(days=TOKEN_DAYS)
        conn.execute(
            insert(Token).values(
                colleague_id=colleague_id,
                company_id=company_id,
                token_hash=digest(token),
                created_at=now,
                expires_at=expires,
            )
        )
        row = conn.execute(
            select(Col, Co.name.label("company_name")).join(Co, Co.id == Col.company_id).where(Col.id == colleague_id)
        ).one()
        me = colleague_of(row)
        return SignedIn(token, me, Company(row.company_id, row.company_name), expires)
