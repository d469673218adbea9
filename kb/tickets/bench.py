"""The desk's queue under load: seed many tickets, then time queue pages (``deflect bench-desk``).

Seeding writes rows with bulk inserts (not ``create_ticket``, which would take minutes for
20,000) shaped like real traffic: most tickets answered and resolved, a tenth still open, spread
over categories, locales and agents. Each scenario is one call the queue page makes
(``queue_page``, counts included), timed ``repeats`` times after one warm-up.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, insert, select

from kb.db import Database
from kb.errors import TicketError
from kb.submissions import CATEGORIES
from kb.tickets.models import ALPHABET, Message, Status, Ticket
from kb.tickets.queue import QueueFilter, queue_page

_WORDS = ("login", "password", "refund", "payment", "card", "app", "crash", "subscription",
          "cancel", "receipt", "locked", "error", "로그인", "결제", "환불", "구독", "해지", "오류")
_STEPS = ((Status.CLOSED, 45), (Status.RESOLVED, 25), (Status.PROPOSED, 10),
          (Status.INVESTIGATING, 10), (Status.RECEIVED, 10))


@dataclass(frozen=True)
class Timing:
    """One scenario's latency over its repeats, in milliseconds, and the rows it returned.
    ``fastest`` is the best run: on a busy shared machine it is the closest to the cost."""

    scenario: str
    fastest: float
    p50: float
    p95: float
    rows: int

    @classmethod
    def of(cls, scenario: str, samples: list[float], rows: int) -> Timing:
        """Summarise ``samples`` (milliseconds) to two decimals."""
        return cls(scenario, round(min(samples), 2), round(statistics.median(samples), 2),
                   round(_percentile(samples, 95), 2), rows)


def seed_tickets(db: Database, count: int, *, agents: int = 8, seed: int = 13,
                 batch: int = 2_000) -> None:
    """Insert ``count`` synthetic tickets with one message each into an empty database.

    Raises ``TicketError`` when the database already holds tickets (never mix with real ones).
    """
    with db.session() as session:
        if session.scalar(select(func.count()).select_from(Ticket)):
            raise TicketError("the bench needs a database without tickets; give it an empty "
                              "one (--database-url) or none (a temporary SQLite file)")
    chance = random.Random(seed)
    start = dt.datetime(2026, 1, 1)
    references: set[str] = set()
    steps, weights = zip(*_STEPS, strict=True)
    for first in range(0, count, batch):
        tickets, messages = [], []
        for number in range(first, min(first + batch, count)):
            while (reference := _reference(chance)) in references:
                pass
            references.add(reference)
            created = start + dt.timedelta(minutes=number * 2 + chance.randrange(2))
            text = " ".join(chance.choices(_WORDS, k=8))
            tickets.append({
                "id": number + 1, "reference": reference, "idempotency_key": f"bench-{number}",
                "fingerprint": "0" * 64,
                "status": chance.choices(steps, weights)[0].value,
                "category": chance.choice(CATEGORIES), "subject": text[:60],
                "locale": chance.choice(("ko", "en")),
                "email": f"customer{number}@example.com", "name": "", "phone": "",
                "trail": [], "reopen_count": 0, "consented_at": created,
                "created_at": created, "updated_at": created,
                "waiting_since": created + dt.timedelta(minutes=chance.randrange(600)),
                "assignee_id": chance.choice([None, *range(1, agents + 1)])})
            messages.append({"ticket_id": number + 1, "author": "customer", "body": text,
                             "links": [], "created_at": created, "internal": False})
        with db.session() as session:
            session.execute(insert(Ticket), tickets)
            session.execute(insert(Message), messages)
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does soon after a bulk load: statistics and the visibility map
        # (index-only scans). Without it the first minutes plan as if the tables were empty.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE tickets")
            connection.exec_driver_sql("VACUUM ANALYZE ticket_messages")


def scenarios() -> dict[str, Callable[[], tuple[QueueFilter, int]]]:
    """The queue views timed: name → (filters, how many pages deep)."""
    return {
        "open, first page": lambda: (QueueFilter(), 1),
        "open, page 10 (keyset)": lambda: (QueueFilter(), 10),
        "resolved": lambda: (QueueFilter(steps=("resolved",)), 1),
        "every step": lambda: (QueueFilter(steps=()), 1),
        "mine (agent 3)": lambda: (QueueFilter(assignee=3), 1),
        "unassigned, ko, payment": lambda: (QueueFilter(assignee="unassigned", locale="ko",
                                                         category="payment"), 1),
        "text 'refund'": lambda: (QueueFilter(text="refund", steps=()), 1),
    }


def measure_queue(db: Database, *, repeats: int = 30) -> list[Timing]:
    """Time each of ``scenarios()``: the last page's ``queue_page`` call, counts included."""
    timings = []
    for name, make in scenarios().items():
        filters, depth = make()
        cursor = None
        with db.session() as session:
            for _page in range(depth - 1):
                cursor = queue_page(session, filters, cursor=cursor).next_cursor
        samples = []
        rows = 0
        for attempt in range(repeats + 1):
            with db.session() as session:
                began = time.perf_counter()
                page = queue_page(session, filters, cursor=cursor)
                elapsed = (time.perf_counter() - began) * 1000
            rows = len(page.rows)
            if attempt:  # the first run warms the caches
                samples.append(elapsed)
        timings.append(Timing.of(name, samples, rows))
    return timings


def _percentile(samples: list[float], percent: int) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))]


def _reference(chance: random.Random) -> str:
    chars = "".join(chance.choice(ALPHABET) for _ in range(8))
    return f"DF-{chars[:4]}-{chars[4:]}"
