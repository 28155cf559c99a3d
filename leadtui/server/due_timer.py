"""The server's scheduled work: what is due at a moment (rule 24, repository/due.py), carried out
every few seconds in a thread of its own, for every company of the database.

Several server processes may each run it: every side effect is claimed by the row it records, so
each happens once. A failed run (the database restarting) is logged and tried at the next tick;
it never ends the server.
"""

from __future__ import annotations

import logging
import threading

from leadtui.repository.due import DueWork

log = logging.getLogger("leadtui.server")
EVERY_S = 15.0  # how late a reminder or an expiry notice may come; the expiry itself is exact


class DueTimer:
    def __init__(self, work: DueWork, every_s: float = EVERY_S):
        self._work = work
        self._every_s = every_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="leadtui-due", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            try:
                done = self._work.run()
                if done.expired or done.reminded:
                    log.info("Fristen: %d abgelaufen, %d erinnert", done.expired, done.reminded)
            except Exception:  # the next tick tries again; the server stays up
                log.exception("Fristen: Lauf fehlgeschlagen, nächster Versuch in %.0f s", self._every_s)
            if self._stop.wait(self._every_s):
                return
