"""The desk's list of articles: every stored article with its status and the filters editors
use (locale, category, status, missing or out-of-date translation, stale, text search).

One query over the items (which keep their latest title, category and ``review_by``); the
text search also looks into the latest revision's text, so it finds the ``questions`` too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kb.content.models import Item, Revision

TRANSLATION_MISSING = "missing"
TRANSLATION_BEHIND = "behind"


@dataclass(frozen=True)
class Entry:
    """One article in the desk's list."""

    locale: str
    slug: str
    title: str
    category: str | None
    status: str
    revision: int
    published: int | None
    review_by: dt.date | None
    updated_at: dt.datetime
    owner: str | None
    ticket_reference: str | None
    translation: str | None
    """``missing`` (no article with this slug in the other locale), ``behind`` (the other
    locale changed after this one did), or ``None``."""

    @property
    def has_draft(self) -> bool:
        """Whether a revision newer than the published one waits to be published."""
        return self.published != self.revision


def list_articles(session: Session, *, locale: str | None = None,
                  category: str | None = None, status: str | None = None,
                  text: str | None = None, translation: str | None = None,
                  stale_on: dt.date | None = None) -> list[Entry]:
    """The stored articles matching every given filter, by locale, category and title.

    ``translation`` keeps the articles whose translation is ``missing`` or ``behind``;
    ``stale_on`` keeps those whose ``review_by`` is that day or earlier."""
    query = select(Item).where(Item.locale != "")
    if text and text.strip():
        pattern = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        query = query.join(Revision, (Revision.item_id == Item.id)
                           & (Revision.number == Item.latest)).where(
            or_(Item.title.ilike(pattern, escape="\\"), Item.name.ilike(pattern, escape="\\"),
                Revision.text.ilike(pattern, escape="\\")))
    for column, value in ((Item.locale, locale), (Item.category, category),
                          (Item.status, status)):
        if value:
            query = query.where(column == value)
    if stale_on is not None:
        query = query.where(Item.review_by <= stale_on)
    items = session.scalars(query.order_by(Item.locale, Item.category, Item.title)).all()
    changed: dict[str, dict[str, dt.datetime]] = {}
    for locale_, name, updated in session.execute(
            select(Item.locale, Item.name, Item.updated_at).where(Item.locale != "")):
        changed.setdefault(name, {})[locale_] = updated
    entries = [_entry(item, changed.get(item.name, {})) for item in items]
    if translation:
        entries = [e for e in entries if e.translation == translation]
    return entries


def _entry(item: Item, by_locale: dict[str, dt.datetime]) -> Entry:
    others = [when for locale, when in by_locale.items() if locale != item.locale]
    if not others:
        translation = TRANSLATION_MISSING
    elif max(others) > item.updated_at:
        translation = TRANSLATION_BEHIND
    else:
        translation = None
    return Entry(locale=item.locale, slug=item.name, title=item.title or item.name,
                 category=item.category, status=item.status, revision=item.latest,
                 published=item.published, review_by=item.review_by,
                 updated_at=item.updated_at, owner=item.owner,
                 ticket_reference=item.ticket_reference, translation=translation)
