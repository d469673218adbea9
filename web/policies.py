"""Who may use each route: every view declares a policy, and one check enforces it.

A blueprint declares a default with ``declare(bp, PUBLIC)`` (overrides per view by name), and a
view may declare its own with ``@policy(...)``::

    @bp.get("/queue")
    @policy(roles("agent", "admin"))      # any one of the roles
    def queue(): ...

``PUBLIC`` is anyone; ``CUSTOMER`` is anyone holding a ticket's private link (the view checks
the grant and answers 404 without one); ``STAFF`` is any signed-in person; ``roles(...)`` any
signed-in person holding one of the roles. ``enforce`` runs before every request (before the
CSRF check): a route with no policy is refused (403, logged) and ``tests/web/test_access.py``
fails on it. Staff routes answer an anonymous visitor with a redirect to ``/desk/login`` (pages)
or ``401`` JSON (``/api/``); a customer or a person without the role gets 403.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import Blueprint, Flask, abort, current_app, jsonify, redirect, request, session
from flask import url_for as _url_for

from web.errors import error_body

View = TypeVar("View", bound=Callable)
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Policy:
    """Who may use a route: ``kind`` is public, customer or staff; ``roles`` narrows staff."""

    kind: str
    roles: frozenset[str] = frozenset()

    def __str__(self) -> str:
        return f"roles({', '.join(sorted(self.roles))})" if self.roles else self.kind


PUBLIC = Policy("public")
CUSTOMER = Policy("customer")
STAFF = Policy("staff")


def roles(*names: str) -> Policy:
    """A staff policy for people holding any one of ``names`` (``agent``, ``editor``, ``admin``)."""
    from kb.accounts import ROLES

    unknown = set(names) - set(ROLES)
    if not names or unknown:
        raise ValueError(f"roles() takes one or more of {ROLES}, not {sorted(unknown)}")
    return Policy("staff", frozenset(names))


def policy(chosen: Policy) -> Callable[[View], View]:
    """Declare the policy of one view (put it below the route decorator)."""

    def mark(view: View) -> View:
        view.deflect_policy = chosen  # type: ignore[attr-defined]
        return view

    return mark


def declare(bp: Blueprint, default: Policy, **overrides: Policy) -> None:
    """Declare a blueprint's default policy, and other policies for views named in ``overrides``."""
    bp.deflect_policy = default  # type: ignore[attr-defined]
    bp.deflect_overrides = overrides  # type: ignore[attr-defined]


def policy_for(app: Flask, endpoint: str) -> Policy | None:
    """The policy of ``endpoint``: the view's own, else its blueprint's override or default."""
    if endpoint == "static":
        return PUBLIC
    own = getattr(app.view_functions.get(endpoint), "deflect_policy", None)
    if own is not None:
        return own
    blueprint_name, _, view_name = endpoint.rpartition(".")
    blueprint = app.blueprints.get(blueprint_name)
    if blueprint is None:
        return None
    overrides = getattr(blueprint, "deflect_overrides", {})
    return overrides.get(view_name) or getattr(blueprint, "deflect_policy", None)


def init_app(app: Flask) -> None:
    """Check every request's policy; call before ``web.security.init_app`` (who, then CSRF)."""
    app.before_request(enforce)


def enforce():
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no route matched: the 404/405 page follows
    chosen = policy_for(current_app, endpoint)
    if chosen is None:
        _log.error("route %s (%s) declares no access policy: refused", endpoint, request.path)
        abort(403)
    if chosen.kind in ("public", "customer"):
        return None
    from web.desk.auth import current_person as person  # web.desk imports this module

    if not person.is_authenticated:
        return _refuse_anonymous()
    if chosen.roles and not chosen.roles & person.roles:
        _log.warning("person %s lacks %s for %s", person.id, chosen, endpoint)
        abort(403)
    return None


def _refuse_anonymous():
    from web.desk.auth import safe_next
    from web.tickets.access import SESSION_KEY as TICKET_GRANTS

    if session.get(TICKET_GRANTS):
        abort(403)  # a customer holding a ticket link: this part is for staff only
    if request.path.startswith("/api/"):
        response = jsonify(error_body("unauthorized", "send a personal API token: "
                                      "Authorization: Bearer <token>"))
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="deflect desk"'
        return response
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(_url_for("desk.login", next=safe_next(target)), 303)
