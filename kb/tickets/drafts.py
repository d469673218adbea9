"""Turn a resolved ticket into an article draft: the subject is the title, the customer's own
words and searches are its ``questions``, and the agent's answer is its body.

Until the editors' desk stores drafts in the database, the draft is a Markdown file with
``status: draft`` at the article's own place, ``<articles>/<locale>/<category>/<slug>.md``: the
loader reads it but never shows or searches it, ``deflect lint`` checks it, and an editor
publishes it by changing that one line. An existing file is never overwritten (the slug gets
``-2``, ``-3``...).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from kb.errors import DraftRefused
from kb.tickets.models import Status, Ticket
from kb.tickets.trail import customer_trail

MAX_QUESTIONS = 8
MAX_QUESTION = 200


@dataclass(frozen=True)
class Draft:
    """A draft written by ``draft_from_ticket``: where, under which slug, and its text."""

    path: Path
    slug: str
    text: str


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
    front = {"title": ticket.subject, "slug": slug, "locale": ticket.locale,
             "category": category, "questions": questions, "status": "draft",
             "related": list(dict.fromkeys(s for m in answers for s in m.links)) or None,
             "updated": today or dt.date.today()}
    front = {key: value for key, value in front.items() if value is not None}
    return ("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n"
            + answers[-1].body.strip() + "\n")


def draft_from_ticket(session: Session, ticket: Ticket, articles_dir: Path, *,
                      categories: Sequence[str], today: dt.date | None = None) -> Draft:
    """Write the draft of ``ticket`` into ``articles_dir`` and return it.

    The category is the ticket's when ``categories`` (the help center's) has it, else the first
    one. Raises ``DraftRefused`` as ``draft_text`` does.
    """
    category = ticket.category if ticket.category in categories else categories[0]
    base = slug_for(ticket)
    draft_text(session, ticket, category=category, slug=base)  # refuses before any folder
    folder = articles_dir / ticket.locale / category
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, 100):
        slug = base if number == 1 else f"{base}-{number}"
        text = draft_text(session, ticket, category=category, slug=slug, today=today)
        path = folder / f"{slug}.md"
        try:
            with path.open("x", encoding="utf-8") as file:  # never overwrite an article
                file.write(text)
        except FileExistsError:
            continue
        return Draft(path, slug, text)
    raise DraftRefused(f"{folder} already holds 99 drafts named {base}; rename some")


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
