"""An agent's reply as one step: check the linked articles, add the reply (or an internal note),
move the ticket, assign it, record the linked articles and issue a fresh status link, all in
one transaction under the ticket's lock (``change_ticket``). The caller mails the customer
afterwards.

Tickets merged into this one (``kb.tickets.similar.merge_tickets``) get the same public reply,
each with its own link: one answer reaches everyone an outage brought in. The CLI, the desk
pages and the staff API all call ``reply``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.db import Database
from kb.errors import InvalidTransition, TicketChanged, TicketNotFound, UnknownArticle
from kb.knowledge import KnowledgeBase
from kb.tickets.changes import change_ticket
from kb.tickets.lifecycle import add_reply
from kb.tickets.links import LINK_DAYS, issue_link
from kb.tickets.models import ArticleLink, Message, Status, Ticket, utc_now
from kb.tickets.queries import find_ticket, loaded

UNCHANGED = -1
"""``assignee=UNCHANGED`` (the default) leaves the assignment as it is; ``None`` clears it."""


@dataclass(frozen=True)
class Replied:
    """What ``reply`` returns: the ticket, the reply added, a fresh link token for the mail
    (``None`` for an internal note, which is never mailed), and the same for each ticket
    merged into this one."""

    ticket: Ticket
    message: Message
    token: str | None
    merged: tuple[Replied, ...] = field(default=())


def reply(db: Database, knowledge: KnowledgeBase, reference: str, *, message: str,
          links: Sequence[str] = (), status: str | None = None, link_days: int = LINK_DAYS,
          internal: bool = False, person_id: int | None = None,
          assignee: int | None = UNCHANGED, seen: int | None = None) -> Replied:
    """Answer ticket ``reference`` as an agent (or add an ``internal`` note), committed before
    returning.

    ``links`` must be published articles in the ticket's locale (``UnknownArticle`` names the
    ones that are not); ``status`` moves the ticket as well (``InvalidTransition``);
    ``assignee`` (a person id, or ``None``) assigns it in the same step. ``seen`` is the id
    of the last message the agent saw: if others arrived since (the customer wrote, another
    agent replied), ``TicketChanged`` names them. A bad message raises ``InvalidMessage``, an
    unknown reference ``TicketNotFound``; on any error nothing is stored.
    """
    def answer(session: Session, ticket: Ticket) -> Replied:
        newer = [m.id for m in ticket.messages if seen is not None and m.id > seen]
        if newer:
            raise TicketChanged(ticket.reference, newer)
        unknown = [slug for slug in links if knowledge.get(ticket.locale, slug) is None]
        if unknown:
            raise UnknownArticle(ticket.locale, unknown)
        if assignee != UNCHANGED:
            ticket.assignee_id = assignee
        added = add_reply(session, ticket, message, links=links, status=status,
                          internal=internal, person_id=person_id)
        if internal:
            return Replied(ticket, added, None)
        record_links(session, ticket, links, person_id=person_id)
        token = issue_link(session, ticket, days=link_days)
        merged = tuple(_reply_to_merged(session, ticket, message, links, status, link_days,
                                        person_id))
        return Replied(ticket, added, token, merged)

    done = change_ticket(db, lambda session: find_ticket(session, reference), answer)
    if done is None:
        raise TicketNotFound(reference)
    return done[1]


def record_links(session: Session, ticket: Ticket, slugs: Sequence[str], *,
                 person_id: int | None = None) -> None:
    """Record that ``ticket`` was answered with these articles (once per ticket and article)."""
    seen = set(session.scalars(select(ArticleLink.slug).where(
        ArticleLink.ticket_id == ticket.id, ArticleLink.locale == ticket.locale)))
    now = utc_now()
    for slug in dict.fromkeys(slugs):
        if slug not in seen:
            session.add(ArticleLink(ticket_id=ticket.id, locale=ticket.locale, slug=slug,
                                    person_id=person_id, created_at=now))


def _reply_to_merged(session: Session, target: Ticket, message: str, links: Sequence[str],
                     status: str | None, link_days: int, person_id: int | None
                     ) -> list[Replied]:
    # Locked in id order under the target's lock, so two replies to one target queue here.
    merged = session.scalars(loaded().where(Ticket.merged_into_id == target.id,
                                            Ticket.status != Status.CLOSED.value)
                             .order_by(Ticket.id).with_for_update(of=Ticket))
    replied = []
    for ticket in merged:
        # A merged ticket may sit at another step; it follows the move only where allowed.
        try:
            added = add_reply(session, ticket, message, links=links, status=status,
                              person_id=person_id)
        except InvalidTransition:
            added = add_reply(session, ticket, message, links=links, person_id=person_id)
        record_links(session, ticket, links, person_id=person_id)
        replied.append(Replied(ticket, added, issue_link(session, ticket, days=link_days)))
    return replied
