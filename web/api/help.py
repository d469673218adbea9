"""Help-center endpoints: search, suggestions as you type, an article, and its feedback.

They call the same functions as the pages (``web.help.queries``, ``web.help.votes``).
"""

from __future__ import annotations

from flask import current_app, jsonify, request

from kb import LOCALES, Article
from kb.events import MAX_COMMENT_CHARS
from web import services
from web.api import bp
from web.errors import APIError
from web.help import queries, votes
from web.help.links import article_link

DEFAULT_LIMIT = 10


def _locale() -> str:
    locale = request.args.get("locale", "ko")
    if locale not in LOCALES:
        raise APIError(400, "invalid_parameter", "unknown locale",
                       {"locale": f"use one of: {', '.join(LOCALES)}"})
    return locale


def _limit() -> int:
    raw = request.args.get("limit", str(DEFAULT_LIMIT))
    # At most three digits are read: int() of thousands of digits raises (and takes time).
    limit = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 else 0
    if not 1 <= limit <= queries.MAX_LIMIT:
        raise APIError(400, "invalid_parameter", "limit is out of range",
                       {"limit": f"use a whole number from 1 to {queries.MAX_LIMIT}"})
    return limit


def _query_error(error: queries.BadQuery) -> APIError:
    return APIError(400, "invalid_query", str(error), {"q": str(error)})


def _article(locale: str, slug: str) -> Article:
    article = services.knowledge_base(current_app).get(locale, slug)
    if article is None:
        raise APIError(404, "not_found", f"no published article {slug!r} in {locale!r}")
    return article


@bp.get("/search")
def search():
    locale, limit = _locale(), _limit()
    try:
        results = queries.search_articles(request.args.get("q"), locale=locale, limit=limit,
                                          category=request.args.get("category") or None)
    except queries.BadQuery as error:
        raise _query_error(error) from None
    return jsonify(query=results.query, results=[{
        "slug": hit.slug, "locale": hit.locale, "title": hit.title, "url": hit.url,
        "snippet": hit.snippet, "score": round(hit.score, 4), "category": hit.category,
    } for hit in results.hits], total=results.total, did_you_mean=results.did_you_mean,
        confidence=round(results.confidence, 4), low_confidence=results.is_low_confidence,
        took_ms=round(results.took_ms, 2))


@bp.get("/suggest")
def suggest():
    locale = _locale()
    try:
        found = queries.suggest_articles(request.args.get("q"), locale=locale)
    except queries.BadQuery as error:
        raise _query_error(error) from None
    query = request.args.get("q", "").strip()
    return jsonify(suggestions=[{
        "slug": s.slug, "title": s.title,
        "url": article_link(s, source="suggestion", query=query),
    } for s in found])


@bp.get("/articles/<locale>/<slug>")
def article(locale: str, slug: str):
    found = _article(locale, slug)
    return jsonify(
        slug=found.slug, locale=found.locale, title=found.title, category=found.category,
        url=found.url, html=found.html, questions=list(found.questions),
        updated=found.updated.isoformat() if found.updated else None,
        headings=[{"level": h.level, "id": h.id, "text": h.text} for h in found.headings],
    )


@bp.post("/articles/<locale>/<slug>/feedback")
def article_feedback(locale: str, slug: str):
    found = _article(locale, slug)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise APIError(400, "invalid_body", "send a JSON object such as {\"helpful\": true}")
    try:
        given = votes.parse_feedback(body)
    except votes.FeedbackError as error:
        raise APIError(400, "invalid_feedback", "the feedback is not valid",
                       error.fields) from None
    votes.record_feedback(found, given)
    return jsonify(recorded=True), 201


_QUERY = {"name": "q", "in": "query", "required": True,
          "schema": {"type": "string", "minLength": 1, "maxLength": queries.MAX_QUERY_LENGTH}}
