"""Opening a ticket: idempotent, limited per address and email, acknowledged only after commit.

The idempotency key is a unique column, so two concurrent submits with one key store one ticket
and both callers get it.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kb import events, ratelimit
from kb.db import Database
from kb.errors import AttachmentTaken, IdempotencyConflict, TicketError
from kb.submissions import Submission
from kb.tickets.links import LINK_DAYS, issue_link
from kb.tickets.models import (
    Attachment,
    Message,
    Status,
    StepChange,
    Ticket,
    new_reference,
    utc_now,
)
from kb.tickets.queries import loaded

_SESSION_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class NewAttachment:
    """An image already re-encoded and stored under ``storage_name``, to attach to a ticket."""

    storage_name: str
    display_name: str
    content_type: str
    size: int
    width: int
    height: int
    digest: str = ""


@dataclass(frozen=True)
class Created:
    """What ``create_ticket`` returns: the ticket, a fresh link token, whether it was a replay."""

    ticket: Ticket
    token: str
    is_replay: bool


@dataclass(frozen=True)
class Limits:
    """Ticket creation limits per hour: per client address and per email (0 = no limit)."""

    per_address: int = 10
    per_email: int = 5
    seconds: int = 3600


@dataclass
class Context:
    """What comes with a submission besides its fields."""

    address: str = ""
    session_id: str | None = None
    trail: list[dict[str, Any]] = field(default_factory=list)
    attachments: Sequence[NewAttachment] = ()
    source_article: str | None = None
    """The slug of the article the customer was reading when they asked (same locale)."""


def create_ticket(db: Database, submission: Submission, *, idempotency_key: str,
                  context: Context | None = None, limits: Limits | None = None,
                  link_days: int = LINK_DAYS, now: dt.datetime | None = None) -> Created:
    """Store a ticket and return it with a new link token, committed before returning.

    A key seen before with the same request returns that ticket (``is_replay``) with a fresh
    token; with a different request it raises ``IdempotencyConflict``. Raises
    ``ratelimit.RateLimited`` when the address or email sent too many tickets recently, and
    ``AttachmentTaken`` when an attachment's storage name belongs to another ticket already.
    """
    context = context or Context()
    limits = limits or Limits()
    now = now or utc_now()
    fingerprint = submission.fingerprint(tuple(a.digest for a in context.attachments))
    for _attempt in range(5):
        replay = _replay(db, idempotency_key, fingerprint, link_days, now)
        if replay is not None:
            return replay
        try:
            with db.session() as session:
                _check_attachments_free(session, context.attachments)
                _enforce_limits(session, submission, context, limits, now)
                ticket = _new_ticket(submission, idempotency_key, fingerprint, context, now)
                session.add(ticket)
                session.flush()
                if context.session_id and _SESSION_ID.match(context.session_id):
                    events.record_event(session, "ticket", session_id=context.session_id,
                                        locale=submission.locale, value=submission.category)
                token = issue_link(session, ticket, days=link_days, now=now)
            return Created(ticket, token, is_replay=False)
        except IntegrityError:
            continue  # the same key committed by a concurrent request, or a reference clash
    raise TicketError("could not store the ticket after 5 attempts; please try again")


def _replay(db: Database, key: str, fingerprint: str, link_days: int,
            now: dt.datetime) -> Created | None:
    with db.session() as session:
        ticket = session.scalars(loaded().where(Ticket.idempotency_key == key)).first()
        if ticket is None:
            return None
        if ticket.fingerprint != fingerprint:
            raise IdempotencyConflict("this idempotency key was already used for another request")
        return Created(ticket, issue_link(session, ticket, days=link_days, now=now), True)


def _check_attachments_free(session: Session, attachments: Sequence[NewAttachment]) -> None:
    names = [image.storage_name for image in attachments]
    if names and session.scalars(select(Attachment.storage_name).where(
            Attachment.storage_name.in_(names)).limit(1)).first() is not None:
        raise AttachmentTaken("an upload is already attached to another ticket")


def _enforce_limits(session: Session, submission: Submission, context: Context,
                    limits: Limits, now: dt.datetime) -> None:
    checks = [(ratelimit.Limit("ticket-email", limits.per_email, limits.seconds),
               submission.email.lower())]
    if context.address:
        checks.insert(0, (ratelimit.Limit("ticket-address", limits.per_address, limits.seconds),
                          context.address))
    ratelimit.enforce(session, checks, now=now)


def _new_ticket(submission: Submission, key: str, fingerprint: str, context: Context,
                now: dt.datetime) -> Ticket:
    ticket = Ticket(
        reference=new_reference(), idempotency_key=key, fingerprint=fingerprint,
        status=Status.RECEIVED.value, category=submission.category, subject=submission.subject,
        locale=submission.locale, email=submission.email, name=submission.name,
        phone=submission.phone, session_id=context.session_id, trail=list(context.trail),
        source_article=context.source_article or None, reopen_count=0, consented_at=now,
        created_at=now, updated_at=now, waiting_since=now,
    )
    ticket.steps.append(StepChange(from_status=None, to_status=Status.RECEIVED.value,
                                   actor="customer", created_at=now))
    ticket.messages.append(Message(author="customer", body=submission.description, links=[],
                                   created_at=now))
    for image in context.attachments:
        ticket.attachments.append(Attachment(
            public_id=secrets.token_urlsafe(12), storage_name=image.storage_name,
            display_name=image.display_name, content_type=image.content_type, size=image.size,
            width=image.width, height=image.height, created_at=now))
    return ticket
