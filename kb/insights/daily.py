"""One day's figures from its raw events: the single definition every report is built on.

A **session** here is one visitor (anonymous id) on one UTC day; its locale is the locale of
its first event that has one. Per-event counts (searches, views, votes) use each event's own
locale. The same function rolls a finished day up and computes today's figures live, so
rolled-up and live figures can never disagree.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

FUNNEL_STAGES = ("visited", "searched", "clicked", "read", "need_help", "contact",
                 "suggestion", "ticket")
"""The deflection funnel, in order: each is a count of sessions that did it (any order)."""
DERIVED_STAGES = ("used_help_center", "stage1", "stage2")
"""``used_help_center``: searched or read an article; ``stage1``: searched or read and neither
pressed "still need help", opened the contact form nor submitted a ticket; ``stage2``: opened the
contact form and a suggested article there, and submitted no ticket."""


@dataclass(frozen=True)
class RawEvent:
    """The columns of an event the figures need."""

    id: int
    created_at: dt.datetime
    session_id: str
    kind: str
    locale: str | None
    query: str | None
    query_key: str | None
    slug: str | None
    source: str | None
    is_zero_result: bool | None
    value: str | None


@dataclass
class Counts:
    """The counters of one roll-up row (see ``kb.insights.models.RollupRow``)."""

    count: int = 0
    zero: int = 0
    clicks: int = 0
    helps: int = 0
    tickets: int = 0
    labels: Counter[str] = field(default_factory=Counter)

    def add(self, other: Counts) -> None:
        """Add ``other``'s counts (and labels) to these."""
        self.count += other.count
        self.zero += other.zero
        self.clicks += other.clicks
        self.helps += other.helps
        self.tickets += other.tickets
        self.labels.update(other.labels)

    @property
    def label(self) -> str:
        """The most frequent raw text (ties: the first seen)."""
        return self.labels.most_common(1)[0][0] if self.labels else ""


RowKey = tuple[str, str, str, str]
"""``(locale, metric, key, slug)``; empty strings where a part does not apply."""


def query_key(query: str | None, stored_key: str | None) -> str:
    """The key a search is grouped by: the analysed form web stored, else the query folded
    (NFKC, lower case, spaces removed), for events written before keys were stored."""
    if stored_key:
        return stored_key
    return "".join(unicodedata.normalize("NFKC", query or "").casefold().split())


def day_figures(events: Iterable[RawEvent]) -> dict[RowKey, Counts]:
    """Count one day's events into roll-up rows.

    ``events`` must be ordered by session id, then time, then id (how ``rollups`` reads them).
    """
    rows: dict[RowKey, Counts] = defaultdict(Counts)
    session: list[RawEvent] = []
    for event in events:
        if session and event.session_id != session[0].session_id:
            _count_session(session, rows)
            session = []
        session.append(event)
    if session:
        _count_session(session, rows)
    return dict(rows)


def _count_session(events: list[RawEvent], rows: dict[RowKey, Counts]) -> None:
    locale = next((e.locale for e in events if e.locale), "")
    kinds = {e.kind for e in events}
    has_ticket = "ticket" in kinds
    _count_searches(events, rows, has_ticket)
    viewed: set[tuple[str, str]] = set()
    for event in events:
        here = event.locale or ""
        if event.kind == "view" and event.slug:
            rows[(here, "view", event.source or "direct", event.slug)].count += 1
            viewed.add((here, event.slug))
        elif event.kind == "vote" and event.slug and event.value in ("yes", "no"):
            rows[(here, "vote", event.value, event.slug)].count += 1
        elif event.kind == "need_help":
            rows[(here, "need_help", "", event.slug or "")].count += 1
        elif event.kind == "ticket":
            rows[(here, "ticket", "", "")].count += 1
            for view_locale, slug in viewed:  # articles read before this ticket
                rows[(view_locale, "ticket_after_view", "", slug)].count += 1
            viewed.clear()
    stages = {
        "visited": True,
        "searched": "search" in kinds,
        "clicked": "click" in kinds,
        "read": "view" in kinds,
        "need_help": "need_help" in kinds,
        "contact": "contact_open" in kinds,
        "suggestion": any(e.kind == "suggestion_open" and e.value == "contact_form"
                          for e in events),
        "ticket": has_ticket,
    }
    used = stages["searched"] or stages["read"]
    stages["used_help_center"] = used
    stages["stage1"] = used and not (stages["need_help"] or stages["contact"] or has_ticket)
    stages["stage2"] = stages["contact"] and stages["suggestion"] and not has_ticket
    for stage, is_reached in stages.items():
        if is_reached:
            rows[(locale, "funnel", stage, "")].count += 1


def _count_searches(events: list[RawEvent], rows: dict[RowKey, Counts],
                    has_ticket: bool) -> None:
    """Per query: searches, zero-result ones, those followed by a click (before the next
    search), by "still need help" or a ticket, and by a ticket; and learned phrasings (a query
    whose search led to a click on an article, in a session with no ticket)."""
    phrasings: set[tuple[str, str, str, str]] = set()
    for index, event in enumerate(events):
        if event.kind != "search":
            continue
        key = query_key(event.query, event.query_key)
        if not key:
            continue
        locale = event.locale or ""
        counts = rows[(locale, "search", key, "")]
        counts.count += 1
        counts.labels[event.query or key] += 1
        counts.zero += bool(event.is_zero_result)
        later = events[index + 1:]
        until_next = []
        for follower in later:
            if follower.kind == "search":
                break
            until_next.append(follower)
        clicked = [f for f in until_next if f.kind == "click" and f.slug]
        counts.clicks += bool(clicked)
        counts.helps += any(f.kind in ("need_help", "ticket") for f in later)
        counts.tickets += any(f.kind == "ticket" for f in later)
        if not has_ticket:
            for click in clicked:
                phrasings.add((locale, key, click.slug or "", event.query or key))
    for locale, key, slug, text in phrasings:
        counts = rows[(locale, "phrasing", key, slug)]
        counts.count += 1
        counts.labels[text] += 1
