"""The keys other systems post leads with (`POST /api/v1/ingest`, rule 20): an admin of the
company makes, lists and revokes them. A key acts as the admin who made it, so what it may do
is what that admin may do, and it ends with their deactivation. Only the key's SHA-256 is kept
(a key has 256 bits of chance, as a session token has); the server checks one with
`Accounts.api_key_credential`."""

from __future__ import annotations

import secrets

from sqlalchemy import and_, insert, select, update

from leadtui.db.models import ApiKeyModel as Key
from leadtui.db.models import ColleagueModel as Col
from leadtui.domain import AccessDenied, NotFound
from leadtui.domain.fields import TextField, checked
from leadtui.domain.ingest import KEY_PREFIX, ApiKey, NewApiKey
from leadtui.repository.invitations import digest
from leadtui.repository.session import Session

KEY_NAME = TextField("Name", 100, required=True)
ADMINS_ONLY = "Nur Administratoren Ihrer Firma verwalten API-Schlüssel."


class ApiKeys:
    def __init__(self, session: Session):
        self._session = session

    def _admin(self) -> None:
        if not self._session.me.is_admin:
            raise AccessDenied(ADMINS_ONLY)

    def create_api_key(self, name: str) -> NewApiKey:
        """A new key named for what posts with it ("Website-Formular"); its secret once."""
        self._admin()
        name = checked({"name": name}, {"name": KEY_NAME})["name"]
        secret = KEY_PREFIX + secrets.token_urlsafe(32)
        now = self._session.clock()
        with self._session.write() as conn:
            key_id = conn.execute(
                insert(Key)
                .values(
                    company_id=self._session.company_id,
                    colleague_id=self._session.me.id,
                    name=name,
                    key_hash=digest(secret),
                    created_at=now,
                )
                .returning(Key.id)
            ).scalar_one()
        return NewApiKey(ApiKey(key_id, name, self._session.me.name, now, None), secret)

    def api_keys(self) -> list[ApiKey]:
        self._admin()
        with self._session.read() as conn:
            rows = conn.execute(
                select(Key.id, Key.name, Col.name.label("by_name"), Key.created_at, Key.revoked_at)
                .join(Col, and_(Col.id == Key.colleague_id, Col.company_id == Key.company_id))
                .where(Key.company_id == self._session.company_id)
                .order_by(Key.id)
            )
            return [ApiKey(r.id, r.name, r.by_name, r.created_at, r.revoked_at) for r in rows]

    def revoke_api_key(self, key_id: int) -> None:
        """The key stops working at once (its next request is refused)."""
        self._admin()
        with self._session.write() as conn:
            done = conn.execute(
                update(Key)
                .where(Key.id == key_id, Key.company_id == self._session.company_id, Key.revoked_at.is_(None))
                .values(revoked_at=self._session.clock())
            ).rowcount
            if not done:
                raise NotFound("Diesen (gültigen) API-Schlüssel gibt es in Ihrer Firma nicht.")
