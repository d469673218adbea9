"""The published help center in memory: articles by locale and slug, and their categories.

A ``KnowledgeBase`` is built from a ``LoadResult`` and never changes; saving an article builds a
new one. Drafts and articles with errors are not in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kb.articles import Article
from kb.loader import Category, LoadResult, load_articles


class KnowledgeBase:
    """Published articles, looked up by ``(locale, slug)``, by category and by promotion."""

    def __init__(self, articles: Iterable[Article], categories: dict[str, Category]) -> None:
        self._articles = {a.key: a for a in articles if a.is_published}
        self.categories = dict(sorted(categories.items(), key=lambda kv: kv[1].order))

    @classmethod
    def from_result(cls, result: LoadResult) -> KnowledgeBase:
        return cls(result.articles, result.categories)

    @classmethod
    def load(cls, folder: Path | str) -> KnowledgeBase:
        """Load and keep the published, error-free articles of a content folder."""
        return cls.from_result(load_articles(folder))

    def __len__(self) -> int:
        return len(self._articles)

    def __iter__(self):
        return iter(self._articles.values())

    def get(self, locale: str, slug: str) -> Article | None:
        return self._articles.get((locale, slug))

    def articles(self, locale: str | None = None) -> list[Article]:
        """Every published article (of one locale), sorted by category order then title."""
        order = {key: c.order for key, c in self.categories.items()}
        chosen = (a for a in self._articles.values() if locale in (None, a.locale))
        return sorted(chosen, key=lambda a: (order.get(a.category, 99), a.title))

    def in_category(self, locale: str, category: str) -> list[Article]:
        return [a for a in self.articles(locale) if a.category == category]

    def promoted(self, locale: str) -> list[Article]:
        return [a for a in self.articles(locale) if a.is_promoted]

    def translation(self, article: Article, locale: str) -> Article | None:
        """The same article in another locale, if it exists."""
        return self.get(locale, article.slug)
