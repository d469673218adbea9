"""The insights benchmark: synthetic traffic written fast, then every report timed.

``generate_events`` writes visitor sessions (visits, searches over a long-tailed vocabulary of
queries, clicks, views, votes, "still need help", the contact form, tickets) spread over
``days`` days, in batches of multi-row INSERTs. ``run_bench`` rolls the finished days up and
times each report over 7, 30 and 90 days, on whichever database it is given.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from kb.db import Database
from kb.events import EventRow
from kb.insights import reports
from kb.insights.rollups import roll_up, utc_now
from kb.insights.window import last_days
from kb.knowledge import KnowledgeBase

_WORDS_KO = ("로그인", "비밀번호", "환불", "결제", "카드", "구독", "해지", "배송", "주소", "앱",
             "오류", "계정", "이메일", "인증", "쿠폰", "학생", "할인", "영수증", "알림", "탈퇴")
_WORDS_EN = ("login", "password", "refund", "payment", "card", "subscription", "cancel",
             "delivery", "address", "app", "error", "account", "email", "verify", "coupon",
             "student", "discount", "receipt", "notification", "delete")
_SLUGS = tuple(f"article-{n:03d}" for n in range(200))
_BATCH = 10_000


@dataclass(frozen=True)
class Timing:
    """One measured step: what, over how many days, seconds taken (wall clock) and the CPU
    seconds of this process (the wall clock includes waiting for a loaded machine's CPUs)."""

    name: str
    days: int
    seconds: float
    cpu_seconds: float


def _vocabulary(rng: random.Random, locale: str, size: int) -> list[str]:
    words = _WORDS_KO if locale == "ko" else _WORDS_EN
    return [" ".join(rng.sample(words, rng.randint(1, 3))) for _ in range(size)]


def _sessions(*, days: int, now: dt.datetime, seed: int) -> Iterator[dict[str, Any]]:
    """Endless sessions, each starting at a random moment of the last ``days`` days."""
    rng = random.Random(seed)
    vocab = {locale: _vocabulary(rng, locale, 3000) for locale in ("ko", "en")}
    # Zipf: a few queries asked often, a long tail asked once (cumulative, for rng.choices)
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(3000)))
    while True:
        locale = "ko" if rng.random() < 0.6 else "en"
        yield from _session(rng, locale, vocab[locale], weights,
                            at=now - dt.timedelta(seconds=rng.uniform(600, days * 86400)))


def _session(rng: random.Random, locale: str, vocab: list[str], weights: list[float], *,
             at: dt.datetime) -> list[dict[str, Any]]:
    """One visitor's steps: a visit, 1-3 searches (8 % find nothing, 60 % of the rest lead to
    a click and a read, a fifth of reads to a vote), and for 12 % the contact path."""
    session_id = f"{rng.getrandbits(128):032x}"
    steps: list[dict[str, Any]] = []

    def add(kind: str, **fields: Any) -> None:
        nonlocal at
        at += dt.timedelta(seconds=rng.uniform(2, 40))
        steps.append({"kind": kind, "session_id": session_id, "created_at": at,
                      "locale": locale, **fields})

    add("visit")
    for _ in range(rng.choice((1, 1, 2, 3))):
        query = rng.choices(vocab, cum_weights=weights)[0]
        zero = rng.random() < 0.08
        add("search", query=query, query_key=query.replace(" ", ""),
            result_count=0 if zero else 7, is_zero_result=zero)
        if not zero and rng.random() < 0.6:
            slug = rng.choice(_SLUGS)
            add("click", query=query, slug=slug, rank=1)
            add("view", slug=slug, source="search", query=query, rank=1)
            if rng.random() < 0.2:
                add("vote", slug=slug, value="yes" if rng.random() < 0.7 else "no")
    if rng.random() < 0.12:
        add("need_help")
        add("contact_open")
        if rng.random() < 0.3:
            add("suggestion_open", slug=rng.choice(_SLUGS), source="suggestion",
                value="contact_form")
        if rng.random() < 0.5:
            add("ticket", value="account")
    return steps


def generate_events(database: Database, events: int, *, days: int = 90,
                    now: dt.datetime | None = None, seed: int = 15) -> int:
    """Write about ``events`` synthetic events over the last ``days`` days; return how many."""
    now = now or utc_now()
    written = 0
    batch: list[dict[str, Any]] = []
    columns = ("query", "query_key", "slug", "rank", "source", "result_count",
               "is_zero_result", "value")
    with database.session() as session:
        for event in _sessions(days=days, now=now, seed=seed):
            for column in columns:
                event.setdefault(column, None)
            batch.append(event)
            if len(batch) >= _BATCH:
                session.execute(EventRow.__table__.insert(), batch)
                written += len(batch)
                batch = []
            if written + len(batch) >= events:
                break
        if batch:
            session.execute(EventRow.__table__.insert(), batch)
            written += len(batch)
    return written


def _timed(name: str, days: int, call: Callable[[], object]) -> Timing:
    started, cpu = time.perf_counter(), time.process_time()
    call()
    return Timing(name, days, round(time.perf_counter() - started, 3),
                  round(time.process_time() - cpu, 3))


def run_bench(database: Database, *, days: int = 90, now: dt.datetime | None = None,
              knowledge: KnowledgeBase | None = None) -> list[Timing]:
    """Roll up the finished days, then time every report over 7, 30 and 90 days."""
    now = now or utc_now()
    timings = [_timed("roll-up", days, lambda: roll_up(
        database, now.date() - dt.timedelta(days=days + 1), now.date(), now=now))]
    knowledge = knowledge or KnowledgeBase([], {})
    for length in (7, 30, 90):
        window = last_days(length, today=now.date())
        timings += [
            _timed("search", length, lambda w=window: reports.search_report(
                database, w, now=now)),
            _timed("articles", length, lambda w=window: reports.articles_report(
                database, w, knowledge=knowledge, now=now)),
            _timed("funnel", length, lambda w=window: reports.funnel_report(
                database, w, now=now)),
            _timed("daily", length, lambda w=window: reports.daily_series(
                database, w, now=now)),
            _timed("summary", length, lambda w=window: reports.summary(database, w, now=now)),
        ]
    return timings
