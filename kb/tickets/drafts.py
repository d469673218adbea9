"""Turn a resolved ticket into an article draft: the subject is the title, the customer's own
words and searches are its ``questions``, and the agent's answer is its body.

The draft is stored in the content store (``kb.content.create_draft``) with the ticket's
reference, so it waits in the editors' desk, linked to the ticket, until an editor publishes
it. An existing article is never overwritten (the slug gets ``-2``, ``-3``...).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import yaml
from sqlalchemy.orm import Session

from kb.content import create_draft
from kb.content.checks import linkable_slugs
from kb.errors import ArticleExists, DraftRefused
from kb.tickets.models import Status, Ticket
from kb.tickets.trail import customer_trail

MAX_QUESTIONS = 8
MAX_QUESTION = 200


@dataclass(frozen=True)
class Draft:
    """A draft stored by ``draft_from_ticket``: its article, its text and revision."""

    locale: str
    slug: str
    text: str
    revision: int


def draft_text(session: Session, ticket: Ticket, *, category: str, slug: str,
               today: dt.date | None = None) -> str:
    """The draft article's Markdown for ``ticket`` (front matter and body).

    Raises ``DraftRefused`` when the ticket is not resolved or closed, or has no public answer.
    """
    if ticket.status not in (Status.RESOLVED, Status.CLOSED):
        raise DraftRefused(f"{ticket.reference} is {ticket.status}: only a resolved ticket "
                           "can become an article")
    answers = [m for m in ticket.public_messages if m.is_agent]
    if not answers:
        raise DraftRefused(f"{ticket.reference} has no agent answer to become the body")
    questions = _questions(session, ticket)
    stored = linkable_slugs(session, ticket.locale)  # a draft links only what the store has
    linked = [slug for m in answers for slug in m.links if slug in stored]
    front = {"title": ticket.subject, "slug": slug, "locale": ticket.locale,
             "category": category, "questions": questions,
             "related": list(dict.fromkeys(linked)) or None,
             "updated": today or dt.date.today()}
    front = {key: value for key, value in front.items() if value is not None}
    return ("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n"
            + answers[-1].body.strip() + "\n")


def draft_from_ticket(session: Session, ticket: Ticket, *, categories: Sequence[str],
                      author: str, today: dt.date | None = None) -> Draft:
    """Store the draft of ``ticket`` in the content store and return it.

    The category is the ticket's when ``categories`` (the help center's) has it, else the first
    one; ``author`` is who asked for it. Raises ``DraftRefused`` as ``draft_text`` does.
    """
    category = ticket.category if ticket.category in categories else categories[0]
    base = slug_for(ticket)
    for number in range(1, 100):  # the first draft_text refuses before anything is stored
        slug = base if number == 1 else f"{base}-{number}"
        text = draft_text(session, ticket, category=category, slug=slug, today=today)
        try:
            saved = create_draft(session, locale=ticket.locale, slug=slug, markdown=text,
                                 author=author, message=f"draft from ticket {ticket.reference}",
                                 ticket_reference=ticket.reference)
        except ArticleExists:
            continue
        return Draft(ticket.locale, slug, text, saved.revision)
    raise DraftRefused(f"{ticket.locale} already holds 99 articles named {base}; rename some")


def slug_for(ticket: Ticket) -> str:
    """A slug from an ASCII subject (``cannot-log-in``), else ``ticket-df-7k3q-9xm4``."""
    slug = "-".join(re.findall(r"[a-z0-9]+", ticket.subject.lower()))[:60].strip("-")
    return slug if len(slug) >= 3 and ticket.subject.isascii() \
        else f"ticket-{ticket.reference.lower()}"


def _questions(session: Session, ticket: Ticket) -> list[str]:
    """The customer's first message (its first line) and their searches, without repeats."""
    asked = []
    first = ticket.description.strip().splitlines()
    if first:
        asked.append(first[0].strip()[:MAX_QUESTION])
    for step in customer_trail(session, ticket):
        if step.kind == "search" and step.query:
            asked.append(step.query.strip()[:MAX_QUESTION])
    unique = [q for q in dict.fromkeys(asked) if q and q != ticket.subject]
    return unique[:MAX_QUESTIONS]
