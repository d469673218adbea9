"""One error path: pages render ``errors/<status>.html``, ``/api`` answers one JSON shape.

The JSON shape is ``{"error": {"code": ..., "message": ...}}``, plus ``"fields"`` (a mapping of
field name to message) for validation errors; ``tests/web/test_errors.py`` pins it.

The errors ``web`` raises share one base class:

    WebError
     ├── APIError: an ``/api`` client error with a stable code (also an ``HTTPException``)
     ├── BadQuery: an empty or over-long search (``web.help.queries``)
     ├── FeedbackError: a bad article vote or note (``web.help.votes``)
     └── DeflectError: a user error in a ``deflect`` command (also a ``click.ClickException``)
"""

from __future__ import annotations

import click
from flask import Flask, jsonify, render_template, request
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError


class WebError(Exception):
    """Base class of every error raised by the ``web`` package."""


class APIError(WebError, HTTPException):
    """Raised by API views for a client error with a stable code and optional field messages;
    ``headers`` (such as ``Retry-After``) are added to the response."""

    def __init__(self, status: int, code: str, message: str,
                 fields: dict[str, str] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(description=message)
        self.code = status
        self.error_code = code
        self.fields = fields
        self.headers = dict(headers or {})


class DeflectError(WebError, click.ClickException):
    """Raised by ``deflect`` commands for a user error: a message, exit code 1, no traceback."""


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
        headers = error.headers if isinstance(error, APIError) else error.get_headers()
        for name, value in (headers.items() if isinstance(headers, dict) else headers):
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