_LOCALE_PARAM = {"name": "locale", "in": "query", "required": False,
                 "schema": {"type": "string", "enum": list(LOCALES), "default": "ko"}}
_PATH_PARAMS = [
    {"name": "locale", "in": "path", "required": True,
     "schema": {"type": "string", "enum": list(LOCALES)}},
    {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
]


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


_ERRORS = {"400": _json("Error", "invalid parameters"), "404": _json("Error", "not found")}

OPENAPI_PATHS = {
    "/api/search": {"get": {
        "summary": "Search the published articles of one locale",
        "parameters": [_QUERY, _LOCALE_PARAM,
                       {"name": "category", "in": "query", "schema": {"type": "string"}},
                       {"name": "limit", "in": "query", "schema": {
                           "type": "integer", "minimum": 1, "maximum": queries.MAX_LIMIT,
                           "default": DEFAULT_LIMIT}}],
        "responses": {"200": _json("SearchResults", "ranked results"), **_ERRORS},
    }},
    "/api/suggest": {"get": {
        "summary": "Articles completing what the visitor is typing (search as you type)",
        "parameters": [_QUERY, _LOCALE_PARAM],
        "responses": {"200": _json("Suggestions", "suggested articles"), **_ERRORS},
    }},
    "/api/articles/{locale}/{slug}": {"get": {
        "summary": "One published article",
        "parameters": _PATH_PARAMS,
        "responses": {"200": _json("Article", "the article"), **_ERRORS},
    }},
    "/api/articles/{locale}/{slug}/feedback": {"post": {
        "summary": "Say whether an article helped, and optionally what was missing",
        "parameters": _PATH_PARAMS,
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Feedback"}}}},
        "responses": {"201": {"description": "recorded"}, **_ERRORS,
                      "403": _json("Error", "sent from another site"),
                      "413": _json("Error", "the body is over 64 KB"),
                      "415": _json("Error", "not JSON")},
    }},
}

OPENAPI_SCHEMAS = {
    "SearchResults": {"type": "object", "properties": {
        "query": {"type": "string"},
        "results": {"type": "array", "items": {"type": "object", "properties": {
            "slug": {"type": "string"}, "locale": {"type": "string"},
            "title": {"type": "string"}, "url": {"type": "string"},
            "snippet": {"type": "string", "description": "safe HTML; matches in <mark>"},
            "score": {"type": "number"}, "category": {"type": "string"}}}},
        "total": {"type": "integer",
                  "description": "articles that match (after weak matches are cut)"},
        "did_you_mean": {"type": ["string", "null"]},
        "confidence": {"type": "number", "minimum": 0, "maximum": 1,
                       "description": "estimated probability that the first result answers "
                                      "the query"},
        "low_confidence": {"type": "boolean",
                           "description": "confidence is below the tuned threshold: no "
                                          "result is presented as the answer"},
        "took_ms": {"type": "number"},
    }},
    "Suggestions": {"type": "object", "properties": {"suggestions": {
        "type": "array", "items": {"type": "object", "properties": {
            "slug": {"type": "string"}, "title": {"type": "string"},
            "url": {"type": "string"}}}}}},
    "Article": {"type": "object", "properties": {
        "slug": {"type": "string"}, "locale": {"type": "string"}, "title": {"type": "string"},
        "category": {"type": "string"}, "url": {"type": "string"},
        "html": {"type": "string"}, "questions": {"type": "array", "items": {"type": "string"}},
        "updated": {"type": ["string", "null"], "format": "date"},
        "headings": {"type": "array", "items": {"type": "object"}}}},
    "Feedback": {"type": "object", "properties": {
        "helpful": {"type": "boolean"},
        "missing": {"type": "string", "maxLength": MAX_COMMENT_CHARS,
                    "description": "what the article was missing"}},
        # A vote, or a note with some text in it (or both).
        "anyOf": [{"required": ["helpful"]},
                  {"required": ["missing"], "properties": {"missing": {"pattern": "\\S"}}}]},
}
