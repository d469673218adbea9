"""Reading tickets for agents: by reference, newest first, one ticket's attachment, and the
articles linked in replies (per ticket and counted per article)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from kb.tickets.models import ArticleLink, Attachment, Ticket, normalize_reference


def loaded() -> Select[tuple[Ticket]]:
    """A select of tickets with their messages and attachments loaded in the same session."""
    return select(Ticket).options(selectinload(Ticket.messages),
                                  selectinload(Ticket.attachments),
                                  selectinload(Ticket.steps))


def find_ticket(session: Session, reference: str) -> Ticket | None:
    """The ticket with this reference (for agents; customers use ``find_by_token``)."""
    normalized = normalize_reference(reference)
    if normalized is None:
        return None
    return session.scalars(loaded().where(Ticket.reference == normalized)).first()


def list_tickets(session: Session, *, status: str | None = None, limit: int = 200
                 ) -> list[Ticket]:
    """Tickets, newest first, optionally only those with ``status``."""
    statement = loaded().order_by(Ticket.created_at.desc(), Ticket.id.desc()).limit(limit)
    if status:
        statement = statement.where(Ticket.status == status)
    return list(session.scalars(statement))


@dataclass(frozen=True)
class Page:
    """One page of ``page_tickets``: its tickets and how many match in all."""

    tickets: list[Ticket]
    total: int
    page: int
    limit: int

    @property
    def has_more(self) -> bool:
        """Whether a later page holds more tickets."""
        return self.page * self.limit < self.total


def page_tickets(session: Session, *, status: str | None = None, limit: int = 50,
                 page: int = 1) -> Page:
    """Page ``page`` (from 1) of ``limit`` tickets, newest first, with the total that match."""
    statement = loaded().order_by(Ticket.created_at.desc(), Ticket.id.desc())
    count = select(func.count()).select_from(Ticket)
    if status:
        statement = statement.where(Ticket.status == status)
        count = count.where(Ticket.status == status)
    found = session.scalars(statement.limit(limit).offset((page - 1) * limit))
    return Page(list(found), session.scalar(count) or 0, page, limit)


def find_attachment(session: Session, ticket: Ticket, public_id: str) -> Attachment | None:
    """The attachment ``public_id`` of this ticket only (never of another ticket)."""
    return session.scalars(select(Attachment).where(
        Attachment.ticket_id == ticket.id, Attachment.public_id == public_id)).first()


def linked_articles(session: Session, ticket: Ticket) -> list[tuple[str, str]]:
    """The ``(locale, slug)`` of the articles linked in replies to ``ticket``, first linked
    first."""
    return [tuple(row) for row in session.execute(
        select(ArticleLink.locale, ArticleLink.slug).where(ArticleLink.ticket_id == ticket.id)
        .order_by(ArticleLink.id))]


def article_link_counts(session: Session, *, locale: str | None = None
                        ) -> dict[tuple[str, str], int]:
    """How many tickets each article was linked in, keyed by ``(locale, slug)``, most first."""
    statement = select(ArticleLink.locale, ArticleLink.slug, func.count()).group_by(
        ArticleLink.locale, ArticleLink.slug).order_by(func.count().desc(), ArticleLink.slug)
    if locale:
        statement = statement.where(ArticleLink.locale == locale)
    return {(row_locale, slug): count for row_locale, slug, count in session.execute(statement)}
