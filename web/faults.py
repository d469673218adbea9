"""Test-only crash points for the kill -9 battery (``tests/security/test_r2_kill.py``, R2b).

Off unless the setting ``FAULT_INJECTION`` is true (``DEFLECT_FAULT_INJECTION=true``), which
only the battery sets. When on, a test arms one crash by writing ``before_commit`` or
``after_commit`` into ``<data>/fault-crash-point``: the next database transaction that inserts
a ticket ends the worker process abruptly (``os._exit``) just before its COMMIT, or just after
it and before any response is sent. The file is removed first, so exactly one crash happens;
gunicorn then starts a new worker. This is the window random SIGKILLs hit about once in 8.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

ARM_FILE = "fault-crash-point"
POINTS = ("before_commit", "after_commit")
EXIT_STATUS = 70
_FLAG = "deflect.fault.inserts_ticket"


def init_app(app: Flask) -> None:
    """Install the crash points when ``FAULT_INJECTION`` is on; otherwise do nothing."""
    if app.config.get("FAULT_INJECTION") is not True:
        return
    arm_file = Path(app.config["DATA_DIR"]) / ARM_FILE

    def mark(session: Session, _context) -> None:
        from kb.tickets import Ticket

        if any(isinstance(item, Ticket) for item in session.new):
            session.info[_FLAG] = True

    def crash_at(point: str):
        def check(session: Session) -> None:
            if not session.info.get(_FLAG):
                return
            if point == "after_commit":
                session.info.pop(_FLAG, None)
            try:
                armed = arm_file.read_text().strip()
            except FileNotFoundError:
                return
            if armed == point:
                arm_file.unlink(missing_ok=True)
                os._exit(EXIT_STATUS)
        return check

    event.listen(Session, "after_flush", mark)
    for point in POINTS:
        event.listen(Session, point, crash_at(point))
