"""``deflect uploads``: housekeeping of uploaded screenshots."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from kb import uploads
from web import services


@click.group("uploads", cls=AppGroup)
def uploads_group() -> None:
    """Housekeeping of uploaded screenshots."""


@uploads_group.command("clean")
@click.option("--hours", type=click.FloatRange(min=0), default=None,
              help="Delete unattached uploads older than this (default: UPLOAD_KEEP_HOURS).")
def clean_command(hours: float | None) -> None:
    """Delete uploads that no ticket took (sent forms never finished, images removed)."""
    keep = hours if hours is not None else float(current_app.config["UPLOAD_KEEP_HOURS"])
    removed = uploads.clean_orphans(services.database(current_app),
                                    services.upload_store(current_app), keep_hours=keep)
    click.echo(f"Deleted {removed} uploads that no ticket took (older than {keep:g} hours).")
