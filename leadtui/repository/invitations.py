"""An admin invites colleagues of the own company to the server: an invitation code, valid
once until it expires, with which the colleague chooses a password (`accounts.py` redeems it).
Only the code's SHA-256 is stored; the code is shown this once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from leadtui.db.models import ColleagueModel as Col
from leadtui.db.models import InvitationModel as Inv
from leadtui.db.models import colleague_of
from leadtui.domain import AccessDenied, Colleague, InvalidInput, Invitation, NotAssignable
from leadtui.domain.fields import COLLEAGUE_NAME, checked, checked_email
from leadtui.repository.session import Session

INVITATION_DAYS = 7
ADMINS_INVITE = "Nur Administratoren Ihrer Firma laden Kollegen ein."


def digest(secret: str) -> str:
    """What is stored of a code or token: its SHA-256 (they are random, so that is enough)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Invitations:
    """An admin invites colleagues of the own company to the server."""

    def __init__(self, session: Session):
        self._session = session

    def invite(self, name: str, email: str, admin: bool = False) -> Invitation:
        """An invitation code for a colleague of the own company: a new colleague (by this name
        and e-mail), or an existing one who needs a (new) password. Earlier codes of the
        colleague stop working."""
        session = self._session
        if not session.me.is_admin:
            raise AccessDenied(ADMINS_INVITE)
        name = checked({"name": name}, {"name": COLLEAGUE_NAME})["name"]
        email = checked_email(email)
        now = session.clock()
        code = secrets.token_urlsafe(12)
        expires = now + timedelta(days=INVITATION_DAYS)
        company_id = session.company_id
        with session.write() as conn:
            found = conn.execute(
                select(Col).where(Col.company_id == company_id, func.lower(Col.email) == email)
            ).first()
            if found is not None and not found.active:
                raise NotAssignable(f"{found.name} ist deaktiviert; erst aktivieren, dann einladen.")
            if found is None:
                try:
                    with conn.begin_nested():
                        colleague_id = conn.execute(
                            insert(Col)
                            .values(
                                company_id=company_id,
                                name=name,
                                email=email,
                                active=True,
                                role="admin" if admin else "member",
                            )
                            .returning(Col.id)
                        ).scalar_one()
                except IntegrityError:
                    raise InvalidInput(
                        {"email": f"Diese E-Mail-Adresse kann nicht eingeladen werden: {email}"}
                    ) from None
                invited = Colleague(colleague_id, company_id, name, email, True, admin, admin)
            else:
                invited = colleague_of(found)
            conn.execute(
                update(Inv)
                .where(Inv.company_id == company_id, Inv.colleague_id == invited.id, Inv.used_at.is_(None))
                .values(used_at=now)
            )
            conn.execute(
                insert(Inv).values(
                    colleague_id=invited.id,
                    company_id=company_id,
                    code_hash=digest(code),
                    created_at=now,
                    expires_at=expires,
                )
            )
            session.changed(conn)
        return Invitation(invited, code, expires)
