"""The checks a revision passes before it is stored: the loader's own parse and lint.

An article's text is parsed by ``kb.articles.parse_article`` under its path-like name
``<locale>/<category>/<slug>.md`` (so problems read like ``deflect lint``'s), then checked
against the store: its locale and slug must be the ones it is saved under, its category must be
in ``categories.yml``, and its links and ``related`` slugs must name stored articles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kb.articles import Article, Problem, parse_article
from kb.content.models import Item, ItemStatus, Revision
from kb.errors import InvalidArticle
from kb.loader import parse_categories

_CATEGORY = re.compile(r"(?m)^category:[ \t]*['\"]?([\w-]+)")


def article_path(text: str, *, locale: str, slug: str) -> Path:
    """The name an article's problems are reported under: ``ko/account/login.md``."""
    found = _CATEGORY.search(text)
    return Path(locale, found.group(1) if found else "_", f"{slug}.md")


def check_article(session: Session, text: str, *, locale: str,
                  slug: str) -> tuple[Article, list[Problem]]:
    """Parse and lint ``text`` as article ``locale/slug``; return it with its warnings.

    Raises ``InvalidArticle`` with every problem (errors and warnings) when there is an error.
    """
    path = article_path(text, locale=locale, slug=slug)
    article, problems = parse_article(text, path)
    if article is not None:
        problems += _check_in_store(session, article, text, locale=locale, slug=slug)
    if article is None or any(p.level == "error" for p in problems):
        raise InvalidArticle(problems)
    return article, problems


def check_file(name: str, text: str, problems: list[Problem]) -> None:
    """Raise ``InvalidArticle`` when ``categories.yml`` (checked here) or the caller's
    ``problems`` for another file have an error."""
    path = Path(name)
    found = list(problems)
    if name == "categories.yml":
        found += parse_categories(text, path)[1]
    if any(p.level == "error" for p in found):
        raise InvalidArticle(found)


def stored_categories(session: Session) -> set[str] | None:
    """The category keys of the stored ``categories.yml`` (``None`` when there is none)."""
    text = session.scalar(select(Revision.text).join(Item, Item.id == Revision.item_id)
                          .where(Item.locale == "", Item.name == "categories.yml",
                                 Revision.number == Item.latest))
    if text is None:
        return None
    return set(parse_categories(text, Path("categories.yml"))[0])


def linkable_slugs(session: Session, locale: str) -> set[str]:
    """The slugs of ``locale`` an article may link to or name as related: every stored article
    that is not archived (drafts included: they are linked before they are published)."""
    return set(session.scalars(select(Item.name).where(Item.locale == locale,
                                                       Item.status != ItemStatus.ARCHIVED)))


def _check_in_store(session: Session, article: Article, text: str, *, locale: str,
                    slug: str) -> Iterable[Problem]:
    path = article.path or Path()
    if article.locale != locale:
        yield Problem("error", path, _line_of(text, "locale:"), f"locale '{article.locale}' "
                      f"differs from the article's '{locale}': translations are separate "
                      "articles")
    if article.slug != slug:
        yield Problem("error", path, _line_of(text, "slug:"), f"slug '{article.slug}' differs "
                      f"from the article's '{slug}': rename the article to change its slug")
    categories = stored_categories(session)
    if categories is not None and article.category not in categories:
        yield Problem("error", path, _line_of(text, "category:"), f"unknown category "
                      f"'{article.category}'; categories.yml has: " + ", ".join(sorted(categories)))
    known = linkable_slugs(session, locale) | {slug}
    for target in dict.fromkeys(article.links):
        if target not in known:
            yield Problem("error", path, _line_of(text, f"]({target}"), f"link to '{target}', "
                          f"which is not an article in '{locale}'")
    for target in article.related:
        if target not in known:
            yield Problem("error", path, _line_of(text, "related:"), f"related article "
                          f"'{target}' does not exist in '{locale}'")


def _line_of(text: str, needle: str) -> int | None:
    position = text.find(needle)
    return text.count("\n", 0, position) + 1 if position >= 0 else None
