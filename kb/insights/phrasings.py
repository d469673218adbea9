"""Learned phrasings: queries that led a visitor to click an article and open no ticket,
proposed as new ``questions`` of that article until an editor accepts or rejects them.

Nothing here changes ranking: an accepted phrasing reaches search only through a new revision
of the article that the editors' desk writes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kb.db import Database
from kb.errors import InvalidDecision
from kb.insights.models import PhrasingDecision
from kb.insights.rollups import collect, utc_now
from kb.insights.window import Window

DECISIONS = ("accepted", "rejected")


@dataclass(frozen=True)
class Phrasing:
    """A proposed question: ``query`` (its most frequent spelling) and analysed ``key`` led
    ``sessions`` sessions to ``slug`` in ``locale`` with no ticket."""

    locale: str
    slug: str
    key: str
    query: str
    sessions: int


def proposed_phrasings(database: Database, window: Window, *, locale: str | None = None,
                       known: dict[tuple[str, str], set[str]] | None = None,
                       min_sessions: int = 1, now: dt.datetime | None = None) -> list[Phrasing]:
    """The phrasings of the window not decided yet and not already among ``known`` keys of an
    article (``(locale, slug)`` → keys of its title and questions), most sessions first."""
    figures = collect(database, window.start, window.end, locale=locale,
                      metrics=("phrasing",), now=now or utc_now())
    with database.session() as session:
        decided = {(d.locale, d.slug, d.key) for d in session.scalars(select(PhrasingDecision))}
    known = known or {}
    found = []
    for (row_locale, _, key, slug), counts in figures.rows.items():
        if (counts.count < min_sessions or (row_locale, slug, key) in decided
                or key in known.get((row_locale, slug), set())):
            continue
        found.append(Phrasing(row_locale, slug, key, counts.label or key, counts.count))
    found.sort(key=lambda p: (-p.sessions, p.locale, p.slug, p.query))
    return found


def decide_phrasing(session: Session, phrasing: Phrasing, decision: str, *,
                    now: dt.datetime | None = None) -> None:
    """Record an editor's ``decision`` (``accepted`` or ``rejected``) in the caller's
    transaction; deciding again overwrites it. Raises ``InvalidDecision`` for another word."""
    if decision not in DECISIONS:
        raise InvalidDecision(f"a decision is one of {', '.join(DECISIONS)}, not {decision!r}")
    values = {"locale": phrasing.locale, "slug": phrasing.slug, "key": phrasing.key[:200],
              "query": phrasing.query[:200], "decision": decision,
              "decided_at": now or utc_now()}
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(PhrasingDecision).values(**values)
    # Two editors clicking at once: the last answer wins, neither fails.
    session.execute(statement.on_conflict_do_update(
        index_elements=["locale", "slug", "key"],
        set_={"query": values["query"], "decision": decision,
              "decided_at": values["decided_at"]}))
