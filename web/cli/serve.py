"""``deflect serve``: the help center under gunicorn, the app preloaded so workers share memory."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("serve")
@with_appcontext
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, help="Worker processes.")
def serve_command(host: str, port: int, workers: int) -> None:
    """Run the help center under gunicorn (a production server, not Flask's development one)."""
    from web.server import run_server

    click.echo(f"Deflect is serving on http://{host}:{port}/ with {workers} workers")
    run_server(current_app._get_current_object(), host=host, port=port, workers=workers)
