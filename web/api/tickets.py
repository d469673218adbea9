"""Ticket endpoints: open a ticket (idempotent), read one by its private token, and suggest
articles for a draft's text. They call the same functions as the contact and status pages.

``POST /api/tickets`` honours the ``Idempotency-Key`` header: a retry with the same key and body
returns the same ticket (with ``Idempotent-Replayed: true``) and never creates a second one; the
same key with another body is a 409 Conflict (as on the contact form).
"""

from __future__ import annotations

import re
import secrets

from flask import current_app, jsonify, request

from kb import LOCALES, tickets
from kb.errors import InvalidSubmission, RateLimited
from kb.submissions import (
    CATEGORIES,
    EMAIL_PATTERN,
    MAX_DESCRIPTION,
    MAX_EMAIL,
    MAX_NAME,
    MAX_PHONE,
    MAX_SUBJECT,
    parse_submission,
)
from web import services
from web.api import bp
from web.errors import APIError
from web.tickets import intake, notify, pages

MAX_IDEMPOTENCY_KEY = 255
_KEY = re.compile(rf"^[\x21-\x7e]{{1,{MAX_IDEMPOTENCY_KEY}}}$")


def _idempotency_key() -> str:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return f"auto-{secrets.token_urlsafe(24)}"  # no key: every request is a new ticket
    if not _KEY.match(key):
        rule = f"1 to {MAX_IDEMPOTENCY_KEY} visible ASCII characters"
        raise APIError(400, "invalid_idempotency_key", f"Idempotency-Key must be {rule}",
                       {"Idempotency-Key": f"use {rule}"})
    return f"api-{key}"


def _message_locale(data: dict) -> str:
    return data.get("locale") if data.get("locale") in LOCALES else "en"


@bp.post("/tickets")
def create_ticket():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise APIError(400, "invalid_json", "send a JSON object with the ticket's fields")
    key = _idempotency_key()
    _check_types(data)
    try:
        created = intake.submit_ticket(parse_submission(data), idempotency_key=key,
                                       is_new_visitor_allowed=False)
    except InvalidSubmission as error:
        raise APIError(422, "invalid_ticket", "some fields need attention",
                       error.messages(_message_locale(data))) from None
    except tickets.IdempotencyConflict as error:
        raise APIError(409, "idempotency_key_reused", str(error)) from None
    except RateLimited as error:
        raise APIError(429, "rate_limited", "too many tickets from this address or email; "
                       f"try again in {error.retry_after} seconds",
                       headers={"Retry-After": str(error.retry_after)}) from None
    headers = {"Idempotent-Replayed": "true"} if created.is_replay else {}
    return jsonify(reference=created.ticket.reference,
                   status_url=notify.status_link(created.ticket.locale, created.token)
                   ), 201, headers


_JSON_TYPES = {"string": (str, "text"), "boolean": (bool, "true or false")}


def _check_types(data: dict) -> None:
    """Refuse a field of the wrong JSON type (``"consent": "yes"``, ``"name": 5``) rather than
    reading it as empty: the document promises the types, so a client learns its mistake."""
    wrong = {}
    for name, schema in OPENAPI_SCHEMAS["TicketRequest"]["properties"].items():
        expected, words = _JSON_TYPES[schema["type"]]
        if name in data and not isinstance(data[name], expected):
            wrong[name] = f"must be {words}"
    if wrong:
        raise APIError(422, "invalid_ticket", "some fields need attention", wrong)


@bp.get("/tickets/suggestions")
def ticket_suggestions():
    locale = request.args.get("locale", "ko")
    if locale not in LOCALES:
        raise APIError(400, "invalid_parameter", "unknown locale",
                       {"locale": f"use one of: {', '.join(LOCALES)}"})
    text = request.args.get("text")
    if text is None or len(text) > pages.MAX_SUGGEST_TEXT:
        raise APIError(400, "invalid_parameter", "text is missing or too long",
                       {"text": f"send 0 to {pages.MAX_SUGGEST_TEXT:,} characters"})
    return jsonify(suggestions=pages.suggestions(locale, text))


@bp.get("/tickets/<token>")
def ticket(token: str):
    with services.database(current_app).session() as session:
        found = tickets.find_by_token(session, token)
    if found is None:
        raise APIError(404, "not_found", "no ticket opens with this link")
    response = jsonify(describe(found))
    response.headers["Cache-Control"] = "no-store"  # a whole conversation: never in a cache
    return response


def describe(ticket: tickets.Ticket) -> dict:
    """A ticket as its holder may read it (no internal keys, no other customer's data)."""
    knowledge = services.knowledge_base(current_app)

    def link(slug: str) -> dict:
        article = knowledge.get(ticket.locale, slug)
        return {"slug": slug, "title": article.title if article else None,
                "url": article.url if article else None}

    return {
        "reference": ticket.reference, "status": ticket.status, "step": ticket.step.value,
        "steps": [step.value for step in tickets.STEPS], "category": ticket.category,
        "subject": ticket.subject, "locale": ticket.locale,
        "created_at": ticket.created_at.isoformat() + "Z",
        "updated_at": ticket.updated_at.isoformat() + "Z",
        "rating": ticket.rating, "reopen_count": ticket.reopen_count,
        "source_article": link(ticket.source_article) if ticket.source_article else None,
        "messages": [{"author": m.author, "body": m.body, "links": [link(s) for s in m.links],
                      "created_at": m.created_at.isoformat() + "Z"}
                     for m in ticket.public_messages],
        "attachments": [{"name": a.display_name, "content_type": a.content_type,
                         "size": a.size} for a in ticket.attachments],
    }


