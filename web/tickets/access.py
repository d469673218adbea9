"""Who may see a ticket: the holder of its private link, remembered in the session cookie.

Opening ``/<locale>/tickets/<token>`` stores the token in the (signed, HttpOnly) session under
the ticket's reference and redirects to a URL without it. Each later request looks the ticket
up by that token again, so an expired link stops working everywhere. A reference the session
holds no valid token for is a 404, the same page as any unknown address.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, current_app, session

from kb import tickets
from web import services

SESSION_KEY = "tickets"
MAX_REMEMBERED = 20


def open_link(token: str) -> tickets.Ticket | None:
    """The ticket ``token`` opens, remembered for this visitor; ``None`` if it opens none."""
    with services.database(current_app).session() as db_session:
        ticket = tickets.find_by_token(db_session, token)
    if ticket is not None:
        remember(ticket.reference, token)
    return ticket


def remember(reference: str, token: str) -> None:
    held = dict(session.get(SESSION_KEY) or {})
    held.pop(reference, None)
    held[reference] = token
    session[SESSION_KEY] = dict(list(held.items())[-MAX_REMEMBERED:])


def _token_for(reference: str) -> str:
    held = session.get(SESSION_KEY) or {}
    token = held.get(reference) if isinstance(held, dict) else None
    if not isinstance(token, str):
        abort(404)
    return token


def _granted(db_session, reference: str) -> tickets.Ticket:
    ticket = tickets.find_by_token(db_session, _token_for(reference))
    if ticket is None or ticket.reference != reference:
        abort(404)
    return ticket


def granted_ticket(reference: str) -> tickets.Ticket:
    """The ticket this visitor holds a valid link for, or abort with 404."""
    with services.database(current_app).session() as db_session:
        return _granted(db_session, reference)


def change_granted(reference: str, change: Callable[..., Any], *args: Any, **kwargs: Any
                   ) -> tuple[tickets.Ticket, Any]:
    """Apply ``change(session, ticket, *args)`` (a ``kb.tickets`` function) through
    ``kb.tickets.change_ticket`` (under the ticket's lock) and commit; return the ticket and
    what ``change`` returned.

    Aborts with 404 when the visitor holds no valid link; ``kb.tickets`` errors propagate and
    nothing is committed.
    """
    token = _token_for(reference)

    def find(db_session) -> tickets.Ticket | None:
        found = tickets.find_by_token(db_session, token)
        return found if found is not None and found.reference == reference else None

    done = tickets.change_ticket(services.database(current_app), find, change, *args, **kwargs)
    if done is None:
        abort(404)
    return done


def granted_attachment(reference: str, public_id: str) -> tickets.Attachment:
    """An attachment of a ticket this visitor holds a link for, or abort with 404."""
    with services.database(current_app).session() as db_session:
        found = tickets.find_attachment(db_session, _granted(db_session, reference), public_id)
    if found is None:
        abort(404)
    return found
