"""Turning a checked submission into a ticket, for the contact form and the JSON API alike.

The search trail of the visitor's anonymous session goes with the ticket; the confirmation mail
goes out only after the ticket is committed, and only the first time (not on a replay).
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import current_app, request, session

from kb import events, tickets
from kb.submissions import Submission
from web import services, visitor
from web.tickets import notify


def limits() -> tickets.Limits:
    config = current_app.config
    return tickets.Limits(per_address=int(config["TICKET_LIMIT_PER_ADDRESS"]),
                          per_email=int(config["TICKET_LIMIT_PER_EMAIL"]))


def visitor_trail(session_id: str | None) -> list[dict]:
    """What this visitor searched and read before asking, oldest first, as plain data."""
    if session_id is None:
        return []
    visitor.flush_events()
    with services.database(current_app).session() as db_session:
        stored = events.search_trail(db_session, session_id)
    # Steps recorded on another worker may still be in its queue: the session carries them.
    trail = events.merge_trail(stored, visitor.recent_steps())
    return [{"kind": item.kind, "query": item.query, "slug": item.slug, "locale": item.locale,
             "created_at": item.created_at.isoformat(timespec="seconds")} for item in trail]


def submit_ticket(submission: Submission, *, idempotency_key: str,
                  attachments: Sequence[tickets.NewAttachment] = (),
                  source_article: str | None = None,
                  is_new_visitor_allowed: bool = True) -> tickets.Created:
    """Store the ticket (idempotently) and mail the confirmation after the commit.

    ``source_article`` is the slug of a published article the caller has checked.
    Raises ``kb.errors.RateLimited`` and ``kb.errors.IdempotencyConflict``.
    """
    session_id = visitor.anonymous_id() if is_new_visitor_allowed else _existing_visitor()
    context = tickets.Context(address=request.remote_addr or "", session_id=session_id,
                              trail=visitor_trail(session_id), attachments=attachments,
                              source_article=source_article)
    created = tickets.create_ticket(
        services.database(current_app), submission, idempotency_key=idempotency_key,
        context=context, limits=limits(), link_days=int(current_app.config["TICKET_LINK_DAYS"]))
    if not created.is_replay:
        notify.send_confirmation(created.ticket, created.token)
    return created


def _existing_visitor() -> str | None:
    found = session.get(visitor.SESSION_KEY)
    return found if isinstance(found, str) and len(found) == 32 else None
