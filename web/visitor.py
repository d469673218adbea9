"""The anonymous visitor: a random id kept in the session cookie, and the events it leaves.

The id is 128 random bits (32 hex digits) and says nothing about the person; it only ties one
visitor's searches, views and votes together so that a ticket can carry its search trail.
Events go through the app's ``EventRecorder`` (``services.event_recorder``), which
writes them in the background; call ``flush_events()`` before reading a trail back.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import current_app, session

from web import services

SESSION_KEY = "visitor"


def anonymous_id() -> str:
    """The visitor's random id, created (and kept in the session) on first use."""
    visitor = session.get(SESSION_KEY)
    if not isinstance(visitor, str) or len(visitor) != 32:
        visitor = secrets.token_hex(16)
        session[SESSION_KEY] = visitor
        session.permanent = True
    return visitor


def record(kind: str, **fields: Any) -> None:
    """Queue an event of ``kind`` for the current visitor (fields as in ``kb.events.Event``)."""
    services.event_recorder(current_app).record(kind, session_id=anonymous_id(), **fields)


def flush_events() -> None:
    """Write the queued events now, so that a trail read next includes them."""
    services.event_recorder(current_app).flush()
