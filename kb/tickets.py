"""Tickets: the "still need help?" requests, their conversation, attachments and lifecycle.

A ticket moves through ``STEPS`` (received → investigating → proposed → resolved), then the
customer either confirms it (closed, with a rating) or reopens it. The allowed moves are the data
in ``TRANSITIONS``; any other move raises ``InvalidTransition``. The customer reaches a ticket
only through a private link: a 128-bit random token of which only the SHA-256 digest is stored
(``TicketLink``); the reference (``DF-7K3Q-9XM4``) is a label for people, never a key.

Creation is idempotent and acknowledged only after commit: the idempotency key is a unique
column, so two concurrent submits with one key store one ticket and both callers get it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, selectinload

from kb import events, ratelimit
from kb.db import Base, Database
from kb.submissions import MAX_DESCRIPTION, Submission

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Reference characters: no 0/O, 1/I/L or U, so a reference read aloud is unambiguous."""
REFERENCE = re.compile(rf"^DF-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")
LINK_DAYS = 180
_SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_COMMENT = 2_000


class Status(StrEnum):
    """Where a ticket is in its lifecycle."""

    RECEIVED = "received"
    INVESTIGATING = "investigating"
    PROPOSED = "proposed"
    RESOLVED = "resolved"
    CLOSED = "closed"


