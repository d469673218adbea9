"""The anonymous visitor: a random id kept in the session cookie, and the events it leaves.

The id is 128 random bits (32 hex digits) and says nothing about the person; it only ties one
visitor's searches, views and votes together so that a ticket can carry its search trail.
Events go through the app's ``EventRecorder`` (``services.event_recorder``), which
writes them in the background; call ``flush_events()`` before reading a trail back.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from flask import current_app, session

from kb.events import TRAIL_KINDS, TrailItem
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


RECENT_KEY = "recent"
RECENT_KEEP = 8
"""Trail steps (searches, views) the session carries: more than a worker's queue holds for one
visitor in the ~0.25 s before it is written."""


def record(kind: str, **fields: Any) -> None:
    """Queue an event of ``kind`` for the current visitor (fields as in ``kb.events.Event``).

    A search or a view is also kept in the visitor's session (the last ``RECENT_KEEP``), so a
    ticket sent through another worker a moment later still has it in its trail.
    """
    event = services.event_recorder(current_app).record(kind, session_id=anonymous_id(),
                                                         **fields)
    if kind in TRAIL_KINDS:
        step = [event.kind, event.query, event.slug, event.locale, event.created_at.isoformat()]
        held = session.get(RECENT_KEY)
        recent = held if isinstance(held, list) else []
        session[RECENT_KEY] = [*recent, step][-RECENT_KEEP:]


def recent_steps() -> list[TrailItem]:
    """The trail steps this visitor's session carries, oldest first (malformed ones dropped)."""
    held = session.get(RECENT_KEY)
    steps = []
    for step in held if isinstance(held, list) else []:
        try:
            kind, query, slug, locale, created_at = step
            steps.append(TrailItem(kind, dt.datetime.fromisoformat(created_at), query, slug,
                                   locale))
        except (TypeError, ValueError):
            continue
    return [step for step in steps if step.kind in TRAIL_KINDS]


def flush_events() -> None:
    """Write the queued events now, so that a trail read next includes them."""
    services.event_recorder(current_app).flush()
