"""App-wide protections: security headers, CSRF on forms, a same-origin check on JSON writes.

Every response carries a strict Content-Security-Policy (no inline script or style, so every
asset is a file under ``web/static``), ``nosniff``, a Referrer-Policy that keeps search queries
on our own origin, and ``frame-ancestors 'none'``. HTML forms carry a Flask-WTF CSRF token; the
JSON API is exempt from the token but refuses a write unless it is JSON from our own origin.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from flask.json.provider import DefaultJSONProvider
from flask_wtf.csrf import CSRFError, CSRFProtect

from web.errors import APIError

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
JSON_BODY_LIMIT = 64 * 1024
"""Largest JSON body an API write accepts, in bytes."""
_WRITES = ("POST", "PUT", "PATCH", "DELETE")

csrf = CSRFProtect()


HSTS = "max-age=31536000; includeSubDomains"


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, except that a body nested too deeply to parse is invalid JSON (a 400), not
    a ``RecursionError`` (a 500)."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON document is nested too deeply") from None


def init_app(app: Flask) -> None:
    # A token lives as long as the session: a page left open for a day can still vote.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    # Flask-WTF's strict mode demands a Referer over https, which ticket pages tell browsers
    # not to send (Referrer-Policy: no-referrer); the token plus the Origin and Sec-Fetch-Site
    # check below keep cross-site posts out without it.
    app.config["WTF_CSRF_SSL_STRICT"] = False
    csrf.init_app(app)
    app.before_request(check_form_origin)
    app.after_request(add_security_headers)


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if (current_app.config.get("PUBLIC_URL") or "").startswith("https://"):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def check_form_origin() -> None:
    """Refuse a form post that a browser says came from another site (a 400, as a bad token).

    The JSON API does its own check (``check_json_write``).
    """
    if request.method not in _WRITES or request.blueprint == "api":
        return
    if not _is_same_origin():
        raise CSRFError("The form was sent from another site.")


def check_json_write() -> None:
    """Refuse an API write that is not JSON or that a page of another origin sent.

    A cross-origin page cannot send ``application/json`` without a CORS preflight (which we
    never grant), and browsers name the sending origin in ``Origin``/``Sec-Fetch-Site``.
    """
    if request.method not in _WRITES:
        return
    request.max_content_length = JSON_BODY_LIMIT
    if not request.is_json:
        raise APIError(415, "unsupported_media_type", "send the body as application/json")
    if not _is_same_origin():
        raise APIError(403, "cross_origin", "this request came from another site")


def _is_same_origin() -> bool:
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        # None: not a browser's cross-site request (browsers send Origin on POST). "null": a
        # page with Referrer-Policy no-referrer (ticket pages) hides its origin; Sec-Fetch-Site
        # above and the form's token decide then.
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc == request.host
