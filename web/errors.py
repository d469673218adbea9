"""One error path: pages render ``errors/<status>.html``, ``/api`` answers one JSON shape.

The JSON shape is ``{"error": {"code": ..., "message": ...}}``, plus ``"fields"`` (a mapping of
field name to message) for validation errors; ``tests/web/test_errors.py`` pins it.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError


class APIError(HTTPException):
    """Raised by API views for a client error with a stable code and optional field messages."""

    def __init__(self, status: int, code: str, message: str,
                 fields: dict[str, str] | None = None) -> None:
        super().__init__(description=message)
        self.code = status
        self.error_code = code
        self.fields = fields


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict:
    """The JSON error document every ``/api`` error uses."""
    error: dict = {"code": code, "message": message}
    if fields is not None:
        error["fields"] = fields
    return {"error": error}


def _handle_http_error(error: HTTPException):
    status = error.code or 500
    if isinstance(error, SecurityError):
        # An untrusted Host header: no URL can be built for it, so no page that links anywhere.
        return f"{status} {error.name}: this site does not answer to that host name.\n", \
            status, {"Content-Type": "text/plain; charset=utf-8"}
    if request.path.startswith("/api/"):
        name = (error.name or "error").lower().replace(" ", "_")
        code = getattr(error, "error_code", None) or name
        body = error_body(code, error.description or error.name, getattr(error, "fields", None))
        response = jsonify(body)
        response.status_code = status
        for name, value in (error.get_headers() if not isinstance(error, APIError) else []):
            if name.lower() not in ("content-type", "content-length"):
                response.headers[name] = value
        return response
    try:
        return render_template(f"errors/{status}.html", error=error), status
    except TemplateNotFound:
        return render_template("errors/error.html", error=error), status


def _handle_unexpected(error: Exception):
    return _handle_http_error(InternalServerError(original_exception=error))


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(Exception, _handle_unexpected)
