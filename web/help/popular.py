"""Popular articles for the home page and the zero-result page, from views per locale.

The ranking reads the roll-ups and today's events, so each worker keeps it ``TTL`` seconds per
locale rather than recomputing it on every page; editors' promoted articles fill the list when
too few articles were viewed.
"""

from __future__ import annotations

import time

from flask import current_app

from kb import Article
from kb.insights import popular_articles
from web import services

TTL = 300.0
LIMIT = 6
_KEY = "deflect.popular"


def popular(locale: str) -> list[Article]:
    """The locale's popular articles, at most ``TTL`` seconds old in this worker."""
    cache: dict[str, tuple[float, list[Article]]] = current_app.extensions.setdefault(_KEY, {})
    now = time.monotonic()
    found = cache.get(locale)
    if found is None or now - found[0] > TTL:
        found = (now, popular_articles(services.database(current_app),
                                       services.knowledge_base(current_app), locale,
                                       limit=LIMIT))
        cache[locale] = found
    return found[1]
