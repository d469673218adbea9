"""The ticket tables and the lifecycle's vocabulary: ``Status``, ``STEPS``, ``TRANSITIONS``.

A ticket's reference (``DF-7K3Q-9XM4``) is a label for people, never a key: the customer reaches
a ticket only through a private link (``TicketLink``, see ``kb.tickets.links``).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.db import Base

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Reference characters: no 0/O, 1/I/L or U, so a reference read aloud is unambiguous."""
REFERENCE = re.compile(rf"^DF-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


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


def utc_now() -> dt.datetime:
    """Now as naive UTC, the way tickets (and events) are stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


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


class Ticket(Base):
    """One request for help (its description is the first customer message).

    ``source_article`` is the slug of the article whose "Still need help?" link opened the
    form (``None`` when the customer came another way); ``trail`` is what they searched and read.
    ``waiting_since`` is the last public word (the customer's or an agent's): the queue serves
    the longest wait first. ``assignee_id`` is a staff person's id; ``merged_into_id`` the
    ticket this one was merged into (it then leaves the queue and gets that ticket's replies).
    """

    __tablename__ = "tickets"
    # The queue reads open tickets in waiting order, by step, or by assignee; the step counts
    # are a scan of the first index alone.
    __table_args__ = (
        Index("ix_tickets_queue_step", "status", "merged_into_id", "waiting_since", "id"),
        Index("ix_tickets_queue_wait", "waiting_since", "id"),
        Index("ix_tickets_queue_assignee", "assignee_id", "waiting_since", "id"),
    )

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
    # Nullable, and merged_into_id without a foreign key, so that migration 0002 only adds
    # columns: on SQLite a NOT NULL or a new constraint rebuilds ``tickets``, and dropping the
    # old table cascade-deletes every message, attachment and link. Always set by the code.
    waiting_since: Mapped[dt.datetime] = mapped_column(DateTime, nullable=True)
    assignee_id: Mapped[int | None] = mapped_column(Integer)
    merged_into_id: Mapped[int | None] = mapped_column(Integer)

    messages: Mapped[list[Message]] = relationship(
        back_populates="ticket", order_by="Message.id", cascade="all, delete-orphan")
    steps: Mapped[list[StepChange]] = relationship(
        back_populates="ticket", order_by="StepChange.id", cascade="all, delete-orphan")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="ticket", order_by="Attachment.id", cascade="all, delete-orphan")

    @property
    def step(self) -> Status:
        """The step to mark on the status page (closed shows as resolved)."""
        return Status.RESOLVED if self.status == Status.CLOSED else Status(self.status)

    @property
    def description(self) -> str:
        return self.messages[0].body if self.messages else ""

    @property
    def public_messages(self) -> list[Message]:
        """The conversation the customer sees: every message but the internal notes."""
        return [message for message in self.messages if not message.internal]


class Message(Base):
    """A customer message, an agent reply (with the slugs of the articles it links) or an
    internal note (``internal``: never shown to the customer, never mailed)."""

    __tablename__ = "ticket_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                           index=True)
    author: Mapped[str] = mapped_column(String(20))  # "customer" or "agent"
    body: Mapped[str] = mapped_column(Text)
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    internal: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    person_id: Mapped[int | None] = mapped_column(Integer)
    """The staff person who wrote an agent message (``None``: the CLI, or a customer)."""

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


class StepChange(Base):
    """One step of a ticket's history: who moved it (``actor``: customer, agent or system, and
    the staff ``person_id``), from which step to which, and when. Creation is ``None`` →
    received."""

    __tablename__ = "ticket_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"),
                                           index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)

    ticket: Mapped[Ticket] = relationship(back_populates="steps")


class ArticleLink(Base):
    """An article an agent linked in a reply to a ticket: one row per ticket and article, so
    the count per article is the number of tickets it answered."""

    __tablename__ = "ticket_article_links"
    __table_args__ = (UniqueConstraint("ticket_id", "locale", "slug",
                                       name="uq_ticket_article_links"),
                      Index("ix_ticket_article_links_article", "locale", "slug"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(5))
    slug: Mapped[str] = mapped_column(String(200))
    person_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