STEPS = (Status.RECEIVED, Status.INVESTIGATING, Status.PROPOSED, Status.RESOLVED)
"""The steps a customer sees; a closed ticket shows as resolved (and confirmed)."""

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset({Status.INVESTIGATING, Status.PROPOSED, Status.RESOLVED}),
    Status.INVESTIGATING: frozenset({Status.PROPOSED, Status.RESOLVED}),
    Status.PROPOSED: frozenset({Status.INVESTIGATING, Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.INVESTIGATING, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}
"""Every allowed move: resolved → investigating is a reopen, resolved → closed a confirmation."""


class TicketError(Exception):
    """Base class of the errors this module raises."""


class InvalidTransition(TicketError):
    """Raised for a move that ``TRANSITIONS`` does not allow from the ticket's current step."""

    def __init__(self, current: str, target: str) -> None:
        allowed = ", ".join(sorted(TRANSITIONS[Status(current)])) or "none (it is closed)"
        super().__init__(f"a {current} ticket cannot become {target}; allowed: {allowed}")
        self.current = current
        self.target = target


class IdempotencyConflict(TicketError):
    """Raised by ``create_ticket`` when a key is reused with a different request."""


class InvalidMessage(TicketError):
    """Raised for an empty or over-long message, rating or comment; ``code`` names the problem."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)  # stored as naive UTC, as events are


class Ticket(Base):
    """One request for help (its description is the first customer message).

    ``source_article`` is the slug of the article whose "Still need help?" link opened the
    form (``None`` when the customer came another way); ``trail`` is what they searched and read.
    """

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), index=True, default=Status.RECEIVED.value)
    category: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(5))
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    session_id: Mapped[str | None] = mapped_column(String(32))
    source_article: Mapped[str | None] = mapped_column(String(200))
    trail: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    consented_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)

    messages: Mapped[list[Message]] = relationship(
        back_populates="ticket", order_by="Message.id", cascade="all, delete-orphan")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="ticket", order_by="Attachment.id", cascade="all, delete-orphan")

    @property
    def step(self) -> Status:
        """The step to mark on the status page (closed shows as resolved)."""
        return Status.RESOLVED if self.status == Status.CLOSED else Status(self.status)

    @property
    def description(self) -> str:
        return self.messages[0].body if self.messages else ""


class Message(Base):
    """A customer message or an agent reply (with the slugs of the articles it links)."""

    __tablename__ = "ticket_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                           index=True)
    author: Mapped[str] = mapped_column(String(20))  # "customer" or "agent"
    body: Mapped[str] = mapped_column(Text)
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    ticket: Mapped[Ticket] = relationship(back_populates="messages")

    @property
    def is_agent(self) -> bool:
        return self.author == "agent"


class Attachment(Base):
    """A re-encoded image; ``public_id`` is random and is looked up together with its ticket."""

    __tablename__ = "ticket_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                           index=True)
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    ticket: Mapped[Ticket] = relationship(back_populates="attachments")


class TicketLink(Base):
    """One private status link: the SHA-256 of its token and when it stops working."""

    __tablename__ = "ticket_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                           index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


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


def new_reference() -> str:
    """A random reference such as ``DF-7K3Q-9XM4`` (about 39 bits; unique by constraint)."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"DF-{chars[:4]}-{chars[4:]}"


def normalize_reference(text: str) -> str | None:
    """``df7k3q9xm4`` or ``DF-7K3Q-9XM4`` → ``DF-7K3Q-9XM4``; ``None`` when it is not one."""
    compact = re.sub(r"[\s-]", "", text).upper()
    if compact.startswith("DF"):
        compact = compact[2:]
    reference = f"DF-{compact[:4]}-{compact[4:]}"
    return reference if len(compact) == 8 and REFERENCE.match(reference) else None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_transition(current: str, target: str) -> Status:
    """Return ``target`` as a ``Status`` if a ticket may move there from ``current``.

    Raises ``InvalidTransition`` otherwise (also for an unknown step name).
    """
    if target not in Status.__members__.values():
        raise InvalidTransition(current, target)
    if Status(target) not in TRANSITIONS[Status(current)]:
        raise InvalidTransition(current, target)
    return Status(target)


def create_ticket(db: Database, submission: Submission, *, idempotency_key: str,
                  context: Context | None = None, limits: Limits | None = None,
                  link_days: int = LINK_DAYS, now: dt.datetime | None = None) -> Created:
    """Store a ticket and return it with a new link token, committed before returning.

    A key seen before with the same request returns that ticket (``is_replay``) with a fresh
    token; with a different request it raises ``IdempotencyConflict``. Raises
    ``ratelimit.RateLimited`` when the address or email sent too many tickets recently.
    """
    context = context or Context()
    limits = limits or Limits()
    now = now or _now()
    fingerprint = submission.fingerprint(tuple(a.digest for a in context.attachments))
    for _attempt in range(5):
        replay = _replay(db, idempotency_key, fingerprint, link_days, now)
        if replay is not None:
            return replay
        try:
            with db.session() as session:
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
        ticket = session.scalars(_loaded().where(Ticket.idempotency_key == key)).first()
        if ticket is None:
            return None
        if ticket.fingerprint != fingerprint:
            raise IdempotencyConflict("this idempotency key was already used for another request")
        return Created(ticket, issue_link(session, ticket, days=link_days, now=now), True)


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
        created_at=now, updated_at=now,
    )
    ticket.messages.append(Message(author="customer", body=submission.description, links=[],
                                   created_at=now))
    for image in context.attachments:
        ticket.attachments.append(Attachment(
            public_id=secrets.token_urlsafe(12), storage_name=image.storage_name,
            display_name=image.display_name, content_type=image.content_type, size=image.size,
            width=image.width, height=image.height, created_at=now))
    return ticket


def issue_link(session: Session, ticket: Ticket, *, days: int = LINK_DAYS,
               now: dt.datetime | None = None) -> str:
    """Add a private link to ``ticket`` valid for ``days``; return its token (shown once)."""
    now = now or _now()
    token = secrets.token_urlsafe(16)
    session.add(TicketLink(ticket_id=ticket.id, token_hash=hash_token(token), created_at=now,
                           expires_at=now + dt.timedelta(days=days)))
    return token


def _loaded():
    return select(Ticket).options(selectinload(Ticket.messages),
                                  selectinload(Ticket.attachments))


