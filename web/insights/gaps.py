"""Content gaps and learned phrasings as the desk shows them.

Gaps: the zero-result and low-click-through queries of the window, grouped by meaning with
``search.cluster_queries`` (most searched first, so each group is named by its most searched
query), sized by searches and by the tickets that followed. Phrasings: ``kb.insights``'
proposals, leaving out what an article already says (its title and questions, compared by
their analysed keys).
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from kb import insights
from web import services
from web.insights.figures import FULL_LIST, Request


def content_gaps(chosen: Request, *, limit: int) -> dict[str, Any]:
    """The window's gap groups, largest (searches) first."""
    from search import cluster_queries

    report = insights.search_report(services.database(current_app), chosen.window,
                                    locale=chosen.locale, limit=FULL_LIST)
    seen: dict[str, dict[str, Any]] = {}
    for query in report["zero_result_queries"] + report["low_click_through_queries"]:
        seen.setdefault(query["key"], query)
    queries = sorted(seen.values(), key=lambda q: (-q["count"], q["query"]))
    groups = []
    for members in cluster_queries([q["query"] for q in queries]):
        found = [queries[i] for i in members]
        groups.append({
            "name": found[0]["query"],
            "queries": [{"query": q["query"], "count": q["count"]} for q in found],
            "searches": sum(q["count"] for q in found),
            "zero_results": sum(q["zero_results"] for q in found),
            "tickets": sum(q["followed_by_ticket"] for q in found),
            "has_article": any(q["zero_results"] < q["count"] for q in found),
        })
    groups.sort(key=lambda g: (-g["searches"], -g["tickets"], g["name"]))
    return {"window": chosen.window.as_dict(), "groups": groups[:limit]}


def known_keys() -> dict[tuple[str, str], set[str]]:
    """The analysed keys of every published article's title and questions."""
    from search import query_key

    return {(a.locale, a.slug): {query_key(text, a.locale) for text in (a.title, *a.questions)}
            for a in services.knowledge_base(current_app).articles()}


def learned_phrasings(chosen: Request, *, limit: int) -> dict[str, Any]:
    """Proposed questions for published articles, most sessions first."""
    knowledge = services.knowledge_base(current_app)
    proposed = insights.proposed_phrasings(services.database(current_app), chosen.window,
                                           locale=chosen.locale, known=known_keys())
    rows = []
    for phrasing in proposed:
        article = knowledge.get(phrasing.locale, phrasing.slug)
        if article is None:
            continue
        rows.append({"locale": phrasing.locale, "slug": phrasing.slug, "title": article.title,
                     "query": phrasing.query, "key": phrasing.key,
                     "sessions": phrasing.sessions})
    return {"window": chosen.window.as_dict(), "phrasings": rows[:limit]}
