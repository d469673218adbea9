"""The editors' staff API under ``/api/desk/articles/``: read, save, list revisions, publish.

Every view is for editors and admins (Bearer token or desk session). A save names the revision
it started from (``base_revision``): ``409`` when someone saved meanwhile (with the diff from
their text to the one sent, nothing saved), ``422`` with every problem and its line when the
Markdown does not pass the loader's parse and lint (nothing saved). These call the same
``kb.content`` functions as the desk pages and the CLI; the saving worker refreshes at once.
"""

from __future__ import annotations

from flask import current_app, jsonify, request

from kb import content
from web import live, services
from web.api import bp
from web.desk.auth import current_person
from web.errors import APIError, error_body
from web.policies import policy, roles

EDITORS = roles("editor", "admin")
MAX_MESSAGE = 500


def _article(locale: str, slug: str):
    with services.database(current_app).session() as session:
        try:
            return content.read_article(session, locale, slug)
        except content.ArticleNotFound:
            raise APIError(404, "not_found", f"no article {locale}/{slug}") from None


@bp.get("/desk/articles/<locale>/<slug>")
@policy(EDITORS)
def desk_article(locale: str, slug: str):
    state = _article(locale, slug)
    return jsonify(markdown=state.markdown, revision=state.revision, status=state.status,
                   published_revision=state.published)


@bp.put("/desk/articles/<locale>/<slug>")
@policy(EDITORS)
def desk_article_save(locale: str, slug: str):
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise APIError(400, "bad_request", "send a JSON object")
    fields = {}
    markdown, base, message = body.get("markdown"), body.get("base_revision"), body.get(
        "message", "")
    if not isinstance(markdown, str) or not markdown.strip():
        fields["markdown"] = "the article's Markdown with its front matter"
    if not isinstance(base, int) or isinstance(base, bool):
        fields["base_revision"] = "the revision number the edit started from"
    if not isinstance(message, str) or len(message) > MAX_MESSAGE:
        fields["message"] = f"a text of at most {MAX_MESSAGE} characters"
    if fields:
        raise APIError(400, "invalid_fields", "some fields are missing or wrong", fields=fields)
    _article(locale, slug)
    try:
        with services.database(current_app).session() as session:
            saved = content.save_draft(session, locale=locale, slug=slug, markdown=markdown,
                                       base_revision=base, author=current_person.email,
                                       message=message)
    except content.StaleRevision as stale:
        document = error_body("stale_revision", str(stale))
        document["error"].update(latest_revision=stale.latest, diff=content.diff(
            stale.latest_text, stale.text, old_name=f"revision {stale.latest}",
            new_name="yours"))
        return jsonify(document), 409
    except content.InvalidArticle as invalid:
        document = error_body("invalid_article", "the article has errors; nothing was saved")
        document["error"]["problems"] = [{"level": p.level, "line": p.line,
                                          "message": p.message} for p in invalid.problems]
        return jsonify(document), 422
    return jsonify(revision=saved.revision, is_new=saved.is_new,
                   warnings=[{"line": p.line, "message": p.message} for p in saved.warnings])


@bp.get("/desk/articles/<locale>/<slug>/revisions")
@policy(EDITORS)
def desk_article_revisions(locale: str, slug: str):
    _article(locale, slug)
    with services.database(current_app).session() as session:
        entries = content.history(session, locale, slug)
    return jsonify(revisions=[{
        "number": e.number, "author": e.author, "message": e.message,
        "created_at": e.created_at.isoformat(timespec="seconds") + "Z",
        "is_published": e.is_published} for e in entries])


@bp.post("/desk/articles/<locale>/<slug>/publish")
@policy(EDITORS)
def desk_article_publish(locale: str, slug: str):
    body = request.get_json(silent=True) or {}
    revision = body.get("revision") if isinstance(body, dict) else None
    if revision is not None and (not isinstance(revision, int) or isinstance(revision, bool)):
        raise APIError(400, "invalid_fields", "revision must be a number",
                       fields={"revision": "the revision to publish (the latest)"})
    _article(locale, slug)
    try:
        with services.database(current_app).session() as session:
            saved = content.publish(session, locale=locale, slug=slug, revision=revision)
    except content.StaleRevision as stale:
        raise APIError(409, "stale_revision", str(stale)) from None
    live.follow(current_app, force=True)  # this worker serves it before answering
    return jsonify(revision=saved.revision, status="published")


_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_PARAMS = [{"name": "locale", "in": "path", "required": True, "schema": {"enum": ["ko", "en"]}},
           {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}]
_SECURED = {"security": [{"deskToken": []}], "parameters": _PARAMS}
_DENIED = {"401": {"description": "no valid token", **_ERROR},
           "403": {"description": "not an editor or admin", **_ERROR},
           "404": {"description": "no such article", **_ERROR}}


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{schema}"}}}}


OPENAPI_SCHEMAS = {
    "DeskArticle": {"type": "object", "required": ["markdown", "revision", "status"],
                    "properties": {"markdown": {"type": "string"},
                                   "revision": {"type": "integer"},
                                   "status": {"enum": ["draft", "published", "archived"]},
                                   "published_revision": {"type": ["integer", "null"]}}},
    "DeskArticleSave": {"type": "object", "required": ["markdown", "base_revision"],
                        "properties": {"markdown": {"type": "string"},
                                       "base_revision": {"type": "integer"},
                                       "message": {"type": "string",
                                                   "maxLength": MAX_MESSAGE}}},
    "DeskSaved": {"type": "object", "required": ["revision"],
                  "properties": {"revision": {"type": "integer"},
                                 "is_new": {"type": "boolean"},
                                 "warnings": {"type": "array"}}},
    "DeskRevisions": {"type": "object", "required": ["revisions"],
                      "properties": {"revisions": {"type": "array", "items": {
                          "type": "object",
                          "required": ["number", "author", "message", "created_at",
                                       "is_published"]}}}},
}
OPENAPI_PATHS = {
    "/api/desk/articles/{locale}/{slug}": {
        "get": {"summary": "An article's latest Markdown, revision and status", **_SECURED,
                "responses": {"200": _json("DeskArticle", "the article"), **_DENIED}},
        "put": {"summary": "Save a new revision (a draft until published)", **_SECURED,
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/DeskArticleSave"}}}},
                "responses": {"200": _json("DeskSaved", "saved"), **_DENIED,
                              "409": {"description": "base_revision is not the latest: "
                                      "error.latest_revision and error.diff", **_ERROR},
                              "422": {"description": "the Markdown has errors: "
                                      "error.problems with their lines", **_ERROR}}},
    },
    "/api/desk/articles/{locale}/{slug}/revisions": {
        "get": {"summary": "Every revision, newest first", **_SECURED,
                "responses": {"200": _json("DeskRevisions", "the history"), **_DENIED}},
    },
    "/api/desk/articles/{locale}/{slug}/publish": {
        "post": {"summary": "Publish the latest revision", **_SECURED,
                 "responses": {"200": _json("DeskSaved", "published"), **_DENIED,
                               "409": {"description": "revision is not the latest",
                                       **_ERROR}}},
    },
}
