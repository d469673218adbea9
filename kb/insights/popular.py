"""Popular articles: the most viewed of a locale lately, topped up with the promoted ones."""

from __future__ import annotations

import datetime as dt

from kb.articles import Article
from kb.db import Database
from kb.insights.rollups import collect, utc_now
from kb.knowledge import KnowledgeBase

POPULAR_DAYS = 30


def popular_articles(database: Database, knowledge: KnowledgeBase, locale: str, *,
                     limit: int = 5, days: int = POPULAR_DAYS,
                     now: dt.datetime | None = None) -> list[Article]:
    """The ``limit`` published articles of ``locale`` viewed most in the last ``days`` days
    (ties: title order); promoted articles fill the list when fewer were viewed."""
    now = now or utc_now()
    start = now.date() - dt.timedelta(days=days - 1)
    figures = collect(database, start, now.date(), locale=locale, metrics=("view",), now=now)
    views: dict[str, int] = {}
    for (_, slug), counts in figures.of("view").items():
        views[slug] = views.get(slug, 0) + counts.count
    ranked = sorted((slug for slug in views if knowledge.get(locale, slug) is not None),
                    key=lambda slug: (-views[slug], knowledge.get(locale, slug).title))
    chosen = [knowledge.get(locale, slug) for slug in ranked[:limit]]
    for article in knowledge.promoted(locale):
        if len(chosen) >= limit:
            break
        if article not in chosen:
            chosen.append(article)
    return [a for a in chosen if a is not None]
