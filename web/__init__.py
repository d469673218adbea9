"""Deflect's web shell: ``create_app`` builds the Flask app around ``kb`` and ``search``."""

from __future__ import annotations

from typing import Any

from flask import Flask

from web import config, errors, i18n, security, services


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Create the app: defaults, then ``DEFLECT_*`` environment variables, then ``overrides``."""
    app = Flask(__name__)
    app.json.sort_keys = False  # keep the documented key order of API responses
    app.json.ensure_ascii = False  # Korean stays readable in JSON (UTF-8, not \uXXXX escapes)
    config.configure(app, overrides)
    services.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    errors.register_error_handlers(app)

    from web import api, health, help, insights, tickets

    app.register_blueprint(health.bp)
    app.register_blueprint(help.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(tickets.bp)
    app.register_blueprint(insights.bp)
    return app
