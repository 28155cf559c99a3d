"""Per-colleague preferences, such as the columns of the lead lists."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from leadtui.db.models import ColleagueSettingModel as Setting
from leadtui.repository.scope import Scope


class Settings(Scope):
    def setting(self, key: str, default: str | None = None) -> str | None:
        with self._read(check=True) as conn:
            value = conn.execute(
                select(Setting.value).where(Setting.colleague_id == self.me.id, Setting.key == key)
            ).scalar()
        return default if value is None else str(value)

    def save_setting(self, key: str, value: str) -> None:
        with self._write() as conn:
            result = conn.execute(
                update(Setting).where(Setting.colleague_id == self.me.id, Setting.key == key).values(value=value)
            )
            if result.rowcount == 0:
                conn.execute(insert(Setting).values(colleague_id=self.me.id, key=key, value=value))
