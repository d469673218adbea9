"""The one way the pages and the JSON API ask the search engine, and log that they did.

A query is checked here before it reaches ``search.Engine`` (empty or longer than
``MAX_QUERY_LENGTH`` characters is a ``BadQuery`` with a message a customer can read), so the
pages and the API agree on what is a valid query.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext

from web import services, visitor
from web.errors import WebError

MAX_QUERY_LENGTH = 200
"""Characters; the same limit as ``search.MAX_QUERY_LENGTH``."""
MAX_LIMIT = 50


class BadQuery(WebError):
    """Raised by ``check_query`` for an empty or over-long query; ``str()`` is for customers."""


def check_query(raw: str | None) -> str:
    """Return the query without surrounding spaces, or raise ``BadQuery``."""
    query = (raw or "").strip()
    if not query:
        raise BadQuery(gettext("Type a few words to search for."))
    if len(query) > MAX_QUERY_LENGTH:
        raise BadQuery(gettext("Your search is too long: use at most %(n)d characters.",
                               n=MAX_QUERY_LENGTH))
    return query


def search_articles(raw: str | None, *, locale: str, category: str | None = None,
                    limit: int = 10):
    """Search the published articles and log the search; raises ``BadQuery``."""
    query = check_query(raw)
    from search import QueryError, query_key  # not at the top: search loads the models

    try:
        results = services.search_engine(current_app).search(
            query, locale=locale, category=category, limit=limit)
    except QueryError as error:  # the engine's own limits
        raise BadQuery(str(error)) from error
    visitor.record("search", locale=locale, query=query, query_key=query_key(query, locale),
                   result_count=results.total, is_zero_result=results.total == 0)
    return results


def suggest_articles(raw: str | None, *, locale: str, limit: int = 8):
    """Articles whose titles complete what the visitor is typing; raises ``BadQuery``."""
    query = check_query(raw)
    from search import QueryError  # not at the top: importing search loads the models

    try:
        return services.search_engine(current_app).suggest(query, locale=locale, limit=limit)
    except QueryError as error:
        raise BadQuery(str(error)) from error


def related_articles(article, *, limit: int = 5):
    """Articles related to ``article`` (the engine's similarity plus the editor's picks)."""
    return services.search_engine(current_app).related(article.slug, locale=article.locale,
                                                       limit=limit)
