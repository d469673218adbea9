"""Schema migrations: bring a database to the newest Alembic revision, from many processes at once.

The revisions live in ``kb/migrations/versions``; ``BASELINE`` is release 0.1's schema, which
that release made with ``create_all`` and no ``alembic_version`` table. ``upgrade`` takes a
cross-process lock (PostgreSQL: an advisory lock, so several hosts may start together; SQLite: an
exclusive ``flock`` on a file beside the database), stamps such a pre-migration database at the
baseline, then applies what is missing. A database already at the head is left untouched, and
that check takes no lock, so every app start may call it.
"""

from __future__ import annotations

import fcntl
import functools
import importlib
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, make_url, text

from kb.db import Base, Database

BASELINE = "0001"
"""The first revision: exactly the schema release 0.1 created with ``create_all``."""
RELEASE_TABLES = frozenset({"events", "rate_counters", "tickets", "ticket_messages",
                            "ticket_attachments", "ticket_links"})
"""The tables of release 0.1: a database holding them without ``alembic_version`` is stamped."""
MODEL_MODULES: tuple[str, ...] = ("kb.events", "kb.tickets", "kb.ratelimit", "kb.accounts")
"""Modules declaring tables on ``kb.db.Base``; a module adding tables must be listed here."""

_MIGRATIONS = Path(__file__).with_name("migrations")
# One fixed key for pg_advisory_lock, shared by every Deflect host using the database.
_LOCK_KEY = zlib.crc32(b"deflect schema migrations")


@dataclass(frozen=True)
class SchemaChange:
    """What ``upgrade`` did: the revision before (``None``: an empty database; ``BASELINE`` for
    a stamped one) and after it."""

    before: str | None
    after: str
    is_stamped: bool
    """The database came from before migrations (release 0.1) and was stamped at ``BASELINE``."""

    @property
    def is_changed(self) -> bool:
        """Whether the database was stamped or migrated."""
        return self.is_stamped or self.before != self.after


def import_models() -> None:
    """Import every module that declares tables, so ``Base.metadata`` holds the whole schema."""
    for module in MODEL_MODULES:
        importlib.import_module(module)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration on the packaged migrations, with no alembic.ini.

    ``connection`` (if given) is the one ``env.py`` migrates on.
    """
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str:
    """The newest revision in ``kb/migrations/versions``."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {_MIGRATIONS / 'versions'}")
    return head


def current_revision(database: Database) -> str | None:
    """The revision ``database`` is at, or ``None`` when it has no ``alembic_version``."""
    with database.engine.connect() as connection:
        return _revision(connection)


def upgrade(database: Database) -> SchemaChange:
    """Bring ``database`` to the head revision; safe to run twice and from several processes.

    An empty database gets every migration; one written by release 0.1 (its tables and no
    ``alembic_version``) is stamped at ``BASELINE`` first, keeping its rows. A failed migration
    raises what Alembic or the database raised, with the lock released.
    """
    head = head_revision()
    with database.engine.connect() as connection:
        current = _revision(connection)
        connection.rollback()
    if current == head:
        return SchemaChange(before=head, after=head, is_stamped=False)
    with database.engine.connect() as connection, _lock(connection, database):
        before = _revision(connection)
        is_stamped = before is None and RELEASE_TABLES <= set(inspect(connection).get_table_names())
        # End the reading transaction so Alembic begins (and commits) its own.
        connection.commit()
        config = alembic_config(connection)
        if is_stamped:
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")
        connection.commit()
        return SchemaChange(before=BASELINE if is_stamped else before,
                            after=_revision(connection) or head,
                            is_stamped=is_stamped)


def schema_differences(database: Database) -> list[Any]:
    """The differences Alembic's autogenerate finds between ``database`` and ``Base.metadata``.

    Empty when the migrations and the declared tables agree; anything else means a table or
    column was declared without a migration (or the other way round).
    """
    import_models()
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def new_revision(message: str, *, is_empty: bool = False) -> Path:
    """Write a migration for what the declared tables changed since the head; return its file.

    Autogenerate compares ``Base.metadata`` with a throw-away SQLite database upgraded to the
    head, so no real database is needed. ``is_empty`` writes an empty migration to fill by hand
    (data changes). Read and clean the file before committing it.
    """
    with tempfile.TemporaryDirectory(prefix="deflect-revision-") as folder:
        database = Database(f"sqlite:///{Path(folder) / 'head.sqlite3'}")
        try:
            upgrade(database)
            with database.engine.connect() as connection:
                script = command.revision(alembic_config(connection), message=message,
                                          autogenerate=not is_empty)
        finally:
            database.engine.dispose()
    if script is None or isinstance(script, list):
        raise RuntimeError("Alembic wrote no single revision file")
    return Path(script.path)


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


@contextmanager
def _lock(connection: Connection, database: Database) -> Iterator[None]:
    """Hold the migration lock for ``database`` while the block runs."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.rollback()  # a failed migration leaves an aborted transaction
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
            connection.commit()
        return
    path = make_url(database.url).database
    if connection.dialect.name != "sqlite" or not path or path == ":memory:":
        yield  # a private in-memory database, or a server without a lock of its own here
        return
    with open(f"{path}.migration-lock", "a+b") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
