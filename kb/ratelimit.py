"""Fixed-window rate limits counted in the database, so they hold across worker processes.

A counter row is keyed by a digest of ``scope:value`` (an address or an email is never stored
as such) and the start of its window. ``hit`` adds one and tells whether the limit still holds,
in one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement on SQLite and PostgreSQL.
Call it inside the transaction that does the limited thing: when that rolls back, so does the hit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import Integer, String, delete
from sqlalchemy.orm import Mapped, Session, mapped_column

from kb.db import Base
from kb.errors import RateLimited

KEEP_WINDOWS = 24
"""Counters older than this many windows are deleted as new ones are written."""


class RateCounter(Base):
    """How many times one key was hit in one window."""

    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


@dataclass(frozen=True)
class Limit:
    """At most ``count`` hits per ``seconds`` for each value of ``scope``."""

    scope: str
    count: int
    seconds: int = 3600


def hit(session: Session, limit: Limit, value: str, *, now: dt.datetime) -> int:
    """Count one hit of ``value`` under ``limit`` in the current window; return the new count."""
    window = int(now.timestamp()) // limit.seconds
    key = hashlib.sha256(f"{limit.scope}:{value}".encode()).hexdigest()
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(RateCounter).values(key=key, window=window, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=[RateCounter.key, RateCounter.window],
        set_={"count": RateCounter.count + 1},
    ).returning(RateCounter.count)
    count = session.execute(statement).scalar_one()
    if count == 1:  # first hit of a window: a cheap moment to forget old windows
        session.execute(delete(RateCounter).where(RateCounter.window < window - KEEP_WINDOWS))
    return count


def enforce(session: Session, limits: list[tuple[Limit, str]], *, now: dt.datetime) -> None:
    """Hit every ``(limit, value)`` pair; raise ``RateLimited`` for the first one exceeded."""
    for limit, value in limits:
        if limit.count <= 0:
            continue
        if hit(session, limit, value, now=now) > limit.count:
            elapsed = int(now.timestamp()) % limit.seconds
            raise RateLimited(limit.scope, limit.seconds - elapsed)
