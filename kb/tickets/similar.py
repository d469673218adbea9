"""Similar open tickets, and merging them: an outage brings fifty of the same.

Similarity is the cosine of word sets over the subject and first message: English words, and
Korean words cut into two-syllable pieces so that particles (로그인이, 로그인을) still meet.
``kb`` cannot use the search engine (it sits above ``kb``), and tickets are short, so this plain
measure is enough to put the same complaint side by side. A merged ticket leaves the queue, and
every public reply to the ticket it was merged into reaches its customer too
(``kb.tickets.replies``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kb.db import Database
from kb.errors import MergeRefused, TicketNotFound
from kb.tickets.lifecycle import add_reply
from kb.tickets.models import Status, Ticket
from kb.tickets.queries import find_ticket

OPEN = (Status.RECEIVED.value, Status.INVESTIGATING.value, Status.PROPOSED.value)
CANDIDATES = 500
"""How many of the newest open tickets of the locale are compared."""
THRESHOLD = 0.25
_WORD = re.compile(r"\w+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


@dataclass(frozen=True)
class SimilarTicket:
    """An open ticket like the one being read, with its similarity from 0 to 1."""

    reference: str
    subject: str
    status: str
    score: float


def words(text: str) -> frozenset[str]:
    """The comparable pieces of ``text``.

    >>> sorted(words("로그인이 안 돼요 login"))
    ['login', '그인', '돼요', '로그', '인이']
    """
    pieces: set[str] = set()
    for word in _WORD.findall(text.lower()):
        if _HANGUL.match(word) and len(word) > 2:
            pieces.update(word[i:i + 2] for i in range(len(word) - 1))
        elif len(word) > 1:
            pieces.add(word)
    return frozenset(pieces)


def similar_open_tickets(session: Session, ticket: Ticket, *, limit: int = 10,
                         threshold: float = THRESHOLD) -> list[SimilarTicket]:
    """Open tickets of ``ticket``'s locale most like it, best first (not merged ones, not
    itself, and not those already merged into it)."""
    mine = words(f"{ticket.subject}\n{ticket.description}")
    if not mine:
        return []
    candidates = session.scalars(
        select(Ticket).options(selectinload(Ticket.messages))
        .where(Ticket.locale == ticket.locale, Ticket.status.in_(OPEN),
               Ticket.merged_into_id.is_(None), Ticket.id != ticket.id)
        .order_by(Ticket.created_at.desc()).limit(CANDIDATES))
    found = []
    for other in candidates:
        theirs = words(f"{other.subject}\n{other.description}")
        if theirs:
            score = len(mine & theirs) / math.sqrt(len(mine) * len(theirs))
            if score >= threshold:
                found.append(SimilarTicket(other.reference, other.subject, other.status,
                                           round(score, 3)))
    found.sort(key=lambda s: -s.score)
    return found[:limit]


def merged_into(session: Session, ticket: Ticket) -> list[Ticket]:
    """The tickets merged into ``ticket``, oldest first."""
    return list(session.scalars(select(Ticket).where(Ticket.merged_into_id == ticket.id)
                                .order_by(Ticket.id)))


def merge_tickets(db: Database, target: str, sources: Sequence[str], *,
                  person_id: int | None = None) -> list[str]:
    """Merge the tickets ``sources`` into ``target``: they leave the queue, and each later public
    reply to ``target`` reaches them too. Returns the references merged.

    An internal note on each side records it. Raises ``TicketNotFound`` for an unknown
    reference and ``MergeRefused`` (naming every ticket that cannot be merged: the target
    itself, a closed one, another locale, one already merged); then nothing changes.
    """
    with db.session() as session:
        into = find_ticket(session, target)
        if into is None:
            raise TicketNotFound(target)
        if into.merged_into_id is not None:
            raise MergeRefused(f"{into.reference} was itself merged into another ticket; "
                               "merge into that one")
        found: list[Ticket] = []
        reasons = []
        for reference in dict.fromkeys(sources):
            ticket = find_ticket(session, reference)
            if ticket is None:
                raise TicketNotFound(reference)
            reason = _refusal(ticket, into)
            if reason:
                reasons.append(f"{ticket.reference} {reason}")
            found.append(ticket)
        if reasons or not found:
            raise MergeRefused("; ".join(reasons) or "choose at least one ticket to merge")
        for ticket in found:
            ticket.merged_into_id = into.id
            for earlier in merged_into(session, ticket):  # keep one level: follow the target
                earlier.merged_into_id = into.id
            add_reply(session, ticket, f"Merged into {into.reference}.", internal=True,
                      person_id=person_id)
        add_reply(session, into, "Merged here: " + ", ".join(t.reference for t in found)
                  + ".", internal=True, person_id=person_id)
        return [ticket.reference for ticket in found]


def _refusal(ticket: Ticket, into: Ticket) -> str | None:
    if ticket.id == into.id:
        return "is the ticket it would be merged into"
    if ticket.status == Status.CLOSED:
        return "is closed"
    if ticket.locale != into.locale:
        return f"is in {ticket.locale}, {into.reference} in {into.locale}"
    if ticket.merged_into_id is not None:
        return "is already merged into another ticket"
    return None