_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_SPACE = ("\\t-\\r\\u001c-\\u0020\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f"
          "\\u205f\\u3000")
_CONTROL = "\\u0000-\\u001f\\u007f-\\u009f"
# What "not blank" means when a ticket is read (kb.submissions): NUL is dropped, white space
# (Python's str.isspace) is stripped, and one-line fields fold control characters into spaces.
_TEXT = f"[^{_SPACE}\\u0000]"
_LINE = f"[^{_SPACE}{_CONTROL}]"

OPENAPI_SCHEMAS = {
    "TicketRequest": {
        "type": "object",
        "required": ["category", "subject", "description", "email", "consent"],
        "properties": {
            "category": {"type": "string", "enum": list(CATEGORIES)},
            "subject": {"type": "string", "maxLength": MAX_SUBJECT, "pattern": _LINE},
            "description": {"type": "string", "maxLength": MAX_DESCRIPTION,
                            "pattern": _TEXT},
            "email": {"type": "string", "format": "email", "maxLength": MAX_EMAIL,
                      "pattern": EMAIL_PATTERN},
            "name": {"type": "string", "maxLength": MAX_NAME},
            "phone": {"type": "string", "maxLength": MAX_PHONE,
                      "pattern": f"^[0-9+()\\-. {_CONTROL}]*$",
                      "description": "digits, spaces and + ( ) - . (controls become spaces)"},
            "consent": {"type": "boolean", "const": True,
                        "description": "consent to use these details to answer"},
            "locale": {"type": "string", "enum": list(LOCALES)},
        },
    },
    "TicketCreated": {
        "type": "object", "required": ["reference", "status_url"],
        "properties": {"reference": {"type": "string", "example": "DF-7K3Q-9XM4"},
                       "status_url": {"type": "string", "format": "uri"}},
    },
    "Ticket": {
        "type": "object",
        "required": ["reference", "status", "step", "steps", "subject", "messages"],
        "properties": {
            "reference": {"type": "string"},
            "status": {"type": "string", "enum": [s.value for s in tickets.Status]},
            "step": {"type": "string", "enum": [s.value for s in tickets.STEPS]},
            "steps": {"type": "array", "items": {"type": "string"}},
            "category": {"type": "string"}, "subject": {"type": "string"},
            "locale": {"type": "string"}, "rating": {"type": ["integer", "null"]},
            "source_article": {
                "type": ["object", "null"],
                "description": "the article whose \"Still need help?\" link opened the form",
                "properties": {"slug": {"type": "string"}, "title": {"type": ["string", "null"]},
                               "url": {"type": ["string", "null"]}}},
            "messages": {"type": "array", "items": {"type": "object"}},
            "attachments": {"type": "array", "items": {"type": "object"}},
        },
    },
}

OPENAPI_PATHS = {
    "/api/tickets": {"post": {
        "summary": "Open a ticket",
        "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                        "schema": {"type": "string",
                                   "pattern": f"^[!-~]{{1,{MAX_IDEMPOTENCY_KEY}}}$"},
                        "description": "a retry with the same key and body returns the same "
                                       "ticket instead of creating another"}],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/TicketRequest"}}}},
        "responses": {
            "201": {"description": "stored (or replayed)", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/TicketCreated"}}}},
            "400": {"description": "not a JSON object or a malformed key", **_ERROR},
            "403": {"description": "sent by a page of another site", **_ERROR},
            "413": {"description": "the body is over 64 KB", **_ERROR},
            "415": {"description": "the body is not application/json", **_ERROR},
            "409": {"description": "the key was already used for another body", **_ERROR},
            "422": {"description": "invalid fields (see error.fields)", **_ERROR},
            "429": {"description": "too many tickets; see Retry-After", **_ERROR},
        },
    }},
    "/api/tickets/{token}": {"get": {
        "summary": "Read a ticket through its private link token",
        "parameters": [{"name": "token", "in": "path", "required": True,
                        "schema": {"type": "string", "maxLength": tickets.MAX_TOKEN_LENGTH}}],
        "responses": {
            "200": {"description": "the ticket", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Ticket"}}}},
            "404": {"description": "unknown, expired or tampered token", **_ERROR},
        },
    }},
    "/api/tickets/suggestions": {"get": {
        "summary": "Up to three articles matching a draft ticket's text",
        "parameters": [
            {"name": "text", "in": "query", "required": True,
             "schema": {"type": "string", "maxLength": pages.MAX_SUGGEST_TEXT}},
            {"name": "locale", "in": "query", "required": False,
             "schema": {"type": "string", "enum": list(LOCALES)}}],
        "responses": {"200": {"description": "suggested articles"},
                      "400": {"description": "unknown locale", **_ERROR}},
    }},
}
