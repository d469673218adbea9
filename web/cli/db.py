"""``deflect db``: upgrade the database schema, show its revision, write a new migration.

These commands do not create the app (creating it already upgrades the database): they read
the same configuration (``DEFLECT_DATABASE_URL``, ``DEFLECT_DATA_DIR``) and call ``kb.schema``.
"""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from kb import Database, schema
from web import config
from web.errors import DeflectError


@click.group("db")
def db_group() -> None:
    """Upgrade and inspect the database schema (Alembic migrations)."""


def _database() -> Database:
    app = Flask("web")
    config.configure(app, None)
    return Database(app.config["DATABASE_URL"])


def _where(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=True)


@db_group.command("upgrade")
def upgrade_command() -> None:
    """Bring the database to the newest schema; safe to run twice or from several hosts."""
    database = _database()
    try:
        change = schema.upgrade(database)
    except SQLAlchemyError as error:
        raise DeflectError(f"could not upgrade {_where(database)}: {error}") from error
    finally:
        database.engine.dispose()
    if change.is_stamped:
        click.echo(f"{_where(database)}: a database from release 0.1 (before migrations), "
                   f"stamped at revision {schema.BASELINE}")
    if change.before == change.after:
        unchanged = "" if change.is_stamped else ", no change"
        click.echo(f"{_where(database)}: at revision {change.after} (the newest){unchanged}")
    else:
        click.echo(f"{_where(database)}: upgraded from {change.before or 'an empty database'} "
                   f"to revision {change.after}")


@db_group.command("current")
def current_command() -> None:
    """Print the database's revision and the newest one."""
    database = _database()
    try:
        current = schema.current_revision(database)
    except SQLAlchemyError as error:
        raise DeflectError(f"could not read {_where(database)}: {error}") from error
    finally:
        database.engine.dispose()
    head = schema.head_revision()
    state = "up to date" if current == head else "run `deflect db upgrade`"
    click.echo(f"{_where(database)}: revision {current or 'none'}, newest {head} ({state})")


@db_group.command("revision")
@click.option("-m", "--message", required=True, help="What the migration changes, in a few words.")
@click.option("--empty", "is_empty", is_flag=True,
              help="Write an empty migration to fill by hand (no autogenerate).")
def revision_command(message: str, is_empty: bool) -> None:
    """Write a migration for the tables changed in the code (read it before committing)."""
    path = schema.new_revision(message, is_empty=is_empty)
    click.echo(f"wrote {path}")
