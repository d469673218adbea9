"""One way to change a ticket, race-safe on SQLite and PostgreSQL: ``change_ticket``.

Every change (a customer message, a confirmation, a reopen, an agent reply, a step change,
revoking links) reads the ticket and writes it in one transaction that holds the ticket's lock:
``SELECT … FOR UPDATE`` on PostgreSQL, and on SQLite ``BEGIN IMMEDIATE`` (SQLite has no row
locks; the database write lock is taken before the ticket is read). A second writer waits, then
sees the first one's result, so a rating and a reopen sent at the same moment cannot both pass
the ``TRANSITIONS`` check: the later one raises ``InvalidTransition`` and nothing of it is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.orm import Session

from kb.db import Database
from kb.tickets.models import Ticket
from kb.tickets.queries import loaded

T = TypeVar("T")


def change_ticket(db: Database, find: Callable[[Session], Ticket | None],
                  change: Callable[..., T], *args: Any, **kwargs: Any
                  ) -> tuple[Ticket, T] | None:
    """Find a ticket with ``find(session)``, lock it, apply ``change(session, ticket, ...)``
    and commit; return the ticket and what ``change`` returned.

    ``None`` when ``find`` finds nothing (nothing is written). Errors from ``change`` (such as
    ``InvalidTransition`` or ``InvalidMessage``) propagate and roll everything back.
    """
    with db.session() as session:
        if db.engine.dialect.name == "sqlite":
            # The first statement of the transaction: writers queue here, before any read.
            session.execute(text("BEGIN IMMEDIATE"))
        found = find(session)
        if found is None:
            return None
        ticket = lock_ticket(session, found.id)
        result = change(session, ticket, *args, **kwargs)
    return ticket, result


def lock_ticket(session: Session, ticket_id: int) -> Ticket:
    """Load ticket ``ticket_id`` afresh under its row lock (released when the session ends)."""
    statement = (loaded().where(Ticket.id == ticket_id).with_for_update(of=Ticket)
                 .execution_options(populate_existing=True))
    return session.scalars(statement).one()
