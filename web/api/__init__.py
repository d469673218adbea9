"""The JSON API under ``/api``: one blueprint, one module per area, one OpenAPI document.

Each public area module (``help``, ``tickets``) adds its routes to ``bp`` and describes them in
``OPENAPI_PATHS`` (and its schemas in ``OPENAPI_SCHEMAS``); ``/api/openapi.json`` joins them.
The areas are named in ``PUBLIC_AREAS`` and ``STAFF_AREAS``, never discovered: a module dropped
into this folder serves nothing until it is registered on purpose. Errors are
``web.errors.APIError``: one JSON shape for every failure. Writes skip the form CSRF token but
must be JSON from our own origin (``web.security.check_json_write``).
"""

from __future__ import annotations

from importlib.metadata import version

from flask import Blueprint, jsonify

from web import security

bp = Blueprint("api", __name__, url_prefix="/api")
security.csrf.exempt(bp)
bp.before_request(security.check_json_write)

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    }},
}


def openapi_document() -> dict:
    """The OpenAPI 3.1 document assembled from every area module."""
    paths: dict = {}
    schemas: dict = {"Error": ERROR_SCHEMA}
    security_schemes: dict = {}
    for module in (*PUBLIC_AREAS, *STAFF_AREAS):
        paths.update(getattr(module, "OPENAPI_PATHS", {}))
        schemas.update(getattr(module, "OPENAPI_SCHEMAS", {}))
        security_schemes.update(getattr(module, "OPENAPI_SECURITY_SCHEMES", {}))
    return {
        "openapi": "3.1.0",
        "info": {"title": "Deflect help center API", "version": version("deflect")},
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": schemas, "securitySchemes": security_schemes},
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


# Imported last, by name: importing a module registers its routes on ``bp``.
from web.api import desk, desk_articles, desk_tickets, help, insights, tickets  # noqa: E402

PUBLIC_AREAS = (help, tickets)
"""The modules whose routes and OpenAPI paths the public ``/api`` serves."""
STAFF_AREAS = (desk, desk_tickets, desk_articles, insights)
"""The staff API under ``/api/desk/`` (Bearer tokens; each view declares its policy)."""
