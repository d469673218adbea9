"""Retention: raw events older than the retention are deleted once their days are rolled up.

The roll-ups keep every figure; what goes with the raw events is what only they hold: the
"what was missing?" notes and the search trails of old sessions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from kb.db import Database
from kb.errors import InvalidWindow
from kb.events import EventRow
from kb.insights.rollups import roll_up, utc_now


@dataclass(frozen=True)
class Pruned:
    """What ``prune`` did: events deleted, days rolled up first, and the first day kept."""

    deleted: int
    rolled_days: int
    kept_from: dt.date


def prune(database: Database, *, retention_days: int, now: dt.datetime | None = None) -> Pruned:
    """Roll up, then delete, the raw events of the days before the last ``retention_days``.

    Raises ``InvalidWindow`` for a retention under one day (that would delete today's events).
    """
    if retention_days < 1:
        raise InvalidWindow("retention_days",
                            f"the retention must be at least 1 day, not {retention_days}")
    now = now or utc_now()
    kept_from = now.date() - dt.timedelta(days=retention_days - 1)
    cutoff = dt.datetime.combine(kept_from, dt.time())
    with database.session() as session:
        oldest = session.scalar(select(func.min(EventRow.created_at)))
    rolled = 0
    if oldest is not None and oldest < cutoff:
        rolled = roll_up(database, oldest.date(), kept_from - dt.timedelta(days=1), now=now)
    with database.session() as session:
        deleted = session.execute(delete(EventRow).where(EventRow.created_at < cutoff)).rowcount
    return Pruned(deleted=deleted or 0, rolled_days=rolled, kept_from=kept_from)
