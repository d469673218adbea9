"""Helpers for the desk's domain tests: tickets opened at chosen times, read back."""

from __future__ import annotations

import datetime as dt
import itertools

from kb import Database, tickets
from kb.submissions import parse_submission

START = dt.datetime(2026, 11, 30, 9, 0)
_keys = itertools.count()


def open_ticket(db: Database, *, minutes: int = 0, locale: str = "en",
                category: str = "account", subject: str = "Cannot log in",
                description: str = "It says my account is locked.",
                email: str = "min@example.com", name: str = "Min",
                session_id: str | None = None, trail=None) -> str:
    """Open a ticket ``minutes`` after ``START``; return its reference."""
    form = {"category": category, "subject": subject, "description": description,
            "email": email, "name": name, "consent": "on"}
    context = tickets.Context(session_id=session_id, trail=trail or [])
    created = tickets.create_ticket(
        db, parse_submission(form, locale=locale), idempotency_key=f"desk-{next(_keys)}",
        context=context, limits=tickets.Limits(per_address=0, per_email=0),
        now=START + dt.timedelta(minutes=minutes))
    return created.ticket.reference


def read(db: Database, reference: str) -> tickets.Ticket:
    with db.session() as session:
        return tickets.find_ticket(session, reference)
