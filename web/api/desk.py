"""The staff API under ``/api/desk/``: Bearer-token (or desk session) requests from staff.

A personal token is made in the desk (my account) or with ``deflect users token EMAIL`` and
sent as ``Authorization: Bearer <token>``. Without a valid one the answer is ``401`` with
``WWW-Authenticate: Bearer``; a person without the route's role gets ``403``. ``/me`` says who
the token belongs to: the place the staff API grows from.
"""

from __future__ import annotations

from flask import jsonify, request

from web.api import bp
from web.desk.auth import current_person
from web.policies import STAFF, policy


@bp.get("/desk/me")
@policy(STAFF)
def desk_me():
    return jsonify(describe_person())


def describe_person() -> dict:
    """The signed-in person as ``/api/desk/me`` shows them."""
    return {"id": current_person.id, "email": current_person.email,
            "name": current_person.name, "roles": sorted(current_person.roles),
            "has_totp": current_person.has_totp}


OPENAPI_SCHEMAS = {
    "Person": {
        "type": "object",
        "required": ["id", "email", "name", "roles", "has_totp"],
        "properties": {
            "id": {"type": "integer"},
            "email": {"type": "string"},
            "name": {"type": "string"},
            "roles": {"type": "array", "items": {"enum": ["admin", "agent", "editor"]}},
            "has_totp": {"type": "boolean", "description": "two-factor sign-in is on"},
        },
    },
}
OPENAPI_SECURITY_SCHEMES = {
    "deskToken": {"type": "http", "scheme": "bearer",
                  "description": "a personal API token from the desk's \"my account\" page "
                                 "or `deflect users token EMAIL`"},
}
_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
OPENAPI_PATHS = {
    "/api/desk/me": {"get": {
        "summary": "Who the token belongs to, and their roles",
        "security": [{"deskToken": []}],
        "responses": {
            "200": {"description": "the person",
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Person"}}}},
            "401": {"description": "no valid token (or desk session)", **_ERROR},
        },
    }},
}


@bp.after_request
def _private(response):
    if request.path.startswith("/api/desk/"):
        response.headers["Cache-Control"] = "no-store"
    return response
