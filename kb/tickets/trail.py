"""What the customer tried before writing: their searches (with the result count and what they
clicked), the articles they read and for how long, the article they were on when they pressed
"still need help", and the suggestions they opened on the contact form.

It is read from the event log by the anonymous session id the ticket stores, up to the moment
the ticket was opened. A ticket from before the event log (or with no session) falls back to the
trail copied into the ticket when it was opened. Reading time is the time until the visitor's
next step, capped, since a page sends no "closed" event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.events import EventRow
from kb.tickets.models import Ticket

TRAIL_KINDS = ("search", "click", "view", "need_help", "suggestion_open")
MAX_STEPS = 100
LOOKBACK = dt.timedelta(days=1)
"""How far before the ticket the trail reaches."""
MAX_READING = dt.timedelta(minutes=30)
"""Longer gaps mean the visitor left the page open, not that they read for an hour."""
SLACK = dt.timedelta(seconds=5)
"""Events are stamped when queued, the ticket when committed: a little after still counts."""


@dataclass(frozen=True)
class TrailStep:
    """One thing the customer did: ``kind`` is one of ``TRAIL_KINDS``.

    ``clicked`` (searches) lists the slugs opened from that search's results; ``seconds``
    (views) is how long they stayed, ``None`` when nothing followed.
    """

    kind: str
    created_at: dt.datetime
    locale: str | None = None
    query: str | None = None
    slug: str | None = None
    result_count: int | None = None
    rank: int | None = None
    seconds: int | None = None
    clicked: list[str] = field(default_factory=list)


def customer_trail(session: Session, ticket: Ticket, *, limit: int = MAX_STEPS
                   ) -> list[TrailStep]:
    """The customer's path to ``ticket``, oldest first (at most ``limit`` steps)."""
    if ticket.session_id:
        rows = session.execute(
            select(EventRow.kind, EventRow.created_at, EventRow.locale, EventRow.query,
                   EventRow.slug, EventRow.result_count, EventRow.rank)
            .where(EventRow.session_id == ticket.session_id,
                   EventRow.kind.in_((*TRAIL_KINDS, "ticket")),
                   EventRow.created_at >= ticket.created_at - LOOKBACK,
                   EventRow.created_at <= ticket.created_at + SLACK)
            .order_by(EventRow.created_at.desc(), EventRow.id.desc())
            .limit(limit + 1)).all()
        if rows:
            return _steps([tuple(row) for row in reversed(rows)], ticket.created_at)[-limit:]
    return [_stored_step(item) for item in ticket.trail[-limit:]]


def _steps(rows: list[tuple], opened_at: dt.datetime) -> list[TrailStep]:
    steps: list[TrailStep] = []
    for kind, at, locale, query, slug, result_count, rank in rows:
        if kind == "click":  # folded into the search it came from
            search = next((s for s in reversed(steps) if s.kind == "search"), None)
            if search is not None and search.query == query and slug not in search.clicked:
                search.clicked.append(slug)
        elif kind != "ticket":
            steps.append(TrailStep(kind=kind, created_at=at, locale=locale, query=query,
                                   slug=slug, result_count=result_count, rank=rank))
    for position, step in enumerate(steps):
        if step.kind == "view":
            following = steps[position + 1].created_at if position + 1 < len(steps) \
                else opened_at
            gap = following - step.created_at
            if gap >= dt.timedelta():
                steps[position] = replace(step, seconds=int(min(gap, MAX_READING)
                                                            .total_seconds()))
    return steps


def _stored_step(item: dict) -> TrailStep:
    created = item.get("created_at")
    return TrailStep(kind=str(item.get("kind", "search")),
                     created_at=dt.datetime.fromisoformat(created) if created else dt.datetime.min,
                     locale=item.get("locale"), query=item.get("query"), slug=item.get("slug"))
