"""R6: pathological Markdown at the article size cap is refused by lint or renders promptly.

Each shape is made as large as the 100 KB cap allows (``[``×n ``a`` ``]``×n took 5.5 s at 8 KB
before lint refused it; Python-Markdown is quadratic on it). Pass: the shapes Python-Markdown
is quadratic on are refused with an error naming the file and line, and every shape lint
accepts renders before a 10 s watchdog (a hang detector, not a speed target).

Negative control: with the new lint rule switched off, the quadratic shapes are accepted.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

from kb import articles as kb_articles
from kb.articles import MAX_ARTICLE_BYTES, parse_article
from kb.rendering import render_body

FRONT = "---\ntitle: Shapes\nslug: shapes\nlocale: en\ncategory: account\n---\n"
QUADRATIC = {
    "nested brackets": lambda n: "[" * n + "a" + "]" * n,
    "unclosed link openings": lambda n: "[a](" * n,
    "unclosed brackets": lambda n: "[ " * n,
    "image openings": lambda n: "![" * n + "a" + "]" * n,
    "unclosed tags": lambda n: "<a " * n,
    "many links in one paragraph": lambda n: "[a](b) " * n,
}
LINEAR = {
    "nested lists": lambda n: "".join("  " * (i % 200) + "- a\n" for i in range(n)),
    "nested quotes": lambda n: "".join(">" * (i % 100) + " a\n" for i in range(n)),
    "code spans": lambda n: "`a" * n,
    "emphasis": lambda n: "*a " * n,
    "entities": lambda n: "&#" * n,
    "bracket paragraphs": lambda n: "\n\n".join(["[a](b) " * 20] * max(1, n // 20)),
}
WATCHDOG = 10  # seconds


def at_cap(make) -> str:
    """The largest body of this shape under the article size cap."""
    low, high = 1, MAX_ARTICLE_BYTES
    while low < high:
        middle = (low + high + 1) // 2
        if len((FRONT + make(middle)).encode()) < MAX_ARTICLE_BYTES:
            low = middle
        else:
            high = middle - 1
    return make(low)


class Hung(Exception):
    pass


def render_with_watchdog(body: str) -> float:
    def expire(_signum, _frame):
        raise Hung
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(WATCHDOG)
    try:
        started = time.perf_counter()
        render_body(body, "en")
        return time.perf_counter() - started
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def lint(body: str):
    return parse_article(FRONT + body, Path("en/account/shapes.md"))


def test_quadratic_shapes_are_refused_and_the_rest_render(figures):
    refused, slowest, hung = [], 0.0, []
    for name, make in QUADRATIC.items():
        article, problems = lint(at_cap(make))
        errors = [p for p in problems if p.level == "error"]
        if article is None and errors and errors[0].line and "quadratically" in errors[0].message:
            refused.append(name)
    for name, make in LINEAR.items():
        body = at_cap(make)
        article, problems = lint(body)
        if article is None:
            continue
        try:
            slowest = max(slowest, render_with_watchdog(body))
        except Hung:
            hung.append(name)
    figures("R6", cap_bytes=MAX_ARTICLE_BYTES, quadratic_shapes=len(QUADRATIC),
            refused_by_lint=len(refused), linear_shapes=len(LINEAR),
            slowest_accepted_render_ms=round(slowest * 1000), hung=len(hung))
    assert sorted(refused) == sorted(QUADRATIC)
    assert hung == []


def test_a_real_article_with_many_links_is_not_refused():
    body = "\n\n".join(f"See [step {i}](password-reset) and <https://example.com/{i}>."
                       for i in range(300))
    article, problems = lint(body)
    assert article is not None, [str(p) for p in problems]


def test_negative_control_without_the_rule_the_shapes_get_through(figures, monkeypatch):
    monkeypatch.setattr(kb_articles, "find_slow_markdown", lambda body: None)
    # Not rendered for real: the control only checks what lint lets through (rendering them
    # is what takes minutes).
    monkeypatch.setattr(kb_articles, "render_body", lambda body, locale: _NOT_RENDERED)
    accepted = [name for name, make in QUADRATIC.items() if lint(make(2000))[0] is not None]
    figures("R6", control_accepted_quadratic=len(accepted))
    assert sorted(accepted) == sorted(QUADRATIC)


_NOT_RENDERED = render_body("a placeholder", "en")
