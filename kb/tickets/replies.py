"""An agent's reply as one step: check the linked articles, add the reply, move the ticket and
issue a fresh status link, all in one transaction under the ticket's lock (``change_ticket``).
The caller mails the customer afterwards.

The CLI calls it today; the desk and a staff API will call the same function.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from kb.db import Database
from kb.errors import TicketNotFound, UnknownArticle
from kb.knowledge import KnowledgeBase
from kb.tickets.changes import change_ticket
from kb.tickets.lifecycle import add_reply
from kb.tickets.links import LINK_DAYS, issue_link
from kb.tickets.models import Message, Ticket
from kb.tickets.queries import find_ticket


@dataclass(frozen=True)
class Replied:
    """What ``reply`` returns: the ticket, the reply added, and a fresh link token for the mail."""

    ticket: Ticket
    message: Message
    token: str


def reply(db: Database, knowledge: KnowledgeBase, reference: str, *, message: str,
          links: Sequence[str] = (), status: str | None = None, link_days: int = LINK_DAYS,
          ) -> Replied:
    """Answer ticket ``reference`` as an agent, committed before returning.

    ``links`` must be published articles in the ticket's locale (``UnknownArticle`` names the
    ones that are not); ``status`` moves the ticket as well (``InvalidTransition``). A bad
    message raises ``InvalidMessage``, an unknown reference ``TicketNotFound``; on any error
    nothing is stored.
    """
    def answer(session: Session, ticket: Ticket) -> tuple[Message, str]:
        unknown = [slug for slug in links if knowledge.get(ticket.locale, slug) is None]
        if unknown:
            raise UnknownArticle(ticket.locale, unknown)
        added = add_reply(session, ticket, message, links=links, status=status)
        return added, issue_link(session, ticket, days=link_days)

    done = change_ticket(db, lambda session: find_ticket(session, reference), answer)
    if done is None:
        raise TicketNotFound(reference)
    ticket, (added, token) = done
    return Replied(ticket, added, token)
