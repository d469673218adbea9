"""The database: one SQLAlchemy engine and session factory per process.

SQLite (the default, a file in the data folder) runs in WAL mode with a busy timeout so that
several web workers can write at once; PostgreSQL is used when the URL says so. Tables are
declared on ``Base`` by the modules that own them (events, tickets) and created by the migrations
of ``kb.schema`` (``deflect db upgrade``), never by ``create_all``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker


class Base(DeclarativeBase):
    """The declarative base every table of Deflect is declared on."""


class Database:
    """An engine and its session factory, created from a database URL."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine: Engine = _create_engine(url, echo=echo)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back if it raises."""
        with self.sessions.begin() as session:
            yield session

    def after_fork(self) -> None:
        """Drop connections inherited from a parent process (call in each forked worker)."""
        self.engine.dispose(close=False)


def _create_engine(url: str, *, echo: bool) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30})
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


# How long a new connection keeps retrying the switch to WAL while another one holds the file.
_WAL_SWITCH_SECONDS = 30.0


def _configure_sqlite(connection, _record) -> None:
    cursor = connection.cursor()
    _use_wal(cursor)
    # FULL: an acknowledged ticket survives power loss, not only an app crash (security.md §2.1).
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()



def _use_wal(cursor) -> None:
    """Switch the file to WAL mode, waiting while another process holds it.

    SQLite answers ``PRAGMA journal_mode=WAL`` with "database is locked" at once, without
    calling the busy handler, when two processes open a new file together (two hosts starting
    at once, or two ``deflect db upgrade`` runs); so the switch is retried here.
    """
    deadline = time.monotonic() + _WAL_SWITCH_SECONDS
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
