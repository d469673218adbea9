"""Turn an article's Markdown body into safe HTML, plain text and a list of headings.

Rendering is two steps, and the second is the one that keeps customers safe: Python-Markdown
(tables, fenced code, toc; deliberately not ``attr_list``) produces HTML, then nh3 keeps only an
explicit allowlist of tags, attributes and URL schemes. Links whose target is a bare article
slug (``[text](password-reset)``) become ``/<locale>/articles/<slug>``. An ``img`` stays only
when its ``src`` is one of our own image URLs (``/images/<sha256>.png``, see
``kb.content.images``): any other source (another host, ``data:``, ``javascript:``) drops the
whole element, so an article never loads anything from elsewhere.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ARTICLE_LINK = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)(?P<anchor>#[^\s#]*)?$")

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "strong", "sub", "sup",
        "table", "tbody", "td", "th", "thead", "tr", "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "code": {"class"},
    "img": {"src", "alt"},
    "td": {"align"},
    "th": {"align"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Elements whose text must not leak into the page or the index once their tags are dropped.
_DROPPED_WITH_CONTENT = frozenset({"script", "style", "svg", "math", "template", "iframe",
                                   "object", "noscript", "textarea", "title"})
_OWN_IMAGE = re.compile(r"/images/[0-9a-f]{64}\.(?:png|jpg|webp)")
# nh3 escapes quotes in values and the filter removes "<" and ">" from alt texts, so in its
# output an <img ...> tag ends at the first ">" and has a src only if ' src="' appears in it.
_IMG_TAG = re.compile(r"<img\b[^>]*>")
_BLOCK_TAGS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "pre",
                         "blockquote", "tr", "br", "hr", "ul", "ol", "table"})


@dataclass(frozen=True)
class Heading:
    """A heading of a rendered article, for its table of contents."""

    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Rendered:
    """What rendering an article body produced."""

    html: str
    text: str
    headings: tuple[Heading, ...]
    links: tuple[str, ...]
    """Article slugs the body links to, in order of appearance."""
    stripped_html: tuple[str, ...]
    """Raw HTML fragments from the source that the sanitizer changed or removed."""


class _ArticleLinks(Treeprocessor):
    """Point ``[text](slug)`` links at the article's URL in the same locale."""

    def __init__(self, md: markdown.Markdown, locale: str) -> None:
        super().__init__(md)
        self.locale = locale
        self.slugs: list[str] = []

    def run(self, root: Element) -> None:
        for link in root.iter("a"):
            match = _ARTICLE_LINK.match(link.get("href", ""))
            if match:
                self.slugs.append(match["slug"])
                anchor = match["anchor"] or ""
                link.set("href", f"/{self.locale}/articles/{match['slug']}{anchor}")


class _ArticleLinkExtension(Extension):
    def __init__(self, locale: str) -> None:
        super().__init__()
        self.processor: _ArticleLinks | None = None
        self.locale = locale

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        self.processor = _ArticleLinks(md, self.locale)
        md.treeprocessors.register(self.processor, "deflect_article_links", 5)


def sanitize(fragment: str) -> str:
    """Keep only the allowlisted tags, attributes and URL schemes of an HTML fragment.

    >>> sanitize('<a href="javascript:alert(1)" onclick="x()">hi</a>')
    '<a rel="noopener noreferrer">hi</a>'
    """
    cleaned = nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT - ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_filter_attribute,
    )
    return _IMG_TAG.sub(lambda m: m[0] if ' src="' in m[0] else "", cleaned)


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """Keep an image's ``src`` only when it is our own image URL (the img then goes whole)."""
    if element != "img":
        return value
    if attribute == "src":
        return value if _OWN_IMAGE.fullmatch(value) else None
    return value.replace("<", "").replace(">", "")


def render_body(body: str, locale: str) -> Rendered:
    """Render Markdown to sanitized HTML, plain text, headings and the slugs it links to."""
    links = _ArticleLinkExtension(locale)
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "toc", links],
        extension_configs={
            "toc": {"slugify": slugify_unicode, "permalink": False},
            "tables": {"use_align_attribute": True},
        },
        output_format="html",
    )
    unsafe = md.convert(body)
    safe = sanitize(unsafe)
    headings = tuple(
        Heading(token["level"], token["id"], html.unescape(token["name"]))
        for token in _flatten(md.toc_tokens)
    )
    stripped = tuple(
        fragment.strip()
        for fragment in md.htmlStash.rawHtmlBlocks
        if isinstance(fragment, str) and _is_changed_by_sanitizer(fragment)
    )
    assert links.processor is not None
    return Rendered(
        html=safe,
        text=html_to_text(safe),
        headings=headings,
        links=tuple(links.processor.slugs),
        stripped_html=stripped,
    )


def html_to_text(fragment: str) -> str:
    """Drop the markup of an HTML fragment and keep its words, one block per line.

    >>> html_to_text('<h2>결제</h2><p>카드를 <b>확인</b>하세요</p>')
    '결제\\n카드를 확인하세요'
    """
    parser = _TextCollector()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _flatten(tokens: Iterable[dict]) -> Iterable[dict]:
    for token in tokens:
        yield token
        yield from _flatten(token.get("children", ()))


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_WITH_CONTENT:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


class _TagCollector(HTMLParser):
    """Collect (tag, attribute, value) triples, to compare a fragment before and after cleaning."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: set[tuple[str, str, str]] = set()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.items.add((tag, "", ""))
        for name, value in attrs:
            self.items.add((tag, name, value or ""))


def _markup_of(fragment: str) -> set[tuple[str, str, str]]:
    collector = _TagCollector()
    collector.feed(fragment)
    collector.close()
    return collector.items


def _is_changed_by_sanitizer(fragment: str) -> bool:
    return bool(_markup_of(fragment) - _markup_of(sanitize(fragment)))
