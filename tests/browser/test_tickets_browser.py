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


@pytest.mark.parametrize(("locale", "browser_locale", "files", "message"), [
    ("ko", "ko-KR", [("큰 화면.png", 6 * 2**20)],
     "큰 화면.png 파일이 너무 커서 보낼 수 없습니다. 이미지는 한 장에 5MB까지 올릴 수 있습니다."),
    ("en", "en-US", [(f"s{n}.png", 5 * 2**20 - 1) for n in range(7)],
     "Together these images are too large to send: at most 32 MB can be sent at once. "
     "Choose fewer or smaller images."),
], ids=["ko-one-file-over-5-mb", "en-all-over-the-request-limit"])
def test_the_browser_says_chosen_files_are_too_large_before_sending(
        open_page, tmp_path, locale, browser_locale, files, message):
    page = open_page(f"/{locale}/contact", locale=browser_locale, width=1280, height=900)
    page.locator("#subject").fill("subject kept")
    page.locator("#description").fill("description kept")
    page.locator("#email").fill("kept@example.com")
    page.locator("input[name=consent]").check()
    chooser = page.locator("#screenshots")
    chosen = []
    for name, size in files:  # sparse files: the browser reads their size, not their bytes
        with (tmp_path / name).open("wb") as file:
            file.truncate(size)
        chosen.append(tmp_path / name)
    chooser.set_input_files(chosen)
    note = page.locator("[data-check-for=screenshots]")
    expect(note).to_have_text(message)
    expect(chooser).to_have_attribute("aria-invalid", "true")
    page.locator("button[value=review]").click()
    # Not sent: the same page, everything as typed.
    expect(page.locator("[data-review]")).to_have_count(0)
    assert page.url.endswith(f"/{locale}/contact")
    expect(page.locator("#subject")).to_have_value("subject kept")
    expect(page.locator("#description")).to_have_value("description kept")
    chooser.set_input_files([])
    expect(note).to_be_hidden()
    expect(chooser).not_to_have_attribute("aria-invalid", "true")