def find_by_token(session: Session, token: str, *, now: dt.datetime | None = None
                  ) -> Ticket | None:
    """The ticket a link token opens, or ``None`` for an unknown, expired or malformed token."""
    if not token or len(token) > 64:
        return None
    statement = _loaded().join(TicketLink).where(TicketLink.token_hash == hash_token(token),
                                                 TicketLink.expires_at > (now or _now()))
    return session.scalars(statement).first()


def find_ticket(session: Session, reference: str) -> Ticket | None:
    """The ticket with this reference (for agents; customers use ``find_by_token``)."""
    normalized = normalize_reference(reference)
    if normalized is None:
        return None
    return session.scalars(_loaded().where(Ticket.reference == normalized)).first()


def list_tickets(session: Session, *, status: str | None = None, limit: int = 200
                 ) -> list[Ticket]:
    """Tickets, newest first, optionally only those with ``status``."""
    statement = _loaded().order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(limit)
    if status:
        statement = statement.where(Ticket.status == status)
    return list(session.scalars(statement))


def find_attachment(session: Session, ticket: Ticket, public_id: str) -> Attachment | None:
    """The attachment ``public_id`` of this ticket only (never of another ticket)."""
    return session.scalars(select(Attachment).where(
        Attachment.ticket_id == ticket.id, Attachment.public_id == public_id)).first()


def _checked_body(body: str, *, required: bool = True) -> str:
    body = body.replace("\x00", "").strip()
    if required and not body:
        raise InvalidMessage("required", "the message is empty")
    if len(body) > MAX_DESCRIPTION:
        raise InvalidMessage("too_long", f"the message is over {MAX_DESCRIPTION} characters")
    return body


def _move(ticket: Ticket, target: str, now: dt.datetime) -> None:
    ticket.status = check_transition(ticket.status, target).value
    ticket.updated_at = now


def change_status(session: Session, ticket: Ticket, target: str) -> None:
    """Move ``ticket`` to ``target``; raises ``InvalidTransition`` if that move is not allowed."""
    _move(ticket, target, _now())


def add_customer_message(session: Session, ticket: Ticket, body: str) -> Message:
    """Add a customer follow-up; on a closed ticket this raises ``InvalidMessage``."""
    if ticket.status == Status.CLOSED:
        raise InvalidMessage("closed", "this ticket is closed; please open a new one")
    now = _now()
    message = Message(author="customer", body=_checked_body(body), links=[], created_at=now)
    ticket.messages.append(message)
    ticket.updated_at = now
    return message


def add_reply(session: Session, ticket: Ticket, body: str, *, links: Sequence[str] = (),
              status: str | None = None) -> Message:
    """Add an agent reply linking ``links`` (article slugs) and optionally move the ticket.

    The move is checked before anything changes: ``InvalidTransition`` leaves no reply behind.
    """
    now = _now()
    body = _checked_body(body)
    if status is not None and status != ticket.status:
        _move(ticket, status, now)
    message = Message(author="agent", body=body, links=list(links), created_at=now)
    ticket.messages.append(message)
    ticket.updated_at = now
    return message


def confirm(session: Session, ticket: Ticket, rating: int, comment: str = "") -> None:
    """The customer confirms a resolved ticket with a 1–5 rating; it becomes closed."""
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise InvalidMessage("rating", "the rating must be a whole number from 1 to 5")
    comment = _checked_body(comment, required=False)
    if len(comment) > MAX_COMMENT:
        raise InvalidMessage("too_long", f"the comment is over {MAX_COMMENT} characters")
    _move(ticket, Status.CLOSED, _now())
    ticket.rating = rating
    ticket.rating_comment = comment or None


def reopen(session: Session, ticket: Ticket, body: str = "") -> None:
    """The customer says a resolved ticket is still not solved: back to investigating."""
    now = _now()
    body = _checked_body(body, required=False)
    _move(ticket, Status.INVESTIGATING, now)
    ticket.reopen_count += 1
    if body:
        ticket.messages.append(Message(author="customer", body=body, links=[], created_at=now))
