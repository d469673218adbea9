"""Read a content folder: every article, the categories, and every problem with them.

Layout: ``<folder>/categories.yml`` and ``<folder>/<locale>/<category>/<slug>.md``. Loading
collects problems instead of stopping at the first one, so ``deflect lint`` can show an editor
everything at once; an article with an error is left out of ``articles`` but never silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kb.articles import LOCALES, Article, Problem, parse_article


@dataclass(frozen=True)
class Category:
    """A group of articles, with its name and description in each locale."""

    key: str
    order: int
    name: dict[str, str]
    description: dict[str, str] = field(default_factory=dict)

    def name_in(self, locale: str) -> str:
        return self.name.get(locale) or self.key


@dataclass
class LoadResult:
    """Everything ``load_articles`` found in a content folder."""

    articles: list[Article]
    categories: dict[str, Category]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]


def load_categories(path: Path) -> tuple[dict[str, Category], list[Problem]]:
    """Read ``categories.yml``: a mapping of key to ``order``, ``name`` and ``description``."""
    if not path.is_file():
        return {}, [Problem("error", path, None, "categories file is missing: every content "
                            "folder needs a categories.yml that names its categories")]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return {}, [Problem("error", path, None, f"categories file cannot be read: {error}")]
    return parse_categories(text, path)


def parse_categories(text: str, path: Path) -> tuple[dict[str, Category], list[Problem]]:
    """Parse the text of ``categories.yml``; ``path`` is only used in messages."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return {}, [Problem("error", path, mark.line + 1 if mark else None,
                            f"categories file cannot be read: {error}")]
    if not isinstance(data, dict):
        return {}, [Problem("error", path, 1, "categories file must map keys to categories")]
    categories: dict[str, Category] = {}
    problems: list[Problem] = []
    for position, (key, entry) in enumerate(data.items()):
        entry = entry if isinstance(entry, dict) else {}
        line = _line_of_key(text, str(key))
        name = entry.get("name")
        if not isinstance(name, dict) or not all(name.get(locale) for locale in LOCALES):
            problems.append(Problem("error", path, line, f"category '{key}' needs a name in "
                                    "each locale: name: {ko: ..., en: ...}"))
            name = name if isinstance(name, dict) else {}
        order = entry.get("order", position)
        if not isinstance(order, int) or isinstance(order, bool):
            problems.append(Problem("error", path, line, f"category '{key}': order must be a "
                                    f"whole number such as 1, not {order!r}"))
            order = position
        categories[str(key)] = Category(
            key=str(key),
            order=order,
            name={str(k): str(v) for k, v in name.items()},
            description={str(k): str(v) for k, v in (entry.get("description") or {}).items()},
        )
    return categories, problems


def _line_of_key(text: str, key: str) -> int | None:
    """The line where top-level ``key:`` starts in ``text`` (None when not found)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.split(":", 1)[0].strip().strip("'\"") == key and not line[:1].isspace():
            return number
    return None


def load_articles(folder: Path | str) -> LoadResult:
    """Load every article under ``folder`` and check each one and the set as a whole."""
    folder = Path(folder)
    categories, problems = load_categories(folder / "categories.yml")
    articles: list[Article] = []
    sources: dict[Path, str] = {}
    for path in sorted(folder.glob("*/**/*.md")):
        text = _read_text(path, problems)
        if text is None:
            continue
        article, found = parse_article(text, path)
        problems.extend(found)
        if article is not None:
            sources[path] = text
            articles.append(article)
    problems.extend(_check_placement(articles, folder, categories, sources))
    articles, duplicates = _without_duplicates(articles)
    problems.extend(duplicates)
    problems.extend(check_references(articles, sources))
    problems.sort(key=lambda p: (str(p.path), p.line or 0))
    return LoadResult(articles=articles, categories=categories, problems=problems)


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.append(Problem("error", path, line, f"file is not UTF-8 (byte "
                                f"{data[error.start]:#04x} at offset {error.start}): save "
                                "it as UTF-8"))
        return None


def _check_placement(articles: Iterable[Article], folder: Path,
                     categories: dict[str, Category], sources: dict[Path, str]
                     ) -> Iterable[Problem]:
    for article in articles:
        assert article.path is not None
        if categories and article.category not in categories:
            line = _line_of(sources[article.path], "\ncategory:")
            yield Problem("error", article.path, line + 1 if line else None, f"unknown category "
                          f"'{article.category}'; categories.yml has: " + ", ".join(categories))
        expected = folder / article.locale / article.category / f"{article.slug}.md"
        if article.path != expected:
            yield Problem("warning", article.path, None, "file should be at "
                          f"{expected.relative_to(folder)} (locale/category/slug.md)")


def _without_duplicates(articles: list[Article]) -> tuple[list[Article], list[Problem]]:
    seen: dict[tuple[str, str], Article] = {}
    problems = []
    for article in articles:
        first = seen.setdefault(article.key, article)
        if first is not article:
            problems.append(Problem("error", article.path or Path(), 1,
                                    f"slug '{article.slug}' is already used in locale "
                                    f"'{article.locale}' by {first.path}"))
    return list(seen.values()), problems


def check_references(articles: list[Article], sources: dict[Path, str]) -> Iterable[Problem]:
    """Yield the links and ``related`` slugs of ``articles`` that name no article of their
    locale among ``articles`` (errors), and the articles without a translation (warnings).

    ``sources`` maps each article's path to its text, to find the line of a bad link."""
    slugs = {locale: {a.slug for a in articles if a.locale == locale} for locale in LOCALES}
    for article in articles:
        assert article.path is not None
        text = sources[article.path]
        known = slugs.get(article.locale, set())
        for target in dict.fromkeys(article.links):
            if target not in known:
                yield Problem("error", article.path, _line_of(text, f"]({target}"),
                              f"link to '{target}', which is not an article in "
                              f"'{article.locale}'")
        for target in article.related:
            if target not in known:
                yield Problem("error", article.path, _line_of(text, "related:"),
                              f"related article '{target}' does not exist in "
                              f"'{article.locale}'")
        for other in LOCALES:
            if other != article.locale and article.slug not in slugs[other]:
                yield Problem("warning", article.path, None, f"no translation: "
                              f"'{article.slug}' has no '{other}' version")


def _line_of(text: str, needle: str) -> int | None:
    position = text.find(needle)
    return text.count("\n", 0, position) + 1 if position >= 0 else None
