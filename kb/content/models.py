"""The content store's tables: items (articles and the editor's files), their revisions, the
content clock, the redirects left by renamed slugs and the images articles show.

Every saved text is a ``Revision`` numbered 1, 2, ... per item (unique by constraint, so two
saves can never both become number n). The ``ContentClock`` is one row whose ``version`` every
write increments *first*: the row lock (PostgreSQL) or write lock (SQLite) it takes makes the
base-revision check of a save race-free, and its value is the cheap "did anything change?"
that every worker polls.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kb.db import Base

FILE_NAMES = ("categories.yml", "synonyms.txt", "userdict.txt")
"""The editor's files stored beside the articles (``locale`` is empty for them)."""


class ItemStatus(StrEnum):
    """Where an article stands: only ``published`` ones are served."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


def utc_now() -> dt.datetime:
    """Now as naive UTC, the way the content store keeps times."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Item(Base):
    """An article (``locale`` and ``name`` = its slug) or one of ``FILE_NAMES`` (``locale`` ""),
    with the numbers of its latest, published and last synced (imported/exported) revisions."""

    __tablename__ = "content_items"
    __table_args__ = (UniqueConstraint("locale", "name", name="uq_content_items_locale_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locale: Mapped[str] = mapped_column(String(5))
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(60))
    title: Mapped[str | None] = mapped_column(String(300))
    """The latest revision's title, category and ``review_by``, kept for the desk's list."""
    review_by: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default=ItemStatus.DRAFT)
    latest: Mapped[int] = mapped_column(Integer)
    published: Mapped[int | None] = mapped_column(Integer)
    synced: Mapped[int | None] = mapped_column(Integer)
    """The revision that matched the Markdown folder at the last import or export."""
    synced_digest: Mapped[str | None] = mapped_column(String(64))
    """SHA-256 of the file's text at that sync: tells whether the file changed since."""
    scheduled: Mapped[int | None] = mapped_column(Integer)
    """A revision to publish at ``publish_at`` (scheduled publishing)."""
    publish_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    owner: Mapped[str | None] = mapped_column(String(200))
    ticket_reference: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)

    @property
    def key(self) -> str:
        """``ko/password-reset`` for an article, ``synonyms.txt`` for a file."""
        return f"{self.locale}/{self.name}" if self.locale else self.name


class Revision(Base):
    """One saved text of an item: Markdown with its front matter (or a file's text)."""

    __tablename__ = "content_revisions"
    __table_args__ = (UniqueConstraint("item_id", "number",
                                       name="uq_content_revisions_item_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"),
                                         index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class ContentClock(Base):
    """One row (``id`` 1): ``version`` goes up with every write to the content store."""

    __tablename__ = "content_clock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class Redirect(Base):
    """An article's old slug in a locale, kept when it was renamed, so old links still work."""

    __tablename__ = "content_redirects"
    __table_args__ = (UniqueConstraint("locale", "old_slug",
                                       name="uq_content_redirects_locale_old_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locale: Mapped[str] = mapped_column(String(5))
    old_slug: Mapped[str] = mapped_column(String(120))
    item_id: Mapped[int] = mapped_column(ForeignKey("content_items.id", ondelete="CASCADE"))


class StoredImageRow(Base):
    """An image an article shows, re-encoded, named by the SHA-256 of its stored bytes (so the
    same picture uploaded twice is one row). Immutable: never updated, served forever."""

    __tablename__ = "content_images"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(20))
    extension: Mapped[str] = mapped_column(String(5))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(5))
    slug: Mapped[str | None] = mapped_column(String(120))
    """The article it was first uploaded for (informative: any article may show it)."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
