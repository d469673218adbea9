"""Every customer page passes axe-core's WCAG 2.1 AA checks, in Korean and English, on a phone
and on a desktop window (the desk's pages are checked in their own browser tests)."""

from __future__ import annotations

import re

import pytest

from tests.browser.accessibility import axe_violations

PAGES = [
    ("home", "/{locale}/"),
    ("category", "/{locale}/categories/account"),
    ("article", "/{locale}/articles/password-reset"),
    ("search", "/{locale}/search?q={query}"),
    ("no-result search", "/{locale}/search?q=zqxjvw"),
    ("contact", "/{locale}/contact?article=refund-policy"),
]
LOCALES = [("ko", "ko-KR", "결제가 안 돼요"), ("en", "en-US", "payment failed")]


# Both languages on a phone; the wider layout once (axe's rules rarely differ by language there).
SIZES = [(*LOCALES[0], 390), (*LOCALES[1], 390), (*LOCALES[0], 1280)]


@pytest.mark.parametrize(("locale", "browser_locale", "query", "width"), SIZES,
                         ids=["ko-390", "en-390", "ko-1280"])
@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_customer_pages_have_no_wcag_violations(open_page, name, path, locale, browser_locale,
                                                query, width):
    page = open_page(path.format(locale=locale, query=query), locale=browser_locale,
                     width=width, height=900)
    assert axe_violations(page) == [], f"{name} ({locale}, {width} px)"


@pytest.mark.parametrize(("locale", "browser_locale"), [("ko", "ko-KR"), ("en", "en-US")],
                         ids=["ko", "en"])
def test_review_and_status_pages_have_no_wcag_violations(open_page, locale, browser_locale):
    page = open_page(f"/{locale}/contact?article=refund-policy", locale=browser_locale,
                     width=1280, height=900)
    page.locator("#subject").fill("접근성 확인" if locale == "ko" else "Accessibility check")
    page.locator("#description").fill("화면 읽기 프로그램으로 확인합니다." if locale == "ko"
                                      else "Checking with a screen reader.")
    page.locator("#email").fill(f"a11y-{locale}@example.com")
    page.locator("input[name=consent]").check()
    page.locator("button[value=review]").click()
    page.wait_for_selector("[data-review]")
    assert axe_violations(page) == [], "review"
    page.locator("button[value=send]").click()
    page.wait_for_url(re.compile(r"/status$"))
    assert axe_violations(page) == [], "status"
