"""Deflect's web shell: ``create_app`` builds the Flask app around ``kb`` and ``search``."""

from __future__ import annotations

from typing import Any

from flask import Flask

from web import config, errors, i18n, policies, security, services
from web.desk import auth


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Create the app: defaults, then ``DEFLECT_*`` environment variables, then ``overrides``."""
    app = Flask(__name__)
    app.json.sort_keys = False  # keep the documented key order of API responses
    app.json.ensure_ascii = False  # Korean stays readable in JSON (UTF-8, not \uXXXX escapes)
    config.configure(app, overrides)
    services.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    policies.init_app(app)  # who may use the route, checked before the CSRF token
    security.init_app(app)
    errors.register_error_handlers(app)

    from web import api, desk, health, help, tickets

    app.register_blueprint(health.bp)
    app.register_blueprint(help.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(tickets.bp)
    app.register_blueprint(desk.bp)
    _declare_policies(health, help, api, tickets)
    return app


def _declare_policies(health, help, api, tickets) -> None:
    """The public side's access policies (the desk declares its own; see ``web.policies``)."""
    from web.policies import CUSTOMER, PUBLIC, declare

    declare(health.bp, PUBLIC)
    declare(help.bp, PUBLIC)
    declare(api.bp, PUBLIC, ticket=CUSTOMER)  # views under /api/desk/ declare their own
    declare(tickets.bp, PUBLIC, access=CUSTOMER, status=CUSTOMER, follow_up=CUSTOMER,
            rate=CUSTOMER, reopen=CUSTOMER, attachment=CUSTOMER)
