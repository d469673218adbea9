"""Deflect's web shell: ``create_app`` builds the Flask app around ``kb`` and ``search``."""

from __future__ import annotations

from typing import Any

from flask import Flask

from web import config, errors, services


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Create the app: defaults, then ``DEFLECT_*`` environment variables, then ``overrides``."""
    app = Flask(__name__)
    config.configure(app, overrides)
    services.init_app(app)
    errors.register_error_handlers(app)

    from web import health

    app.register_blueprint(health.bp)
    return app
