"""Moving a ticket through its steps and adding to its conversation.

Every move is checked against ``TRANSITIONS`` before anything changes and is written to the
ticket's history (``StepChange``: who and when); the caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from kb.errors import InvalidMessage, InvalidTransition
from kb.submissions import MAX_DESCRIPTION
from kb.tickets.models import TRANSITIONS, Message, Status, StepChange, Ticket, utc_now

MAX_COMMENT = 2_000


def check_transition(current: str, target: str) -> Status:
    """Return ``target`` as a ``Status`` if a ticket may move there from ``current``.

    Raises ``InvalidTransition`` otherwise (also for an unknown step name).
    """
    if target not in Status.__members__.values():
        raise InvalidTransition(current, target)
    if Status(target) not in TRANSITIONS[Status(current)]:
        raise InvalidTransition(current, target)
    return Status(target)


def _checked_body(body: str, *, required: bool = True) -> str:
    body = body.replace("\x00", "").strip()
    if required and not body:
        raise InvalidMessage("required", "the message is empty")
    if len(body) > MAX_DESCRIPTION:
        raise InvalidMessage("too_long", f"the message is over {MAX_DESCRIPTION} characters")
    return body


def move(ticket: Ticket, target: str, *, actor: str, person_id: int | None = None,
         now: dt.datetime | None = None) -> None:
    """Move ``ticket`` to ``target`` and record who did it; ``InvalidTransition`` if not allowed.

    ``actor`` is ``customer``, ``agent`` or ``system``; ``person_id`` the staff person, if any.
    """
    now = now or utc_now()
    before = ticket.status
    ticket.status = check_transition(before, target).value
    ticket.updated_at = now
    ticket.steps.append(StepChange(from_status=before, to_status=ticket.status, actor=actor,
                                   person_id=person_id, created_at=now))


def add_customer_message(session: Session, ticket: Ticket, body: str) -> Message:
    """Add a customer follow-up; on a closed ticket this raises ``InvalidMessage``."""
    if ticket.status == Status.CLOSED:
        raise InvalidMessage("closed", "this ticket is closed; please open a new one")
    now = utc_now()
    message = Message(author="customer", body=_checked_body(body), links=[], created_at=now)
    ticket.messages.append(message)
    ticket.updated_at = ticket.waiting_since = now
    return message


def add_reply(session: Session, ticket: Ticket, body: str, *, links: Sequence[str] = (),
              status: str | None = None, internal: bool = False,
              person_id: int | None = None) -> Message:
    """Add an agent reply linking ``links`` (article slugs) and optionally move the ticket.

    An ``internal`` note is never shown to the customer and leaves ``waiting_since`` alone.
    The move is checked before anything changes: ``InvalidTransition`` leaves no reply behind.
    """
    now = utc_now()
    body = _checked_body(body)
    if status is not None and status != ticket.status:
        move(ticket, status, actor="agent", person_id=person_id, now=now)
    message = Message(author="agent", body=body, links=list(links), created_at=now,
                      internal=internal, person_id=person_id)
    ticket.messages.append(message)
    ticket.updated_at = now
    if not internal:
        ticket.waiting_since = now
    return message


def confirm(session: Session, ticket: Ticket, rating: int, comment: str = "") -> None:
    """The customer confirms a resolved ticket with a 1–5 rating; it becomes closed."""
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidMessage("rating", "the rating must be a whole number from 1 to 5")
    comment = _checked_body(comment, required=False)
    if len(comment) > MAX_COMMENT:
        raise InvalidMessage("too_long", f"the comment is over {MAX_COMMENT} characters")
    move(ticket, Status.CLOSED, actor="customer")
    ticket.rating = rating
    ticket.rating_comment = comment or None


def reopen(session: Session, ticket: Ticket, body: str = "") -> None:
    """The customer says a resolved ticket is still not solved: back to investigating."""
    now = utc_now()
    body = _checked_body(body, required=False)
    move(ticket, Status.INVESTIGATING, actor="customer", now=now)
    ticket.reopen_count += 1
    ticket.waiting_since = now
    if body:
        ticket.messages.append(Message(author="customer", body=body, links=[], created_at=now))
