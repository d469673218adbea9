"""The contact path in a real browser: from an article's "Still need help?" through the review
step to a stored ticket that names the article, and screenshots of the review and status pages
(the contact page itself is in ``test_help_browser.test_screenshots``)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kb import tickets

CASES = pytest.mark.parametrize(
    ("locale", "browser_locale", "reading", "subject", "description"),
    [("ko", "ko-KR", "보고 계시던 도움말:", "환불이 아직 안 들어왔어요",
      "지난주에 환불을 신청했는데 아직 카드로 돌아오지 않았습니다."),
     ("en", "en-US", "You were reading:", "My refund has not arrived",
      "I asked for a refund last week and it is not back on my card yet.")],
    ids=["ko", "en"])


def fill_and_review(page, *, subject: str, description: str, email: str) -> None:
    page.locator("#subject").fill(subject)
    page.locator("#description").fill(description)
    page.locator("#email").fill(email)
    page.locator("input[name=consent]").check()
    page.locator("button[value=review]").click()
    page.wait_for_selector("[data-review]")


@CASES
def test_still_need_help_from_an_article_reaches_the_ticket(
        open_page, server_database, locale, browser_locale, reading, subject, description):
    page = open_page(f"/{locale}/articles/refund-policy", locale=browser_locale)
    page.locator("a[data-need-help]").click()
    page.wait_for_url(re.compile(r"/contact\?"))
    expect(page.locator("[data-source-article=refund-policy]")).to_contain_text(reading)
    expect(page.locator("#category")).to_have_value("refund")
    fill_and_review(page, subject=subject, description=description,
                    email=f"reader-{locale}@example.com")
    expect(page.locator("[data-source-article=refund-policy]")).to_be_visible()
    page.locator("button[value=send]").click()
    page.wait_for_url(re.compile(r"/tickets/DF-[A-Z0-9-]+/status$"))
    reference = page.url.rsplit("/", 2)[-2]
    with server_database.session() as session:
        assert tickets.find_ticket(session, reference).source_article == "refund-policy"


@pytest.mark.parametrize("width", [390, 1280])
@CASES
def test_review_and_status_screenshots(open_page, artifacts, width, locale, browser_locale,
                                       reading, subject, description):
    page = open_page(f"/{locale}/contact?article=refund-policy", locale=browser_locale,
                     width=width, height=900)
    fill_and_review(page, subject=subject, description=description,
                    email=f"shots-{locale}-{width}@example.com")
    for name in ("review", "status"):
        if name == "status":
            page.locator("button[value=send]").click()
            page.wait_for_url(re.compile(r"/status$"))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width} px"
        page.screenshot(path=artifacts / f"{locale}-{name}-{width}.png", full_page=True)
