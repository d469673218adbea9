"""The event log: what anonymous visitors searched, opened, voted and asked for help with.

Events feed the deflection figures. They are keyed by a random anonymous session id and hold no
personal data. Pages never wait for the database: an ``EventRecorder`` keeps a bounded in-memory
queue that a background thread writes in batches; ``close`` (run at exit) writes what is left,
so nothing is lost on a clean shutdown. ``record_event`` writes one event inside a caller's own
transaction (a ticket records its ``ticket`` event in the same commit as the ticket).
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import queue
import threading
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Boolean, DateTime, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from kb.db import Base, Database
from kb.errors import EventError

KINDS = ("search", "click", "view", "vote", "need_help", "suggestion_open", "ticket")
SOURCES = ("search", "suggestion", "related", "direct")
MAX_QUERY_CHARS = 200
MAX_COMMENT_CHARS = 1000

_log = logging.getLogger(__name__)


class EventRow(Base):
    """One row of the ``events`` table."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    session_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    query: Mapped[str | None] = mapped_column(String(MAX_QUERY_CHARS))
    slug: Mapped[str | None] = mapped_column(String(120))
    rank: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(20))
    result_count: Mapped[int | None] = mapped_column(Integer)
    is_zero_result: Mapped[bool | None] = mapped_column(Boolean)
    value: Mapped[str | None] = mapped_column(String(40))
    comment: Mapped[str | None] = mapped_column(Text)


@dataclass(frozen=True)
class Event:
    """An event before it is written: ``kind`` is one of ``KINDS``; times are UTC."""

    kind: str
    session_id: str
    created_at: dt.datetime
    locale: str | None = None
    query: str | None = None
    slug: str | None = None
    rank: int | None = None
    source: str | None = None
    result_count: int | None = None
    is_zero_result: bool | None = None
    value: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class TrailItem:
    """One step of a visitor's search trail: a query searched or an article viewed."""

    kind: str
    created_at: dt.datetime
    query: str | None
    slug: str | None
    locale: str | None


def new_event(kind: str, *, session_id: str, **fields: Any) -> Event:
    """Build an event stamped now (UTC), trimming the free-text fields to their limits.

    Raises ``EventError`` for an unknown ``kind`` or a session id that is not 32 hex digits.
    """
    if kind not in KINDS:
        raise EventError(f"unknown event kind {kind!r}; kinds are: {', '.join(KINDS)}")
    if len(session_id) != 32 or any(c not in "0123456789abcdef" for c in session_id):
        raise EventError("session_id must be 32 lowercase hex digits (a random anonymous id)")
    if fields.get("query") is not None:
        fields["query"] = fields["query"][:MAX_QUERY_CHARS]
    if fields.get("comment") is not None:
        fields["comment"] = fields["comment"][:MAX_COMMENT_CHARS]
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return Event(kind=kind, session_id=session_id, created_at=now, **fields)


def record_event(session: Session, kind: str, *, session_id: str, **fields: Any) -> None:
    """Add one event to ``session``; it is written when the caller's transaction commits."""
    session.add(EventRow(**asdict(new_event(kind, session_id=session_id, **fields))))


def write_events(session: Session, events: list[Event]) -> None:
    """Insert many events in one statement."""
    if events:
        session.execute(EventRow.__table__.insert(), [asdict(e) for e in events])


TRAIL_KINDS = ("search", "view")
"""The event kinds a search trail is made of."""


def merge_trail(*trails: list[TrailItem], limit: int = 50) -> list[TrailItem]:
    """Join trails read from different places (the database, a session), each step once,
    oldest first, the last ``limit``."""
    unique = {(t.kind, t.query, t.slug, t.locale, t.created_at): t for trail in trails
              for t in trail}
    return sorted(unique.values(), key=lambda t: t.created_at)[-limit:]


def search_trail(session: Session, session_id: str, *, limit: int = 50) -> list[TrailItem]:
    """The last ``limit`` queries searched and articles viewed by a visitor, oldest first."""
    rows = session.execute(
        select(EventRow.kind, EventRow.created_at, EventRow.query, EventRow.slug,
               EventRow.locale)
        .where(EventRow.session_id == session_id, EventRow.kind.in_(TRAIL_KINDS))
        .order_by(EventRow.created_at.desc(), EventRow.id.desc())
        .limit(limit)
    ).all()
    return [TrailItem(*row) for row in reversed(rows)]


def count_events(session: Session, **where: Any) -> int:
    """How many events match ``where`` (column=value pairs); for reports and tests."""
    statement = select(EventRow.id)
    for column, value in where.items():
        statement = statement.where(getattr(EventRow, column) == value)
    return len(session.execute(statement).all())


class EventRecorder:
    """Write events in the background: a bounded queue drained by one thread per process.

    ``record`` never touches the database unless the queue is full (then it writes the batch
    itself, slowing that one request rather than losing events). What a process killed with
    SIGKILL loses is what its queue held: the events of about the last ``interval`` seconds
    (0.25 s), at most ``max_pending``; a ticket's trail does not depend on them (the web shell
    carries a visitor's recent steps in the session). The thread starts on first use
    in each process, so a recorder created before gunicorn forks works in every worker.
    """

    def __init__(self, database: Database, *, max_pending: int = 1_000,
                 batch_size: int = 200, interval: float = 0.25) -> None:
        self.database = database
        self.max_pending = max_pending
        self.batch_size = batch_size
        self.interval = interval
        self._start_fresh()
        # A forked worker inherits neither the thread nor a usable lock: start again there.
        os.register_at_fork(after_in_child=self._start_fresh)
        atexit.register(self.close)

    def record(self, kind: str, *, session_id: str, **fields: Any) -> Event:
        """Queue one event and return it (see ``new_event`` for the fields and the errors)."""
        event = new_event(kind, session_id=session_id, **fields)
        self._ensure_thread()
        try:
            self._queue.put_nowait(event)
        except queue.Full:
            self.flush()
            self._queue.put(event)
        return event

    def flush(self) -> None:
        """Write every queued event now (e.g. before reading a visitor's trail)."""
        with self._lock:
            while batch := self._take(self.batch_size):
                try:
                    with self.database.session() as session:
                        write_events(session, batch)
                except Exception:
                    for event in batch:  # keep them for the next attempt, if there is room
                        try:
                            self._queue.put_nowait(event)
                        except queue.Full:
                            break
                    raise

    def close(self) -> None:
        """Stop the thread and write what is left; safe to call twice."""
        if self._pid != os.getpid():
            return
        thread, self._thread = self._thread, None
        if thread is not None:
            self._wake.set()
            thread.join(timeout=10)
        self.flush()

    @property
    def pending(self) -> int:
        return self._queue.qsize()

    def _start_fresh(self) -> None:
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._queue: queue.Queue[Event] = queue.Queue(self.max_pending)
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def _ensure_thread(self) -> None:
        if self._thread is not None:
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="deflect-events",
                                                daemon=True)
                self._thread.start()

    def _run(self) -> None:
        me = threading.current_thread()
        while self._thread is me:
            self._wake.wait(self.interval)
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # keep the thread alive; the events stay queued for next time
                _log.exception("could not write events; retrying in %.2f s", self.interval)

    def _take(self, limit: int) -> list[Event]:
        batch: list[Event] = []
        while len(batch) < limit:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return batch
