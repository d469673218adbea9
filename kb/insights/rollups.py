"""Rolling finished days up, and reading a window's figures from roll-ups plus live events.

A day is rolled up once it ended ``ROLL_DELAY`` ago (events still queued in a worker then have
been written). Reading a window first rolls up its finished days that are not rolled yet, then
sums their roll-up rows in the database and adds the live figures of the days still running
(today): a report reads at most a day of raw events.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterator

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kb.db import Database
from kb.events import EventRow
from kb.insights.daily import Counts, RawEvent, RowKey, day_figures
from kb.insights.models import RolledDay, RollupRow

ROLL_DELAY = dt.timedelta(minutes=10)
_BATCH = 5000


def utc_now() -> dt.datetime:
    """Now in UTC, naive, as events store it."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every day from ``start`` to ``end``, both included."""
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def read_day_events(session: Session, day: dt.date) -> Iterator[RawEvent]:
    """The events of one UTC day, ordered by session, time and id (as ``day_figures`` needs)."""
    start = dt.datetime.combine(day, dt.time())
    statement = (
        select(EventRow.id, EventRow.created_at, EventRow.session_id, EventRow.kind,
               EventRow.locale, EventRow.query, EventRow.query_key, EventRow.slug,
               EventRow.source, EventRow.is_zero_result, EventRow.value)
        .where(EventRow.created_at >= start, EventRow.created_at < start + dt.timedelta(days=1))
        .order_by(EventRow.session_id, EventRow.created_at, EventRow.id)
        .execution_options(yield_per=_BATCH)
    )
    for row in session.execute(statement):
        yield RawEvent(*row)


def roll_up_day(database: Database, day: dt.date, *, now: dt.datetime | None = None) -> bool:
    """Write the roll-up rows of a finished ``day``; return whether this call wrote them.

    Returns ``False`` for a day already rolled up (also by a concurrent process) or not
    finished ``ROLL_DELAY`` ago.
    """
    now = now or utc_now()
    if dt.datetime.combine(day + dt.timedelta(days=1), dt.time()) + ROLL_DELAY > now:
        return False
    try:
        with database.session() as session:
            if session.get(RolledDay, day) is not None:
                return False
            # Claim the day first: a concurrent roll-up of it fails on this primary key.
            marker = RolledDay(day=day, rolled_at=now, events=0)
            session.add(marker)
            session.flush()
            count = 0

            def counted(events: Iterator[RawEvent]) -> Iterator[RawEvent]:
                nonlocal count
                for event in events:
                    count += 1
                    yield event

            figures = day_figures(counted(read_day_events(session, day)))
            marker.events = count
            rows = [{"day": day, "locale": locale, "metric": metric, "key": key[:200],
                     "slug": slug[:120], "label": c.label[:200], "count": c.count,
                     "zero": c.zero, "clicks": c.clicks, "helps": c.helps,
                     "tickets": c.tickets}
                    for (locale, metric, key, slug), c in figures.items()]
            for at in range(0, len(rows), _BATCH):
                session.execute(RollupRow.__table__.insert(), rows[at:at + _BATCH])
    except IntegrityError:
        return False
    return True


def roll_up(database: Database, start: dt.date, end: dt.date, *,
            now: dt.datetime | None = None) -> int:
    """Roll up every finished day from ``start`` to ``end`` not rolled yet; return how many."""
    now = now or utc_now()
    with database.session() as session:
        done = set(session.scalars(select(RolledDay.day).where(
            RolledDay.day >= start, RolledDay.day <= end)))
        oldest = session.scalar(select(func.min(EventRow.created_at)))
    if oldest is None:
        return 0
    # Days before the oldest raw event had none, or were rolled up before being pruned.
    return sum(roll_up_day(database, day, now=now)
               for day in days(max(start, oldest.date()), end) if day not in done)


class Figures:
    """A window's summed roll-up rows, keyed ``(locale, metric, key, slug)``, and a daily
    series of searches, zero-result searches and tickets."""

    def __init__(self) -> None:
        self.rows: dict[RowKey, Counts] = defaultdict(Counts)
        self.daily: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def total(self, metric: str, field: str = "count", *, key: str | None = None) -> int:
        """The sum of ``field`` over the rows of ``metric`` (and ``key``, if given)."""
        return sum(getattr(c, field) for (_, m, k, _), c in self.rows.items()
                   if m == metric and (key is None or k == key))

    def of(self, metric: str) -> dict[tuple[str, str], Counts]:
        """The rows of ``metric`` keyed ``(key, slug)``, locales added together."""
        found: dict[tuple[str, str], Counts] = defaultdict(Counts)
        for (_, m, k, s), c in self.rows.items():
            if m == metric:
                found[(k, s)].add(c)
        return dict(found)

    def count(self, locale: str, metric: str, key: str, slug: str) -> int:
        """The count of one row (0 when absent)."""
        found = self.rows.get((locale, metric, key, slug))
        return found.count if found else 0

    def _add_daily(self, day: dt.date, metric: str, counts: Counts) -> None:
        if metric == "search":
            self.daily[day]["searches"] += counts.count
            self.daily[day]["zero"] += counts.zero
        elif metric == "ticket":
            self.daily[day]["tickets"] += counts.count


def collect(database: Database, start: dt.date, end: dt.date, *, locale: str | None = None,
            metrics: Collection[str], is_daily: bool = False,
            now: dt.datetime | None = None) -> Figures:
    """The figures of ``metrics`` over the days ``start``..``end`` (UTC, inclusive) in
    ``locale`` (or all); ``is_daily`` also fills ``Figures.daily``."""
    now = now or utc_now()
    roll_up(database, start, end, now=now)
    figures = Figures()
    with database.session() as session:
        rolled = set(session.scalars(select(RolledDay.day).where(
            RolledDay.day >= start, RolledDay.day <= end)))
        where = [RollupRow.metric.in_(tuple(metrics)), RollupRow.day >= start,
                 RollupRow.day <= end]
        if locale:
            where.append(RollupRow.locale == locale)
        group = (RollupRow.locale, RollupRow.metric, RollupRow.key, RollupRow.slug)
        statement = (
            select(*group, func.max(RollupRow.label), func.sum(RollupRow.count),
                   func.sum(RollupRow.zero), func.sum(RollupRow.clicks),
                   func.sum(RollupRow.helps), func.sum(RollupRow.tickets))
            .where(*where).group_by(*group)
        )
        for row_locale, metric, key, slug, label, *numbers in session.execute(statement):
            counts = Counts(*(int(n or 0) for n in numbers))
            if label:
                counts.labels[label] = counts.count or 1
            figures.rows[(row_locale, metric, key, slug)].add(counts)
        if is_daily:
            daily = (select(RollupRow.day, RollupRow.metric, func.sum(RollupRow.count),
                            func.sum(RollupRow.zero))
                     .where(*where).group_by(RollupRow.day, RollupRow.metric))
            for day, metric, count, zero in session.execute(daily):
                figures._add_daily(day, metric, Counts(count=int(count), zero=int(zero)))
        for day in days(start, end):
            if day in rolled or dt.datetime.combine(day, dt.time()) > now:
                continue
            for row, counts in day_figures(read_day_events(session, day)).items():
                if (locale and row[0] != locale) or row[1] not in metrics:
                    continue
                figures.rows[row].add(counts)
                if is_daily:
                    figures._add_daily(day, row[1], counts)
    return figures
