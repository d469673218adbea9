"""Private status links: a 128-bit random token of which only the SHA-256 digest is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import update
from sqlalchemy.orm import Session

from kb.tickets.models import Ticket, TicketLink, utc_now
from kb.tickets.queries import loaded

LINK_DAYS = 180
MAX_TOKEN_LENGTH = 64
"""Longer text is never a token of ours: refused before hashing."""


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored for a link token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_link(session: Session, ticket: Ticket, *, days: int = LINK_DAYS,
               now: dt.datetime | None = None) -> str:
    """Add a private link to ``ticket`` valid for ``days``; return its token (shown once)."""
    now = now or utc_now()
    token = secrets.token_urlsafe(16)
    session.add(TicketLink(ticket_id=ticket.id, token_hash=hash_token(token), created_at=now,
                           expires_at=now + dt.timedelta(days=days)))
    return token


def find_by_token(session: Session, token: str, *, now: dt.datetime | None = None
                  ) -> Ticket | None:
    """The ticket a link token opens, or ``None`` for an unknown, expired or malformed token."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    statement = loaded().join(TicketLink).where(TicketLink.token_hash == hash_token(token),
                                                TicketLink.expires_at > (now or utc_now()))
    return session.scalars(statement).first()


def revoke_links(session: Session, ticket: Ticket, *, now: dt.datetime | None = None) -> int:
    """Make every status link of ``ticket`` stop working now; return how many were live.

    Run it through ``change_ticket`` (as every ticket change), then ``issue_link`` a new one
    for the person who asked, so they keep access.
    """
    now = now or utc_now()
    result = session.execute(update(TicketLink).where(
        TicketLink.ticket_id == ticket.id, TicketLink.expires_at > now).values(expires_at=now))
    return result.rowcount


def replace_links(session: Session, ticket: Ticket, *, days: int = LINK_DAYS,
                  now: dt.datetime | None = None) -> str:
    """Revoke every link of ``ticket`` and issue one new link; return its token.

    What "stop every link" on the status page does: links forwarded or leaked earlier stop
    working, and the person who asked keeps access through the new one.
    """
    now = now or utc_now()
    revoke_links(session, ticket, now=now)
    return issue_link(session, ticket, days=days, now=now)
