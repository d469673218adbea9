"""Content on a calendar: publishing at a chosen time, and articles due for review.

``schedule`` remembers a revision and a time; ``publish_due`` (called by every worker's content
check, so no cron is needed) publishes what is due, once, whichever worker gets there first.
``due_for_review`` lists the published articles whose ``review_by`` date has come, with their
owner, for ``deflect remind`` and the desk's "stale" filter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.content.models import Item, ItemStatus, utc_now
from kb.content.store import Saved, find_item, text_of, tick
from kb.errors import StaleRevision
from kb.knowledge import KnowledgeBase


@dataclass(frozen=True)
class Due:
    """A published article whose ``review_by`` date has come."""

    owner: str | None
    locale: str
    slug: str
    title: str
    review_by: dt.date


def schedule(session: Session, *, locale: str, slug: str, revision: int,
             at: dt.datetime) -> Saved:
    """Publish revision ``revision`` (which must be the latest) at ``at`` (naive UTC)."""
    tick(session)
    item = find_item(session, locale, slug)
    if revision != item.latest:
        raise StaleRevision(key=item.key, base=revision, latest=item.latest,
                            latest_text=text_of(session, item),
                            text=text_of(session, item, revision))
    item.scheduled, item.publish_at = revision, at
    return Saved(item.key, item.latest, True)


def publish_due(session: Session, now: dt.datetime | None = None) -> list[str]:
    """Publish every scheduled revision whose time has come; return their keys.

    The first look takes no lock; only when something is due does it tick the clock (the write
    lock) and look again, so two workers never publish the same thing twice."""
    now = now or utc_now()
    due = select(Item).where(Item.publish_at.is_not(None), Item.publish_at <= now)
    if session.scalar(due.with_only_columns(Item.id).limit(1)) is None:
        return []
    tick(session)
    published = []
    for item in session.scalars(due):
        item.published, item.status = item.scheduled, ItemStatus.PUBLISHED
        item.scheduled = item.publish_at = None
        item.updated_at = now
        published.append(item.key)
    return published


def due_for_review(session: Session, knowledge: KnowledgeBase,
                   today: dt.date) -> list[Due]:
    """The published articles of ``knowledge`` whose ``review_by`` is ``today`` or earlier,
    oldest date first, each with the owner the store has for it."""
    owners = {(locale, name): owner for locale, name, owner in
              session.execute(select(Item.locale, Item.name, Item.owner)
                              .where(Item.locale != ""))}
    due = [Due(owner=owners.get(a.key), locale=a.locale, slug=a.slug, title=a.title,
               review_by=a.review_by)
           for a in knowledge if a.review_by is not None and a.review_by <= today]
    return sorted(due, key=lambda d: (d.review_by, d.locale, d.slug))
