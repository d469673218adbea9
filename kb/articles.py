"""The ``Article`` record and the pure function that parses one article file's text.

An article file is YAML front matter between two ``---`` lines followed by a Markdown body.
``parse_article`` never raises for bad content: it returns the article it could build (or
``None``) together with every problem it found, each naming the file and the line.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from kb.rendering import SLUG_PATTERN, Heading, render_body
from kb.slow_markdown import MAX_BRACKET_WORK, find_slow_markdown

LOCALES = ("ko", "en")
STATUSES = ("published", "draft")
REQUIRED_FIELDS = ("title", "slug", "locale", "category")
OPTIONAL_FIELDS = ("questions", "keywords", "status", "promoted", "related", "updated")
FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS
MAX_ARTICLE_BYTES = 100_000
"""Articles above this size are refused: Python-Markdown is quadratic on some inputs."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, located as precisely as we can."""

    level: Literal["error", "warning"]
    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.level}: {self.message}"


@dataclass(frozen=True)
class Article:
    """A help-center article: its front matter, its Markdown body and what was rendered from it."""

    title: str
    slug: str
    locale: str
    category: str
    body: str
    html: str
    text: str
    questions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    status: str = "published"
    is_promoted: bool = False
    related: tuple[str, ...] = ()
    updated: dt.date | None = None
    headings: tuple[Heading, ...] = ()
    links: tuple[str, ...] = field(default=(), repr=False)
    path: Path | None = field(default=None, compare=False)

    @property
    def url(self) -> str:
        return f"/{self.locale}/articles/{self.slug}"

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def key(self) -> tuple[str, str]:
        """``(locale, slug)``: what identifies an article in the help center."""
        return (self.locale, self.slug)


def parse_article(text: str, path: Path) -> tuple[Article | None, list[Problem]]:
    """Parse an article file's text; ``path`` is only used in messages.

    Returns the article (``None`` when an error makes one impossible) and every problem found.
    """
    problems: list[Problem] = []

    def report(level: Literal["error", "warning"], line: int | None, message: str) -> None:
        problems.append(Problem(level, path, line, message))

    if len(text.encode("utf-8")) > MAX_ARTICLE_BYTES:
        report("error", 1, f"article is {len(text.encode()):,} bytes; the limit is "
               f"{MAX_ARTICLE_BYTES:,}: split it into several articles")
        return None, problems
    split = _split_front_matter(text)
    if split is None:
        report("error", 1, "no front matter: the file must start with a '---' line, the YAML "
               "fields, and another '---' line")
        return None, problems
    front_text, body, body_line = split
    try:
        node = yaml.compose(front_text, Loader=yaml.SafeLoader)
        data = yaml.load(front_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(error, "problem", None) or str(error)
        report("error", line, f"front matter is not valid YAML: {reason}")
        return None, problems
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        report("error", 2, "front matter must be a mapping of fields such as 'title: ...'")
        return None, problems
    lines = {key.value: key.start_mark.line + 2 for key, _ in node.value}

    for name in data:
        if name not in FIELDS:
            close = difflib.get_close_matches(str(name), FIELDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            report("error", lines.get(name), f"unknown field '{name}'{hint}; fields are: "
                   + ", ".join(FIELDS))
    for name in REQUIRED_FIELDS:
        value = data.get(name)
        if name not in data:
            report("error", 1, f"missing required field '{name}'")
        elif not isinstance(value, str) or not value.strip():
            report("error", lines[name], f"field '{name}' must be a non-empty text")

    fields = _check_values(data, lines, report)
    if not body.strip():
        report("error", body_line, "the article has no body: write the answer below the front "
               "matter")
    if any(p.level == "error" for p in problems):
        return None, problems

    slow = find_slow_markdown(body)
    if slow is not None:
        report("error", body_line + slow.line - 1,
               f"this block has {slow.count:,} '{slow.character}' characters (bracket work "
               f"{slow.work:,}, limit {MAX_BRACKET_WORK:,}); Markdown slows down "
               f"quadratically on them: split the block, or escape them as '\\{slow.character}'")
        return None, problems
    rendered = render_body(body, fields["locale"])
    for fragment in rendered.stripped_html:
        report("warning", body_line + _line_in(body, fragment),
               f"raw HTML is removed or changed when the article is shown: {fragment[:60]!r}; "
               "use Markdown instead")
    article = Article(
        title=fields["title"].strip(),
        slug=fields["slug"],
        locale=fields["locale"],
        category=fields["category"],
        body=body,
        html=rendered.html,
        text=rendered.text,
        questions=fields["questions"],
        keywords=fields["keywords"],
        status=fields["status"],
        is_promoted=fields["promoted"],
        related=fields["related"],
        updated=fields["updated"],
        headings=rendered.headings,
        links=rendered.links,
        path=path,
    )
    return article, problems


def _check_values(data: dict[str, Any], lines: dict[str, int], report: Any) -> dict[str, Any]:
    """Check the type and format of each known field; return them with defaults filled in."""
    fields = {name: data.get(name) for name in REQUIRED_FIELDS}
    slug = data.get("slug")
    if isinstance(slug, str) and slug and not SLUG_PATTERN.match(slug):
        report("error", lines.get("slug"), f"slug '{slug}' must be lowercase ASCII letters and "
               "digits joined by single hyphens, such as 'password-reset'")
    locale = data.get("locale")
    if isinstance(locale, str) and locale and locale not in LOCALES:
        report("error", lines.get("locale"), f"unknown locale '{locale}'; use one of: "
               + ", ".join(LOCALES))
    for name in ("questions", "keywords", "related"):
        value = data.get(name, [])
        if value is None:
            value = []
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            report("error", lines.get(name), f"field '{name}' must be a list of texts")
            value = []
        fields[name] = tuple(str(v).strip() for v in value if str(v).strip())
    status = data.get("status", "published")
    if status not in STATUSES:
        report("error", lines.get("status"), f"status '{status}' must be one of: "
               + ", ".join(STATUSES))
    fields["status"] = status
    promoted = data.get("promoted", False)
    if not isinstance(promoted, bool):
        report("error", lines.get("promoted"), "field 'promoted' must be true or false")
    fields["promoted"] = promoted is True
    updated = data.get("updated")
    if updated is not None and not isinstance(updated, dt.date):
        report("error", lines.get("updated"), f"field 'updated' must be a date such as "
               f"2026-11-02, not {updated!r}")
        updated = None
    fields["updated"] = updated
    return fields


def _split_front_matter(text: str) -> tuple[str, str, int] | None:
    """Return (front matter, body, line number where the body starts), or None."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    return None


def _line_in(body: str, fragment: str) -> int:
    """The 0-based line of ``body`` where ``fragment`` first appears (0 when not found)."""
    first_line = fragment.strip().splitlines()[0] if fragment.strip() else ""
    position = body.find(first_line)
    return body.count("\n", 0, position) if position >= 0 else 0
