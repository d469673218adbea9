"""Rendering article bodies: safe HTML, article links, headings and plain text."""

from html.parser import HTMLParser

import pytest

from kb.rendering import html_to_text, render_body, sanitize

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    '<img src=x onerror="alert(1)">',
    "<IMG SRC=x OnErRoR=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<body onload="alert(1)">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onmouseover="alert(1)">hover</p>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<details open ontoggle="alert(1)">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<style>@import "javascript:alert(1)";</style>',
]
MARKDOWN_VECTORS = [
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](javascript:alert(1))",
    '[x](https://ok.example "title" onclick="alert(1)")',
    "<javascript:alert(1)>",
]
FORBIDDEN_TAGS = {"script", "svg", "math", "iframe", "style", "img", "object", "form", "meta",
                  "body", "details", "noscript", "embed", "base", "link"}


class _Elements(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def _dangers(html: str) -> list[str]:
    """Every element, event handler, style or script URL in ``html`` that could run code."""
    found = []
    for tag, attrs in _Elements(html).elements:
        if tag in FORBIDDEN_TAGS:
            found.append(tag)
        for name, value in attrs.items():
            url = "".join(value.split()).lower()
            if name.startswith("on") or name == "style":
                found.append(f"{tag}[{name}]")
            elif name in ("href", "src") and url.startswith(("javascript:", "data:", "vbscript:")):
                found.append(f"{tag}[{name}={value}]")
    return found


@pytest.mark.parametrize("vector", XSS_VECTORS + MARKDOWN_VECTORS)
def test_no_xss_vector_survives_rendering(vector):
    html = render_body(f"Intro\n\n{vector}\n\nand {vector} inline.\n", "en").html
    assert _dangers(html) == [], html


def test_the_xss_check_itself_sees_dangers():
    assert _dangers('<a href=" JavaScript:x">a</a><p onclick="x">') == [
        "a[href= JavaScript:x]", "p[onclick]"]


def test_slug_links_resolve_to_the_article_url_in_the_same_locale():
    rendered = render_body("[비밀번호 재설정](password-reset#steps) 참고", "ko")
    assert 'href="/ko/articles/password-reset#steps"' in rendered.html
    assert rendered.links == ("password-reset",)


def test_external_links_are_kept_and_not_counted_as_article_links():
    rendered = render_body("[site](https://plooma.example/help) and [mail](mailto:a@b.example)",
                           "en")
    assert 'href="https://plooma.example/help"' in rendered.html
    assert 'href="mailto:a@b.example"' in rendered.html
    assert rendered.links == ()


def test_headings_keep_unicode_ids_and_are_listed():
    rendered = render_body("## 카드 확인하기\n\ntext\n\n### Step two\n\nmore", "ko")
    assert '<h2 id="카드-확인하기">' in rendered.html
    assert [(h.level, h.id, h.text) for h in rendered.headings] == [
        (2, "카드-확인하기", "카드 확인하기"), (3, "step-two", "Step two")]


def test_tables_and_fenced_code_render():
    rendered = render_body("| a | b |\n|:--|--:|\n| 1 | 2 |\n\n```\ncode\n```\n", "en")
    assert '<th align="left">a</th>' in rendered.html
    assert "<pre><code>code" in rendered.html


def test_attribute_lists_are_not_enabled():
    rendered = render_body("## Title {: onclick=alert(1) }\n", "en")
    assert _Elements(rendered.html).elements == [("h2", {"id": "title-onclickalert1"})]


def test_plain_text_keeps_words_and_drops_markup_and_scripts():
    rendered = render_body("## 결제 실패\n\n**카드**를 <script>evil()</script> 확인하세요.", "ko")
    assert rendered.text == "결제 실패\n카드를 확인하세요."


def test_raw_html_that_the_sanitizer_changes_is_reported():
    rendered = render_body('ok <b>bold</b>\n\n<div onclick="x()">hi</div>\n', "en")
    assert rendered.stripped_html == ('<div onclick="x()">hi</div>',)


def test_html_to_text_unescapes_entities():
    assert html_to_text("<p>a &amp; b &lt;c&gt;</p>") == "a & b <c>"


def test_sanitize_adds_rel_to_links():
    assert sanitize('<a href="https://x.example">x</a>') == (
        '<a href="https://x.example" rel="noopener noreferrer">x</a>')
