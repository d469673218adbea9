"""Saving and reading articles in the content store: one function per action.

``create_draft``, ``save_draft``, ``publish``, ``archive``, ``restore`` and ``rename`` are what
the desk pages, the staff API and the CLI call. Each takes the caller's session (the caller owns
the transaction), starts by ticking the content clock (which takes the write lock) and only then
compares the caller's ``base_revision`` with the latest, so two editors saving the same article
at once cannot both win: the second gets ``StaleRevision``. Markdown is checked by the loader's
own parse and lint (``kb.content.checks``); a text with errors raises ``InvalidArticle`` and
nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kb.articles import Article, Problem
from kb.content.checks import check_article, check_file
from kb.content.models import ContentClock, Item, ItemStatus, Redirect, Revision, utc_now
from kb.errors import ArticleExists, ArticleNotFound, StaleRevision


@dataclass(frozen=True)
class Saved:
    """What a save did: the item's latest revision number after it, and the lint warnings."""

    key: str
    revision: int
    is_new: bool
    """False when the text equalled the latest revision (nothing was stored)."""
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class ArticleState:
    """An article as the editor sees it: its latest text and where it stands."""

    locale: str
    slug: str
    status: str
    markdown: str
    revision: int
    published: int | None
    category: str | None
    owner: str | None
    ticket_reference: str | None


@dataclass(frozen=True)
class RevisionInfo:
    """One entry of an article's history."""

    number: int
    author: str
    message: str
    created_at: dt.datetime
    is_published: bool


def tick(session: Session) -> int:
    """Move the content clock on; return its new version. Call first in a writing transaction:
    the update takes the lock that serialises writers (and tells workers to refresh)."""
    session.execute(update(ContentClock).where(ContentClock.id == 1)
                    .values(version=ContentClock.version + 1, changed_at=utc_now()))
    version = session.scalar(select(ContentClock.version).where(ContentClock.id == 1))
    if version is None:  # a database whose clock row was removed by hand
        session.add(ContentClock(id=1, version=1))
        session.flush()
        return 1
    return version


def content_version(session: Session) -> int:
    """The content clock's version: what workers compare to know whether to refresh."""
    return session.scalar(select(ContentClock.version).where(ContentClock.id == 1)) or 0


def find_item(session: Session, locale: str, name: str) -> Item:
    """The stored article (or file, with ``locale`` "") or ``ArticleNotFound``."""
    item = session.scalar(select(Item).where(Item.locale == locale, Item.name == name))
    if item is None:
        raise ArticleNotFound(f"{locale}/{name}" if locale else name)
    return item


def text_of(session: Session, item: Item, number: int | None = None) -> str:
    """The text of revision ``number`` (default: the latest) of ``item``."""
    number = item.latest if number is None else number
    text = session.scalar(select(Revision.text).where(Revision.item_id == item.id,
                                                      Revision.number == number))
    if text is None:
        raise ArticleNotFound(f"{item.key} revision {number}")
    return text


def read_article(session: Session, locale: str, slug: str) -> ArticleState:
    """The latest text of an article and its status."""
    item = find_item(session, locale, slug)
    return ArticleState(locale=locale, slug=slug, status=item.status,
                        markdown=text_of(session, item), revision=item.latest,
                        published=item.published, category=item.category, owner=item.owner,
                        ticket_reference=item.ticket_reference)


def history(session: Session, locale: str, slug: str) -> list[RevisionInfo]:
    """Every revision of an article, newest first."""
    item = find_item(session, locale, slug)
    rows = session.execute(select(Revision.number, Revision.author, Revision.message,
                                  Revision.created_at)
                           .where(Revision.item_id == item.id)
                           .order_by(Revision.number.desc())).all()
    return [RevisionInfo(number=n, author=a, message=m, created_at=c,
                         is_published=n == item.published) for n, a, m, c in rows]


def diff(old: str, new: str, *, old_name: str = "before", new_name: str = "after") -> str:
    """A unified diff of two texts (what the history and a refused save show)."""
    return "".join(difflib.unified_diff(old.splitlines(keepends=True),
                                        new.splitlines(keepends=True),
                                        fromfile=old_name, tofile=new_name))


def create_draft(session: Session, *, locale: str, slug: str, markdown: str, author: str,
                 message: str = "", ticket_reference: str | None = None) -> Saved:
    """Store a new article as a draft (revision 1), e.g. one an agent wrote from a ticket.

    Raises ``InvalidArticle`` (with every problem and its line) or ``ArticleExists``."""
    tick(session)
    if session.scalar(select(Item.id).where(Item.locale == locale, Item.name == slug)):
        raise ArticleExists(f"{locale}/{slug}")
    article, warnings = check_article(session, markdown, locale=locale, slug=slug)
    item = Item(locale=locale, name=slug, category=article.category, status=ItemStatus.DRAFT,
                latest=0, owner=author, ticket_reference=ticket_reference)
    session.add(item)
    session.flush()
    append_revision(session, item, markdown, author, message or "new draft", article)
    return Saved(item.key, item.latest, True, tuple(warnings))


