"""Per-colleague preferences, such as the columns of the lead lists."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from leadtui.db.models import ColleagueSettingModel as Setting
from leadtui.repository.session import Session


class Settings:
    """The acting colleague's own settings (columns, sort, what the app remembers)."""

    def __init__(self, session: Session):
        self._session = session

    def setting(self, key: str, default: str | None = None) -> str | None:
        with self._session.read(check=True) as conn:
            value = conn.execute(
                select(Setting.value).where(Setting.colleague_id == self._session.me.id, Setting.key == key)
            ).scalar()
        return default if value is None else str(value)

    def save_setting(self, key: str, value: str) -> None:
        with self._session.write() as conn:
            result = conn.execute(
                update(Setting)
                .where(Setting.colleague_id == self._session.me.id, Setting.key == key)
                .values(value=value)
            )
            if result.rowcount == 0:
                conn.execute(insert(Setting).values(colleague_id=self._session.me.id, key=key, value=value))
