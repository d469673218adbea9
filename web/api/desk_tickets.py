"""The staff ticket API under ``/api/desk/tickets``: the queue, one ticket with the customer's
trail and suggested articles, and replies (``Authorization: Bearer <token>``, agents).

It calls the same ``kb.tickets`` functions as the desk pages and ``deflect tickets``. A reply
written while the ticket changed answers 409 (nothing stored; send ``seen_message_id`` again
after reading); a bad field answers 422 naming it.
"""

from __future__ import annotations

from flask import current_app, jsonify, request

from kb import tickets
from web import services
from web.api import bp
from web.desk.auth import current_person
from web.desk_tickets import AGENTS, context, delivery
from web.errors import APIError
from web.policies import policy


def _iso(moment) -> str:
    return moment.isoformat() + "Z"


def _row(row: tickets.QueueRow) -> dict:
    return {"reference": row.reference, "subject": row.subject, "status": row.status,
            "category": row.category, "locale": row.locale, "created_at": _iso(row.created_at),
            "waiting_since": _iso(row.waiting_since), "assignee": row.assignee_id}


@bp.get("/desk/tickets")
@policy(AGENTS)
def desk_tickets():
    try:
        filters, _typed = context.queue_filters(request.args, current_person.id)
        limit = request.args.get("limit", str(tickets.queue.PAGE_SIZE))
        if not limit.isdigit():
            raise tickets.InvalidQueueFilter({"limit": "limit must be a whole number"})
        with services.database(current_app).session() as session:
            page = tickets.queue_page(session, filters, cursor=request.args.get("cursor"),
                                      limit=int(limit))
    except tickets.InvalidQueueFilter as error:
        raise APIError(422, "invalid_filter", "some filters mean nothing; see fields",
                       fields=error.problems) from None
    return jsonify({"tickets": [_row(r) for r in page.rows], "next_cursor": page.next_cursor,
                    "counts": page.counts})


@bp.get("/desk/tickets/<reference>")
@policy(AGENTS)
def desk_ticket(reference: str):
    with services.database(current_app).session() as session:
        ticket = _find(session, reference)
        trail = context.trail_of(session, ticket)
    return jsonify({
        **_row(_as_row(ticket)), "email": ticket.email, "name": ticket.name,
        "messages": [{"id": m.id, "author": m.author, "body": m.body, "links": m.links,
                      "internal": m.internal, "created_at": _iso(m.created_at)}
                     for m in ticket.messages],
        "trail": [{**step, "at": _iso(step["at"]) if step["at"] else None} for step in trail],
        "suggested_articles": [{"slug": s.slug, "locale": s.locale, "title": s.title,
                                "score": s.score} for s in context.suggested_articles(ticket)],
    })


@bp.post("/desk/tickets/<reference>/replies")
@policy(AGENTS)
def desk_reply(reference: str):
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise APIError(400, "invalid_json", "send a JSON object: {\"message\": \"...\"}")
    fields = _reply_fields(data)
    if fields:
        raise APIError(422, "invalid_reply", "some fields are wrong; see fields", fields=fields)
    try:
        replied = tickets.reply(
            services.database(current_app), services.knowledge_base(current_app), reference,
            message=data["message"], links=data.get("links") or (),
            status=data.get("status") or None, internal=bool(data.get("internal")),
            person_id=current_person.id, seen=data.get("seen_message_id"),
            link_days=int(current_app.config["TICKET_LINK_DAYS"]))
    except tickets.TicketNotFound:
        raise APIError(404, "not_found", f"no ticket {reference}") from None
    except tickets.TicketChanged as error:
        raise APIError(409, "conflict", str(error)) from None
    except tickets.InvalidMessage as error:
        raise APIError(422, "invalid_reply", str(error), fields={"message": str(error)}) from None
    except tickets.UnknownArticle as error:
        raise APIError(422, "invalid_reply", str(error), fields={"links": str(error)}) from None
    except tickets.InvalidTransition as error:
        raise APIError(422, "invalid_reply", str(error), fields={"status": str(error)}) from None
    delivery.mail_reply(replied)
    ticket = replied.ticket
    response = jsonify({"reference": ticket.reference, "status": ticket.status,
                        "message": {"id": replied.message.id, "internal": replied.message.internal,
                                    "links": replied.message.links},
                        "merged": [r.ticket.reference for r in replied.merged]})
    response.status_code = 201
    return response


def _reply_fields(data: dict) -> dict[str, str]:
    fields = {}
    if not isinstance(data.get("message"), str):
        fields["message"] = "message must be a string (Markdown)"
    links = data.get("links", [])
    if not isinstance(links, list) or not all(isinstance(s, str) for s in links):
        fields["links"] = "links must be a list of article slugs"
    if data.get("status") is not None and data.get("status") not in [s.value
                                                                     for s in tickets.Status]:
        fields["status"] = "status must be one of " + ", ".join(s.value for s in tickets.Status)
    if not isinstance(data.get("internal", False), bool):
        fields["internal"] = "internal must be true or false"
    seen = data.get("seen_message_id")
    if seen is not None and (not isinstance(seen, int) or isinstance(seen, bool)):
        fields["seen_message_id"] = "seen_message_id must be a message id (integer)"
    return fields


