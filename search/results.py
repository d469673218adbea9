"""What the engine answers with: search hits, a query's results and autocomplete entries.

Plain frozen records, so that pages, the JSON API and the CLI can show them without reaching
into the engine.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    """One search result: what to display and link, with a safe-HTML snippet."""

    slug: str
    locale: str
    title: str
    category: str
    score: float
    snippet: str
    url: str


@dataclass(frozen=True)
class SearchResults:
    """The answer to one query: ranked hits, facet counts, hints for the page, and the
    ``confidence`` (``search.confidence``) that the first hit answers the query."""

    query: str
    hits: list[Hit]
    total: int
    facets: dict[str, int]
    did_you_mean: str | None
    is_low_confidence: bool
    took_ms: float
    confidence: float = 0.0


@dataclass(frozen=True)
class Suggestion:
    """An autocomplete entry: an article whose title or question matches what was typed."""

    slug: str
    locale: str
    title: str
    url: str
