"""Assigning and moving several tickets at once, all or nothing.

An agent ticks twenty tickets in the queue and assigns them or moves them on: every reference is
checked first, and if one cannot change (unknown, or a move ``TRANSITIONS`` forbids) nothing
changes and ``AssignmentRefused`` names each one with its reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.db import Database
from kb.errors import AssignmentRefused, InvalidTransition
from kb.tickets.lifecycle import check_transition, move
from kb.tickets.models import Ticket, normalize_reference, utc_now

MAX_BULK = 200
"""The most tickets one bulk action may change (a queue page at its largest)."""


def assign(db: Database, references: Sequence[str], assignee: int | None, *,
           person_id: int | None = None) -> list[str]:
    """Assign every ticket of ``references`` to person ``assignee`` (``None``: unassign).

    Returns the references changed, in order. Raises ``AssignmentRefused`` naming the unknown
    references; then nothing changes. ``person_id`` (who did it) is kept for the history the
    accounts part adds; assignment itself is not a step.
    """
    with db.session() as session:
        found, refused = _lock(session, references)
        if refused:
            raise AssignmentRefused(refused)
        now = utc_now()
        for ticket in found:
            ticket.assignee_id = assignee
            ticket.updated_at = now
        return [ticket.reference for ticket in found]


def move_tickets(db: Database, references: Sequence[str], status: str, *,
                 person_id: int | None = None) -> list[str]:
    """Move every ticket of ``references`` to step ``status`` as an agent.

    Tickets already there are left as they are. Raises ``AssignmentRefused`` naming each
    reference that is unknown or cannot move there (with the allowed steps); then nothing
    changes.
    """
    with db.session() as session:
        found, refused = _lock(session, references)
        for ticket in found:
            if ticket.status != status:
                try:
                    check_transition(ticket.status, status)
                except InvalidTransition as error:
                    refused[ticket.reference] = str(error)
        if refused:
            raise AssignmentRefused(refused)
        now = utc_now()
        for ticket in found:
            if ticket.status != status:
                move(ticket, status, actor="agent", person_id=person_id, now=now)
        return [ticket.reference for ticket in found]


def _lock(session: Session, references: Sequence[str]
          ) -> tuple[list[Ticket], dict[str, str]]:
    """The tickets of ``references`` in their order, locked for update where the database
    can (PostgreSQL), and the references refused (unknown) with the reason."""
    if len(references) > MAX_BULK:
        raise AssignmentRefused({"tickets": f"at most {MAX_BULK} tickets at once"})
    wanted = {ref: normalize_reference(ref) for ref in dict.fromkeys(references)}
    rows = session.scalars(select(Ticket).where(Ticket.reference.in_(
        [r for r in wanted.values() if r])).order_by(Ticket.id).with_for_update())
    by_reference = {ticket.reference: ticket for ticket in rows}
    refused = {ref: "no such ticket" for ref, normal in wanted.items()
               if normal not in by_reference}
    if not wanted:
        refused["tickets"] = "choose at least one ticket"
    return [by_reference[n] for n in wanted.values() if n in by_reference], refused
