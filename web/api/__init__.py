"""The JSON API under ``/api``: one blueprint, one module per area, one OpenAPI document.

Each module of this package (``help``, ``tickets``, ...) adds its routes to ``bp`` and describes
them in ``OPENAPI_PATHS`` (and its schemas in ``OPENAPI_SCHEMAS``); ``/api/openapi.json`` joins
them, so adding an area never means editing this file. Errors are ``web.errors.APIError``: one
JSON shape for every failure. Writes skip the form CSRF token but must be JSON from our own
origin (``web.security.check_json_write``).
"""

from __future__ import annotations

import importlib
import pkgutil
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


def _area_modules() -> list:
    return [importlib.import_module(f"{__name__}.{info.name}")
            for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)]


def openapi_document() -> dict:
    """The OpenAPI 3.1 document assembled from every area module."""
    paths: dict = {}
    schemas: dict = {"Error": ERROR_SCHEMA}
    security_schemes: dict = {}
    for module in _AREAS:
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


_AREAS = _area_modules()  # imported last: the modules register their routes on ``bp``