def save_draft(session: Session, *, locale: str, slug: str, markdown: str,
               base_revision: int | None, author: str, message: str = "") -> Saved:
    """Store ``markdown`` as the article's newest revision, unpublished until ``publish``.

    ``base_revision`` is the revision the editor started from; when it is not the latest
    ``StaleRevision`` carries both texts. A text equal to the latest stores nothing."""
    tick(session)
    item = find_item(session, locale, slug)
    latest_text = text_of(session, item)
    _check_base(item, base_revision, latest_text, markdown)
    article, warnings = check_article(session, markdown, locale=locale, slug=slug)
    if markdown == latest_text:
        return Saved(item.key, item.latest, False, tuple(warnings))
    append_revision(session, item, markdown, author, message, article)
    return Saved(item.key, item.latest, True, tuple(warnings))


def publish(session: Session, *, locale: str, slug: str, revision: int | None = None) -> Saved:
    """Serve the article's latest revision (``revision``, if given, must be that one)."""
    tick(session)
    item = find_item(session, locale, slug)
    if revision is not None and revision != item.latest:
        raise StaleRevision(key=item.key, base=revision, latest=item.latest,
                            latest_text=text_of(session, item), text=text_of(session, item,
                                                                              revision))
    item.published = item.latest
    item.status = ItemStatus.PUBLISHED
    item.updated_at = utc_now()
    return Saved(item.key, item.latest, True)


def archive(session: Session, *, locale: str, slug: str) -> Saved:
    """Stop serving the article, keeping every revision (archive instead of delete)."""
    tick(session)
    item = find_item(session, locale, slug)
    item.status = ItemStatus.ARCHIVED
    item.updated_at = utc_now()
    return Saved(item.key, item.latest, True)


def restore(session: Session, *, locale: str, slug: str, number: int,
            base_revision: int | None, author: str) -> Saved:
    """Store the text of revision ``number`` again as the newest revision (a draft)."""
    item = find_item(session, locale, slug)
    old = text_of(session, item, number)
    return save_draft(session, locale=locale, slug=slug, markdown=old,
                      base_revision=base_revision, author=author,
                      message=f"restore revision {number}")


def rename(session: Session, *, locale: str, slug: str, new_slug: str,
           base_revision: int | None, author: str) -> Saved:
    """Change an article's slug: a new revision with the new ``slug:`` line, and a redirect
    from the old URL. The new slug must be free in the locale."""
    tick(session)
    item = find_item(session, locale, slug)
    latest_text = text_of(session, item)
    _check_base(item, base_revision, latest_text, latest_text)
    if session.scalar(select(Item.id).where(Item.locale == locale, Item.name == new_slug)):
        raise ArticleExists(f"{locale}/{new_slug}")
    markdown = re.sub(r"(?m)^slug:.*$", f"slug: {new_slug}", latest_text, count=1)
    article, _warnings = check_article(session, markdown, locale=locale, slug=new_slug)
    item.name = new_slug
    redirect = session.scalar(select(Redirect).where(Redirect.locale == locale,
                                                     Redirect.old_slug == new_slug))
    if redirect is not None:  # renamed back: the new slug is live again
        session.delete(redirect)
    session.add(Redirect(locale=locale, old_slug=slug, item_id=item.id))
    append_revision(session, item, markdown, author, f"rename {slug} to {new_slug}", article)
    if item.published is not None and item.status == ItemStatus.PUBLISHED:
        item.published = item.latest  # the served text must carry the served slug
    return Saved(item.key, item.latest, True)


def redirect_for(session: Session, locale: str, slug: str) -> str | None:
    """The current slug of an article once called ``slug`` in ``locale``, if it was renamed."""
    return session.scalar(select(Item.name).join(Redirect, Redirect.item_id == Item.id)
                          .where(Redirect.locale == locale, Redirect.old_slug == slug))


def save_file(session: Session, *, name: str, text: str, base_revision: int | None,
              author: str, message: str = "", problems: list[Problem] | None = None) -> Saved:
    """Store a new revision of one of the editor's files (``categories.yml``, ``synonyms.txt``,
    ``userdict.txt``); it is live at once. ``problems`` are the caller's lint findings for
    files ``kb`` cannot check itself (the vocabulary files belong to ``search``)."""
    tick(session)
    check_file(name, text, problems or [])
    item = session.scalar(select(Item).where(Item.locale == "", Item.name == name))
    if item is None:
        item = Item(locale="", name=name, status=ItemStatus.PUBLISHED, latest=0, owner=author)
        session.add(item)
        session.flush()
    else:
        latest_text = text_of(session, item)
        _check_base(item, base_revision, latest_text, text)
        if text == latest_text:
            return Saved(item.key, item.latest, False)
    append_revision(session, item, text, author, message)
    item.published = item.latest
    return Saved(item.key, item.latest, True)


def _check_base(item: Item, base: int | None, latest_text: str, text: str) -> None:
    if base != item.latest:
        raise StaleRevision(key=item.key, base=base, latest=item.latest,
                            latest_text=latest_text, text=text)


def append_revision(session: Session, item: Item, text: str, author: str, message: str,
                    article: Article | None = None, now: dt.datetime | None = None) -> None:
    """Store ``text`` as the item's next revision (the caller ticked the clock and checked);
    ``article`` is the parsed text, whose title, category and ``review_by`` the item keeps.
    ``now`` lets one import date all its revisions alike (so none looks newer than another)."""
    now = now or utc_now()
    if article is not None:
        item.title, item.category = article.title[:300], article.category
        item.review_by = article.review_by
    item.latest += 1
    item.updated_at = now
    session.add(Revision(item_id=item.id, number=item.latest, text=text, author=author,
                         message=message[:500], created_at=now))
    session.flush()
