"""What a worker serves: the published revisions as a ``KnowledgeBase``, followed cheaply.

``PublishedContent.refresh`` reads the content clock (one tiny query); only when it moved does
it list the published revisions' ids, parse the ones it has not seen (a change re-parses one
article, not the help center) and build a new ``KnowledgeBase``, which callers swap in whole.
It reports which articles changed, so the search index is refreshed article by article.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.articles import Article, parse_article
from kb.content.checks import article_path
from kb.content.models import Item, ItemStatus, Revision
from kb.content.store import content_version
from kb.knowledge import KnowledgeBase
from kb.loader import Category, parse_categories


@dataclass(frozen=True)
class Change:
    """What one refresh found: the new knowledge base and what differs from the last one."""

    knowledge: KnowledgeBase
    changed: tuple[Article, ...]
    """Articles published or replaced since the last refresh."""
    removed: tuple[Article, ...]
    """Articles no longer served (archived, renamed away, unpublished): their last version."""
    files: dict[str, str] = field(default_factory=dict)
    """Editor's files (name → text) whose text changed, e.g. ``synonyms.txt``."""


class PublishedContent:
    """A worker's view of the published content; ``version`` is the clock it last saw."""

    def __init__(self) -> None:
        self.version: int | None = None
        self.knowledge = KnowledgeBase([], {})
        self.files: dict[str, str] = {}
        self._revisions: dict[int, Article] = {}  # revision id → parsed article
        self._categories: tuple[str | None, dict[str, Category]] = (None, {})

    def is_current(self, session: Session) -> bool:
        """Whether the store's clock still reads the version last loaded (the cheap check)."""
        return self.version is not None and content_version(session) == self.version

    def refresh(self, session: Session) -> Change | None:
        """Load what changed since the last call; ``None`` when the clock has not moved."""
        version = content_version(session)
        if version == self.version:
            return None
        rows = session.execute(
            select(Revision.id, Item.locale, Item.name)
            .join(Item, Item.id == Revision.item_id)
            .where(Revision.number == Item.published, Item.status == ItemStatus.PUBLISHED)
        ).all()
        article_ids = {rid: (locale, name) for rid, locale, name in rows if locale}
        file_ids = {rid: name for rid, locale, name in rows if not locale}
        missing = [rid for rid in (*article_ids, *file_ids) if rid not in self._revisions]
        texts = dict(session.execute(select(Revision.id, Revision.text)
                                     .where(Revision.id.in_(missing))).all()) if missing else {}
        files = dict(self.files)
        for rid, name in file_ids.items():
            if rid in texts:
                files[name] = texts[rid]
        revisions: dict[int, Article] = {}
        for rid, (locale, slug) in article_ids.items():
            article = self._revisions.get(rid)
            if article is None:
                article = _parse(texts[rid], locale=locale, slug=slug)
            if article is not None:
                revisions[rid] = article
        before = {a.key: a for a in self._revisions.values()}
        after = {a.key: a for a in revisions.values()}
        changed = tuple(a for key, a in after.items() if before.get(key) is not a)
        removed = tuple(a for key, a in before.items() if key not in after)
        changed_files = {n: t for n, t in files.items() if self.files.get(n) != t}
        self.version, self._revisions, self.files = version, revisions, files
        self.knowledge = KnowledgeBase(after.values(), self.categories())
        return Change(self.knowledge, changed, removed, changed_files)

    def categories(self) -> dict[str, Category]:
        """The categories of the stored ``categories.yml`` (none when it is missing)."""
        text = self.files.get("categories.yml")
        if text is None:
            return {}
        if self._categories[0] != text:  # YAML is slow enough to matter on every refresh
            self._categories = (text, parse_categories(text, Path("categories.yml"))[0])
        return self._categories[1]


def _parse(text: str, *, locale: str, slug: str) -> Article | None:
    # A published revision was checked when it was saved; one that no longer parses (a newer
    # parser is stricter) is left out rather than taking the whole help center down.
    article, _problems = parse_article(text, article_path(text, locale=locale, slug=slug))
    if article is None:
        return None
    # Publishing is the store's decision, whatever the front matter's status says.
    return dataclasses.replace(article, status="published")
