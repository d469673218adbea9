"""Where the help center's links lead: the contact path, and how an article was reached.

An article link from search results, suggestions or related articles carries ``src`` (and the
search ``q`` and ``rank``), so the article view can log how it was found and "Still need
help?" can hand the query to the contact form.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for

from kb.events import SOURCES

MAX_RANK = 1000


@dataclass(frozen=True)
class Arrival:
    """How the visitor reached an article: ``source`` in ``kb.events.SOURCES``."""

    source: str
    query: str | None
    rank: int | None


def contact_url(locale: str, **params: str | None) -> str:
    """The contact form (the ``tickets`` blueprint), with the non-empty ``params``."""
    params = {key: value for key, value in params.items() if value}
    return url_for("tickets.contact", locale=locale, **params)


def article_link(article, *, source: str, query: str | None = None,
                 rank: int | None = None) -> str:
    """An article's URL that says how it was reached (``src``, ``q``, ``rank``)."""
    params = {"src": source, "q": query or None, "rank": rank}
    return url_for("help.article", locale=article.locale, slug=article.slug,
                   **{key: value for key, value in params.items() if value is not None})


def read_arrival() -> Arrival:
    """Read ``src``, ``q`` and ``rank`` from the current request; anything odd is ``direct``."""
    source = request.args.get("src", "direct")
    if source not in SOURCES:
        source = "direct"
    query = request.args.get("q", "").strip() or None
    rank = request.args.get("rank", type=int)
    if rank is not None and not 1 <= rank <= MAX_RANK:
        rank = None
    return Arrival(source=source, query=query, rank=rank)