def _find(session, reference: str) -> tickets.Ticket:
    ticket = tickets.find_ticket(session, reference)
    if ticket is None:
        raise APIError(404, "not_found", f"no ticket {reference}")
    return ticket


def _as_row(ticket: tickets.Ticket) -> tickets.QueueRow:
    return tickets.QueueRow(ticket.reference, ticket.subject, ticket.status, ticket.category,
                            ticket.locale, ticket.email, ticket.name, ticket.created_at,
                            ticket.waiting_since, ticket.assignee_id)


_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_SECURITY = [{"deskToken": []}]
_DENIED = {"401": {"description": "no valid token", **_ERROR},
           "403": {"description": "not an agent, or another origin", **_ERROR}}
_FILTERS = [
    {"name": "status", "in": "query", "schema": {"type": "string"},
     "description": "steps, comma-separated (received, investigating, proposed, resolved, "
                    "closed), or `all`; default received,investigating"},
    {"name": "category", "in": "query", "schema": {"type": "string"}},
    {"name": "locale", "in": "query", "schema": {"enum": ["ko", "en"]}},
    {"name": "assignee", "in": "query", "schema": {"type": "string"},
     "description": "`mine`, `unassigned`, `anyone` (default) or a person id"},
    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 200},
     "description": "words in the subject, a message or the email, or a reference"},
    {"name": "cursor", "in": "query", "schema": {"type": "string"},
     "description": "`next_cursor` of the previous page"},
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                 "maximum": tickets.queue.MAX_PAGE_SIZE}},
]
_ROW = {"type": "object", "required": ["reference", "subject", "status", "category", "locale",
                                       "created_at", "waiting_since", "assignee"],
        "properties": {"reference": {"type": "string"}, "subject": {"type": "string"},
                       "status": {"type": "string"}, "category": {"type": "string"},
                       "locale": {"type": "string"},
                       "created_at": {"type": "string", "format": "date-time"},
                       "waiting_since": {"type": "string", "format": "date-time"},
                       "assignee": {"type": ["integer", "null"]}}}
OPENAPI_SCHEMAS = {
    "DeskTicketRow": _ROW,
    "DeskTicket": {"allOf": [{"$ref": "#/components/schemas/DeskTicketRow"}, {
        "type": "object", "required": ["messages", "trail", "suggested_articles"],
        "properties": {
            "messages": {"type": "array", "items": {"type": "object"}},
            "trail": {"type": "array", "items": {"type": "object"},
                      "description": "searches (result_count, clicked), views (seconds), "
                                     "need_help and suggestion_open, oldest first"},
            "suggested_articles": {"type": "array", "items": {
                "type": "object", "required": ["slug", "locale", "title", "score"],
                "properties": {"slug": {"type": "string"}, "locale": {"type": "string"},
                               "title": {"type": "string"}, "score": {"type": "number"}}}}}}]},
    "DeskReply": {"type": "object", "required": ["message"], "properties": {
        "message": {"type": "string", "description": "Markdown"},
        "links": {"type": "array", "items": {"type": "string"},
                  "description": "slugs of published articles in the ticket's locale"},
        "status": {"enum": [s.value for s in tickets.Status]},
        "internal": {"type": "boolean", "description": "a note, never shown or mailed"},
        "seen_message_id": {"type": "integer",
                            "description": "the last message you saw: 409 if newer ones exist"}}},
}
OPENAPI_PATHS = {
    "/api/desk/tickets": {"get": {
        "summary": "The agents' queue: longest waiting first, a keyset page at a time",
        "security": _SECURITY, "parameters": _FILTERS,
        "responses": {
            "200": {"description": "a page", "content": {"application/json": {"schema": {
                "type": "object", "required": ["tickets", "next_cursor"],
                "properties": {"tickets": {"type": "array", "items": {
                    "$ref": "#/components/schemas/DeskTicketRow"}},
                    "next_cursor": {"type": ["string", "null"]},
                    "counts": {"type": "object"}}}}}},
            "401": {"description": "no valid token", **_ERROR},
            "403": {"description": "not an agent", **_ERROR},
            "422": {"description": "a filter that means nothing", **_ERROR}}}},
    "/api/desk/tickets/{reference}": {"get": {
        "summary": "One ticket with its messages, the customer's trail and suggested articles",
        "security": _SECURITY,
        "parameters": [{"name": "reference", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        "responses": {
            "200": {"description": "the ticket", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/DeskTicket"}}}},
            **_DENIED,
            "404": {"description": "no such ticket", **_ERROR}}}},
    "/api/desk/tickets/{reference}/replies": {"post": {
        "summary": "Reply (mailed with a fresh private link) or add an internal note",
        "security": _SECURITY,
        "parameters": [{"name": "reference", "in": "path", "required": True,
                        "schema": {"type": "string"}}],
        "requestBody": {"required": True, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/DeskReply"}}}},
        "responses": {
            "201": {"description": "stored (and mailed unless internal)"},
            "400": {"description": "not a JSON object", **_ERROR},
            **_DENIED,
            "404": {"description": "no such ticket", **_ERROR},
            "413": {"description": "body over 64 kB", **_ERROR},
            "415": {"description": "not application/json", **_ERROR},
            "409": {"description": "the ticket changed since seen_message_id", **_ERROR},
            "422": {"description": "a field is wrong (fields names it)", **_ERROR}}}},
}
