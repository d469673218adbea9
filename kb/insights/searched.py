"""The queries that led customers to one article: what they typed before opening it from the
search results (the ``click`` events), for the editor's "customers searched for this"."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kb.events import EventRow


def queries_for_article(session: Session, locale: str, slug: str, *, since: dt.datetime,
                        limit: int = 10) -> list[tuple[str, int]]:
    """``(query, clicks)`` of the searches from which the article was opened since ``since``
    (naive UTC), most frequent first, then alphabetically; at most ``limit``."""
    count = func.count(EventRow.id)
    rows = session.execute(
        select(EventRow.query, count)
        .where(EventRow.kind == "click", EventRow.locale == locale, EventRow.slug == slug,
               EventRow.created_at >= since, EventRow.query.is_not(None), EventRow.query != "")
        .group_by(EventRow.query).order_by(count.desc(), EventRow.query).limit(limit))
    return [(query, int(clicks)) for query, clicks in rows]
