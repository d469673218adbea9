"""Deflect's web shell: ``create_app`` builds the Flask app around ``kb`` and ``search``."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from web import bodies, config, errors, faults, i18n, policies, security, services
from web.desk import auth


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Create the app: defaults, then ``DEFLECT_*`` environment variables, then ``overrides``."""
    app = Flask(__name__)
    app.request_class = bodies.Request
    app.json = security.BoundedJSONProvider(app)
    app.json.sort_keys = False  # keep the documented key order of API responses
    app.json.ensure_ascii = False  # Korean stays readable in JSON (UTF-8, not \uXXXX escapes)
    config.configure(app, overrides)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        # Only as many X-Forwarded-* entries as there are proxies of ours are believed; without
        # this setting a client's own X-Forwarded-For is ignored (one rate-limit bucket each).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    services.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    policies.init_app(app)  # who may use the route, checked before the CSRF token
    security.init_app(app)
    errors.register_error_handlers(app)
    faults.init_app(app)

    from web import api, desk, health, help, images, insights, tickets

    app.register_blueprint(health.bp)
    app.register_blueprint(help.bp)
    app.register_blueprint(images.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(tickets.bp)
    app.register_blueprint(desk.bp)
    app.register_blueprint(insights.bp)
    _declare_policies(health, help, images, api, tickets)
    return app


def _declare_policies(health, help, images, api, tickets) -> None:
    """The public side's access policies (the desk declares its own; see ``web.policies``)."""
    from web.policies import CUSTOMER, PUBLIC, declare

    declare(health.bp, PUBLIC)
    declare(help.bp, PUBLIC)
    declare(images.bp, PUBLIC)
    declare(api.bp, PUBLIC, ticket=CUSTOMER)  # views under /api/desk/ declare their own
    declare(tickets.bp, PUBLIC, access=CUSTOMER, status=CUSTOMER, follow_up=CUSTOMER,
            rate=CUSTOMER, reopen=CUSTOMER, attachment=CUSTOMER)
