"""What the workspace and the staff API show beside a ticket, in one place: the customer's trail
with article titles, the articles suggested for its text (with the words that matched), article
search over both locales, and the filters of the queue read from a request.

The pages and ``/api/desk/tickets`` both call these, so they show the same things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import current_app
from markupsafe import Markup

from kb import tickets
from kb.articles import LOCALES
from search.errors import QueryError
from web import services

SUGGESTED = 5
SEARCHED = 8
_MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)


@dataclass(frozen=True)
class Suggestion:
    """An article to link: its title in the ticket's locale, or ``other_locale`` when only the
    other locale has it (then it cannot be linked for this customer)."""

    slug: str
    locale: str
    title: str
    score: float
    snippet: Markup
    matched: tuple[str, ...]
    other_locale: str | None = None


def trail_of(session, ticket: tickets.Ticket) -> list[dict]:
    """The customer's trail with the title of each article named (for pages and JSON)."""
    knowledge = services.knowledge_base(current_app)
    steps = []
    for step in tickets.customer_trail(session, ticket):
        article = knowledge.get(step.locale or ticket.locale, step.slug) if step.slug else None
        clicked = [{"slug": slug, "title": _title(slug, step.locale or ticket.locale)}
                   for slug in step.clicked]
        steps.append({"kind": step.kind, "at": step.created_at, "query": step.query,
                      "slug": step.slug, "title": article.title if article else step.slug,
                      "result_count": step.result_count, "seconds": step.seconds,
                      "clicked": clicked, "is_source": step.slug == ticket.source_article
                      and step.kind == "need_help"})
    return steps


def suggested_articles(ticket: tickets.Ticket, *, limit: int = SUGGESTED) -> list[Suggestion]:
    """The articles most like the ticket's subject and first message, in its locale."""
    hits = services.search_engine(current_app).similar_to_text(
        f"{ticket.subject}\n{ticket.description}", locale=ticket.locale, limit=limit)
    return [Suggestion(hit.slug, hit.locale, hit.title, round(hit.score, 3),
                       Markup(hit.snippet), _matched(hit.snippet)) for hit in hits]


def search_articles(query: str, locale: str, *, limit: int = SEARCHED) -> list[Suggestion]:
    """Articles for ``query`` in both locales, the customer's ``locale`` first; an article only
    the other locale has says so (``other_locale``) instead of offering a link."""
    query = query.strip()[:200]
    if not query:
        return []
    engine = services.search_engine(current_app)
    knowledge = services.knowledge_base(current_app)
    found: dict[str, Suggestion] = {}
    for searched in (locale, *[other for other in LOCALES if other != locale]):
        try:
            hits = engine.search(query, locale=searched, limit=limit).hits
        except QueryError:
            return []
        for hit in hits:
            if hit.slug in found:
                continue
            if searched == locale:
                found[hit.slug] = Suggestion(hit.slug, locale, hit.title, round(hit.score, 3),
                                             Markup(hit.snippet), _matched(hit.snippet))
            elif knowledge.get(locale, hit.slug) is None:
                found[hit.slug] = Suggestion(hit.slug, searched, hit.title,
                                             round(hit.score, 3), Markup(hit.snippet),
                                             _matched(hit.snippet), other_locale=searched)
            else:  # the customer's locale has it too: offer that translation
                article = knowledge.get(locale, hit.slug)
                found[hit.slug] = Suggestion(hit.slug, locale, article.title,
                                             round(hit.score, 3), Markup(hit.snippet),
                                             _matched(hit.snippet))
    return list(found.values())[:limit]


def queue_filters(args, person_id: int) -> tuple[tickets.QueueFilter, dict[str, str]]:
    """The queue's filters from query arguments (``status``, ``category``, ``locale``,
    ``assignee``: mine, unassigned, anyone or an id, ``q``), and what was typed, to show it
    again. Raises ``tickets.InvalidQueueFilter`` naming each bad argument."""
    typed = {name: args.get(name, "").strip() for name in
             ("status", "category", "locale", "assignee", "q", "cursor")}
    steps: tuple[str, ...] = tickets.OPEN_STEPS
    if typed["status"] == "all":
        steps = ()
    elif typed["status"]:
        steps = tuple(s for s in typed["status"].split(",") if s)
    assignee: int | str = {"mine": person_id, "": tickets.ANYONE}.get(typed["assignee"],
                                                                     typed["assignee"])
    if isinstance(assignee, str) and assignee.isdigit():
        assignee = int(assignee)
    if typed["locale"] and typed["locale"] not in LOCALES:
        raise tickets.InvalidQueueFilter({"locale": f"locale must be one of {', '.join(LOCALES)}"})
    return tickets.QueueFilter(steps=steps, category=typed["category"] or None,
                               locale=typed["locale"] or None, assignee=assignee,
                               text=typed["q"]), typed


def _title(slug: str, locale: str) -> str:
    article = services.knowledge_base(current_app).get(locale, slug)
    return article.title if article else slug


def _matched(snippet: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(Markup(m).striptags() for m in _MARK.findall(snippet)))
